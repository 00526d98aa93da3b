/**
 * Node's stand-in for the browser's createImageBitmap, for the CLIs and Node tests: PNG with pngjs,
 * WebP with libwebp compiled to wasm (@jsquash/webp, its .wasm read from node_modules, no network),
 * JPEG with jpeg-js as everywhere. Node only (zlib, node:fs): the browser bundle never imports it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import decodeWebpWasm, { init as initWebpDecoder } from '@jsquash/webp/decode.js';
import { sniffImageType } from '../data/posters.ts';
import { decodeJpeg } from './decode-node.ts';
import type { RgbaImage } from './pipeline.ts';
import { errorMessage } from '../core/errors.ts';

/** Decodes a PNG (any bit depth, palette, grey, interlaced) to 8-bit RGBA. */
export function decodePng(bytes: Uint8Array): RgbaImage {
  try {
    const { width, height, data } = PNG.sync.read(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
    );
    return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw new Error(`truncated or corrupt PNG: ${errorMessage(e)}`, {
      cause: e,
    });
  }
}

let webpReady: Promise<void> | null = null;

/** Compiles libwebp's decoder once, from the file the package ships. */
function webpDecoder(): Promise<void> {
  webpReady ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    await initWebpDecoder(await WebAssembly.compile(readFileSync(path)));
  })();
  return webpReady;
}

/** Decodes a WebP (lossy, lossless, with alpha; the first frame of an animation) to RGBA. */
export async function decodeWebp(bytes: Uint8Array): Promise<RgbaImage> {
  await webpDecoder();
  const copy = bytes.slice().buffer;
  let img: ImageData;
  try {
    img = await decodeWebpWasm(copy);
  } catch (e) {
    throw new Error(`truncated or corrupt WebP: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  return { width: img.width, height: img.height, data: img.data };
}

/** Any poster the CLIs take: JPEG, PNG or WebP by their signature; GIF and the rest are refused by name. */
export async function decodeImageNode(bytes: Uint8Array): Promise<RgbaImage> {
  const type = sniffImageType(bytes);
  if (type === 'image/jpeg') return decodeJpeg(bytes);
  if (type === 'image/png') return decodePng(bytes);
  if (type === 'image/webp') return decodeWebp(bytes);
  if (type === 'image/gif')
    throw new Error('GIF is decoded in the browser only: convert it to PNG or JPEG for the CLI');
  throw new Error('not a JPEG, PNG or WebP image');
}
