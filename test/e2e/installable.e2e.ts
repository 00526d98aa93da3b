/**
 * The built site is an installable app by Chromium's own checks (CDP Page.getInstallabilityErrors:
 * manifest, icons, service worker), its manifest parses without errors, and every icon it names
 * is served at the size it claims (the PNGs from `npm run make-icons`), plus the apple-touch-icon.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';

let server: StaticServer;
let context: BrowserContext;
let page: Page;
// A real profile, not an incognito context: Chromium does not offer installs in incognito.
const profile = mkdtempSync(join(tmpdir(), 'marquee-install-'));

beforeAll(async () => {
  server = await serveStatic(await ensureBuilt(), { isolationHeaders: false });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('installable app', () => {
  it('passes Chromium’s installability checks, with PNG icons of the sizes it names', async () => {
    await page.goto(`${server.url}/#/library`);
    // Served without isolation headers, the page reloads itself once after the service worker
    // takes control (offline/register.ts). Wait for that reload to be over: a CDP session opened
    // before it is detached by it ("Not attached to an active page", seen in CI).
    await expect
      .poll(
        () =>
          page
            .evaluate(() => navigator.serviceWorker.controller !== null && crossOriginIsolated)
            .catch(() => false),
        { timeout: 120_000 },
      )
      .toBe(true);
    await page.waitForLoadState('load');
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: { message: string }[];
      data?: string;
    };
    expect(manifest.errors).toEqual([]);
    const icons = (
      JSON.parse(manifest.data!) as { icons: { src: string; sizes: string; purpose?: string }[] }
    ).icons;
    expect(icons.filter((i) => i.purpose === 'maskable').length).toBeGreaterThan(0);
    const pngs = icons.filter((i) => i.src.endsWith('.png'));
    expect(pngs.map((i) => i.sizes).sort()).toEqual(['192x192', '512x512', '512x512']);
    for (const i of pngs) {
      const url = new URL(i.src, manifest.url).href;
      const size = await page.evaluate(async (u) => {
        const r = await fetch(u);
        const b = await createImageBitmap(await r.blob());
        return `${b.width}x${b.height} ${r.headers.get('content-type')}`;
      }, url);
      expect(size).toBe(`${i.sizes} image/png`);
    }
    const touch = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel=apple-touch-icon]')!.href;
      const b = await createImageBitmap(await (await fetch(href)).blob());
      return [b.width, b.height];
    });
    expect(touch).toEqual([180, 180]);

    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
  });
});
