/**
 * "Posters like this one": the nearest rows of a feature index by cosine distance (1 − cos θ)
 * in the space the head reads (the backbone's pooled features). Rows are stored unit-length,
 * so a query costs one dot product per row; ties keep the index order.
 */

/** Feature vectors of library posters, unit-length, row-major [ids.length × dims]. */
export interface FeatureIndex {
  ids: string[];
  dims: number;
  unit: Float32Array;
}

/** A neighbour: its id and its cosine distance to the query (0 = same direction, 2 = opposite). */
export interface Neighbour {
  id: string;
  distance: number;
}

/** v / ‖v‖ (a zero vector stays zero: it is at distance 1 from everything). */
export function unitVector(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** An index from vectors (normalised here); every vector must have `dims` numbers. */
export function buildIndex(
  rows: { id: string; vector: ArrayLike<number> }[],
  dims: number,
): FeatureIndex {
  const unit = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => {
    if (r.vector.length !== dims)
      throw new RangeError(
        `feature vector of ${r.id} has ${r.vector.length} numbers, expected ${dims}`,
      );
    unit.set(unitVector(r.vector), i * dims);
  });
  return { ids: rows.map((r) => r.id), dims, unit };
}

/** The k rows nearest to `query` by cosine distance, nearest first; `exclude` ids are skipped. */
export function nearest(
  index: FeatureIndex,
  query: ArrayLike<number>,
  k: number,
  exclude: ReadonlySet<string> = new Set(),
): Neighbour[] {
  if (query.length !== index.dims)
    throw new RangeError(`query has ${query.length} numbers, the index ${index.dims}`);
  const q = unitVector(query);
  const d = index.dims;
  const best: Neighbour[] = [];
  for (let r = 0; r < index.ids.length; r++) {
    const id = index.ids[r]!;
    if (exclude.has(id)) continue;
    let dot = 0;
    const at = r * d;
    for (let i = 0; i < d; i++) dot += q[i]! * index.unit[at + i]!;
    const distance = 1 - dot;
    if (best.length === k && distance >= best[k - 1]!.distance) continue;
    let j = best.length < k ? best.length : k - 1;
    while (j > 0 && best[j - 1]!.distance > distance) {
      best[j] = best[j - 1]!;
      j--;
    }
    best[j] = { id, distance };
  }
  return best;
}
