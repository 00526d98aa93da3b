/**
 * WebAssembly threads in the built app, served cross-origin isolated: Settings says how many
 * threads run and why, the backend probe measures wasm with threads, and a poster CNN trains a
 * step in the poster worker on the threaded SIMD build (tfjs' pthread workers loading the
 * factory that scripts/wasm-threads-plugin.ts serves untransformed), with the training kernels
 * of src/lib/platform/kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { labelledPosterFiles, SHOTS, startApp, type AppSession } from './app.ts';

const N = 24;

let app: AppSession;
let page: Page;
let threads: number;

beforeAll(async () => {
  app = await startApp();
  page = app.page;
});

afterAll(() => app?.close());

describe('wasm threads in the built app', () => {
  it('runs one thread per core, says so in Settings, and measures wasm with them', async () => {
    await page.goto(`${app.server.url}/#/settings`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    threads = Math.min(cores, 8);
    expect(threads, 'this test needs a machine with 2 or more cores').toBeGreaterThan(1);
    const note = page.getByTestId('wasm-threads');
    expect(await note.innerText()).toContain(
      `WebAssembly: ${threads} threads: one per core (${cores} reported`,
    );
    await page.getByRole('button', { name: /Measure (now|again)/ }).click();
    const wasmRow = page.getByTestId('backend-probes').locator('tr').filter({ hasText: /^wasm/ });
    await wasmRow.waitFor({ timeout: 60_000 });
    expect(await wasmRow.innerText()).toContain(`wasm SIMD+threads (${threads})`);
    // Train on wasm whatever the short benchmark picked on this (busy, shared) machine: a software
    // GPU adapter can win it under load, and this test is about wasm.
    await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
    await expect
      .poll(() => page.getByTestId('backend-choice').innerText())
      .toMatch(/^wasm — wasm: chosen by the user setting/);
    await page.screenshot({ path: join(SHOTS, 'settings-threads.png'), fullPage: true });
  });

  it('trains a poster CNN step in the poster worker on threaded wasm', async () => {
    const [csv, ...posters] = labelledPosterFiles(N);
    await page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').setInputFiles(csv!);
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('pick-files').setInputFiles(posters);
    await page
      .getByTestId('import-summary')
      .getByText(/poster/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.goto(`${app.server.url}/#/train/posters`);
    const form = page.getByRole('region', { name: 'Poster experiment' });
    await form.waitFor({ state: 'visible' });
    await form.getByRole('button', { name: 'Paper initial CNN' }).click();
    await form.getByLabel('Run name').fill('e2e threads');
    await form.getByLabel('Limit (first N posters)').fill('16');
    await form.getByLabel(/^epochs \(/).fill('1');
    await form.getByLabel(/^batchSize \(/).fill('8');
    await page.getByRole('button', { name: 'Add poster run to queue' }).click();
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/e2e threads\s+done in/).waitFor({ timeout: 240_000 });

    // The poster worker is one of the shared compute workers (named by its role).
    const workers = page.workers();
    // Only module workers: a pthread worker sits in Atomics.wait and would never answer.
    const modules = workers.filter((w) => !w.url().startsWith('blob:'));
    const named = await Promise.all(
      modules.map(async (w) => [w, await w.evaluate(() => self.name)] as const),
    );
    const poster = named.find(([, n]) => n === 'posters')?.[0];
    expect(poster, 'a compute worker named "posters"').toBeDefined();
    expect(poster!.url()).toMatch(/\/assets\/compute\.worker-[\w-]+\.js$/);
    // The platform marks what the worker's wasm backend started with (tfjs' getThreadsCount()).
    const started = await poster!.evaluate(() =>
      performance
        .getEntriesByName('marquee:wasm-started')
        .map((e) => (e as PerformanceMark).detail),
    );
    expect(started).toEqual([{ threads }]);
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('radio', { name: /Table 2 view/ }).check();
    const row = page
      .getByTestId('runs-table')
      .locator('tbody tr')
      .filter({ hasText: 'e2e threads' });
    // The Table 2 view (with its Backend column) renders after the radio is checked: poll.
    await expect.poll(() => row.innerText()).toMatch(/\twasm(\t|$)/);
    await page.screenshot({ path: join(SHOTS, 'threads-trained.png'), fullPage: true });
  });
});
