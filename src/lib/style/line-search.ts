/**
 * Strong-Wolfe line search: the bracketing phase and `zoom` of Nocedal & Wright, Numerical
 * Optimization (2nd ed., 2006), Algorithms 3.5 and 3.6, with safeguarded cubic interpolation
 * (their eq. 3.59) for the trial steps. Every trial costs one objective evaluation (f and g).
 */

/** Sufficient-decrease constant c1; N&W p. 33 gives 1e-4 as the usual value (scipy's dcsrch uses 1e-3). */
export const WOLFE_C1 = 1e-4;
/** Curvature constant c2; N&W p. 34 gives 0.9 for quasi-Newton methods (scipy's L-BFGS-B uses 0.9). */
export const WOLFE_C2 = 0.9;
/** Largest growth of the trial step per bracketing round, as dcsrch's `xtrapu = 4`. */
const MAX_EXTRAPOLATION = 4;
/** Trials stay this fraction of the bracket away from its ends, so zoom always shrinks it. */
const INTERP_MARGIN = 0.1;

/** One evaluated trial point along the search direction. */
export interface LinePoint {
  alpha: number;
  x: Float64Array;
  f: number;
  g: Float64Array;
  /** Directional derivative g(x + alpha d) · d. */
  dphi: number;
}

export interface LineSearchResult {
  /** Accepted point, or null when no step with sufficient decrease was found. */
  point: LinePoint | null;
  /** True when the point satisfies both strong Wolfe conditions. */
  wolfe: boolean;
  evals: number;
}

export interface LineSearchInput {
  /** Evaluates the objective at step alpha (the caller projects and counts). */
  phi: (alpha: number) => Promise<LinePoint>;
  /** The current point as alpha = 0; its dphi = g(x) · d is negative for a descent direction. */
  start: LinePoint;
  alphaInit: number;
  /** Largest feasible step (Infinity when unbounded); a step cut here needs only sufficient decrease. */
  alphaMax: number;
  /** Evaluations left; the search stops early and returns its best acceptable point. */
  budget: number;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/** Finds a step satisfying the strong Wolfe conditions (Algorithm 3.5). */
export async function strongWolfe(input: LineSearchInput): Promise<LineSearchResult> {
  const { phi, start, alphaMax, budget } = input;
  const f0 = start.f;
  const dphi0 = start.dphi;
  const armijo = (p: LinePoint): boolean => p.f <= f0 + WOLFE_C1 * p.alpha * dphi0;
  const curvature = (p: LinePoint): boolean => Math.abs(p.dphi) <= -WOLFE_C2 * dphi0;
  let evals = 0;
  const evalAt = async (alpha: number): Promise<LinePoint> => {
    evals++;
    return phi(alpha);
  };
  let prev: LinePoint = start;
  let alpha = Math.min(input.alphaInit, alphaMax);
  while (evals < budget) {
    const cur = await evalAt(alpha);
    if (!armijo(cur) || (prev !== start && cur.f >= prev.f) || !Number.isFinite(cur.f)) {
      return zoom(prev, cur);
    }
    if (curvature(cur)) return { point: cur, wolfe: true, evals };
    if (cur.dphi >= 0) return zoom(cur, prev);
    // Still descending at the bound: take the truncated step, as L-BFGS-B does at stpmax.
    if (alpha >= alphaMax) return { point: cur, wolfe: false, evals };
    const guess = cubicMin(prev.alpha, prev.f, prev.dphi, cur.alpha, cur.f, cur.dphi);
    const minNext = alpha + 1.1 * (alpha - prev.alpha);
    const maxNext = alpha * MAX_EXTRAPOLATION;
    const next = Number.isFinite(guess) ? Math.min(Math.max(guess, minNext), maxNext) : maxNext;
    prev = cur;
    alpha = Math.min(next, alphaMax);
  }
  return accept(prev);

  function accept(p: LinePoint): LineSearchResult {
    return { point: p.alpha > 0 ? p : null, wolfe: false, evals };
  }

  /** Algorithm 3.6 on the bracket between lo (lower f, sufficient decrease) and hi. */
  async function zoom(loIn: LinePoint, hiIn: LinePoint): Promise<LineSearchResult> {
    let lo = loIn;
    let hi = hiIn;
    while (evals < budget) {
      const aLo = lo.alpha;
      const fLo = lo.f;
      const dLo = lo.dphi;
      const width = Math.abs(hi.alpha - aLo);
      if (width <= 1e-14 * Math.max(1, hi.alpha)) break;
      const left = Math.min(aLo, hi.alpha) + INTERP_MARGIN * width;
      const right = Math.max(aLo, hi.alpha) - INTERP_MARGIN * width;
      const guess = Number.isFinite(hi.f) ? cubicMin(aLo, fLo, dLo, hi.alpha, hi.f, hi.dphi) : NaN;
      const alpha = guess >= left && guess <= right ? guess : (aLo + hi.alpha) / 2;
      const cur = await evalAt(alpha);
      if (!armijo(cur) || cur.f >= fLo || !Number.isFinite(cur.f)) {
        hi = cur;
        continue;
      }
      if (curvature(cur)) return { point: cur, wolfe: true, evals };
      if (cur.dphi * (hi.alpha - aLo) >= 0) hi = lo;
      lo = cur;
    }
    // Out of budget or bracket collapsed: lo (unless it is the start) has sufficient decrease.
    return accept(lo);
  }
}
