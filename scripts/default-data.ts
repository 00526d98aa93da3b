/**
 * The default poster model's data, shared by `npm run train:default`, its evaluation test and
 * the e2e tests: the Kaggle poster subset (IMDb genres) plus the tmdb-cs109b posters (TMDb
 * genres), labelled with the paper's 7 groups and de-duplicated by movie across both sources;
 * then one seeded held-out split, made before anything is fitted. The held-out split is the
 * previous model's Kaggle test split (which it never trained on) plus a stratified 20 % of the
 * cs109b-only movies, so the previous model can be scored on the same held-out posters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import { normaliseTitle } from '../src/lib/data/film-merge.ts';
import type { Movie } from '../src/lib/data/types.ts';
import { PAPER7, groupLabels } from '../src/lib/features/groups.ts';
import { trainTestSplit } from '../src/lib/features/splits.ts';
import { takeRows, type LabelMatrix } from '../src/lib/metrics/index.ts';
import { checkImageBytes } from '../src/lib/predict/input-check.ts';
import { loadBackboneFromDir } from './poster-experiment.ts';

export const SHARED = resolve(
  process.env.MARQUEE_SHARED ?? join(import.meta.dirname, '../../shared'),
);
export const KAGGLE = join(SHARED, 'data/posters-kaggle');
export const CS109B = join(SHARED, 'data/tmdb-cs109b');
export const MODELS_DIR = join(SHARED, 'models');
/** The previous model's Kaggle split (its test part is kept as held-out here). */
export const SPLIT = { seed: 2024, testFraction: 0.2, validationFraction: 0.15 } as const;
/** The split of the cs109b-only movies. */
export const CS109B_SPLIT = { seed: 2025, testFraction: 0.2 } as const;

/** One labelled poster of the combined data. */
export interface PosterRow {
  /** `imdb:tt…` (Kaggle) or `tmdb:…` (cs109b); unique after de-duplication. */
  key: string;
  source: 'kaggle' | 'cs109b';
  /** The poster's folder and file name. */
  dir: string;
  file: string;
}

export interface DefaultData {
  rows: PosterRow[];
  /** Kaggle rows: the IMDb id; cs109b rows: the row key (kept for callers joining on imdb ids). */
  ids: string[];
  labels: LabelMatrix;
  train: number[];
  /** Empty: choices are made by cross-validation on `train`. */
  validation: number[];
  test: number[];
  /** Rows the previous shipped model never trained on (its validation slice and the held-out rows). */
  previousUnseen: number[];
  /** How the two sources were joined. */
  dedup: { kaggle: number; cs109b: number; dropped: number; byImdbId: number; byTitleYear: number };
}

/** Title normalised for matching (the Library's film merge uses the same rule). */
export { normaliseTitle };

async function parse(path: string, encoding = 'utf-8'): Promise<Movie[]> {
  const text = new TextDecoder(encoding).decode(readFileSync(path));
  return (await parseMoviesCsv(text, { source: path })).movies;
}

const isJpeg = (path: string) => {
  if (!existsSync(path)) return false;
  const c = checkImageBytes(new Uint8Array(readFileSync(path)));
  return c.ok && c.type === 'image/jpeg';
};

/** The previous model's Kaggle split by IMDb id: it trained on `train` only. */
function previousKaggleSplit(
  ids: string[],
  labels: LabelMatrix,
): { train: Set<string>; validation: Set<string>; test: Set<string> } {
  const outer = trainTestSplit(labels, {
    seed: SPLIT.seed,
    testFraction: SPLIT.testFraction,
    keys: ids,
  });
  const inner = trainTestSplit(takeRows(labels, outer.train), {
    seed: SPLIT.seed + 1,
    testFraction: SPLIT.validationFraction,
    keys: outer.train.map((r) => ids[r]!),
  });
  const idsOf = (rows: number[]) => new Set(rows.map((r) => ids[r]!));
  return {
    train: idsOf(inner.train.map((i) => outer.train[i]!)),
    validation: idsOf(inner.test.map((i) => outer.train[i]!)),
    test: idsOf(outer.test),
  };
}

/**
 * cs109b movies that are a Kaggle movie: the IMDb id where known (tmdb-imdb-2011-2016 maps TMDb
 * to IMDb ids), else normalised title + release year matched to IMDB 5000's title + year (the
 * Kaggle file has no titles, so IMDB 5000 gives the Kaggle ids their titles).
 */
async function kaggleTwins(
  cs: Movie[],
  kaggleIds: Set<string>,
): Promise<{ twins: Set<string>; byImdbId: number; byTitleYear: number }> {
  const crosswalk = new Map<number, string>();
  for (const m of await parse(
    join(SHARED, 'data/metadata/tmdb-imdb-2011-2016.csv'),
    'windows-1252',
  ))
    if (m.tmdbId && m.imdbId) crosswalk.set(m.tmdbId, m.imdbId);
  const byTitle = new Map<string, string>();
  for (const m of await parse(join(SHARED, 'data/metadata/imdb-5000.csv')))
    if (m.imdbId && m.year) byTitle.set(`${normaliseTitle(m.title)}|${m.year}`, m.imdbId);
  const twins = new Set<string>();
  let byImdbId = 0;
  let byTitleYear = 0;
  for (const m of cs) {
    const viaId = crosswalk.get(m.tmdbId!);
    const viaTitle = m.year ? byTitle.get(`${normaliseTitle(m.title)}|${m.year}`) : undefined;
    if (viaId && kaggleIds.has(viaId)) byImdbId++;
    else if (viaTitle && kaggleIds.has(viaTitle)) byTitleYear++;
    else continue;
    twins.add(m.key);
  }
  return { twins, byImdbId, byTitleYear };
}

/** The labelled posters of both sources (7 groups; movies in no group dropped) and the split. */
export async function loadDefaultData(): Promise<DefaultData> {
  const kPosters = join(KAGGLE, 'posters');
  const kaggle = (await parse(join(KAGGLE, 'labels.csv'))).filter(
    (m) => m.imdbId && existsSync(join(kPosters, `${m.imdbId}.jpg`)),
  );
  const kg = groupLabels(kaggle, PAPER7);
  const kIds = kg.kept.map((i) => kaggle[i]!.imdbId!);
  const previous = previousKaggleSplit(kIds, kg.labels);
  const heldOut = previous.test;

  const cPosters = join(CS109B, 'posters');
  const csAll = (await parse(join(CS109B, 'movies.csv'))).filter(
    (m) => m.tmdbId && isJpeg(join(cPosters, `${m.tmdbId}.jpg`)),
  );
  const { twins, byImdbId, byTitleYear } = await kaggleTwins(csAll, new Set(kIds));
  const cs = csAll.filter((m) => !twins.has(m.key));
  const cg = groupLabels(cs, PAPER7);
  const cKeys = cg.kept.map((i) => cs[i]!.key);
  const cSplit = trainTestSplit(cg.labels, { ...CS109B_SPLIT, keys: cKeys });
  const cTest = new Set(cSplit.test);

  const rows: PosterRow[] = [
    ...kIds.map((id) => ({
      key: `imdb:${id}`,
      source: 'kaggle' as const,
      dir: kPosters,
      file: `${id}.jpg`,
    })),
    ...cg.kept.map((i) => ({
      key: cs[i]!.key,
      source: 'cs109b' as const,
      dir: cPosters,
      file: `${cs[i]!.tmdbId}.jpg`,
    })),
  ];
  const labels: LabelMatrix = {
    rows: rows.length,
    cols: 7,
    data: new Uint8Array([...kg.labels.data, ...cg.labels.data]),
  };
  const test: number[] = [];
  const train: number[] = [];
  kIds.forEach((id, r) => (heldOut.has(id) ? test : train).push(r));
  cKeys.forEach((_, j) => (cTest.has(j) ? test : train).push(kIds.length + j));
  return {
    rows,
    ids: rows.map((r) => (r.source === 'kaggle' ? r.key.slice(5) : r.key)),
    labels,
    train,
    validation: [],
    test,
    previousUnseen: rows.flatMap((r, i) =>
      r.source === 'cs109b' || !previous.train.has(r.key.slice(5)) ? [i] : [],
    ),
    dedup: {
      kaggle: kIds.length,
      cs109b: cKeys.length,
      dropped: twins.size,
      byImdbId,
      byTitleYear,
    },
  };
}

/** The labels of some rows. */
export const labelsOf = (d: DefaultData, rows: readonly number[]): LabelMatrix =>
  takeRows(d.labels, rows);

/** A poster file of the Kaggle subset. */
export function posterPath(imdbId: string): string {
  return join(KAGGLE, 'posters', `${imdbId}.jpg`);
}

/** Loads MobileNetV2-0.35 from ../shared/models. */
export function loadDefaultBackbone(): Promise<tf.LayersModel> {
  return loadBackboneFromDir(MODELS_DIR, 'mobilenetv2-0.35');
}
