/**
 * The one label representation of the studio: a dense 0/1 matrix, row-major, one row per movie
 * and one column per label (genre or genre group). `data[r * cols + c]` is 1 when movie r has
 * label c. Flat typed arrays cross worker boundaries without copying row objects.
 */
export interface LabelMatrix {
  rows: number;
  cols: number;
  data: Uint8Array;
}

/** An all-zero matrix of the given shape. */
export function zeroLabels(rows: number, cols: number): LabelMatrix {
  return { rows, cols, data: new Uint8Array(rows * cols) };
}

/** Builds a matrix from per-row arrays (any non-zero value counts as 1); all rows must have `cols` entries. */
export function labelsFromRows(rows: ArrayLike<number>[], cols?: number): LabelMatrix {
  const width = cols ?? rows[0]?.length ?? 0;
  const m = zeroLabels(rows.length, width);
  rows.forEach((row, r) => {
    if (row.length !== width)
      throw new RangeError(`row ${r} has ${row.length} labels, expected ${width}`);
    for (let c = 0; c < width; c++) m.data[r * width + c] = row[c] ? 1 : 0;
  });
  return m;
}

/** The rows of a matrix as arrays of 0/1 (for display and tests). */
export function labelsToRows(m: LabelMatrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++)
    out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** A new matrix made of the given rows, in order, repeats allowed (e.g. a resampled training set). */
export function takeRows(m: LabelMatrix, indices: ArrayLike<number>): LabelMatrix {
  const out = zeroLabels(indices.length, m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    if (!(r >= 0 && r < m.rows)) throw new RangeError(`row index ${r} out of range [0, ${m.rows})`);
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return out;
}

/** How many rows carry each label. */
export function labelCounts(m: LabelMatrix): number[] {
  const counts = new Array<number>(m.cols).fill(0);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) if (m.data[r * m.cols + c]) counts[c]! += 1;
  }
  return counts;
}

/** Throws a RangeError unless both matrices have the same shape. */
export function assertSameShape(a: LabelMatrix, b: LabelMatrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(`shape mismatch: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  }
}
