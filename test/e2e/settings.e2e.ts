import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic } from './serve.ts';

const SHOTS = resolve('test/e2e/screenshots');
let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // No isolation headers: like a plain static host, where the service worker makes the page isolated.
  server = await serveStatic(await ensureBuilt(), { isolationHeaders: false });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Settings: compute backend in the built, cross-origin isolated app', () => {
  it('measures every backend and picks wasm over the software GPU adapters, with its reason', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1200, height: 900 } })
    ).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#/settings`);
    // Isolated after the service worker's one reload; polled from Node, as the reload replaces the document.
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 30_000 })
      .toBe(true);
    await page.getByRole('button', { name: /Measure/ }).click();
    const choice = page.getByTestId('backend-choice');
    await choice.waitFor({ timeout: 90_000 });
    const text = await choice.innerText();
    expect(text).toMatch(/^wasm — wasm: [\d.]+ GFLOPS beat/);
    expect(text).toMatch(/software/);
    expect(await page.getByTestId('backend-probes').locator('tbody tr').count()).toBe(4);
    expect(await page.getByText(/Cross-origin isolated: yes/).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'settings-backend.png') });
    // The choice is cached per device: the status bar shows it after a reload without measuring again.
    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: /compute: wasm/ }).count()).toBe(1);
  });
});
