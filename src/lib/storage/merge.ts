import type { Movie } from '../data/types.ts';

/** Fields whose difference alone does not make a record "changed" (bookkeeping, not data). */
const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['source', 'updatedAt']);

/** Structural equality for record fields: primitives by Object.is (so NaN equals NaN), arrays and plain objects deeply. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A copy without properties whose value is undefined (so they neither override nor get stored). */
export function withoutUndefined<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * A copy without undefined values and without empty lists: a source that has no genres or
 * keywords column yields `[]`, which means "no information", not "has none" — letting it
 * override would wipe keywords imported from another file (e.g. cs109b after tmdb-5000).
 */
function informativeFields(record: Movie): Partial<Movie> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out as Partial<Movie>;
}

/** Outcome of merging one incoming movie over what is stored. */
export interface MovieMerge {
  movie: Movie;
  outcome: 'added' | 'updated' | 'unchanged';
}

/**
 * Merges an incoming movie into the stored one field by field: every defined, non-empty field of
 * `incoming` wins, fields it leaves undefined or empty keep their stored value. The result is 'unchanged' (and keeps
 * the stored record, with its source and updatedAt) when only bookkeeping fields would differ.
 */
export function mergeMovie(stored: Movie | undefined, incoming: Movie): MovieMerge {
  const clean = withoutUndefined(incoming);
  if (stored === undefined) return { movie: clean, outcome: 'added' };
  const merged: Movie = { ...stored, ...informativeFields(incoming) };
  const changed = Object.keys(merged).some(
    (k) =>
      !BOOKKEEPING_FIELDS.has(k) &&
      !sameValue(
        (stored as unknown as Record<string, unknown>)[k],
        (merged as unknown as Record<string, unknown>)[k],
      ),
  );
  return changed ? { movie: merged, outcome: 'updated' } : { movie: stored, outcome: 'unchanged' };
}
