/** A pure-JS JPEG decoder (jpeg-js): same pixels in Node and the browser. PNG/WebP in Node: decode-node-image.ts. */
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
