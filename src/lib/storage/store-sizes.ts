import type { StoreNames } from 'idb';
import type { MarqueeDatabase, MarqueeSchema } from './schema.ts';

/** Records and approximate bytes of one object store. */
export interface StoreSize {
  store: string;
  records: number;
  /** Sum of approxBytes over the records: content, not IndexedDB's own overhead or compression. */
  bytes: number;
}

/** Records read per transaction while measuring (bounded memory on any library size). */
const SIZE_BATCH = 1_000;

/**
 * Approximate stored size of a value: string length (IndexedDB keeps Latin-1 strings one byte per
 * character), 8 per number, blob and buffer byte lengths, plus property names.
 */
export function approxBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      return 0;
  }
  if (value instanceof Blob) return value.size;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((s: number, v: unknown) => s + approxBytes(v), 0);
  let sum = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    sum += k.length + approxBytes(v);
  return sum;
}

/** Records and approximate bytes per store, read in batches (one read transaction each). */
export async function storeSizes(db: MarqueeDatabase): Promise<StoreSize[]> {
  const out: StoreSize[] = [];
  for (const store of [...db.objectStoreNames] as StoreNames<MarqueeSchema>[]) {
    let records = 0;
    let bytes = 0;
    let after: IDBValidKey | undefined;
    for (;;) {
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
      const tx = db.transaction(store, 'readonly');
      const [keys, values] = await Promise.all([
        tx.store.getAllKeys(range, SIZE_BATCH),
        tx.store.getAll(range, SIZE_BATCH),
      ]);
      for (const v of values) bytes += approxBytes(v);
      records += values.length;
      if (keys.length < SIZE_BATCH) break;
      after = keys[keys.length - 1];
    }
    out.push({ store, records, bytes });
  }
  return out;
}
