import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, ExperimentSpec, ScalarMetrics } from '../../experiments/index.ts';
import type { RunRecord } from '../../storage/records.ts';
import { PRESETS } from '../train/spec-form.ts';
import { neutralizeCell, toCsv, toMarkdown } from './export.ts';
import {
  describeModel,
  distinctNames,
  nextSort,
  rowFromRun,
  sortRows,
  type CompareRow,
} from './table.ts';

const metrics = (h: number, e: number): ScalarMetrics => ({
  hammingLoss: h,
  exactMatch: e,
  atLeastOne: 0.8,
  microF1: 0.5,
  macroF1: 0.4,
  samplesF1: 0.45,
});

function run(
  id: string,
  spec: ExperimentSpec,
  test: ScalarMetrics | null,
  extra: Partial<RunRecord> = {},
): RunRecord {
  const result: ExperimentResult | null = test && {
    spec,
    test: { ...test, perLabel: [], thresholds: [] },
    cv: [
      { params: { C: 0.1 }, mean: metrics(0.3, 0.1), std: metrics(0.02, 0.01), folds: [] },
      { params: { C: 1 }, mean: metrics(0.2, 0.2), std: metrics(0.01, 0.03), folds: [] },
    ],
    best: { params: { C: 1, gamma: 'scale' }, index: 1 },
    timings: { fitMs: 1500, totalMs: 9000 },
    backend: 'wasm',
    versions: {},
    dataset: {
      movies: 10,
      dropped: 0,
      trainRows: 8,
      testRows: 2,
      sampledTrainRows: 8,
      labelNames: [],
      featureNames: [],
    },
  };
  return {
    id,
    createdAt: Number(id.replace(/\D/g, '')) || 0,
    kind: 'metadata',
    spec,
    result,
    status: test ? 'done' : 'failed',
    ...extra,
  };
}

const svm = PRESETS[0]!.spec;
const tuned = PRESETS[1]!.spec;

describe('rowFromRun', () => {
  it('reads test metrics, the best grid point’s CV mean ± std and the fit time', () => {
    const row = rowFromRun(run('r1', tuned, metrics(0.15, 0.3)))!;
    expect(row).toMatchObject({
      name: 'SVM, tuned',
      hammingLoss: 0.15,
      exactMatch: 0.3,
      cvMetric: 'hammingLoss',
      cvMean: 0.2,
      cvStd: 0.01,
      fitMs: 1500,
    });
    expect(row.model).toBe('svm C=1, gamma=scale (grid 12)');
    expect(row.features).toBe('paper numeric + certificate, standardize');
    expect(row.sampling).toBe('none');
  });

  it('keeps failed runs with their error and no metrics, and skips other kinds', () => {
    const row = rowFromRun(run('r2', svm, null, { error: 'boom' }))!;
    expect(row).toMatchObject({ status: 'failed', hammingLoss: null, cvMean: null, error: 'boom' });
    expect(rowFromRun({ ...run('r3', svm, null), kind: 'style' })).toBeNull();
  });

  it('describes an unrun grid by its values', () => {
    expect(describeModel(tuned)).toBe('svm C=0.1|1|10|100, gamma=scale|0.01|0.1 (grid 12)');
  });
});

describe('sortRows', () => {
  const rows = [
    rowFromRun(run('r1', svm, metrics(0.2, 0.1)))!,
    rowFromRun(run('r2', svm, null))!,
    rowFromRun(run('r3', svm, metrics(0.1, 0.3)))!,
    rowFromRun(run('r4', svm, metrics(0.2, 0.2)))!,
  ];
  const ids = (rs: CompareRow[]) => rs.map((r) => r.id);

  it('sorts numbers both ways, keeping ties in their order and nulls last', () => {
    expect(ids(sortRows(rows, 'hammingLoss', 'asc'))).toEqual(['r3', 'r1', 'r4', 'r2']);
    expect(ids(sortRows(rows, 'hammingLoss', 'desc'))).toEqual(['r1', 'r4', 'r3', 'r2']);
    expect(ids(sortRows(rows, 'exactMatch', 'desc'))).toEqual(['r3', 'r4', 'r1', 'r2']);
  });

  it('sorts text with numbers in natural order and does not mutate its input', () => {
    const named = ['run 10', 'run 9', 'Run 1'].map((name, i) => ({
      ...rows[0]!,
      id: `n${i}`,
      name,
    }));
    expect(sortRows(named, 'name', 'asc').map((r) => r.name)).toEqual(['Run 1', 'run 9', 'run 10']);
    expect(named.map((r) => r.name)).toEqual(['run 10', 'run 9', 'Run 1']);
  });

  it('flips direction on the same header, and starts best-first on a new one', () => {
    expect(nextSort({ key: 'hammingLoss', dir: 'asc' }, 'hammingLoss')).toBe('desc');
    expect(nextSort({ key: 'name', dir: 'asc' }, 'hammingLoss')).toBe('asc');
    expect(nextSort({ key: 'name', dir: 'asc' }, 'microF1')).toBe('desc');
  });
});

describe('distinctNames', () => {
  it('numbers repeated names from the second on', () => {
    expect(distinctNames(['SVM', 'MLP', 'SVM', 'SVM'])).toEqual([
      'SVM',
      'MLP',
      'SVM (2)',
      'SVM (3)',
    ]);
  });
});

describe('export', () => {
  const evil = rowFromRun(
    run('r1', { ...svm, name: '=HYPERLINK("http://x","y")' }, metrics(0.123456, 0.5)),
  )!;

  it('neutralizes cells a spreadsheet would run as formulas', () => {
    expect(
      ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', 'fine', ''].map(neutralizeCell),
    ).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", 'fine', '']);
  });

  it('writes CSV that parses back to the same cells, formulas neutralized, numbers rounded', () => {
    const csv = toCsv([evil, rowFromRun(run('r2', svm, null))!]);
    const back = Papa.parse<string[]>(csv.trim()).data;
    expect(back[0]).toEqual([
      'name',
      'model',
      'features',
      'sampling',
      'hamming_loss',
      'exact_match',
      'at_least_one',
      'micro_f1',
      'macro_f1',
      'cv_metric',
      'cv_mean',
      'cv_std',
      'fit_s',
      'status',
    ]);
    expect(back[1]?.[0]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(back[1]?.slice(4, 6)).toEqual(['0.1235', '0.5']);
    expect(back[1]?.[12]).toBe('1.5');
    expect(back[2]?.slice(4, 6)).toEqual(['', '']);
    expect(back[2]?.[13]).toBe('failed');
  });

  it('writes a Markdown table with escaped pipes, dashes for missing values and right-aligned numbers', () => {
    const md = toMarkdown([{ ...evil, name: 'a|b' }, rowFromRun(run('r2', svm, null))!]);
    const lines = md.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |',
    );
    expect(lines[2]).toMatch(/^\| a\\\|b \| svm C=1, gamma=scale \| .* \| 0\.1235 \| 0\.5 \|/);
    expect(lines[3]).toContain('| — |');
  });
});
