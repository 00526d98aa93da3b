/**
 * The built site on a plain static host (no isolation headers, no ../shared mount, no internet):
 * Predict answers for a poster (one we make) with the backbone and model that ship in models/, every
 * request the page, its workers and its service worker make stays on 127.0.0.1 and none asks for
 * /__shared/ (checked in the browser and on the server), and after going offline a reload
 * (with the server gone too) predicts the same probabilities from Cache Storage. At a phone-sized and a desktop viewport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { madePosterFile, SHOTS, startApp, type AppSession } from './app.ts';
import { predictPoster } from './predict-helpers.ts';

/** Any poster will do: one we make, so this runs without the shared data folder. */
const POSTER = madePosterFile();

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until the page is cross-origin isolated and its service worker controls it (the worker reloads once on a plain host). */
async function settled(page: Page): Promise<void> {
  const end = Date.now() + 240_000; // the worker precaches ~30 MB first; slow when the machine is busy
  let last: unknown;
  while (Date.now() < end) {
    try {
      last = await page.evaluate(async () => ({
        isolated: globalThis.crossOriginIsolated,
        controlled: navigator.serviceWorker.controller !== null,
        state: (await navigator.serviceWorker.getRegistration())?.active?.state ?? null,
      }));
      const s = last as { isolated: boolean; controlled: boolean; state: string | null };
      if (s.isolated && s.controlled && s.state === 'activated') return;
    } catch (e) {
      last = e; // the page is reloading
    }
    await sleep(250);
  }
  throw new Error(`the page never became isolated and controlled: ${JSON.stringify(last)}`);
}

const modelCache = (page: Page) =>
  page.evaluate(async () => {
    const cache = await caches.open('marquee-models');
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });

describe.each([
  { width: 400, height: 800 },
  { width: 1280, height: 800 },
])('Predict on a plain static host at $width×$height', (viewport) => {
  let app: AppSession;
  let page: Page;
  let context: BrowserContext;
  const seen: string[] = [];
  const errors: string[] = [];
  let first: number[];

  beforeAll(async () => {
    app = await startApp({ isolationHeaders: false, viewport });
    page = app.page;
    context = page.context();
    context.on('request', (r) => void seen.push(r.url()));
    page.on('pageerror', (e) => void errors.push(e.message));
  });

  afterAll(() => app?.close());

  it('predicts a poster with the models the site ships, asking nothing of /__shared/ or other hosts', async () => {
    await page.goto(`${app.server.url}/#/predict`);
    await settled(page);
    first = await predictPoster(page, POSTER);
    expect(first).toHaveLength(7);
    for (const p of first) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }

    const http = seen.filter((u) => /^https?:/.test(u));
    const hosts = [...new Set(http.map((u) => new URL(u).host))];
    const port = new URL(app.server.url).port;
    expect(hosts).toEqual([`127.0.0.1:${port}`]);
    expect(http.filter((u) => new URL(u).pathname.startsWith('/__shared/'))).toEqual([]);
    // The server's own log covers requests a browser event might not report.
    expect(app.server.requests.filter((p) => p.startsWith('/__shared/'))).toEqual([]);
    // The backbone came from the site: model.json and its shard were asked for and kept.
    expect(app.server.requests).toContain('/models/mobilenetv2-0.35/weights.bin');
    const kept = await modelCache(page);
    expect(kept).toEqual(
      expect.arrayContaining([
        '/models/mobilenetv2-0.35/model.json',
        '/models/mobilenetv2-0.35/weights.bin',
        '/models/marquee-poster-v1/weights.bin',
      ]),
    );
    console.info(
      `static-host e2e ${viewport.width}px: ${http.length} requests, model cache: ${kept.join(', ')}`,
    );
    await page.screenshot({ path: join(SHOTS, `static-host-${viewport.width}.png`) });
  });

  it('predicts the same probabilities offline, with the server gone, after a reload', async () => {
    // Closed as well as offline: Chromium's offline emulation does not cover the service worker's fetches.
    await app.server.close();
    await context.setOffline(true);
    await page.reload();
    const again = await predictPoster(page, POSTER);
    again.forEach((p, i) => expect(Math.abs(p - first[i]!)).toBeLessThan(1e-6));
    expect(seen.filter((u) => u.includes('/__shared/'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `static-host-offline-${viewport.width}.png`) });
  });
});
