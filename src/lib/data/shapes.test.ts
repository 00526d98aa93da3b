import { describe, expect, it } from 'vitest';
import { detectShape, parseImdbId, parseReleaseDate, parseTmdbId, rowToMovie } from './shapes.ts';

const CS109B_HEADER =
  '10402,10749,10751,10752,10770,12,14,16,18,27,28,35,36,37,53,80,878,9648,99,adult,director,lead actors,movie_id,overview,popularity,poster_path,release_date,title,video,vote_average,vote_count';
const PAPER_HEADER =
  'genre_ids,title,poster_path,tmdb_id,popularity,keywords,vote_count,vote_average,director,imdb_votes,certificate,num_stunts,num_fx,year,month';

describe('detectShape', () => {
  it('names each known layout from its header', () => {
    expect(detectShape(CS109B_HEADER.split(','))).toBe('cs109b');
    expect(detectShape(PAPER_HEADER.split(','))).toBe('paper');
    expect(
      detectShape([
        'poster_path',
        'title',
        'id',
        'genre_ids',
        '18',
        '53',
        '99',
        'imdb_id',
        'director',
      ]),
    ).toBe('tmdb-imdb');
    expect(detectShape(['budget', 'genres', 'id', 'keywords', 'title', 'vote_count'])).toBe(
      'tmdb5000',
    );
    expect(detectShape(['director_name', 'genres', 'movie_title', 'movie_imdb_link'])).toBe(
      'imdb5000',
    );
    expect(detectShape(['imdb_id', 'genres'])).toBe('genre-labels');
  });

  it('ignores case, spaces and a BOM in header names', () => {
    expect(detectShape(['\uFEFFIMDB_ID', ' Genres '])).toBe('genre-labels');
  });

  it('falls back to generic', () => {
    expect(detectShape(['tmdb_id', 'title'])).toBe('generic');
    expect(detectShape(['a', 'b'])).toBe('generic');
  });
});

describe('id and date cells', () => {
  it('reads TMDb ids, including pandas floats, and refuses junk', () => {
    expect(parseTmdbId('329865')).toBe(329865);
    expect(parseTmdbId('329865.0')).toBe(329865);
    for (const bad of ['', 'nan', '0', '-3', '1.5', 'abc'])
      expect(parseTmdbId(bad), bad).toBeUndefined();
  });

  it('normalises IMDb ids to tt + 7 digits and treats 0 as missing', () => {
    expect(parseImdbId('tt0089869')).toBe('tt0089869');
    expect(parseImdbId('1843301')).toBe('tt1843301');
    expect(parseImdbId('810922')).toBe('tt0810922');
    expect(parseImdbId('tt10872600')).toBe('tt10872600');
    expect(parseImdbId('http://www.imdb.com/title/tt0499549/?ref_=fn_tt_tt_1')).toBe('tt0499549');
    expect(parseImdbId('0')).toBeUndefined();
    expect(parseImdbId('None')).toBeUndefined();
  });

  it('reads ISO, US m/d/yyyy and bare-year dates', () => {
    expect(parseReleaseDate('2016-11-10')).toEqual({
      releaseDate: '2016-11-10',
      year: 2016,
      month: 11,
    });
    expect(parseReleaseDate('3/13/2011')).toEqual({
      releaseDate: '2011-03-13',
      year: 2011,
      month: 3,
    });
    expect(parseReleaseDate('25/12/2011')).toEqual({
      releaseDate: '2011-12-25',
      year: 2011,
      month: 12,
    });
    expect(parseReleaseDate('1999')).toEqual({ year: 1999 });
    expect(parseReleaseDate('2011-13-01')).toEqual({});
    expect(parseReleaseDate('soon')).toEqual({});
  });
});

describe('rowToMovie', () => {
  const row = (header: string, values: string[]): Record<string, string> =>
    Object.fromEntries(header.split(',').map((h, i) => [h, values[i] ?? '']));

  it('maps the paper layout, parsing genre_ids and comma keywords', () => {
    const m = rowToMovie(
      row(PAPER_HEADER, [
        '[28, 53, 878]',
        'Minority Report',
        '/p.jpg',
        '180',
        '21.5',
        'dystopia,hologram',
        '5200',
        '7.1',
        'Steven Spielberg',
        '480000',
        'PG-13',
        '37',
        '120',
        '2002',
        '6',
      ]),
      'paper',
      'paper.csv',
      42,
    );
    expect(m).toEqual({
      key: 'tmdb:180',
      tmdbId: 180,
      title: 'Minority Report',
      genreIds: [28, 53, 878],
      keywords: ['dystopia', 'hologram'],
      posterPath: '/p.jpg',
      popularity: 21.5,
      voteCount: 5200,
      voteAverage: 7.1,
      director: 'Steven Spielberg',
      imdbVotes: 480000,
      certificate: 'PG-13',
      numStunts: 37,
      numFx: 120,
      year: 2002,
      month: 6,
      source: 'paper.csv',
      updatedAt: 42,
    });
  });

  it('maps IMDb genre names through the TMDb vocabulary and drops unmapped ones', () => {
    const m = rowToMovie(
      { imdb_id: 'tt1', genres: 'Sci-Fi|Biography|Sport|Reality-TV' },
      'genre-labels',
      's',
      0,
    );
    // Sci-Fi → 878, Biography → History 36, Sport → Drama 18, Reality-TV → none (data/genres.ts).
    expect(m).toMatchObject({ key: 'imdb:tt0000001', title: 'tt0000001', genreIds: [18, 36, 878] });
  });

  it('reads one-hot genre columns named by TMDb id and booleans', () => {
    const header = CS109B_HEADER;
    const values = header
      .split(',')
      .map((h) => (h === '18' || h === '53' ? '1' : /^\d+$/.test(h) ? '0' : ''));
    const r = row(header, values);
    Object.assign(r, {
      movie_id: '7',
      title: 'X',
      adult: 'True',
      video: 'False',
      'lead actors': "[u'A', u\"B'C\"]",
    });
    expect(rowToMovie(r, 'cs109b', 's', 0)).toMatchObject({
      key: 'tmdb:7',
      genreIds: [18, 53],
      adult: true,
      video: false,
      cast: ['A', "B'C"],
    });
  });

  it('turns missing markers into absent fields', () => {
    const m = rowToMovie(
      {
        tmdb_id: '5',
        title: 'T',
        popularity: 'nan',
        vote_count: 'None',
        director: 'null',
        year: 'NaN',
      },
      'generic',
      's',
      0,
    );
    expect(m).toEqual({
      key: 'tmdb:5',
      tmdbId: 5,
      title: 'T',
      genreIds: [],
      keywords: [],
      source: 's',
      updatedAt: 0,
    });
  });

  it('prefers the TMDb key when both ids are known', () => {
    expect(
      rowToMovie(
        { id: '59430', imdb_id: '1843301', title: 'W', genre_ids: '[99]' },
        'tmdb-imdb',
        's',
        0,
      ),
    ).toMatchObject({
      key: 'tmdb:59430',
      imdbId: 'tt1843301',
      genreIds: [99],
    });
  });

  it('refuses a row without a usable id, naming the cells it looked at', () => {
    expect(rowToMovie({ tmdb_id: 'abc', title: 'T' }, 'generic', 's', 0)).toEqual({
      error: 'no usable TMDb or IMDb id (tmdb_id="abc")',
    });
  });

  it('refuses a row whose title cell is empty', () => {
    expect(rowToMovie({ tmdb_id: '3', title: ' ' }, 'generic', 's', 0)).toEqual({
      error: 'no title',
    });
  });
});
