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
 * Stores crawled movies, each with its item, in one transaction: a tab killed at any moment has
 * each movie and the note that it is done both, or neither (Resume then fetches it, once).
 */
export async function putCrawledMovies(
  db: MarqueeDatabase,
  entries: Array<{ movie: Movie | null; item: CrawlItemRecord }>,
): Promise<void> {
  if (!entries.length) return;
  await inWriteTransaction(db, ['movies', 'crawlItems'], async (tx) => {
    const movies = entries.flatMap((e) => (e.movie ? [e.movie] : []));
    if (movies.length) await writeMovies(tx.objectStore('movies'), movies);
    const items = unwrap(tx.objectStore('crawlItems'));
    for (const e of entries) items.put(e.item);
  });
}

/** Stores crawled posters (null: none or failed), each with its item, in one transaction. */
export async function putCrawledPosters(
  db: MarqueeDatabase,
  entries: Array<{ poster: Poster | null; item: CrawlItemRecord }>,
): Promise<void> {
  if (!entries.length) return;
  await inWriteTransaction(db, ['posters', 'crawlItems'], (tx) => {
    const posters = unwrap(tx.objectStore('posters'));
    const items = unwrap(tx.objectStore('crawlItems'));
    for (const e of entries) {
      if (e.poster) posters.put(e.poster);
      items.put(e.item);
    }
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
