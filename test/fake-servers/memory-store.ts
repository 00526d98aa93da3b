import type { Movie, Poster } from '../../src/lib/data/types.ts';
import type { CrawlStore } from '../../src/lib/crawl/state.ts';

/** An in-memory CrawlStore for Node tests: the Library's contract (structured clones, put = replace) on Maps. */
export class MemoryStore implements CrawlStore {
  readonly movies = new Map<string, Movie>();
  readonly posters = new Map<string, Poster>();
  readonly settings = new Map<string, unknown>();
  movieWrites = 0;

  async getMovie(key: string) {
    return structuredClone(this.movies.get(key));
  }
  async putMovies(movies: Movie[]) {
    for (const m of movies) {
      this.movieWrites += 1;
      this.movies.set(m.key, structuredClone(m));
    }
  }
  async putPosters(posters: Poster[]) {
    for (const p of posters) this.posters.set(p.movieKey, p);
  }
  async posterKeys() {
    return [...this.posters.keys()];
  }
  async getSetting<T>(key: string) {
    return structuredClone(this.settings.get(key)) as T | undefined;
  }
  async putSetting(key: string, value: unknown) {
    this.settings.set(key, structuredClone(value));
  }
}
