import { describe, expect, it } from 'vitest';
import { mapOmdb } from './omdb.ts';
import { BadRecordError, certificateFor, mapListPage, mapTmdbDetails } from './tmdb-map.ts';

const details = (extra: Record<string, unknown> = {}) => ({
  id: 603,
  title: 'The Matrix',
  original_title: 'The Matrix',
  overview: 'Neo.',
  release_date: '1999-03-30',
  popularity: 80.5,
  vote_count: 20000,
  vote_average: 8.2,
  original_language: 'en',
  adult: false,
  video: false,
  poster_path: '/p.jpg',
  backdrop_path: null,
  genres: [
    { id: 28, name: 'Action' },
    { id: 878, name: 'Science Fiction' },
  ],
  runtime: 136,
  budget: 63000000,
  keywords: {
    keywords: [
      { id: 1, name: 'dystopia' },
      { id: 2, name: 'hologram' },
    ],
  },
  external_ids: { imdb_id: 'tt0133093' },
  credits: {
    cast: [
      { name: 'Keanu Reeves' },
      { name: 'Laurence Fishburne' },
      { name: 'Carrie-Anne Moss' },
      { name: 'Hugo Weaving' },
    ],
    crew: [
      { name: 'Lana Wachowski', job: 'Director' },
      { name: 'Lilly Wachowski', job: 'Director' },
      { name: 'Bill Pope', job: 'Director of Photography' },
    ],
  },
  release_dates: {
    results: [
      {
        iso_3166_1: 'US',
        release_dates: [
          { certification: '', type: 1 },
          { certification: 'R', type: 3 },
        ],
      },
      { iso_3166_1: 'DE', release_dates: [{ certification: '16', type: 3 }] },
    ],
  },
  ...extra,
});

describe('mapTmdbDetails', () => {
  it('maps every paper field plus director, certificate and imdb_id', () => {
    const m = mapTmdbDetails(details(), 'US', 7);
    expect(m).toEqual({
      key: 'tmdb:603',
      tmdbId: 603,
      imdbId: 'tt0133093',
      title: 'The Matrix',
      originalTitle: 'The Matrix',
      overview: 'Neo.',
      releaseDate: '1999-03-30',
      year: 1999,
      month: 3,
      genreIds: [28, 878],
      popularity: 80.5,
      voteCount: 20000,
      voteAverage: 8.2,
      certificate: 'R',
      director: 'Lana Wachowski, Lilly Wachowski',
      keywords: ['dystopia', 'hologram'],
      cast: ['Keanu Reeves', 'Laurence Fishburne', 'Carrie-Anne Moss'],
      runtime: 136,
      budget: 63000000,
      originalLanguage: 'en',
      adult: false,
      video: false,
      posterPath: '/p.jpg',
      source: 'tmdb',
      updatedAt: 7,
    });
    expect(mapTmdbDetails(details(), 'DE', 7).certificate).toBe('16');
    expect(mapTmdbDetails(details(), 'FR', 7).certificate).toBeUndefined();
  });

  it('rejects missing fields, wrong types and non-objects with a reason', () => {
    expect(() => mapTmdbDetails(details({ title: undefined }), 'US', 0)).toThrow(
      new BadRecordError('missing field title'),
    );
    expect(() => mapTmdbDetails(details({ vote_count: '12' }), 'US', 0)).toThrow(
      /field vote_count: expected number, got string/,
    );
    expect(() => mapTmdbDetails(details({ release_date: '30/03/1999' }), 'US', 0)).toThrow(
      /not yyyy-mm-dd/,
    );
    expect(() => mapTmdbDetails(details({ genres: 'Action' }), 'US', 0)).toThrow(
      /genres: expected a list/,
    );
    expect(() => mapTmdbDetails([1, 2], 'US', 0)).toThrow(/expected a JSON object, got a list/);
    expect(() => mapTmdbDetails(details({ id: -3 }), 'US', 0)).toThrow(/positive integer/);
  });

  it('accepts an unreleased movie (empty release_date) and a bad imdb id as absent', () => {
    const m = mapTmdbDetails(
      details({ release_date: '', external_ids: { imdb_id: '' }, imdb_id: null }),
      'US',
      0,
    );
    expect(m.year).toBeUndefined();
    expect(m.imdbId).toBeUndefined();
  });
});

describe('certificateFor', () => {
  it('prefers the theatrical (type 3) certification', () => {
    expect(
      certificateFor(
        {
          results: [
            {
              iso_3166_1: 'US',
              release_dates: [
                { certification: 'PG', type: 1 },
                { certification: 'PG-13', type: 3 },
              ],
            },
          ],
        },
        'US',
      ),
    ).toBe('PG-13');
    expect(
      certificateFor(
        { results: [{ iso_3166_1: 'US', release_dates: [{ certification: 'PG', type: 4 }] }] },
        'US',
      ),
    ).toBe('PG');
    expect(certificateFor(undefined, 'US')).toBeUndefined();
  });
});

describe('mapListPage / mapOmdb', () => {
  it('keeps valid ids of a list page', () => {
    expect(
      mapListPage({
        page: 1,
        results: [{ id: 1 }, { id: 'x' }, { id: 2.5 }, { id: 3 }],
        total_pages: 9,
      }),
    ).toEqual({ ids: [1, 3], totalPages: 9 });
    expect(() => mapListPage({ status_code: 7 })).toThrow(BadRecordError);
  });

  it('parses OMDb strings and N/A', () => {
    expect(
      mapOmdb({
        Response: 'True',
        imdbVotes: '1,234,567',
        Rated: 'R',
        Director: 'A, B',
        Runtime: '136 min',
      }),
    ).toEqual({ imdbVotes: 1234567, certificate: 'R', director: 'A, B', runtime: 136 });
    expect(
      mapOmdb({
        Response: 'True',
        imdbVotes: 'N/A',
        Rated: 'N/A',
        Director: 'N/A',
        Runtime: 'N/A',
      }),
    ).toEqual({});
    expect(mapOmdb({ Response: 'False', Error: 'Incorrect IMDb ID.' })).toBeUndefined();
  });
});
