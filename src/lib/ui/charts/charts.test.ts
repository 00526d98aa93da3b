import { describe, expect, it } from 'vitest';
import { interpolateRdBu } from 'd3-scale-chromatic';
import { categoryLabels, groupedBars, wrapLabel } from './bars.ts';
import {
  correlationColor,
  dendrogramPaths,
  heatmapLayout,
  legendStops,
  offDiagonalExtent,
} from './heatmap.ts';

describe('groupedBars', () => {
  it('scales bars to the tallest value plus its error and places whiskers', () => {
    const g = groupedBars(
      ['a', 'b'],
      [{ name: 's', values: [50, 100], errors: [0, 0], color: 'red' }],
      200,
      100,
    );
    const b = g.bars.find((x) => x.category === 'b')!;
    expect(b.height).toBeCloseTo(100, 9); // 100 is the nice top of the domain
    expect(g.bars.find((x) => x.category === 'a')!.height).toBeCloseTo(50, 9);
    expect(b.whisker).toEqual({ x: b.x + b.width / 2, y1: 0, y2: 0 });
  });
});

describe('heatmap', () => {
  it('lays cells out in dendrogram order', () => {
    const l = heatmapLayout([2, 0, 1], 300);
    expect(l.x(2)).toBe(0);
    expect(l.x(1)).toBeGreaterThan(l.x(0));
  });
  it('colours correlation on a diverging scale', () => {
    expect(correlationColor(0)).toBe(interpolateRdBu(0.5)); // the scale's neutral midpoint
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    expect(rgb(correlationColor(0.8))[2]!).toBeGreaterThan(rgb(correlationColor(0.8))[0]!); // positive: blue
    expect(rgb(correlationColor(-0.8))[0]!).toBeGreaterThan(rgb(correlationColor(-0.8))[2]!); // negative: red
    expect(correlationColor(NaN)).toBe('#555');
    expect(correlationColor(0.3, 0.3)).toBe(correlationColor(1, 1)); // the extent maps to the scale's end
    expect(
      offDiagonalExtent([
        [1, -0.4],
        [-0.4, 1],
      ]),
    ).toBeCloseTo(0.4, 12);
  });
  it('draws one elbow per merge, joining at the merge height', () => {
    const tree = {
      n: 3,
      merges: [
        { left: 0, right: 1, height: 0.5, size: 2 },
        { left: 2, right: 3, height: 1, size: 3 },
      ],
      order: [0, 1, 2],
    };
    const paths = dendrogramPaths(tree, (i) => i * 10, 100);
    expect(paths).toEqual(['M0,100V50H10V100', 'M20,100V0H5V50']);
  });
});

describe('category names', () => {
  it('wraps a name at spaces into lines of at most maxChars, keeping every word', () => {
    expect(wrapLabel('Crime, Mystery, Thriller, Drama & Horror', 16)).toEqual([
      'Crime, Mystery,',
      'Thriller, Drama',
      '& Horror',
    ]);
    expect(wrapLabel('Documentary', 4)).toEqual(['Documentary']);
  });

  it('wraps the seven group names in full under 100 px bars', () => {
    const groups = [
      'War & History',
      'Crime, Mystery, Thriller, Drama & Horror',
      'Science Fiction, Action & Adventure',
    ];
    const l = categoryLabels(groups, 100);
    expect(l.mode).toBe('wrap');
    if (l.mode !== 'wrap') return;
    expect(l.lines.map((x) => x.join(' '))).toEqual(groups);
    expect(l.height).toBe(10 + 13 * 3);
  });

  it('rotates full names when the bars are too narrow to wrap them', () => {
    const l = categoryLabels(['Science Fiction, Action & Adventure', 'Comedy'], 30);
    expect(l.mode).toBe('rotate');
    expect(l.height).toBeGreaterThan(100); // 35 characters at 35°
    expect(l.firstLeftPx).toBeGreaterThan(150);
  });
});

describe('heatmap legend', () => {
  it('runs from −extent (red) through 0 to +extent (blue), the cells’ own colours', () => {
    const stops = legendStops(0.3, 5);
    [-0.3, -0.15, 0, 0.15, 0.3].forEach((v, k) => expect(stops[k]!.value).toBeCloseTo(v, 12));
    expect(stops[0]!.color).toBe(correlationColor(-0.3, 0.3));
    expect(stops[4]!.color).toBe(correlationColor(0.3, 0.3));
  });
});
