import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  testRanking,
  type ExperimentResult,
  type ExperimentSpec,
  type ScalarMetrics,
} from '../../experiments/index.ts';
import { labelsFromRows } from '../../metrics/label-matrix.ts';
import type { RunRecord } from '../../storage/records.ts';
import { PRESETS } from '../train/spec-form.ts';
import { RANKING_EXPORT_COLUMNS, toCsv } from './export.ts';
import { curveCharts, missingRankingText, rankingFigures, rankingRows } from './ranking-detail.ts';
import { nextSort, rowFromRun, sortRows, RANKING_COLUMNS, type CompareRow } from './table.ts';

const scalars: ScalarMetrics = {
  hammingLoss: 0.2,
  exactMatch: 0.3,
  atLeastOne: 0.8,
  microF1: 0.5,
  macroF1: 0.4,
  samplesF1: 0.45,
};
const truth = labelsFromRows([
  [1, 0, 0],
  [0, 1, 0],
  [1, 1, 0],
  [0, 0, 0],
  [1, 0, 0],
]);
// Label 2 is never true: its ROC AUC is undefined (null once stored).
const scores = Float32Array.of(
  0.9,
  0.2,
  0.1,
  0.3,
  0.6,
  0.2,
  0.8,
  0.7,
  0.4,
  0.1,
  0.4,
  0.3,
  0.4,
  0.1,
  0.2,
);
const names = ['War & History', 'Comedy', 'Fantasy'];

/** A stored run as IndexedDB gives it back: through JSON, with or without the ranking section. */
function stored(id: string, withRanking: boolean): RunRecord {
  const spec: ExperimentSpec = PRESETS[0]!.spec;
  const test: ExperimentResult['test'] = {
    ...scalars,
    perLabel: names.map((name) => ({ name, precision: 0.5, recall: 0.5, f1: 0.5, support: 2 })),
    thresholds: [0.5, 0.5, 0.5],
    ...(withRanking ? testRanking({ truth, scores }, [0.5, 0.5, 0.5]) : {}),
  };
  const result: ExperimentResult = {
    spec,
    test,
    cv: [],
    best: { params: {}, index: 0 },
    timings: { fitMs: 1, totalMs: 2 },
    backend: 'cpu',
    versions: {},
    dataset: {
      movies: 5,
      dropped: 0,
      trainRows: 0,
      testRows: 5,
      sampledTrainRows: 0,
      labelNames: names,
      featureNames: [],
    },
  };
  return JSON.parse(
    JSON.stringify({ id, createdAt: 1, kind: 'metadata', spec, result, status: 'done' }),
  ) as RunRecord;
}

describe('Compare rows: ranking cells', () => {
  it('an old stored run without ranking metrics loads with every ranking cell null', () => {
    const row = rowFromRun(stored('old', false))!;
    expect(row.hammingLoss).toBe(0.2);
    for (const c of RANKING_COLUMNS.filter((c) => c.num))
      expect(row[c.key as keyof CompareRow], c.key).toBeNull();
  });
  it('a new run fills them from its stored ranking section', () => {
    const run = stored('new', true);
    const m = (run.result as ExperimentResult).test.ranking!;
    const row = rowFromRun(run)!;
    expect(row.microAuc).toBe(m.rocAuc.micro);
    expect(row.macroAuc).toBe(m.rocAuc.macro);
    expect(row.logLoss).toBe(m.logLoss);
    expect(row.coverageError).toBe(m.coverageError);
    expect(row.rankingLoss).toBe(m.labelRankingLoss);
    expect(row.microAuc).toBeGreaterThan(0.5);
  });
  it('sorts AUC best first and leaves runs without it last', () => {
    const rows = [rowFromRun(stored('a', false))!, rowFromRun(stored('b', true))!];
    expect(nextSort({ key: 'name', dir: 'asc' }, 'microAuc')).toBe('desc');
    expect(nextSort({ key: 'name', dir: 'asc' }, 'logLoss')).toBe('asc');
    expect(sortRows(rows, 'microAuc', 'desc').map((r) => r.id)).toEqual(['b', 'a']);
  });
  it('exports the ranking column set as CSV with empty cells for old runs', () => {
    const csv = toCsv(
      [rowFromRun(stored('b', true))!, rowFromRun(stored('a', false))!],
      RANKING_EXPORT_COLUMNS,
    );
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed[0]).toContain('roc_auc_micro');
    expect(Number(parsed[1]![2])).toBeGreaterThan(0.5);
    expect(parsed[2]!.slice(2, -1).every((c) => c === '')).toBe(true);
  });
});

describe('ranking detail', () => {
  const test = (stored('n', true).result as ExperimentResult).test;
  it('says why an old run has no ranking section', () => {
    const old = (stored('o', false).result as ExperimentResult).test;
    expect(missingRankingText(old)).toMatch(/saved before/);
    expect(missingRankingText({ ...old, rankingNote: 'score 3 is 1.2' })).toMatch(
      /score 3 is 1\.2/,
    );
    expect(missingRankingText(test)).toBeNull();
    expect(curveCharts(old)).toEqual([]);
    expect(rankingRows(old)).toEqual([]);
  });
  it('lists the figures, and a dash for an undefined AUC', () => {
    const f = rankingFigures(test.ranking!);
    expect(f.map((x) => x.label)).toContain('ROC AUC micro');
    expect(f.find((x) => x.label === 'Coverage error')!.value).toMatch(/^\d\.\d\d$/);
    const rows = rankingRows(test);
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows[2]!.auc).toBe('—'); // Fantasy never occurs in the truth
    // Confusion counts at 0.5: War & History (scores 0.9, 0.3, 0.8, 0.1, 0.4; true in rows 0, 2,
    // 4) is predicted for rows 0 and 2 only.
    expect(rows[0]).toMatchObject({ tp: 2, fp: 0, fn: 1, tn: 2 });
  });
  it('builds three charts of per-label curves plus the pooled one', () => {
    const charts = curveCharts(test);
    expect(charts.map((c) => c.kind)).toEqual(['roc', 'pr', 'reliability']);
    for (const c of charts) expect(c.series).toHaveLength(4);
    expect(charts[0]!.series[2]!.x).toEqual([]); // no ROC for a one-class label
    expect(charts[0]!.figures[2]).toBeNull();
    expect(charts[2]!.figures[3]).toBeCloseTo(test.ranking!.ece, 12);
  });
});
