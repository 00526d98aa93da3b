import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LibraryClosedError,
  SCHEMA_VERSION,
  StorageUnavailableError,
  openLibrary,
} from './index.ts';
import {
  blobBytes,
  deleteDatabase,
  makeMovie,
  makePoster,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

const names: string[] = [];
function testName(label: string): string {
  const name = uniqueDbName(label);
  names.push(name);
  return name;
}
afterEach(async () => {
  for (const name of names.splice(0)) await deleteDatabase(name);
});

/** Opens a raw IndexedDB connection (no library) at a version, optionally with an upgrade body. */
function rawOpen(name: string, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('open failed'));
  });
}

describe('schema migrations', () => {
  it('upgrades v1 to the current version keeping movies, posters and settings', async () => {
    const name = testName('migrate');
    const v1 = await openLibrary({ name, version: 1 });
    const bytes = randomBytes(2048, 7);
    await v1.putMovies([
      makeMovie('tmdb:1', { tmdbId: 1, imdbId: 'tt0000001', year: 1999 }),
      makeMovie('tmdb:2', { tmdbId: 2, year: 2005 }),
    ]);
    await v1.putPosters([makePoster('tmdb:1', bytes)]);
    await v1.putSetting('seed', 42);
    v1.close();

    const before = await rawOpen(name);
    expect(before.version).toBe(1);
    expect([...before.objectStoreNames].sort()).toEqual(['movies', 'posters', 'settings']);
    before.close();

    const lib = await openLibrary({ name });
    expect(await lib.countMovies()).toBe(2);
    expect(await lib.getMovie('tmdb:1')).toMatchObject({ imdbId: 'tt0000001', year: 1999 });
    expect(await lib.findMovieKey({ imdbId: 'tt0000001' })).toBe('tmdb:1');
    expect(await blobBytes((await lib.getPoster('tmdb:1'))!.blob)).toEqual(Array.from(bytes));
    expect(await lib.getSetting('seed')).toBe(42);
    // The new stores work.
    await lib.putRun({
      id: 'r',
      createdAt: 1,
      kind: 'k',
      spec: {},
      result: null,
      status: 'queued',
    });
    await lib.putModel({ id: 'm', createdAt: 1, name: 'm', card: {}, artifacts: null });
    await lib.putFeatures({
      key: 'f',
      createdAt: 1,
      data: new Uint8Array([1]),
      shape: [1],
      meta: null,
    });
    expect((await lib.listRuns()).length).toBe(1);
    expect((await lib.getModel('m'))?.name).toBe('m');
    expect((await lib.getFeatures('f'))?.shape).toEqual([1]);
    lib.close();

    // The year index added in v2 covers records written under v1.
    const after = await rawOpen(name);
    expect(after.version).toBe(SCHEMA_VERSION);
    const tx = after.transaction('movies');
    const byYear = tx.objectStore('movies').index('year').getAllKeys(IDBKeyRange.bound(2000, 2010));
    await new Promise((r) => (tx.oncomplete = r));
    expect(byYear.result).toEqual(['tmdb:2']);
    after.close();
  });

  it('upgrades v3 to v4: thumbnails and the import journal appear, deleting a movie drops its thumbnail', async () => {
    const name = testName('migrate-v4');
    const v3 = await openLibrary({ name, version: 3 });
    await v3.putMovies([makeMovie('tmdb:1'), makeMovie('tmdb:2')]);
    await v3.putPosters([makePoster('tmdb:1', randomBytes(512, 3))]);
    v3.close();
    const before = await rawOpen(name);
    expect([...before.objectStoreNames]).not.toContain('thumbnails');
    before.close();

    const lib = await openLibrary({ name });
    expect(await lib.countPosters()).toBe(1);
    expect(await lib.keysWithoutThumbnail(undefined, 10)).toEqual(['tmdb:1']);
    const thumb = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' });
    await lib.putThumbnails([
      { movieKey: 'tmdb:1', blob: thumb, width: 46, height: 69, posterBytes: 512 },
    ]);
    expect(await lib.keysWithoutThumbnail(undefined, 10)).toEqual([]);
    const [got, none] = await lib.getThumbnails(['tmdb:1', 'tmdb:2']);
    expect(await blobBytes(got!.blob)).toEqual([1, 2, 3]);
    expect(none).toBeUndefined();
    await lib.deleteMovies(['tmdb:1']);
    expect(await lib.getThumbnails(['tmdb:1'])).toEqual([undefined]);
    lib.close();
    const after = await rawOpen(name);
    expect(after.version).toBe(SCHEMA_VERSION);
    expect([...after.objectStoreNames]).toEqual(
      expect.arrayContaining(['thumbnails', 'importJournal']),
    );
    after.close();
  });

  it('refuses to open a newer database with an older schema, saying to reload', async () => {
    const name = testName('newer');
    (await openLibrary({ name })).close();
    const err = await openLibrary({ name, version: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect((err as Error).message).toMatch(/newer version of Marquee/);
  });
});

describe('two tabs', () => {
  it('closes this connection and notifies when another one upgrades the database', async () => {
    const name = testName('versionchange');
    const onVersionChange = vi.fn();
    const lib = await openLibrary({ name, onVersionChange });
    await lib.putMovies([makeMovie('a')]);
    // A "newer tab": a higher version. It is not blocked because the library closes itself.
    const newer = await rawOpen(name, SCHEMA_VERSION + 1);
    expect(onVersionChange).toHaveBeenCalledTimes(1);
    expect(newer.version).toBe(SCHEMA_VERSION + 1);
    const err = await lib.countMovies().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibraryClosedError);
    expect((err as Error).message).toMatch(/updated in another tab.*Reload/);
    newer.close();
  });

  it('reports blocked while an old connection holds on, then finishes the upgrade', async () => {
    const name = testName('blocked');
    (await openLibrary({ name, version: 1 })).close();
    const stubborn = await rawOpen(name); // an old tab that ignores versionchange
    const onBlocked = vi.fn();
    const opening = openLibrary({ name, onBlocked });
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalled(), { timeout: 5000 });
    stubborn.close();
    const lib = await opening;
    await lib.putRun({ id: 'r', createdAt: 1, kind: 'k', spec: {}, result: null, status: 'done' });
    expect((await lib.listRuns()).map((r) => r.id)).toEqual(['r']);
    lib.close();
  });
});
