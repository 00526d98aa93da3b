import { MovieTable, type TableQuery, type TableRow } from '../data/movie-table.ts';
import { ProfileBuilder, type LibraryProfile } from '../features/library-profile.ts';
import { MOVIE_BATCH_SIZE, type Library } from '../storage/index.ts';
import type { MovieQuery } from './library-query.ts';
import { LibraryReader } from './library-reader.ts';
import { yieldToEvents } from '../core/yield.ts';

/** A movie found by a title search (Predict's movie picker, the style image picker). */
export interface TitleMatch {
  key: string;
  title: string;
  year?: number;
  hasPoster: boolean;
}

/** One revision of the library as the page's panels see it: the table's rows, the profile, poster keys. */
export interface LibraryView {
  table: MovieTable;
  profile: LibraryProfile;
  posterKeys: string[];
  posters: ReadonlySet<string>;
}

/** Reads a library in batches into a view (the records themselves are dropped batch by batch). */
export async function buildView(lib: Library, batchSize = MOVIE_BATCH_SIZE): Promise<LibraryView> {
  const posterKeys = await lib.posterKeys();
  const posters = new Set(posterKeys);
  const table = new MovieTable();
  const profile = new ProfileBuilder();
  for await (const batch of lib.movieBatches(batchSize)) {
    for (const m of batch) {
      const has = posters.has(m.key);
      table.add(m, has);
      profile.add(m, has);
    }
    await yieldToEvents();
  }
  return { table, profile: profile.done(), posterKeys, posters };
}

/** How many query results are kept for row reads (the table asks for its newest one). */
const RESULTS_KEPT = 4;

/**
 * The library views of one worker: one per database, rebuilt when the page's revision changes;
 * table queries are kept by id so the page can read their rows window by window.
 */
export class LibraryViews {
  readonly #reader = new LibraryReader();
  #view: { id: string; view: Promise<LibraryView> } | undefined;
  readonly #results = new Map<number, { view: LibraryView; order: number[] }>();
  #next = 0;

  /** The view of the query's database at its revision (built once per revision). */
  view(q: MovieQuery): Promise<LibraryView> {
    const id = `${q.db ?? ''}#${q.revision}`;
    if (this.#view?.id !== id) {
      const view = this.#reader.library(q.db).then((lib) => buildView(lib));
      view.catch(() => {
        if (this.#view?.view === view) this.#view = undefined;
      });
      this.#view = { id, view };
      this.#results.clear();
    }
    return this.#view.view;
  }

  async profile(q: MovieQuery): Promise<LibraryProfile> {
    return (await this.view(q)).profile;
  }

  /** Runs a table query; its rows are then read by id. */
  async table(q: MovieQuery, t: TableQuery): Promise<{ id: number; total: number }> {
    const view = await this.view(q);
    const order = view.table.query(t);
    const id = ++this.#next;
    this.#results.set(id, { view, order });
    for (const old of this.#results.keys()) {
      if (this.#results.size <= RESULTS_KEPT) break;
      this.#results.delete(old);
    }
    return { id, total: order.length };
  }

  /** Rows [start, end) of a query result; null when the result is gone (a newer revision). */
  rows(id: number, start: number, end: number): TableRow[] | null {
    const r = this.#results.get(id);
    if (!r) return null;
    return r.order.slice(Math.max(0, start), Math.max(0, end)).map((i) => r.view.table.row(i));
  }

  /** Titles of movies by key (null: not in the library). */
  async titles(q: MovieQuery, keys: readonly string[]): Promise<(string | null)[]> {
    const { table } = await this.view(q);
    return keys.map((k) => {
      const i = table.indexOf(k);
      return i === undefined ? null : table.row(i).title;
    });
  }

  /** Movies whose title contains the text (case-insensitive), in library order, at most `limit`. */
  async searchTitles(q: MovieQuery, text: string, limit: number): Promise<TitleMatch[]> {
    const { table, posters } = await this.view(q);
    const needle = text.trim().toLowerCase();
    const out: TitleMatch[] = [];
    for (let i = 0; i < table.size && out.length < limit; i++) {
      const r = table.row(i);
      if (!r.title.toLowerCase().includes(needle)) continue;
      out.push({
        key: r.key,
        title: r.title,
        ...(r.year !== undefined ? { year: r.year } : {}),
        hasPoster: posters.has(r.key),
      });
    }
    return out;
  }

  /**
   * Stored posters whose movie title (the key when the poster has no movie) or key contains the
   * text, in poster-key order, at most `limit`; empty text: the first ones.
   */
  async searchPosters(
    q: MovieQuery,
    text: string,
    limit: number,
  ): Promise<{ key: string; title: string }[]> {
    const { table, posterKeys } = await this.view(q);
    const needle = text.trim().toLowerCase();
    const out: { key: string; title: string }[] = [];
    for (const key of posterKeys) {
      if (out.length >= limit) break;
      const i = table.indexOf(key);
      const title = i === undefined ? key : table.row(i).title;
      if (!needle || title.toLowerCase().includes(needle) || key.includes(needle))
        out.push({ key, title });
    }
    return out;
  }

  /** Drops the view (memory goes back until the next question). */
  release(): void {
    this.#view = undefined;
    this.#results.clear();
  }
}
