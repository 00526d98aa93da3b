import type { IDBPTransaction, StoreNames } from 'idb';
import type { MarqueeDatabase, MarqueeSchema } from './schema.ts';

type Names = StoreNames<MarqueeSchema>;
export type WriteTransaction<N extends Names[]> = IDBPTransaction<MarqueeSchema, N, 'readwrite'>;

/**
 * Runs `body` in one readwrite transaction and resolves once it has committed. If `body` throws
 * (e.g. a DataCloneError from a put, thrown synchronously) the transaction is aborted, so none of
 * its writes land; if the transaction aborts on its own (QuotaExceededError is reported this way),
 * the rejection carries the transaction's error. Writes inside `body` should use `unwrap(store)`
 * requests, which create no promises that could go unhandled when the transaction aborts.
 */
export async function inWriteTransaction<N extends Names[], T>(
  db: MarqueeDatabase,
  stores: N,
  body: (tx: WriteTransaction<N>) => Promise<T> | T,
): Promise<T> {
  const tx = db.transaction(stores, 'readwrite', { durability: 'default' });
  // tx.done rejects on abort; we report that error ourselves, so mark this rejection handled.
  tx.done.catch(() => undefined);
  let result: T;
  try {
    result = await body(tx);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing was committed by us beyond what the error says.
    }
    throw e;
  }
  await tx.done;
  return result;
}
