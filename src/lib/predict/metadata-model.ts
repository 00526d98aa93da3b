/**
 * Metadata prediction from a saved metadata run (MetadataPredictor): which fields its features
 * read (for the Predict panel's form), a form → Movie (blanks stay missing, so they are imputed
 * with the training medians exactly as in training), and scoring movies with the reloaded model.
 * Pure apart from the model registry (tfjs for the MLP); runs in the train worker.
 */
import type { Movie } from '../data/types.ts';
import type { MetadataPredictor } from '../experiments/runner.ts';
import { applyFeatures, type NumericField } from '../features/encode.ts';
import { CERTIFICATES } from '../features/certificate.ts';
import { loadModel } from '../models/registry.ts';
import type { MultiLabelModel } from '../models/types.ts';

export type { MetadataPredictor };

/** One input of the metadata form. */
export interface MetadataField {
  /** A Movie field name: a numeric field, 'certificate', 'director' or 'keywords'. */
  name: NumericField | 'certificate' | 'director' | 'keywords';
  label: string;
  kind: 'number' | 'choice' | 'text';
  /** For 'choice': the allowed values (blank = missing). */
  choices?: readonly string[];
  /** The training median, shown as the placeholder of a number (what a blank becomes). */
  median?: number;
}

const LABELS: Record<NumericField, string> = {
  popularity: 'TMDb popularity',
  voteCount: 'TMDb vote count',
  voteAverage: 'TMDb vote average (0–10)',
  imdbVotes: 'IMDb votes',
  numStunts: 'stunt credits',
  numFx: 'effects credits',
  year: 'release year',
  month: 'release month (1–12)',
  decade: 'decade',
};

/** The form fields a predictor's features read, in feature order (decade is covered by year). */
export function metadataFields(p: MetadataPredictor): MetadataField[] {
  const t = p.transform;
  const out: MetadataField[] = [];
  const seen = new Set<string>();
  for (const c of t.numeric) {
    const name: NumericField = c.field === 'decade' ? 'year' : c.field;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, label: LABELS[name], kind: 'number', median: c.median });
  }
  if (t.certificate)
    out.push({
      name: 'certificate',
      label: 'certificate (e.g. PG-13, R, 15)',
      kind: 'choice',
      choices: CERTIFICATES,
    });
  if (t.directors?.length) out.push({ name: 'director', label: 'director', kind: 'text' });
  if (t.keywords?.length)
    out.push({ name: 'keywords', label: 'keywords (comma-separated)', kind: 'text' });
  return out;
}

/** A form value as inputs give it (a bound number input yields a number, or null when blank). */
export type FormValue = string | number | null | undefined;

/** A Movie from form values; blank or unparseable numbers are left missing. */
export function movieFromForm(values: Readonly<Record<string, FormValue>>): Movie {
  const m: Movie = {
    key: 'form',
    title: 'form',
    genreIds: [],
    keywords: [],
    source: 'form',
    updatedAt: 0,
  };
  const rec = m as unknown as Record<string, unknown>;
  for (const [k, raw] of Object.entries(values)) {
    const v = raw === null || raw === undefined ? '' : String(raw).trim();
    if (!v) continue;
    if (k === 'certificate' || k === 'director') rec[k] = v;
    else if (k === 'keywords')
      m.keywords = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (k in LABELS) {
      const n = Number(v);
      if (Number.isFinite(n)) rec[k] = n;
    }
  }
  return m;
}

/** Keeps the last loaded model per id, so repeated predictions do not reload it. */
export class MetadataModels {
  #id = '';
  #model: MultiLabelModel | null = null;

  /** Row-major rows × labels probabilities of the movies under the run's model and features. */
  async predict(id: string, p: MetadataPredictor, movies: readonly Movie[]): Promise<Float32Array> {
    if (this.#id !== id || !this.#model) {
      this.#model?.dispose();
      this.#model = loadModel(p.model);
      this.#id = id;
    }
    if (movies.length === 0) return new Float32Array(0);
    const x = applyFeatures(p.transform, movies);
    return this.#model.predictScores({ rows: x.rows, cols: x.cols, data: x.x });
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = null;
    this.#id = '';
  }
}

/** 0/1 truth of a movie for the predictor's groups (a group is on when the movie has any of its genres). */
export function groupTruth(m: Movie, groups: Readonly<MetadataPredictor['groups']>): number[] {
  return groups.map((g) => (g.genreIds.some((id) => m.genreIds.includes(id)) ? 1 : 0));
}

/** 0/1 truth of the wanted movies (those still in `movies`), by key. */
export function truthByKey(
  movies: readonly Movie[],
  keys: readonly string[],
  groups: Readonly<MetadataPredictor['groups']>,
): ReadonlyMap<string, number[]> {
  const wanted = new Set(keys);
  return new Map(
    movies.filter((m) => wanted.has(m.key)).map((m) => [m.key, groupTruth(m, groups)]),
  );
}
