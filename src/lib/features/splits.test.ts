import { describe, expect, it } from 'vitest';
import { labelCounts, takeRows, zeroLabels, type LabelMatrix } from '../metrics/index.ts';
import { CS109B_CSV, readCs109bMovies } from '../../test/cs109b-data.ts';
import { missingShared } from '../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the splits of the real CS109b crawl (stratification, determinism, duplicates kept together)',
  CS109B_CSV,
);
import { PAPER7, groupLabels } from './groups.ts';
import { mulberry32, shuffleInPlace } from './random.ts';
import { mlRos, paperResample } from './sampling.ts';
import {
  assertNoLeak,
  groupRowsByKey,
  iterativeStratification,
  kFold,
  trainTestSplit,
} from './splits.ts';

/** Largest |share of rows with label l in a part − share in all rows| over parts and labels. */
function worstDeviation(labels: LabelMatrix, parts: number[][]): number {
  const global = labelCounts(labels).map((c) => c / labels.rows);
  let worst = 0;
  for (const part of parts) {
    const counts = labelCounts(takeRows(labels, part));
    counts.forEach((c, l) => (worst = Math.max(worst, Math.abs(c / part.length - global[l]!))));
  }
  return worst;
}

/** Largest |count of label l in a part − total count × part's target share| (equal parts). */
function worstCountDeviation(labels: LabelMatrix, parts: number[][]): number {
  const total = labelCounts(labels);
  let worst = 0;
  for (const part of parts) {
    const counts = labelCounts(takeRows(labels, part));
    counts.forEach((c, l) => (worst = Math.max(worst, Math.abs(c - total[l]! / parts.length))));
  }
  return worst;
}

/** Rows shuffled (seeded) and dealt into k folds, the naive baseline. */
function shuffledFolds(rows: number, k: number, seed: number): number[][] {
  const order = shuffleInPlace(
    mulberry32(seed),
    Array.from({ length: rows }, (_, i) => i),
  );
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

function expectPartition(parts: number[][], rows: number): void {
  const all = parts.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: rows }, (_, i) => i));
}

/** Random 0/1 rows with per-label rates (seeded). */
function randomLabels(rows: number, rates: number[], seed: number): LabelMatrix {
  const rng = mulberry32(seed);
  const m = zeroLabels(rows, rates.length);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng() < rates[i % rates.length]! ? 1 : 0;
  return m;
}

const deduped = groupLabels(noData ? [] : readCs109bMovies(true), PAPER7).labels; // 4,098 movies
const allRows = noData ? [] : readCs109bMovies(false); // 7,220 rows, duplicates included
const withDupes = groupLabels(allRows, PAPER7);
const dupeKeys = withDupes.kept.map((i) => allRows[i]!.key);

describe('iterative stratification', () => {
  it.skipIf(noData)('5 folds partition the CS109b movies and balance every group', () => {
    const folds = kFold(deduped, { k: 5, seed: 1 });
    const tests = folds.map((f) => f.test);
    expectPartition(tests, deduped.rows);
    folds.forEach((f) => expectPartition([f.train, f.test], deduped.rows));
    // Sechidis et al. balance label COUNTS (fold size only breaks ties): each group's count in
    // each fold is within 1 of total / 5 (measured 0.8 for seeds 1-4; a plain shuffle: 17-29).
    const naive = shuffledFolds(deduped.rows, 5, 1);
    expect(worstCountDeviation(deduped, tests)).toBeLessThan(1);
    expect(worstCountDeviation(deduped, naive)).toBeGreaterThan(5);
    // Multi-label rows make fold sizes drift from 819.6 (measured 812-839 for seed 1,
    // 808-844 over seeds 1-3), so label SHARES drift too: measured worst 0.8-2.0 points over
    // seeds 1-4 (shuffle: 2.1-3.5). Tolerances: 4 % in size, 2.5 points in share.
    tests.forEach((t) => expect(Math.abs(t.length - deduped.rows / 5)).toBeLessThan(33));
    const worst = worstDeviation(deduped, tests);
    console.info(
      'worst share deviation: stratified',
      worst,
      'shuffled',
      worstDeviation(deduped, naive),
    );
    expect(worst).toBeLessThan(0.025);
  });
  it('keeps rare labels of a synthetic matrix within 1.5 points, empty rows included', () => {
    const m = randomLabels(1000, [0.02, 0.5, 0.1, 0.3, 0.05], 9); // some rows have no label
    const parts = iterativeStratification(m, [0.2, 0.3, 0.5], { seed: 4 });
    expectPartition(parts, 1000);
    expect(parts.map((p) => p.length)).toEqual([200, 300, 500]);
    expect(worstDeviation(m, parts)).toBeLessThan(0.015);
  });
  it.skipIf(noData)('is deterministic per seed', () => {
    const a = trainTestSplit(deduped, { testFraction: 0.2, seed: 3 });
    expect(trainTestSplit(deduped, { testFraction: 0.2, seed: 3 })).toEqual(a);
    expect(trainTestSplit(deduped, { testFraction: 0.2, seed: 4 }).test).not.toEqual(a.test);
  });
  it('rejects bad fractions, k and key counts', () => {
    expect(() => trainTestSplit(deduped, { testFraction: 1, seed: 1 })).toThrow(RangeError);
    expect(() => kFold(deduped, { k: 1, seed: 1 })).toThrow(RangeError);
    expect(() => groupRowsByKey(3, ['a'])).toThrow(RangeError);
  });
});

describe.skipIf(noData)('no leakage through duplicates', () => {
  it('the CS109b rows hold duplicates of the same movie', () => {
    expect(new Set(dupeKeys).size).toBeLessThan(dupeKeys.length);
  });
  it('a naive row-level split leaks test movies into training', () => {
    const order = shuffleInPlace(
      mulberry32(2),
      Array.from({ length: dupeKeys.length }, (_, i) => i),
    );
    const cut = Math.round(order.length * 0.8);
    expect(() => assertNoLeak(order.slice(0, cut), order.slice(cut), dupeKeys)).toThrow(
      /also in training/,
    );
  });
  it('splitting by key keeps duplicates together, also after over-sampling the training rows', () => {
    const { train, test } = trainTestSplit(withDupes.labels, {
      testFraction: 0.2,
      seed: 5,
      keys: dupeKeys,
    });
    expectPartition([train, test], dupeKeys.length);
    expect(() => assertNoLeak(train, test, dupeKeys)).not.toThrow();
    const trainLabels = takeRows(withDupes.labels, train);
    for (const local of [mlRos(trainLabels, 25, 1), paperResample(trainLabels, 1)]) {
      const sampled = local.map((i) => train[i]!); // back to dataset rows
      expect(sampled.length).toBeGreaterThan(train.length);
      expect(() => assertNoLeak(sampled, test, dupeKeys)).not.toThrow();
    }
    // and the guard does fire when a test row slips in
    expect(() => assertNoLeak([...train, test[0]!], test, dupeKeys)).toThrow(/1 test movie/);
  });
  it('k-fold by key never splits a movie across folds', () => {
    for (const f of kFold(withDupes.labels, { k: 4, seed: 8, keys: dupeKeys })) {
      expect(() => assertNoLeak(f.train, f.test, dupeKeys)).not.toThrow();
    }
  });
});
