import { unwrap } from 'idb';
import type { ThumbnailRecord } from './records.ts';
import type { MarqueeDatabase } from './schema.ts';
import { inWriteTransaction } from './transaction.ts';

/** The stored thumbnails of these movies, in order (undefined where there is none). */
export async function getThumbnails(
  db: MarqueeDatabase,
  keys: readonly string[],
): Promise<(ThumbnailRecord | undefined)[]> {
  const store = db.transaction('thumbnails', 'readonly').store;
  return Promise.all(keys.map((k) => store.get(k)));
}

/** Writes thumbnails in one transaction (a thumbnail replaces the movie's previous one). */
export async function putThumbnails(
  db: MarqueeDatabase,
  records: readonly ThumbnailRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await inWriteTransaction(db, ['thumbnails'], (tx) => {
    const raw = unwrap(tx.objectStore('thumbnails'));
    for (const r of records) raw.put(r);
  });
}

/**
 * Poster keys that have no thumbnail, or one made from a poster of another size (replaced since),
 * in key order after `after`, at most `limit`: the lazy backfill walks the library with this.
 */
export async function keysWithoutThumbnail(
  db: MarqueeDatabase,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  const tx = db.transaction(['posters', 'thumbnails'], 'readonly');
  const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
  const out: string[] = [];
  let cursor = await tx.objectStore('posters').openCursor(range);
  while (cursor && out.length < limit) {
    const thumb = await tx.objectStore('thumbnails').get(cursor.key);
    if (!thumb || thumb.posterBytes !== cursor.value.sizeBytes) out.push(cursor.key);
    cursor = await cursor.continue();
  }
  return out;
}
