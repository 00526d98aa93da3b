/** Genre co-occurrence: phi correlation between label columns and agglomerative clustering of them. */
import type { LabelMatrix } from '../metrics/index.ts';

/**
 * Pearson correlation between every pair of 0/1 columns (the phi coefficient), as a cols×cols
 * array. A constant column (a genre no movie has, or every movie has) has no variance: its whole
 * row and column, diagonal included, is NaN, as numpy.corrcoef gives.
 */
export function phiCorrelation(m: LabelMatrix): number[][] {
  const { rows, cols, data } = m;
  const count = new Array<number>(cols).fill(0);
  const both: number[][] = Array.from({ length: cols }, () => new Array<number>(cols).fill(0));
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let a = 0; a < cols; a++) {
      if (!data[base + a]) continue;
      count[a]! += 1;
      for (let b = a; b < cols; b++) if (data[base + b]) both[a]![b]! += 1;
    }
  }
  const out: number[][] = Array.from({ length: cols }, () => new Array<number>(cols).fill(NaN));
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const pa = count[a]! / rows;
      const pb = count[b]! / rows;
      const den = Math.sqrt(pa * (1 - pa) * pb * (1 - pb));
      const v = den === 0 ? NaN : (both[a]![b]! / rows - pa * pb) / den;
      out[a]![b] = v;
      out[b]![a] = v;
    }
  }
  return out;
}

/** 1 − correlation as a distance in [0, 2], with NaN read as 0 correlation (distance 1) and a zero diagonal. */
export function correlationDistance(corr: number[][]): number[][] {
  return corr.map((row, i) => row.map((v, j) => (i === j ? 0 : Number.isNaN(v) ? 1 : 1 - v)));
}

/** How the distance between two clusters is measured from their members' distances. */
export type Linkage = 'single' | 'complete' | 'average';

/** One merge, like a row of scipy's linkage matrix Z: cluster ids (leaves 0..n−1, merge i makes n+i), height, size. */
export interface Merge {
  left: number;
  right: number;
  height: number;
  size: number;
}

/** A dendrogram: n − 1 merges in order of height, and the leaves in dendrogram order (scipy leaves_list). */
export interface ClusterTree {
  n: number;
  merges: Merge[];
  order: number[];
}

/** Lance–Williams update of the distance from cluster k to the union of clusters i and j. */
function linkDistance(linkage: Linkage, dki: number, dkj: number, ni: number, nj: number): number {
  if (linkage === 'single') return Math.min(dki, dkj);
  if (linkage === 'complete') return Math.max(dki, dkj);
  return (ni * dki + nj * dkj) / (ni + nj);
}

/**
 * Agglomerative clustering of a symmetric distance matrix, merging the closest pair each step
 * (O(n³), meant for the ~20 genre columns). Each merge lists the smaller id first, as scipy does.
 */
export function hierarchicalClustering(
  distance: number[][],
  linkage: Linkage = 'average',
): ClusterTree {
  const n = distance.length;
  const d = distance.map((row) => {
    if (row.length !== n) throw new RangeError('distance matrix must be square');
    return [...row];
  });
  let active = Array.from({ length: n }, (_, i) => ({
    slot: i,
    id: i,
    size: 1,
  }));
  const merges: Merge[] = [];
  while (active.length > 1) {
    let best = { a: 0, b: 1, dist: Infinity };
    for (let a = 0; a < active.length; a++) {
      for (let b = a + 1; b < active.length; b++) {
        const v = d[active[a]!.slot]![active[b]!.slot]!;
        if (v < best.dist) best = { a, b, dist: v };
      }
    }
    const ca = active[best.a]!;
    const cb = active[best.b]!;
    for (const ck of active) {
      if (ck === ca || ck === cb) continue;
      const v = linkDistance(
        linkage,
        d[ck.slot]![ca.slot]!,
        d[ck.slot]![cb.slot]!,
        ca.size,
        cb.size,
      );
      d[ck.slot]![ca.slot] = v;
      d[ca.slot]![ck.slot] = v;
    }
    const size = ca.size + cb.size;
    merges.push({
      left: Math.min(ca.id, cb.id),
      right: Math.max(ca.id, cb.id),
      height: best.dist,
      size,
    });
    ca.id = n + merges.length - 1; // the merged cluster reuses ca's row of d
    ca.size = size;
    active = active.filter((c) => c !== cb);
  }
  return { n, merges, order: leafOrder(n, merges) };
}

/** Leaves left-to-right, visiting each merge's left child first (scipy.cluster.hierarchy.leaves_list). */
function leafOrder(n: number, merges: Merge[]): number[] {
  if (n === 0) return [];
  const order: number[] = [];
  const stack = [n === 1 ? 0 : n + merges.length - 1];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id < n) order.push(id);
    else {
      const m = merges[id - n]!;
      stack.push(m.right, m.left);
    }
  }
  return order;
}

/** Cuts the tree into k clusters (the first n − k merges applied); groups of leaf indices, each sorted, ordered by first leaf. */
export function cutTree(tree: ClusterTree, k: number): number[][] {
  const { n, merges } = tree;
  if (!(Number.isInteger(k) && k >= 1))
    throw new RangeError(`k must be a positive integer, got ${k}`);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Set(members.keys());
  merges.slice(0, Math.max(0, n - k)).forEach((m, i) => {
    members[n + i] = [...members[m.left]!, ...members[m.right]!];
    alive.delete(m.left);
    alive.delete(m.right);
    alive.add(n + i);
  });
  return [...alive]
    .map((id) => [...members[id]!].sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
}
