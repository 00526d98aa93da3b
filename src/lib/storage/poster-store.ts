import { unwrap } from 'idb';
import type { Poster } from '../data/types.ts';
import type { MarqueeDatabase } from './schema.ts';
import { inWriteTransaction } from './transaction.ts';

/** Counts returned by putPosters, one per incoming poster. */
export interface PutPostersResult {
  added: number;
  replaced: number;
  unchanged: number;
}

/** True when two blobs hold the same bytes; compares 4 bytes at a time where it can. */
export async function sameBytes(a: Blob, b: Blob): Promise<boolean> {
  if (a.size !== b.size) return false;
  let bufA: ArrayBuffer;
  let bufB: ArrayBuffer;
  try {
    [bufA, bufB] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  } catch {
    return false; // an unreadable stored blob (e.g. its backing file is gone) counts as different
  }
  const words = bufA.byteLength >>> 2;
  const wa = new Int32Array(bufA, 0, words);
  const wb = new Int32Array(bufB, 0, words);
  for (let i = 0; i < words; i++) if (wa[i] !== wb[i]) return false;
  const ta = new Uint8Array(bufA, words << 2);
  const tb = new Uint8Array(bufB, words << 2);
  for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) return false;
  return true;
}

async function storedPosters(db: MarqueeDatabase, keys: string[]): Promise<(Poster | undefined)[]> {
  const store = db.transaction('posters', 'readonly').store;
  if ((await store.count()) === 0) return keys.map(() => undefined);
  return Promise.all(keys.map((k) => store.get(k)));
}

/**
 * Stores posters, writing all new or changed ones in one readwrite transaction. A poster is
 * unchanged when the stored one has the same sizeBytes and identical bytes (bytes are read only
 * when the sizes match). Reading the stored versions and comparing bytes happens before the write
 * transaction, because reading a Blob is not an IndexedDB request and would let it auto-commit;
 * so a concurrent writer of the same key between the two may be overwritten (last write wins).
 * When one batch holds a key twice, the last poster wins and earlier ones count as replaced.
 */
export async function putPosters(
  db: MarqueeDatabase,
  posters: Poster[],
): Promise<PutPostersResult> {
  const counts: PutPostersResult = { added: 0, replaced: 0, unchanged: 0 };
  if (posters.length === 0) return counts;
  const latest = new Map<string, Poster>();
  for (const p of posters) latest.set(p.movieKey, p);
  counts.replaced += posters.length - latest.size;
  const keys = [...latest.keys()];
  const stored = await storedPosters(db, keys);
  const verdicts = await Promise.all(
    keys.map(async (key, i): Promise<keyof PutPostersResult> => {
      const old = stored[i];
      const next = latest.get(key) as Poster;
      if (old === undefined) return 'added';
      if (old.sizeBytes !== next.sizeBytes) return 'replaced';
      return (await sameBytes(old.blob, next.blob)) ? 'unchanged' : 'replaced';
    }),
  );
  const toWrite = keys.filter((_, i) => verdicts[i] !== 'unchanged');
  if (toWrite.length > 0) {
    await inWriteTransaction(db, ['posters'], (tx) => {
      const raw = unwrap(tx.objectStore('posters'));
      for (const key of toWrite) raw.put(latest.get(key) as Poster);
    });
  }
  for (const v of verdicts) counts[v]++;
  return counts;
}
