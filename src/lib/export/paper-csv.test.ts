import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { parseMoviesCsv } from '../data/csv.ts';
import type { Movie } from '../data/types.ts';
import { moviesToPaperCsv, PAPER_COLUMNS } from './paper-csv.ts';

const movie = (id: number, extra: Partial<Movie> = {}): Movie => ({
  key: `tmdb:${id}`,
  tmdbId: id,
  title: `Movie ${id}`,
  genreIds: [28, 53, 878],
  keywords: ['dystopia', 'hologram'],
  popularity: 12.5,
  voteCount: 1000,
  voteAverage: 7.1,
  director: 'Jane Doe',
  imdbVotes: 12345,
  certificate: 'PG-13',
  numStunts: 3,
  numFx: 7,
  year: 2015,
  month: 6,
  posterPath: `/${id}.jpg`,
  source: 'tmdb',
  updatedAt: 1,
  ...extra,
});

describe('moviesToPaperCsv', () => {
  it('writes the paper header and its list syntaxes', () => {
    const csv = moviesToPaperCsv([movie(1)]);
    const [head, line] = csv.split('\n');
    expect(head).toBe(PAPER_COLUMNS.join(','));
    expect(line).toBe(
      '"[28, 53, 878]",Movie 1,/1.jpg,1,12.5,"dystopia,hologram",1000,7.1,Jane Doe,12345,PG-13,3,7,2015,6',
    );
  });

  it('neutralizes formula cells but leaves numbers alone', () => {
    const csv = moviesToPaperCsv([
      movie(2, { title: '=cmd|calc', director: '@evil', certificate: '\tx', popularity: -1 }),
      movie(3, { title: 'Heat', director: '-2' }),
    ]);
    const [, evil, heat] = Papa.parse<string[]>(csv).data;
    expect([evil?.[1], evil?.[8], evil?.[10]]).toEqual([`'=cmd|calc`, `'@evil`, `'\tx`]);
    expect(evil?.[4]).toBe('-1'); // a number, not text: untouched
    expect([heat?.[1], heat?.[8]]).toEqual(['Heat', `'-2`]);
  });

  it('round-trips through the existing paper-layout importer', async () => {
    const movies = [
      movie(10),
      movie(11, {
        keywords: [],
        director: undefined,
        genreIds: [18],
        certificate: undefined,
        title: 'Quote "me", please',
      }),
    ];
    const parsed = await parseMoviesCsv(moviesToPaperCsv(movies), { source: 'export.csv' });
    expect(parsed.shape).toBe('paper');
    expect(parsed.rejected).toEqual([]);
    const byKey = new Map(parsed.movies.map((m) => [m.key, m]));
    for (const m of movies) {
      const got = byKey.get(m.key)!;
      for (const f of [
        'tmdbId',
        'title',
        'genreIds',
        'keywords',
        'popularity',
        'voteCount',
        'voteAverage',
        'director',
        'imdbVotes',
        'certificate',
        'numStunts',
        'numFx',
        'year',
        'month',
        'posterPath',
      ] as const)
        expect(got[f], f).toEqual(m[f]);
    }
  });
});
