import { scaleLinear, scaleLog } from 'd3-scale';

/** One loss term over iterations (iteration 0 = the initial image). */
export interface LossSeries {
  name: string;
  color: string;
  values: readonly number[];
}

/**
 * Geometry of the loss chart: a polyline per term on a log y axis, ticks at powers of ten.
 * Non-positive values (e.g. a content loss of 0 when the run starts from the content image) have no
 * place on a log scale and are left out of their line.
 */
export function lossChart(series: readonly LossSeries[], width: number, height: number) {
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const positive = series.flatMap((s) => s.values.filter((v) => v > 0 && Number.isFinite(v)));
  const lo = positive.length ? Math.min(...positive) : 1;
  const hi = positive.length ? Math.max(...positive) : 10;
  // Whole decades around the data keep tick labels round (1e8, 1e9 …).
  const y = scaleLog()
    .domain([
      10 ** Math.floor(Math.log10(lo)),
      10 ** Math.ceil(Math.log10(hi === lo ? hi * 10 : hi)),
    ])
    .range([height, 0]);
  const x = scaleLinear()
    .domain([0, n - 1])
    .range([0, width]);
  const lines = series.map((s) => {
    const points = s.values.flatMap((v, i) =>
      v > 0 && Number.isFinite(v) ? [{ i, v, x: x(i), y: y(v) }] : [],
    );
    return {
      name: s.name,
      color: s.color,
      points,
      path: points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '),
    };
  });
  const [d0, d1] = y.domain() as [number, number];
  const decades = Math.round(Math.log10(d1 / d0));
  // At most ~6 labelled decades; skip every other one beyond that.
  const every = Math.max(1, Math.ceil(decades / 6));
  const yTicks = Array.from({ length: decades + 1 }, (_, k) => 10 ** (Math.log10(d0) + k))
    .filter((_, k) => k % every === 0)
    .map((v) => ({ value: v, y: y(v) }));
  const xTicks = x
    .ticks(Math.min(n - 1, 10))
    .filter(Number.isInteger)
    .map((i) => ({ value: i, x: x(i) }));
  return { lines, yTicks, xTicks };
}

/** 3.2e9 style labels for loss values. */
export function formatLoss(v: number): string {
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e >= -2 && e < 4) return v.toPrecision(3);
  const m = v / 10 ** e;
  return `${m.toFixed(m === Math.round(m) ? 0 : 1)}e${e}`;
}
