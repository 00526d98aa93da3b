/**
 * Tests only: poster images we make ourselves (jpeg-js encodes a seeded pattern), so poster tests
 * run on a clone without the shared data folder. Sizes and names copy the two real sets: TMDb-named
 * 92×138 posters (cs109b) and IMDb-named 182×268 posters (Kaggle).
 */
import jpeg from 'jpeg-js';

/** A width×height JPEG of a seeded colour pattern (quality 85). */
export function makeJpeg(width: number, height: number, seed = 1): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 3 + seed * 37) & 0xff;
      data[i + 1] = (y * 2 + seed * 91) & 0xff;
      data[i + 2] = ((x ^ y) + seed * 13) & 0xff;
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 85).data);
}

/**
 * n posters named like cs109b's (`10001.jpg`, …, 92×138) followed by n named like Kaggle's
 * (`tt9100001.jpg`, …, 182×268); sorted by name like a folder listing. jpeg-js is slow, so each
 * kind is one image under many names.
 */
export function madePosters(n: number): { name: string; bytes: Uint8Array }[] {
  const small = makeJpeg(92, 138, 1);
  const large = makeJpeg(182, 268, 2);
  return [
    ...Array.from({ length: n }, (_, i) => ({ name: `${10001 + i}.jpg`, bytes: small })),
    ...Array.from({ length: n }, (_, i) => ({ name: `tt${9100001 + i}.jpg`, bytes: large })),
  ];
}
