import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { SHARED_ROOT, sharedPath } from '../../src/test/shared.ts';
import { makeJpeg } from '../../src/test/posters.ts';

/** Where ../shared lives (read in place, never copied); MARQUEE_SHARED overrides it. */
export const SHARED = SHARED_ROOT;
const METADATA = sharedPath('data/metadata/tmdb-5000.csv');
const REAL_POSTERS = sharedPath('data/tmdb-cs109b/posters');

/**
 * Without the shared folder the catalogue is made up: MADE_UP_MOVIES rows in tmdb-5000's columns,
 * and a temporary poster folder holding one generated 92×138 JPEG under the first half's ids.
 */
export const MADE_UP = !existsSync(METADATA) || !existsSync(REAL_POSTERS);
const MADE_UP_MOVIES = 400;
const madeId = (i: number): number => 1000 + i * 7;
export const POSTER_DIR = MADE_UP ? madePosterDir() : REAL_POSTERS;

function madePosterDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-fake-posters-'));
  const jpeg = makeJpeg(92, 138);
  for (let i = 0; i < MADE_UP_MOVIES / 2; i++) writeFileSync(join(dir, `${madeId(i)}.jpg`), jpeg);
  return dir;
}

const GENRES = [
  { id: 28, name: 'Action' },
  { id: 35, name: 'Comedy' },
  { id: 18, name: 'Drama' },
  { id: 27, name: 'Horror' },
  { id: 10752, name: 'War' },
  { id: 878, name: 'Science Fiction' },
];

/** tmdb-5000-shaped rows for made-up movies (deterministic). */
function madeUpRows(): Record<string, string>[] {
  return Array.from({ length: MADE_UP_MOVIES }, (_, i) => ({
    id: String(madeId(i)),
    title: `Made-up Movie ${i + 1}`,
    original_title: `Made-up Movie ${i + 1}`,
    overview: `A movie made up for the tests (${i + 1}).`,
    release_date: `${1 + (i % 12)}/${1 + (i % 28)}/${1990 + (i % 30)}`,
    popularity: String((i % 50) + 0.5),
    vote_count: String(i * 3),
    vote_average: String(5 + (i % 5)),
    original_language: 'en',
    genres: JSON.stringify([GENRES[i % 6], GENRES[(i * 5 + 1) % 6]]),
    runtime: String(80 + (i % 60)),
    budget: String(i * 1000),
    keywords: JSON.stringify([
      { id: i % 17, name: `keyword ${i % 17}` },
      { id: 100 + (i % 5), name: `theme ${i % 5}` },
    ]),
  }));
}

/** A movie as the fake TMDb holds it: the details shape with every appendable part. */
export interface FakeMovie {
  id: number;
  title: string;
  original_title: string;
  overview: string;
  release_date: string;
  popularity: number;
  vote_count: number;
  vote_average: number;
  original_language: string;
  adult: boolean;
  video: boolean;
  poster_path: string | null;
  backdrop_path: string | null;
  genres: Array<{ id: number; name: string }>;
  runtime: number | null;
  budget: number;
  imdb_id: string;
  keywords: Array<{ id: number; name: string }>;
  director: string;
  cast: string[];
  certificates: Record<string, string>;
}

const CERTS = ['G', 'PG', 'PG-13', 'R'];

function isoDate(mdy: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(mdy.trim());
  if (!m) return mdy.trim();
  return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

function jsonList(cell: string | undefined): Array<{ id: number; name: string }> {
  try {
    const v = JSON.parse(cell ?? '[]') as Array<{ id: number; name: string }>;
    return Array.isArray(v) ? v.map((x) => ({ id: Number(x.id), name: String(x.name) })) : [];
  } catch {
    return [];
  }
}

/**
 * Builds the fake catalogue from ../shared/data/metadata/tmdb-5000.csv (real TMDb metadata) with
 * posters from tmdb-cs109b/posters, or from made-up movies and posters when those are missing. imdb_id, director, cast and certificates are not in that file,
 * so they are derived from the id, deterministically. `withPostersFirst` puts movies that have a
 * poster file first, so small test catalogues exercise poster downloads.
 */
export function loadCatalogue(
  options: { limit?: number; withPostersFirst?: boolean } = {},
): FakeMovie[] {
  const rows = MADE_UP
    ? madeUpRows()
    : Papa.parse<Record<string, string>>(readFileSync(METADATA, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
  const posters = new Set(existsSync(POSTER_DIR) ? readdirSync(POSTER_DIR) : []);
  const seen = new Set<number>();
  const movies: FakeMovie[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    if (!Number.isInteger(id) || seen.has(id)) continue;
    seen.add(id);
    movies.push({
      id,
      title: r.title ?? '',
      original_title: r.original_title ?? r.title ?? '',
      overview: r.overview ?? '',
      release_date: isoDate(r.release_date ?? ''),
      popularity: Number(r.popularity) || 0,
      vote_count: Number(r.vote_count) || 0,
      vote_average: Number(r.vote_average) || 0,
      original_language: r.original_language ?? 'en',
      adult: false,
      video: false,
      poster_path: posters.has(`${id}.jpg`) ? `/${id}.jpg` : null,
      backdrop_path: `/backdrop-${id}.jpg`,
      genres: jsonList(r.genres),
      runtime: r.runtime ? Number(r.runtime) : null,
      budget: Number(r.budget) || 0,
      imdb_id: `tt${String(id).padStart(7, '0')}`,
      keywords: jsonList(r.keywords),
      director: `Director ${id % 211}`,
      cast: [`Actor ${id % 101}`, `Actor ${(id * 7) % 103}`],
      certificates: { US: CERTS[id % CERTS.length]!, DE: String([0, 6, 12, 16][id % 4]) },
    });
  }
  if (options.withPostersFirst)
    movies.sort((a, b) => Number(b.poster_path !== null) - Number(a.poster_path !== null));
  return options.limit === undefined ? movies : movies.slice(0, options.limit);
}
