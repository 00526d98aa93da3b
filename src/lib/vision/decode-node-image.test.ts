import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG, type PNGOptions } from 'pngjs';
import encodeWebpWasm, { init as initWebpEncoder } from '@jsquash/webp/encode.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeChecked, InputError } from '../predict/poster-model.ts';
import { makeJpeg } from '../../test/posters.ts';
import { decodeImageNode, decodePng, decodeWebp } from './decode-node-image.ts';
import { decodeJpeg } from './decode-node.ts';
import type { RgbaImage } from './pipeline.ts';

/** A w×h RGBA test card: every pixel different, alpha varying. */
function card(w: number, h: number, opaque = false): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      data[i] = (x * 37 + y * 11) & 255;
      data[i + 1] = (x * 5 + y * 53) & 255;
      data[i + 2] = (x * y * 7 + 3) & 255;
      data[i + 3] = opaque ? 255 : 128 + ((x + y) & 127);
    }
  return { width: w, height: h, data };
}

function png(img: RgbaImage, options: PNGOptions = {}): Uint8Array {
  const p = new PNG({ width: img.width, height: img.height, ...options });
  p.data = Buffer.from(img.data);
  return new Uint8Array(PNG.sync.write(p, options));
}

async function webp(img: RgbaImage, lossless: boolean): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(img.data);
  const buf = await encodeWebpWasm(
    { data, width: img.width, height: img.height, colorSpace: 'srgb' } as ImageData,
    { lossless: lossless ? 1 : 0, quality: 90, exact: 1 },
  );
  return new Uint8Array(buf);
}

beforeAll(async () => {
  // The encoder (tests only) from the package's own .wasm file, as the decoder does.
  const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm');
  await initWebpEncoder(await WebAssembly.compile(readFileSync(path)));
});

describe('PNG (pngjs)', () => {
  it('decodes an RGBA PNG to the exact pixels written', () => {
    const img = card(23, 17);
    const out = decodePng(png(img));
    expect([out.width, out.height]).toEqual([23, 17]);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
  });

  it('decodes an RGB, a grey and a 16-bit RGBA PNG to 8-bit RGBA', () => {
    const img = card(9, 11, true);
    const rgb = decodePng(png(img, { colorType: 2 }));
    expect(Array.from(rgb.data)).toEqual(Array.from(img.data));
    const greyImg = card(9, 11, true);
    for (let i = 0; i < 9 * 11; i++) greyImg.data.fill(greyImg.data[i * 4]!, i * 4 + 1, i * 4 + 3);
    const grey = decodePng(png(greyImg, { colorType: 0 }));
    expect(Array.from(grey.data)).toEqual(Array.from(greyImg.data));
    // 16 bits per channel: pngjs takes 16-bit input as a Uint16Array; v * 257 decodes back to v.
    const deep = new PNG({ width: 9, height: 11, bitDepth: 16 });
    deep.data = Buffer.from(new Uint16Array(Array.from(img.data, (v) => v * 257)).buffer);
    const wide = decodePng(
      new Uint8Array(PNG.sync.write(deep, { bitDepth: 16, colorType: 6, inputColorType: 6 })),
    );
    expect(Array.from(wide.data)).toEqual(Array.from(img.data));
  });

  it('names a damaged PNG', () => {
    const bytes = png(card(16, 16));
    bytes[40] = bytes[40]! ^ 0xff; // inside IDAT: its CRC no longer matches
    expect(() => decodePng(bytes)).toThrow(/corrupt PNG/);
  });
});

describe('WebP (libwebp wasm)', () => {
  it('decodes a lossless WebP to the exact pixels written, alpha included', async () => {
    const img = card(31, 13);
    const out = await decodeWebp(await webp(img, true));
    expect([out.width, out.height]).toEqual([31, 13]);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
  });

  it('decodes a lossy WebP close to the pixels written', async () => {
    // Smooth content, as lossy codecs expect: a gradient.
    const w = 64;
    const h = 48;
    const img: RgbaImage = { width: w, height: h, data: new Uint8Array(w * h * 4) };
    for (let i = 0; i < w * h; i++) {
      const x = i % w;
      const y = Math.floor(i / w);
      img.data.set([x * 4, y * 5, 128, 255], i * 4);
    }
    const out = await decodeWebp(await webp(img, false));
    let sum = 0;
    for (let i = 0; i < img.data.length; i++) sum += Math.abs(out.data[i]! - img.data[i]!);
    expect(sum / img.data.length).toBeLessThan(3);
  });

  it('names a damaged WebP', async () => {
    const bytes = await webp(card(16, 16), true);
    await expect(decodeWebp(bytes.slice(0, 30))).rejects.toThrow(/corrupt WebP/);
  });
});

describe('decodeImageNode, the CLIs decoder', () => {
  it('dispatches on the signature, not the name: JPEG, PNG and WebP of one poster agree', async () => {
    const jpeg = makeJpeg(40, 60, 3);
    const pixels = decodeJpeg(jpeg);
    expect(Array.from((await decodeImageNode(jpeg)).data)).toEqual(Array.from(pixels.data));
    const asPng = await decodeImageNode(png(pixels));
    expect(Array.from(asPng.data)).toEqual(Array.from(pixels.data));
    const asWebp = await decodeImageNode(await webp(pixels, true));
    expect(Array.from(asWebp.data)).toEqual(Array.from(pixels.data));
  });

  it('through the checks Predict uses: clear messages for truncated, GIF and non-images', async () => {
    const img = card(20, 30, true);
    const ok = await decodeChecked(png(img), decodeImageNode);
    expect(Array.from(ok.data)).toEqual(Array.from(img.data));

    const cutPng = png(img);
    await expect(
      decodeChecked(cutPng.slice(0, cutPng.length - 20), decodeImageNode),
    ).rejects.toThrow(InputError);
    await expect(
      decodeChecked(cutPng.slice(0, cutPng.length - 20), decodeImageNode),
    ).rejects.toThrow(/truncated/i);
    const w = await webp(img, true);
    await expect(decodeChecked(w.slice(0, w.length - 10), decodeImageNode)).rejects.toThrow(
      /truncated/i,
    );

    // GIF89a, 10×10, then nothing: the checks may stop it first; either way it names GIF or truncation.
    const gif = new Uint8Array([
      ...new TextEncoder().encode('GIF89a'),
      10,
      0,
      10,
      0,
      0x80,
      0,
      0,
      0,
      0,
      0,
      255,
      255,
      255,
      0x2c,
      0,
      0,
      0,
      0,
      10,
      0,
      10,
      0,
      0,
      2,
      2,
      0x4c,
      1,
      0,
      0x3b,
    ]);
    await expect(decodeChecked(gif, decodeImageNode)).rejects.toThrow(/GIF|truncated/);
    await expect(decodeImageNode(gif)).rejects.toThrow(/GIF is decoded in the browser only/);
    await expect(decodeImageNode(new TextEncoder().encode('hello'))).rejects.toThrow(
      /not a JPEG, PNG or WebP/,
    );
  });
});
