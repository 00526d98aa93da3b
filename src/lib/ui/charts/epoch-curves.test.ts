import { describe, expect, it } from 'vitest';
import {
  CURVE_MARGIN,
  LOSS_SHARE,
  PANEL_GAP,
  accuracyDomain,
  allEpochs,
  curvePath,
  curvesLayout,
  curvesSummary,
  epochDomain,
  lossDomain,
  nearestEpoch,
  readoutAt,
  seriesColor,
  type EpochCurveSeries,
} from './epoch-curves.ts';

const fit = (label: string, rows: [number, number, number, number][]): EpochCurveSeries => ({
  label,
  epochs: rows.map(([epoch, loss, valLoss, valAccuracy]) => ({
    epoch,
    loss,
    valLoss,
    valAccuracy,
  })),
});

const grid = fit('grid 1/2', [
  [1, 0.7, 0.68, 0.61],
  [2, 0.55, 0.6, 0.7],
]);
const final = fit('final', [
  [1, 0.69, 0.66, 0.64],
  [2, 0.5, 0.58, 0.72],
  [3, 0.41, 0.59, 0.74],
]);

describe('domains', () => {
  it('spans the epochs of every series', () => {
    expect(epochDomain([grid, final])).toEqual([1, 3]);
  });
  it('widens a single epoch to one unit and falls back when empty', () => {
    expect(epochDomain([fit('a', [[4, 1, 1, 0.5]])])).toEqual([4, 5]);
    expect(epochDomain([])).toEqual([1, 2]);
  });
  it('starts the loss axis at 0 and rounds the top up past the largest loss', () => {
    const [lo, hi] = lossDomain([grid, final]);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(0.7);
    expect(hi).toBeLessThanOrEqual(0.8); // d3 nice(4) of [0, 0.7] → 0.8 (ticks of 0.2)
  });
  it('ignores NaN losses (no validation part) and infinite ones', () => {
    const [, hi] = lossDomain([
      fit('x', [
        [1, 0.3, NaN, NaN],
        [2, Infinity, NaN, NaN],
      ]),
    ]);
    expect(hi).toBeCloseTo(0.3, 12);
  });
  it('pads accuracy to tenths inside [0, 1]', () => {
    expect(accuracyDomain([grid, final])).toEqual([0.5, 0.8]); // 0.61−0.02 → 0.5, 0.74+0.02 → 0.8
    expect(accuracyDomain([fit('p', [[1, 1, 1, 0.995]])])).toEqual([0.9, 1]);
    expect(accuracyDomain([fit('n', [[1, 1, 1, NaN]])])).toEqual([0, 1]);
  });
});

describe('curvePath', () => {
  const x = (e: number) => e * 10;
  const y = (v: number) => 100 - v * 100;
  it('draws one segment per consecutive pair of epochs', () => {
    expect(curvePath(final.epochs, (e) => e.loss, x, y)).toBe('M10,31L20,50L30,59');
  });
  it('leaves a gap at a NaN value and draws nothing when all are NaN', () => {
    const s = fit('g', [
      [1, 0.5, 0.5, 0],
      [2, NaN, 0.5, 0],
      [3, 0.2, 0.5, 0],
    ]);
    expect(curvePath(s.epochs, (e) => e.loss, x, y)).toBe('M10,50ZM30,80Z');
    expect(curvePath(s.epochs, () => NaN, x, y)).toBe('');
  });
});

describe('curvesLayout', () => {
  const domains = {
    epochs: epochDomain([final]),
    loss: lossDomain([final]),
    accuracy: accuracyDomain([final]),
  };
  const l = curvesLayout([grid, final], 400, 300, domains);
  it('splits the plot height between the panels with a gap', () => {
    const plot = 300 - CURVE_MARGIN.top - CURVE_MARGIN.bottom - PANEL_GAP;
    expect(l.lossHeight).toBe(Math.round(plot * LOSS_SHARE));
    expect(l.accTop).toBe(l.lossHeight + PANEL_GAP);
    expect(l.lossHeight + l.accHeight).toBe(plot);
    expect(l.innerWidth).toBe(400 - CURVE_MARGIN.left - CURVE_MARGIN.right);
  });
  it('maps the first and last epoch to the plot edges and loss 0 to the panel bottom', () => {
    expect(l.x(1)).toBe(0);
    expect(l.x(3)).toBe(l.innerWidth);
    expect(l.yLoss(0)).toBe(l.lossHeight);
    expect(l.yAcc(domains.accuracy[1])).toBe(0);
  });
  it('has integer epoch ticks only and one coloured line set per series', () => {
    expect(l.xTicks.every(Number.isInteger)).toBe(true);
    expect(l.xTicks).toEqual([1, 2, 3]);
    expect(l.lines.map((s) => [s.label, s.color])).toEqual([
      ['grid 1/2', seriesColor(0)],
      ['final', seriesColor(1)],
    ]);
    expect(l.lines[1]!.valLoss.startsWith('M0,')).toBe(true);
  });
  it('cycles colours after ten series', () => {
    expect(seriesColor(10)).toBe(seriesColor(0));
    expect(seriesColor(1)).not.toBe(seriesColor(0));
  });
});

describe('readout and summary', () => {
  it('snaps to the nearest epoch any series has', () => {
    expect(nearestEpoch([grid, final], 2.6)).toBe(3);
    expect(nearestEpoch([grid, final], -5)).toBe(1);
    expect(nearestEpoch([], 2)).toBeNull();
    expect(allEpochs([grid, final])).toEqual([1, 2, 3]);
  });
  it('reads out only the series that reached the epoch', () => {
    expect(readoutAt([grid, final], 3)).toEqual([
      'final: loss 0.410, val loss 0.590, val accuracy 74.0 %',
    ]);
    expect(readoutAt([grid, final], 1)).toHaveLength(2);
  });
  it('summarises first and last loss, best validation loss and last accuracy', () => {
    expect(curvesSummary([final])).toBe(
      'Training curves of 1 fit. final: 3 epochs, training loss 0.690 → 0.410, lowest validation loss 0.580 at epoch 2, validation accuracy 74.0 % at epoch 3.',
    );
    expect(curvesSummary([{ label: 'final', epochs: [] }])).toBe('Training curves: no epochs yet.');
  });
  it('says n/a without a validation part', () => {
    expect(curvesSummary([fit('f', [[1, 0.5, NaN, NaN]])])).toBe(
      'Training curves of 1 fit. f: 1 epoch, training loss 0.500 → 0.500, validation accuracy n/a at epoch 1.',
    );
  });
});
