/**
 * Randomized PCA (Halko, Martinsson & Tropp 2011, "Finding structure with randomness", alg. 4.4
 * with power iterations) in tfjs, so the heavy products run on the GPU/wasm: a full covariance
 * eigendecomposition of 14,800 pixel dimensions (148×100 gray) is ~3·10¹² flops and 876 MB of
 * covariance, while the sketch costs a few passes of n × d × (rank + oversampling). The small
 * (rank+p)² eigenproblem is solved with cyclic Jacobi in JS. Explained-variance ratios are
 * relative to the exact total variance (the trace, computed directly).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../features/random.ts';

export interface PcaOptions {
  /** Components to sketch (the most the fit can keep). */
  rank: number;
  oversampling: number;
  powerIterations: number;
  seed: number;
}

export const PCA_DEFAULTS: Readonly<PcaOptions> = {
  rank: 200,
  oversampling: 10,
  powerIterations: 4,
  seed: 0,
};

export interface PcaFit {
  mean: Float32Array;
  /** Row-major rank × d, unit rows, in order of decreasing variance. */
  components: Float32Array;
  rank: number;
  dims: number;
  /** Variance along each component (eigenvalues of the covariance, divisor n − 1). */
  explainedVariance: number[];
  /** explainedVariance / total variance. */
  explainedVarianceRatio: number[];
}

/** Eigen-decomposition of a symmetric m×m matrix (row-major) by cyclic Jacobi: values descending, vectors as columns. */
export function jacobiEigen(
  a: Float64Array,
  m: number,
  sweeps = 60,
): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * m + q]! - A[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p]!;
          const akq = A[k * m + q]!;
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k]!;
          const aqk = A[q * m + k]!;
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p]!;
          const vkq = V[k * m + q]!;
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort(
    (i, j) => A[j * m + j]! - A[i * m + i]!,
  );
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) vectors[k * m + dst] = V[k * m + src]!;
  });
  return { values: order.map((i) => A[i * m + i]!), vectors };
}

/**
 * Orthonormal columns spanning Y (m × l) without tf.linalg.qr, which builds an m × m Q (876 MB
 * for m = 14,800): Q = Y V Λ^(−1/2) from the eigen-decomposition of YᵀY, done twice
 * (as CholeskyQR2) to restore orthogonality lost in float32. Directions with tiny eigenvalues are dropped to 0.
 */
async function orthonormalize(y: tf.Tensor2D): Promise<tf.Tensor2D> {
  let q = y.clone();
  for (let pass = 0; pass < 2; pass++) {
    const g = tf.matMul(q, q, true, false);
    const l = g.shape[0];
    const { values, vectors } = jacobiEigen(Float64Array.from(await g.data()), l);
    g.dispose();
    const top = Math.max(values[0] ?? 0, 1e-30);
    const w = new Float32Array(l * l);
    for (let i = 0; i < l; i++)
      for (let j = 0; j < l; j++) {
        const lam = values[j]!;
        w[i * l + j] = lam > top * 1e-10 ? vectors[i * l + j]! / Math.sqrt(lam) : 0;
      }
    const next = tf.tidy(() => tf.matMul(q, tf.tensor2d(w, [l, l])) as tf.Tensor2D);
    q.dispose();
    q = next;
  }
  return q;
}

/** Fits randomized PCA on row-major n×d data. */
export async function fitPca(
  x: { rows: number; cols: number; data: Float32Array },
  options: Partial<PcaOptions> = {},
): Promise<PcaFit> {
  const o = { ...PCA_DEFAULTS, ...options };
  const { rows: n, cols: d } = x;
  const l = Math.min(o.rank + o.oversampling, n, d);
  const rank = Math.min(o.rank, l);
  const rng = mulberry32(o.seed);
  // Box–Muller normals for the test matrix Ω (d × l), from the seeded generator.
  const omega = new Float32Array(d * l);
  for (let i = 0; i < omega.length; i++)
    omega[i] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const X = tf.tensor2d(x.data, [n, d]);
  const meanT = tf.mean(X, 0);
  const Xc = tf.sub(X, meanT) as tf.Tensor2D;
  X.dispose();
  const totalT = tf.div(tf.sum(tf.square(Xc)), n - 1);
  const ortho = async (make: () => tf.Tensor2D) => {
    const y = tf.tidy(make);
    const q = await orthonormalize(y);
    y.dispose();
    return q;
  };
  let Q = await ortho(() => tf.matMul(Xc, tf.tensor2d(omega, [d, l])));
  for (let i = 0; i < o.powerIterations; i++) {
    const z = await ortho(() => tf.matMul(Xc, Q, true, false)); // d × l
    Q.dispose();
    Q = await ortho(() => tf.matMul(Xc, z)); // n × l
    z.dispose();
  }
  const B = tf.matMul(Q, Xc, true, false); // l × d
  const BBt = tf.matMul(B, B, false, true);
  const small = Float64Array.from(await BBt.data());
  const { values, vectors } = jacobiEigen(small, l);
  // Right singular vectors: V_k = Bᵀ u_k / σ_k, σ_k = √λ_k.
  const U = tf.tensor2d(Float32Array.from(vectors), [l, l]).slice([0, 0], [l, rank]);
  const sigma = values.slice(0, rank).map((v) => Math.sqrt(Math.max(v, 0)));
  const comps = tf.tidy(() =>
    tf.div(
      tf.matMul(U, B, true, false),
      tf.tensor2d(
        sigma.map((s) => s || 1),
        [rank, 1],
      ),
    ),
  );
  const components = (await comps.data()) as Float32Array;
  const mean = (await meanT.data()) as Float32Array;
  const total = (await totalT.data())[0]!;
  tf.dispose([meanT, Xc, totalT, Q, B, BBt, U, comps]);
  const explainedVariance = sigma.map((s) => (s * s) / (n - 1));
  return {
    mean,
    components,
    rank,
    dims: d,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
  };
}

/** How many components explain at least `fraction` of the variance (all sketched ones if never). */
export function componentsFor(fit: PcaFit, fraction: number): number {
  let sum = 0;
  for (const [i, r] of fit.explainedVarianceRatio.entries()) {
    sum += r;
    if (sum >= fraction) return i + 1;
  }
  return fit.rank;
}

/** Projects rows onto the first k components: (x − mean) Vₖᵀ, row-major n×k. */
export async function transformPca(
  fit: PcaFit,
  x: { rows: number; cols: number; data: Float32Array },
  k = fit.rank,
): Promise<Float32Array> {
  const out = tf.tidy(() =>
    tf.matMul(
      tf.sub(tf.tensor2d(x.data, [x.rows, x.cols]), tf.tensor1d(fit.mean)),
      tf.tensor2d(fit.components.subarray(0, k * fit.dims), [k, fit.dims]),
      false,
      true,
    ),
  );
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

/** The i-th component as a [0, 1] image ('eigenposter'), min–max scaled for display. */
export function eigenposter(fit: PcaFit, i: number): Float32Array {
  const c = fit.components.subarray(i * fit.dims, (i + 1) * fit.dims);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of c) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return c.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5));
}

/** Eigenposters as stored in a result record: up to `count` components, plain numbers of 6 significant digits. */
export interface EigenpostersRecord {
  height: number;
  width: number;
  /** Each a unit vector, row-major height × width (gray), in order of decreasing variance. */
  components: number[][];
}

/**
 * The first `count` components as row-major height × width images for a result record; 6
 * significant digits keep 12 gray 148×100 components near 2 MB of JSON and each vector unit to ~1e-6.
 */
export function eigenpostersRecord(
  fit: PcaFit,
  height: number,
  width: number,
  count = 12,
): EigenpostersRecord {
  if (height * width !== fit.dims)
    throw new RangeError(`${height}×${width} images do not match ${fit.dims}-d components`);
  const components = Array.from({ length: Math.min(count, fit.rank) }, (_, i) =>
    Array.from(fit.components.subarray(i * fit.dims, (i + 1) * fit.dims), (v) =>
      Number(v.toPrecision(6)),
    ),
  );
  return { height, width, components };
}
