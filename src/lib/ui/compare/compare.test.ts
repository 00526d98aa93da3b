import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, ExperimentSpec, ScalarMetrics } from '../../experiments/index.ts';
import type { RunRecord } from '../../storage/records.ts';
import { PRESETS } from '../train/spec-form.ts';
import { POSTER_PRESETS } from '../train/poster-form.ts';
import { TABLE2_EXPORT_COLUMNS, toCsv, toMarkdown } from './export.ts';
import {
  dataChoices,
  dataOf,
  describeModel,
  describePosterModel,
  filterRows,
  distinctNames,
  nextSort,
  rowFromRun,
  rowsForView,
  sortRows,
  TABLE2_COLUMNS,
  type CompareRow,
  type PosterRun,
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
    const names = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=1\n+2', 'fine', ''];
    const rows = names.map((name, i) => rowFromRun(run(`r${i}`, { ...svm, name }, null))!);
    const back = Papa.parse<string[]>(toCsv(rows).trim()).data.slice(1);
    expect(back.map((r) => r[0])).toEqual([...names.slice(0, 7).map((n) => `'${n}`), 'fine', '']);
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
      'backend',
      'status',
    ]);
    expect(back[1]?.[0]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(back[1]?.slice(4, 6)).toEqual(['0.1235', '0.5']);
    expect(back[1]?.[12]).toBe('1.5');
    expect(back[2]?.slice(4, 6)).toEqual(['', '']);
    expect(back[2]?.[13]).toBe(''); // no backend: the run failed
    expect(back[2]?.[14]).toBe('failed');
  });

  it('writes a Markdown table with escaped pipes, dashes for missing values and right-aligned numbers', () => {
    const md = toMarkdown([{ ...evil, name: 'a|b' }, rowFromRun(run('r2', svm, null))!]);
    const lines = md.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |',
    );
    expect(lines[2]).toMatch(/^\| a\\\|b \| svm C=1, gamma=scale \| .* \| 0\.1235 \| 0\.5 \|/);
    expect(lines[3]).toContain('| — |');
  });
});

const posterPreset = (id: string) => POSTER_PRESETS.find((p) => p.id === id)!.spec;

/** A saved poster run; `extra` fills in result fields (best point, curves, PCA components). */
function posterRun(
  id: string,
  spec: PosterRun['spec'],
  test: ScalarMetrics | null,
  extra: {
    best?: Record<string, string | number | boolean | null>;
    cv?: ScalarMetrics[];
    epochs?: number;
    pcaComponents?: number;
  } = {},
): PosterRun {
  const curve = (epoch: number) => ({
    epoch,
    loss: 0.6,
    valLoss: 0.6,
    valAccuracy: 0.7,
    elapsedMs: 1,
  });
  const cv = (extra.cv ?? []).map((m) => ({ params: {}, mean: m, std: metrics(0, 0), folds: [m] }));
  const bestIndex = cv.reduce(
    (b, e, i) => (e.mean.hammingLoss < cv[b]!.mean.hammingLoss ? i : b),
    0,
  );
  return {
    id,
    createdAt: 1,
    kind: 'posters',
    spec,
    status: test ? 'done' : 'cancelled',
    result: test && {
      spec,
      test: { ...test, perLabel: [], thresholds: [] },
      cv,
      best: { params: extra.best ?? {}, index: bestIndex },
      timings: { fitMs: 61_000, totalMs: 90_000 },
      backend: 'wasm',
      versions: {},
      dataset: {
        movies: 40,
        dropped: 2,
        trainRows: 32,
        testRows: 8,
        sampledTrainRows: 32,
        labelNames: [],
        featureNames: ['pixels 148×100 rgb'],
      },
      posters: {
        curves: Array.from({ length: extra.epochs ?? 0 }, (_, i) => curve(i + 1)),
        examples: [],
        fromCache: 0,
        ...(extra.pcaComponents === undefined ? {} : { pcaComponents: extra.pcaComponents }),
      },
    },
    ...(test ? {} : { error: 'Cancelled.' }),
  };
}

describe('describePosterModel', () => {
  it('names the CNN preset, its training settings and the augmentations that are on', () => {
    const spec = posterPreset('cnn-augment');
    expect(describePosterModel(spec)).toBe(
      'cnn tuned, batch 16, 20 epochs, adam, aug flip+shift+zoom+rotation+colour',
    );
    const some = {
      model: {
        kind: 'cnn',
        params: { preset: 'tuned', filters: 64, augFlip: true, augShift: 0.1, augZoom: 0 },
      },
    };
    expect(describePosterModel(some)).toBe('cnn tuned, filters 64, aug flip+shift');
  });

  it('shows an unrun grid by its values and a finished one by its chosen point', () => {
    const grid = posterPreset('cnn-grid');
    expect(describePosterModel(grid)).toBe(
      'cnn initial, filters 64|128, batch 16|32, 20|50 epochs, adam|rmsprop, binary|categorical loss (grid 32)',
    );
    const best = {
      preset: 'initial',
      filters: 128,
      batchSize: 32,
      epochs: 20,
      optimizer: 'rmsprop',
      loss: 'categorical',
      augFlip: false,
      augShift: 0,
    };
    expect(describePosterModel(grid, best)).toBe(
      'cnn initial, filters 128, batch 32, 20 epochs, rmsprop, categorical loss (grid 32)',
    );
  });

  it('writes the PCA baseline as variance → classifier, and transfer as backbone + head', () => {
    expect(describePosterModel(posterPreset('pca-svm'))).toBe('pca-svm 90 % → svm C=1');
    expect(describePosterModel(posterPreset('pca-forest'), undefined, 166)).toBe(
      'pca-svm 90 % (166 components) → forest',
    );
    expect(describePosterModel(posterPreset('mobilenet'))).toBe(
      'transfer mobilenetv2-0.35 + MLP 256',
    );
    expect(describePosterModel(posterPreset('vgg16-fine-tune'))).toBe(
      'transfer vgg16 + MLP 256, last block fine-tuned 5 epochs',
    );
    expect(describePosterModel(posterPreset('vgg16'), { fineTuneEpochs: 0 })).toBe(
      'transfer vgg16 + MLP 256',
    );
  });
});

describe('poster rows', () => {
  it('read test metrics, epochs trained, fit time, backend and the best validation score of a grid', () => {
    const row = rowFromRun(
      posterRun('p1', posterPreset('cnn-grid'), metrics(0.25, 0.125), {
        cv: [metrics(0.3, 0), metrics(0.2, 0)],
        best: { preset: 'initial', filters: 64 },
        epochs: 7,
      }),
    )!;
    expect(row).toMatchObject({
      kind: 'posters',
      name: 'CNN, grid search',
      status: 'done',
      hammingLoss: 0.25,
      exactMatch: 0.125,
      epochs: 7,
      fitMs: 61_000,
      backend: 'wasm',
      cvMean: 0.2,
      cvStd: null,
      features: 'pixels 148×100 rgb',
      sampling: 'none',
    });
    expect(row.model).toMatch(/^cnn initial, filters 64, .*\(grid 32\)$/);
  });

  it('leave epochs empty for the PCA baseline and keep cancelled runs without metrics', () => {
    const pca = rowFromRun(
      posterRun('p2', posterPreset('pca-svm'), metrics(0.2, 0.1), { pcaComponents: 12 }),
    )!;
    expect(pca).toMatchObject({
      epochs: null,
      cvMean: null,
      model: 'pca-svm 90 % (12 components) → svm C=1',
    });
    const cancelled = rowFromRun(
      posterRun('p3', { ...posterPreset('cnn-initial'), limit: 40 }, null),
    )!;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      hammingLoss: null,
      epochs: null,
      backend: null,
      error: 'Cancelled.',
      sampling: 'first 40 posters',
      features: 'pixels 148×100 rgb',
    });
  });

  it('Table 2 view keeps poster runs only and exports its own columns', () => {
    const rows = [
      rowFromRun(run('m1', svm, metrics(0.2, 0.1)))!,
      rowFromRun(
        posterRun('p1', posterPreset('cnn-initial'), metrics(0.25, 0.125), { epochs: 2 }),
      )!,
    ];
    expect(rowsForView(rows, 'table1').map((r) => r.id)).toEqual(['m1', 'p1']);
    const t2 = rowsForView(rows, 'table2');
    expect(t2.map((r) => r.id)).toEqual(['p1']);
    expect(TABLE2_COLUMNS.map((c) => c.key)).toEqual([
      'name',
      'model',
      'hammingLoss',
      'exactMatch',
      'atLeastOne',
      'microF1',
      'macroF1',
      'epochs',
      'fitMs',
      'backend',
    ]);
    const back = Papa.parse<string[]>(toCsv(t2, TABLE2_EXPORT_COLUMNS).trim()).data;
    expect(back).toEqual([
      [
        'name',
        'model',
        'hamming_loss',
        'exact_match',
        'at_least_one',
        'micro_f1',
        'macro_f1',
        'epochs_trained',
        'training_s',
        'backend',
        'status',
      ],
      [
        'CNN, initial',
        'cnn initial, batch 16, 20 epochs, adam',
        '0.25',
        '0.125',
        '0.8',
        '0.5',
        '0.4',
        '2',
        '61',
        'wasm',
        'done',
      ],
    ]);
    expect(toMarkdown(t2, TABLE2_EXPORT_COLUMNS).split('\n')[0]).toBe(
      '| name | model | hamming_loss | exact_match | at_least_one | micro_f1 | macro_f1 | epochs_trained | training_s | backend | status |',
    );
  });
});

describe('runs on the same data', () => {
  const on = (id: string, movies: number, status: RunRecord['status'] = 'done'): CompareRow => {
    const row = rowFromRun(run(id, svm, metrics(0.2, 0.3), { status }))!;
    const test = Math.round(movies / 5);
    return {
      ...row,
      data:
        status === 'done'
          ? dataOf('movies', { movies, trainRows: movies - test, testRows: test })
          : null,
    };
  };

  it('describes the data a run used, with the poster subset', () => {
    expect(dataOf('movies', { movies: 4411, trainRows: 3528, testRows: 883 })).toEqual({
      key: 'movies:4411:3528:883:all',
      label: '4,411 movies · 3,528 train / 883 test',
    });
    expect(dataOf('posters', { movies: 300, trainRows: 240, testRows: 60 }, 300).label).toBe(
      '300 posters · 240 train / 60 test · first 300 posters',
    );
  });

  it('lists each dataset once, the most recently used first, with its run count', () => {
    const rows = [on('r1', 400), on('r2', 4411), on('r3', 400)];
    expect(dataChoices(rows).map((c) => [c.label, c.runs])).toEqual([
      ['400 movies · 320 train / 80 test', 2],
      ['4,411 movies · 3,529 train / 882 test', 1],
    ]);
  });

  it('never mixes datasets, and hides cancelled runs unless asked', () => {
    const rows = [
      on('r1', 400),
      on('r2', 4411),
      on('r3', 400, 'cancelled'),
      on('r4', 400, 'failed'),
    ];
    const key = rows[0]!.data!.key;
    expect(filterRows(rows, key, false).map((r) => r.id)).toEqual(['r1', 'r4']);
    expect(filterRows(rows, key, true).map((r) => r.id)).toEqual(['r1', 'r3', 'r4']);
    expect(filterRows(rows, rows[1]!.data!.key, false).map((r) => r.id)).toEqual(['r2', 'r4']);
  });

  it('gives a finished run its data and an unfinished one none', () => {
    expect(rowFromRun(run('r5', svm, metrics(0.2, 0.3)))!.data?.label).toBe(
      '10 movies · 8 train / 2 test',
    );
    expect(rowFromRun(run('r6', svm, null))!.data).toBeNull();
  });
});
