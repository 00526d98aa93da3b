import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';

/** Where ../shared lives (read in place, never copied). */
export const SHARED = resolve(
  process.env.MARQUEE_SHARED ?? join(import.meta.dirname, '../../../shared'),
);
export const POSTER_DIR = join(SHARED, 'data/tmdb-cs109b/posters');

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
 * posters from tmdb-cs109b/posters. imdb_id, director, cast and certificates are not in that file,
 * so they are derived from the id, deterministically. `withPostersFirst` puts movies that have a
 * poster file first, so small test catalogues exercise poster downloads.
 */
export function loadCatalogue(
  options: { limit?: number; withPostersFirst?: boolean } = {},
): FakeMovie[] {
  const text = readFileSync(join(SHARED, 'data/metadata/tmdb-5000.csv'), 'utf8');
  const rows = Papa.parse<Record<string, string>>(text, {
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
