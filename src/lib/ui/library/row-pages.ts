/**
 * The rows of one table query that the page holds: pages of rows read on demand around the
 * window shown, and nothing far from it (a 100,000-row result never sits in the page).
 */
export class RowPages<Row> {
  readonly #rows = new Map<number, Row>();
  readonly #pending = new Set<number>();

  /**
   * @param pageSize rows read at a time
   * @param keepPages pages kept either side of the window when rows arrive
   */
  constructor(
    readonly pageSize: number,
    readonly keepPages: number,
  ) {
    if (!(pageSize >= 1 && keepPages >= 0))
      throw new RangeError(`bad page size ${pageSize} or pages kept ${keepPages}`);
  }

  /** The row at a position, when its page is held. */
  get(index: number): Row | undefined {
    return this.#rows.get(index);
  }

  /** How many rows are held. */
  get size(): number {
    return this.#rows.size;
  }

  /** The page-aligned span covering rows [start, end) of a result of `total` rows. */
  span(start: number, end: number, total: number): { from: number; to: number } {
    const from = Math.floor(Math.max(0, start) / this.pageSize) * this.pageSize;
    const to = Math.min(total, Math.ceil(Math.max(0, end) / this.pageSize) * this.pageSize);
    return { from, to: Math.max(from, to) };
  }

  /**
   * The pages of rows [start, end) (of `total`) neither held nor being read, as [from, to) row
   * spans; they count as being read from now on, until `store` or `failed`.
   */
  claim(
    start: number,
    end: number,
    total: number,
  ): Array<{ page: number; from: number; to: number }> {
    const out = [];
    if (end <= start) return [];
    for (let p = Math.floor(start / this.pageSize); p * this.pageSize < Math.min(end, total); p++) {
      if (this.#pending.has(p) || this.#rows.has(p * this.pageSize)) continue;
      this.#pending.add(p);
      out.push({ page: p, from: p * this.pageSize, to: Math.min(total, (p + 1) * this.pageSize) });
    }
    return out;
  }

  /** A page that could not be read: it may be claimed again. */
  failed(page: number): void {
    this.#pending.delete(page);
  }

  /**
   * Stores rows read from position `from`, and forgets rows more than `keepPages` pages away from
   * the window [start, end) shown now.
   */
  store(from: number, rows: readonly Row[], start: number, end: number): void {
    this.#pending.delete(Math.floor(from / this.pageSize));
    rows.forEach((row, i) => this.#rows.set(from + i, row));
    const lo = (Math.floor(start / this.pageSize) - this.keepPages) * this.pageSize;
    const hi = (Math.ceil(end / this.pageSize) + this.keepPages) * this.pageSize;
    for (const i of this.#rows.keys()) if (i < lo || i >= hi) this.#rows.delete(i);
  }
}
