/**
 * Responsive layout: at 360×800 and 400×800 (phones) and 1280×800 (a small laptop) no panel scrolls
 * sideways.
 * With data in every panel (a 400-movie CSV and its posters in the Library, one finished run in
 * Compare, two posters predicted in Predict), each panel and the movie detail is opened at each
 * width; the document and the panel element must fit the viewport (scrollWidth ≤ width), and a
 * screenshot per panel and width lands in test/e2e/screenshots/responsive-<panel>-<width>.png.
 * Panels whose overflow comes from components being reworked elsewhere are listed in KNOWN: they
 * are measured and reported (and reported again if they start to fit), not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';
import { PANELS } from '../../src/lib/state/routes.ts';

const noData = missingShared(
  import.meta.url,
  'the layout checks of every panel at 360, 400 and 1280 px with a library in it (400 CS109b movies and their posters)',
  'data/tmdb-cs109b/movies.csv',
  'data/tmdb-cs109b/posters',
);

const CS109B = join(SHARED, 'data/tmdb-cs109b');
/** The narrowest phone the README promises, the phone the issue measured, a small laptop. */
const WIDTHS = [360, 400, 1280] as const;
/** `panel@width` cases measured and reported but not asserted (none left: every panel fits). */
const KNOWN: ReadonlySet<string> = new Set<string>([]);

/** The Compare rows: a short name and a long one (long names must wrap, not widen the table). */
const RUNS = [
  ['responsive logistic', '1'],
  ['logistic regression on the paper features with a weaker penalty', '0.1'],
] as const;

let app: AppSession;
let page: Page;
let posterFiles: string[] = [];
let firstKey = '';
/** What the status bar's "running" slot showed while the two runs trained. */
let activitySeen: string[] = [];

/** The first 400 CS109b movies (one CSV row each) in a temp CSV, and up to 6 of their posters. */
function smallLibrary(): { csv: string; posters: string[] } {
  const parsed = Papa.parse<Record<string, string>>(
    readFileSync(join(CS109B, 'movies.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  );
  const seen = new Set<string>();
  const rows = parsed.data.filter((r) => !seen.has(r.movie_id!) && seen.add(r.movie_id!));
  const picked = rows.slice(0, 400);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-responsive-'));
  const csv = join(dir, 'movies.csv');
  writeFileSync(csv, Papa.unparse(picked, { columns: parsed.meta.fields }));
  const posters = picked
    .map((r) => join(CS109B, 'posters', `${r.movie_id}.jpg`))
    .filter((f) => existsSync(f))
    .slice(0, 6);
  return { csv, posters };
}

beforeAll(async () => {
  const lib = smallLibrary();
  posterFiles = lib.posters;
  app = await startApp({ viewport: { width: 1280, height: 800 } });
  page = app.page;
  await page.goto(`${app.server.url}/#/library`);
  await page.getByTestId('pick-files').setInputFiles([lib.csv, ...lib.posters]);
  await page
    .getByTestId('import-summary')
    .getByText(/Posters/)
    .waitFor({ timeout: 60_000 });
  firstKey = `tmdb:${(/(\d+)\.jpg$/.exec(lib.posters[0]!) ?? [])[1]}`;

  // Two small finished runs (one with a long name), so Compare has rows and a run detail to lay out.
  await page.getByRole('tab', { name: 'Train' }).click();
  // Record every text the status bar's "running" slot shows while the runs train.
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=status-activity]')!;
    const seen: string[] = [];
    (window as unknown as { activitySeen: string[] }).activitySeen = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  for (const [name, c] of RUNS) {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('CV folds').fill('2');
    await page.getByLabel('Model kind').selectOption('logistic');
    await page.getByLabel(/^C \(/).fill(c);
    await page.getByRole('button', { name: 'Add to queue' }).click();
  }
  for (const [name] of RUNS) {
    await page
      .getByTestId('recent-runs')
      .getByText(new RegExp(`${name}\\s+done`))
      .waitFor({ timeout: 120_000 });
  }
  activitySeen = await page.evaluate(
    () => (window as unknown as { activitySeen: string[] }).activitySeen,
  );
}, 240_000);

afterAll(() => app?.close());

interface Fit {
  doc: number;
  panel: number;
  panelClient: number;
  viewport: number;
  header: number;
  /** Up to 5 elements past the panel's right edge that no scroll box of their own contains. */
  culprits: string[];
}

async function measure(p: Page): Promise<Fit> {
  return p.evaluate(() => {
    const vw = window.innerWidth;
    const panel = document.getElementById('panel')!;
    const edge = Math.min(vw, panel.getBoundingClientRect().left + panel.clientWidth);
    // Inside a scroll box that fits, an element is no overflow, unless it is positioned out of it
    // (absolute against an ancestor above the box, or fixed).
    const clipped = (el: Element) => {
      const pos = getComputedStyle(el).position;
      if (pos === 'fixed') return false;
      const from =
        pos === 'absolute' && el instanceof HTMLElement ? el.offsetParent : el.parentElement;
      for (let a = from; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== 'visible' && a.getBoundingClientRect().right <= edge + 0.5) return true;
      }
      return false;
    };
    const culprits: string[] = [];
    for (const el of panel.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= edge + 0.5 || clipped(el)) continue;
      const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
      culprits.push(
        `${name} (right ${Math.round(r.right)} px, “${(el.textContent ?? '').trim().slice(0, 30)}”)`,
      );
      if (culprits.length === 5) break;
    }
    return {
      doc: document.documentElement.scrollWidth,
      panel: panel.scrollWidth,
      panelClient: panel.clientWidth,
      viewport: vw,
      header: document.querySelector('header')!.getBoundingClientRect().height,
      culprits,
    };
  });
}

/** What each panel shows once its data is on screen. */
const READY: Record<string, (p: Page) => Promise<unknown>> = {
  library: (p) => p.locator('.viewport [role=row]').first().waitFor(),
  movie: (p) => p.getByRole('heading', { level: 1 }).waitFor(),
  explore: (p) =>
    p.getByRole('img', { name: /Genre correlation heatmap/ }).waitFor({ timeout: 60_000 }),
  train: (p) => p.getByTestId('recent-runs').waitFor(),
  compare: (p) => p.getByTestId('runs-table').first().waitFor(),
  // Predict keeps its results only while the panel is open: predict two posters on each visit.
  predict: async (p) => {
    await p.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 });
    await p.getByTestId('predict-file').setInputFiles(posterFiles.slice(0, 2));
    await p.getByTestId('predict-result').nth(1).waitFor({ timeout: 60_000 });
  },
  style: (p) => p.getByRole('heading', { level: 1 }).first().waitFor(),
  settings: (p) => p.getByTestId('backbone-weights').waitFor(),
};

const VIEWS = [
  ...PANELS.map((p) => ({ id: p.id as string, hash: `#/${p.id}` })),
  { id: 'movie', hash: '' },
];

describe.skipIf(noData).each(WIDTHS)('at %i px wide', (width) => {
  const results = new Map<string, Fit>();

  beforeAll(async () => {
    await page.setViewportSize({ width, height: 800 });
  });

  it.each(VIEWS)(
    '$id fits without sideways scrolling',
    async ({ id, hash }) => {
      const target = id === 'movie' ? `#/library/movie/${encodeURIComponent(firstKey)}` : hash;
      await page.evaluate((h) => (location.hash = h), target);
      await READY[id]!(page);
      await page.waitForTimeout(300); // late layout: images decoding, charts measuring their width
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `responsive-${id}-${width}.png`), fullPage: true });
      const fit = await measure(page);
      results.set(id, fit);
      const key = `${id}@${width}`;
      if (KNOWN.has(key)) {
        const fits = fit.doc <= fit.viewport && fit.panel <= fit.panelClient;
        console.warn(
          `responsive: ${key} is a known overflow (document ${fit.doc} px, panel ${fit.panel} px` +
            ` in ${fit.viewport} px)${fits ? ' — it fits now: take it off KNOWN' : ''};` +
            ` ${fit.culprits.join('; ')}`,
        );
        return;
      }
      const why = `${key}: ${fit.culprits.join('; ') || 'no single element found'}`;
      expect(fit.doc, `document scrollWidth, ${why}`).toBeLessThanOrEqual(fit.viewport);
      expect(fit.panel, `panel scrollWidth, ${why}`).toBeLessThanOrEqual(fit.panelClient);
    },
    120_000,
  );

  it('keeps long values readable: titles in the Library, cached URLs in Settings', async () => {
    // Fitting by squeezing is no fit: a column a few characters wide printed the cached model URL
    // one character per line. Both cells must keep at least a quarter of the panel’s width.
    const widths = async (hash: string, selector: string) => {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.locator(selector).first().waitFor();
      return page.evaluate(
        (sel) => ({
          panel: document.getElementById('panel')!.clientWidth,
          cells: [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().width),
        }),
        selector,
      );
    };
    for (const [hash, selector] of [
      ['#/library', '.viewport [role=row] .title'],
      ['#/settings', '[data-testid=backbone-status]'],
    ] as const) {
      const { panel, cells } = await widths(hash, selector);
      expect(cells.length, selector).toBeGreaterThan(0);
      expect(Math.min(...cells), `${selector} at ${width} px`).toBeGreaterThanOrEqual(0.25 * panel);
    }
  });

  it.runIf(width >= 1280)('shows the whole Compare table without scrolling it', async () => {
    await page.evaluate(() => (location.hash = '#/compare'));
    await page.getByTestId('runs-table').first().waitFor();
    const box = await page
      .getByTestId('runs-table')
      .first()
      .evaluate((t) => ({
        scroll: t.parentElement!.scrollWidth,
        client: t.parentElement!.clientWidth,
      }));
    // +1: scrollWidth and clientWidth are rounded separately (sub-pixel column widths).
    expect(box.scroll, 'Compare table scroll box at 1280 px').toBeLessThanOrEqual(box.client + 1);
    // Every row's Delete button on screen (at 1280 px the issue found Fit and Delete cut off).
    const rights = await page
      .getByRole('button', { name: /^Delete run/ })
      .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().right));
    expect(rights).toHaveLength(RUNS.length);
    for (const r of rights) expect(r).toBeLessThanOrEqual(1280);
  });

  it('keeps the header to one compact row', () => {
    const header = results.get('library')?.header ?? Infinity;
    expect(header).toBeLessThanOrEqual(width < 700 ? 56 : 64);
  });
});

describe.skipIf(noData)('Library search and rating sort', () => {
  it('keeps the search when a movie is opened and closed', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => (location.hash = '#/library'));
    const search = page.getByLabel('Search movies');
    await search.fill('the');
    const rows = page.locator('.viewport [role=row]');
    await rows.first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goBack();
    await rows.first().waitFor();
    expect(await page.getByLabel('Search movies').inputValue()).toBe('the');
    await page.getByLabel('Search movies').fill('');
  });

  it('sorts by rating with a minimum vote count, and says so', async () => {
    await page.getByRole('button', { name: /^Rating/ }).click();
    const min = page.getByTestId('min-votes');
    expect(await min.innerText()).toMatch(/movies with at least\s*votes first/);
    expect(await min.getByRole('spinbutton').inputValue()).toBe('50');
  });
});

describe.skipIf(noData)('status bar', () => {
  it('said what was training while the runs ran', () => {
    expect(activitySeen.some((t) => /running: training responsive logistic/.test(t))).toBe(true);
    // Progress counts are whole numbers, never repeated ("label 2/7 2/7").
    for (const t of activitySeen) expect(t).not.toMatch(/\d\.\d+ \/|(\d+\/\d+) \1/);
  });
});

describe.skipIf(noData)('keyboard on the collapsed tab strip', () => {
  it('moves between tabs with arrow keys and Alt+digit at 400 px, keeping the current tab in view', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.evaluate(() => (location.hash = '#/library'));
    await page.getByRole('tab', { name: 'Library' }).focus();
    await page.keyboard.press('End');
    await page.waitForURL(/#\/settings$/);
    const inView = await page.getByRole('tab', { name: 'Settings' }).evaluate((el) => {
      const tab = el.getBoundingClientRect();
      const strip = el.parentElement!.getBoundingClientRect();
      return tab.left >= strip.left - 1 && tab.right <= strip.right + 1;
    });
    expect(inView).toBe(true);
    await page.keyboard.press('Alt+1');
    await page.waitForURL(/#\/library$/);
  });
});
