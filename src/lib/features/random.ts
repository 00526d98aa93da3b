/**
 * Seeded randomness for every resampling and split in the studio: mulberry32, a 32-bit
 * generator by Tommy Ettinger (public domain). It has a 2^32 period and passes gjrand's tests
 * at this size; plenty for shuffles of a few thousand movies, and the same seed gives the same
 * sequence on every JavaScript engine because it only uses 32-bit integer ops (Math.imul).
 */

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/** A mulberry32 generator; seeds are taken modulo 2^32. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/**
 * A seeded validation carve-out for a training loop's early stopping: shuffles the row indices
 * (one shuffle of rng), then the first round(rows × fraction) rows (at least 1) are validation
 * and the rest fit. No validation part when fraction is 0 or it would take every row.
 */
export function carveValidation(
  rng: Rng,
  rows: number,
  fraction: number,
): { fitIdx: number[]; valIdx: number[] } {
  const order = shuffleInPlace(
    rng,
    Array.from({ length: rows }, (_, i) => i),
  );
  const nVal = fraction > 0 ? Math.max(1, Math.round(rows * fraction)) : 0;
  const valIdx = nVal > 0 && nVal < rows ? order.slice(0, nVal) : [];
  return { fitIdx: valIdx.length ? order.slice(nVal) : order, valIdx };
}
