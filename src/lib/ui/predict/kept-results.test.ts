import { describe, expect, it } from 'vitest';
import { addNewest, defaultKeep, dropCount, keepFrom, startDrop } from './kept-results.ts';

/** A row named by its drop and file, e.g. row(2, 'b') = file b of drop 2. */
const row = (drop: number, file: string, ok = true) => ({ drop, file, ok });
const files = (rows: { file: string }[]) => rows.map((r) => r.file);

describe('addNewest', () => {
  it('puts a new drop in front of the earlier ones, its own files in order', () => {
    const first = addNewest([], [row(1, 'a'), row(1, 'b')], 10).rows;
    const second = addNewest(first, [row(2, 'c'), row(2, 'd')], 10);
    expect(files(second.rows)).toEqual(['c', 'd', 'a', 'b']);
    expect(second.dropped).toEqual([]);
  });

  it("adds a drop's later chunks after its earlier ones, still before older drops", () => {
    let rows = addNewest([], [row(1, 'a')], 10).rows;
    rows = addNewest(rows, [row(2, 'b'), row(2, 'c')], 10).rows;
    rows = addNewest(rows, [row(2, 'd')], 10).rows;
    expect(files(rows)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('caps the list by letting the oldest rows go, and returns them', () => {
    const rows = [row(2, 'c'), row(2, 'd'), row(1, 'a'), row(1, 'b')];
    const out = addNewest(rows, [row(3, 'e'), row(3, 'f')], 5);
    expect(files(out.rows)).toEqual(['e', 'f', 'c', 'd', 'a']);
    expect(files(out.dropped)).toEqual(['b']);
  });

  it('lets the tail of the newest drop go when the cap is smaller than the drop', () => {
    const out = addNewest([row(1, 'a')], [row(2, 'b'), row(2, 'c'), row(2, 'd')], 2);
    expect(files(out.rows)).toEqual(['b', 'c']);
    expect(files(out.dropped)).toEqual(['d', 'a']);
  });

  it('keeps the list as it is for an empty chunk', () => {
    const rows = [row(1, 'a')];
    expect(addNewest(rows, [], 1)).toEqual({ rows, dropped: [] });
  });

  it('refuses a cap below 1 and a chunk mixing drops', () => {
    expect(() => addNewest([], [row(1, 'a')], 0)).toThrow(RangeError);
    expect(() => addNewest([], [row(1, 'a'), row(2, 'b')], 5)).toThrow(/one drop/);
  });
});

describe('startDrop', () => {
  it("drops the earlier drops' failed files and keeps their results", () => {
    const rows = [row(2, 'ok'), row(2, 'bad', false), row(1, 'old')];
    expect(files(startDrop(rows))).toEqual(['ok', 'old']);
  });
});

describe('dropCount', () => {
  it('counts the distinct drops', () => {
    expect(dropCount([row(3, 'a'), row(3, 'b'), row(1, 'c')])).toBe(2);
    expect(dropCount([])).toBe(0);
  });
});

describe('keepFrom / defaultKeep', () => {
  it('is two full drops by default', () => {
    expect(defaultKeep(1000)).toBe(2000);
  });

  it('takes a whole number ≥ 1 from the override, else the default', () => {
    expect(keepFrom('3', 2000)).toBe(3);
    expect(keepFrom(null, 2000)).toBe(2000);
    expect(keepFrom('', 2000)).toBe(2000);
    expect(keepFrom('0', 2000)).toBe(2000);
    expect(keepFrom('2.5', 2000)).toBe(2000);
    expect(keepFrom('lots', 2000)).toBe(2000);
  });
});
