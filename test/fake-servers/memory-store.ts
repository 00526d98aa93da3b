import type { Movie, Poster } from '../../src/lib/data/types.ts';
import type { CrawlStore } from '../../src/lib/crawl/state.ts';
import type { CrawlCounts, CrawlItemRecord } from '../../src/lib/storage/records.ts';

/**
 * An in-memory CrawlStore for Node tests: the Library's contract (structured clones, put =
 * replace, a movie or poster and its crawl item written together) on Maps.
 */
export class MemoryStore implements CrawlStore {
  readonly movies = new Map<string, Movie>();
  readonly posters = new Map<string, Poster>();
  readonly settings = new Map<string, unknown>();
  readonly items = new Map<number, CrawlItemRecord>();
  crawl: object | undefined;
  movieWrites = 0;
  posterWrites = 0;
  transactions = 0;

  async getMovie(key: string) {
    return structuredClone(this.movies.get(key));
  }
  async getSetting<T>(key: string) {
    return structuredClone(this.settings.get(key)) as T | undefined;
  }
  async putSetting(key: string, value: unknown) {
    this.settings.set(key, structuredClone(value));
  }
  async getCrawl<T>() {
    return structuredClone(this.crawl) as T | undefined;
  }
  async putCrawl(record: object) {
    this.crawl = structuredClone({ ...record, key: 'current' });
  }
  async resetCrawl(record: object) {
    this.items.clear();
    await this.putCrawl(record);
  }
  async crawlItems() {
    return structuredClone([...this.items.values()]);
  }
  async crawlCounts(): Promise<CrawlCounts> {
    const all = [...this.items.values()];
    const n = (f: (i: CrawlItemRecord) => boolean) => all.filter(f).length;
    return {
      stored: n((i) => i.movie === 'stored'),
      skipped: n((i) => i.movie === 'skipped'),
      postersStored: n((i) => i.poster === 'stored'),
      postersFailed: n((i) => i.poster === 'failed'),
    };
  }
  async putCrawledMovies(entries: Array<{ movie: Movie | null; item: CrawlItemRecord }>) {
    this.transactions += 1;
    for (const { movie, item } of entries) {
      if (movie) {
        this.movieWrites += 1;
        this.movies.set(movie.key, structuredClone(movie));
      }
      this.items.set(item.id, structuredClone(item));
    }
  }
  async putCrawledPosters(entries: Array<{ poster: Poster | null; item: CrawlItemRecord }>) {
    this.transactions += 1;
    for (const { poster, item } of entries) {
      if (poster) {
        this.posterWrites += 1;
        this.posters.set(poster.movieKey, poster);
      }
      this.items.set(item.id, structuredClone(item));
    }
  }
}
