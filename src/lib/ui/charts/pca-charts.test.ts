import { describe, expect, it } from 'vitest';
import {
  VARIANCE_MARGIN,
  absExtent,
  componentRgba,
  componentsReaching,
  cumulativeVariance,
  divergingRgb,
  shareText,
  varianceLayout,
  varianceSummary,
} from './pca-charts.ts';

const ratios = [0.5, 0.25, 0.125, 0.0625, 0.03125];

describe('cumulativeVariance', () => {
  it('sums the ratios in order', () => {
    expect(cumulativeVariance(ratios)).toEqual([0.5, 0.75, 0.875, 0.9375, 0.96875]);
  });
  it('caps at 1 and treats NaN as 0', () => {
    expect(cumulativeVariance([0.7, 0.4, NaN])).toEqual([0.7, 1, 1]);
  });
  it('finds the fewest components reaching a target, or null', () => {
    expect(componentsReaching(ratios, 0.9)).toBe(4);
    expect(componentsReaching(ratios, 0.875)).toBe(3); // reaching exactly counts
    expect(componentsReaching(ratios, 0.99)).toBeNull();
  });
});

describe('varianceLayout', () => {
  const l = varianceLayout(ratios, 0.9, 4, 300, 200);
  it('puts component 1 at the left edge and the last at the right', () => {
    expect(l.points[0]!.x).toBe(0);
    expect(l.points.at(-1)!.x).toBe(300 - VARIANCE_MARGIN.left - VARIANCE_MARGIN.right);
  });
  it('maps shares to heights with 0 at the bottom', () => {
    expect(l.y(0)).toBe(l.innerHeight);
    expect(l.points[0]!.y).toBeCloseTo(l.innerHeight / 2, 9);
    expect(l.targetY).toBeCloseTo(l.innerHeight * 0.1, 9);
  });
  it('marks the chosen count on the curve, and none when out of range', () => {
    expect(l.chosen).toMatchObject({ k: 4, share: 0.9375 });
    expect(varianceLayout(ratios, 0.9, 9, 300, 200).chosen).toBeNull();
    expect(varianceLayout(ratios, 0.9, null, 300, 200).chosen).toBeNull();
  });
  it('draws one path vertex per component and whole-number ticks', () => {
    expect(l.path.match(/[ML]/g)).toHaveLength(5);
    expect(l.xTicks.every(Number.isInteger)).toBe(true);
  });
});

describe('diverging colours', () => {
  // Ref: d3-scale-chromatic interpolateRdBu(0) = rgb(103, 0, 31), (1) = rgb(5, 48, 97),
  // (128/255) = rgb(241, 239, 238) (node -e with d3-scale-chromatic 3).
  it('maps −extent to RdBu red, +extent to RdBu blue and 0 to the near-white middle', () => {
    expect(divergingRgb(-2, 2)).toEqual([103, 0, 31]);
    expect(divergingRgb(2, 2)).toEqual([5, 48, 97]);
    expect(divergingRgb(0, 2)).toEqual([241, 239, 238]);
  });
  it('is symmetric around 0 and clamps beyond the extent', () => {
    expect(divergingRgb(5, 1)).toEqual(divergingRgb(1, 1));
    expect(divergingRgb(-0.5, 1)).not.toEqual(divergingRgb(0.5, 1));
    expect(divergingRgb(NaN, 1)).toEqual(divergingRgb(0, 1));
    expect(divergingRgb(0.3, 0)).toEqual(divergingRgb(0, 1)); // a zero component is all neutral
  });
  it('colours a component by its own largest |value|, opaque RGBA per pixel', () => {
    const px = componentRgba([0.01, -0.04, 0, 0.02]);
    expect(absExtent([0.01, -0.04, 0, 0.02])).toBe(0.04);
    expect(px).toHaveLength(16);
    expect([...px.slice(4, 8)]).toEqual([103, 0, 31, 255]); // −0.04 is the extent: full red
    expect([...px.slice(8, 12)]).toEqual([241, 239, 238, 255]);
    expect(px[15]).toBe(255);
  });
  it('formats shares with one decimal below 10 %', () => {
    expect(shareText(0.1234)).toBe('12 %');
    expect(shareText(0.0321)).toBe('3.2 %');
  });
});

describe('varianceSummary', () => {
  it('says the kept count reaches the target', () => {
    expect(varianceSummary(ratios, 0.9, 4)).toBe(
      'Cumulative explained variance of 5 principal components: 50 % for the first, 97 % for all; 4 components kept reach 94 %, for a 90 % target.',
    );
  });
  it('says when every computed component is kept and the target is still missed', () => {
    expect(varianceSummary(ratios, 0.99, 5)).toMatch(
      /5 components kept reach only 97 %, for a 99 % target\.$/,
    );
    expect(varianceSummary(ratios, 0.9, null)).toMatch(/97 % for all\.$/);
  });
});
