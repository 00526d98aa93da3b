/**
 * Projected L-BFGS ("L-BFGS-B-lite") for an async objective, the optimiser of Gatys-style
 * transfer (the Keras example behind the paper calls scipy's `fmin_l_bfgs_b(maxfun=20)` ten times).
 *
 * Simplification against scipy's L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995): L-BFGS-B finds the
 * generalized Cauchy point along the projected-gradient path and minimises the quadratic model over
 * the free variables with the compact limited-memory matrix. Here a variable is *active* when it
 * sits on a bound with the gradient pushing outward; the two-loop direction d is computed from the
 * gradient with active components zeroed, components of d that are active or point out of the box
 * are zeroed, and the strong-Wolfe line search runs on the projected path
 * φ(α) = f(P(x + α·d)) (P clips to the box; φ' counts only unclipped variables), so variables
 * that meet a bound stop there while the others go on, as on L-BFGS-B's Cauchy path. Without
 * bounds this is plain L-BFGS (N&W Alg. 7.4/7.5). With bounds it reaches the same KKT points
 * (projected gradient ≈ 0); the curvature pairs use the actual projected step, and a step whose
 * pair has sᵀy ≤ eps·yᵀy is not stored.
 */
import { type LinePoint, strongWolfe } from './line-search.ts';
import {
  type Bounds,
  type Objective,
  type Vector,
  abortError,
  dot,
  expandBound,
  infNorm,
  projectedGradient,
  throwIfAborted,
} from './opt-common.ts';

export type { Bounds, Evaluation, Objective, Vector } from './opt-common.ts';

/** Float64 machine epsilon, the unit of scipy's `factr`. */
const EPS = 2.220446049250313e-16;

/** Progress after one accepted step. */
export interface IterationInfo {
  /** Accepted steps so far (1-based); cumulative across a schedule's outer calls. */
  iter: number;
  f: number;
  /** Objective evaluations so far (cumulative across a schedule). */
  evals: number;
  /** Accepted step length alpha along the search direction. */
  stepSize: number;
  /** Infinity norm of the projected gradient, the quantity `pgtol` bounds. */
  gradNorm: number;
  /** Outer call index when run by `runSchedule`. */
  outer?: number;
}

export interface LbfgsOptions extends Bounds {
  /** Correction pairs kept (scipy's `m`). */
  historySize?: number;
  /** Hard cap on objective evaluations (scipy's `maxfun`, which scipy may overrun within a line search; this never does). */
  maxEvals?: number;
  maxIterations?: number;
  /** Stop when max |projected gradient| ≤ pgtol (scipy's default 1e-5). */
  pgtol?: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ factr · eps (scipy's default 1e7). */
  factr?: number;
  signal?: AbortSignal;
  onIteration?: (info: IterationInfo) => void;
}

export type StopReason = 'pgtol' | 'factr' | 'maxEvals' | 'maxIterations' | 'lineSearchFailed';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  iterations: number;
  evals: number;
  reason: StopReason;
}

/** Defaults follow scipy 1.10's `fmin_l_bfgs_b`. */
export const LBFGS_DEFAULTS = {
  historySize: 10,
  maxEvals: 15000,
  maxIterations: 15000,
  pgtol: 1e-5,
  factr: 1e7,
} as const;

interface History {
  s: Float64Array[];
  y: Float64Array[];
  rho: number[];
}

/** Two-loop recursion (N&W Alg. 7.4): returns −H·q. */
function twoLoop(q0: Float64Array, h: History): Float64Array {
  const q = Float64Array.from(q0);
  const k = h.s.length;
  const a = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    const s = h.s[i]!;
    const y = h.y[i]!;
    a[i] = h.rho[i]! * dot(s, q);
    for (let j = 0; j < q.length; j++) q[j]! -= a[i]! * y[j]!;
  }
  // H0 = gamma·I with gamma = sᵀy / yᵀy of the newest pair (N&W eq. 7.20).
  const gamma = k > 0 ? 1 / (h.rho[k - 1]! * dot(h.y[k - 1]!, h.y[k - 1]!)) : 1;
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < k; i++) {
    const s = h.s[i]!;
    const b = h.rho[i]! * dot(h.y[i]!, q);
    for (let j = 0; j < q.length; j++) q[j]! += s[j]! * (a[i]! - b);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

/** Step beyond which every moving variable is clipped, so f(P(x + alpha·d)) no longer changes. */
function lastBreakpoint(
  x: Float64Array,
  d: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
): number {
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    const di = d[i]!;
    if (di > 0) t = Math.max(t, (hi[i]! - x[i]!) / di);
    else if (di < 0) t = Math.max(t, (lo[i]! - x[i]!) / di);
  }
  return t;
}

/** Search direction: two-loop on the free variables, never pointing out of the box. */
function direction(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  h: History,
) {
  const pg = projectedGradient(x, g, lo, hi);
  let d = twoLoop(pg, h);
  const clean = (v: Float64Array): void => {
    for (let i = 0; i < v.length; i++) {
      const active = pg[i] === 0 && g[i] !== 0;
      if (active || (x[i]! <= lo[i]! && v[i]! < 0) || (x[i]! >= hi[i]! && v[i]! > 0)) v[i] = 0;
    }
  };
  clean(d);
  let gd = dot(g, d);
  if (!(gd < 0)) {
    // Not a descent direction (stale curvature): forget the history, fall back to −pg.
    h.s.length = h.y.length = h.rho.length = 0;
    d = pg.map((v) => -v);
    clean(d);
    gd = dot(g, d);
  }
  return { d, gd, pgNorm: infNorm(pg) };
}

/** Minimises an async objective with projected L-BFGS; rejects with an AbortError when `signal` aborts. */
export async function minimizeLbfgs(
  objective: Objective,
  x0: Vector,
  options: LbfgsOptions = {},
): Promise<LbfgsResult> {
  const opt = { ...LBFGS_DEFAULTS, ...options };
  const n = x0.length;
  const lo = expandBound(options.lower, n, -Infinity);
  const hi = expandBound(options.upper, n, Infinity);
  let evals = 0;
  const evaluate = async (p: Float64Array): Promise<{ f: number; g: Float64Array }> => {
    throwIfAborted(options.signal);
    evals++;
    const r = await objective(p);
    if (r.g.length !== n) throw new RangeError(`gradient has ${r.g.length} entries, expected ${n}`);
    throwIfAborted(options.signal);
    return { f: r.f, g: Float64Array.from(r.g) };
  };
  let x: Float64Array = Float64Array.from(x0, (v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
  let { f, g } = await evaluate(x);
  const h: History = { s: [], y: [], rho: [] };
  let iterations = 0;
  let reason: StopReason;
  for (;;) {
    const { d, gd, pgNorm } = direction(x, g, lo, hi, h);
    if (pgNorm <= opt.pgtol || !(gd < 0)) {
      reason = 'pgtol';
      break;
    }
    if (iterations >= opt.maxIterations) {
      reason = 'maxIterations';
      break;
    }
    if (evals >= opt.maxEvals) {
      reason = 'maxEvals';
      break;
    }
    const alphaMax = lastBreakpoint(x, d, lo, hi);
    // First step (or after a reset) is 1/||d||, as L-BFGS-B, since −g has no natural scale.
    const alphaInit = h.s.length === 0 ? 1 / Math.sqrt(dot(d, d)) : 1;
    const xk = x;
    const phi = async (alpha: number): Promise<LinePoint> => {
      const p = new Float64Array(n);
      const moving = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = xk[i]! + alpha * d[i]!;
        p[i] = Math.min(hi[i]!, Math.max(lo[i]!, v));
        moving[i] = v > lo[i]! && v < hi[i]! ? 1 : 0;
      }
      const e = await evaluate(p);
      // Slope of alpha ↦ f(P(xk + alpha·d)) from the right: clipped variables no longer move.
      let dphi = 0;
      for (let i = 0; i < n; i++) if (moving[i]) dphi += e.g[i]! * d[i]!;
      return { alpha, x: p, f: e.f, g: e.g, dphi };
    };
    const ls = await strongWolfe({
      phi,
      start: { alpha: 0, x, f, g, dphi: gd },
      alphaInit,
      alphaMax,
      budget: opt.maxEvals - evals,
    });
    if (ls.point === null) {
      reason = evals >= opt.maxEvals ? 'maxEvals' : 'lineSearchFailed';
      break;
    }
    const p = ls.point;
    const s = p.x.map((v, i) => v - x[i]!);
    const y = p.g.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    // Keep the pair only with positive curvature, as L-BFGS-B does (sᵀy > eps·yᵀy).
    if (sy > EPS * dot(y, y)) {
      h.s.push(s);
      h.y.push(y);
      h.rho.push(1 / sy);
      if (h.s.length > opt.historySize) {
        h.s.shift();
        h.y.shift();
        h.rho.shift();
      }
    }
    const fOld = f;
    ({ x, f, g } = p);
    iterations++;
    const gradNorm = infNorm(projectedGradient(x, g, lo, hi));
    options.onIteration?.({ iter: iterations, f, evals, stepSize: p.alpha, gradNorm });
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= opt.factr * EPS) {
      reason = 'factr';
      break;
    }
  }
  return { x, f, g, iterations, evals, reason };
}

export interface ScheduleOptions extends Omit<LbfgsOptions, 'maxEvals'> {
  /** Number of restarts (the Keras example's 10 calls). */
  outer?: number;
  /** maxfun of each call (the Keras example's 20). */
  maxEvalsPerOuter?: number;
  /** Called after each outer call, e.g. to show the intermediate image. */
  onOuter?: (info: { outer: number; f: number; evals: number; x: Float64Array }) => void;
}

export interface ScheduleResult {
  x: Float64Array;
  f: number;
  /** f after each outer call (the loss the Keras example prints). */
  fPerOuter: number[];
  evals: number;
  iterations: number;
}

/** Repeated L-BFGS calls from the last x with fresh history each time, as `for i in range(10): fmin_l_bfgs_b(..., maxfun=20)`. */
export async function runSchedule(
  objective: Objective,
  x0: Vector,
  options: ScheduleOptions = {},
): Promise<ScheduleResult> {
  const { outer = 10, maxEvalsPerOuter = 20, onOuter, onIteration, ...rest } = options;
  let x: Float64Array = Float64Array.from(x0);
  let f = NaN;
  let evals = 0;
  let iterations = 0;
  const fPerOuter: number[] = [];
  for (let k = 0; k < outer; k++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const evals0 = evals;
    const iter0 = iterations;
    const r = await minimizeLbfgs(objective, x, {
      ...rest,
      maxEvals: maxEvalsPerOuter,
      onIteration: (info) =>
        onIteration?.({ ...info, iter: iter0 + info.iter, evals: evals0 + info.evals, outer: k }),
    });
    x = r.x;
    f = r.f;
    evals += r.evals;
    iterations += r.iterations;
    fPerOuter.push(f);
    onOuter?.({ outer: k, f, evals, x });
  }
  return { x, f, fPerOuter, evals, iterations };
}
