import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMoviesCsv } from './csv.ts';
import type { Progress } from '../core/progress.ts';
import type { Movie } from './types.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';
import {
  ENCODINGS,
  LAYOUTS,
  expectedMovies,
  layoutBytes,
  manyMoviesCsv,
} from '../../test/movies-csv.ts';

const DATA = sharedUrl('data/');
const noData = missingShared(
  import.meta.url,
  'the tests of parseMoviesCsv on the real CSV files (their counts and rows)',
  'data/tmdb-cs109b/movies.csv',
  'data/metadata/tmdb-imdb-2011-2016.csv',
  'data/metadata/tmdb-5000.csv',
  'data/metadata/imdb-5000.csv',
  'data/posters-kaggle/labels.csv',
);
const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
const bytesOf = (path: string, base = DATA): Uint8Array =>
  new Uint8Array(readFileSync(new URL(path, base)));
const fixed = { nowMs: () => 1000 };
const byKey = (movies: Movie[], key: string): Movie | undefined =>
  movies.find((m) => m.key === key);

// Reference counts: /usr/bin/python3 with csv.DictReader (encoding cp1252 for tmdb-imdb), grouping
// rows by movie_id / id / the tt id inside movie_imdb_link / imdb_id.
describe.skipIf(noData)('parseMoviesCsv on the real files', () => {
  it('cs109b: 7,220 rows, 4,411 movies, duplicates merged', async () => {
    const r = await parseMoviesCsv(bytesOf('tmdb-cs109b/movies.csv'), {
      source: 'movies.csv',
      ...fixed,
    });
    expect([r.shape, r.encoding, r.rows, r.movies.length, r.duplicates, r.rejected.length]).toEqual(
      ['cs109b', 'utf-8', 7220, 4411, 2809, 0],
    );
    expect(byKey(r.movies, 'tmdb:329865')).toMatchObject({
      title: 'Arrival',
      genreIds: [18, 53, 878, 9648],
      director: 'Denis Villeneuve',
      releaseDate: '2016-11-10',
      year: 2016,
      month: 11,
      voteCount: 3510,
      voteAverage: 6.9,
      cast: ['Amy Adams', 'Jeremy Renner', 'Forest Whitaker'],
      adult: false,
      source: 'movies.csv',
      updatedAt: 1000,
    });
    expect(byKey(r.movies, 'tmdb:157336')?.title).toBe('Interstellar');
    // "The Double" (73499) appears twice: vote_count 178 then 181, genres {18,28,53,80,9648} then {18,28,80}.
    expect(byKey(r.movies, 'tmdb:73499')).toMatchObject({
      voteCount: 181,
      genreIds: [18, 28, 53, 80, 9648],
    });
  });

  it('tmdb-imdb: Windows-1252, 5,996 movies, numeric imdb ids padded, 0 as missing', async () => {
    const r = await parseMoviesCsv(bytesOf('metadata/tmdb-imdb-2011-2016.csv'), fixed);
    expect([r.shape, r.encoding, r.rows, r.movies.length, r.duplicates, r.rejected.length]).toEqual(
      ['tmdb-imdb', 'windows-1252', 5996, 5996, 0, 0],
    );
    expect(byKey(r.movies, 'tmdb:59430')).toMatchObject({
      imdbId: 'tt1843301',
      releaseDate: '2011-03-13',
      genreIds: [99],
      runtime: 122,
    });
    expect(byKey(r.movies, 'tmdb:50725')).toMatchObject({
      title: 'Take Me Home Tonight',
      imdbId: 'tt0810922',
    });
    expect(byKey(r.movies, 'tmdb:81708')?.title).toBe('Dedemin €?nsanlar€?');
    expect(byKey(r.movies, 'tmdb:245802')?.imdbId).toBeUndefined(); // imdb_id "0"
    expect(r.movies.filter((m) => m.imdbId === undefined).length).toBe(623);
    // genre_ids may hold 10769 ("Foreign", retired by TMDb); only current TMDb genres are kept.
    expect(byKey(r.movies, 'tmdb:82688')?.genreIds).toEqual([99]);
  });

  it('tmdb-5000: JSON genre and keyword lists, 4,803 movies', async () => {
    const r = await parseMoviesCsv(bytesOf('metadata/tmdb-5000.csv'), fixed);
    expect([r.shape, r.rows, r.movies.length, r.duplicates, r.rejected.length]).toEqual([
      'tmdb5000',
      4803,
      4803,
      0,
      0,
    ]);
    const avatar = byKey(r.movies, 'tmdb:19995');
    expect(avatar).toMatchObject({
      title: 'Avatar',
      genreIds: [12, 14, 28, 878],
      releaseDate: '2009-12-10',
      budget: 237000000,
      originalLanguage: 'en',
    });
    expect(avatar?.keywords.slice(0, 3)).toEqual(['culture clash', 'future', 'space war']);
  });

  it('imdb-5000: IMDb keys from movie links, 124 duplicate rows merged into 4,917 movies', async () => {
    const r = await parseMoviesCsv(bytesOf('metadata/imdb-5000.csv'), fixed);
    expect([r.shape, r.rows, r.movies.length, r.duplicates, r.rejected.length]).toEqual([
      'imdb5000',
      5041,
      4917,
      124,
      0,
    ]);
    expect(byKey(r.movies, 'imdb:tt0499549')).toMatchObject({
      title: 'Avatar',
      imdbVotes: 886204,
      certificate: 'PG-13',
      genreIds: [12, 14, 28, 878],
      year: 2009,
      director: 'James Cameron',
    });
    expect(byKey(r.movies, 'imdb:tt0499549')?.keywords).toEqual([
      'avatar',
      'future',
      'marine',
      'native',
      'paraplegic',
    ]);
    expect(byKey(r.movies, 'imdb:tt0413300')?.imdbVotes).toBe(383071); // Spider-Man 3: 383056 then 383071
    expect(r.movies.filter((m) => m.certificate === undefined).length).toBeGreaterThan(0);
  });

  it('posters-kaggle labels: IMDb genre vocabulary, the id as title', async () => {
    const r = await parseMoviesCsv(bytesOf('posters-kaggle/labels.csv'), fixed);
    expect([r.shape, r.rows, r.movies.length, r.rejected.length]).toEqual([
      'genre-labels',
      6826,
      6826,
      0,
    ]);
    expect(byKey(r.movies, 'imdb:tt0089869')).toMatchObject({
      title: 'tt0089869',
      genreIds: [878, 9648],
    }); // Mystery|Sci-Fi
  });

  it('gives the same result whatever the chunk size (rows cut across windows)', async () => {
    const bytes = bytesOf('tmdb-cs109b/movies.csv');
    const whole = await parseMoviesCsv(bytes, fixed);
    const tiny = await parseMoviesCsv(bytes, { ...fixed, chunkChars: 4093 });
    expect(tiny).toEqual(whole);
  });

  it('streams: reading the file in tiny slices (cutting rows and UTF-8 characters) changes nothing', async () => {
    for (const file of ['tmdb-cs109b/movies.csv', 'metadata/tmdb-imdb-2011-2016.csv']) {
      const bytes = bytesOf(file);
      const whole = await parseMoviesCsv(bytes, fixed);
      // 997 bytes: prime, so slice edges fall mid-row and, in UTF-8, mid-character.
      const sliced = await parseMoviesCsv(new Blob([new Uint8Array(bytes)]), {
        ...fixed,
        sliceBytes: 997,
      });
      expect(sliced).toEqual(whole);
    }
  });
});

describe('parseMoviesCsv on generated files in every layout and encoding', () => {
  const cases = LAYOUTS.flatMap((layout) => ENCODINGS.map((encoding) => ({ layout, encoding })));

  it.for(cases)('$layout in $encoding', async ({ layout, encoding }) => {
    const bytes = layoutBytes(layout, encoding);
    const r = await parseMoviesCsv(bytes, fixed);
    expect([r.shape, r.encoding, r.rows, r.movies.length, r.duplicates, r.rejected]).toEqual([
      layout,
      // genre-labels has no titles, so its bytes are all ASCII and read as UTF-8 whatever was meant.
      encoding === 'windows-1252' && layout !== 'genre-labels' ? 'windows-1252' : 'utf-8',
      4,
      3,
      1,
      [],
    ]);
    expect(r.movies.map((m) => ({ key: m.key, title: m.title, genreIds: m.genreIds }))).toEqual(
      expectedMovies(layout),
    );
    // Read in tiny slices (cutting rows and UTF-8 characters) and in tiny chunks: the same result.
    const sliced = await parseMoviesCsv(new Blob([new Uint8Array(bytes)]), {
      ...fixed,
      sliceBytes: 7,
    });
    expect(sliced).toEqual(r);
    expect(await parseMoviesCsv(bytes, { ...fixed, chunkChars: 61 })).toEqual(r);
  });

  it('streams CRLF files whose header is longer than a slice', async () => {
    const csv = 'tmdb_id,title,' + 'x'.repeat(3000) + '\r\n1,A,\r\n2,B,\r\n';
    const r = await parseMoviesCsv(new Blob([csv]), { ...fixed, sliceBytes: 512 });
    expect(r.movies.map((m) => m.title)).toEqual(['A', 'B']);
    expect(r.rejected).toEqual([]);
  });
});

describe('parseMoviesCsv behaviour', () => {
  it('reads the paper layout fixture, merging the duplicate and rejecting id-less and title-less rows', async () => {
    const r = await parseMoviesCsv(bytesOf('paper-movies.csv', FIXTURES), fixed);
    expect([r.shape, r.rows, r.movies.length, r.duplicates]).toEqual(['paper', 6, 3, 1]);
    expect(r.rejected).toEqual([
      { row: 5, reason: 'no usable TMDb or IMDb id (tmdb_id="")' },
      { row: 6, reason: 'no title' },
    ]);
    expect(byKey(r.movies, 'tmdb:180')).toMatchObject({
      genreIds: [28, 53, 878],
      keywords: ['dystopia', 'hologram', 'evidence', 'precog'],
      popularity: 23,
      imdbVotes: 481000,
      numStunts: 37,
    });
    expect(byKey(r.movies, 'tmdb:4242')).toEqual({
      key: 'tmdb:4242',
      tmdbId: 4242,
      title: 'Nameless Comedy',
      genreIds: [35],
      keywords: [],
      year: 1999,
      source: 'csv',
      updatedAt: 1000,
    });
  });

  it('is idempotent, and a file repeated after itself only adds duplicates', async () => {
    const text = readFileSync(new URL('paper-movies.csv', FIXTURES), 'utf8');
    const once = await parseMoviesCsv(text, fixed);
    expect(await parseMoviesCsv(text, fixed)).toEqual(once);
    const body = text.slice(text.indexOf('\n') + 1);
    const twice = await parseMoviesCsv(text + body, fixed);
    expect(twice.movies).toEqual(once.movies);
    // The second copy's accepted rows all land on known keys: 4 accepted rows = 3 movies + 1 duplicate.
    expect(twice.duplicates).toBe(2 * once.duplicates + once.movies.length);
  });

  it('keeps the good rows of a broken CSV and reports the bad ones', async () => {
    const r = await parseMoviesCsv(bytesOf('broken-movies.csv', FIXTURES), fixed);
    expect(r.movies.map((m) => m.title)).toEqual([
      'Good Before',
      'Good After',
      'Good "Quoted" Title',
    ]);
    expect(r.rejected.map((x) => x.row)).toEqual([2, 3, 4]);
    expect(r.rejected[0]?.reason).toBe('has 3 fields, expected 4');
    expect(r.rejected[1]?.reason).toBe('has 5 fields, expected 4');
    expect(r.rejected[2]?.reason).toMatch(/^broken quoting/);
  });

  it('rejects a quote left open on the last line without losing the rows before it', async () => {
    const r = await parseMoviesCsv('tmdb_id,title\n1,A\n2,"B\n', fixed);
    expect(r.movies.map((m) => m.key)).toEqual(['tmdb:1']);
    expect(r.rejected).toEqual([{ row: 2, reason: 'broken quoting: Quoted field unterminated' }]);
  });

  it('handles CRLF, semicolons, blank lines and a Blob/File input', async () => {
    const csv = 'tmdb_id;title;genres\r\n1;A;Drama|Sci-Fi\r\n\r\n2;B;Comedy\r\n';
    const r = await parseMoviesCsv(new File([csv], 'mine.csv'), fixed);
    expect(r.movies.map((m) => [m.key, m.title, m.genreIds, m.source])).toEqual([
      ['tmdb:1', 'A', [18, 878], 'mine.csv'],
      ['tmdb:2', 'B', [35], 'mine.csv'],
    ]);
    expect(r.rows).toBe(2);
  });

  it('explains which columns a non-movies CSV lacks', async () => {
    await expect(parseMoviesCsv('date,amount,payee\n2024-01-01,3.50,Cafe\n')).rejects.toThrow(
      /Not a movies CSV: no id column\. Expected one of tmdb_id, .*imdb_id.*; found date, amount, payee/,
    );
    await expect(parseMoviesCsv('')).rejects.toThrow(/empty/);
  });

  it('reports progress up to the whole text', async () => {
    const { text, rows, movies } = manyMoviesCsv(8_000);
    const seen: Progress[] = [];
    await parseMoviesCsv(text, {
      ...fixed,
      chunkChars: 64 * 1024,
      onProgress: (p) => seen.push(p),
    });
    const last = seen.at(-1);
    expect(last).toMatchObject({
      phase: 'Reading CSV',
      done: text.length,
      total: text.length,
      message: `${rows} rows, ${movies} movies`,
    });
    expect(seen.length).toBeGreaterThan(1);
  });

  it('stops with an AbortError when cancelled mid-file (the signal is checked between chunks)', async () => {
    const bytes = new TextEncoder().encode(manyMoviesCsv(8_000).text);
    const ac = new AbortController();
    let chunks = 0;
    const run = parseMoviesCsv(bytes, {
      chunkChars: 16 * 1024,
      signal: ac.signal,
      onProgress: () => chunks++,
    });
    setTimeout(() => ac.abort(), 0); // fires at the parser's first yield
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBeLessThan(Math.ceil(bytes.length / (16 * 1024)));
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      parseMoviesCsv('tmdb_id,title\n1,A\n', { signal: ac.signal }),
    ).rejects.toBeInstanceOf(DOMException);
  });
});
