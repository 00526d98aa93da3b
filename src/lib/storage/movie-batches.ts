import type { Movie } from '../data/types.ts';
import type { MarqueeDatabase } from './schema.ts';

/** Movies per read: ~1–2 MB of records, small enough that one batch never holds up the reader. */
export const MOVIE_BATCH_SIZE = 2_000;

/**
 * The movies store in key order, `batchSize` records at a time (one short read transaction per
 * batch, so a reader never holds more than one batch of raw records and never blocks writers for
 * long). A movie written or deleted between batches may or may not be seen, as with any live read.
 */
export async function* movieBatches(
  db: MarqueeDatabase,
  batchSize: number = MOVIE_BATCH_SIZE,
): AsyncGenerator<Movie[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  let after: string | undefined;
  for (;;) {
    const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
    const batch = await db.getAll('movies', range, batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.key;
  }
}

/** A field of a movie record a reader may ask for. */
export type MovieField = keyof Movie;

/**
 * A copy of a movie with only these fields (always its key), so a reader keeps what its maths
 * needs and the rest of each raw batch can be collected.
 */
export function projectMovie(movie: Movie, fields: readonly MovieField[]): Movie {
  const out: Record<string, unknown> = { key: movie.key };
  for (const f of fields) if (movie[f] !== undefined) out[f] = movie[f];
  return out as unknown as Movie;
}
