import { createWriteStream, openAsBlob, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { joinImdbTsv } from './join.ts';
import { streamTsv } from './tsv-stream.ts';

const movie = (n: number, extra: Partial<Movie> = {}): Movie => ({
  key: `tmdb:${n}`,
  tmdbId: n,
  imdbId: `tt${String(n).padStart(7, '0')}`,
  title: `M${n}`,
  genreIds: [],
  keywords: [],
  source: 'tmdb',
  updatedAt: 1,
  ...extra,
});
const gz = (text: string) => new Blob([gzipSync(Buffer.from(text))]);

describe('joinImdbTsv', () => {
  it('joins ratings, crew + names and basics by imdb_id, gzipped or plain, in any order', async () => {
    const movies = [movie(1), movie(2, { runtime: 99 }), movie(3), movie(4, { imdbId: undefined })];
    const files = [
      {
        name: 'name.basics.tsv.gz',
        blob: gz(
          'nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\nnm1\tAda "The" Director\t1970\t\\N\tdirector\ttt0000001\nnm2\tBo Second\t\\N\t\\N\t\\N\t\\N\nnm9\tNobody\t\\N\t\\N\t\\N\t\\N\n',
        ),
      },
      {
        name: 'title.crew.tsv.gz',
        blob: gz(
          'tconst\tdirectors\twriters\ntt0000001\tnm1,nm2\tnm9\ntt0000002\t\\N\tnm9\ntt9999999\tnm9\t\\N\n',
        ),
      },
      {
        name: 'title.ratings.tsv',
        blob: new Blob([
          'tconst\taverageRating\tnumVotes\r\ntt0000001\t7.5\t12345\r\ntt0000003\t6.1\t42\r\ntt0000005\t1.0\t1\r\n',
        ]),
      },
      {
        name: 'title.basics.tsv.gz',
        blob: gz(
          'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\ntt0000001\tmovie\tM1\tM1\t0\t2001\t\\N\t120\tDrama\ntt0000002\tmovie\tM2\tM2\t0\t2002\t\\N\t88\tComedy\ntt0000003\tmovie\tM3\tM3\t0\t2003\t\\N\t\\N\tComedy\n',
        ),
      },
      { name: 'notes.tsv', blob: new Blob(['a\tb\n1\t2\n']) },
    ];
    const { updated, files: reports } = await joinImdbTsv(files, movies);
    const byKey = new Map(updated.map((m) => [m.key, m]));
    expect(byKey.get('tmdb:1')).toMatchObject({
      imdbVotes: 12345,
      director: 'Ada "The" Director, Bo Second',
      runtime: 120,
    });
    expect(byKey.has('tmdb:2')).toBe(false); // a known runtime is kept, and nothing else matched
    expect(byKey.get('tmdb:3')).toMatchObject({ imdbVotes: 42 });
    expect(byKey.get('tmdb:3')?.runtime).toBeUndefined();
    expect(byKey.has('tmdb:4')).toBe(false);
    expect(reports.map((r) => [r.kind, r.rows, r.matched])).toEqual([
      ['title.ratings', 3, 2],
      ['title.basics', 3, 3],
      ['title.crew', 3, 1],
      ['name.basics', 3, 2],
      [null, 0, 0],
    ]);
    expect(reports[4]!.error).toMatch(/not an IMDb dataset file/);
  });

  it('streams a generated 300 MB title.basics.tsv.gz in bounded memory', async () => {
    // Ref: the real title.basics.tsv is ~1 GB uncompressed; 300 MB here keeps the test near 20 s.
    const path = join(tmpdir(), `marquee-title-basics-${process.pid}.tsv.gz`);
    const targetBytes = 300 * 1024 * 1024;
    let written = 0;
    await new Promise<void>((ok, fail) => {
      const gzip = createGzip({ level: 1 });
      const out = createWriteStream(path);
      gzip.pipe(out).on('finish', ok).on('error', fail);
      gzip.write(
        'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n',
      );
      let i = 0;
      const pump = () => {
        while (written < targetBytes) {
          const lines: string[] = [];
          for (let k = 0; k < 2000; k++, i++)
            lines.push(
              `tt${String(i).padStart(8, '0')}\tmovie\tA title number ${i} with words\tOriginal title ${i * 7}\t0\t${1900 + (i % 120)}\t\\N\t${60 + (i % 90)}\tDrama,Comedy`,
            );
          const chunk = lines.join('\n') + '\n';
          written += chunk.length;
          if (!gzip.write(chunk)) return void gzip.once('drain', pump);
        }
        gzip.end();
      };
      pump();
    });
    try {
      const gzBytes = statSync(path).size;
      const blob = await openAsBlob(path);
      const movies = Array.from({ length: 5000 }, (_, k) =>
        movie(k * 97 + 1, { imdbId: `tt${String(k * 97 + 1).padStart(8, '0')}` }),
      );
      global.gc?.();
      const used = () => {
        const u = process.memoryUsage();
        return u.heapUsed + u.external;
      };
      const base = used();
      let peak = 0;
      const timer = setInterval(() => (peak = Math.max(peak, used() - base)), 20);
      const t0 = performance.now();
      const { updated, files } = await joinImdbTsv(
        [{ name: 'title.basics.tsv.gz', blob }],
        movies,
        {
          onChunk: () => void (peak = Math.max(peak, used() - base)),
        },
      );
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `title.basics: ${(written / 1e6).toFixed(0)} MB text, ${(gzBytes / 1e6).toFixed(0)} MB gz, ${files[0]!.rows} rows in ${seconds.toFixed(1)} s, peak heap+external +${(peak / 1e6).toFixed(0)} MB`,
      );
      expect(files[0]!.rows).toBeGreaterThan(2_500_000);
      expect(updated).toHaveLength(5000);
      expect(updated[0]!.runtime).toBe(60 + (1 % 90));
      // Holding the file would need ≥ 2 × 300 MB (UTF-16 strings); a chunk-at-a-time stream stays far below.
      expect(peak).toBeLessThan(150 * 1024 * 1024);
    } finally {
      rmSync(path, { force: true });
    }
  }, 180_000);
});

describe('streamTsv', () => {
  it('keeps rows split across chunk boundaries whole', async () => {
    const body =
      'h1\th2\n' +
      Array.from({ length: 50_000 }, (_, i) => `r${i}\t${'x'.repeat(i % 50)}`).join('\n');
    const rows: string[][] = [];
    await streamTsv(
      gz(body),
      () => undefined,
      (r) => rows.push(r),
    );
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]).toEqual(['r49999', 'x'.repeat(49_999 % 50)]);
    expect(rows.every((r, i) => r[0] === `r${i}`)).toBe(true);
  });
});
