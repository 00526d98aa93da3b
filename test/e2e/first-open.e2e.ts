/**
 * First open: an empty Library welcomes a new user (Predict works at once; three ways to get data)
 * and the status bar says why no compute backend is chosen yet rather than "not started" (what runs
 * during training is checked in responsive.e2e.ts, which trains).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, startApp, type AppSession } from './app.ts';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 400, height: 800 } });
  page = app.page;
});

afterAll(() => app?.close());

describe('first open', () => {
  it('welcomes on the empty Library: Predict at once, and the three ways to get data', async () => {
    await page.goto(`${app.server.url}/#/library`);
    const welcome = page.getByTestId('welcome');
    await welcome.waitFor({ timeout: 30_000 });
    const text = await welcome.innerText();
    expect(text).toMatch(/drop any poster/);
    expect(text).toMatch(/Import a movies CSV and posters/);
    expect(text).toMatch(/Crawl TMDb with your own key/);
    expect(text).toMatch(/Open an exported project/);
    await page.screenshot({ path: join(SHOTS, 'first-open-400.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      400,
    );

    expect(await page.getByTestId('status-compute').innerText()).toBe(
      'compute: none chosen yet (JS models need none)',
    );

    // Each way in is a control that leads where it says. "choose files": the Library's own picker.
    const chooser = page.waitForEvent('filechooser');
    await welcome.getByRole('button', { name: 'choose files' }).click();
    const files = await chooser;
    expect(files.isMultiple()).toBe(true);
    expect(await files.element().getAttribute('data-testid')).toBe('pick-files');
    // "open the crawl form": the Crawl TMDb form opens, in view, with focus on its heading.
    const crawl = page.getByTestId('crawl-panel');
    expect(await crawl.getAttribute('open')).toBeNull();
    await welcome.getByRole('button', { name: 'open the crawl form' }).click();
    expect(await crawl.getAttribute('open')).not.toBeNull();
    expect(await crawl.evaluate((d) => d.querySelector('summary') === document.activeElement)).toBe(
      true,
    );
    // Its heading is on screen and not under the sticky header.
    const visible = await crawl.locator('summary').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.left + 10, r.top + r.height / 2));
    });
    expect(visible).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'first-open-crawl-400.png') });
    await crawl.locator('summary').click(); // closed again, as a new user found it
    // "open a project .zip": the picker of Import project… (one .zip).
    const zip = page.waitForEvent('filechooser');
    await welcome.getByRole('button', { name: 'open a project .zip' }).click();
    const bundle = await zip;
    expect(bundle.isMultiple()).toBe(false);
    expect(await bundle.element().getAttribute('data-testid')).toBe('import-bundle');
    // The README sections it names for reading are there.
    const readme = readFileSync('README.md', 'utf8');
    const named = [...text.matchAll(/README: Using the studio → Library → ([^.\n]+)\./g)].map(
      (m) => m[1]!,
    );
    expect(named).toEqual(['Import', 'Crawl TMDb', 'Export / import']);
    expect(readme).toMatch(/^## Using the studio$/m);
    expect(readme).toMatch(/^### Library$/m);
    for (const section of named) expect(readme).toContain(`- **${section}**`);

    await welcome.getByRole('link', { name: 'Settings → API keys' }).click();
    await page.waitForURL(/#\/settings$/);
    // Persistent storage: feedback at once, then the browser's answer.
    await page.getByRole('button', { name: 'Ask to keep data persistent' }).click();
    const persist = page.getByTestId('persist-message');
    expect(await persist.innerText()).toMatch(/Asking the browser|Granted|Not granted|Already/);
    await expect
      .poll(() => persist.innerText(), { timeout: 10_000 })
      .toMatch(/^(Granted|Not granted|Already persistent|Could not ask)/);
    await page.goBack();
    await welcome.getByRole('link', { name: 'Predict' }).click();
    await page.waitForURL(/#\/predict$/);
    await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 });
    // Predict's worker chose its backend: the status bar names it.
    expect(await page.getByTestId('status-compute').innerText()).toMatch(
      /^compute: (webgpu|webgl|wasm|cpu) \(Predict\)$/,
    );
  });
});
