import { afterAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { openLibrary, type Library } from '../storage/index.ts';
import { deleteDatabase, makeMovie, mulberry32, uniqueDbName } from '../storage/test-helpers.ts';
import type { Poster } from '../data/types.ts';
import { exportBundle, importBundle } from './bundle.ts';

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
function fakeJpeg(seed: number, size: number): Uint8Array {
  const rnd = mulberry32(seed);
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(rnd() * 256);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  b.set([0xff, 0xd9], size - 2);
  return b;
}

describe('project bundle', () => {
  it('round-trips movies, posters (byte-identical), runs, models and settings, but never API keys', async () => {
    const a = await fresh('bundle-a');
    const movies = Array.from({ length: 40 }, (_, i) =>
      makeMovie(`tmdb:${i + 1}`, {
        tmdbId: i + 1,
        keywords: ['a', 'b'],
        popularity: i / 3,
        genreIds: [18, 28],
      }),
    );
    await a.putMovies(movies);
    const bytes = movies.slice(0, 25).map((_, i) => fakeJpeg(i, 2000 + i * 37));
    const posters: Poster[] = bytes.map((b, i) => ({
      movieKey: `tmdb:${i + 1}`,
      blob: new Blob([b as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
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
    const weights = new Float32Array([1.5, -2, 3.25]).buffer;
    await a.putModel({
      id: 'm-1',
      createdAt: 3,
      name: 'cnn',
      card: { acc: 0.7 },
      artifacts: {
        modelTopology: { layers: 2 },
        weightSpecs: [{ name: 'w', shape: [3] }],
        weightData: weights,
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

    const zip = await exportBundle(a);
    const text = Object.values(unzipSync(zip))
      .map((f) => strFromU8(f, true))
      .join('\n');
    expect(text).not.toContain('SECRET-TMDB');
    expect(text).not.toContain('SECRET-OMDB');

    const b = await fresh('bundle-b');
    const result = await importBundle(b, zip);
    expect(result).toEqual({ movies: 40, posters: 25, runs: 1, models: 2, settings: 1 });
    const sortKey = <T extends { key: string }>(xs: T[]) =>
      [...xs].sort((x, y) => x.key.localeCompare(y.key));
    expect(sortKey(await b.allMovies())).toEqual(sortKey(await a.allMovies()));
    for (let i = 0; i < posters.length; i++) {
      const got = (await b.getPoster(`tmdb:${i + 1}`))!;
      expect(new Uint8Array(await got.blob.arrayBuffer())).toEqual(bytes[i]);
      const { blob: _x, ...meta } = got;
      const { blob: _y, ...want } = posters[i]!;
      expect(meta).toEqual(want);
    }
    expect(await b.listRuns()).toEqual(await a.listRuns());
    const models = await b.listModels();
    expect(models.map((m) => m.id)).toEqual(['m-1', 'm-2']);
    expect(new Float32Array(models[0]!.artifacts!.weightData)).toEqual(new Float32Array(weights));
    expect({ ...models[0]!, artifacts: { ...models[0]!.artifacts!, weightData: null } }).toEqual({
      ...(await a.getModel('m-1'))!,
      artifacts: { ...(await a.getModel('m-1'))!.artifacts!, weightData: null },
    });
    expect(await b.getSetting('explore.groups')).toEqual({ k: 3 });
    expect(await b.getSetting('api-keys')).toBeUndefined();
  });

  it('refuses a zip that is not a bundle, with a reason', async () => {
    const b = await fresh('bundle-c');
    await expect(importBundle(b, new Uint8Array([1, 2, 3]))).rejects.toThrow(/Not a zip file/);
    const { zipSync, strToU8 } = await import('fflate');
    await expect(importBundle(b, zipSync({ 'readme.txt': strToU8('hi') }))).rejects.toThrow(
      /manifest.json is missing/,
    );
  });
});
