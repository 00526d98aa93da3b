import Papa from 'papaparse';
import { UNPARSE_ESCAPE_FORMULAE } from '../core/csv-cells.ts';
import type { Movie } from '../data/types.ts';

/** The CS109b paper's crawl columns, in its order (../shared/README.md). */
export const PAPER_COLUMNS = [
  'genre_ids',
  'title',
  'poster_path',
  'tmdb_id',
  'popularity',
  'keywords',
  'vote_count',
  'vote_average',
  'director',
  'imdb_votes',
  'certificate',
  'num_stunts',
  'num_fx',
  'year',
  'month',
] as const;

function row(m: Movie): Array<string | number> {
  const text = (s: string | undefined) => s ?? '';
  const num = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : n);
  return [
    `[${m.genreIds.join(', ')}]`,
    text(m.title),
    text(m.posterPath),
    num(m.tmdbId),
    num(m.popularity),
    text(m.keywords.join(',')),
    num(m.voteCount),
    num(m.voteAverage),
    text(m.director),
    num(m.imdbVotes),
    text(m.certificate),
    num(m.numStunts),
    num(m.numFx),
    num(m.year),
    num(m.month),
  ];
}

/**
 * The library as a CSV in the paper's layout (`genre_ids` like "[28, 53]", `keywords` like "a,b");
 * text cells a spreadsheet would run as formulas are neutralized (core/csv-cells.ts).
 */
export function moviesToPaperCsv(movies: readonly Movie[]): string {
  return Papa.unparse(
    { fields: [...PAPER_COLUMNS], data: movies.map(row) },
    { newline: '\n', quotes: false, ...UNPARSE_ESCAPE_FORMULAE },
  );
}
