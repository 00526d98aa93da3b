import { describe, expect, it } from 'vitest';
import { importCsv, importPosters, useImportDatabase } from './import-client.ts';
import type { Progress } from '../core/progress.ts';
import { isAbortError } from '../core/errors.ts';
import { openLibrary } from '../storage/index.ts';

const DB = `marquee-worker-test-${Date.now()}`;

/** A synthetic movies CSV in the paper's layout with n rows. */
function paperCsv(n: number): File {
  const head =
    'genre_ids,title,poster_path,tmdb_id,popularity,keywords,vote_count,vote_average,director,imdb_votes,certificate,num_stunts,num_fx,year,month\n';
  const rows: string[] = [];
  for (let i = 1; i <= n; i++)
    rows.push(
      `"[28, 53]",Movie ${i},/p${i}.jpg,${i},${(i % 97) / 3},"a,b",${i % 1000},6.5,Someone,${i * 3},PG-13,2,3,2001,5`,
    );
  return new File([head + rows.join('\n')], 'paper.csv', { type: 'text/csv' });
}

/** Watches the main thread while fn runs: the worst lateness of a 10 ms timer is the longest freeze. */
async function worstFreezeMs(fn: () => Promise<unknown>): Promise<number> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return worst;
}

describe('one movie per film across sources', () => {
  it('merges an IMDB 5000-layout file into the films a TMDb file brought, and reports it', async () => {
    const db = `${DB}-films`;
    await useImportDatabase(db);
    const tmdb = new File(
      [
        'genre_ids,title,poster_path,tmdb_id,popularity,keywords,vote_count,vote_average,director,imdb_votes,certificate,num_stunts,num_fx,year,month\n' +
          '"[28]",Avatar,/a.jpg,19995,150,"a",11800,7.2,James Cameron,886204,PG-13,2,3,2009,12\n' +
          '"[80]",Heat,/h.jpg,949,30,"b",1800,7.7,Michael Mann,500000,R,2,3,1995,12\n' +
          '"[12]",King Kong,/k.jpg,254,40,"c",2500,6.6,Peter Jackson,300000,PG-13,2,3,2005,12\n',
      ],
      'tmdb.csv',
      { type: 'text/csv' },
    );
    expect((await importCsv(tmdb, () => {}).result).added).toBe(3);
    const imdb = new File(
      [
        'director_name,genres,movie_title,movie_imdb_link,title_year,num_voted_users\n' +
          'James Cameron,Action|Sci-Fi,Avatar\u00a0,http://www.imdb.com/title/tt0499549/?ref_=fn_tt_tt_1,2009,886204\n' +
          'Merian C. Cooper,Adventure,King Kong\u00a0,http://www.imdb.com/title/tt0024216/?ref_=fn_tt_tt_1,1933,80000\n',
      ],
      'imdb.csv',
      { type: 'text/csv' },
    );
    const summary = await importCsv(imdb, () => {}).result;
    expect(summary.shape).toBe('imdb5000');
    expect(summary.films).toMatchObject({ merged: 1, byTitleYear: 1, ambiguous: [] });
    const lib = await openLibrary({ name: db });
    // Avatar is one movie (TMDb key, now with its IMDb id); King Kong 1933 is another film than 2005's.
    expect(await lib.countMovies()).toBe(4);
    expect(await lib.findMovieKey({ imdbId: 'tt0499549' })).toBe('tmdb:19995');
    expect(await lib.findMovieKey({ imdbId: 'tt0024216' })).toBe('imdb:tt0024216');
    lib.close();
  });
});

describe('import worker through comlink', () => {
  it('imports a CSV with progress reports and stores the movies', async () => {
    await useImportDatabase(DB);
    const seen: Progress[] = [];
    const job = importCsv(paperCsv(2000), (p) => seen.push(p));
    const summary = await job.result;
    expect(summary.movieCount).toBe(2000);
    expect(summary.added).toBe(2000);
    expect(summary.shape).toBe('paper');
    expect(seen.length).toBeGreaterThan(0);
    const db = await openLibrary({ name: DB });
    expect(await db.countMovies()).toBe(2000);
    db.close();
  });

  it('keeps the page responsive while the worker parses a large CSV', async () => {
    await useImportDatabase(DB);
    const file = paperCsv(60_000); // built before measuring: making the test data is not the import
    // The worker parses and writes; the main thread only receives throttled progress. 100 ms is where
    // people perceive lag (RAIL). Scheduling noise on a shared 2-core machine only ever adds to the
    // worst gap, so the best of three imports measures what the code itself causes.
    let best = Infinity;
    for (let attempt = 0; attempt < 3 && best >= 100; attempt++) {
      best = Math.min(best, await worstFreezeMs(() => importCsv(file, () => {}).result));
    }
    expect(best).toBeLessThan(100);
  });

  it('cancels a running import with an AbortError and leaves stored data intact', async () => {
    await useImportDatabase(DB);
    let cancelled = false;
    const job: ReturnType<typeof importCsv> = importCsv(paperCsv(200_000), (p) => {
      if (!cancelled && p.done > 0) {
        cancelled = true;
        job.cancel();
      }
    });
    const err = await job.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAbortError(err)).toBe(true);
    const db = await openLibrary({ name: DB });
    expect(await db.countMovies()).toBe(60_000); // what the earlier tests stored, untouched
    db.close();
  });

  it('imports posters, rejecting a non-image with a reason', async () => {
    await useImportDatabase(DB);
    const canvas = new OffscreenCanvas(40, 60); // above the importer's 32 px minimum side
    canvas.getContext('2d')!.fillRect(0, 0, 40, 60);
    const png = await canvas.convertToBlob({ type: 'image/png' });
    const files = [new File([png], '7.png'), new File(['hello'], '8.jpg')];
    const result = await importPosters(files, () => {}).result;
    expect(result.added).toBe(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.name).toBe('8.jpg');
    expect(result.rejected[0]!.reason).toMatch(/not an image/i);
    const db = await openLibrary({ name: DB });
    const poster = await db.getPoster('tmdb:7');
    expect(poster?.width).toBe(40);
    expect(poster?.height).toBe(60);
    db.close();
  });
});
