import { afterEach, describe, expect, it } from 'vitest';
import {
  LibraryClosedError,
  SCHEMA_VERSION,
  openLibrary,
  type FeatureCache,
  type Library,
  type ModelRecord,
  type RunRecord,
} from './index.ts';
import {
  blobBytes,
  deleteDatabase,
  makeMovie,
  makePoster,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

const opened: Library[] = [];

async function freshLibrary(label: string): Promise<Library> {
  const lib = await openLibrary({ name: uniqueDbName(label) });
  opened.push(lib);
  return lib;
}

afterEach(async () => {
  for (const lib of opened.splice(0)) {
    lib.close();
    await deleteDatabase(lib.name);
  }
});

describe('library movies', () => {
  it('stores, reads, counts and lists movies', async () => {
    const lib = await freshLibrary('crud');
    expect(SCHEMA_VERSION).toBe(4);
    const r = await lib.putMovies([
      makeMovie('tmdb:1', { tmdbId: 1 }),
      makeMovie('imdb:tt0000002', { imdbId: 'tt0000002' }),
    ]);
    expect(r).toEqual({ added: 2, updated: 0, unchanged: 0 });
    expect(await lib.countMovies()).toBe(2);
    expect((await lib.getMovie('tmdb:1'))?.title).toBe('Title tmdb:1');
    expect(await lib.getMovie('tmdb:404')).toBeUndefined();
    expect((await lib.allMovies()).map((m) => m.key).sort()).toEqual(['imdb:tt0000002', 'tmdb:1']);
  });

  it('merges field-wise: defined new fields win, undefined ones keep the stored value', async () => {
    const lib = await freshLibrary('merge');
    await lib.putMovies([
      makeMovie('tmdb:7', {
        tmdbId: 7,
        overview: 'old',
        runtime: 90,
        source: 'a.csv',
      }),
    ]);
    const r = await lib.putMovies([
      makeMovie('tmdb:7', {
        imdbId: 'tt0000007',
        overview: 'new',
        runtime: undefined,
        source: 'b.csv',
        updatedAt: 2,
      }),
    ]);
    expect(r).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const m = await lib.getMovie('tmdb:7');
    expect(m).toMatchObject({
      tmdbId: 7,
      imdbId: 'tt0000007',
      overview: 'new',
      runtime: 90,
      source: 'b.csv',
      updatedAt: 2,
    });
    expect(m && 'runtime' in m).toBe(true);
  });

  it('is idempotent: re-putting identical data (or only new source/updatedAt) leaves everything unchanged', async () => {
    const lib = await freshLibrary('idem');
    const batch = [1, 2, 3].map((i) =>
      makeMovie(`tmdb:${i}`, {
        tmdbId: i,
        keywords: ['a', 'b'],
        popularity: Number.NaN,
      }),
    );
    expect(await lib.putMovies(batch)).toEqual({
      added: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await lib.putMovies(batch)).toEqual({
      added: 0,
      updated: 0,
      unchanged: 3,
    });
    const relabelled = batch.map((m) => ({
      ...m,
      source: 'other.csv',
      updatedAt: 99,
    }));
    expect(await lib.putMovies(relabelled)).toEqual({
      added: 0,
      updated: 0,
      unchanged: 3,
    });
    // Unchanged records are not rewritten, so they keep their original bookkeeping.
    expect((await lib.getMovie('tmdb:1'))?.source).toBe('test.csv');
  });

  it('counts a key repeated in one batch once per record, merging in order', async () => {
    const lib = await freshLibrary('dup');
    const r = await lib.putMovies([
      makeMovie('tmdb:5', { overview: 'first' }),
      makeMovie('tmdb:5', { overview: 'first' }),
      makeMovie('tmdb:5', { director: 'D' }),
    ]);
    expect(r).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(await lib.getMovie('tmdb:5')).toMatchObject({
      overview: 'first',
      director: 'D',
    });
  });

  it('merges a large batch over a smaller store (whole-store read path)', async () => {
    const lib = await freshLibrary('big');
    await lib.putMovies([makeMovie('tmdb:0', { runtime: 100 })]);
    const batch = Array.from({ length: 50 }, (_, i) =>
      makeMovie(`tmdb:${i}`, { year: 2000 + (i % 10) }),
    );
    expect(await lib.putMovies(batch)).toEqual({
      added: 49,
      updated: 1,
      unchanged: 0,
    });
    expect(await lib.getMovie('tmdb:0')).toMatchObject({
      runtime: 100,
      year: 2000,
    });
  });

  it('merges a small batch over a larger store (per-key read path)', async () => {
    const lib = await freshLibrary('small');
    await lib.putMovies(
      Array.from({ length: 20 }, (_, i) => makeMovie(`tmdb:${i}`, { runtime: i })),
    );
    const r = await lib.putMovies([
      makeMovie('tmdb:3', { director: 'X' }),
      makeMovie('tmdb:4'),
      makeMovie('tmdb:99'),
    ]);
    expect(r).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(await lib.getMovie('tmdb:3')).toMatchObject({ runtime: 3, director: 'X' });
    expect(await lib.countMovies()).toBe(21);
  });

  it('finds a movie key by TMDb id, else by IMDb id', async () => {
    const lib = await freshLibrary('find');
    await lib.putMovies([
      makeMovie('tmdb:11', { tmdbId: 11, imdbId: 'tt0076759' }),
      makeMovie('imdb:tt0080684', { imdbId: 'tt0080684' }),
    ]);
    expect(await lib.findMovieKey({ tmdbId: 11 })).toBe('tmdb:11');
    expect(await lib.findMovieKey({ imdbId: 'tt0076759' })).toBe('tmdb:11');
    expect(await lib.findMovieKey({ tmdbId: 999, imdbId: 'tt0080684' })).toBe('imdb:tt0080684');
    expect(await lib.findMovieKey({ tmdbId: 999 })).toBeUndefined();
    expect(await lib.findMovieKey({})).toBeUndefined();
  });

  it('deletes movies together with their posters and feature caches, and nothing else', async () => {
    const lib = await freshLibrary('cascade');
    await lib.putMovies(['a', 'b', 'c'].map((k) => makeMovie(k)));
    await lib.putPosters(['a', 'b', 'c'].map((k, i) => makePoster(k, randomBytes(64, i))));
    const cache = (key: string, movieKeys?: string[]): FeatureCache => ({
      key,
      createdAt: 1,
      data: new Float32Array([1, 2]),
      shape: [2],
      meta: { model: 'm' },
      ...(movieKeys ? { movieKeys } : {}),
    });
    await lib.putFeatures(cache('emb:a', ['a']));
    await lib.putFeatures(cache('emb:c', ['c']));
    await lib.putFeatures(cache('matrix:ab', ['a', 'b']));
    await lib.putFeatures(cache('global'));
    await lib.deleteMovies(['a', 'b', 'missing']);
    expect((await lib.allMovies()).map((m) => m.key)).toEqual(['c']);
    expect(await lib.posterKeys()).toEqual(['c']);
    expect(await lib.getFeatures('emb:a')).toBeUndefined();
    expect(await lib.getFeatures('matrix:ab')).toBeUndefined();
    expect(await lib.getFeatures('emb:c')).toBeDefined();
    expect(await lib.getFeatures('global')).toBeDefined();
  });
});

describe('library posters', () => {
  it('adds, replaces and recognises unchanged posters by size and bytes', async () => {
    const lib = await freshLibrary('posters');
    const bytesA = randomBytes(1001, 1);
    expect(
      await lib.putPosters([makePoster('a', bytesA), makePoster('b', randomBytes(500, 2))]),
    ).toEqual({
      added: 2,
      replaced: 0,
      unchanged: 0,
    });
    // Same bytes in a new Blob (and a new source) is unchanged; same size with one byte flipped is replaced.
    const flipped = randomBytes(500, 2);
    flipped[499] = (flipped[499] ?? 0) ^ 1;
    const r = await lib.putPosters([
      makePoster('a', bytesA.slice(), { source: 'elsewhere.jpg' }),
      makePoster('b', flipped),
      makePoster('c', randomBytes(10, 3)),
    ]);
    expect(r).toEqual({ added: 1, replaced: 1, unchanged: 1 });
    const a = await lib.getPoster('a');
    expect(a?.source).toBe('a.jpg');
    expect(a?.blob).toBeInstanceOf(Blob);
    expect(await blobBytes(a!.blob)).toEqual(Array.from(bytesA));
    expect(await blobBytes((await lib.getPoster('b'))!.blob)).toEqual(Array.from(flipped));
    expect(await lib.countPosters()).toBe(3);
    expect((await lib.posterKeys()).sort()).toEqual(['a', 'b', 'c']);
    // A different size is replaced without reading bytes.
    expect(await lib.putPosters([makePoster('c', randomBytes(11, 3))])).toEqual({
      added: 0,
      replaced: 1,
      unchanged: 0,
    });
  });
});

describe('library runs, models, features and settings', () => {
  it('stores runs and lists them oldest first; deletes one', async () => {
    const lib = await freshLibrary('runs');
    const run = (id: string, createdAt: number): RunRecord => ({
      id,
      createdAt,
      kind: 'forest',
      spec: { trees: 10 },
      result: null,
      status: 'running',
    });
    await lib.putRun(run('r2', 200));
    await lib.putRun(run('r1', 100));
    await lib.putRun({
      ...run('r2', 200),
      status: 'done',
      result: { f1: 0.5 },
    });
    expect((await lib.listRuns()).map((r) => [r.id, r.status])).toEqual([
      ['r1', 'running'],
      ['r2', 'done'],
    ]);
    await lib.deleteRun('r1');
    expect((await lib.listRuns()).map((r) => r.id)).toEqual(['r2']);
  });

  it('stores models with their weight buffers', async () => {
    const lib = await freshLibrary('models');
    const weights = new Float32Array([0.5, -1.25, 3]);
    const model: ModelRecord = {
      id: 'm1',
      createdAt: 5,
      name: 'poster cnn',
      card: { accuracy: 0.6 },
      artifacts: {
        modelTopology: { layers: [] },
        weightSpecs: [{ name: 'w', shape: [3], dtype: 'float32' }],
        weightData: weights.buffer,
      },
    };
    await lib.putModel(model);
    await lib.putModel({
      id: 'm0',
      createdAt: 1,
      name: 'forest',
      card: { trees: [] },
      artifacts: null,
    });
    const got = await lib.getModel('m1');
    expect(Array.from(new Float32Array(got!.artifacts!.weightData))).toEqual([0.5, -1.25, 3]);
    expect((await lib.listModels()).map((m) => m.id)).toEqual(['m0', 'm1']);
    await lib.deleteModel('m1');
    expect(await lib.getModel('m1')).toBeUndefined();
  });

  it('keeps typed arrays in feature caches as typed arrays', async () => {
    const lib = await freshLibrary('features');
    await lib.putFeatures({
      key: 'f',
      createdAt: 1,
      data: new Float32Array([1.5, 2.5, 3.5, 4.5]),
      shape: [2, 2],
      meta: { v: 1 },
    });
    const f = await lib.getFeatures('f');
    expect(f?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f!.data as Float32Array)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(f?.shape).toEqual([2, 2]);
  });

  it('reads back settings of any cloneable shape; missing ones are undefined', async () => {
    const lib = await freshLibrary('settings');
    await lib.putSetting('theme', 'dark');
    await lib.putSetting('split', { train: 0.8, seed: 42 });
    expect(await lib.getSetting<string>('theme')).toBe('dark');
    expect(await lib.getSetting('split')).toEqual({ train: 0.8, seed: 42 });
    expect(await lib.getSetting('nope')).toBeUndefined();
  });

  it('clears every store', async () => {
    const lib = await freshLibrary('clear');
    await lib.putMovies([makeMovie('a')]);
    await lib.putPosters([makePoster('a', randomBytes(8, 1))]);
    await lib.putSetting('x', 1);
    await lib.putRun({
      id: 'r',
      createdAt: 1,
      kind: 'k',
      spec: null,
      result: null,
      status: 'done',
    });
    await lib.clearAll();
    expect(await lib.countMovies()).toBe(0);
    expect(await lib.countPosters()).toBe(0);
    expect(await lib.getSetting('x')).toBeUndefined();
    expect(await lib.listRuns()).toEqual([]);
  });

  it('reports a storage estimate and soft-fails persistence', async () => {
    const lib = await freshLibrary('estimate');
    const e = await lib.storageEstimate();
    expect(e.quotaBytes).toBeGreaterThan(0);
    expect(e.usageBytes).toBeGreaterThanOrEqual(0);
    expect(typeof (await lib.requestPersistence())).toBe('boolean');
  });

  it('refuses calls after close with LibraryClosedError', async () => {
    const lib = await freshLibrary('closed');
    lib.close();
    await expect(lib.countMovies()).rejects.toBeInstanceOf(LibraryClosedError);
    await expect(lib.putMovies([makeMovie('a')])).rejects.toBeInstanceOf(LibraryClosedError);
  });
});
