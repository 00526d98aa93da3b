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

/** IMDb genre lists for labelledPosters, covering all 7 of the paper's groups and some overlap. */
const LABEL_SETS = [
  'Drama',
  'Comedy',
  'Action|Sci-Fi',
  'Horror|Thriller',
  'Romance|Drama',
  'Animation|Family',
  'War|History',
  'Fantasy|Adventure',
  'Crime|Mystery',
  'Music|Romance',
  'Comedy|Family',
  'Action|Crime|Thriller',
];

/**
 * A made-up labelled poster set in Kaggle's layout: `imdb_id,genres` CSV text for n movies
 * (tt9200001, …; IMDb genre names, `|`-separated, spread over every paper group by a seeded
 * generator) and one distinct JPEG per movie (`tt9200001.jpg`, …; 120×177 by default, Kaggle's
 * shape at two thirds of its size, as jpeg-js takes ~0.1 s per full-size poster), so poster
 * training and comparison journeys run without the shared data folder.
 */
export function labelledPosters(
  n: number,
  seed = 1,
  [width, height] = [120, 177],
): { csv: string; posters: { name: string; bytes: Uint8Array }[] } {
  const next = xorshift(seed);
  const ids = Array.from({ length: n }, (_, i) => `tt${9200001 + i}`);
  const rows = ids.map((id) => `${id},${LABEL_SETS[Math.floor(next() * LABEL_SETS.length)]}`);
  return {
    csv: ['imdb_id,genres', ...rows].join('\n') + '\n',
    posters: ids.map((id) => ({ name: `${id}.jpg`, bytes: posterJpeg(width, height, next) })),
  };
}

/** A seeded xorshift32 generator of numbers in [0, 1). */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * A poster-like JPEG (mostly smooth, unlike makeJpeg's pattern, so two decoders agree closely): a
 * vertical blend of two seeded colours, a seeded block, a little noise. 182×268 by default.
 */
export function madePoster(seed = 1, width = 182, height = 268): Uint8Array {
  return posterJpeg(width, height, xorshift(seed));
}

function posterJpeg(width: number, height: number, random: () => number): Uint8Array {
  const colour = () => [0, 1, 2].map(() => Math.floor(random() * 256));
  const [top, bottom, block] = [colour(), colour(), colour()];
  const bw = Math.floor(width * (0.2 + 0.5 * random()));
  const bh = Math.floor(height * (0.1 + 0.4 * random()));
  const bx = Math.floor(random() * (width - bw));
  const by = Math.floor(random() * (height - bh));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inBlock = x >= bx && x < bx + bw && y >= by && y < by + bh;
      for (let c = 0; c < 3; c++) {
        const blend = top[c]! + ((bottom[c]! - top[c]!) * y) / height;
        data[i + c] = Math.max(0, Math.min(255, (inBlock ? block[c]! : blend) + random() * 6 - 3));
      }
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 85).data);
}
