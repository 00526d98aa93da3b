/**
 * Seeded train/test splits and k-fold cross-validation for multi-label data, by iterative
 * stratification (Sechidis, Tsoumakas & Vlahavas 2011, "On the stratification of multi-label
 * data", ECML PKDD; the algorithm behind scikit-multilearn's IterativeStratification).
 * When movie keys are given, rows with the same key (duplicates of one movie) move together as
 * one unit, so a movie can never sit on both sides of a split.
 */
import type { LabelMatrix } from '../metrics/index.ts';
import { mulberry32, randomInt, shuffleInPlace, type Rng } from './random.ts';

export interface SplitOptions {
  seed: number;
  /** One key per row (e.g. Movie.key); rows sharing a key are kept in the same fold. */
  keys?: readonly string[];
}

/** Row indices of a training and a test part. */
export interface Split {
  train: number[];
  test: number[];
}

/** Rows grouped by key, groups in order of first appearance; without keys each row is its own group. */
export function groupRowsByKey(rows: number, keys?: readonly string[]): number[][] {
  if (!keys) return Array.from({ length: rows }, (_, r) => [r]);
  if (keys.length !== rows) throw new RangeError(`${keys.length} keys for ${rows} rows`);
  const byKey = new Map<string, number[]>();
  keys.forEach((k, r) => byKey.set(k, [...(byKey.get(k) ?? []), r]));
  return [...byKey.values()];
}

/** Index of the largest value; ties are broken by `tieBreak` (larger wins) and then at random. */
function argmaxRandom(rng: Rng, values: number[], tieBreak: number[]): number {
  let best: number[] = [];
  values.forEach((v, i) => {
    const b = best[0];
    if (b === undefined || v > values[b]! || (v === values[b]! && tieBreak[i]! > tieBreak[b]!))
      best = [i];
    else if (v === values[b]! && tieBreak[i] === tieBreak[b]) best.push(i);
  });
  return best[randomInt(rng, best.length)]!;
}

/**
 * Splits rows into folds of the given proportions (summing to 1). Each step takes the label with
 * the fewest remaining examples (ties at random) and gives each of its units to the fold that
 * most lacks that label (ties: the fold that most lacks rows, then at random). Units without a
 * label go last, each to the fold that most lacks rows. Returns each fold's rows, ascending.
 */
export function iterativeStratification(
  labels: LabelMatrix,
  proportions: readonly number[],
  options: SplitOptions,
): number[][] {
  const rng = mulberry32(options.seed);
  const { rows, cols, data } = labels;
  const units = shuffleInPlace(rng, groupRowsByKey(rows, options.keys));
  const unitLabels = units.map((members) => {
    const v = new Array<number>(cols).fill(0);
    for (const r of members) for (let c = 0; c < cols; c++) v[c]! += data[r * cols + c]!;
    return v;
  });
  const remaining = new Array<number>(cols).fill(0);
  unitLabels.forEach((v) => v.forEach((n, c) => (remaining[c]! += n)));
  const wantRows = proportions.map((p) => p * rows);
  const wantLabel = proportions.map((p) => remaining.map((n) => p * n));
  const fold = new Int32Array(units.length).fill(-1);
  const assign = (u: number, f: number) => {
    fold[u] = f;
    wantRows[f]! -= units[u]!.length;
    unitLabels[u]!.forEach((n, c) => {
      wantLabel[f]![c]! -= n;
      remaining[c]! -= n;
    });
  };
  for (;;) {
    const open = remaining.flatMap((n, c) => (n > 0 ? [c] : []));
    if (open.length === 0) break;
    const fewest = Math.min(...open.map((c) => remaining[c]!));
    const ties = open.filter((c) => remaining[c] === fewest);
    const label = ties[randomInt(rng, ties.length)]!;
    unitLabels.forEach((v, u) => {
      if (fold[u] !== -1 || v[label] === 0) return;
      const lack = wantLabel.map((w) => w[label]!);
      assign(u, argmaxRandom(rng, lack, wantRows));
    });
  }
  units.forEach((_, u) => {
    if (fold[u] === -1) assign(u, argmaxRandom(rng, wantRows, wantRows));
  });
  const out: number[][] = proportions.map(() => []);
  units.forEach((members, u) => out[fold[u]!]!.push(...members));
  return out.map((f) => f.sort((a, b) => a - b));
}

/** A stratified train/test split; testFraction in (0, 1). */
export function trainTestSplit(
  labels: LabelMatrix,
  options: SplitOptions & { testFraction: number },
): Split {
  const t = options.testFraction;
  if (!(t > 0 && t < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${t}`);
  const [test, train] = iterativeStratification(labels, [t, 1 - t], options);
  return { train: train!, test: test! };
}

/** k stratified folds; split i tests on fold i and trains on the others. */
export function kFold(labels: LabelMatrix, options: SplitOptions & { k: number }): Split[] {
  const { k } = options;
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  const folds = iterativeStratification(labels, new Array<number>(k).fill(1 / k), options);
  return folds.map((test, i) => ({
    test,
    train: folds.flatMap((f, j) => (j === i ? [] : f)).sort((a, b) => a - b),
  }));
}

/**
 * Throws when a test movie, or any row with the same key (a duplicate of it), is in the training
 * rows. Training indices may repeat (after over-sampling); they are mapped to keys first.
 */
export function assertNoLeak(
  trainIdx: readonly number[],
  testIdx: readonly number[],
  keys: readonly string[],
): void {
  const keyOf = (r: number) => {
    const k = keys[r];
    if (k === undefined) throw new RangeError(`row ${r} has no key (${keys.length} keys)`);
    return k;
  };
  const trainKeys = new Set(trainIdx.map(keyOf));
  const leaked = [...new Set(testIdx.map(keyOf).filter((k) => trainKeys.has(k)))];
  if (leaked.length > 0) {
    const shown = leaked.slice(0, 5).join(', ');
    throw new Error(
      `${leaked.length} test movie(s) also in training data: ${shown}${leaked.length > 5 ? ', …' : ''}`,
    );
  }
}
