/** Rows of the Compare table (one per saved metadata run), their descriptions and sorting. Pure. */
import type { ExperimentResult, ExperimentSpec, SelectionMetric } from '../../experiments/index.ts';
import type { PosterExperimentResult } from '../../experiments/poster-runner.ts';
import type { AnyPosterSpec } from '../../experiments/poster-spec.ts';
import type { ModelParams, ParamValue } from '../../models/registry.ts';
import type { RunRecord } from '../../storage/records.ts';

/** The RunRecord kind of metadata experiments. */
export const METADATA_KIND = 'metadata';

/** A saved metadata run: spec and (when it finished) result. */
export type MetadataRun = RunRecord & {
  kind: 'metadata';
  spec: ExperimentSpec;
  result: ExperimentResult | null;
};

/** The RunRecord kind of poster experiments (CNN, PCA baseline, transfer learning). */
export const POSTER_KIND = 'posters';

/** A saved poster run: spec (data: the library) and (when it finished) result. */
export type PosterRun = RunRecord & {
  kind: 'posters';
  spec: AnyPosterSpec;
  result: PosterExperimentResult | null;
};

/** One row of the Compare table; metrics are null for runs that did not finish. */
export interface CompareRow {
  id: string;
  createdAt: number;
  status: RunRecord['status'];
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
  fitMs: number | null;
  error?: string;
}

export type SortKey = Exclude<keyof CompareRow, 'error' | 'cvMetric'>;
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
  if (run.kind !== METADATA_KIND) return null;
  const { spec, result } = run as MetadataRun;
  const r = run.status === 'done' ? result : null;
  const metric = spec.cv?.metric ?? 'hammingLoss';
  const best = r ? r.cv[r.best.index] : undefined;
  return {
    id: run.id,
    createdAt: run.createdAt,
    status: run.status,
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
    ...(run.error ? { error: run.error } : {}),
  };
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
  const higherIsBetter: SortKey[] = ['exactMatch', 'atLeastOne', 'microF1', 'macroF1', 'createdAt'];
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
