import { describe, expect, it } from 'vitest';
import { LOW_ALPHA, PEAK_ALPHA, heatLegendGradient, heatPixels, heatRgba } from './saliency.ts';

describe('heatRgba', () => {
  it('dims the poster where the map is 0 and is most opaque (and hottest) at its peak', () => {
    expect(heatRgba(0)).toEqual([0, 0, 4, Math.round(255 * LOW_ALPHA)]);
    expect(heatRgba(1)[3]).toBe(Math.round(255 * PEAK_ALPHA));
    expect(heatRgba(1)[0]).toBeGreaterThan(240); // inferno's yellow
  });
  it('gets more opaque and brighter as the value rises', () => {
    const [lo, mid, hi] = [0.3, 0.6, 1].map(heatRgba);
    expect(lo![3]).toBeLessThan(mid![3]);
    expect(mid![3]).toBeLessThan(hi![3]);
    const lum = (c: number[]) => c[0]! + c[1]! + c[2]!;
    expect(lum(lo!)).toBeLessThan(lum(hi!));
  });
  it('clamps out-of-range and NaN values', () => {
    expect(heatRgba(2)).toEqual(heatRgba(1));
    expect(heatRgba(Number.NaN)).toEqual(heatRgba(0));
  });
});

describe('heatPixels', () => {
  it('gives 4 bytes per cell in row-major order', () => {
    const px = heatPixels([0, 1, 0, 0.5], 2, 2);
    expect(px).toHaveLength(16);
    expect(Array.from(px.slice(4, 8))).toEqual(heatRgba(1));
    expect(Array.from(px.slice(0, 4))).toEqual(heatRgba(0));
  });
  it('refuses a map of the wrong size', () => {
    expect(() => heatPixels([1, 2, 3], 2, 2)).toThrow(/2×2 map needs 4 values, got 3/);
  });
});

describe('heatLegendGradient', () => {
  it('runs from the veil to the peak colour', () => {
    const g = heatLegendGradient(4);
    expect(g).toMatch(/^linear-gradient\(to right, rgba\(0, 0, 4, 0\.50\) 0%/);
    expect(g).toContain(`${PEAK_ALPHA.toFixed(2)}) 100%)`);
  });
});
