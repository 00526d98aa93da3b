import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { loadCatalogue } from '../fake-servers/catalogue.ts';
import {
  FAKE_KEYS,
  startFakeServer,
  type FakeServer,
  type LoggedRequest,
} from '../fake-servers/server.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic } from './serve.ts';
import { openDetails } from './details.ts';

/**
 * The crawl against an unfamiliar, strict, flaky server, through the service worker, with the
 * tab's renderer crashed mid-crawl (resumed in a new tab), then the browser process killed
 * mid-crawl (resumed in a new browser on the same profile).
 * The server: no /3/authentication (key checked on /configuration), 20 requests/s enforced with
 * 429s whose Retry-After a page cannot read (not exposed), and requests that hang forever.
 * The app is configured for 30/s, 50 % above what the server allows.
 */
const CONFIGURED = 30;
const SERVER_LIMIT = 20;
const MOVIES = 100;
const TIMEOUT_CEILING_MS = 3000;
const CATALOGUE = loadCatalogue({ limit: 150, withPostersFirst: true });
const POPULAR = [...CATALOGUE]
  .sort((a, b) => b.popularity - a.popularity || a.id - b.id)
  .slice(0, MOVIES);

let app: { url: string; close(): Promise<void> };
let fake: FakeServer;
let profile: string;
let context: BrowserContext | undefined;

const isDetail = (r: LoggedRequest) => /^\/3\/movie\/\d+$/.test(r.path);
const isPoster = (r: LoggedRequest) => r.path.startsWith('/t/p/');

async function launch(): Promise<Page> {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  return page;
}

/** The browser's main process for our profile (the one without --type=), found by its command line. */
function browserPid(): number {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const cmd = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return ''; // the process ended meanwhile
      }
    })();
    if (cmd.includes(`--user-data-dir=${profile}`) && !cmd.includes('--type=')) return Number(pid);
  }
  throw new Error('browser process not found');
}

const status = (page: Page) =>
  page
    .getByTestId('crawl-status')
    .innerText()
    .catch(() => '');

beforeAll(async () => {
  fake = await startFakeServer({
    movies: CATALOGUE,
    enforceRatePerSec: SERVER_LIMIT,
    exposeRetryAfter: false,
    noAuthentication: true,
  });
  app = await serveStatic(await ensureBuilt(), { isolationHeaders: false });
  profile = mkdtempSync(join(tmpdir(), 'marquee-crawl-profile-'));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await app?.close();
  await fake?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Stored-movie count the crawl panel shows. */
const storedCount = async (page: Page) =>
  Number(/(\d+) movies stored/.exec(await status(page))?.[1] ?? 0);

describe('Crawl on a strict, flaky server, with the tab crashed and the browser killed mid-crawl', () => {
  let page: Page;
  let killedAt = 0;
  /** Windows in which the server was frozen on purpose (every request hangs until the crash or kill). */
  const frozen: [number, number][] = [];

  /** Freezes the server (every new request hangs), lets what arrived be stored, returns when. */
  async function freeze(): Promise<number> {
    fake.clearFaults();
    fake.addFault({ match: /^\/(3|t)\//, kind: 'hang', times: Infinity });
    const at = performance.now();
    await page.waitForTimeout(500);
    return at;
  }

  it('checks the key on /configuration (no /authentication) and never saves a refused one', async () => {
    page = await launch();
    await page.goto(`${app.url}/#/settings`);
    // The app registers its service worker and reloads once to be isolated through it: from
    // then on the page and the crawl worker it starts are controlled by the service worker.
    await page.waitForFunction(
      () => globalThis.crossOriginIsolated && navigator.serviceWorker.controller !== null,
      null,
      { timeout: 120_000 },
    );
    await page.waitForLoadState('load');
    const card = page.getByTestId('api-keys');
    await openDetails(card.getByText('Advanced: rate limit and API hosts'));
    await page.getByTestId('net-rate').fill(String(CONFIGURED));
    await page.getByTestId('net-concurrency').fill('5');
    await card.getByLabel('Timeout ceiling (ms)').fill(String(TIMEOUT_CEILING_MS));
    await page.getByTestId('net-tmdb').fill(fake.tmdbBase);
    await page.getByTestId('net-omdb').fill(fake.omdbBase);
    await page.getByTestId('save-net').click();
    await card.getByText('Saved.').waitFor();
    await page.getByTestId('tmdb-key').fill('refused-key');
    await page.getByTestId('save-keys').click();
    await expect.poll(() => page.getByTestId('key-check').innerText()).toMatch(/TMDb refused/);
    await page.goto(`${app.url}/#/library`);
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    await page.getByTestId('crawl-no-key').waitFor();
    expect(await page.getByTestId('crawl-start').isDisabled()).toBe(true);

    await page.goto(`${app.url}/#/settings`);
    await page.getByTestId('tmdb-key').fill(FAKE_KEYS.apiKey);
    await page.getByTestId('save-keys').click();
    await expect.poll(() => page.getByTestId('key-check').innerText()).toMatch(/TMDb: key works/);
    const checks = fake.log.filter((r) => r.query.get('api_key') === FAKE_KEYS.apiKey);
    expect(checks.map((r) => [r.path, r.status])).toEqual([
      ['/3/authentication', 404],
      ['/3/configuration', 200],
    ]);
  });

  it('slows down when the server asks, survives a crash of the tab, then a kill of the browser process', async () => {
    // Two details hang forever (and a poster after the Resume): the per-attempt timeout must close them.
    for (const m of [POPULAR[7]!, POPULAR[23]!])
      fake.addFault({ match: new RegExp(`^/3/movie/${m.id}$`), kind: 'hang' });
    await page.goto(`${app.url}/#/library`);
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    await page.getByTestId('crawl-max').fill(String(MOVIES));
    await page.getByTestId('crawl-start').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('crawl-rate')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(new RegExp(`server asked us to slow down: ${CONFIGURED} → ${CONFIGURED / 2} req/s`));
    await expect.poll(() => storedCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(25);

    // The tab's renderer crashes (the crawl worker dies with it; the browser lives on).
    const crashFrozenAt = await freeze();
    const crashedAt = performance.now();
    const storedAtCrash = new Set(
      fake.log
        .filter((r) => r.tMs < crashedAt && isDetail(r) && r.status === 200)
        .map((r) => r.path),
    ).size;
    const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
    const cdp = await context!.newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined); // the renderer dies before it answers
    await crashed;
    frozen.push([crashFrozenAt, crashedAt + 100]);
    fake.clearFaults();
    page = await context!.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    await page.goto(`${app.url}/#/library`);
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    await expect
      .poll(() => status(page))
      .toMatch(new RegExp(`interrupted · ${storedAtCrash} movies stored · 0 skipped`));
    await page.getByTestId('crawl-resume').click();
    await expect
      .poll(() => storedCount(page), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(storedAtCrash + 20);

    // Then the whole browser is killed (-9) mid-crawl.
    const killFrozenAt = await freeze();
    killedAt = performance.now();
    frozen.push([killFrozenAt, killedAt + 100]);
    process.kill(browserPid(), 'SIGKILL');
    await context!.close().catch(() => undefined);
    context = undefined;
    fake.clearFaults();
    // A poster that hangs in the resumed crawl.
    fake.addFault({ match: new RegExp(`^/t/p/w185/${POPULAR[3]!.id}\\.jpg$`), kind: 'hang' });
  });

  it('shows the true state after the kill, restores the form, and Resume fetches nothing twice', async () => {
    const before = fake.log.filter((r) => r.tMs < killedAt);
    const storedBefore = new Set(
      before.filter((r) => isDetail(r) && r.status === 200).map((r) => r.path),
    );
    page = await launch();
    await page.goto(`${app.url}/#/library`);
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    // Counts from the store: every movie the server had answered is there, nothing more.
    await expect
      .poll(() => status(page))
      .toMatch(new RegExp(`interrupted · ${storedBefore.size} movies stored · 0 skipped`));
    expect(await page.getByTestId('crawl-max').inputValue()).toBe(String(MOVIES));
    expect(await page.getByTestId('crawl-source').inputValue()).toBe('popular');

    const t0 = performance.now();
    await page.getByTestId('crawl-resume').click();
    await expect
      .poll(() => status(page), { timeout: 90_000 })
      .toMatch(new RegExp(`done · ${MOVIES} movies stored · 0 skipped · ${MOVIES} posters`));
    const resumeSeconds = (performance.now() - t0) / 1000;
    expect(resumeSeconds).toBeLessThan(30);

    const ok = fake.log.filter((r) => r.status === 200);
    const count = (rs: LoggedRequest[]) => {
      const m = new Map<string, number>();
      for (const r of rs) m.set(r.path, (m.get(r.path) ?? 0) + 1);
      return m;
    };
    const details = count(ok.filter(isDetail));
    const posters = count(ok.filter(isPoster));
    // Each detail and each poster was fetched successfully exactly once across crash, kill and both Resumes.
    expect(details.size).toBe(MOVIES);
    expect(Math.max(...details.values())).toBe(1);
    expect(posters.size).toBe(MOVIES);
    expect(Math.max(...posters.values())).toBe(1);
    // Never more than the configured rate in any second at the server, 429s included.
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(CONFIGURED);
    expect(fake.log.some((r) => r.status === 429)).toBe(true);
    // The hung requests were closed at the server within 1 s of the longest timeout (through the
    // service worker: it leaves cross-origin requests alone, so the abort reaches the socket).
    const hung = fake.log.filter(
      (r) =>
        r.method === 'GET' && r.status === 0 && !frozen.some(([a, b]) => r.tMs >= a && r.tMs <= b),
    );
    expect(hung.length).toBeGreaterThanOrEqual(3);
    for (const r of hung) {
      expect(r.closedMs, `${r.path} still open`).toBeDefined();
      expect(r.closedMs! - r.tMs).toBeLessThan(TIMEOUT_CEILING_MS + 1000);
    }
    console.log(
      `crawl-faults: resume ${resumeSeconds.toFixed(1)} s; ${fake.log.length} requests, ${fake.log.filter((r) => r.status === 429).length} × 429, hung closed after ${hung.map((r) => (r.closedMs! - r.tMs).toFixed(0)).join(', ')} ms`,
    );
  });
});
