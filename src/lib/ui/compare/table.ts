/** Rows of the Compare table (one per saved metadata run), their descriptions and sorting. Pure. */
import type { ExperimentResult, ExperimentSpec, SelectionMetric } from '../../experiments/index.ts';
import type { AnyPosterSpec } from '../../experiments/poster-spec.ts';
import type { ModelParams, ParamValue } from '../../models/registry.ts';
import type { RunRecord } from '../../storage/records.ts';
import { formatCount } from '../../core/format.ts';
import {
  METADATA_KIND,
  POSTER_KIND,
  type MetadataRun,
  type PosterRun,
  type StudioRun,
} from '../../state/studio-runs.ts';

export { METADATA_KIND, POSTER_KIND, type MetadataRun, type PosterRun, type StudioRun };

/** One row of the Compare table; metrics are null for runs that did not finish. */
interface CompareRowBase {
  id: string;
  createdAt: number;
  status: RunRecord['status'];
  kind: 'metadata' | 'posters';
  name: string;
  model: string;
  features: string;
  sampling: string;
  hammingLoss: number | null;
  exactMatch: number | null;
  atLeastOne: number | null;
  microF1: number | null;
  macroF1: number | null;
  /** CV metric of the best grid point: mean and population std over folds. */
  cvMetric: SelectionMetric;
  cvMean: number | null;
  cvStd: number | null;
  /** Refit of the best point on the training split (the final fit of a poster model). */
  fitMs: number | null;
  /** Poster models: epochs the final fit trained (early stopping may end it sooner); null otherwise. */
  epochs: number | null;
  /** The tfjs backend of the run (poster runs; metadata runs report it too once done). */
  backend: string | null;
  /** Which data the run used (see dataOf); null for runs that did not finish. */
  data: RunData | null;
  error?: string;
}

/** The data a finished run used: its movies and split sizes, and (posters) the subset it took. */
export interface RunData {
  /** Equal for runs on the same data (same kind, movies, train/test rows, subset). */
  key: string;
  /** "400 movies · 320 train / 80 test" or "300 posters · 240 train / 60 test · first 300 posters". */
  label: string;
}

/** Test-split ranking and calibration figures of a row; null for runs saved before they existed. */
export interface RankingCells {
  microAuc: number | null;
  macroAuc: number | null;
  microAp: number | null;
  macroAp: number | null;
  logLoss: number | null;
  brier: number | null;
  ece: number | null;
  lrap: number | null;
  coverageError: number | null;
  rankingLoss: number | null;
}

/** A Compare row: the F1-style figures above and the ranking ones. */
export type CompareRow = CompareRowBase & RankingCells;

/** The ranking cells of a finished run's test section (all null when it has none). */
export function rankingCells(test: ExperimentResult['test'] | undefined): RankingCells {
  const m = test?.ranking;
  return {
    microAuc: m?.rocAuc.micro ?? null,
    macroAuc: m?.rocAuc.macro ?? null,
    microAp: m?.averagePrecision.micro ?? null,
    macroAp: m?.averagePrecision.macro ?? null,
    logLoss: m?.logLoss ?? null,
    brier: m?.brier ?? null,
    ece: m?.ece ?? null,
    lrap: m?.lrap ?? null,
    coverageError: m?.coverageError ?? null,
    rankingLoss: m?.labelRankingLoss ?? null,
  };
}

export type SortKey = Exclude<keyof CompareRow, 'error' | 'cvMetric' | 'kind' | 'data'>;
export type SortDir = 'asc' | 'desc';

const fmt = (v: ParamValue) => (Array.isArray(v) ? v.join('×') : String(v));
const paramText = (p: ModelParams) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(', ');

/** "svm C=1, gamma=scale" plus the grid's size and the wrappers. */
export function describeModel(spec: ExperimentSpec, best?: ModelParams): string {
  const grid = Object.entries(spec.model.grid ?? {});
  const points = grid.reduce((n, [, vs]) => n * vs.length, 1);
  const shown = best
    ? Object.fromEntries(grid.map(([k]) => [k, best[k] ?? null]))
    : Object.fromEntries(grid.map(([k, vs]) => [k, vs.join('|')]));
  const params = paramText({ ...spec.model.params, ...(shown as ModelParams) });
  const extras = [
    points > 1 ? `grid ${points}` : '',
    spec.model.chain ? 'chain' : '',
    spec.model.thresholds ? 'tuned thresholds' : '',
  ].filter(Boolean);
  return [spec.model.kind, params, extras.length ? `(${extras.join(', ')})` : '']
    .filter(Boolean)
    .join(' ');
}

/** "paper numeric + certificate, standardize" or the listed columns. */
export function describeFeatures(spec: ExperimentSpec): string {
  const n = spec.features.numeric;
  const cols = n === undefined || n === 'paper' ? 'paper numeric' : n.join(', ') || 'no numeric';
  const cert = spec.features.certificate === false ? '' : ' + certificate';
  return `${cols}${cert}, ${spec.features.scaling}`;
}

/** "none", "paper (seed 0)", "ml-ros 25% (seed 1)". */
export function describeSampling(spec: ExperimentSpec): string {
  const s = spec.sampling;
  if (s.method === 'none') return 'none';
  const pct = s.percentage !== undefined ? ` ${s.percentage}%` : '';
  return `${s.method}${pct} (seed ${s.seed ?? 0})`;
}

/** The Compare row of a run, or null for runs of other kinds. */
export function rowFromRun(run: RunRecord): CompareRow | null {
  if (run.kind === POSTER_KIND) return posterRow(run as PosterRun);
  if (run.kind !== METADATA_KIND) return null;
  const { spec, result } = run as MetadataRun;
  const r = run.status === 'done' ? result : null;
  const metric = spec.cv?.metric ?? 'hammingLoss';
  const best = r ? r.cv[r.best.index] : undefined;
  return {
    id: run.id,
    createdAt: run.createdAt,
    status: run.status,
    kind: 'metadata',
    name: spec.name ?? spec.model.kind,
    model: describeModel(spec, r?.best.params),
    features: describeFeatures(spec),
    sampling: describeSampling(spec),
    hammingLoss: r?.test.hammingLoss ?? null,
    exactMatch: r?.test.exactMatch ?? null,
    atLeastOne: r?.test.atLeastOne ?? null,
    microF1: r?.test.microF1 ?? null,
    macroF1: r?.test.macroF1 ?? null,
    cvMetric: metric,
    cvMean: best?.mean[metric] ?? null,
    cvStd: best?.std[metric] ?? null,
    fitMs: r?.timings.fitMs ?? null,
    epochs: null,
    backend: r?.backend ?? null,
    data: r ? dataOf('movies', r.dataset) : null,
    ...rankingCells(r?.test),
    ...(run.error ? { error: run.error } : {}),
  };
}

/** The RunData of a finished run from its result's dataset counts (and poster limit). */
export function dataOf(
  unit: 'movies' | 'posters',
  d: { movies: number; trainRows: number; testRows: number },
  limit?: number,
): RunData {
  const subset = limit === undefined ? '' : ` · first ${formatCount(limit)} posters`;
  return {
    key: `${unit}:${d.movies}:${d.trainRows}:${d.testRows}:${limit ?? 'all'}`,
    label: `${formatCount(d.movies)} ${unit} · ${formatCount(d.trainRows)} train / ${formatCount(d.testRows)} test${subset}`,
  };
}

/** The data choices of a set of rows, most recently used first, with how many finished runs used each. */
export function dataChoices(rows: readonly CompareRow[]): (RunData & { runs: number })[] {
  const byKey = new Map<string, RunData & { runs: number; last: number }>();
  for (const r of rows) {
    if (!r.data) continue;
    const c = byKey.get(r.data.key) ?? { ...r.data, runs: 0, last: 0 };
    c.runs += 1;
    c.last = Math.max(c.last, r.createdAt);
    byKey.set(r.data.key, c);
  }
  return [...byKey.values()]
    .sort((a, b) => b.last - a.last)
    .map(({ key, label, runs }) => ({ key, label, runs }));
}

/**
 * The rows a view compares: finished runs on one dataset (`dataKey`; runs on other data are
 * never mixed in), failed and running ones (they carry no figures to compare), and cancelled ones
 * only when asked.
 */
export function filterRows(
  rows: readonly CompareRow[],
  dataKey: string | null,
  showCancelled: boolean,
): CompareRow[] {
  return rows.filter((r) =>
    r.status === 'cancelled' ? showCancelled : r.data === null || r.data.key === dataKey,
  );
}

/** Rows sorted by a column (a copy; stable; nulls last in either direction; text compared by locale). */
export function sortRows(rows: readonly CompareRow[], key: SortKey, dir: SortDir): CompareRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[key];
      const y = b.row[key];
      if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((e) => e.row);
}

/** The direction a header click sorts in: flip on the same key, else best-first for metrics (loss and time ascending). */
export function nextSort(current: { key: SortKey; dir: SortDir }, key: SortKey): SortDir {
  if (current.key === key) return current.dir === 'asc' ? 'desc' : 'asc';
  const higherIsBetter: SortKey[] = [
    'exactMatch',
    'atLeastOne',
    'microF1',
    'macroF1',
    'createdAt',
    'microAuc',
    'macroAuc',
    'microAp',
    'macroAp',
    'lrap',
  ];
  return higherIsBetter.includes(key) ? 'desc' : 'asc';
}

/** Names made distinct for chart categories (the same preset run twice): later ones get " (2)", " (3)"… */
export function distinctNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

const AUG_NAMES: readonly [string, string][] = [
  ['augFlip', 'flip'],
  ['augShift', 'shift'],
  ['augZoom', 'zoom'],
  ['augRotationDeg', 'rotation'],
  ['augColor', 'colour'],
];

/**
 * A poster model in words: "cnn tuned, filters 64, batch 16, 20 epochs, adam, aug flip+shift",
 * "pca-svm 90 % (166 components) → svm", "transfer mobilenetv2-0.35 + MLP 256", plus "(grid 32)".
 * `best` (a finished run's chosen point, all params filled in) wins over the spec; a grid not yet
 * resolved shows its values as "16|32".
 */
export function describePosterModel(
  spec: Pick<AnyPosterSpec, 'model'>,
  best?: ModelParams,
  pcaComponents?: number,
): string {
  const grid = Object.entries(spec.model.grid ?? {});
  const points = grid.reduce((n, [, vs]) => n * vs.length, 1);
  const p: Record<string, ParamValue | undefined> = {
    ...spec.model.params,
    ...Object.fromEntries(grid.map(([k, vs]) => [k, vs.join('|')])),
    ...best,
  };
  const has = (k: string) => p[k] !== undefined && p[k] !== null;
  const parts: string[] = [];
  if (spec.model.kind === 'cnn') {
    parts.push(`cnn ${String(p.preset ?? 'initial')}`);
    if (has('filters')) parts.push(`filters ${fmt(p.filters!)}`);
    if (has('batchSize')) parts.push(`batch ${fmt(p.batchSize!)}`);
    if (has('epochs')) parts.push(`${fmt(p.epochs!)} epochs`);
    if (has('optimizer')) parts.push(fmt(p.optimizer!));
    if (has('loss') && p.loss !== 'binary') parts.push(`${fmt(p.loss!)} loss`);
    const aug = AUG_NAMES.filter(([k]) => has(k) && p[k] !== false && p[k] !== 0).map(([, n]) => n);
    if (aug.length) parts.push(`aug ${aug.join('+')}`);
  } else if (spec.model.kind === 'pca-svm') {
    const v = typeof p.variance === 'number' ? `${Math.round(p.variance * 100)} %` : '90 %';
    const k = pcaComponents === undefined ? '' : ` (${pcaComponents} components)`;
    const clf = String(p.classifier ?? 'svm');
    const c = clf === 'svm' && has('C') ? ` C=${fmt(p.C!)}` : '';
    parts.push(`pca-svm ${v}${k} → ${clf}${c}`);
  } else if (spec.model.kind === 'transfer') {
    parts.push(`transfer ${String(p.backbone ?? 'mobilenetv2-0.35')} + MLP ${fmt(p.units ?? 256)}`);
    if (has('fineTuneEpochs') && p.fineTuneEpochs !== 0)
      parts.push(`last block fine-tuned ${fmt(p.fineTuneEpochs!)} epochs`);
  } else parts.push(spec.model.kind);
  return parts.join(', ') + (points > 1 ? ` (grid ${points})` : '');
}

/** What a poster model reads, when the run has no result to say it. */
function posterFeatures(spec: AnyPosterSpec): string {
  if (spec.model.kind === 'transfer')
    return `${String(spec.model.params?.backbone ?? 'mobilenetv2-0.35')} features`;
  return `pixels 148×100 ${spec.model.kind === 'pca-svm' ? 'gray' : 'rgb'}`;
}

/** The Compare row of a poster run; its "CV" figure is the best grid point's validation score. */
export function posterRow(run: PosterRun): CompareRow {
  const { spec } = run;
  const r = run.status === 'done' ? run.result : null;
  const best = r && r.cv.length > 1 ? r.cv[r.best.index] : undefined;
  return {
    id: run.id,
    createdAt: run.createdAt,
    status: run.status,
    kind: 'posters',
    name: spec.name ?? spec.model.kind,
    model: describePosterModel(spec, r?.best.params, r?.posters.pcaComponents),
    features: r?.dataset.featureNames.join(', ') || posterFeatures(spec),
    sampling: spec.limit === undefined ? 'none' : `first ${spec.limit} posters`,
    hammingLoss: r?.test.hammingLoss ?? null,
    exactMatch: r?.test.exactMatch ?? null,
    atLeastOne: r?.test.atLeastOne ?? null,
    microF1: r?.test.microF1 ?? null,
    macroF1: r?.test.macroF1 ?? null,
    cvMetric: 'hammingLoss',
    cvMean: best?.mean.hammingLoss ?? null,
    cvStd: null,
    fitMs: r?.timings.fitMs ?? null,
    epochs: r && r.posters.curves.length ? r.posters.curves.length : null,
    backend: r?.backend ?? null,
    data: r ? dataOf('posters', r.dataset, spec.limit) : null,
    ...rankingCells(r?.test),
    ...(run.error ? { error: run.error } : {}),
  };
}

/** A Compare view's column: which field, its header, a tooltip, and whether it is numeric. */
export interface ViewColumn {
  key: SortKey;
  label: string;
  title: string;
  num?: boolean;
}

const METRIC_COLUMNS: readonly ViewColumn[] = [
  { key: 'hammingLoss', label: 'Hamming loss', title: 'Test split; lower is better', num: true },
  { key: 'exactMatch', label: 'Exact match', title: 'Test split; all labels right', num: true },
  {
    key: 'atLeastOne',
    label: 'At least one',
    title: 'Test split; at least one true label predicted',
    num: true,
  },
  { key: 'microF1', label: 'Micro F1', title: 'Test split', num: true },
  { key: 'macroF1', label: 'Macro F1', title: 'Test split', num: true },
];

/** All runs, like the paper's Table 1. */
export const TABLE1_COLUMNS: readonly ViewColumn[] = [
  { key: 'name', label: 'Run', title: 'Run name' },
  { key: 'model', label: 'Model', title: 'Model kind, chosen parameters, grid size, wrappers' },
  {
    key: 'features',
    label: 'Features',
    title: 'Numeric columns, certificate, scaling; or poster input',
  },
  {
    key: 'sampling',
    label: 'Sampling',
    title: 'Resampling of the training folds; or poster limit',
  },
  ...METRIC_COLUMNS,
  {
    key: 'cvMean',
    label: 'CV (best point)',
    title:
      'Cross-validation metric of the best grid point, mean ± std over folds (poster grids: Hamming loss on the validation part)',
    num: true,
  },
  { key: 'fitMs', label: 'Fit', title: 'Refit of the best point on the training split', num: true },
];

/** Poster runs only, with the columns of the paper's Table 2. */
export const TABLE2_COLUMNS: readonly ViewColumn[] = [
  { key: 'name', label: 'Run', title: 'Run name' },
  { key: 'model', label: 'Model', title: 'Poster model and its chosen parameters' },
  ...METRIC_COLUMNS,
  {
    key: 'epochs',
    label: 'Epochs trained',
    title: 'Epochs of the final fit (early stopping may end it before the maximum)',
    num: true,
  },
  {
    key: 'fitMs',
    label: 'Training time',
    title: 'Final fit on the training split (grid search and poster decoding not included)',
    num: true,
  },
  { key: 'backend', label: 'Backend', title: 'tfjs backend the run trained on' },
];

/** The "Ranking & calibration" column set (either view): threshold-free figures of the test probabilities. */
export const RANKING_COLUMNS: readonly ViewColumn[] = [
  { key: 'name', label: 'Run', title: 'Run name' },
  { key: 'model', label: 'Model', title: 'Model kind and its chosen parameters' },
  { key: 'microAuc', label: 'ROC AUC micro', title: 'Test split, all cells pooled', num: true },
  { key: 'macroAuc', label: 'ROC AUC macro', title: 'Test split, mean over groups', num: true },
  { key: 'microAp', label: 'AP micro', title: 'Average precision, all cells pooled', num: true },
  { key: 'macroAp', label: 'AP macro', title: 'Average precision, mean over groups', num: true },
  {
    key: 'logLoss',
    label: 'Log loss',
    title: 'Mean binary cross-entropy; lower is better',
    num: true,
  },
  { key: 'brier', label: 'Brier', title: 'Mean squared error of the probabilities', num: true },
  {
    key: 'ece',
    label: 'ECE',
    title: 'Expected calibration error (10 bins); lower is better',
    num: true,
  },
  { key: 'lrap', label: 'LRAP', title: 'Label-ranking average precision', num: true },
  {
    key: 'coverageError',
    label: 'Coverage',
    title: 'Coverage error: ranked groups needed to cover the true ones (best: their count)',
    num: true,
  },
  {
    key: 'rankingLoss',
    label: 'Ranking loss',
    title: 'Share of (true, false) group pairs ranked the wrong way round',
    num: true,
  },
];

/** Rows of a view: every run (Table 1 view) or the poster runs only (Table 2 view). */
export function rowsForView(rows: readonly CompareRow[], view: 'table1' | 'table2'): CompareRow[] {
  return view === 'table1' ? [...rows] : rows.filter((r) => r.kind === 'posters');
}
