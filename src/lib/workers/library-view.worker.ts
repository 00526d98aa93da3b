/// <reference lib="webworker" />
import { expose } from 'comlink';
import type { TableQuery } from '../data/movie-table.ts';
import type { MovieQuery } from './library-query.ts';
import { LibraryViews } from './library-view.ts';

const views = new LibraryViews();

// The Library table, Train's counts and the title searches read the library here, once per
// revision; the page gets counts, windows of rows and matches, never the records.
const api = {
  profile: (q: MovieQuery) => views.profile(q),
  table: (q: MovieQuery, t: TableQuery) => views.table(q, t),
  rows: (id: number, start: number, end: number) => views.rows(id, start, end),
  titles: (q: MovieQuery, keys: string[]) => views.titles(q, keys),
  searchTitles: (q: MovieQuery, text: string, limit: number) => views.searchTitles(q, text, limit),
  searchPosters: (q: MovieQuery, text: string, limit: number) =>
    views.searchPosters(q, text, limit),
  release: () => views.release(),
};

expose(api);
export type LibraryViewApi = typeof api;
