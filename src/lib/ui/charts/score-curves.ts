/**
 * Geometry and text of the unit-square charts of a run's test scores: ROC curves, precision–recall
 * curves and the reliability diagram (x and y both in [0, 1]). Pure.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { curveLinear, curveStepAfter, line } from 'd3-shape';
import type { ConfusionCounts, CurvePoints, ReliabilityBin } from '../../metrics/index.ts';
import { seriesColor } from './epoch-curves.ts';

/** Which chart: the axes, the reference line and how points join differ. */
export type UnitChartKind = 'roc' | 'pr' | 'reliability';

/** Plot margins in px; the left one holds the y tick labels and the axis title. */
export const UNIT_MARGIN = { top: 8, right: 10, bottom: 40, left: 50 } as const;

/** Axis titles and the reference line's meaning per chart. */
export const UNIT_AXES: Record<UnitChartKind, { x: string; y: string; reference: string }> = {
  roc: { x: 'false positive rate', y: 'true positive rate', reference: 'chance (diagonal)' },
  pr: {
    x: 'recall',
    y: 'precision',
    reference: 'none (chance is each group’s share of positives)',
  },
  reliability: {
    x: 'mean predicted probability',
    y: 'observed frequency',
    reference: 'perfect calibration (diagonal)',
  },
};

/** One curve of a unit chart: a label's (or the pooled "micro") points in drawing order. */
export interface UnitSeries {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  /** Reliability bins: how many predictions each point stands for (sets the marker size). */
  counts?: readonly number[];
  /** Drawn dashed (the pooled micro curve). */
  dashed?: boolean;
  /** The run's decision point on this curve (ROC and PR of one label). */
  operating?: { x: number; y: number } | null;
}

/** The colour of the pooled curve (all labels together). */
export const MICRO_COLOR = 'var(--text)';

/** The ROC curves of a run: one per label with a curve, then the pooled micro curve (dashed). */
export function rocSeries(
  labels: readonly string[],
  roc: readonly CurvePoints[],
  micro: CurvePoints,
  confusion?: readonly ConfusionCounts[],
): UnitSeries[] {
  return [
    ...labels.map((label, i) => ({
      label,
      color: seriesColor(i),
      x: roc[i]?.x ?? [],
      y: roc[i]?.y ?? [],
      operating: confusion?.[i] ? rocOperatingPoint(confusion[i]) : null,
    })),
    { label: 'micro (all labels)', color: MICRO_COLOR, x: micro.x, y: micro.y, dashed: true },
  ];
}

/** The precision–recall curves of a run, as rocSeries. */
export function prSeries(
  labels: readonly string[],
  pr: readonly CurvePoints[],
  micro: CurvePoints,
  confusion?: readonly ConfusionCounts[],
): UnitSeries[] {
  return [
    ...labels.map((label, i) => ({
      label,
      color: seriesColor(i),
      x: pr[i]?.x ?? [],
      y: pr[i]?.y ?? [],
      operating: confusion?.[i] ? prOperatingPoint(confusion[i]) : null,
    })),
    { label: 'micro (all labels)', color: MICRO_COLOR, x: micro.x, y: micro.y, dashed: true },
  ];
}

/** Reliability bins as series: all cells pooled, then one per label. */
export function reliabilitySeries(
  labels: readonly string[],
  pooled: readonly ReliabilityBin[],
  perLabel: readonly (readonly ReliabilityBin[])[],
): UnitSeries[] {
  const of = (label: string, color: string, bins: readonly ReliabilityBin[], dashed = false) => ({
    label,
    color,
    x: bins.map((b) => b.meanPredicted),
    y: bins.map((b) => b.observed),
    counts: bins.map((b) => b.count),
    dashed,
  });
  return [
    ...labels.map((label, i) => of(label, seriesColor(i), perLabel[i] ?? [])),
    of('all labels', MICRO_COLOR, pooled, true),
  ];
}

/** Where the run's thresholds put a label on its ROC curve, or null when a rate is undefined. */
export function rocOperatingPoint(c: ConfusionCounts): { x: number; y: number } | null {
  const negatives = c.fp + c.tn;
  const positives = c.tp + c.fn;
  return negatives && positives ? { x: c.fp / negatives, y: c.tp / positives } : null;
}

/** Where the run's thresholds put a label on its precision–recall curve (null without positives or predictions). */
export function prOperatingPoint(c: ConfusionCounts): { x: number; y: number } | null {
  const positives = c.tp + c.fn;
  const predicted = c.tp + c.fp;
  return positives && predicted ? { x: c.tp / positives, y: c.tp / predicted } : null;
}

/** Pixel geometry of a unit chart. */
export interface UnitLayout {
  innerWidth: number;
  innerHeight: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  ticks: number[];
  /** The reference line from (x1, y1) to (x2, y2) in px, or null (PR: per label, not drawn). */
  reference: { x1: number; y1: number; x2: number; y2: number } | null;
  /** One path per shown series with points (series without any are left out). */
  paths: { label: string; color: string; d: string; dashed: boolean }[];
  /** Markers: reliability bins (radius by count) and operating points. */
  dots: { label: string; color: string; cx: number; cy: number; r: number; operating: boolean }[];
}

/** An SVG path through the points (PR curves step as scikit-learn's average precision counts them). */
export function unitPath(
  s: Pick<UnitSeries, 'x' | 'y'>,
  kind: UnitChartKind,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const idx = s.x
    .map((_, i) => i)
    .filter((i) => Number.isFinite(s.x[i]) && Number.isFinite(s.y[i]));
  const gen = line<number>()
    .x((i) => x(s.x[i]!))
    .y((i) => y(s.y[i]!))
    .curve(kind === 'pr' ? curveStepAfter : curveLinear);
  return gen(idx) ?? '';
}

/** Marker radius of a reliability bin: area proportional to its share of the largest bin. */
export function binRadius(count: number, maxCount: number): number {
  return maxCount > 0 ? 2 + 5 * Math.sqrt(count / maxCount) : 2;
}

/**
 * Lays a chart out in width × height px. `focus` (a series index) draws only that series with its
 * operating point; null draws every series without markers except reliability bins.
 */
export function unitLayout(
  kind: UnitChartKind,
  series: readonly UnitSeries[],
  width: number,
  height: number,
  focus: number | null = null,
): UnitLayout {
  const innerWidth = Math.max(10, width - UNIT_MARGIN.left - UNIT_MARGIN.right);
  const innerHeight = Math.max(10, height - UNIT_MARGIN.top - UNIT_MARGIN.bottom);
  const x = scaleLinear().domain([0, 1]).range([0, innerWidth]);
  const y = scaleLinear().domain([0, 1]).range([innerHeight, 0]);
  const shown = series.map((s, i) => ({ s, i })).filter(({ i }) => focus === null || i === focus);
  const maxCount = Math.max(0, ...shown.flatMap(({ s }) => s.counts ?? []));
  const dots: UnitLayout['dots'] = [];
  for (const { s } of shown) {
    if (s.counts)
      s.x.forEach((v, k) =>
        dots.push({
          label: s.label,
          color: s.color,
          cx: x(v),
          cy: y(s.y[k]!),
          r: binRadius(s.counts![k]!, maxCount),
          operating: false,
        }),
      );
    if (focus !== null && s.operating)
      dots.push({
        label: s.label,
        color: s.color,
        cx: x(s.operating.x),
        cy: y(s.operating.y),
        r: 5,
        operating: true,
      });
  }
  return {
    innerWidth,
    innerHeight,
    x,
    y,
    ticks: [0, 0.25, 0.5, 0.75, 1],
    reference: kind === 'pr' ? null : { x1: x(0), y1: y(0), x2: x(1), y2: y(1) },
    // A label with one class only has no ROC curve: no empty path element for it.
    paths: shown
      .map(({ s }) => ({
        label: s.label,
        color: s.color,
        d: unitPath(s, kind, x, y),
        dashed: !!s.dashed,
      }))
      .filter((p) => p.d !== ''),
    dots,
  };
}

const f3 = (v: number) => v.toFixed(3);

/** The readout of point k of a series, for the keyboard and pointer ("recall 0.500, precision 0.667"). */
export function pointReadout(kind: UnitChartKind, s: UnitSeries, k: number): string {
  const vx = s.x[k];
  const vy = s.y[k];
  if (vx === undefined || vy === undefined) return `${s.label}: no point`;
  const { x, y } = UNIT_AXES[kind];
  const count = s.counts?.[k];
  return (
    `${s.label}: ${x} ${f3(vx)}, ${y} ${f3(vy)}` +
    (count === undefined ? '' : `, ${count.toLocaleString('en')} predictions`)
  );
}

/** The index of the point of `s` nearest to (vx, vy) in data units, or null when it has none. */
export function nearestPoint(s: UnitSeries, vx: number, vy: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  s.x.forEach((px, k) => {
    const d = (px - vx) ** 2 + (s.y[k]! - vy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  });
  return best;
}

/** The next point index for a key (arrows step, Home/End jump), or null for other keys. */
export function stepPoint(key: string, current: number | null, length: number): number | null {
  if (length === 0) return null;
  const i = current ?? -1;
  if (key === 'ArrowRight' || key === 'ArrowUp') return Math.min(length - 1, i + 1);
  if (key === 'ArrowLeft' || key === 'ArrowDown') return Math.max(0, i < 0 ? length - 1 : i - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return length - 1;
  return null;
}

/** A sentence for screen readers: what the chart shows and each series' headline figure. */
export function unitSummary(
  kind: UnitChartKind,
  series: readonly UnitSeries[],
  figures: readonly (number | null)[],
): string {
  const name = {
    roc: 'ROC curves',
    pr: 'Precision–recall curves',
    reliability: 'Reliability diagram',
  }[kind];
  const figure = { roc: 'AUC', pr: 'average precision', reliability: 'expected calibration error' }[
    kind
  ];
  const parts = series.map((s, i) => {
    const v = figures[i];
    if (!s.x.length) return `${s.label}: undefined (one class only)`;
    return `${s.label}: ${figure} ${v === null || v === undefined ? 'n/a' : f3(v)}`;
  });
  return `${name} on the test split, ${UNIT_AXES[kind].y} against ${UNIT_AXES[kind].x}. ${parts.join('; ')}.`;
}
