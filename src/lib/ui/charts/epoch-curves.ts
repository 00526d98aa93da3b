/** Geometry and text of the per-epoch training curves chart (loss panel above, validation accuracy below). Pure. */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

/** One epoch's numbers; valLoss/valAccuracy are NaN when the fit had no validation part. */
export interface EpochPoint {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
}

/** One fit's curves ('grid 1/4', 'final', …). */
export interface EpochCurveSeries {
  label: string;
  epochs: readonly EpochPoint[];
}

/** Plot margins in px; the left one holds the y tick labels and axis titles. */
export const CURVE_MARGIN = { top: 8, right: 12, bottom: 34, left: 58 } as const;
/** Px between the loss panel and the accuracy panel. */
export const PANEL_GAP = 26;
/** Share of the plot height given to the loss panel (the accuracy panel gets the rest). */
export const LOSS_SHARE = 0.62;

/**
 * Series colours for the dark panel: the app's accents first (light blue, yellow, green), then
 * bright hues; Tableau 10's first colours (#4e79a7 …) are too dim on --panel.
 */
export const SERIES_COLORS = [
  '#5fb3ff',
  '#f5c518',
  '#5fd38d',
  '#ff8a65',
  '#c792ea',
  '#4dd0e1',
  '#f78fb3',
  '#c5e478',
  '#ffcb8b',
  '#b0bec5',
] as const;

/** The colour of series `i` (cycles after 10 fits). */
export const seriesColor = (i: number): string => SERIES_COLORS[i % SERIES_COLORS.length]!;

const finite = (vs: Iterable<number>) => [...vs].filter((v) => Number.isFinite(v));

/** Epochs covered by any series; a single epoch still spans one unit so its point is centred-left, not collapsed. */
export function epochDomain(series: readonly EpochCurveSeries[]): [number, number] {
  const es = finite(series.flatMap((s) => s.epochs.map((e) => e.epoch)));
  if (!es.length) return [1, 2];
  const lo = Math.min(...es);
  return [lo, Math.max(lo + 1, Math.max(...es))];
}

/** Loss axis: 0 to the largest finite training or validation loss, rounded up to a nice value. */
export function lossDomain(series: readonly EpochCurveSeries[]): [number, number] {
  const vs = finite(series.flatMap((s) => s.epochs.flatMap((e) => [e.loss, e.valLoss])));
  const hi = vs.length ? Math.max(...vs) : 1;
  const d = scaleLinear()
    .domain([0, hi > 0 ? hi : 1])
    .nice(4)
    .domain();
  return [d[0]!, d[1]!];
}

/** Accuracy axis: the finite accuracies padded by 0.02 and widened to tenths, within [0, 1]. */
export function accuracyDomain(series: readonly EpochCurveSeries[]): [number, number] {
  const vs = finite(series.flatMap((s) => s.epochs.map((e) => e.valAccuracy)));
  if (!vs.length) return [0, 1];
  const lo = Math.max(0, Math.floor((Math.min(...vs) - 0.02) * 10) / 10);
  const hi = Math.min(1, Math.ceil((Math.max(...vs) + 0.02) * 10) / 10);
  return [lo, hi > lo ? hi : Math.min(1, lo + 0.1)];
}

/** An SVG path through the finite values (gaps where a value is NaN); '' when none is finite. */
export function curvePath(
  epochs: readonly EpochPoint[],
  value: (e: EpochPoint) => number,
  x: (epoch: number) => number,
  y: (v: number) => number,
): string {
  const gen = line<EpochPoint>()
    .defined((e) => Number.isFinite(value(e)) && Number.isFinite(e.epoch))
    .x((e) => x(e.epoch))
    .y((e) => y(value(e)));
  return gen(epochs as EpochPoint[]) ?? '';
}

/** Pixel geometry of both panels for the given (possibly tweened) domains. */
export interface CurvesLayout {
  innerWidth: number;
  lossHeight: number;
  accTop: number;
  accHeight: number;
  x: ScaleLinear<number, number>;
  yLoss: ScaleLinear<number, number>;
  yAcc: ScaleLinear<number, number>;
  xTicks: number[];
  lossTicks: number[];
  accTicks: number[];
  lines: { label: string; color: string; loss: string; valLoss: string; valAccuracy: string }[];
}

/** Lays the chart out in `width` × `height` px with the given domains (pass the *Domain() results, or tweens of them). */
export function curvesLayout(
  series: readonly EpochCurveSeries[],
  width: number,
  height: number,
  domains: { epochs: [number, number]; loss: [number, number]; accuracy: [number, number] },
): CurvesLayout {
  const innerWidth = Math.max(10, width - CURVE_MARGIN.left - CURVE_MARGIN.right);
  const plot = Math.max(20, height - CURVE_MARGIN.top - CURVE_MARGIN.bottom - PANEL_GAP);
  const lossHeight = Math.round(plot * LOSS_SHARE);
  const accHeight = plot - lossHeight;
  const accTop = lossHeight + PANEL_GAP;
  const x = scaleLinear().domain(domains.epochs).range([0, innerWidth]);
  const yLoss = scaleLinear().domain(domains.loss).range([lossHeight, 0]);
  const yAcc = scaleLinear().domain(domains.accuracy).range([accHeight, 0]);
  // Whole epochs only: fractional epoch ticks mean nothing.
  const xTicks = x
    .ticks(Math.min(8, Math.max(2, Math.floor(innerWidth / 70))))
    .filter(Number.isInteger);
  return {
    innerWidth,
    lossHeight,
    accTop,
    accHeight,
    x,
    yLoss,
    yAcc,
    xTicks,
    lossTicks: yLoss.ticks(4),
    accTicks: yAcc.ticks(3),
    lines: series.map((s, i) => ({
      label: s.label,
      color: seriesColor(i),
      loss: curvePath(s.epochs, (e) => e.loss, x, yLoss),
      valLoss: curvePath(s.epochs, (e) => e.valLoss, x, yLoss),
      valAccuracy: curvePath(s.epochs, (e) => e.valAccuracy, x, yAcc),
    })),
  };
}

/** The epoch nearest to `epoch` that some series has (for hover and arrow keys), or null when there are none. */
export function nearestEpoch(series: readonly EpochCurveSeries[], epoch: number): number | null {
  let best: number | null = null;
  for (const s of series)
    for (const e of s.epochs)
      if (best === null || Math.abs(e.epoch - epoch) < Math.abs(best - epoch)) best = e.epoch;
  return best;
}

/** Sorted distinct epochs of all series. */
export function allEpochs(series: readonly EpochCurveSeries[]): number[] {
  return [...new Set(series.flatMap((s) => s.epochs.map((e) => e.epoch)))].sort((a, b) => a - b);
}

const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : 'n/a');

/** One line per series that has `epoch`: "final: loss 0.612, val loss 0.598, val accuracy 71.4 %". */
export function readoutAt(series: readonly EpochCurveSeries[], epoch: number): string[] {
  return series.flatMap((s) => {
    const e = s.epochs.find((p) => p.epoch === epoch);
    return e
      ? [
          `${s.label}: loss ${num(e.loss)}, val loss ${num(e.valLoss)}, val accuracy ${pct(e.valAccuracy)}`,
        ]
      : [];
  });
}

/** A text summary for screen readers: per series, epochs, first → last loss, best validation loss and last accuracy. */
export function curvesSummary(series: readonly EpochCurveSeries[]): string {
  const withData = series.filter((s) => s.epochs.length);
  if (!withData.length) return 'Training curves: no epochs yet.';
  const parts = withData.map((s) => {
    const first = s.epochs[0]!;
    const last = s.epochs.at(-1)!;
    const vals = s.epochs.filter((e) => Number.isFinite(e.valLoss));
    const bestVal = vals.reduce<EpochPoint | null>(
      (b, e) => (!b || e.valLoss < b.valLoss ? e : b),
      null,
    );
    const n = s.epochs.length;
    return (
      `${s.label}: ${n} epoch${n === 1 ? '' : 's'}, training loss ${num(first.loss)} → ${num(last.loss)}` +
      (bestVal
        ? `, lowest validation loss ${num(bestVal.valLoss)} at epoch ${bestVal.epoch}`
        : '') +
      `, validation accuracy ${pct(last.valAccuracy)} at epoch ${last.epoch}`
    );
  });
  return `Training curves of ${withData.length} fit${withData.length === 1 ? '' : 's'}. ${parts.join('; ')}.`;
}
