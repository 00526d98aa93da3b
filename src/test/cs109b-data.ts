/**
 * Tests only (Node): the CS109b crawl in ../shared, read in place and never copied. Its genre
 * columns are named by TMDb id; rows repeat (7,220 rows, 4,411 movie_id), so `dedupe` keeps the
 * first row of each movie_id. Kept apart from the app code because it reads the file system.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Movie } from '../lib/data/types.ts';
import { GENRE_COLUMNS } from '../lib/features/groups.ts';
import { sharedUrl } from './shared.ts';

/** The crawl's path inside the shared folder (for missingShared). */
export const CS109B_CSV = 'data/tmdb-cs109b/movies.csv';
const CSV = sharedUrl(CS109B_CSV);

/** A minimal Movie with a key and genres. */
export function testMovie(key: string, genreIds: number[]): Movie {
  return { key, title: key, genreIds, keywords: [], source: 'test', updatedAt: 0 };
}

/** The crawl's rows as minimal Movie records keyed `tmdb:<movie_id>`, optionally one per movie_id. */
export function readCs109bMovies(dedupe = true): Movie[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(CSV, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const seen = new Set<string>();
  const out: Movie[] = [];
  for (const row of parsed.data) {
    const id = row['movie_id'] ?? '';
    if (dedupe && seen.has(id)) continue;
    seen.add(id);
    out.push(
      testMovie(
        `tmdb:${id}`,
        GENRE_COLUMNS.filter((g) => row[String(g)] === '1'),
      ),
    );
  }
  return out;
}
