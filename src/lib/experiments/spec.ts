/**
 * The experiment spec: plain JSON saying which data, labels, features, resampling, model (with a
 * hyper-parameter grid), cross-validation and test split to use. `parseSpec` checks an unknown
 * value and reports one clear message per problem, all at once.
 */
import { TMDB_GENRES } from '../data/genres.ts';
import type { Movie } from '../data/types.ts';
import { PAPER_FEATURES, type NumericField, type Scaling } from '../features/encode.ts';
import {
  countWithGenres,
  profileHas,
  profileOf,
  type LibraryProfile,
} from '../features/library-profile.ts';
import { PAPER7, type GenreGroup } from '../features/groups.ts';
import type { SamplingMethod } from '../features/sampling.ts';
import { MODEL_KINDS, checkParam, type ModelParams, type ParamValue } from '../models/registry.ts';
import { POSTER_KIND_NAMES } from '../models/poster/kind-names.ts';

/** Metrics the grid search can select on; hammingLoss is minimised, the others maximised. */
export const SELECTION_METRICS = [
  'hammingLoss',
  'exactMatch',
  'atLeastOne',
  'microF1',
  'macroF1',
  'samplesF1',
] as const;
export type SelectionMetric = (typeof SELECTION_METRICS)[number];

export interface ExperimentSpec {
  name?: string;
  /** A CSV path (CLI: relative to the spec file, else to the working directory) or the studio's library. */
  data: { movies: string } | { library: true };
  labels: { groups: 'paper7' | GenreGroup[] };
  features: {
    /** Numeric fields; 'paper' = all of them, leaving out those no training movie has. */
    numeric?: 'paper' | NumericField[];
    certificate?: boolean;
    scaling: Scaling;
    /**
     * One-hot columns for the k most frequent directors / keywords of the training movies.
     * @asType integer
     * @minimum 0
     * @maximum 5000
     */
    topDirectors?: number;
    /**
     * @asType integer
     * @minimum 0
     * @maximum 5000
     */
    topKeywords?: number;
  };
  sampling: {
    method: SamplingMethod;
    /**
     * @asType integer
     * @minimum 0
     */
    seed?: number;
    /**
     * @exclusiveMinimum 0
     * @exclusiveMaximum 100
     */
    percentage?: number;
    /** @exclusiveMinimum 0 */
    targetFraction?: number;
  };
  model: {
    kind: string;
    params?: ModelParams;
    grid?: Record<string, ParamValue[]>;
    chain?: { order?: 'frequency' | 'random'; seed?: number };
    thresholds?: {
      objective?: 'f1' | 'accuracy';
      /**
       * @asType integer
       * @minimum 2
       */
      folds?: number;
      seed?: number;
    };
  };
  cv: {
    /**
     * @asType integer
     * @minimum 2
     */
    folds: number;
    metric?: SelectionMetric;
  };
  split: TestSplit;
}

/** The held-out test split (JSON Schema bounds as the checkers test them). */
export interface TestSplit {
  /**
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   */
  testFraction: number;
  /**
   * @asType integer
   * @minimum 0
   */
  seed: number;
}

/** A spec that failed validation; `problems` has one line per problem. */
export class SpecError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}

const NUMERIC_FIELDS = PAPER_FEATURES.numeric;
const SCALINGS: readonly Scaling[] = ['raw', 'standardize', 'minmax'];
const SAMPLINGS: readonly SamplingMethod[] = ['none', 'paper', 'ml-ros', 'ml-rus'];
const list = (xs: readonly unknown[]) => xs.map((x) => `'${String(x)}'`).join(', ');
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

function checkUnknownKeys(
  o: Record<string, unknown>,
  where: string,
  known: string[],
  out: string[],
): void {
  for (const k of Object.keys(o))
    if (!known.includes(k)) out.push(`${where}: unknown field '${k}' (expected ${list(known)})`);
}

function checkData(d: unknown, out: string[]): void {
  if (!isObject(d))
    return void out.push('data: must be { "movies": "<csv path>" } or { "library": true }');
  if ('movies' in d) {
    if (typeof d.movies !== 'string' || d.movies.trim() === '')
      out.push('data.movies: must be a CSV file path');
  } else if (d.library !== true)
    out.push('data: must be { "movies": "<csv path>" } or { "library": true }');
}

function checkLabels(l: unknown, out: string[]): void {
  if (!isObject(l))
    return void out.push('labels: must be { "groups": "paper7" } or a list of groups');
  if (l.groups === 'paper7') return;
  if (!Array.isArray(l.groups) || l.groups.length === 0)
    return void out.push(
      "labels.groups: must be 'paper7' or a non-empty list of { name, genreIds }",
    );
  l.groups.forEach((g, i) => {
    if (
      !isObject(g) ||
      typeof g.name !== 'string' ||
      !Array.isArray(g.genreIds) ||
      g.genreIds.length === 0
    )
      return void out.push(
        `labels.groups[${i}]: must be { "name": string, "genreIds": [TMDb genre ids] }`,
      );
    const bad = g.genreIds.filter((id) => typeof id !== 'number' || !(id in TMDB_GENRES));
    if (bad.length)
      out.push(`labels.groups[${i}] (${g.name}): unknown TMDb genre id(s) ${list(bad)}`);
  });
}

function checkFeatures(f: unknown, out: string[]): void {
  if (!isObject(f))
    return void out.push(`features: must be an object with scaling (${list(SCALINGS)})`);
  checkUnknownKeys(
    f,
    'features',
    ['numeric', 'certificate', 'scaling', 'topDirectors', 'topKeywords'],
    out,
  );
  for (const key of ['topDirectors', 'topKeywords'] as const) {
    const v = f[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5000))
      out.push(`features.${key}: must be a whole number from 0 to 5000, got ${JSON.stringify(v)}`);
  }
  if (!SCALINGS.includes(f.scaling as Scaling))
    out.push(
      `features.scaling: must be one of ${list(SCALINGS)}, got ${JSON.stringify(f.scaling)}`,
    );
  if (f.numeric !== undefined && f.numeric !== 'paper') {
    if (!Array.isArray(f.numeric))
      out.push(`features.numeric: must be 'paper' or a list of ${list(NUMERIC_FIELDS)}`);
    else
      for (const n of f.numeric)
        if (!NUMERIC_FIELDS.includes(n as NumericField))
          out.push(
            `features.numeric: unknown column '${String(n)}' (known: ${list(NUMERIC_FIELDS)})`,
          );
  }
  if (f.certificate !== undefined && typeof f.certificate !== 'boolean')
    out.push('features.certificate: must be true or false');
  if (Array.isArray(f.numeric) && f.numeric.length === 0 && f.certificate === false)
    out.push('features: no columns selected');
}

function checkSampling(s: unknown, out: string[]): void {
  if (!isObject(s)) return void out.push(`sampling: must be { "method": ${list(SAMPLINGS)} }`);
  if (!SAMPLINGS.includes(s.method as SamplingMethod))
    out.push(`sampling.method: must be one of ${list(SAMPLINGS)}, got ${JSON.stringify(s.method)}`);
  if (s.seed !== undefined && !isInt(s.seed, 0)) out.push('sampling.seed: must be an integer >= 0');
  if (
    s.percentage !== undefined &&
    !(typeof s.percentage === 'number' && s.percentage > 0 && s.percentage < 100)
  )
    out.push('sampling.percentage: must be a number in (0, 100)');
  if (
    s.targetFraction !== undefined &&
    !(typeof s.targetFraction === 'number' && s.targetFraction > 0)
  )
    out.push('sampling.targetFraction: must be a number > 0');
}

function checkModel(m: unknown, out: string[]): void {
  if (!isObject(m))
    return void out.push(`model: must be { "kind": ${list(Object.keys(MODEL_KINDS))} }`);
  checkUnknownKeys(m, 'model', ['kind', 'params', 'grid', 'chain', 'thresholds'], out);
  const metadataKinds = Object.keys(MODEL_KINDS).filter(
    (k) => !(POSTER_KIND_NAMES as readonly string[]).includes(k),
  );
  if ((POSTER_KIND_NAMES as readonly unknown[]).includes(m.kind))
    return void out.push(
      `model.kind: ${JSON.stringify(m.kind)} is a poster model; it needs a posters spec (data: { "posters", "labels" } or the library in the Posters form), not movie metadata`,
    );
  const kind = typeof m.kind === 'string' ? MODEL_KINDS[m.kind] : undefined;
  if (!kind)
    return void out.push(
      `model.kind: unknown model ${JSON.stringify(m.kind)} (known: ${list(metadataKinds)})`,
    );
  const checkValue = (where: string, name: string, value: unknown) => {
    const ps = kind.params[name];
    if (!ps)
      return void out.push(
        `${where}: unknown parameter '${name}' for ${String(m.kind)} (known: ${list(Object.keys(kind.params))})`,
      );
    const problem = checkParam(ps, value);
    if (problem) out.push(`${where}.${name}: ${problem}, got ${JSON.stringify(value)}`);
  };
  if (m.params !== undefined) {
    if (!isObject(m.params)) out.push('model.params: must be an object');
    else for (const [k, v] of Object.entries(m.params)) checkValue('model.params', k, v);
  }
  if (m.grid !== undefined) {
    if (!isObject(m.grid)) out.push('model.grid: must be an object { param: [values…] }');
    else
      for (const [k, vs] of Object.entries(m.grid)) {
        if (!Array.isArray(vs) || vs.length === 0)
          out.push(`model.grid.${k}: must be a non-empty list of values`);
        else for (const v of vs) checkValue('model.grid', k, v);
      }
  }
  if (m.chain !== undefined) {
    if (!isObject(m.chain)) out.push('model.chain: must be an object { order?, seed? }');
    else if (
      m.chain.order !== undefined &&
      m.chain.order !== 'frequency' &&
      m.chain.order !== 'random'
    )
      out.push("model.chain.order: must be 'frequency' or 'random'");
  }
  if (m.thresholds !== undefined) {
    const t = m.thresholds;
    if (!isObject(t)) out.push('model.thresholds: must be an object { objective?, folds?, seed? }');
    else {
      if (t.objective !== undefined && t.objective !== 'f1' && t.objective !== 'accuracy')
        out.push("model.thresholds.objective: must be 'f1' or 'accuracy'");
      if (t.folds !== undefined && !isInt(t.folds, 2))
        out.push('model.thresholds.folds: must be an integer >= 2');
    }
  }
}

function checkCv(c: unknown, out: string[]): void {
  if (!isObject(c) || !isInt(c.folds, 2)) return void out.push('cv.folds: must be an integer >= 2');
  if (c.metric !== undefined && !SELECTION_METRICS.includes(c.metric as SelectionMetric))
    out.push(`cv.metric: must be one of ${list(SELECTION_METRICS)}`);
}

function checkSplit(s: unknown, out: string[]): void {
  if (!isObject(s))
    return void out.push('split: must be { "testFraction": number in (0, 1), "seed": integer }');
  if (!(typeof s.testFraction === 'number' && s.testFraction > 0 && s.testFraction < 1))
    out.push(
      `split.testFraction: must be a number in (0, 1), got ${JSON.stringify(s.testFraction)}`,
    );
  if (!isInt(s.seed, 0))
    out.push(`split.seed: must be an integer >= 0, got ${JSON.stringify(s.seed)}`);
}

/** Checks an unknown value (parsed JSON) and returns it typed, or throws a SpecError listing every problem. */
export function parseSpec(input: unknown): ExperimentSpec {
  const out: string[] = [];
  if (!isObject(input)) throw new SpecError(['spec: must be a JSON object']);
  checkUnknownKeys(
    input,
    'spec',
    ['name', 'data', 'labels', 'features', 'sampling', 'model', 'cv', 'split'],
    out,
  );
  if (input.name !== undefined && typeof input.name !== 'string')
    out.push('name: must be a string');
  checkData(input.data, out);
  checkLabels(input.labels, out);
  checkFeatures(input.features, out);
  checkSampling(input.sampling, out);
  checkModel(input.model, out);
  checkCv(input.cv, out);
  checkSplit(input.split, out);
  if (out.length) throw new SpecError(out);
  return input as unknown as ExperimentSpec;
}

/** The label groups a spec names. */
export function specGroups(spec: ExperimentSpec): readonly GenreGroup[] {
  return spec.labels.groups === 'paper7' ? PAPER7 : spec.labels.groups;
}

const COLUMN_HINT: Partial<Record<NumericField, string>> = {
  imdbVotes: 'imdb_votes / num_voted_users',
  numStunts: 'num_stunts',
  numFx: 'num_fx',
  voteCount: 'vote_count',
  voteAverage: 'vote_average',
  year: 'year or release_date',
  month: 'month or release_date',
  decade: 'year or release_date',
};

/**
 * Problems of a spec with these movies: features listed explicitly that no movie has (the CSV
 * lacks the column), a certificate one-hot without any certificate, no movie in any label group.
 */
export function checkSpecAgainstMovies(
  spec: ExperimentSpec,
  movies: readonly Movie[],
  source = 'the data',
): string[] {
  return checkSpecAgainstProfile(spec, profileOf(movies), source);
}

/** The same checks on a library's profile (the studio's library, whose records stay in IndexedDB). */
export function checkSpecAgainstProfile(
  spec: ExperimentSpec,
  profile: LibraryProfile,
  source = 'the data',
): string[] {
  const out: string[] = [];
  if (profile.movies === 0) return [`data: no movies in ${source}`];
  if (Array.isArray(spec.features.numeric))
    for (const f of spec.features.numeric)
      if (!profileHas(profile, f))
        out.push(
          `features.numeric: column '${f}' is missing from ${source} (no movie has ${COLUMN_HINT[f] ?? f})`,
        );
  if (spec.features.certificate === true && !profileHas(profile, 'certificate'))
    out.push(
      `features.certificate: ${source} has no certificate column (no movie has a certificate / content_rating)`,
    );
  if (
    countWithGenres(
      profile,
      specGroups(spec).flatMap((g) => g.genreIds),
    ) === 0
  )
    out.push(`labels: no movie in ${source} has a genre of the chosen groups`);
  return out;
}
