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
