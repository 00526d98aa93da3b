/**
 * Genre columns and genre groups. The CS109b paper "Neural Netflix" merged TMDb's 19 genres
 * into 7 groups of related genres to fight sparsity; PAPER7 is that preset, by TMDb genre id.
 */
import { TMDB_GENRES } from '../data/genres.ts';
import type { Movie } from '../data/types.ts';
import { labelCounts, zeroLabels, type LabelMatrix } from '../metrics/index.ts';

/** A named set of TMDb genre ids that becomes one label. */
export interface GenreGroup {
  name: string;
  genreIds: readonly number[];
}

/** The 19 TMDb genre ids in ascending order: the column order of genreIndicators. */
export const GENRE_COLUMNS: readonly number[] = Object.keys(TMDB_GENRES)
  .map(Number)
  .sort((a, b) => a - b);

/**
 * The paper's 7 groups. Documentary (99), Western (37) and TV Movie (10770) belong to none,
 * so movies with only those genres are dropped by groupLabels.
 */
export const PAPER7: readonly GenreGroup[] = [
  { name: 'War & History', genreIds: [10752, 36] },
  {
    name: 'Crime, Mystery, Thriller, Drama & Horror',
    genreIds: [80, 9648, 53, 18, 27],
  },
  { name: 'Fantasy', genreIds: [14] },
  { name: 'Family & Animation', genreIds: [10751, 16] },
  { name: 'Romance & Music', genreIds: [10749, 10402] },
  { name: 'Science Fiction, Action & Adventure', genreIds: [878, 28, 12] },
  { name: 'Comedy', genreIds: [35] },
];

/** One column per TMDb genre (GENRE_COLUMNS order), one row per movie; unknown ids are ignored. */
export function genreIndicators(movies: readonly Movie[]): LabelMatrix {
  const column = new Map(GENRE_COLUMNS.map((id, c) => [id, c]));
  const m = zeroLabels(movies.length, GENRE_COLUMNS.length);
  movies.forEach((movie, r) => {
    for (const id of movie.genreIds) {
      const c = column.get(id);
      if (c !== undefined) m.data[r * m.cols + c] = 1;
    }
  });
  return m;
}

/** Group labels of the kept movies, which movies were kept (indices into the input), and how many were dropped. */
export interface GroupedLabels {
  labels: LabelMatrix;
  kept: number[];
  dropped: number;
}

/** Labels movies by group (a movie has a group when it has any of its genres); movies with no group are dropped and counted. */
export function groupLabels(
  movies: readonly Movie[],
  groups: readonly GenreGroup[],
): GroupedLabels {
  const groupsOf = new Map<number, number[]>();
  groups.forEach((g, gi) => {
    for (const id of g.genreIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), gi]);
  });
  const rows: Uint8Array[] = [];
  const kept: number[] = [];
  movies.forEach((movie, i) => {
    const row = new Uint8Array(groups.length);
    for (const id of movie.genreIds) for (const gi of groupsOf.get(id) ?? []) row[gi] = 1;
    if (row.some((v) => v)) {
      rows.push(row);
      kept.push(i);
    }
  });
  const labels = zeroLabels(rows.length, groups.length);
  rows.forEach((row, r) => labels.data.set(row, r * groups.length));
  return { labels, kept, dropped: movies.length - kept.length };
}

/** How many movies carry each group, with the group's name. */
export function groupCounts(
  grouped: GroupedLabels,
  groups: readonly GenreGroup[],
): { name: string; count: number }[] {
  const counts = labelCounts(grouped.labels);
  return groups.map((g, gi) => ({ name: g.name, count: counts[gi] ?? 0 }));
}
