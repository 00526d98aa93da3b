import { scaleBand, scaleLinear } from 'd3-scale';

/** One series of a grouped bar chart: a value per category, optional ± error. */
export interface BarSeries {
  name: string;
  values: readonly number[];
  errors?: readonly number[];
  color: string;
}

/** Geometry of a grouped bar chart: bars, error whiskers and y ticks, in pixels. */
export function groupedBars(
  categories: readonly string[],
  series: readonly BarSeries[],
  width: number,
  height: number,
) {
  const x0 = scaleBand<string>().domain(categories).range([0, width]).padding(0.2);
  const x1 = scaleBand<string>()
    .domain(series.map((s) => s.name))
    .range([0, x0.bandwidth()])
    .padding(0.08);
  const top = Math.max(
    1e-9,
    ...series.flatMap((s) => s.values.map((v, i) => v + (s.errors?.[i] ?? 0))),
  );
  const y = scaleLinear().domain([0, top]).nice().range([height, 0]);
  const bars = series.flatMap((s) =>
    categories.map((c, i) => {
      const v = s.values[i] ?? 0;
      const x = (x0(c) ?? 0) + (x1(s.name) ?? 0);
      const err = s.errors?.[i];
      return {
        key: `${s.name}-${c}`,
        series: s.name,
        category: c,
        value: v,
        x,
        width: x1.bandwidth(),
        y: y(v),
        height: height - y(v),
        color: s.color,
        whisker:
          err === undefined
            ? null
            : { x: x + x1.bandwidth() / 2, y1: y(Math.max(0, v - err)), y2: y(v + err) },
      };
    }),
  );
  return {
    bars,
    ticks: y.ticks(5).map((t) => ({ value: t, y: y(t) })),
    categoryX: (c: string) => (x0(c) ?? 0) + x0.bandwidth() / 2,
    y,
  };
}
