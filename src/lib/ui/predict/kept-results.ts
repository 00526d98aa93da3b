/**
 * The Predict panel's kept results across drops, as pure list rules: each drop's rows go in front
 * of the earlier drops' (newest drop first, a drop's own rows in file order), files that failed
 * are only kept for the newest drop (its messages), and the list is capped by letting the oldest
 * rows go, which the caller frees (object URLs) and reports.
 */

/** What the rules need of a row: the drop it came from and whether it predicted. */
export interface KeptRow {
  drop: number;
  ok: boolean;
}

/** The list after adding, and the rows the cap let go (oldest last in the old list). */
export interface Kept<T> {
  rows: T[];
  dropped: T[];
}

/**
 * Default cap on kept results: two full drops (MAX_FILES each), so a drop never pushes out its
 * own rows and memory (one object URL per poster, its saliency maps) stays bounded.
 */
export function defaultKeep(maxFiles: number): number {
  return 2 * maxFiles;
}

/** The rows kept when a new drop starts: the earlier drops' results, without their failed files. */
export function startDrop<T extends KeptRow>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.ok);
}

/**
 * Adds a chunk of the newest drop's rows: after the rows of that drop already shown, before every
 * earlier drop's; then keeps the first `keep` rows and returns the rest as `dropped`.
 */
export function addNewest<T extends KeptRow>(
  rows: readonly T[],
  chunk: readonly T[],
  keep: number,
): Kept<T> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be ≥ 1, got ${keep}`);
  const drop = chunk[0]?.drop;
  if (drop === undefined) return { rows: [...rows], dropped: [] };
  if (chunk.some((r) => r.drop !== drop))
    throw new RangeError('a chunk holds the rows of one drop only');
  let own = 0;
  while (own < rows.length && rows[own]!.drop === drop) own++;
  const all = [...rows.slice(0, own), ...chunk, ...rows.slice(own)];
  return { rows: all.slice(0, keep), dropped: all.slice(keep) };
}

/** How many different drops the rows come from (for "12 results from 3 drops"). */
export function dropCount(rows: readonly KeptRow[]): number {
  return new Set(rows.map((r) => r.drop)).size;
}

/**
 * The cap to use: a whole number ≥ 1 given in `override` (localStorage, for tests and
 * memory-tight devices), else the default.
 */
export function keepFrom(override: string | null | undefined, fallback: number): number {
  const n = Number(override);
  return override && Number.isInteger(n) && n >= 1 ? n : fallback;
}
