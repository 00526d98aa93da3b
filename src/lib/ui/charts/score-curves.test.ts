import { describe, expect, it } from 'vitest';
import {
  binRadius,
  nearestPoint,
  pointReadout,
  prOperatingPoint,
  prSeries,
  reliabilitySeries,
  rocOperatingPoint,
  rocSeries,
  stepPoint,
  unitLayout,
  unitPath,
  unitSummary,
  UNIT_MARGIN,
} from './score-curves.ts';

const roc = [
  { x: [0, 0, 0.5, 1], y: [0, 0.5, 1, 1] },
  { x: [], y: [] },
];
const micro = { x: [0, 0.25, 1], y: [0, 0.75, 1] };
const confusion = [
  { tn: 3, fp: 1, fn: 1, tp: 3 },
  { tn: 8, fp: 0, fn: 0, tp: 0 },
];

describe('unitLayout', () => {
  const width = 300 + UNIT_MARGIN.left + UNIT_MARGIN.right;
  const height = 200 + UNIT_MARGIN.top + UNIT_MARGIN.bottom;
  const series = rocSeries(['a', 'b'], roc, micro, confusion);
  it('maps the unit square onto the inner area, y upwards, with a diagonal reference', () => {
    const l = unitLayout('roc', series, width, height);
    expect([l.innerWidth, l.innerHeight]).toEqual([300, 200]);
    expect([l.x(0), l.y(0), l.x(1), l.y(1)]).toEqual([0, 200, 300, 0]);
    expect(l.reference).toEqual({ x1: 0, y1: 200, x2: 300, y2: 0 });
    // Label b has no ROC curve (one class only): no path for it.
    expect(l.paths.map((p) => [p.label, p.dashed])).toEqual([
      ['a', false],
      ['micro (all labels)', true],
    ]);
    expect(l.dots).toEqual([]); // no markers when every series is shown
  });
  it('draws only the focused series, with the decision point from its confusion counts', () => {
    const l = unitLayout('roc', series, width, height, 0);
    expect(l.paths).toHaveLength(1);
    expect(l.paths[0]!.d).toBe('M0,200L0,100L150,0L300,0');
    expect(l.dots).toEqual([
      { label: 'a', color: series[0]!.color, cx: 75, cy: 50, r: 5, operating: true },
    ]);
  });
  it('a precision–recall chart has no diagonal and steps between points', () => {
    const pr = prSeries(['a'], [{ x: [1, 0.5, 0], y: [0.5, 1, 1] }], micro);
    const l = unitLayout('pr', pr, width, height, 0);
    expect(l.reference).toBeNull();
    // Precision 0.5 holds from recall 1 down to 0.5, then jumps to 1 (sklearn's step AP); d3's
    // step curve repeats the last point.
    expect(l.paths[0]!.d).toBe('M300,100L150,100L150,0L0,0L0,0');
  });
  it('sizes reliability markers by their count (largest bin: radius 7)', () => {
    const bins = [
      { lower: 0, upper: 0.5, meanPredicted: 0.2, observed: 0.1, count: 100 },
      { lower: 0.5, upper: 1, meanPredicted: 0.8, observed: 0.9, count: 25 },
    ];
    const s = reliabilitySeries(['a'], bins, [bins]);
    const l = unitLayout('reliability', s, width, height, 1);
    expect(l.dots.map((d) => d.r)).toEqual([7, 4.5]);
    expect(l.paths[0]!.dashed).toBe(true);
  });
});

describe('score curve helpers', () => {
  it('operating points: ROC (fpr, tpr) and PR (recall, precision); undefined rates give null', () => {
    expect(rocOperatingPoint(confusion[0]!)).toEqual({ x: 0.25, y: 0.75 });
    expect(prOperatingPoint(confusion[0]!)).toEqual({ x: 0.75, y: 0.75 });
    expect(rocOperatingPoint(confusion[1]!)).toBeNull();
    expect(prOperatingPoint(confusion[1]!)).toBeNull();
  });
  it('marker radius grows with the square root of the count', () => {
    expect(binRadius(0, 0)).toBe(2);
    expect(binRadius(25, 100)).toBe(4.5);
  });
  it('arrow keys step through points, Home and End jump, others are ignored', () => {
    expect(stepPoint('ArrowRight', null, 4)).toBe(0);
    expect(stepPoint('ArrowLeft', null, 4)).toBe(3);
    expect(stepPoint('ArrowRight', 3, 4)).toBe(3);
    expect(stepPoint('Home', 2, 4)).toBe(0);
    expect(stepPoint('End', 0, 4)).toBe(3);
    expect(stepPoint('a', 0, 4)).toBeNull();
    expect(stepPoint('ArrowRight', null, 0)).toBeNull();
  });
  it('finds the nearest point and reads it out', () => {
    const s = rocSeries(['a'], roc, micro)[0]!;
    expect(nearestPoint(s, 0.45, 0.9)).toBe(2);
    expect(nearestPoint({ ...s, x: [], y: [] }, 0.5, 0.5)).toBeNull();
    expect(pointReadout('roc', s, 2)).toBe(
      'a: false positive rate 0.500, true positive rate 1.000',
    );
    const bins = [{ lower: 0, upper: 1, meanPredicted: 0.4, observed: 0.5, count: 1200 }];
    expect(pointReadout('reliability', reliabilitySeries([], bins, [])[0]!, 0)).toBe(
      'all labels: mean predicted probability 0.400, observed frequency 0.500, 1,200 predictions',
    );
  });
  it('summarises every series, an undefined curve included', () => {
    const text = unitSummary('roc', rocSeries(['a', 'b'], roc, micro), [0.875, null, 0.8]);
    expect(text).toBe(
      'ROC curves on the test split, true positive rate against false positive rate. ' +
        'a: AUC 0.875; b: undefined (one class only); micro (all labels): AUC 0.800.',
    );
  });
  it('skips non-finite coordinates in a path', () => {
    const d = unitPath(
      { x: [0, NaN, 1], y: [0, 0.5, 1] },
      'roc',
      (v) => v * 10,
      (v) => 10 - v * 10,
    );
    expect(d).toBe('M0,10L10,0');
  });
});
