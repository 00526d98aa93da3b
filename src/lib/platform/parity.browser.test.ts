/**
 * The same small tfjs computations on webgpu, webgl and wasm, each compared with the cpu backend
 * (tfjs's plain-JavaScript reference kernels) in real Chromium.
 *
 * Tolerance: |got − cpu| ≤ ATOL + RTOL·|cpu| elementwise, RTOL = 1e-4, ATOL = 1e-5. Float32 has
 * ε ≈ 1.2e-7; the longest sums here have K ≤ 48 terms (matmul 48, conv 3·3·3 = 27, dense 12,
 * reductions ≤ 54 per output), and a different summation order (tiled shaders, SIMD lanes) moves
 * a sum by at most ≈ K·ε·Σ|terms| ≈ 6e-6 relative; GPU exp/log approximations add ~1e-6
 * relative. 1e-4 leaves ≥ 10× headroom while a real bug (wrong padding, stride, transpose or
 * gradient) errs by O(0.1–1). ATOL covers results that cancel to near zero.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from './index.ts';
import { mulberry32 as seeded } from '../features/random.ts';

const RTOL = 1e-4;
const ATOL = 1e-5;
const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm'];

/** Values uniform in [-1, 1), seeded. */
function values(n: number, seed: number): Float32Array {
  const r = seeded(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

const X_IMG = values(2 * 9 * 9 * 3, 1); // NHWC batch of two 9×9 RGB images
const W_CONV = values(3 * 3 * 3 * 4, 2); // 3×3 kernel, 3 → 4 channels
const A = values(32 * 48, 3);
const B = values(48 * 16, 4);
const X_DENSE = values(8 * 12, 5);
const W_DENSE = values(12 * 5, 6);
const B_DENSE = values(5, 7);
const Y_DENSE = Float32Array.from(values(8 * 5, 8), (v) => (v > 0 ? 1 : 0));
const LOGITS = Float32Array.from(values(6 * 10, 9), (v) => 4 * v);

type Computation = () => tf.Tensor | tf.Tensor[];

/** Runs fn on a backend and reads every output back with `await data()` (webgpu's dataSync returns zeros here). */
async function runOn(backend: BackendName, fn: Computation): Promise<Float32Array[]> {
  await useBackend(backend);
  const out = fn();
  const list = Array.isArray(out) ? out : [out];
  const arrays = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  return arrays;
}

/** Index, values and excess of the worst element outside the tolerance, or null if all are inside. */
function worstMismatch(got: Float32Array, want: Float32Array): string | null {
  let worst: string | null = null;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] ?? NaN;
    const w = want[i] ?? NaN;
    const excess = Math.abs(g - w) - (ATOL + RTOL * Math.abs(w));
    if (!(excess <= worstExcess)) {
      worstExcess = excess;
      worst = `[${i}] got ${g}, cpu ${w}`;
    }
  }
  return worst;
}

async function expectParity(backend: BackendName, fn: Computation): Promise<void> {
  const want = await runOn('cpu', fn);
  const got = await runOn(backend, fn);
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    expect(got[k]?.length, `output ${k} length`).toBe(w.length);
    expect(worstMismatch(got[k] ?? new Float32Array(), w), `output ${k} on ${backend}`).toBeNull();
  });
}

const img = () => tf.tensor4d(X_IMG, [2, 9, 9, 3]);
const kernel = () => tf.tensor4d(W_CONV, [3, 3, 3, 4]);
const denseLoss = (w: tf.Tensor, b: tf.Tensor) =>
  tf.losses.meanSquaredError(
    tf.tensor2d(Y_DENSE, [8, 5]),
    tf.sigmoid(tf.add(tf.matMul(tf.tensor2d(X_DENSE, [8, 12]), w), b)),
  );

const CASES: Record<string, Computation> = {
  'matmul 32×48 · 48×16': () => tf.matMul(tf.tensor2d(A, [32, 48]), tf.tensor2d(B, [48, 16])),
  'matmul with transposed operands': () =>
    tf.matMul(tf.tensor2d(B, [48, 16]), tf.tensor2d(A, [32, 48]), true, true),
  'conv2d stride 1 padding same': () => tf.conv2d(img(), kernel(), 1, 'same'),
  'conv2d stride 2 padding valid': () => tf.conv2d(img(), kernel(), 2, 'valid'),
  'conv2d stride 2 padding same': () => tf.conv2d(img(), kernel(), 2, 'same'),
  'maxPool 3×3 stride 2 same': () => tf.maxPool(img(), 3, 2, 'same'),
  'maxPool 2×2 stride 2 valid': () => tf.maxPool(img(), 2, 2, 'valid'),
  'dense forward relu(xW + b)': () =>
    tf.relu(
      tf.add(
        tf.matMul(tf.tensor2d(X_DENSE, [8, 12]), tf.tensor2d(W_DENSE, [12, 5])),
        tf.tensor1d(B_DENSE),
      ),
    ),
  'dense gradient via tf.grads (W, b)': () =>
    tf.grads((w: tf.Tensor, b: tf.Tensor) => denseLoss(w, b))([
      tf.tensor2d(W_DENSE, [12, 5]),
      tf.tensor1d(B_DENSE),
    ]),
  'dense gradient via variableGrads': () => {
    const w = tf.variable(tf.tensor2d(W_DENSE, [12, 5]));
    const b = tf.variable(tf.tensor1d(B_DENSE));
    const { value, grads } = tf.variableGrads(() => denseLoss(w, b) as tf.Scalar, [w, b]);
    const out = [value, grads[w.name], grads[b.name]].filter(
      (t): t is tf.Tensor => t !== undefined,
    );
    w.dispose();
    b.dispose();
    return out;
  },
  'softmax cross-entropy gradient via tf.grad': () =>
    tf.grad((z: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 3, 9, 2, 5, 7], 'int32'), 10), z),
    )(tf.tensor2d(LOGITS, [6, 10])),
  'softmax and sigmoid': () => [
    tf.softmax(tf.tensor2d(LOGITS, [6, 10])),
    tf.sigmoid(tf.tensor1d(LOGITS)),
  ],
  'reductions sum/mean/max': () => {
    const x = tf.tensor2d(A, [32, 48]);
    return [tf.sum(x, 1), tf.mean(x), tf.max(x, 0), tf.logSumExp(x, 1)];
  },
  // Inputs shifted to [0.5, 2.5): the windows of post-ReLU activations; see the wasm bug below.
  'maxPool gradient, positive inputs': () =>
    tf.grad((x: tf.Tensor) =>
      tf.sum(tf.square(tf.maxPool(tf.add(x, 1.5) as tf.Tensor4D, 3, 2, 'same'))),
    )(img()),
  'conv2d gradient w.r.t. input': () =>
    tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, kernel(), 1, 'same'))))(
      img(),
    ),
};

/** Needs Conv2DBackpropFilter, which wasm gets from $lib/platform/kernels (see the last describe). */
const FILTER_GRADIENT: Computation = () =>
  tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(img(), w as tf.Tensor4D, 1, 'same'))))(
    kernel(),
  );

/** Max-pool gradient on signed inputs, which tfjs-backend-wasm 4.22 got wrong ($lib/platform/kernels replaces it). */
const SIGNED_MAXPOOL_GRADIENT: Computation = () =>
  tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'))))(img());

/** d/dx Σ maxPool(x)² for 3×3 stride 2 'same' on 9×9 (pad 1 on each side), by hand in float64. */
function maxPoolGradientByHand(x: Float32Array): Float64Array {
  const g = new Float64Array(x.length);
  for (let n = 0; n < 2; n++)
    for (let oy = 0; oy < 5; oy++)
      for (let ox = 0; ox < 5; ox++)
        for (let c = 0; c < 3; c++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const y = oy * 2 + ky - 1;
              const xx = ox * 2 + kx - 1;
              if (y < 0 || y > 8 || xx < 0 || xx > 8) continue;
              const i = ((n * 9 + y) * 9 + xx) * 3 + c;
              if ((x[i] ?? -Infinity) > best) [best, at] = [x[i] ?? -Infinity, i];
            }
          g[at] = (g[at] ?? 0) + 2 * best;
        }
  return g;
}

describe('cpu reference is itself right', () => {
  it('matmul matches a float64 triple loop', async () => {
    const [got] = await runOn('cpu', CASES['matmul 32×48 · 48×16'] as Computation);
    let worst = 0;
    for (let i = 0; i < 32; i++) {
      for (let j = 0; j < 16; j++) {
        let s = 0;
        for (let k = 0; k < 48; k++) s += (A[i * 48 + k] ?? NaN) * (B[k * 16 + j] ?? NaN);
        worst = Math.max(worst, Math.abs((got?.[i * 16 + j] ?? NaN) - s));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("conv2d 'same' pads with zeros around the border (pixel (0,0) by hand)", async () => {
    const [got] = await runOn('cpu', CASES['conv2d stride 1 padding same'] as Computation);
    // Output (n=0, y=0, x=0, c=0): only kernel taps ky,kx ∈ {1,2} land inside the image.
    let s = 0;
    for (let ky = 1; ky < 3; ky++)
      for (let kx = 1; kx < 3; kx++)
        for (let ci = 0; ci < 3; ci++)
          s +=
            (X_IMG[((ky - 1) * 9 + (kx - 1)) * 3 + ci] ?? NaN) *
            (W_CONV[((ky * 3 + kx) * 3 + ci) * 4] ?? NaN);
    expect(got?.[0]).toBeCloseTo(s, 5);
  });
});

describe('max-pool gradient on signed inputs', () => {
  it('cpu matches a hand-written float64 reference', async () => {
    const [got] = await runOn('cpu', SIGNED_MAXPOOL_GRADIENT);
    const want = maxPoolGradientByHand(X_IMG);
    expect(worstMismatch(got ?? new Float32Array(), Float32Array.from(want))).toBeNull();
  });

  // wasm: tfjs-backend-wasm 4.22 dropped the gradient of all-negative windows; the MaxPoolGrad
  // registered by $lib/platform/kernels fixes that.
  for (const backend of ['webgpu', 'webgl', 'wasm'] as const) {
    it(`${backend} matches cpu`, () => expectParity(backend, SIGNED_MAXPOOL_GRADIENT));
  }
});

for (const backend of BACKENDS) {
  describe(`${backend} matches cpu within rtol ${RTOL}, atol ${ATOL}`, () => {
    for (const [name, fn] of Object.entries(CASES)) {
      it(name, () => expectParity(backend, fn));
    }
    it('conv2d gradient w.r.t. filter', () => expectParity(backend, FILTER_GRADIENT));
  });
}

describe('gradient kernels on wasm (tfjs-backend-wasm 4.22 plus $lib/platform/kernels)', () => {
  const gradientKernels = () =>
    tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((n) => /Grad|Backprop/.test(n));

  // 4.22 alone lacks Conv2DBackpropFilter and both depthwise backprops; $lib/platform adds them.
  it('wasm has every gradient kernel the cpu has', () => {
    expect(gradientKernels().filter((n) => !tf.getKernel(n, 'wasm'))).toEqual([]);
  });

  it('webgpu has every gradient kernel the cpu has; webgl lacks only Dilation2D backprops', () => {
    expect(gradientKernels().filter((n) => !tf.getKernel(n, 'webgpu'))).toEqual([]);
    expect(
      gradientKernels()
        .filter((n) => !tf.getKernel(n, 'webgl'))
        .sort(),
    ).toEqual(['Dilation2DBackpropFilter', 'Dilation2DBackpropInput']);
  });
});
