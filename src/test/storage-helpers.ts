/** Fixtures and clean-up shared by the storage browser tests. */
import type { Movie, Poster } from '../lib/data/types.ts';
import { mulberry32 } from '../lib/features/random.ts';

export { mulberry32 };

let counter = 0;

/** A database name no other test (or earlier run) uses. */
export function uniqueDbName(label: string): string {
  counter += 1;
  return `marquee-test-${label}-${Date.now()}-${counter}-${Math.floor(Math.random() * 1e9)}`;
}

/** Deletes a database; resolves even when the deletion is blocked for a moment by a closing connection. */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`could not delete ${name}`));
  });
}

/** A movie with the required fields filled and `extra` on top. */
export function makeMovie(key: string, extra: Partial<Movie> = {}): Movie {
  return {
    key,
    title: `Title ${key}`,
    genreIds: [18],
    keywords: [],
    source: 'test.csv',
    updatedAt: 1,
    ...extra,
  };
}

/** Seeded pseudo-random bytes (stand-in for JPEG data: incompressible, like real JPEGs). */
export function randomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const next = mulberry32(seed);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

/** A poster record around the given bytes. */
export function makePoster(
  movieKey: string,
  bytes: Uint8Array<ArrayBuffer>,
  extra: Partial<Poster> = {},
): Poster {
  const blob = new Blob([bytes], { type: 'image/jpeg' });
  return {
    movieKey,
    blob,
    width: 182,
    height: 268,
    type: 'image/jpeg',
    sizeBytes: blob.size,
    source: `${movieKey}.jpg`,
    addedAt: 1,
    ...extra,
  };
}

/** The bytes of a blob, for comparisons. */
export async function blobBytes(blob: Blob): Promise<number[]> {
  return Array.from(new Uint8Array(await blob.arrayBuffer()));
}
