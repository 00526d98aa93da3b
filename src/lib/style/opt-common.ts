/** Types and vector helpers shared by the optimisers (L-BFGS, Adam). */

/** A parameter vector; objectives receive Float64Array and may return a float32 gradient. */
export type Vector = Float32Array | Float64Array;

/** Loss and gradient at a point. */
export interface Evaluation {
  f: number;
  g: ArrayLike<number>;
}

/** Async loss-and-gradient, e.g. a tfjs `valueAndGrad` whose results come back with `await data()`. */
export type Objective = (x: Float64Array) => Promise<Evaluation>;

/** Box bounds: one number for every variable or one per variable (e.g. a pixel range per channel). */
export interface Bounds {
  lower?: number | ArrayLike<number>;
  upper?: number | ArrayLike<number>;
}

/** Expands a bound to one entry per variable. */
export function expandBound(b: number | ArrayLike<number> | undefined, n: number, fill: number) {
  if (b === undefined || typeof b === 'number') return new Float64Array(n).fill(b ?? fill);
  if (b.length !== n) throw new RangeError(`bound has ${b.length} entries, expected ${n}`);
  return Float64Array.from(b);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function infNorm(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Gradient with the components zeroed whose descent step would leave the box (x on a bound, −g pointing out). */
export function projectedGradient(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
): Float64Array {
  const pg = Float64Array.from(g);
  for (let i = 0; i < x.length; i++) {
    if ((x[i]! <= lo[i]! && g[i]! > 0) || (x[i]! >= hi[i]! && g[i]! < 0)) pg[i] = 0;
  }
  return pg;
}

/** The error a cancelled run rejects with: the signal's reason when it is an Error, else an AbortError. */
export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('The optimisation was aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
