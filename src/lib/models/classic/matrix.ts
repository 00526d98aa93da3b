/**
 * Feature matrices the classic models take: dense row-major Float32 and sparse binary CSR.
 * Both are plain typed-array records, so they cross worker boundaries by transfer.
 */

/** A dense matrix, row-major: `data[r * cols + c]`. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/**
 * A sparse 0/1 matrix in CSR form: row r has ones at `indices[indptr[r] .. indptr[r+1])`,
 * strictly increasing within a row (keyword indicators: ~5–30 ones among ~12,000 columns).
 */
export interface SparseBinaryMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
}

/** Any input kind of the forest. */
export type FeatureMatrix = DenseMatrix | SparseBinaryMatrix | MixedMatrix;

/** True for the CSR kind. */
export function isSparse(x: FeatureMatrix): x is SparseBinaryMatrix {
  return 'indptr' in x;
}

/** A dense matrix from equal-length rows. */
export function denseFromRows(rows: ArrayLike<number>[], cols?: number): DenseMatrix {
  const width = cols ?? rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    if (row.length !== width)
      throw new RangeError(`row ${r} has ${row.length} values, expected ${width}`);
    for (let c = 0; c < width; c++) data[r * width + c] = row[c] ?? 0;
  });
  return { rows: rows.length, cols: width, data };
}

/** A CSR matrix from the column indices of each row's ones (duplicates dropped, sorted). */
export function sparseFromLists(lists: ArrayLike<number>[], cols: number): SparseBinaryMatrix {
  const indptr = new Int32Array(lists.length + 1);
  const parts: Int32Array[] = [];
  let nnz = 0;
  lists.forEach((list, r) => {
    const sorted = Int32Array.from(new Set(Array.from(list))).sort();
    for (const c of sorted)
      if (c < 0 || c >= cols) throw new RangeError(`row ${r}: column ${c} outside [0, ${cols})`);
    parts.push(sorted);
    nnz += sorted.length;
    indptr[r + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  parts.forEach((p, r) => indices.set(p, indptr[r]));
  return { rows: lists.length, cols, indptr, indices };
}

/** The CSR form of a dense 0/1 matrix (any non-zero counts as 1). */
export function denseToSparse(x: DenseMatrix): SparseBinaryMatrix {
  const lists: number[][] = [];
  for (let r = 0; r < x.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < x.cols; c++) if (x.data[r * x.cols + c] !== 0) row.push(c);
    lists.push(row);
  }
  return sparseFromLists(lists, x.cols);
}

/** The dense 0/1 form of a CSR matrix (small inputs only: rows × cols floats). */
export function sparseToDense(x: SparseBinaryMatrix): DenseMatrix {
  const data = new Float32Array(x.rows * x.cols);
  for (let r = 0; r < x.rows; r++)
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) data[r * x.cols + x.indices[k]!] = 1;
  return { rows: x.rows, cols: x.cols, data };
}

/** Throws RangeError when a matrix's arrays disagree with its shape or a CSR row is unsorted. */
export function checkMatrix(x: FeatureMatrix): void {
  if (isMixed(x)) {
    if (
      x.dense.rows !== x.rows ||
      x.sparse.rows !== x.rows ||
      x.dense.cols + x.sparse.cols !== x.cols
    )
      throw new RangeError('mixed matrix parts do not match its shape');
    checkMatrix(x.dense);
    checkMatrix(x.sparse);
    return;
  }
  if (!isSparse(x)) {
    if (x.data.length !== x.rows * x.cols)
      throw new RangeError(`dense data has ${x.data.length} values, expected ${x.rows}×${x.cols}`);
    return;
  }
  if (x.indptr.length !== x.rows + 1 || x.indptr[0] !== 0 || x.indptr[x.rows] !== x.indices.length)
    throw new RangeError('CSR indptr does not match rows and indices');
  for (let r = 0; r < x.rows; r++) {
    let prev = -1;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) {
      const c = x.indices[k]!;
      if (c <= prev || c >= x.cols)
        throw new RangeError(`CSR row ${r}: indices must increase within [0, ${x.cols})`);
      prev = c;
    }
  }
}

/**
 * Dense numeric columns followed by sparse 0/1 columns (the one-hots of directors and keywords):
 * column c < dense.cols is dense column c, column c ≥ dense.cols is sparse column c − dense.cols.
 * The column numbering is the dense layout's, so a model fitted on one predicts on the other.
 */
export interface MixedMatrix {
  rows: number;
  cols: number;
  dense: DenseMatrix;
  sparse: SparseBinaryMatrix;
}

/** What tabular models take: dense, or dense + sparse one-hot columns. */
export type TabularMatrix = DenseMatrix | MixedMatrix;

/** True for the dense + sparse kind. */
export function isMixed(x: FeatureMatrix): x is MixedMatrix {
  return 'sparse' in x;
}

/** A mixed matrix from its parts (throws RangeError when their rows differ). */
export function mixed(dense: DenseMatrix, sparse: SparseBinaryMatrix): MixedMatrix {
  if (dense.rows !== sparse.rows)
    throw new RangeError(`dense part has ${dense.rows} rows, sparse part ${sparse.rows}`);
  return { rows: dense.rows, cols: dense.cols + sparse.cols, dense, sparse };
}

/** The dense form of a tabular matrix (itself when already dense). */
export function asDense(x: TabularMatrix): DenseMatrix {
  if (!isMixed(x)) return x;
  const { rows, cols, dense, sparse } = x;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    data.set(dense.data.subarray(r * dense.cols, (r + 1) * dense.cols), r * cols);
    for (let k = sparse.indptr[r]!; k < sparse.indptr[r + 1]!; k++)
      data[r * cols + dense.cols + sparse.indices[k]!] = 1;
  }
  return { rows, cols, data };
}

/** Rows of a CSR matrix, in the order given (repeats allowed). */
export function takeSparseRows(x: SparseBinaryMatrix, rows: readonly number[]): SparseBinaryMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i]! + x.indptr[r + 1]! - x.indptr[r]!));
  const indices = new Int32Array(indptr[rows.length]!);
  rows.forEach((r, i) => indices.set(x.indices.subarray(x.indptr[r], x.indptr[r + 1]), indptr[i]));
  return { rows: rows.length, cols: x.cols, indptr, indices };
}

function takeDense(x: DenseMatrix, rows: readonly number[]): DenseMatrix {
  const data = new Float32Array(rows.length * x.cols);
  rows.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: rows.length, cols: x.cols, data };
}

/** Rows of a tabular matrix, in the order given (repeats allowed), keeping its kind. */
export function takeTabularRows<T extends TabularMatrix>(x: T, rows: readonly number[]): T {
  if (!isMixed(x)) return takeDense(x, rows) as T;
  return mixed(takeDense(x.dense, rows), takeSparseRows(x.sparse, rows)) as T;
}

/**
 * x with extra columns appended after its last one. On a mixed matrix, 0/1 columns go to the
 * sparse part (the numbering stays the dense layout's); any other value makes the result dense.
 */
export function appendTabularColumns(x: TabularMatrix, extra: ArrayLike<number>[]): TabularMatrix {
  if (isMixed(x) && extra.every((e) => Array.prototype.every.call(e, (v) => v === 0 || v === 1))) {
    const s = x.sparse;
    const lists: number[][] = [];
    for (let r = 0; r < x.rows; r++) {
      const row = Array.from(s.indices.subarray(s.indptr[r], s.indptr[r + 1]));
      extra.forEach((e, k) => {
        if (e[r] === 1) row.push(s.cols + k);
      });
      lists.push(row);
    }
    return mixed(x.dense, sparseFromLists(lists, s.cols + extra.length));
  }
  const d = asDense(x);
  const cols = d.cols + extra.length;
  const data = new Float32Array(d.rows * cols);
  for (let r = 0; r < d.rows; r++) {
    data.set(d.data.subarray(r * d.cols, (r + 1) * d.cols), r * cols);
    extra.forEach((e, k) => (data[r * cols + d.cols + k] = e[r]!));
  }
  return { rows: d.rows, cols, data };
}
