/**
 * The undo journal of a project import. Every batch the import writes goes through
 * journaledPut: in the same transaction as the write, each key's previous record (or null) is
 * appended to the importJournal store. Cancelling (or failing, or a tab that died mid-import)
 * ends in rollbackImport, which restores those records newest first, so the library is exactly
 * as before; a finished import ends in commitImport, which just clears the journal.
 */
import { unwrap } from 'idb';
import type { Movie } from '../data/types.ts';
import { mergeMovie } from './merge.ts';
import type { ImportJournalEntry, JournaledStore } from './records.ts';
import type { MarqueeDatabase } from './schema.ts';
import { inWriteTransaction } from './transaction.ts';

/** The key path of each journaled store. */
const KEY_OF: Record<JournaledStore, string> = {
  movies: 'key',
  posters: 'movieKey',
  thumbnails: 'movieKey',
  runs: 'id',
  models: 'id',
  settings: 'key',
};

/** Counts of one journaled write: keys that were new, and keys whose record changed. */
export interface JournaledPutResult {
  added: number;
  updated: number;
}

/**
 * Writes records into one store with their undo entries, in one transaction. Movies are merged
 * into the stored ones (the rules of putMovies); other records replace. A poster written here
 * also deletes that movie's thumbnail (journaled too), since it may no longer match.
 */
export async function journaledPut(
  db: MarqueeDatabase,
  store: JournaledStore,
  records: readonly object[],
): Promise<JournaledPutResult> {
  const result = { added: 0, updated: 0 };
  if (records.length === 0) return result;
  const stores: Array<JournaledStore | 'importJournal'> = [store, 'importJournal'];
  if (store === 'posters') stores.push('thumbnails');
  const keyPath = KEY_OF[store];
  await inWriteTransaction(db, stores, async (tx) => {
    const target = tx.objectStore(store);
    const keys = records.map((r) => (r as Record<string, unknown>)[keyPath] as string);
    const prev: unknown[] = await Promise.all(keys.map((k) => target.get(k)));
    const thumbs =
      store === 'posters'
        ? await Promise.all(keys.map((k) => tx.objectStore('thumbnails').get(k)))
        : [];
    const journal = unwrap(tx.objectStore('importJournal'));
    const raw = unwrap(target);
    records.forEach((record, i) => {
      const key = keys[i] as string;
      const before = prev[i];
      journal.add({ store, key, prev: before ?? null } satisfies ImportJournalEntry);
      const next =
        store === 'movies'
          ? mergeMovie(before as Movie | undefined, record as Movie).movie
          : record;
      raw.put(next);
      prev[i] = next; // a key given twice in one batch: the second merges onto the first
      if (before === undefined) result.added++;
      else result.updated++;
      if (thumbs[i] !== undefined) {
        journal.add({ store: 'thumbnails', key, prev: thumbs[i] } satisfies ImportJournalEntry);
        unwrap(tx.objectStore('thumbnails')).delete(key);
        thumbs[i] = undefined;
      }
    });
  });
  return result;
}

/** Undo entries per rollback transaction: small enough to keep each transaction short. */
const ROLLBACK_BATCH = 500;

/** Restores every journaled key to its record before the import, newest entry first; returns how many. */
export async function rollbackImport(db: MarqueeDatabase): Promise<number> {
  let restored = 0;
  const stores = [...new Set(Object.keys(KEY_OF))] as JournaledStore[];
  for (;;) {
    const n = await inWriteTransaction(db, [...stores, 'importJournal'], async (tx) => {
      let cursor = await tx.objectStore('importJournal').openCursor(null, 'prev');
      let count = 0;
      while (cursor && count < ROLLBACK_BATCH) {
        const { store, key, prev } = cursor.value;
        const target = unwrap(tx.objectStore(store));
        if (prev === null) target.delete(key);
        else target.put(prev as never);
        unwrap(cursor).delete();
        count++;
        cursor = await cursor.continue();
      }
      return count;
    });
    restored += n;
    if (n < ROLLBACK_BATCH) return restored;
  }
}

/** Keeps what the import wrote: forgets its undo entries. */
export async function commitImport(db: MarqueeDatabase): Promise<void> {
  await inWriteTransaction(db, ['importJournal'], (tx) => {
    unwrap(tx.objectStore('importJournal')).clear();
  });
}

/** Undo entries waiting (non-zero only while an import runs, or after a tab died in one). */
export async function pendingImportEntries(db: MarqueeDatabase): Promise<number> {
  return db.count('importJournal');
}
