/**
 * What the Train and Explore panels need to know about the whole library, without its records:
 * how many movies, which columns some movie has, and how many movies (and how many with a stored
 * poster) carry each distinct combination of genres. A worker builds it from the library's batches;
 * it stays small (a few thousand genre combinations at most) whatever the library's size.
 */
import type { Movie } from '../data/types.ts';
import { fieldValue, NUMERIC_FIELDS, type NumericField } from './encode.ts';

/** A column of the library: a numeric field, or the certificate. */
export type ProfileColumn = NumericField | 'certificate';

export interface GenreSetCount {
  /** The genre ids, ascending (empty: movies without a genre). */
  genreIds: number[];
  movies: number;
  withPoster: number;
}

export interface LibraryProfile {
  movies: number;
  withKeywords: number;
  /** Columns at least one movie has a value for. */
  present: ProfileColumn[];
  /** One entry per distinct combination, ordered by its ids. */
  genreSets: GenreSetCount[];
}

/** Adds movies one at a time (a batch at once never has to be held). */
export class ProfileBuilder {
  #movies = 0;
  #withKeywords = 0;
  readonly #present = new Set<ProfileColumn>();
  readonly #sets = new Map<string, GenreSetCount>();

  add(m: Movie, hasPoster: boolean): void {
    this.#movies++;
    if (m.keywords.length > 0) this.#withKeywords++;
    for (const f of NUMERIC_FIELDS)
      if (!this.#present.has(f) && fieldValue(m, f) !== undefined) this.#present.add(f);
    if (m.certificate) this.#present.add('certificate');
    const ids = [...new Set(m.genreIds)].sort((a, b) => a - b);
    const id = ids.join(',');
    let set = this.#sets.get(id);
    if (!set) this.#sets.set(id, (set = { genreIds: ids, movies: 0, withPoster: 0 }));
    set.movies++;
    if (hasPoster) set.withPoster++;
  }

  done(): LibraryProfile {
    return {
      movies: this.#movies,
      withKeywords: this.#withKeywords,
      present: [...NUMERIC_FIELDS, 'certificate' as const].filter((c) => this.#present.has(c)),
      // In id order, so the profile does not depend on the order the movies came in.
      genreSets: [...this.#sets.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, s]) => s),
    };
  }
}

/** The profile of movies in memory (tests, scripts). */
export function profileOf(
  movies: Iterable<Movie>,
  posterKeys: ReadonlySet<string> = new Set(),
): LibraryProfile {
  const b = new ProfileBuilder();
  for (const m of movies) b.add(m, posterKeys.has(m.key));
  return b.done();
}

/** Whether some movie has a value for the column. */
export function profileHas(p: LibraryProfile, column: ProfileColumn): boolean {
  return p.present.includes(column);
}

/** Movies with at least one of the genres (only those with a stored poster when asked). */
export function countWithGenres(
  p: LibraryProfile,
  genreIds: Iterable<number>,
  withPoster = false,
): number {
  const ids = new Set(genreIds);
  let n = 0;
  for (const s of p.genreSets)
    if (s.genreIds.some((id) => ids.has(id))) n += withPoster ? s.withPoster : s.movies;
  return n;
}
