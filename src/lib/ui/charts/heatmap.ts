import { scaleBand, scaleDiverging } from 'd3-scale';
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { ClusterTree } from '../../features/cluster.ts';

/** Cell layout of a square heatmap whose rows and columns follow `order`. */
export function heatmapLayout(order: readonly number[], size: number) {
  const band = scaleBand<number>().domain(order).range([0, size]).paddingInner(0.04);
  return { x: (i: number) => band(i) ?? 0, step: band.step(), cell: band.bandwidth() };
}

/**
 * Correlation colour: blue for positive, red for negative, neutral at 0; NaN grey. `extent` is the
 * largest |φ| off the diagonal: genre correlations are weak (|φ| < 0.4), so a fixed ±1 scale
 * would wash them all out next to the diagonal's 1.
 */
export function correlationColor(v: number, extent = 1): string {
  if (Number.isNaN(v)) return '#555';
  const e = Math.max(1e-6, extent);
  return scaleDiverging(interpolateRdBu).domain([-e, 0, e]).clamp(true)(v);
}

/** The largest |value| off the diagonal of a square matrix (NaN ignored). */
export function offDiagonalExtent(values: readonly (readonly number[])[]): number {
  let max = 0;
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (i !== j && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
    }),
  );
  return max;
}

/**
 * Dendrogram segments (as SVG path strings) for a tree drawn above leaves placed at x(leaf)+offset,
 * with heights mapped to [height, 0] pixels (root at the top).
 */
export function dendrogramPaths(
  tree: ClusterTree,
  leafX: (leaf: number) => number,
  height: number,
): string[] {
  const maxH = Math.max(1e-9, ...tree.merges.map((m) => m.height));
  const y = (h: number) => height - (h / maxH) * height;
  const pos: Array<{ x: number; y: number }> = [];
  for (let i = 0; i < tree.n; i++) pos[i] = { x: leafX(i), y: height };
  const paths: string[] = [];
  tree.merges.forEach((m, i) => {
    const a = pos[m.left]!;
    const b = pos[m.right]!;
    const top = y(m.height);
    paths.push(`M${a.x},${a.y}V${top}H${b.x}V${b.y}`);
    pos[tree.n + i] = { x: (a.x + b.x) / 2, y: top };
  });
  return paths;
}

/** Colour stops of the legend's ramp from −extent to +extent (the scale correlationColor uses). */
export function legendStops(extent: number, n = 9): { value: number; color: string }[] {
  return Array.from({ length: n }, (_, k) => {
    const value = -extent + (2 * extent * k) / (n - 1);
    return { value, color: correlationColor(value, extent) };
  });
}
