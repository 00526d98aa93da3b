/**
 * The Library table's rows without the records: what each row shows, a lower-case search text per
 * movie, and the filtered, sorted order of a query as row numbers. Built in a worker from the
 * library's batches; the page asks it for a count and then for the window of rows it draws.
 */
import { TMDB_GENRES } from './genres.ts';
import type { Movie } from './types.ts';

export type SortKey = 'title' | 'year' | 'popularity' | 'voteAverage' | 'voteCount';
export interface TableQuery {
  search: string;
  sort: SortKey;
  descending: boolean;
  onlyWithPoster: boolean;
  /**
   * Rating sort only: movies with at least this many votes come first, the rest after them (a 10/10
   * from one vote does not top the list); 0 or absent = plain rating order.
   */
  minVotes?: number;
}

/** What one table row shows (and the key it opens). */
export interface TableRow {
  key: string;
  title: string;
  year?: number;
  genreIds: number[];
  popularity?: number;
  voteAverage?: number;
  voteCount?: number;
}

/** Genre names of a movie, in TMDb vocabulary. */
export function genreNames(m: Pick<Movie, 'genreIds'>): string[] {
  return m.genreIds.map((id) => TMDB_GENRES[id] ?? `#${id}`);
}

/** The text a search term must be found in: title, original title, director, year, genres, keywords. */
function searchText(m: Movie): string {
  return [
    m.title,
    m.originalTitle ?? '',
    m.director ?? '',
    String(m.year ?? ''),
    ...genreNames(m),
    ...m.keywords,
  ]
    .join(' ')
    .toLowerCase();
}

const collator = new Intl.Collator();

/** The table's rows of a library, in the order they were added (key order when read from IndexedDB). */
export class MovieTable {
  readonly #rows: TableRow[] = [];
  readonly #text: string[] = [];
  readonly #poster: boolean[] = [];
  #byKey: Map<string, number> | undefined;
  /** Title order: equal ranks for titles the collator finds equal (ties keep insertion order). */
  #titleRank: Int32Array | undefined;

  /** Adds one movie (only what the table shows and searches is kept). */
  add(m: Movie, hasPoster: boolean): void {
    const row: TableRow = { key: m.key, title: m.title, genreIds: m.genreIds };
    if (m.year !== undefined) row.year = m.year;
    if (m.popularity !== undefined) row.popularity = m.popularity;
    if (m.voteAverage !== undefined) row.voteAverage = m.voteAverage;
    if (m.voteCount !== undefined) row.voteCount = m.voteCount;
    this.#rows.push(row);
    this.#text.push(searchText(m));
    this.#poster.push(hasPoster);
    this.#byKey = undefined;
    this.#titleRank = undefined;
  }

  get size(): number {
    return this.#rows.length;
  }

  row(i: number): TableRow {
    const r = this.#rows[i];
    if (!r) throw new RangeError(`no row ${i} (the table has ${this.#rows.length})`);
    return r;
  }

  /** The row number of a movie key, or undefined. */
  indexOf(key: string): number | undefined {
    this.#byKey ??= new Map(this.#rows.map((r, i) => [r.key, i]));
    return this.#byKey.get(key);
  }

  /**
   * Filters by a case-insensitive search (every term must occur in the title, original title,
   * director, year, genres or keywords) and the poster filter, then sorts with missing values last
   * whatever the direction; equal values keep the library's order.
   */
  query(q: TableQuery): number[] {
    const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean);
    const out: number[] = [];
    for (let i = 0; i < this.#rows.length; i++) {
      if (q.onlyWithPoster && !this.#poster[i]) continue;
      const text = this.#text[i]!;
      if (terms.length && !terms.every((t) => text.includes(t))) continue;
      out.push(i);
    }
    const dir = q.descending ? -1 : 1;
    const rows = this.#rows;
    const rank = q.sort === 'title' ? this.#ranks() : undefined;
    const value = (i: number): number | undefined =>
      rank ? rank[i] : (rows[i]![q.sort as Exclude<SortKey, 'title'>] as number | undefined);
    const min = q.sort === 'voteAverage' ? (q.minVotes ?? 0) : 0;
    const enough = (i: number) => (rows[i]!.voteCount ?? 0) >= min;
    return out.sort((a, b) => {
      if (min > 0 && enough(a) !== enough(b)) return enough(a) ? -1 : 1;
      const va = value(a);
      const vb = value(b);
      if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
      return dir * (va - vb);
    });
  }

  #ranks(): Int32Array {
    if (this.#titleRank) return this.#titleRank;
    const order = this.#rows.map((_, i) => i);
    order.sort((a, b) => collator.compare(this.#rows[a]!.title, this.#rows[b]!.title));
    const rank = new Int32Array(order.length);
    let r = 0;
    order.forEach((i, n) => {
      if (n > 0 && collator.compare(this.#rows[order[n - 1]!]!.title, this.#rows[i]!.title) !== 0)
        r = n;
      rank[i] = r;
    });
    this.#titleRank = rank;
    return rank;
  }
}

/** The movies a table query shows, in order (the table's rule applied to records in memory). */
export function queryMovies(
  movies: readonly Movie[],
  q: TableQuery,
  posterKeys: ReadonlySet<string>,
): Movie[] {
  const table = new MovieTable();
  for (const m of movies) table.add(m, posterKeys.has(m.key));
  return table.query(q).map((i) => movies[i]!);
}
