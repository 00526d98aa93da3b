import { describe, expect, it } from 'vitest';
import { buildIndex, nearest, unitVector } from './neighbours.ts';

// Unit vectors at known angles in the plane: cosine distance to (1, 0) is 1 − cos(angle).
const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
const rows = [
  { id: 'a90', vector: deg(90) },
  { id: 'a10', vector: deg(10) },
  { id: 'a180', vector: deg(180) },
  { id: 'a45x3', vector: deg(45).map((v) => 3 * v) }, // length does not matter
  { id: 'a30', vector: deg(30) },
  { id: 'a0', vector: [5, 0] },
];

describe('nearest', () => {
  it('orders rows by cosine distance, nearest first, with the distances', () => {
    const got = nearest(buildIndex(rows, 2), [2, 0], 4);
    expect(got.map((n) => n.id)).toEqual(['a0', 'a10', 'a30', 'a45x3']);
    const want = [0, 10, 30, 45].map((a) => 1 - Math.cos((a * Math.PI) / 180));
    got.forEach((n, i) => expect(n.distance).toBeCloseTo(want[i]!, 6));
  });

  it('returns every row when k is larger than the index, the opposite one last at distance 2', () => {
    const got = nearest(buildIndex(rows, 2), [1, 0], 10);
    expect(got).toHaveLength(6);
    expect(got.at(-1)).toEqual({ id: 'a180', distance: expect.closeTo(2, 6) as number });
  });

  it('skips excluded ids (the query poster itself when it is in the library)', () => {
    const got = nearest(buildIndex(rows, 2), [1, 0], 2, new Set(['a0']));
    expect(got.map((n) => n.id)).toEqual(['a10', 'a30']);
  });

  it('finds nothing in an empty index', () => {
    expect(nearest(buildIndex([], 2), [1, 0], 6)).toEqual([]);
  });

  it('refuses vectors of the wrong size with the id named', () => {
    expect(() => buildIndex([{ id: 'x', vector: [1, 2, 3] }], 2)).toThrow(
      /x has 3 numbers, expected 2/,
    );
    expect(() => nearest(buildIndex(rows, 2), [1], 1)).toThrow(/query has 1 numbers/);
  });

  it('keeps a zero vector zero', () => {
    expect(Array.from(unitVector([0, 0]))).toEqual([0, 0]);
  });
});
