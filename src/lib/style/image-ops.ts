/**
 * Plain-array image helpers for the instant stylization path: bilinear resizing, float RGB
 * planes, reflect-padded crops and a luminance-only merge. No tf, no DOM: they run in any worker
 * and in Node tests, and cost a few ms at 1024 px (the networks cost hundreds).
 */
import type { RgbaImage } from './stylize.ts';

/** Interleaved RGB floats in [0, 1], `height × width × 3`, as the Magenta networks take them. */
export interface RgbFloat {
  width: number;
  height: number;
  data: Float32Array;
}

/** Bilinear resize (pixel centres aligned, as tf.image.resizeBilinear with halfPixelCenters). */
function resizeInterleaved(
  src: ArrayLike<number>,
  sw: number,
  sh: number,
  channels: number,
  srcChannels: number,
  dw: number,
  dh: number,
  scale: number,
): Float32Array {
  const out = new Float32Array(dw * dh * channels);
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = sy - y0;
    for (let x = 0; x < dw; x++) {
      const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = sx - x0;
      const a = (y0 * sw + x0) * srcChannels;
      const b = (y0 * sw + x1) * srcChannels;
      const c = (y1 * sw + x0) * srcChannels;
      const d = (y1 * sw + x1) * srcChannels;
      const o = (y * dw + x) * channels;
      for (let k = 0; k < channels; k++) {
        const top = src[a + k]! * (1 - wx) + src[b + k]! * wx;
        const bottom = src[c + k]! * (1 - wx) + src[d + k]! * wx;
        out[o + k] = (top * (1 - wy) + bottom * wy) * scale;
      }
    }
  }
  return out;
}

/** RGBA bytes → RGB floats in [0, 1] at `width × height` (bilinear; a copy when the size is the same). */
export function rgbaToRgbFloat(img: RgbaImage, width = img.width, height = img.height): RgbFloat {
  return {
    width,
    height,
    data: resizeInterleaved(img.data, img.width, img.height, 3, 4, width, height, 1 / 255),
  };
}

/** RGB floats → bilinear-resized RGB floats. */
export function resizeRgb(img: RgbFloat, width: number, height: number): RgbFloat {
  if (width === img.width && height === img.height)
    return { width, height, data: img.data.slice() };
  return {
    width,
    height,
    data: resizeInterleaved(img.data, img.width, img.height, 3, 3, width, height, 1),
  };
}

/** RGB floats in [0, 1] → opaque RGBA bytes (clamped, rounded). */
export function rgbFloatToRgba(img: RgbFloat): RgbaImage {
  const n = img.width * img.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[i * 4] = img.data[i * 3]! * 255 + 0.5;
    data[i * 4 + 1] = img.data[i * 3 + 1]! * 255 + 0.5;
    data[i * 4 + 2] = img.data[i * 3 + 2]! * 255 + 0.5;
    data[i * 4 + 3] = 255;
  }
  return { width: img.width, height: img.height, data };
}

/** Index of `i` reflected into [0, n) without repeating the edge (as tf.pad 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/** A `size × size` crop whose top-left is (x0, y0); pixels outside the image are mirrored in. */
export function cropReflect(img: RgbFloat, x0: number, y0: number, size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const sy = reflect(y0 + y, img.height);
    for (let x = 0; x < size; x++) {
      const s = (sy * img.width + reflect(x0 + x, img.width)) * 3;
      const o = (y * size + x) * 3;
      out[o] = img.data[s]!;
      out[o + 1] = img.data[s + 1]!;
      out[o + 2] = img.data[s + 2]!;
    }
  }
  return out;
}

// ITU-R BT.601 full-range YCbCr (JPEG's), the colour space of "luminance-only" transfer.
const KR = 0.299;
const KB = 0.114;
const KG = 1 - KR - KB;

/**
 * Luminance from `stylized`, chroma from `content` (same size): the stylization's strokes and
 * shading in the content's own colours (Gatys et al. 2016, "Preserving color in neural artistic
 * style transfer", luminance-only transfer). Values stay in [0, 1].
 */
export function keepContentColours(stylized: RgbFloat, content: RgbFloat): RgbFloat {
  if (stylized.width !== content.width || stylized.height !== content.height)
    throw new RangeError('keepContentColours: the two images differ in size');
  const n = stylized.width * stylized.height;
  const out = new Float32Array(n * 3);
  const s = stylized.data;
  const c = content.data;
  for (let i = 0; i < n * 3; i += 3) {
    const y = KR * s[i]! + KG * s[i + 1]! + KB * s[i + 2]!;
    const yc = KR * c[i]! + KG * c[i + 1]! + KB * c[i + 2]!;
    // Same chroma (Cb, Cr) as the content pixel, new luma: RGB shifts by the luma difference.
    const d = y - yc;
    out[i] = Math.min(1, Math.max(0, c[i]! + d));
    out[i + 1] = Math.min(1, Math.max(0, c[i + 1]! + d));
    out[i + 2] = Math.min(1, Math.max(0, c[i + 2]! + d));
  }
  return { width: stylized.width, height: stylized.height, data: out };
}
