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

/** Approximate width of one character of the 11 px axis text (DejaVu/Arial average), in px. */
const CHAR_PX = 6.2;

/** Words of `text` in lines of at most `maxChars` (a longer word gets a line of its own, whole). */
export function wrapLabel(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * How category names sit under their bars, every name in full: wrapped in up to 3 lines when the
 * bands are wide enough, else rotated 35°. `height` is the room they need below the axis and
 * `firstLeftPx` how far the first name reaches left of its bar's centre, in px.
 */
export function categoryLabels(
  categories: readonly string[],
  bandPx: number,
):
  | { mode: 'wrap'; lines: string[][]; height: number; firstLeftPx: number }
  | { mode: 'rotate'; height: number; firstLeftPx: number } {
  const maxChars = Math.floor(bandPx / CHAR_PX);
  const lines = categories.map((c) => wrapLabel(c, maxChars));
  const fits = lines.every((l) => l.length <= 3 && l.every((s) => s.length <= maxChars));
  if (maxChars >= 6 && fits) {
    const height = 10 + 13 * Math.max(1, ...lines.map((l) => l.length));
    return { mode: 'wrap', lines, height, firstLeftPx: 0 };
  }
  const rad = (35 * Math.PI) / 180;
  const longest = Math.max(0, ...categories.map((c) => c.length));
  return {
    mode: 'rotate',
    height: 16 + Math.ceil(longest * CHAR_PX * Math.sin(rad)),
    // The first name, rotated, reaches this far left of its bar's centre.
    firstLeftPx: Math.ceil((categories[0]?.length ?? 0) * CHAR_PX * Math.cos(rad)),
  };
}
