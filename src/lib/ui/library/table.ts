import type { Movie } from '../../data/types.ts';
import { TMDB_GENRES } from '../../data/genres.ts';

/** The rows a virtual list must render: [start, end) with overscan, for fixed-height rows. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(viewportHeight / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + shown + overscan) };
}

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

/** Genre names of a movie, in TMDb vocabulary. */
export function genreNames(m: Movie): string[] {
  return m.genreIds.map((id) => TMDB_GENRES[id] ?? `#${id}`);
}

/** Filters by a case-insensitive search over title, director, genres and keywords, then sorts (missing values last). */
export function queryMovies(
  movies: readonly Movie[],
  q: TableQuery,
  posterKeys: ReadonlySet<string>,
): Movie[] {
  const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = (m: Movie) =>
    [
      m.title,
      m.originalTitle ?? '',
      m.director ?? '',
      String(m.year ?? ''),
      ...genreNames(m),
      ...m.keywords,
    ]
      .join(' ')
      .toLowerCase();
  const rows = movies.filter(
    (m) =>
      (!q.onlyWithPoster || posterKeys.has(m.key)) &&
      (terms.length === 0 || terms.every((t) => hay(m).includes(t))),
  );
  const dir = q.descending ? -1 : 1;
  const value = (m: Movie): string | number | undefined =>
    q.sort === 'title' ? m.title : m[q.sort];
  const min = q.sort === 'voteAverage' ? (q.minVotes ?? 0) : 0;
  const enough = (m: Movie) => (m.voteCount ?? 0) >= min;
  return rows.sort((a, b) => {
    if (min > 0 && enough(a) !== enough(b)) return enough(a) ? -1 : 1;
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
    if (typeof va === 'string' && typeof vb === 'string') return dir * va.localeCompare(vb);
    return dir * ((va as number) - (vb as number));
  });
}

/** Formats a byte count for people (1.5 MB, 320 KB). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
