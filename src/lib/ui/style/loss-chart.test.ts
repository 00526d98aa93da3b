import { describe, expect, it } from 'vitest';
import { formatLoss, lossChart } from './loss-chart.ts';

describe('lossChart', () => {
  it('places values on a log axis spanning whole decades, each decade the same height', () => {
    const { lines, yTicks } = lossChart(
      [{ name: 'total', color: 'red', values: [1e10, 1e9, 2e8] }],
      300,
      300,
    );
    // Domain 1e8 … 1e10: two decades over 300 px, 150 px each; the first point sits at the top.
    expect(yTicks.map((t) => t.value)).toEqual([1e8, 1e9, 1e10]);
    yTicks.forEach((t, k) => expect(t.y).toBeCloseTo([300, 150, 0][k]!, 9));
    const pts = lines[0]!.points;
    expect(pts.map((p) => p.x)).toEqual([0, 150, 300]);
    expect(pts[1]!.y).toBeCloseTo(150, 9);
    // log10(2e8) = 8.301: 0.301 of a decade above the bottom.
    expect(pts[2]!.y).toBeCloseTo(300 - 0.30103 * 150, 3);
  });

  it('leaves zero and non-finite values out of their line', () => {
    const { lines } = lossChart(
      [{ name: 'content', color: 'blue', values: [0, 5e6, NaN, 8e6] }],
      100,
      100,
    );
    expect(lines[0]!.points.map((p) => p.i)).toEqual([1, 3]);
    expect(lines[0]!.path.split(' ').length).toBe(2);
  });

  it('thins decade ticks when the data spans many decades', () => {
    const { yTicks } = lossChart([{ name: 't', color: 'k', values: [1e12, 1] }], 100, 100);
    expect(yTicks.length).toBeLessThanOrEqual(7);
    expect(yTicks[0]!.value).toBe(1);
  });
});

describe('formatLoss', () => {
  it('writes large and small losses with an exponent, mid-range ones plainly', () => {
    expect(formatLoss(3.2e9)).toBe('3.2e9');
    expect(formatLoss(1e8)).toBe('1e8');
    expect(formatLoss(12.5)).toBe('12.5');
    expect(formatLoss(0)).toBe('0');
  });
});
