/**
 * Colours of a saliency overlay: a Grad-CAM map (0 … 1, 1 = where the group's evidence is
 * strongest) becomes translucent heat over the poster (inferno: black → purple → orange →
 * yellow). Where the map is 0 the poster is dimmed under a half-opaque black veil, and the heat
 * grows hotter and a little more opaque with the value, so even a small hot spot stands out
 * while the poster stays visible everywhere.
 */
import { rgb } from 'd3-color';
import { interpolateInferno } from 'd3-scale-chromatic';

/** Opacity where the map is 0 (the veil) and at its peak. */
export const LOW_ALPHA = 0.5;
export const PEAK_ALPHA = 0.75;

/** The overlay colour of one map value as [r, g, b, a] bytes. */
export function heatRgba(v: number): [number, number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  const c = rgb(interpolateInferno(x));
  const a = LOW_ALPHA + (PEAK_ALPHA - LOW_ALPHA) * x;
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b), Math.round(255 * a)];
}

/** RGBA pixels (row-major, width × height) of a map, for an ImageData scaled up over the poster. */
export function heatPixels(
  map: ArrayLike<number>,
  width: number,
  height: number,
): Uint8ClampedArray {
  if (map.length !== width * height)
    throw new RangeError(
      `a ${width}×${height} map needs ${width * height} values, got ${map.length}`,
    );
  const px = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < map.length; i++) px.set(heatRgba(map[i]!), i * 4);
  return px;
}

/** CSS gradient of the legend: the same colours and opacities from low to high. */
export function heatLegendGradient(steps = 8): string {
  const stops = Array.from({ length: steps + 1 }, (_, i) => {
    const [r, g, b, a] = heatRgba(i / steps);
    return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)}) ${((100 * i) / steps).toFixed(0)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
