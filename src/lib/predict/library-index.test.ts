import { describe, expect, it } from 'vitest';
import { PAPER7 } from '../features/groups.ts';
import type { FeatureRecord } from '../vision/idb-cache.ts';
import { LibraryFeatureIndex, vectorKey, type PosterLibrary } from './library-index.ts';

/** An in-memory library: each poster's bytes are its 2-d feature vector (x, y) as two bytes. */
function fakeLibrary(posters: Record<string, [number, number]>) {
  const store = new Map<string, FeatureRecord>();
  const rows = new Map(
    Object.entries(posters).map(([k, v]) => [
      k,
      { blob: new Blob([new Uint8Array(v)]), sizeBytes: 2, addedAt: 1 },
    ]),
  );
  const lib: PosterLibrary = {
    posterKeys: async () => [...rows.keys()],
    getPoster: async (k) => rows.get(k),
    getMovie: async (k) =>
      k === 'tmdb:1'
        ? { title: 'Comedy war', year: 1999, genreIds: [35, 10752] }
        : { title: `Movie ${k}`, genreIds: [18] },
    getFeatures: async (k) => store.get(k),
    putFeatures: async (r) => void store.set(r.key, r),
  };
  return { lib, store, rows };
}

/** Features straight from the bytes; counts how many posters it was asked for. */
function counter() {
  const c = {
    calls: 0,
    of: async (ps: { key: string; bytes: Uint8Array }[]) => {
      c.calls += ps.length;
      return ps.map((p) => (p.bytes.length === 2 ? Float32Array.from(p.bytes) : null));
    },
  };
  return c;
}

describe('LibraryFeatureIndex', () => {
  it('computes each poster once, stores it, and a new index (next visit) reads it back', async () => {
    const { lib, store } = fakeLibrary({ 'tmdb:1': [10, 0], 'tmdb:2': [0, 10], 'tmdb:3': [7, 7] });
    const c = counter();
    const first = new LibraryFeatureIndex('s', 2, c.of);
    const progress: [number, number][] = [];
    const r = await first.sync(lib, undefined, (d, n) => progress.push([d, n]));
    expect(r).toEqual({ posters: 3, indexed: 3, computed: 3, unreadable: 0, cancelled: false });
    expect(progress.at(-1)).toEqual([3, 3]);
    expect(store.has(vectorKey('s', 'tmdb:2'))).toBe(true);
    expect(store.get(vectorKey('s', 'tmdb:2'))!.movieKeys).toEqual(['tmdb:2']);
    expect((await first.sync(lib)).computed).toBe(0);
    const again = new LibraryFeatureIndex('s', 2, c.of);
    const read: [number, number][] = [];
    expect((await again.sync(lib, undefined, (d, n) => read.push([d, n]))).computed).toBe(0);
    expect(read.at(-1)).toEqual([3, 3]); // stored vectors count as done
    expect(c.calls).toBe(3);
    // Another feature space never reuses these vectors.
    expect((await new LibraryFeatureIndex('t', 2, c.of).sync(lib)).computed).toBe(3);
  });

  it('recomputes a replaced poster and forgets a removed one', async () => {
    const { lib, rows } = fakeLibrary({ 'tmdb:1': [10, 0], 'tmdb:2': [0, 10] });
    const c = counter();
    await new LibraryFeatureIndex('s', 2, c.of).sync(lib);
    rows.set('tmdb:2', { blob: new Blob([new Uint8Array([9, 1])]), sizeBytes: 2, addedAt: 2 });
    rows.delete('tmdb:1');
    const idx = new LibraryFeatureIndex('s', 2, c.of);
    expect(await idx.sync(lib)).toMatchObject({ posters: 1, indexed: 1, computed: 1 });
    const near = await idx.neighbours(lib, [1, 0], 6, PAPER7);
    expect(near.map((n) => n.movieKey)).toEqual(['tmdb:2']);
  });

  it('finds the nearest posters by cosine distance with titles and true groups', async () => {
    const { lib } = fakeLibrary({ 'tmdb:1': [10, 0], 'tmdb:2': [0, 10], 'tmdb:3': [7, 6] });
    const idx = new LibraryFeatureIndex('s', 2, counter().of);
    await idx.sync(lib);
    const near = await idx.neighbours(lib, [1, 0.1], 2, PAPER7);
    expect(near.map((n) => n.movieKey)).toEqual(['tmdb:1', 'tmdb:3']);
    expect(near[0]).toMatchObject({
      title: 'Comedy war',
      year: 1999,
      groups: ['War & History', 'Comedy'],
    });
    expect(near[0]!.poster).toBeInstanceOf(Blob);
    expect(near[1]!.groups).toEqual(['Crime, Mystery, Thriller, Drama & Horror']);
  });

  it('stops between batches when cancelled and keeps what it computed', async () => {
    const posters = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`tmdb:${i}`, [i, 1] as [number, number]]),
    );
    const { lib } = fakeLibrary(posters);
    const ctl = new AbortController();
    const idx = new LibraryFeatureIndex('s', 2, counter().of);
    const r = await idx.sync(lib, ctl.signal, (d) => d >= 8 && ctl.abort());
    expect(r.cancelled).toBe(true);
    expect(r.indexed).toBe(8);
    const rest = await idx.sync(lib);
    expect(rest).toMatchObject({ indexed: 20, computed: 12, cancelled: false });
  });

  it('leaves out posters that cannot be read, and says how many', async () => {
    const { lib, rows } = fakeLibrary({ 'tmdb:1': [10, 0] });
    rows.set('tmdb:9', { blob: new Blob([new Uint8Array(5)]), sizeBytes: 5, addedAt: 1 });
    const r = await new LibraryFeatureIndex('s', 2, counter().of).sync(lib);
    expect(r).toMatchObject({ posters: 2, indexed: 1, unreadable: 1 });
  });

  it('has no neighbours in an empty library', async () => {
    const { lib } = fakeLibrary({});
    const idx = new LibraryFeatureIndex('s', 2, counter().of);
    expect(await idx.sync(lib)).toMatchObject({ posters: 0, indexed: 0 });
    expect(await idx.neighbours(lib, [1, 0], 6, PAPER7)).toEqual([]);
  });
});
