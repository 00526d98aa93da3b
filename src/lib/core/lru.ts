/**
 * A least-recently-used map with a fixed capacity: reading or writing a key makes it the newest,
 * and adding past the capacity evicts the oldest, handing it to `onEvict` (e.g. to revoke an
 * object URL). Map keeps insertion order, so the oldest entry is always the first.
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!(capacity >= 1)) throw new RangeError(`LRU capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.#map.size;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key) as V;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  /** Stores a value as the most recently used, evicting the oldest entries past capacity. */
  set(key: K, value: V): void {
    const old = this.#map.get(key);
    if (this.#map.has(key)) {
      this.#map.delete(key);
      if (old !== value) this.onEvict(key, old as V);
    }
    this.#map.set(key, value);
    while (this.#map.size > this.capacity) {
      const [k, v] = this.#map.entries().next().value as [K, V];
      this.#map.delete(k);
      this.onEvict(k, v);
    }
  }

  /** Removes a key (calling onEvict); false when absent. */
  delete(key: K): boolean {
    if (!this.#map.has(key)) return false;
    const v = this.#map.get(key) as V;
    this.#map.delete(key);
    this.onEvict(key, v);
    return true;
  }

  /** Evicts everything. */
  clear(): void {
    for (const [k, v] of this.#map) this.onEvict(k, v);
    this.#map.clear();
  }
}
