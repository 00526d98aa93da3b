/** PCA figures: the cumulative explained-variance curve and eigenposters as diverging-colour images. Pure. */
import { color } from 'd3-color';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { interpolateRdBu } from 'd3-scale-chromatic';
import { line } from 'd3-shape';

/** Running sum of the explained-variance ratios (capped at 1 against rounding). */
export function cumulativeVariance(ratios: readonly number[]): number[] {
  let sum = 0;
  return ratios.map((r) => (sum = Math.min(1, sum + (Number.isFinite(r) ? r : 0))));
}

/** The fewest components whose cumulative share reaches `target`, or null when the sketched ones never do. */
export function componentsReaching(ratios: readonly number[], target: number): number | null {
  const i = cumulativeVariance(ratios).findIndex((c) => c >= target - 1e-12);
  return i < 0 ? null : i + 1;
}

export const VARIANCE_MARGIN = { top: 10, right: 16, bottom: 38, left: 52 } as const;

/** Geometry of the cumulative explained-variance chart (x: number of components from 1, y: share 0–1). */
export interface VarianceLayout {
  innerWidth: number;
  innerHeight: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  path: string;
  points: { k: number; share: number; x: number; y: number }[];
  xTicks: number[];
  yTicks: number[];
  /** y of the target line (e.g. 90 %). */
  targetY: number;
  /** The chosen count's marker, when it lies on the curve. */
  chosen: { k: number; share: number; x: number; y: number } | null;
}

export function varianceLayout(
  ratios: readonly number[],
  target: number,
  chosen: number | null,
  width: number,
  height: number,
): VarianceLayout {
  const innerWidth = Math.max(10, width - VARIANCE_MARGIN.left - VARIANCE_MARGIN.right);
  const innerHeight = Math.max(10, height - VARIANCE_MARGIN.top - VARIANCE_MARGIN.bottom);
  const cum = cumulativeVariance(ratios);
  const x = scaleLinear()
    .domain([1, Math.max(2, cum.length)])
    .range([0, innerWidth]);
  const y = scaleLinear().domain([0, 1]).range([innerHeight, 0]);
  const points = cum.map((share, i) => ({ k: i + 1, share, x: x(i + 1), y: y(share) }));
  const gen = line<{ x: number; y: number }>()
    .x((p) => p.x)
    .y((p) => p.y);
  const c = chosen !== null ? points[chosen - 1] : undefined;
  return {
    innerWidth,
    innerHeight,
    x,
    y,
    path: gen(points) ?? '',
    points,
    xTicks: x.ticks(Math.min(8, Math.max(2, Math.floor(innerWidth / 60)))).filter(Number.isInteger),
    yTicks: [0, 0.25, 0.5, 0.75, 1],
    targetY: y(target),
    chosen: c ?? null,
  };
}

/** 256-entry RGB lookup of d3's RdBu, so colouring 14,800 pixels does not parse 14,800 colour strings. */
function rdbuTable(): Uint8Array {
  const t = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = color(interpolateRdBu(i / 255))!.rgb();
    t.set([Math.round(c.r), Math.round(c.g), Math.round(c.b)], i * 3);
  }
  return t;
}
let table: Uint8Array | null = null;

/** The RGB of value `v` on RdBu symmetric around 0: −extent red, 0 the neutral middle, +extent blue. */
export function divergingRgb(v: number, extent: number): [number, number, number] {
  table ??= rdbuTable();
  const t = extent > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / extent)) : 0;
  const i = Math.round(((t + 1) / 2) * 255) * 3;
  return [table[i]!, table[i + 1]!, table[i + 2]!];
}

/** Largest |v| of a component (its colour scale's extent, so each eigenposter uses the whole map). */
export function absExtent(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** A component as ImageData-ready RGBA bytes (opaque), coloured symmetric around 0 by its own |max|. */
export function componentRgba(values: readonly number[]): Uint8ClampedArray {
  const extent = absExtent(values);
  const out = new Uint8ClampedArray(values.length * 4);
  values.forEach((v, p) => {
    const [r, g, b] = divergingRgb(v, extent);
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = 255;
  });
  return out;
}

/** "3.2 %" share of one component. */
export const shareText = (r: number): string =>
  Number.isFinite(r) ? `${(100 * r).toFixed(r < 0.1 ? 1 : 0)} %` : 'n/a';

/** The chart's text: shares of the first and all components, and how the kept count meets the target. */
export function varianceSummary(
  ratios: readonly number[],
  target: number,
  chosen: number | null,
): string {
  const cum = cumulativeVariance(ratios);
  const head =
    `Cumulative explained variance of ${ratios.length} principal components: ` +
    `${shareText(ratios[0] ?? NaN)} for the first, ${shareText(cum.at(-1) ?? NaN)} for all`;
  const kept = chosen === null ? undefined : cum[chosen - 1];
  if (kept === undefined) return `${head}.`;
  const verb = kept >= target - 1e-12 ? 'reach' : 'reach only';
  return `${head}; ${chosen} components kept ${verb} ${shareText(kept)}, for a ${shareText(target)} target.`;
}
