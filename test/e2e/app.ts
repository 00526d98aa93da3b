import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';
import { madeMetadataCsv } from '../../src/test/movies-csv.ts';
import { labelledPosters, madePoster } from '../../src/test/posters.ts';
import { SHARED_ROOT } from '../../src/test/shared.ts';

/**
 * ../shared (data and weights, read in place), or MARQUEE_SHARED: the one definition in
 * src/test/shared.ts. E2e files that read it use sharedPath() and, once per file,
 * missingShared() to skip what needs it with one NOT RUN line on a clone without it.
 */
export const SHARED = SHARED_ROOT;
export { missingShared, sharedPath } from '../../src/test/shared.ts';
/**
 * A poster we make (src/test/posters.ts madePoster, 182×268 like Kaggle's) written to a new temp
 * folder under `name`, for journeys where any poster will do (no shared data needed).
 */
export function madePosterFile(name = 'poster.jpg', seed = 1): string {
  const file = join(mkdtempSync(join(tmpdir(), 'marquee-poster-')), name);
  writeFileSync(file, madePoster(seed));
  return file;
}

/**
 * n made-up movies in Kaggle's labels.csv layout and their posters (src/test/posters.ts
 * labelledPosters), written to a new temp folder: [labels.csv, tt9200001.jpg, …].
 */
export function labelledPosterFiles(n: number): string[] {
  const { csv, posters } = labelledPosters(n);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-posters-'));
  writeFileSync(join(dir, 'labels.csv'), csv);
  for (const p of posters) writeFileSync(join(dir, p.name), p.bytes);
  return [join(dir, 'labels.csv'), ...posters.map((p) => join(dir, p.name))];
}

/**
 * n made-up movies in the TMDb + IMDb 2011–2016 metadata file's layout (src/test/movies-csv.ts
 * madeMetadataCsv), written to a new temp folder as tmdb-imdb-made.csv.
 */
export function madeMetadataFile(n: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'marquee-movies-')), 'tmdb-imdb-made.csv');
  writeFileSync(file, madeMetadataCsv(n));
  return file;
}

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
