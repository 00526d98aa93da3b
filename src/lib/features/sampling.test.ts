import { describe, expect, it } from 'vitest';
import { labelCounts, takeRows, zeroLabels, type LabelMatrix } from '../metrics/index.ts';
import { irPerLabel, meanIR, mlRos, mlRus, paperResample, resample } from './sampling.ts';
import { mulberry32, shuffleInPlace } from './random.ts';
import { CS109B_CSV, readCs109bMovies } from '../../test/cs109b-data.ts';
import { missingShared } from '../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the paper resampling of the real CS109b crawl',
  CS109B_CSV,
);
import { PAPER7, groupLabels } from './groups.ts';

/** Rows with exactly one label each, with the given counts. */
function disjoint(counts: number[]): LabelMatrix {
  const m = zeroLabels(
    counts.reduce((s, c) => s + c, 0),
    counts.length,
  );
  let r = 0;
  counts.forEach((c, l) => {
    for (let i = 0; i < c; i++, r++) m.data[r * m.cols + l] = 1;
  });
  return m;
}

/**
 * A multi-label matrix with exactly the given label counts: label l is put on `counts[l]` rows
 * drawn at random (seeded) from `pool` rows, independently of the other labels; rows left with
 * no label are removed (as groupLabels drops them).
 */
function withCounts(counts: number[], pool: number, seed: number): LabelMatrix {
  const rng = mulberry32(seed);
  const full = zeroLabels(pool, counts.length);
  counts.forEach((c, l) => {
    const rows = shuffleInPlace(
      rng,
      Array.from({ length: pool }, (_, i) => i),
    ).slice(0, c);
    for (const r of rows) full.data[r * full.cols + l] = 1;
  });
  const keep = Array.from({ length: pool }, (_, r) => r).filter((r) =>
    full.data.subarray(r * full.cols, (r + 1) * full.cols).some((v) => v),
  );
  return takeRows(full, keep);
}

const PAPER_BEFORE = [620, 5506, 982, 876, 1762, 3502, 2969];
const PAPER_AFTER = [2739, 8482, 4048, 3861, 4615, 6596, 6173];
const hasLabel = (m: LabelMatrix, r: number, l: number) => m.data[r * m.cols + l] === 1;

describe('imbalance measures', () => {
  it('IRLbl and MeanIR as in Charte et al. (2015)', () => {
    expect(irPerLabel([40, 10, 20, 0])).toEqual([1, 4, 2, NaN]);
    expect(meanIR([40, 10, 20, 0])).toBeCloseTo(7 / 3, 12);
  });
});

describe('resample', () => {
  const m = withCounts([50, 300, 80, 200], 500, 3);
  it("'none' is the identity", () => {
    expect(resample(m, { method: 'none', seed: 1 })).toEqual(
      Array.from({ length: m.rows }, (_, i) => i),
    );
  });
  for (const method of ['paper', 'ml-ros', 'ml-rus'] as const) {
    it(`${method} is deterministic per seed and changes with the seed`, () => {
      const a = resample(m, { method, seed: 11 });
      expect(resample(m, { method, seed: 11 })).toEqual(a);
      expect(resample(m, { method, seed: 12 })).not.toEqual(a);
      expect(a.every((r) => r >= 0 && r < m.rows)).toBe(true);
    });
  }
});

describe('ML-ROS', () => {
  // counts [40, 10, 10, 10]: IRLbl [1, 4, 4, 4], MeanIR 3.25; labels 1..3 are minority bags and
  // leave once count >= 40 / 3.25, i.e. 13. Round-robin: 1, 2, 3, 1, 2, 3, …
  it('clones floor(rows × P / 100) rows round-robin over the minority bags', () => {
    const m = disjoint([40, 10, 10, 10]);
    const idx = mlRos(m, 10, 5); // 7 clones
    expect(idx.length).toBe(77);
    expect(labelCounts(takeRows(m, idx))).toEqual([40, 13, 12, 12]);
  });
  it('stops when every minority label reaches MeanIR, even with clones left', () => {
    const m = disjoint([40, 10, 10, 10]);
    expect(labelCounts(takeRows(m, mlRos(m, 100, 5)))).toEqual([40, 13, 13, 13]);
  });
  it('raises the minority labels of a multi-label set and lowers MeanIR', () => {
    const m = withCounts(PAPER_BEFORE, 7000, 1);
    const before = labelCounts(m);
    const idx = mlRos(m, 25, 7);
    const after = labelCounts(takeRows(m, idx));
    const irBefore = irPerLabel(before);
    const irAfter = irPerLabel(after);
    const mean = meanIR(before);
    irBefore.forEach((ir, l) => {
      if (ir > mean) expect(irAfter[l]).toBeLessThan(ir);
    });
    expect(meanIR(after)).toBeLessThan(mean);
    // every clone comes from a minority bag
    const minority = irBefore.flatMap((ir, l) => (ir > mean ? [l] : []));
    expect(idx.slice(m.rows).every((r) => minority.some((l) => hasLabel(m, r, l)))).toBe(true);
    expect(idx.length).toBe(m.rows + Math.floor(m.rows / 4));
  });
});

describe('ML-RUS', () => {
  it('deletes floor(rows × P / 100) rows from the majority bag', () => {
    const m = disjoint([40, 10, 10, 10]);
    const idx = mlRus(m, 25, 5); // 17 deletions, all from label 0 (IRLbl 1 < MeanIR 3.25)
    expect(labelCounts(takeRows(m, idx))).toEqual([23, 10, 10, 10]);
  });
  it('never cuts a majority label below the count where its IRLbl reaches MeanIR', () => {
    const m = disjoint([40, 10, 10, 10]);
    // 63 allowed, but label 0 leaves its bag at 3 rows (10 / 3 = 3.33 >= 3.25): 37 deleted
    const idx = mlRus(m, 90, 5);
    expect(labelCounts(takeRows(m, idx))).toEqual([3, 10, 10, 10]);
  });
  // With co-occurring labels a deleted majority row often carries minority labels too, so MeanIR
  // can rise (it does here, 4.05 -> 4.14); the algorithm only promises where it deletes from.
  it('on a multi-label set deletes only rows carrying a majority label, cutting the largest label', () => {
    const m = withCounts(PAPER_BEFORE, 7000, 1);
    const before = labelCounts(m);
    const mean = meanIR(before);
    const majority = irPerLabel(before).flatMap((ir, l) => (ir < mean ? [l] : []));
    const idx = mlRus(m, 25, 7);
    const kept = new Set(idx);
    const deleted = Array.from({ length: m.rows }, (_, r) => r).filter((r) => !kept.has(r));
    expect(deleted.length).toBe(Math.floor(m.rows / 4));
    expect(deleted.every((r) => majority.some((l) => hasLabel(m, r, l)))).toBe(true);
    expect(labelCounts(takeRows(m, idx))[1]).toBeLessThan(
      before[1]! - deleted.length / majority.length,
    );
  });
});

describe('paper resampling', () => {
  it("raises every minority label to the mean on the paper's counts, limits majority growth", () => {
    const m = withCounts(PAPER_BEFORE, 7000, 1);
    const before = labelCounts(m);
    expect(before).toEqual(PAPER_BEFORE);
    const idx = paperResample(m, 42);
    const after = labelCounts(takeRows(m, idx));
    const target = Math.ceil(before.reduce((s, c) => s + c, 0) / before.length); // 2317
    console.info('paper counts before', before, 'after', after, 'rows', m.rows, '->', idx.length);
    console.info('paper own after', PAPER_AFTER);
    expect(idx.slice(0, m.rows)).toEqual(Array.from({ length: m.rows }, (_, i) => i)); // originals kept
    after.forEach((c, l) => expect(c).toBeGreaterThanOrEqual(Math.max(target, before[l]!)));
    // imbalance falls: MeanIR drops and the most/least frequent ratio (8.9 before) at least halves
    expect(meanIR(after)).toBeLessThan(meanIR(before));
    expect(Math.max(...after) / Math.min(...after)).toBeLessThan(
      Math.max(...before) / Math.min(...before) / 2,
    );
    // majority labels grow by less than the paper's own (×1.54, ×1.88, ×2.08 for groups 2, 6, 7)
    [1, 5, 6].forEach((l) =>
      expect(after[l]! / before[l]!).toBeLessThan(PAPER_AFTER[l]! / PAPER_BEFORE[l]!),
    );
    // pruning leaves no clone that every minority label could spare
    const clones = idx.slice(m.rows);
    const spare = clones.filter((r) =>
      before.every((b, l) => b >= target || !hasLabel(m, r, l) || after[l]! - 1 >= target),
    );
    expect(spare).toEqual([]);
  });
  it('clones nothing when no label is below the target', () => {
    const m = disjoint([5, 5, 5]);
    expect(paperResample(m, 1)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});

describe.skipIf(noData)('paper resampling on the CS109b crawl', () => {
  it('raises every PAPER7 group to the mean group count, originals untouched', () => {
    const labels = groupLabels(readCs109bMovies(true), PAPER7).labels;
    const before = labelCounts(labels); // [693, 2766, 484, 701, 966, 1722, 1064], see groups.test.ts
    const target = Math.ceil(before.reduce((s, c) => s + c, 0) / before.length);
    const idx = paperResample(labels, 42);
    const after = labelCounts(takeRows(labels, idx));
    console.info(
      'CS109b PAPER7 before',
      before,
      'after',
      after,
      'target',
      target,
      'rows',
      labels.rows,
      '->',
      idx.length,
    );
    after.forEach((c, l) => expect(c).toBeGreaterThanOrEqual(Math.max(target, before[l]!)));
  });
});
