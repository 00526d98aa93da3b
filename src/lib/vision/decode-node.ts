/** A pure-JS JPEG decoder for Node and tests (jpeg-js); PNG/WebP are the browser decoder's job. */
import jpeg from 'jpeg-js';
import type { RgbaImage } from './pipeline.ts';

/** Decodes a JPEG to RGBA (jpeg-js, 64 MB memory cap as posters are small). */
export function decodeJpeg(bytes: Uint8Array): RgbaImage {
  const { width, height, data } = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxMemoryUsageInMB: 64,
  });
  return { width, height, data };
}
