import { describe, expect, it } from 'vitest';
import {
  checkMatrix,
  denseFromRows,
  denseToSparse,
  sparseFromLists,
  sparseToDense,
} from './matrix.ts';

describe('matrix', () => {
  it('builds CSR with sorted, de-duplicated columns', () => {
    const m = sparseFromLists([[3, 1, 3], [], [0]], 4);
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(m.indices)).toEqual([1, 3, 0]);
  });

  it('converts dense 0/1 to CSR and back', () => {
    const d = denseFromRows([
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(sparseToDense(denseToSparse(d))).toEqual(d);
  });

  it('rejects out-of-range columns and unsorted rows', () => {
    expect(() => sparseFromLists([[5]], 4)).toThrow(RangeError);
    const bad = { rows: 1, cols: 4, indptr: Int32Array.of(0, 2), indices: Int32Array.of(2, 1) };
    expect(() => checkMatrix(bad)).toThrow(RangeError);
    expect(() => checkMatrix({ rows: 2, cols: 2, data: new Float32Array(3) })).toThrow(RangeError);
  });
});
