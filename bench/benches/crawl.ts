import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { loadCatalogue } from '../../test/fake-servers/catalogue.ts';
import { FAKE_KEYS, startFakeServer } from '../../test/fake-servers/server.ts';
import type { Bench } from '../types.ts';

const LIMIT = 40;
const MOVIES = 400;
const RATINGS_ROWS = 1_500_000;

async function configure(
  page: Page,
  appUrl: string,
  tmdbBase: string,
  omdbBase: string,
): Promise<void> {
  await page.goto(`${appUrl}/#/settings`);
  await page.getByTestId('api-keys').getByText('Advanced: rate limit and API hosts').click();
  await page.getByTestId('net-rate').fill(String(LIMIT));
  await page.getByTestId('net-concurrency').fill('8');
  await page.getByTestId('net-tmdb').fill(tmdbBase);
  await page.getByTestId('net-omdb').fill(omdbBase);
  await page.getByTestId('save-net').click();
  await page.getByTestId('api-keys').getByText('Saved.').waitFor();
  await page.getByTestId('tmdb-key').fill(FAKE_KEYS.apiKey);
  await page.getByTestId('save-keys').click();
  await page
    .getByTestId('key-check')
    .getByText(/TMDb: key works/)
    .waitFor();
}

/** A title.ratings.tsv.gz shaped like IMDb's (tconst, averageRating, numVotes), seeded by row number. */
function ratingsFile(dir: string, rows: number): string {
  const parts = ['tconst\taverageRating\tnumVotes'];
  for (let i = 1; i <= rows; i++)
    parts.push(
      `tt${String(i).padStart(7, '0')}\t${((i * 37) % 90) / 10 + 1}\t${(i * 7919) % 2_000_000}`,
    );
  const path = join(dir, 'title.ratings.tsv.gz');
  writeFileSync(path, gzipSync(parts.join('\n') + '\n', { level: 6 }));
  return path;
}

/** The TMDb crawl at 40 requests/s against the fake server, and the IMDb ratings join at IMDb's size. */
export const crawl: Bench = {
  name: 'crawl',
  description: `TMDb crawl of ${MOVIES} movies + posters at a ${LIMIT}/s limit (fake server, 10 ms latency, enforcing the limit with 429s); title.ratings-sized (${RATINGS_ROWS.toLocaleString()} rows) IMDb join`,
  async run(ctx) {
    const fake = await startFakeServer({
      movies: loadCatalogue({ withPostersFirst: true }),
      enforceRatePerSec: LIMIT,
      latencyMs: 10,
    });
    const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-crawl-'));
    const page = await ctx.newPage();
    try {
      await configure(page, ctx.appUrl, fake.tmdbBase, fake.omdbBase);
      await page.goto(`${ctx.appUrl}/#/library`);
      await page.getByTestId('crawl-panel').locator('summary').click();
      await page.getByTestId('crawl-max').fill(String(MOVIES));
      const from = fake.log.length;
      await page.getByTestId('crawl-start').click();
      await page.getByTestId('crawl-status').getByText(/done/).waitFor({ timeout: 300_000 });
      const reqs = fake.log.slice(from).filter((r) => r.method !== 'OPTIONS');
      const seconds = (reqs.at(-1)!.tMs - reqs[0]!.tMs) / 1000;
      const rate = (reqs.length - 1) / seconds;
      const status429 = reqs.filter((r) => r.status === 429).length;
      const maxWindow = fake.maxInWindow(1000, (r) => reqs.includes(r));
      const gaps = reqs
        .slice(1)
        .map((r, i) => ({ ms: r.tMs - reqs[i]!.tMs, at: `${reqs[i]!.path} → ${r.path}` }))
        .sort((a, b) => b.ms - a.ms);
      ctx.log(
        (await page.getByTestId('crawl-log').innerText())
          .split('\n')
          .filter((l) => /HTTP:/.test(l))
          .join(' '),
      );
      ctx.log(
        `longest gaps: ${gaps
          .slice(0, 6)
          .map((g) => `${g.ms.toFixed(0)} ms (${g.at})`)
          .join('; ')}`,
      );
      ctx.log(
        `${reqs.length} requests in ${seconds.toFixed(1)} s; max in any 1 s window ${maxWindow}; status: ${await page.getByTestId('crawl-status').innerText()}`,
      );
      ctx.record({
        name: `crawl sustained request rate (limit ${LIMIT}/s)`,
        value: rate,
        unit: 'req/s',
        target: `≥ ${0.95 * LIMIT}`,
        pass: rate >= 0.95 * LIMIT,
      });
      ctx.record({
        name: '429 responses provoked',
        value: status429,
        unit: 'count',
        target: '0',
        pass: status429 === 0,
      });
      ctx.record({
        name: 'most requests in any 1 s window at the server',
        value: maxWindow,
        unit: 'req',
        target: `≤ ${LIMIT}`,
        pass: maxWindow <= LIMIT,
      });

      const file = ratingsFile(dir, RATINGS_ROWS);
      await page.getByTestId('imdb-files').setInputFiles(file);
      const msg = page.getByTestId('imdb-message');
      await msg.waitFor({ timeout: 120_000 });
      const text = await msg.innerText();
      const joinSeconds = Number(/in ([\d.]+) s/.exec(text)?.[1] ?? NaN);
      ctx.log(text);
      ctx.record({
        name: `IMDb title.ratings join (${RATINGS_ROWS.toLocaleString()} rows, gzipped, in the worker)`,
        value: joinSeconds,
        unit: 's',
        target: '< 10',
        pass: joinSeconds < 10,
      });
    } finally {
      await page.context().close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
