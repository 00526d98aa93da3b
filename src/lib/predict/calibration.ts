/**
 * Per-label probability calibration, so that "70 %" means about 70 %: Platt scaling (a logistic
 * fit on the score's log-odds) and isotonic regression (a monotone step fit by
 * pool-adjacent-violators). Both are fitted on out-of-fold scores by the caller and stored as
 * plain JSON in the model card. Pure: no tf, no I/O.
 */

/** A fitted calibrator for one label. */
export type Calibrator =
  | { kind: 'none' }
  | { kind: 'platt'; a: number; b: number }
  /** Piecewise linear through (x, y) points, y non-decreasing; clamped outside [x0, xn]. */
  | { kind: 'isotonic'; x: number[]; y: number[] };

export type CalibrationKind = Calibrator['kind'];

const EPS = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Platt scaling on log-odds: p' = σ(a·logit(p) + b), fitted by Newton's method on the log loss
 * with Platt's smoothed targets ((N₊+1)/(N₊+2) and 1/(N₋+2)), which keep a perfectly separated
 * label from running a and b off to infinity (Platt 1999; Lin, Lin & Weng 2007).
 */
export function fitPlatt(scores: ArrayLike<number>, truth: ArrayLike<number>): Calibrator {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += truth[i] ? 1 : 0;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const z = Float64Array.from({ length: n }, (_, i) => logit(scores[i]!));
  const t = Float64Array.from({ length: n }, (_, i) => (truth[i] ? hi : lo));
  // mean log loss, computed stably: log(1 + e^m) − t·m with m = a·z + b
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const m = a * z[i]! + b;
      l += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - t[i]! * m;
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    // gradient and Hessian of the log loss in (a, b), with a tiny ridge for stability
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * z[i]!;
      gb += d;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-15)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Newton step, halved until the loss does not rise (backtracking, as Lin et al. do)
    let step = 1;
    while (step > 1e-8 && loss(a - step * da, b - step * db) > current + 1e-12) step /= 2;
    if (step <= 1e-8) break;
    a -= step * da;
    b -= step * db;
    current = loss(a, b);
    if (Math.abs(step * da) < 1e-10 && Math.abs(step * db) < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

/**
 * Isotonic regression by pool-adjacent-violators (Ayer et al. 1955), as scikit-learn's
 * IsotonicRegression(out_of_bounds='clip'): ties in the score are pooled first, each block keeps
 * its smallest and largest score, and prediction interpolates linearly between those points.
 * Hand-written: the npm registry has no maintained isotonic-regression package (searched
 * "isotonic", "pool adjacent violators"); PAV is 30 lines.
 */
export function fitIsotonic(scores: ArrayLike<number>, truth: ArrayLike<number>): Calibrator {
  const n = scores.length;
  if (n === 0) return { kind: 'none' };
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => scores[p]! - scores[q]!);
  // blocks: [sum of truth, count, min score, max score]
  const sum: number[] = [];
  const cnt: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const i of order) {
    const s = scores[i]!;
    const y = truth[i] ? 1 : 0;
    const last = sum.length - 1;
    if (last >= 0 && hi[last] === s) {
      sum[last]! += y;
      cnt[last]! += 1;
    } else {
      sum.push(y);
      cnt.push(1);
      lo.push(s);
      hi.push(s);
    }
    // merge backwards while the block means decrease
    while (sum.length > 1) {
      const k = sum.length - 1;
      if (sum[k - 1]! / cnt[k - 1]! <= sum[k]! / cnt[k]!) break;
      sum[k - 1]! += sum[k]!;
      cnt[k - 1]! += cnt[k]!;
      hi[k - 1] = hi[k]!;
      sum.pop();
      cnt.pop();
      lo.pop();
      hi.pop();
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  sum.forEach((s, k) => {
    const v = s / cnt[k]!;
    x.push(lo[k]!);
    y.push(v);
    if (hi[k]! > lo[k]!) {
      x.push(hi[k]!);
      y.push(v);
    }
  });
  return { kind: 'isotonic', x, y };
}

/** Fits one calibrator of the given kind. */
export function fitCalibrator(
  kind: CalibrationKind,
  scores: ArrayLike<number>,
  truth: ArrayLike<number>,
): Calibrator {
  if (kind === 'platt') return fitPlatt(scores, truth);
  if (kind === 'isotonic') return fitIsotonic(scores, truth);
  return { kind: 'none' };
}

/** A calibrated probability. */
export function calibrate(c: Calibrator, p: number): number {
  if (c.kind === 'none') return p;
  if (c.kind === 'platt') return sigmoid(c.a * logit(p) + c.b);
  const { x, y } = c;
  if (p <= x[0]!) return y[0]!;
  if (p >= x.at(-1)!) return y.at(-1)!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const span = x[hi]! - x[lo]!;
  return span > 0 ? y[lo]! + ((p - x[lo]!) / span) * (y[hi]! - y[lo]!) : y[hi]!;
}

/** Fits one calibrator per label column of row-major scores [rows × cols]. */
export function fitCalibrators(
  kind: CalibrationKind,
  scores: ArrayLike<number>,
  truth: ArrayLike<number>,
  cols: number,
): Calibrator[] {
  const rows = scores.length / cols;
  return Array.from({ length: cols }, (_, c) => {
    const s = new Float64Array(rows);
    const t = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      s[r] = scores[r * cols + c]!;
      t[r] = truth[r * cols + c] ? 1 : 0;
    }
    return fitCalibrator(kind, s, t);
  });
}

/** Row-major scores with each column's calibrator applied. */
export function calibrateRows(cal: readonly Calibrator[], scores: ArrayLike<number>): Float32Array {
  const cols = cal.length;
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(cal[i % cols]!, scores[i]!);
  return out;
}
