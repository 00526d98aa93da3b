import { unwrap } from 'idb';
import type { Movie, Poster } from '../data/types.ts';
import { writeMovies } from './movie-store.ts';
import type { CrawlCounts, CrawlItemRecord, CrawlRecord } from './records.ts';
import type { MarqueeDatabase } from './schema.ts';
import { inWriteTransaction } from './transaction.ts';

/** The key of the one crawl record (a library has one crawl at a time). */
export const CRAWL_RECORD_KEY = 'current';

/** Replaces the crawl: clears every item and writes the new record, atomically. */
export async function resetCrawl(db: MarqueeDatabase, record: object): Promise<void> {
  await inWriteTransaction(db, ['crawl', 'crawlItems'], (tx) => {
    unwrap(tx.objectStore('crawlItems')).clear();
    unwrap(tx.objectStore('crawl')).put({ ...record, key: CRAWL_RECORD_KEY });
  });
}

/** Writes the crawl record (phase, ids, log …). */
export async function putCrawl(db: MarqueeDatabase, record: object): Promise<void> {
  await inWriteTransaction(db, ['crawl'], (tx) => {
    unwrap(tx.objectStore('crawl')).put({ ...record, key: CRAWL_RECORD_KEY });
  });
}

/** The crawl record, if a crawl was ever started. */
export async function getCrawl(db: MarqueeDatabase): Promise<CrawlRecord | undefined> {
  return db.get('crawl', CRAWL_RECORD_KEY);
}

/**
 * Stores a crawled movie and its item in one transaction: a tab killed at any moment either has
 * both (Resume skips the id) or neither (Resume fetches it, once).
 */
export async function putCrawledMovie(
  db: MarqueeDatabase,
  movie: Movie | null,
  item: CrawlItemRecord,
): Promise<void> {
  await inWriteTransaction(db, ['movies', 'crawlItems'], async (tx) => {
    if (movie) await writeMovies(tx.objectStore('movies'), [movie]);
    unwrap(tx.objectStore('crawlItems')).put(item);
  });
}

/** Stores a crawled poster (when there is one) and its item in one transaction. */
export async function putCrawledPoster(
  db: MarqueeDatabase,
  poster: Poster | null,
  item: CrawlItemRecord,
): Promise<void> {
  await inWriteTransaction(db, ['posters', 'crawlItems'], (tx) => {
    if (poster) unwrap(tx.objectStore('posters')).put(poster);
    unwrap(tx.objectStore('crawlItems')).put(item);
  });
}

/** Every item of the crawl, by id. */
export async function crawlItems(db: MarqueeDatabase): Promise<CrawlItemRecord[]> {
  return db.getAll('crawlItems');
}

/** The crawl's counts, from its items' indexes. */
export async function crawlCounts(db: MarqueeDatabase): Promise<CrawlCounts> {
  const tx = db.transaction('crawlItems', 'readonly');
  const movie = tx.store.index('movie');
  const poster = tx.store.index('poster');
  const [stored, skipped, postersStored, postersFailed] = await Promise.all([
    movie.count('stored'),
    movie.count('skipped'),
    poster.count('stored'),
    poster.count('failed'),
  ]);
  return { stored, skipped, postersStored, postersFailed };
}
