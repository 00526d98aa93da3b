import { describe, expect, it } from 'vitest';
import { RowPages } from './row-pages.ts';

const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('RowPages', () => {
  it('claims each missing page of a window once, clamped to the result', () => {
    const p = new RowPages<number>(50, 1);
    expect(p.claim(30, 120, 110)).toEqual([
      { page: 0, from: 0, to: 50 },
      { page: 1, from: 50, to: 100 },
      { page: 2, from: 100, to: 110 },
    ]);
    // Being read: not claimed twice; a failed read may be claimed again.
    expect(p.claim(0, 110, 110)).toEqual([]);
    p.failed(1);
    expect(p.claim(0, 110, 110)).toEqual([{ page: 1, from: 50, to: 100 }]);
    expect(p.claim(10, 10, 110)).toEqual([]);
  });

  it('holds what was read near the window and forgets the rest', () => {
    const p = new RowPages<number>(10, 1);
    for (const c of p.claim(0, 30, 1000)) p.store(c.from, rows(c.from, c.to), 0, 30);
    expect(p.size).toBe(30);
    expect(p.get(17)).toBe(17);
    expect(p.claim(0, 30, 1000)).toEqual([]);
    // Scrolled to 500: pages 0–2 are far away and go when the new rows arrive.
    const [c] = p.claim(500, 505, 1000);
    p.store(c!.from, rows(c!.from, c!.to), 500, 505);
    expect(p.get(17)).toBeUndefined();
    expect(p.size).toBe(10);
    expect(p.claim(0, 10, 1000)).toHaveLength(1);
  });

  it('gives the page-aligned span of a window', () => {
    const p = new RowPages<number>(50, 0);
    expect(p.span(30, 120, 1000)).toEqual({ from: 0, to: 150 });
    expect(p.span(30, 120, 110)).toEqual({ from: 0, to: 110 });
    expect(p.span(0, 0, 0)).toEqual({ from: 0, to: 0 });
    expect(() => new RowPages(0, 1)).toThrow(RangeError);
  });
});
