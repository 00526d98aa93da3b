import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';

/** ../shared (data and weights, read in place), overridable with MARQUEE_SHARED. */
export const SHARED = resolve(process.env.MARQUEE_SHARED ?? '../shared');
/** Where e2e screenshots go (gitignored); look at them. */
export const SHOTS = resolve('test/e2e/screenshots');

export interface AppSession {
  browser: Browser;
  server: StaticServer;
  page: Page;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Serve COOP/COEP like a configurable host (default); false = a plain static host. */
  isolationHeaders?: boolean;
  /** Also serve ../shared under /__shared/ (pretrained weights for Style and Predict). */
  mountShared?: boolean;
  viewport?: { width: number; height: number };
}

/** The built app served on 127.0.0.1, Debian Chromium, and one page that logs page errors. */
export async function startApp(options: AppOptions = {}): Promise<AppSession> {
  mkdirSync(SHOTS, { recursive: true });
  const server = await serveStatic(await ensureBuilt(), {
    isolationHeaders: options.isolationHeaders ?? true,
    ...(options.mountShared ? { mounts: { '/__shared/': SHARED } } : {}),
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  return {
    browser,
    server,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
