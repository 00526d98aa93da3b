import { afterEach, describe, expect, it } from 'vitest';
import { openLibrary } from './index.ts';
import {
  blobBytes,
  deleteDatabase,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

let worker: Worker | undefined;
const name = uniqueDbName('worker');
afterEach(async () => {
  worker?.terminate();
  await deleteDatabase(name);
});

describe('library in a worker', () => {
  it('writes from a module worker what the window then reads', async () => {
    worker = new Worker(new URL('./library-probe.worker.ts', import.meta.url), { type: 'module' });
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      worker!.onmessage = (e: MessageEvent<Record<string, unknown>>) => resolve(e.data);
      worker!.onerror = (e) => reject(new Error(e.message));
      worker!.postMessage({ name });
    });
    expect(reply).toMatchObject({
      ok: true,
      movies: { added: 2, updated: 0, unchanged: 0 },
      posters: { added: 1, replaced: 0, unchanged: 0 },
      persisted: false, // persist() does not exist in workers: soft-fails to false
    });
    expect((reply.estimate as { quotaBytes: number | null }).quotaBytes).toBeGreaterThan(0);
    const lib = await openLibrary({ name });
    expect(await lib.findMovieKey({ tmdbId: 1 })).toBe('tmdb:1');
    expect(await blobBytes((await lib.getPoster('tmdb:1'))!.blob)).toEqual(
      Array.from(randomBytes(1234, 5)),
    );
    lib.close();
  });
});
