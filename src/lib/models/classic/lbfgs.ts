/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal & Wright, Numerical Optimization, 2nd ed., alg. 7.4
 * and 7.5) for smooth convex objectives, with a backtracking line search (Armijo, or Hager and
 * Zhang's approximate Wolfe test once f's round-off hides the decrease).
 *
 * Hand-written: the npm registry has no well-kept L-BFGS (fmin, the most used minimiser there,
 * offers Nelder–Mead and conjugate gradient only; the few L-BFGS packages are small one-offs with
 * a few thousand downloads a month and no tests we could read), and the algorithm is 60 lines
 * over Float64Arrays. The logistic objective it minimises here is strictly convex (L2 term), so a
 * monotone Armijo search is enough: every accepted pair has sᵀy > 0.
 */

/** Writes the gradient at w into g and returns the objective at w. */
export type Objective = (w: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |gradient| ≤ this. */
  tolerance: number;
  maxIter: number;
  /** Correction pairs kept (scipy's and sklearn's default: 10). */
  memory?: number;
  /** Called after each iteration; may throw (an aborted signal) to stop the fit. */
  onIteration?: (iter: number, f: number, gradMax: number) => void;
}

export interface LbfgsResult {
  w: Float64Array;
  f: number;
  gradMax: number;
  iterations: number;
  /** 'gradient': tolerance met; 'maxIter'; 'lineSearch': no decrease within float precision. */
  stop: 'gradient' | 'maxIter' | 'lineSearch';
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
};

/** Minimises f from w0 (not modified). */
export function lbfgs(f: Objective, w0: Float64Array, o: LbfgsOptions): LbfgsResult {
  const n = w0.length;
  const mem = o.memory ?? 10;
  let w = Float64Array.from(w0);
  let g = new Float64Array(n);
  let fx = f(w, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(mem);
  const d = new Float64Array(n);
  let wNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let gmax = maxAbs(g);
  let iter = 0;
  let stop: LbfgsResult['stop'] = 'maxIter';
  if (gmax <= o.tolerance) stop = 'gradient';
  while (stop === 'maxIter' && iter < o.maxIter) {
    iter++;
    // Two-loop recursion: d = −H g, H₀ = γ I with γ = sᵀy / yᵀy of the newest pair.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(S[k]!, d);
      alpha[k] = a;
      const y = Y[k]!;
      for (let i = 0; i < n; i++) d[i]! -= a * y[i]!;
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const b = rho[k]! * dot(Y[k]!, d);
      const s = S[k]!;
      const a = alpha[k]!;
      for (let i = 0; i < n; i++) d[i]! += (a - b) * s[i]!;
    }
    let gtd = dot(g, d);
    if (!(gtd < 0)) {
      // Not a descent direction (round-off): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gtd = dot(g, d);
    }
    // First step (no curvature yet): a unit step along −g could be huge; scale it to length 1.
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-gtd)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) wNew[i] = w[i]! + step * d[i]!;
      fNew = f(wNew, gNew);
      if (fNew <= fx + 1e-4 * step * gtd) {
        accepted = true;
        break;
      }
      // Near the minimum the decrease Armijo asks for falls below the round-off of f (a sum over
      // thousands of rows), and the search would shrink the step at random. Hager & Zhang's
      // approximate Wolfe conditions (2005, CG_DESCENT) judge the step by the slope instead:
      // σ·φ'(0) ≤ φ'(α) ≤ (2δ − 1)·φ'(0), with f allowed to rise by round-off only.
      const slope = dot(gNew, d);
      if (
        fNew <= fx + 1e-10 * Math.abs(fx) &&
        slope >= 0.9 * gtd &&
        slope <= (2 * 1e-4 - 1) * gtd
      ) {
        accepted = true;
        break;
      }
      // Minimiser of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5] · step.
      const q = (-gtd * step * step) / (2 * (fNew - fx - gtd * step));
      step = Number.isFinite(q) ? Math.min(0.5 * step, Math.max(0.1 * step, q)) : 0.5 * step;
    }
    if (!accepted) {
      stop = 'lineSearch';
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = wNew[i]! - w[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (S.length === mem) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    [w, wNew] = [wNew, w];
    [g, gNew] = [gNew, g];
    fx = fNew;
    gmax = maxAbs(g);
    o.onIteration?.(iter, fx, gmax);
    if (gmax <= o.tolerance) stop = 'gradient';
  }
  return { w, f: fx, gradMax: gmax, iterations: iter, stop };
}
