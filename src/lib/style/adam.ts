/**
 * Adam (Kingma & Ba 2015, Algorithm 1) over the same async objective as `minimizeLbfgs`: the
 * alternative optimiser for style transfer (steady per-step cost, no line search), with the
 * iterate projected onto the box after each step.
 */
import {
  type Bounds,
  type Objective,
  type Vector,
  expandBound,
  infNorm,
  projectedGradient,
  throwIfAborted,
} from './opt-common.ts';
import type { IterationInfo } from './lbfgs.ts';

export interface AdamOptions extends Bounds {
  /** Step size; for pixels in 0..255 units style-transfer code commonly uses 1–10. */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Steps; each costs one evaluation. */
  maxIterations?: number;
  /** Stop when max |projected gradient| ≤ gtol. */
  gtol?: number;
  signal?: AbortSignal;
  onIteration?: (info: IterationInfo) => void;
}

/** Defaults of the paper (α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8). */
export const ADAM_DEFAULTS = {
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  maxIterations: 1000,
  gtol: 0,
} as const;

export interface AdamResult {
  /** The best point seen (Adam's f is not monotone). */
  x: Float64Array;
  f: number;
  iterations: number;
  evals: number;
}

/** Minimises an async objective with projected Adam; rejects with an AbortError when `signal` aborts. */
export async function minimizeAdam(
  objective: Objective,
  x0: Vector,
  options: AdamOptions = {},
): Promise<AdamResult> {
  const o = { ...ADAM_DEFAULTS, ...options };
  const n = x0.length;
  const lo = expandBound(options.lower, n, -Infinity);
  const hi = expandBound(options.upper, n, Infinity);
  const x = Float64Array.from(x0, (v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  let best = { x: Float64Array.from(x), f: Infinity };
  let evals = 0;
  for (let t = 1; t <= o.maxIterations + 1; t++) {
    throwIfAborted(options.signal);
    const r = await objective(x);
    evals++;
    throwIfAborted(options.signal);
    if (r.g.length !== n) throw new RangeError(`gradient has ${r.g.length} entries, expected ${n}`);
    const g = Float64Array.from(r.g);
    if (r.f < best.f) best = { x: Float64Array.from(x), f: r.f };
    const gradNorm = infNorm(projectedGradient(x, g, lo, hi));
    if (t > 1)
      options.onIteration?.({ iter: t - 1, f: r.f, evals, stepSize: o.learningRate, gradNorm });
    // The last evaluation only scores the final step.
    if (t === o.maxIterations + 1 || gradNorm <= o.gtol) break;
    const c1 = 1 - o.beta1 ** t;
    const c2 = 1 - o.beta2 ** t;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * gi;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * gi * gi;
      const step = (o.learningRate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + o.epsilon);
      x[i] = Math.min(hi[i]!, Math.max(lo[i]!, x[i]! - step));
    }
  }
  return { x: best.x, f: best.f, iterations: evals - 1, evals };
}
