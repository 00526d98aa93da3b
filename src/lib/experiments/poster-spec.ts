/**
 * The experiment spec for poster models: a posters folder and a labels CSV instead of a movies
 * CSV, a poster model kind ('cnn', 'pca-svm', 'transfer'), an optional grid whose points are
 * compared on a validation part of the training split (never the test split), and a test split.
 */
import type { GenreGroup } from '../features/groups.ts';
import type { TestSplit } from './spec.ts';
import { MODEL_KINDS, checkParam, type ModelParams, type ParamValue } from '../models/registry.ts';
import { POSTER_KINDS } from '../models/poster/kinds.ts';

/** CLI data: a folder of `<imdb or tmdb id>.jpg` posters and a CSV with genres (paths relative to the spec). */
export interface PosterFilesData {
  posters: string;
  labels: string;
}

/** In the studio: the library's movies with genres and their stored posters. */
export interface PosterLibraryData {
  library: true;
}

export type PosterData = PosterFilesData | PosterLibraryData;

/** A posters spec; `D` narrows where the data comes from (files for the CLI by default). */
export interface PosterExperimentSpec<D extends PosterData = PosterFilesData> {
  name?: string;
  data: D;
  labels: { groups: 'paper7' | GenreGroup[] };
  model: { kind: string; params?: ModelParams; grid?: Record<string, ParamValue[]> };
  /** Share of the training split used to pick the grid point (0.2 when absent). */
  validation?: {
    /**
     * @exclusiveMinimum 0
     * @exclusiveMaximum 1
     */
    fraction: number;
  };
  split: TestSplit;
  /**
   * Use only the first n labelled posters (quick runs).
   * @asType integer
   * @minimum 10
   */
  limit?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A posters spec from either source (what the runner accepts). */
export type AnyPosterSpec = PosterExperimentSpec<PosterData>;

/** True when a parsed JSON spec names a posters data source (or the library with a poster model kind). */
export function isPosterSpecInput(input: unknown): boolean {
  if (!isObject(input) || !isObject(input.data)) return false;
  if ('posters' in input.data) return true;
  const kind = isObject(input.model) ? input.model.kind : undefined;
  return input.data.library === true && (POSTER_KINDS as readonly unknown[]).includes(kind);
}

/**
 * Problems of a poster spec, one message each (empty when valid). `source` says which data
 * form is accepted: 'files' (the CLI, the default) or 'library' (the studio's worker).
 */
export function posterSpecProblems(
  input: unknown,
  source: 'files' | 'library' = 'files',
): string[] {
  const out: string[] = [];
  if (!isObject(input)) return ['spec: must be a JSON object'];
  const known = ['name', 'data', 'labels', 'model', 'validation', 'split', 'limit'];
  for (const k of Object.keys(input))
    if (!known.includes(k))
      out.push(`spec: unknown field '${k}' for a posters spec (expected ${known.join(', ')})`);
  const d = input.data;
  if (source === 'library') {
    if (!isObject(d) || d.library !== true) out.push('data: must be { "library": true }');
  } else if (!isObject(d) || typeof d.posters !== 'string' || typeof d.labels !== 'string')
    out.push('data: must be { "posters": "<folder>", "labels": "<csv>" }');
  const l = input.labels;
  if (!isObject(l) || (l.groups !== 'paper7' && !Array.isArray(l.groups)))
    out.push("labels.groups: must be 'paper7' or a list of { name, genreIds }");
  const m = input.model;
  if (
    !isObject(m) ||
    typeof m.kind !== 'string' ||
    !(POSTER_KINDS as readonly string[]).includes(m.kind)
  )
    out.push(
      `model.kind: must be one of ${POSTER_KINDS.map((k) => `'${k}'`).join(', ')} for posters`,
    );
  else {
    const kind = MODEL_KINDS[m.kind]!;
    const check = (where: string, name: string, v: unknown) => {
      const ps = kind.params[name];
      if (!ps) return void out.push(`${where}: unknown parameter '${name}' for ${m.kind}`);
      const problem = checkParam(ps, v);
      if (problem) out.push(`${where}.${name}: ${problem}, got ${JSON.stringify(v)}`);
    };
    if (m.params !== undefined) {
      if (!isObject(m.params)) out.push('model.params: must be an object');
      else for (const [k, v] of Object.entries(m.params)) check('model.params', k, v);
    }
    if (m.grid !== undefined) {
      if (!isObject(m.grid)) out.push('model.grid: must be an object { param: [values…] }');
      else
        for (const [k, vs] of Object.entries(m.grid))
          if (!Array.isArray(vs) || vs.length === 0)
            out.push(`model.grid.${k}: must be a non-empty list of values`);
          else for (const v of vs) check('model.grid', k, v);
    }
  }
  const v = input.validation;
  if (
    v !== undefined &&
    !(isObject(v) && typeof v.fraction === 'number' && v.fraction > 0 && v.fraction < 1)
  )
    out.push('validation.fraction: must be a number in (0, 1)');
  const s = input.split;
  if (
    !isObject(s) ||
    !(typeof s.testFraction === 'number' && s.testFraction > 0 && s.testFraction < 1) ||
    !(Number.isInteger(s.seed) && (s.seed as number) >= 0)
  )
    out.push('split: must be { "testFraction": number in (0, 1), "seed": integer >= 0 }');
  if (
    input.limit !== undefined &&
    !(Number.isInteger(input.limit) && (input.limit as number) >= 10)
  )
    out.push('limit: must be an integer >= 10');
  return out;
}
