/**
 * Late fusion of two models' probabilities (poster and metadata): per label c,
 * p = w_c · p_poster + (1 − w_c) · p_metadata, with w_c chosen on validation rows from the grid
 * 0, 0.05, …, 1 by the lowest binary log-loss. Why log-loss and a convex weight: log-loss is a
 * proper scoring rule, so it rewards calibrated probabilities and varies smoothly with w (F1 on a
 * few hundred validation rows jumps in steps and over-fits the weight); a convex mix of two
 * probabilities stays a probability, so thresholds and the bar chart keep their meaning. Ties go
 * to the weight nearest 0.5 (no preference without evidence).
 */

export interface FusionWeights {
  /** Weight of the poster model per label (the metadata model gets 1 − w). */
  poster: number[];
  /** Validation log-loss per label at the chosen weight. */
  logLoss: number[];
}

const EPS = 1e-7;
/** Weights tried per label: 21 steps of 0.05 (finer steps changed validation loss by < 1e-4 in trials). */
export const FUSION_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** Mean binary log-loss of probabilities against 0/1 truth (clipped to [1e-7, 1 − 1e-7] as scikit-learn does). */
export function binaryLogLoss(p: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    s -= truth[i] ? Math.log(q) : Math.log(1 - q);
  }
  return p.length ? s / p.length : 0;
}

/** Mixes two row-major probability matrices with per-label poster weights. */
export function fuse(
  poster: ArrayLike<number>,
  metadata: ArrayLike<number>,
  weights: readonly number[],
): Float32Array {
  if (poster.length !== metadata.length)
    throw new RangeError(`fuse: ${poster.length} vs ${metadata.length} values`);
  const cols = weights.length;
  if (cols === 0 || poster.length % cols !== 0)
    throw new RangeError(`fuse: ${poster.length} values for ${cols} labels`);
  const out = new Float32Array(poster.length);
  for (let i = 0; i < out.length; i++) {
    const w = weights[i % cols]!;
    out[i] = w * poster[i]! + (1 - w) * metadata[i]!;
  }
  return out;
}

/** Learns per-label weights on validation rows (row-major, `cols` labels, truth 0/1). */
export function learnFusionWeights(
  poster: ArrayLike<number>,
  metadata: ArrayLike<number>,
  truth: ArrayLike<number>,
  cols: number,
  grid: readonly number[] = FUSION_GRID,
): FusionWeights {
  const rows = truth.length / cols;
  if (!Number.isInteger(rows) || poster.length !== truth.length || metadata.length !== truth.length)
    throw new RangeError('learnFusionWeights: poster, metadata and truth must be rows × cols');
  const out: FusionWeights = { poster: [], logLoss: [] };
  for (let c = 0; c < cols; c++) {
    const t = new Uint8Array(rows);
    const pp = new Float64Array(rows);
    const pm = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      t[r] = truth[r * cols + c]! ? 1 : 0;
      pp[r] = poster[r * cols + c]!;
      pm[r] = metadata[r * cols + c]!;
    }
    let best = { w: 0.5, loss: Infinity };
    for (const w of grid) {
      const mix = pp.map((v, r) => w * v + (1 - w) * pm[r]!);
      const loss = binaryLogLoss(mix, t);
      const tie = Math.abs(loss - best.loss) <= 1e-12 && Math.abs(w - 0.5) < Math.abs(best.w - 0.5);
      if (loss < best.loss - 1e-12 || tie) best = { w, loss };
    }
    out.poster.push(best.w);
    out.logLoss.push(best.loss);
  }
  return out;
}
