/**
 * The synthetic style and content images of the instant-stylization reference test, computed
 * by the same integer formulas as scripts/style-reference/make-reference.py (style_pixel,
 * content_pixel), so the fixture needs no image and Python and TypeScript agree bit for bit.
 * Every intermediate stays a small non-negative integer, where JS and Python arithmetic match.
 */

/** Side of the style network's square input, in pixels. */
export const REFERENCE_STYLE_SIZE = 256;
/** Side of the transfer network's square input, in pixels. */
export const REFERENCE_CONTENT_SIZE = 384;

type PixelFormula = (x: number, y: number, c: number) => number;

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** 0..255 value of the style image at column x, row y, channel c: rings and diagonal stripes. */
export const stylePixel: PixelFormula = (x, y, c) => {
  const ring = floorDiv((x - 100) * (x - 100) + (y - 140) * (y - 140), 97) % 64;
  const stripe = floorDiv(x + 2 * y, 16) % 2;
  if (c === 0) return (ring * 4 + stripe * 40) % 256;
  if (c === 1) return (floorDiv(x * y, 64) + stripe * 120) % 256;
  return (255 - ring * 3 + floorDiv(x, 32) * 20) % 256;
};

/** 0..255 value of the content image: gradients, a 48-px checker and quadratic "noise". */
export const contentPixel: PixelFormula = (x, y, c) => {
  const gradient = floorDiv(x * (c + 1), 3) + floorDiv(y * (3 - c), 3);
  const checker = ((floorDiv(x, 48) + floorDiv(y, 48)) % 2) * 64;
  const noise = (x * x * 3 + y * y * 5 + x * y * 7 + c * 11) % 29;
  return (gradient + checker + noise) % 256;
};

/** The image as 0..255 bytes, rows of [x][channel] (HWC), as the script hashes it. */
export function referenceBytes(size: number, pixel: PixelFormula): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = pixel(x, y, c);
  return out;
}

/** The image as the networks take it: HWC float32 in [0, 1], each value byte / 255. */
export function referenceImage(size: number, pixel: PixelFormula): Float32Array {
  return Float32Array.from(referenceBytes(size, pixel), (v) => v / 255);
}
