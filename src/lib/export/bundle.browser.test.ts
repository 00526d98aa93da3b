import { afterAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8, zipSync, strToU8 } from 'fflate';
import { openLibrary, type Library } from '../storage/index.ts';
import { deleteDatabase, makeMovie, mulberry32, uniqueDbName } from '../../test/storage-helpers.ts';
import type { Poster } from '../data/types.ts';
import { exportBundle, importBundle } from './bundle.ts';
import { exportBundleV1, importBundleV1 } from './legacy-export.ts';
import { BlobSink, fileHandleSink } from './sinks.ts';
import { readZipDirectory } from './zip-reader.ts';

const opened: Library[] = [];
const names: string[] = [];
async function fresh(label: string): Promise<Library> {
  const name = uniqueDbName(label);
  names.push(name);
  const lib = await openLibrary({ name });
  opened.push(lib);
  return lib;
}
afterAll(async () => {
  for (const l of opened) l.close();
  for (const n of names) await deleteDatabase(n);
});

/** A JPEG-looking byte string with seeded noise (bundles never decode posters). */
function fakeJpeg(seed: number, size: number): Uint8Array<ArrayBuffer> {
  const rnd = mulberry32(seed);
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(rnd() * 256);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  b.set([0xff, 0xd9], size - 2);
  return b;
}

const N_MOVIES = 40;
const N_POSTERS = 25;

/** A library with movies, posters, a run, two models, a setting and API keys. */
async function populated(label: string): Promise<{ lib: Library; bytes: Uint8Array[] }> {
  const a = await fresh(label);
  const movies = Array.from({ length: N_MOVIES }, (_, i) =>
    makeMovie(`tmdb:${i + 1}`, {
      tmdbId: i + 1,
      keywords: ['a', 'b'],
      popularity: i / 3,
      genreIds: [18, 28],
    }),
  );
  await a.putMovies(movies);
  const bytes = movies.slice(0, N_POSTERS).map((_, i) => fakeJpeg(i, 2000 + i * 37));
  const posters: Poster[] = bytes.map((b, i) => ({
    movieKey: `tmdb:${i + 1}`,
    blob: new Blob([b], { type: 'image/jpeg' }),
    width: 92,
    height: 138,
    type: 'image/jpeg',
    sizeBytes: b.length,
    source: `${i + 1}.jpg`,
    addedAt: 5,
  }));
  await a.putPosters(posters);
  await a.putRun({
    id: 'run-1',
    createdAt: 1,
    kind: 'forest',
    spec: { trees: 10 },
    result: { f1: 0.5 },
    status: 'done',
    finishedAt: 2,
  });
  await a.putModel({
    id: 'm-1',
    createdAt: 3,
    name: 'cnn',
    card: { acc: 0.7 },
    artifacts: {
      modelTopology: { layers: 2 },
      weightSpecs: [{ name: 'w', shape: [3] }],
      weightData: new Float32Array([1.5, -2, 3.25]).buffer,
    },
  });
  await a.putModel({
    id: 'm-2',
    createdAt: 4,
    name: 'forest',
    card: { trees: [] },
    artifacts: null,
  });
  await a.putSetting('explore.groups', { k: 3 });
  await a.putSetting('api-keys', { tmdb: 'SECRET-TMDB', omdb: 'SECRET-OMDB' });
  return { lib: a, bytes };
}

/** Everything a bundle touches, with poster and thumbnail bytes, for before/after comparisons. */
async function snapshot(lib: Library) {
  const bytesOf = async (b: Blob) => Array.from(new Uint8Array(await b.arrayBuffer()));
  const posters = await Promise.all(
    (await lib.posterBatch(undefined, 1e6)).map(async ({ blob, ...p }) => ({
      ...p,
      bytes: await bytesOf(blob),
    })),
  );
  const keys = (await lib.allMovies()).map((m) => m.key);
  const thumbs = await Promise.all(
    (await lib.getThumbnails(keys)).map(async (t) => t && { ...t, blob: await bytesOf(t.blob) }),
  );
  const models = (await lib.listModels()).map((m) => ({
    ...m,
    artifacts: m.artifacts && {
      ...m.artifacts,
      weightData: [...new Uint8Array(m.artifacts.weightData)],
    },
  }));
  return {
    movies: (await lib.allMovies()).sort((x, y) => x.key.localeCompare(y.key)),
    posters,
    thumbs,
    runs: await lib.listRuns(),
    models,
    groups: await lib.getSetting('explore.groups'),
    net: await lib.getSetting('crawl.net'),
  };
}

async function exportToBlob(lib: Library, opts = {}): Promise<Blob> {
  const sink = new BlobSink('application/zip', 4096); // small flushes: many Blob parts
  await exportBundle(lib, sink, { posterBatch: 7, movieBatch: 9, ...opts });
  return sink.blob;
}

describe('streamed project bundle', () => {
  it('round-trips every record and poster byte-identical into a fresh library, never API keys', async () => {
    const { lib: a, bytes } = await populated('bundle-a');
    const progress: number[] = [];
    const zip = await exportToBlob(a, {
      onProgress: (p: { done: number }) => progress.push(p.done),
    });
    expect(progress.at(-1)).toBe(N_MOVIES + N_POSTERS);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const text = Object.values(files)
      .map((f) => strFromU8(f, true))
      .join('\n');
    expect(text).not.toContain('SECRET-TMDB');
    expect(text).not.toContain('SECRET-OMDB');
    expect(Object.keys(files).filter((f) => f.startsWith('posters/'))).toHaveLength(N_POSTERS);

    const b = await fresh('bundle-b');
    const result = await importBundle(b, zip, { posterBatch: 6, movieBatch: 11 });
    expect(result).toEqual({ movies: 40, posters: 25, runs: 1, models: 2, settings: 1 });
    expect(await snapshot(b)).toEqual(await snapshot(a));
    for (let i = 0; i < N_POSTERS; i++) {
      const got = (await b.getPoster(`tmdb:${i + 1}`))!;
      expect(new Uint8Array(await got.blob.arrayBuffer())).toEqual(bytes[i]);
    }
    expect(await b.getSetting('api-keys')).toBeUndefined();
    expect(await b.pendingImportEntries()).toBe(0);
  });

  it('writes through a file handle (OPFS standing in for showSaveFilePicker)', async () => {
    const { lib: a } = await populated('bundle-fs');
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle(`export-${Date.now()}.zip`, { create: true });
    await exportBundle(a, await fileHandleSink(handle), { posterBatch: 10 });
    const file = await handle.getFile();
    const b = await fresh('bundle-fs-b');
    await importBundle(b, file);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    await dir.removeEntry(handle.name);
  });

  it('a cancel in the middle of an import leaves the library exactly as it was', async () => {
    const { lib: a } = await populated('bundle-cancel-src');
    const zip = await exportToBlob(a);
    // The target already holds overlapping movies (other fields), a poster and a thumbnail of
    // a key the bundle also has, plus records the bundle lacks.
    const b = await fresh('bundle-cancel');
    await b.putMovies([
      makeMovie('tmdb:2', { tmdbId: 2, title: 'Mine', runtime: 99 }),
      makeMovie('tmdb:900', { tmdbId: 900 }),
    ]);
    const own = fakeJpeg(77, 1500);
    await b.putPosters([
      {
        movieKey: 'tmdb:2',
        blob: new Blob([own], { type: 'image/jpeg' }),
        width: 10,
        height: 15,
        type: 'image/jpeg',
        sizeBytes: own.length,
        source: 'mine.jpg',
        addedAt: 1,
      },
    ]);
    await b.putThumbnails([
      {
        movieKey: 'tmdb:2',
        blob: new Blob([new Uint8Array([9, 9])]),
        width: 46,
        height: 69,
        posterBytes: 1500,
      },
    ]);
    await b.putSetting('explore.groups', { k: 5 });
    const before = await snapshot(b);

    const controller = new AbortController();
    // Abort once all movies and three batches of posters are written (the UI's Cancel does the same).
    let posterBatches = 0;
    const target = {
      importBatch: async (
        store: Parameters<Library['importBatch']>[0],
        records: readonly object[],
      ) => {
        const r = await b.importBatch(store, records);
        if (store === 'posters' && ++posterBatches === 3)
          controller.abort(new DOMException('Cancelled', 'AbortError'));
        return r;
      },
      rollbackImport: () => b.rollbackImport(),
      commitImport: () => b.commitImport(),
    };
    const err = await importBundle(target, zip, {
      signal: controller.signal,
      posterBatch: 5,
      movieBatch: 10,
    }).catch((e: unknown) => e);
    expect(posterBatches).toBe(3);
    expect((err as Error).name).toBe('AbortError');
    expect(await snapshot(b)).toEqual(before);
    expect(await b.pendingImportEntries()).toBe(0);
    // And the same bundle then imports whole.
    await importBundle(b, zip);
    expect((await b.getMovie('tmdb:2'))?.runtime).toBe(99); // merged, as imports always merge
    expect(await b.countPosters()).toBe(N_POSTERS);
  });

  it('a damaged poster in the middle rolls back what the import had written', async () => {
    const { lib: a } = await populated('bundle-bad-src');
    const buf = new Uint8Array(await (await exportToBlob(a)).arrayBuffer());
    const dir = await readZipDirectory(new Blob([buf]));
    const victim = dir.get('posters/20.jpg')!;
    buf[victim.localOffset + 30 + 'posters/20.jpg'.length + 100]! ^= 0xff;
    const b = await fresh('bundle-bad');
    await b.putMovies([makeMovie('tmdb:1', { title: 'Kept' })]);
    const before = await snapshot(b);
    await expect(importBundle(b, new Blob([buf]), { posterBatch: 4 })).rejects.toThrow(
      /posters\/20\.jpg fails its checksum/,
    );
    expect(await snapshot(b)).toEqual(before);
  });

  it('the undo journal outlives a dead tab: reopening and rolling back restores the library', async () => {
    const name = uniqueDbName('bundle-dead-tab');
    names.push(name);
    const first = await openLibrary({ name });
    await first.putMovies([makeMovie('tmdb:1', { title: 'Before' })]);
    await first.importBatch('movies', [
      makeMovie('tmdb:1', { title: 'Imported' }),
      makeMovie('tmdb:2', { title: 'New' }),
    ]);
    await first.importBatch('settings', [{ key: 'explore.groups', value: { k: 9 } }]);
    first.close(); // the tab dies before commit or rollback
    const again = await openLibrary({ name });
    opened.push(again);
    expect(await again.pendingImportEntries()).toBe(3);
    expect(await again.rollbackImport()).toBe(3);
    expect((await again.allMovies()).map((m) => [m.key, m.title])).toEqual([['tmdb:1', 'Before']]);
    expect(await again.getSetting('explore.groups')).toBeUndefined();
    expect(await again.pendingImportEntries()).toBe(0);
  });

  it('imports a project written by the old in-memory exporter', async () => {
    const { lib: a } = await populated('bundle-v1-src');
    const old = await exportBundleV1(a);
    const b = await fresh('bundle-v1');
    const result = await importBundle(b, new Blob([old as Uint8Array<ArrayBuffer>]), {
      posterBatch: 4,
    });
    expect(result).toEqual({ movies: 40, posters: 25, runs: 1, models: 2, settings: 1 });
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('writes projects the old importer still reads', async () => {
    const { lib: a } = await populated('bundle-new-old-src');
    const zip = await exportToBlob(a);
    const b = await fresh('bundle-new-old');
    await importBundleV1(b, new Uint8Array(await zip.arrayBuffer()));
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('refuses a file that is not a bundle, with a reason, writing nothing', async () => {
    const b = await fresh('bundle-c');
    await expect(importBundle(b, new Blob([new Uint8Array([1, 2, 3])]))).rejects.toThrow(
      /Not a zip file/,
    );
    await expect(
      importBundle(b, new Blob([zipSync({ 'readme.txt': strToU8('hi') })])),
    ).rejects.toThrow(/manifest.json is missing/);
    expect(await b.countMovies()).toBe(0);
  });
});
