/**
 * One movie per film across sources. TMDb 5000 knows a film by its TMDb id, IMDB 5000 by its
 * IMDb id, so importing both lists Avatar twice (`tmdb:19995` and `imdb:tt0499549`), and the two
 * records can land on both sides of a split. The rules, in order:
 *  1. the same movie key: the same record (the store merges their fields, storage/merge.ts);
 *  2. the same IMDb id: the same film;
 *  3. else the same normalised title (accents and punctuation dropped, lower case) and the same
 *     year, when exactly one known film has them and no IMDb ids contradict it;
 *  4. two or more candidates: ambiguous, kept apart and reported (never guessed);
 *  5. otherwise a new film.
 * A matched record keeps the first record's key (posters and runs refer to it) and gains the
 * other's ids, so later imports and poster files of either source find it.
 */
import type { Movie } from './types.ts';

/** Title normalised for matching: accents dropped, lower case, runs of non-alphanumerics to one space. */
export function normaliseTitle(t: string): string {
  return t
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** `title|year`, or null without a year (a title alone is too weak to merge films). */
export function titleYearKey(m: Pick<Movie, 'title' | 'year'>): string | null {
  const t = normaliseTitle(m.title ?? '');
  return t && m.year !== undefined ? `${t}|${m.year}` : null;
}

type Known = Pick<Movie, 'key' | 'imdbId' | 'tmdbId' | 'title' | 'year'>;

/** What the library already holds, by the ways a film is recognised. */
export class FilmIndex {
  readonly #keys = new Set<string>();
  readonly #imdb = new Map<string, string>();
  readonly #titleYear = new Map<string, Known[]>();

  constructor(movies: Iterable<Known> = []) {
    for (const m of movies) this.add(m);
  }

  add(m: Known): void {
    this.#keys.add(m.key);
    if (m.imdbId) this.#imdb.set(m.imdbId, m.key);
    const ty = titleYearKey(m);
    if (!ty) return;
    const list = this.#titleYear.get(ty) ?? [];
    const i = list.findIndex((k) => k.key === m.key);
    if (i >= 0) list[i] = m;
    else list.push(m);
    this.#titleYear.set(ty, list);
  }

  /** How an incoming record relates to the known films (rules above). */
  match(m: Known): FilmMatch {
    if (this.#keys.has(m.key)) return { kind: 'same-key', key: m.key };
    const byImdb = m.imdbId ? this.#imdb.get(m.imdbId) : undefined;
    if (byImdb) return { kind: 'imdb', key: byImdb };
    const ty = titleYearKey(m);
    const candidates = (ty ? (this.#titleYear.get(ty) ?? []) : []).filter(
      // Two different IMDb ids are two different films, whatever their titles.
      (k) =>
        !(k.imdbId && m.imdbId && k.imdbId !== m.imdbId) &&
        !(k.tmdbId && m.tmdbId && k.tmdbId !== m.tmdbId),
    );
    if (candidates.length === 1) return { kind: 'title-year', key: candidates[0]!.key };
    if (candidates.length > 1) return { kind: 'ambiguous', keys: candidates.map((c) => c.key) };
    return { kind: 'new' };
  }
}

export type FilmMatch =
  | { kind: 'same-key' | 'imdb' | 'title-year'; key: string }
  | { kind: 'ambiguous'; keys: string[] }
  | { kind: 'new' };

/** What an import merged. */
export interface FilmMergeReport {
  /** Incoming records that joined a film under another key. */
  merged: number;
  byImdbId: number;
  byTitleYear: number;
  /** Records kept apart because several films share their title and year. */
  ambiguous: { key: string; title: string; year?: number; candidates: string[] }[];
  /** Examples of merges, `incoming → kept` (at most 20). */
  examples: string[];
}

/**
 * Incoming records with their keys moved onto the films they match (in `index`, which learns
 * each record as it goes, so duplicates inside one import merge too), ready for the store's
 * field merge; and the report.
 */
export function mergeFilms(
  index: FilmIndex,
  incoming: readonly Movie[],
): { movies: Movie[]; report: FilmMergeReport } {
  const report: FilmMergeReport = {
    merged: 0,
    byImdbId: 0,
    byTitleYear: 0,
    ambiguous: [],
    examples: [],
  };
  const movies = incoming.map((m) => {
    const match = index.match(m);
    if (match.kind === 'imdb' || match.kind === 'title-year') {
      report.merged++;
      if (match.kind === 'imdb') report.byImdbId++;
      else report.byTitleYear++;
      if (report.examples.length < 20) report.examples.push(`${m.key} → ${match.key} (${m.title})`);
      const moved = { ...m, key: match.key };
      index.add(moved);
      return moved;
    }
    if (match.kind === 'ambiguous')
      report.ambiguous.push({ key: m.key, title: m.title, year: m.year, candidates: match.keys });
    index.add(m);
    return m;
  });
  return { movies, report };
}
