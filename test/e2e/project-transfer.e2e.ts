import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPaperCsv } from '../../bench/synthetic.ts';
import { startApp, type AppSession } from './app.ts';

/** Enough movies that an import takes a few seconds, so Cancel lands in the middle of it. */
const MOVIES = 12_000;
/** Generated posters (drawn in the page), imported from a folder handle. */
const POSTERS = 150;

let app: AppSession;
let dir: string;

declare global {
  interface Window {
    showDirectoryPicker?: unknown;
    showSaveFilePicker?: unknown;
  }
}

/** Draws POSTERS small JPEGs named by TMDb id into an OPFS folder, and makes showDirectoryPicker return it. */
async function generatePosterFolder(page: Page): Promise<void> {
  await page.evaluate(async (n) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('posters', { create: true });
    for (let i = 1; i <= n; i++) {
      const c = new OffscreenCanvas(60, 90);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`;
      ctx.fillRect(0, 0, 60, 90);
      ctx.fillStyle = '#fff';
      ctx.fillRect(5 + (i % 40), 10, 10, 60);
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
      const w = await (await folder.getFileHandle(`${i}.jpg`, { create: true })).createWritable();
      await w.write(blob);
      await w.close();
    }
    window.showDirectoryPicker = async () => folder;
  }, POSTERS);
}

/** A digest of every movie and poster (bytes included) read straight from IndexedDB. */
function libraryDigest(page: Page): Promise<{ movies: number; posters: number; hash: string }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, err) => {
      const r = indexedDB.open('marquee');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => err(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((ok, err) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => ok(r.result as T[]);
        r.onerror = () => err(r.error);
      });
    const movies = await all<{ key: string }>('movies');
    const posters = await all<{ movieKey: string; blob: Blob }>('posters');
    const journal = await all<unknown>('importJournal');
    db.close();
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [enc.encode(JSON.stringify(movies))];
    for (const p of posters) {
      const { blob, ...meta } = p;
      parts.push(enc.encode(JSON.stringify(meta)), new Uint8Array(await blob.arrayBuffer()));
    }
    const hash = new Uint8Array(
      await crypto.subtle.digest('SHA-256', await new Blob(parts as BlobPart[]).arrayBuffer()),
    );
    if (journal.length) throw new Error(`${journal.length} undo entries left`);
    return {
      movies: movies.length,
      posters: posters.length,
      hash: [...hash].map((b) => b.toString(16).padStart(2, '0')).join(''),
    };
  });
}

const counts = async (p: Page) =>
  (await p.getByTestId('library-counts').innerText()).replace(/,/g, '');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-transfer-'));
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('Project export → import in a fresh browser profile', () => {
  let source: { movies: number; posters: number; hash: string };
  let zipPath: string;

  it('imports movies from a CSV and posters from a folder handle, with thumbnails in the table', async () => {
    const { page } = app;
    const csv = join(dir, 'movies.csv');
    writeFileSync(csv, syntheticPaperCsv(MOVIES, 2000, 6));
    await page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').setInputFiles(csv);
    await expect.poll(() => counts(page), { timeout: 120_000 }).toMatch(`${MOVIES} movies`);
    await generatePosterFolder(page);
    await page.getByText('Choose poster folder…').click();
    await expect
      .poll(() => counts(page), { timeout: 120_000 })
      .toMatch(`${MOVIES} movies · ${POSTERS} posters`);
    // With posters only, every visible row shows its stored thumbnail (a blob: URL from the LRU).
    await page.getByLabel('with poster only').check();
    const img = page.getByRole('grid').locator('img').first();
    await expect.poll(() => img.getAttribute('src'), { timeout: 20_000 }).toMatch(/^blob:/);
    expect(await page.getByRole('grid').locator('img').count()).toBeGreaterThan(5);
    const size = await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]);
    expect(size).toEqual([46, 69]);
    source = await libraryDigest(page);
    expect(source).toMatchObject({ movies: MOVIES, posters: POSTERS });
  });

  it('exports through the save picker (an OPFS file here) with a progress bar', async () => {
    const { page } = app;
    await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      window.showSaveFilePicker = async () =>
        root.getFileHandle('marquee-project.zip', { create: true });
    });
    await page.getByTestId('export-bundle').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('transfer-message')
            .innerText()
            .catch(() => ''),
        {
          timeout: 120_000,
        },
      )
      .toMatch(new RegExp(`Exported ${MOVIES.toLocaleString('en')} movies, ${POSTERS} posters`));
    const b64 = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const file = await (await root.getFileHandle('marquee-project.zip')).getFile();
      const bytes = new Uint8Array(await file.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    zipPath = join(dir, 'marquee-project.zip');
    writeFileSync(zipPath, Buffer.from(b64, 'base64'));
  });

  it('a cancelled import in a fresh profile leaves it empty; the next import restores everything', async () => {
    const context: BrowserContext = await app.browser.newContext({
      viewport: { width: 1400, height: 1000 },
    });
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('pageerror:', e.message));
      await page.goto(`${app.server.url}/#/library`);
      await expect.poll(() => counts(page)).toMatch(/^0 movies · 0 posters/);
      await page.getByTestId('import-bundle').setInputFiles(zipPath);
      const bar = page.getByRole('group', { name: 'Importing project' });
      await bar.getByRole('button', { name: 'Cancel' }).click({ timeout: 60_000 });
      await expect
        .poll(
          () =>
            page
              .getByTestId('transfer-message')
              .innerText()
              .catch(() => ''),
          {
            timeout: 60_000,
          },
        )
        .toMatch(/Import cancelled; the library is as it was/);
      expect(await libraryDigest(page)).toMatchObject({ movies: 0, posters: 0 });
      await expect.poll(() => counts(page)).toMatch(/^0 movies · 0 posters/);

      await page.getByTestId('import-bundle').setInputFiles(zipPath);
      await expect
        .poll(
          () =>
            page
              .getByTestId('transfer-message')
              .innerText()
              .catch(() => ''),
          {
            timeout: 120_000,
          },
        )
        .toMatch(new RegExp(`Imported ${MOVIES} movies, ${POSTERS} posters`));
      expect(await libraryDigest(page)).toEqual(source);
      await expect.poll(() => counts(page)).toMatch(`${MOVIES} movies · ${POSTERS} posters`);
    } finally {
      await context.close();
    }
  });
});
