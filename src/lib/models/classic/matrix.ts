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

/** Either input kind. */
export type FeatureMatrix = DenseMatrix | SparseBinaryMatrix;

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
