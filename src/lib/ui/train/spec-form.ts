/**
 * The Train panel's form as plain data, and its two-way mapping to an ExperimentSpec. Params are
 * edited as text: one value sets `model.params`, comma-separated values make a grid. Layer sizes
 * (the MLP's `hidden`) are written with spaces or `x` inside one value: `64 32` or `64x32`.
 */
import { parseSpec, SpecError, type ExperimentSpec } from '../../experiments/spec.ts';
import { PAPER_FEATURES, type NumericField, type Scaling } from '../../features/encode.ts';
import { profileHas, type LibraryProfile } from '../../features/library-profile.ts';
import type { GenreGroup } from '../../features/groups.ts';
import type { SamplingMethod } from '../../features/sampling.ts';
import { MODEL_KINDS, type ParamSpec, type ParamValue } from '../../models/registry.ts';

/** Every numeric column the form offers, in the paper's order. */
export const NUMERIC_FIELDS: readonly NumericField[] = PAPER_FEATURES.numeric;

export interface SpecForm {
  name: string;
  /** The paper's 7 groups, or the groups Explore saved. */
  groups: 'paper7' | 'explore';
  numeric: NumericField[];
  certificate: boolean;
  scaling: Scaling;
  sampling: { method: SamplingMethod; seed: number; percentage: number };
  kind: string;
  /** Text per param name; empty = the kind's default. */
  params: Record<string, string>;
  chain: boolean;
  tuned: boolean;
  folds: number;
  testFraction: number;
  seed: number;
}

/** A form with the paper's features and 5-fold CV, for the given model kind. */
export function defaultForm(kind = 'logistic'): SpecForm {
  return {
    name: '',
    groups: 'paper7',
    numeric: [...NUMERIC_FIELDS],
    certificate: true,
    scaling: 'standardize',
    sampling: { method: 'none', seed: 0, percentage: 25 },
    kind,
    params: {},
    chain: false,
    tuned: false,
    folds: 5,
    testFraction: 0.2,
    seed: 42,
  };
}

/** Where a feature no movie in the library has would come from (shown beside its disabled box). */
const SOURCE_OF: Partial<Record<NumericField | 'certificate', string>> = {
  imdbVotes: 'add an OMDb key to the crawl, or drop IMDb’s title.ratings TSV',
  numStunts: 'no API has it: only CSVs that carry it, like the paper’s',
  numFx: 'no API has it: only CSVs that carry it, like the paper’s',
  certificate: 'crawl TMDb (release dates) or import a CSV with a certificate column',
};

/**
 * The form's features that no movie of the library has, each with the reason shown beside its
 * (disabled) checkbox. A model would drop such a column silently; the form says so instead.
 */
export function absentFeatures(library: LibraryProfile): Map<NumericField | 'certificate', string> {
  const out = new Map<NumericField | 'certificate', string>();
  const why = (f: NumericField | 'certificate') =>
    `not in this library${SOURCE_OF[f] ? ` (${SOURCE_OF[f]})` : ''}`;
  for (const f of NUMERIC_FIELDS) if (!profileHas(library, f)) out.set(f, why(f));
  if (!profileHas(library, 'certificate')) out.set('certificate', why('certificate'));
  return out;
}

/** The form adjusted to the library: features no movie has are switched off (see absentFeatures). */
export function fitFormToLibrary(form: SpecForm, library: LibraryProfile): SpecForm {
  const absent = absentFeatures(library);
  const numeric = form.numeric.filter((f) => !absent.has(f));
  const certificate = form.certificate && !absent.has('certificate');
  return numeric.length === form.numeric.length && certificate === form.certificate
    ? form
    : { ...form, numeric, certificate };
}

/** Formats one param value as form text (inverse of parseValue). */
export function formatValue(v: ParamValue): string {
  if (Array.isArray(v)) return v.join(' ');
  return v === null ? 'null' : String(v);
}

/** Parses one value of a param's text by what the param accepts; unparseable text is kept as a string (parseSpec reports it). */
export function parseValue(text: string, ps: ParamSpec | undefined): ParamValue {
  const t = text.trim();
  if (ps?.sizes) {
    const parts = t.split(/[\sx×]+/).filter(Boolean);
    return parts.map(Number);
  }
  if (t === 'null' && ps?.nullable) return null;
  if ((t === 'true' || t === 'false') && ps?.boolean) return t === 'true';
  if (ps?.values?.includes(t)) return t;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/**
 * A model's parameter fields as typed: one value sets a parameter, comma-separated values make a
 * grid, blanks keep the default. Shared by the metadata and poster forms.
 */
export function paramsAndGrid(
  kindName: string,
  texts: Record<string, string>,
): { params: Record<string, ParamValue>; grid: Record<string, ParamValue[]> } {
  const kind = MODEL_KINDS[kindName];
  const params: Record<string, ParamValue> = {};
  const grid: Record<string, ParamValue[]> = {};
  for (const [name, text] of Object.entries(texts)) {
    const values = text
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => parseValue(s, kind?.params[name]));
    if (values.length === 1) params[name] = values[0]!;
    else if (values.length > 1) grid[name] = values;
  }
  return { params, grid };
}

/** The spec's labels for the form's choice (Explore's groups only when some are saved). */
export function labelsFromForm(
  groups: 'paper7' | 'explore',
  exploreGroups?: readonly GenreGroup[],
): { groups: 'paper7' | GenreGroup[] } {
  return { groups: groups === 'explore' && exploreGroups?.length ? [...exploreGroups] : 'paper7' };
}

/** The spec a form describes (not validated: see specFromForm). */
export function buildSpec(form: SpecForm, exploreGroups?: readonly GenreGroup[]): unknown {
  const { params, grid } = paramsAndGrid(form.kind, form.params);
  const allNumeric = NUMERIC_FIELDS.every((f) => form.numeric.includes(f));
  const sampling: Record<string, unknown> = { method: form.sampling.method };
  if (form.sampling.method !== 'none') sampling.seed = form.sampling.seed;
  if (form.sampling.method === 'ml-ros' || form.sampling.method === 'ml-rus')
    sampling.percentage = form.sampling.percentage;
  return {
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    data: { library: true },
    labels: labelsFromForm(form.groups, exploreGroups),
    features: {
      numeric: allNumeric ? 'paper' : NUMERIC_FIELDS.filter((f) => form.numeric.includes(f)),
      certificate: form.certificate,
      scaling: form.scaling,
    },
    sampling,
    model: {
      kind: form.kind,
      ...(Object.keys(params).length ? { params } : {}),
      ...(Object.keys(grid).length ? { grid } : {}),
      ...(form.chain ? { chain: { order: 'frequency' } } : {}),
      ...(form.tuned ? { thresholds: { objective: 'f1', folds: 3, seed: form.seed } } : {}),
    },
    cv: { folds: form.folds, metric: 'hammingLoss' },
    split: { testFraction: form.testFraction, seed: form.seed },
  };
}

/** The validated spec of a form, or the problems (one line each) parseSpec found. */
export function specFromForm(
  form: SpecForm,
  exploreGroups?: readonly GenreGroup[],
): { spec: ExperimentSpec; problems: [] } | { spec: null; problems: string[] } {
  try {
    return { spec: parseSpec(buildSpec(form, exploreGroups)), problems: [] };
  } catch (e) {
    if (e instanceof SpecError) return { spec: null, problems: e.problems };
    throw e;
  }
}

/** A form showing a spec (for presets and for JSON edited by hand); fields the form cannot show keep their defaults. */
export function formFromSpec(spec: ExperimentSpec): SpecForm {
  const form = defaultForm(spec.model.kind);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.model.params ?? {})) params[k] = formatValue(v);
  for (const [k, vs] of Object.entries(spec.model.grid ?? {}))
    params[k] = vs.map(formatValue).join(', ');
  const numeric = spec.features.numeric;
  return {
    ...form,
    name: spec.name ?? '',
    groups: spec.labels.groups === 'paper7' ? 'paper7' : 'explore',
    numeric: numeric === undefined || numeric === 'paper' ? [...NUMERIC_FIELDS] : [...numeric],
    certificate: spec.features.certificate ?? PAPER_FEATURES.certificate,
    scaling: spec.features.scaling,
    sampling: {
      method: spec.sampling.method,
      seed: spec.sampling.seed ?? 0,
      percentage: spec.sampling.percentage ?? 25,
    },
    params,
    chain: spec.model.chain !== undefined,
    tuned: spec.model.thresholds !== undefined,
    folds: spec.cv.folds,
    testFraction: spec.split.testFraction,
    seed: spec.split.seed,
  };
}

/** Number of grid points (fits per CV fold) a spec asks for. */
export function gridSize(spec: Pick<ExperimentSpec, 'model'>): number {
  return Object.values(spec.model.grid ?? {}).reduce((n, vs) => n * vs.length, 1);
}

const base = (name: string, model: ExperimentSpec['model']): ExperimentSpec => ({
  name,
  data: { library: true },
  labels: { groups: 'paper7' },
  features: { numeric: 'paper', certificate: true, scaling: 'standardize' },
  sampling: { method: 'none' },
  model,
  cv: { folds: 5, metric: 'hammingLoss' },
  split: { testFraction: 0.2, seed: 42 },
});

/** The paper's Table 1 models, one click away (grids of 12 points: 4 × 3 and 3 × 2 × 2). */
export const PRESETS: readonly { id: string; label: string; spec: ExperimentSpec }[] = [
  {
    id: 'svm',
    label: 'SVM (untuned)',
    spec: base('SVM, untuned', { kind: 'svm', params: { C: 1, gamma: 'scale' } }),
  },
  {
    id: 'svm-tuned',
    label: 'SVM (tuned: C × gamma)',
    spec: base('SVM, tuned', {
      kind: 'svm',
      grid: { C: [0.1, 1, 10, 100], gamma: ['scale', 0.01, 0.1] },
    }),
  },
  {
    id: 'forest',
    label: 'Random forest (untuned)',
    spec: base('Random forest, untuned', {
      kind: 'forest',
      params: { nEstimators: 100, seed: 42 },
    }),
  },
  {
    id: 'forest-tuned',
    label: 'Random forest (tuned)',
    spec: base('Random forest, tuned', {
      kind: 'forest',
      params: { nEstimators: 100, seed: 42 },
      grid: { maxDepth: [null, 8, 16], maxFeatures: ['sqrt', 0.5], minSamplesLeaf: [1, 5] },
    }),
  },
  {
    id: 'mlp',
    label: 'MLP',
    spec: base('MLP', { kind: 'mlp', params: { hidden: [64, 32], seed: 42 } }),
  },
];
