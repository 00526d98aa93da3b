/**
 * The storage-full path. Real quota exhaustion cannot be reached here: headless Chromium grants
 * this origin a 10 GB quota (navigator.storage.estimate()), and shrinking it needs the DevTools
 * protocol. So these tests simulate the two ways a browser reports it, and check what matters:
 * the error becomes StorageFullError and the whole batch is rolled back.
 *  1. synchronously from put() (what a DataCloneError looks like), by patching
 *     IDBObjectStore.prototype.put to throw DOMException('…', 'QuotaExceededError') mid-batch;
 *  2. asynchronously, as Chromium does on a real quota failure: the transaction aborts after the
 *     puts were queued and transaction.error is a QuotaExceededError. We abort the real
 *     transaction mid-batch and patch the IDBTransaction.error getter to report that error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StorageFullError, openLibrary, type Library } from './index.ts';
import {
  blobBytes,
  deleteDatabase,
  makeMovie,
  makePoster,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

const restorers: (() => void)[] = [];
const opened: Library[] = [];
afterEach(async () => {
  for (const restore of restorers.splice(0)) restore();
  for (const lib of opened.splice(0)) {
    lib.close();
    await deleteDatabase(lib.name);
  }
});

async function seeded(): Promise<{ lib: Library; posterA: Uint8Array<ArrayBuffer> }> {
  const lib = await openLibrary({ name: uniqueDbName('quota') });
  opened.push(lib);
  const posterA = randomBytes(3000, 1);
  await lib.putMovies([makeMovie('a', { runtime: 90 }), makeMovie('b', { runtime: 100 })]);
  await lib.putPosters([makePoster('a', posterA)]);
  return { lib, posterA };
}

/** Makes the nth put (1-based) into `store` call `fail` instead of, or after, the real put. */
function failNthPut(
  store: string,
  n: number,
  fail: (self: IDBObjectStore, real: () => IDBRequest) => IDBRequest,
): void {
  const original = IDBObjectStore.prototype.put;
  let calls = 0;
  IDBObjectStore.prototype.put = function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    if (this.name === store && ++calls === n) return fail(this, () => original.apply(this, args));
    return original.apply(this, args);
  };
  restorers.push(() => (IDBObjectStore.prototype.put = original));
}

function throwQuota(): never {
  throw new DOMException('simulated: quota exceeded', 'QuotaExceededError');
}

/** Aborts the transaction after queuing the real put and makes it report QuotaExceededError. */
function abortWithQuota(self: IDBObjectStore, real: () => IDBRequest): IDBRequest {
  const descriptor = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, 'error')!;
  const quota = new DOMException('simulated: quota exceeded', 'QuotaExceededError');
  Object.defineProperty(IDBTransaction.prototype, 'error', {
    configurable: true,
    get: () => quota,
  });
  restorers.push(() => Object.defineProperty(IDBTransaction.prototype, 'error', descriptor));
  const request = real();
  const tx = self.transaction;
  queueMicrotask(() => tx.abort());
  return request;
}

async function expectStoredUnchanged(
  lib: Library,
  posterA: Uint8Array<ArrayBuffer>,
): Promise<void> {
  expect((await lib.allMovies()).map((m) => [m.key, m.runtime])).toEqual([
    ['a', 90],
    ['b', 100],
  ]);
  expect(await lib.posterKeys()).toEqual(['a']);
  expect(await blobBytes((await lib.getPoster('a'))!.blob)).toEqual(Array.from(posterA));
}

describe('storage full', () => {
  it('rolls back a poster batch whose third put throws QuotaExceededError', async () => {
    const { lib, posterA } = await seeded();
    failNthPut('posters', 3, throwQuota);
    const batch = [
      makePoster('a', randomBytes(3000, 99)), // same size, other bytes: a replacement
      makePoster('c', randomBytes(100, 2)),
      makePoster('d', randomBytes(100, 3)),
      makePoster('e', randomBytes(100, 4)),
    ];
    const err = await lib.putPosters(batch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as Error).message).toMatch(
      /^Your browser's storage for this site is full: [\d.]+ MB used of [\d.]+ MB\. Nothing already stored was changed\. Free space by /,
    );
    expect((err as Error).cause).toMatchObject({ name: 'QuotaExceededError' });
    await expectStoredUnchanged(lib, posterA);
  });

  it('rolls back a movie batch when the transaction aborts with QuotaExceededError', async () => {
    const { lib, posterA } = await seeded();
    failNthPut('movies', 2, abortWithQuota);
    const err = await lib
      .putMovies([makeMovie('b', { runtime: 101 }), makeMovie('c'), makeMovie('d')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as StorageFullError).quotaBytes).toBeGreaterThan(0);
    await expectStoredUnchanged(lib, posterA);
  });

  it('rolls back a poster batch aborted asynchronously with QuotaExceededError', async () => {
    const { lib, posterA } = await seeded();
    failNthPut('posters', 2, abortWithQuota);
    const batch = [1, 2, 3].map((i) => makePoster(`p${i}`, randomBytes(5000, i)));
    await expect(lib.putPosters(batch)).rejects.toBeInstanceOf(StorageFullError);
    await expectStoredUnchanged(lib, posterA);
  });

  it('passes other write errors through unchanged, still rolling back (a function cannot be cloned)', async () => {
    const { lib, posterA } = await seeded();
    const bad = { ...makeMovie('z'), director: (() => 'x') as unknown as string };
    const err = await lib.putMovies([makeMovie('b', { runtime: 1 }), bad]).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StorageFullError);
    expect((err as Error).name).toBe('DataCloneError');
    await expectStoredUnchanged(lib, posterA);
    // The library is still usable afterwards.
    expect(await lib.putMovies([makeMovie('c')])).toEqual({ added: 1, updated: 0, unchanged: 0 });
  });
});
