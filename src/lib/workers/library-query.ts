import type { MovieField } from '../storage/index.ts';

/**
 * What a worker reads from the library instead of receiving a copy of it: which database, which
 * version of its contents (the main thread bumps `revision` whenever the library changes, so a
 * worker may reuse what it read for the same revision), and which fields (none: every field).
 */
export interface MovieQuery {
  /** Database name; tests use a throwaway one (default: the studio's). */
  db?: string;
  revision: number;
  fields?: readonly MovieField[];
}

/** Fields the genre maths reads (correlation, group counts, sampling previews). */
export const GENRE_FIELDS: readonly MovieField[] = ['genreIds'];
/** Fields a poster run reads (labels; the posters come by key). */
export const POSTER_FIELDS: readonly MovieField[] = ['genreIds'];
/** Fields the keyword forest reads. */
export const KEYWORD_FIELDS: readonly MovieField[] = ['genreIds', 'keywords'];
/** Fields the paper's engineered features read (Explore's feature preview). */
export const FEATURE_FIELDS: readonly MovieField[] = [
  'genreIds',
  'popularity',
  'voteCount',
  'voteAverage',
  'imdbVotes',
  'numStunts',
  'numFx',
  'year',
  'month',
  'releaseDate',
  'certificate',
  'director',
  'keywords',
];
