/**
 * Poster thumbnails for the Library table through an in-memory LRU of object URLs. Keys asked
 * for in the same frame go to the import worker as one request (a scrolled-in window is one
 * IndexedDB transaction, not one per row); a library change (its revision) empties the cache.
 */
import { LruCache } from '../core/lru.ts';
import { loadThumbnails } from '../workers/import-client.ts';
import { library } from './library.svelte.ts';

/** Entries kept: several screens of rows either way, at ~2 KB a thumbnail well under 2 MB. */
const CAPACITY = 600;

class ThumbnailCache {
  readonly #lru = new LruCache<string, string | null>(CAPACITY, (_k, url) => {
    if (url) URL.revokeObjectURL(url);
  });
  #waiting = new Map<string, Array<(url: string | null) => void>>();
  #scheduled = false;
  #revision = -1;

  /** An object URL of the movie's thumbnail, or null when it has no poster. */
  url(key: string): Promise<string | null> {
    if (library.revision !== this.#revision) {
      this.#lru.clear();
      this.#revision = library.revision;
    }
    if (this.#lru.has(key)) return Promise.resolve(this.#lru.get(key) as string | null);
    return new Promise((resolve) => {
      const list = this.#waiting.get(key);
      if (list) list.push(resolve);
      else this.#waiting.set(key, [resolve]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        requestAnimationFrame(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const waiting = this.#waiting;
    this.#waiting = new Map();
    const keys = [...waiting.keys()];
    let blobs: (Blob | null)[];
    try {
      blobs = await loadThumbnails(keys);
    } catch {
      blobs = keys.map(() => null); // the placeholder shows; the next revision asks again
    }
    keys.forEach((key, i) => {
      const blob = blobs[i];
      const url = blob ? URL.createObjectURL(blob) : null;
      this.#lru.set(key, url);
      for (const resolve of waiting.get(key) ?? []) resolve(url);
    });
  }
}

export const thumbnails = new ThumbnailCache();
