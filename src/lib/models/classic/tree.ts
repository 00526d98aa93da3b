/**
 * A fitted binary-classification tree in flat typed arrays (one slot per node, preorder), the
 * layout sklearn's `tree_` uses: fast to walk, cheap to keep 700 of, and trivially serialised.
 */
import type { DenseMatrix, MixedMatrix, SparseBinaryMatrix } from './matrix.ts';

/** Node arrays; a leaf has `feature === -1`. Samples with `x[feature] <= threshold` go left. */
export interface Tree {
  nodeCount: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Weighted fraction of class 1 among the node's bootstrap samples. */
  value: Float32Array;
}

/** A tree as JSON-safe arrays. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** Adds each dense row's leaf value to `out[r]`. */
export function addTreeDense(tree: Tree, x: DenseMatrix, out: Float64Array): void {
  const { feature, threshold, left, right, value } = tree;
  const { data, cols } = x;
  for (let r = 0; r < x.rows; r++) {
    const base = r * cols;
    let node = 0;
    let f = feature[0]!;
    while (f >= 0) {
      node = data[base + f]! <= threshold[node]! ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    out[r]! += value[node]!;
  }
}

/** Walks one row of a 0/1 matrix given as a column mark array (1 where the row has a one). */
export function leafValue(tree: Tree, marks: Uint8Array): number {
  const { feature, threshold, left, right, value } = tree;
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    node = marks[f]! <= threshold[node]! ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return value[node]!;
}

/** Sums the leaf values of all trees for each CSR row: marks the row's columns once, walks every tree. */
export function sumTreesSparse(trees: readonly Tree[], x: SparseBinaryMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  const marks = new Uint8Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    const a = x.indptr[r]!;
    const b = x.indptr[r + 1]!;
    for (let k = a; k < b; k++) marks[x.indices[k]!] = 1;
    let s = 0;
    for (const t of trees) s += leafValue(t, marks);
    out[r] = s;
    for (let k = a; k < b; k++) marks[x.indices[k]!] = 0;
  }
  return out;
}

/** Walks one row given as all its values in the dense layout. */
function leafValueRow(tree: Tree, row: Float32Array): number {
  const { feature, threshold, left, right, value } = tree;
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    node = row[f]! <= threshold[node]! ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return value[node]!;
}

/** Sums the leaf values of all trees for each row of a mixed matrix (one row expanded at a time). */
export function sumTreesMixed(trees: readonly Tree[], x: MixedMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  const row = new Float32Array(x.cols);
  const { dense, sparse } = x;
  const d = dense.cols;
  for (let r = 0; r < x.rows; r++) {
    row.set(dense.data.subarray(r * d, (r + 1) * d));
    const a = sparse.indptr[r]!;
    const b = sparse.indptr[r + 1]!;
    for (let k = a; k < b; k++) row[d + sparse.indices[k]!] = 1;
    let s = 0;
    for (const t of trees) s += leafValueRow(t, row);
    out[r] = s;
    for (let k = a; k < b; k++) row[d + sparse.indices[k]!] = 0;
  }
  return out;
}

/** JSON-safe copy (threshold doubles and float32 values survive JSON.stringify exactly). */
export function treeToJson(t: Tree): TreeJson {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
  };
}

/** Rebuilds a tree, checking that all arrays have one entry per node. */
export function treeFromJson(j: TreeJson): Tree {
  const n = j.feature.length;
  for (const a of [j.threshold, j.left, j.right, j.value])
    if (a.length !== n) throw new RangeError('tree arrays differ in length');
  return {
    nodeCount: n,
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float32Array.from(j.value),
  };
}
