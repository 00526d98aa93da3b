/**
 * Multi-label resampling of a TRAINING set. Every method returns row indices into the training
 * label matrix (clones repeat an index), so features and labels are taken with the same indices
 * and stay aligned. Labels no row carries are ignored (their imbalance ratio would be infinite).
 */
import { labelCounts, type LabelMatrix } from '../metrics/index.ts';
import { mulberry32, randomInt, shuffleInPlace, type Rng } from './random.ts';

/** Which resampling to apply. */
export type SamplingMethod = 'none' | 'paper' | 'ml-ros' | 'ml-rus';

export interface SamplingOptions {
  method: SamplingMethod;
  seed: number;
  /** ML-ROS / ML-RUS: share of the training rows to clone or delete, in percent (Charte's P). */
  percentage?: number;
  /** 'paper': minority labels are raised to this fraction of the mean label count. */
  targetFraction?: number;
}

/** Defaults: Charte et al. report P = 25 % as a good general choice; the paper raises to the mean. */
export const DEFAULT_SAMPLING = { percentage: 25, targetFraction: 1 } as const;

/** Resamples with the chosen method; 'none' returns 0..rows−1. */
export function resample(labels: LabelMatrix, options: SamplingOptions): number[] {
  const percentage = options.percentage ?? DEFAULT_SAMPLING.percentage;
  switch (options.method) {
    case 'none':
      return Array.from({ length: labels.rows }, (_, i) => i);
    case 'paper':
      return paperResample(
        labels,
        options.seed,
        options.targetFraction ?? DEFAULT_SAMPLING.targetFraction,
      );
    case 'ml-ros':
      return mlRos(labels, percentage, options.seed);
    case 'ml-rus':
      return mlRus(labels, percentage, options.seed);
  }
}

/** Charte's imbalance ratio per label: IRLbl(λ) = (count of the most frequent label) / count(λ); NaN for absent labels. */
export function irPerLabel(counts: readonly number[]): number[] {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (c > 0 ? max / c : NaN));
}

/** Mean of IRLbl over the labels present. */
export function meanIR(counts: readonly number[]): number {
  const irs = irPerLabel(counts).filter((v) => !Number.isNaN(v));
  return irs.length === 0 ? NaN : irs.reduce((s, v) => s + v, 0) / irs.length;
}

function labelsOfRows(m: LabelMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => {
    const out: number[] = [];
    for (let c = 0; c < m.cols; c++) if (m.data[r * m.cols + c]) out.push(c);
    return out;
  });
}

function bagsOf(rowLabels: number[][], cols: number): number[][] {
  const bags: number[][] = Array.from({ length: cols }, () => []);
  rowLabels.forEach((ls, r) => ls.forEach((l) => bags[l]!.push(r)));
  return bags;
}

function weightedPick(
  rng: Rng,
  items: readonly number[],
  weight: (item: number) => number,
): number {
  const ws = items.map(weight);
  let u = rng() * ws.reduce((s, w) => s + w, 0);
  for (let i = 0; i < items.length; i++) {
    u -= ws[i]!;
    if (u < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/**
 * The paper's idea ("over-sample minority labels up to the mean label count, limit the growth of
 * the majority labels"), made precise for movies that carry several labels:
 *  1. target = ceil(targetFraction × mean count of the present labels); minority = count < target.
 *  2. Over-sample: while some label is below target, take the lowest such label, and clone one of
 *     its ORIGINAL movies, drawn with weight 1 / (1 + number of its labels already at or above
 *     target), so movies whose other labels are majority labels are cloned less often.
 *  3. Under-sample the clones: visit them in random order and drop each one whose minority labels
 *     all stay at or above target without it (greedy raising overshoots; every dropped clone is
 *     growth of majority labels that no minority label needed). Original rows are never removed.
 * The paper's own counts rose for every group (620 → 2739 … 2969 → 6173), so it did not remove
 * original movies either; its exact procedure is not given, so its figures are not reproduced.
 */
export function paperResample(labels: LabelMatrix, seed: number, targetFraction = 1): number[] {
  const rng = mulberry32(seed);
  const rowLabels = labelsOfRows(labels);
  const bags = bagsOf(rowLabels, labels.cols);
  const counts = labelCounts(labels);
  const present = counts.filter((c) => c > 0);
  const target = Math.ceil(
    (targetFraction * present.reduce((s, c) => s + c, 0)) / Math.max(1, present.length),
  );
  const minority = counts.map((c) => c > 0 && c < target);
  const clones: number[] = [];
  for (;;) {
    let low = -1;
    counts.forEach((c, l) => {
      if (c > 0 && c < target && (low < 0 || c < counts[low]!)) low = l;
    });
    if (low < 0) break;
    const satisfied = (r: number) => rowLabels[r]!.filter((l) => counts[l]! >= target).length;
    const r = weightedPick(rng, bags[low]!, (row) => 1 / (1 + satisfied(row)));
    clones.push(r);
    for (const l of rowLabels[r]!) counts[l]! += 1;
  }
  const kept: number[] = [];
  for (const r of shuffleInPlace(rng, clones)) {
    const needed = rowLabels[r]!.some((l) => minority[l] && counts[l]! - 1 < target);
    if (needed) kept.push(r);
    else for (const l of rowLabels[r]!) counts[l]! -= 1;
  }
  return [...Array.from({ length: labels.rows }, (_, i) => i), ...kept.sort((a, b) => a - b)];
}

/**
 * ML-ROS (Charte et al. 2015, Neurocomputing 163, Algorithm 1): clone floor(rows × P / 100) rows.
 * Minority bags = rows of each label with IRLbl > MeanIR (MeanIR fixed at the start); round-robin
 * over the bags, clone a random row of the bag and drop the bag once its label's IRLbl, recomputed
 * on the grown set, is ≤ MeanIR. Stops early when no bag is left. Clones are drawn from the
 * original rows of the bag. Returns 0..rows−1 followed by the cloned indices.
 */
export function mlRos(labels: LabelMatrix, percentage: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const rowLabels = labelsOfRows(labels);
  const bags = bagsOf(rowLabels, labels.cols);
  const counts = labelCounts(labels);
  const mean = meanIR(counts);
  let active = irPerLabel(counts).flatMap((ir, l) => (ir > mean ? [l] : []));
  let toClone = Math.floor((labels.rows * percentage) / 100);
  const clones: number[] = [];
  while (toClone > 0 && active.length > 0) {
    const excluded = new Set<number>();
    for (const l of active) {
      if (toClone <= 0) break;
      const bag = bags[l]!;
      const r = bag[randomInt(rng, bag.length)]!;
      clones.push(r);
      for (const x of rowLabels[r]!) counts[x]! += 1;
      if (irPerLabel(counts)[l]! <= mean) excluded.add(l); // checked right after this bag's clone
      toClone--;
    }
    active = active.filter((l) => !excluded.has(l));
  }
  return [...Array.from({ length: labels.rows }, (_, i) => i), ...clones];
}

/**
 * ML-RUS (Charte et al. 2015, Algorithm 2): delete up to floor(rows × P / 100) rows. Majority
 * bags = rows of each label with IRLbl < MeanIR (fixed at the start); round-robin over the bags,
 * delete a random remaining row of the bag and drop the bag once its label's IRLbl, recomputed on
 * the shrunk set, is ≥ MeanIR (or the bag is empty). So a majority label is never cut below the
 * count where its imbalance ratio reaches MeanIR, and a row carrying no majority label is never
 * deleted. Returns the remaining indices in ascending order.
 */
export function mlRus(labels: LabelMatrix, percentage: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const rowLabels = labelsOfRows(labels);
  const bags = bagsOf(rowLabels, labels.cols);
  const counts = labelCounts(labels);
  const mean = meanIR(counts);
  const deleted = new Uint8Array(labels.rows);
  let active = irPerLabel(counts).flatMap((ir, l) => (ir < mean ? [l] : []));
  let toDelete = Math.floor((labels.rows * percentage) / 100);
  while (toDelete > 0 && active.length > 0) {
    const excluded = new Set<number>();
    for (const l of active) {
      if (toDelete <= 0) break;
      const r = takeAlive(rng, bags[l]!, deleted);
      if (r >= 0) {
        deleted[r] = 1;
        for (const x of rowLabels[r]!) counts[x]! -= 1;
        toDelete--;
      }
      // checked right after this bag's deletion; an emptied bag is dropped too
      if (r < 0 || counts[l] === 0 || irPerLabel(counts)[l]! >= mean) excluded.add(l);
    }
    active = active.filter((l) => !excluded.has(l));
  }
  return Array.from({ length: labels.rows }, (_, i) => i).filter((i) => !deleted[i]);
}

/** Removes and returns a random not-yet-deleted row of the bag (dead rows are swept lazily), or −1. */
function takeAlive(rng: Rng, bag: number[], deleted: Uint8Array): number {
  while (bag.length > 0) {
    const i = randomInt(rng, bag.length);
    const r = bag[i]!;
    bag[i] = bag[bag.length - 1]!;
    bag.pop();
    if (!deleted[r]) return r;
  }
  return -1;
}
