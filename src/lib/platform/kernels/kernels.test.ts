import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../node.ts';
import { registerWasmTrainingKernels } from './index.ts';
import {
  CONV_CASES,
  DEPTHWISE_CASES,
  MATMUL_CASES,
  MAXPOOL_CASES,
  NCHW_CASE,
  SUM_CASES,
  runCase,
  values,
  worstMismatch,
  type KernelCase,
} from './parity-cases.ts';

/** cpu result, its Σ|terms| and the wasm result of one case. */
async function onBoth(c: KernelCase): Promise<[Float32Array, Float32Array, Float32Array]> {
  await useBackend('cpu');
  const want = await runCase(c);
  const absSum = await runCase(c, true);
  await useBackend('wasm');
  return [await runCase(c), want, absSum];
}

beforeAll(() => registerWasmTrainingKernels());

describe('wasm training kernels match the cpu backend (Node)', () => {
  for (const c of [
    ...CONV_CASES,
    NCHW_CASE,
    ...DEPTHWISE_CASES,
    ...MAXPOOL_CASES,
    ...SUM_CASES,
    ...MATMUL_CASES,
  ]) {
    it(c.name, async () => {
      const [got, want, absSum] = await onBoth(c);
      expect(want.some((v) => Math.abs(v) > 0.1)).toBe(true); // the reference is not all zeros
      expect(worstMismatch(got, want, absSum)).toBeNull();
    });
  }
});

describe('registerWasmTrainingKernels', () => {
  it('leaves wasm with every gradient kernel the cpu has, except Dilation2D backprops it already had', () => {
    const missing = tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((n) => /Grad|Backprop/.test(n) && !tf.getKernel(n, 'wasm'));
    expect(missing).toEqual([]);
  });

  it('is idempotent', () => {
    const before = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(before);
  });

  it('frees every intermediate: no tensors or wasm buffers left behind', async () => {
    await useBackend('wasm');
    const cases = [
      ...CONV_CASES.slice(0, 4),
      NCHW_CASE,
      ...DEPTHWISE_CASES.slice(0, 2),
      ...MAXPOOL_CASES.slice(0, 1),
      ...SUM_CASES.slice(0, 3),
      ...MATMUL_CASES,
    ];
    await runCase(cases[0]!); // first run may allocate backend state
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (const c of cases) await runCase(c);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('the conv filter gradient flows through tf.grad on wasm (it threw before)', async () => {
    await useBackend('wasm');
    const x = tf.tensor4d(values(2 * 9 * 9 * 3, 1), [2, 9, 9, 3]);
    const w = tf.tensor4d(values(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
    const g = tf.grad((f: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, 1, 'same'))),
    )(w);
    expect(g.shape).toEqual([3, 3, 3, 4]);
    expect((await g.data()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, w, g]);
  });
});

describe('Sum, Identity and Cast on wasm', () => {
  it('Sum over leading axes has the shape of the cpu kernel, with and without keepDims', async () => {
    await useBackend('wasm');
    const x = tf.tensor4d(values(2 * 3 * 4 * 5, 41), [2, 3, 4, 5]);
    expect(tf.sum(x, [0, 1, 2]).shape).toEqual([5]);
    expect(tf.sum(x, [1, 0], true).shape).toEqual([1, 1, 4, 5]);
    expect(tf.sum(x).shape).toEqual([]); // all axes: a scalar
    tf.dispose(x);
  });

  it('Sum of int32 goes to the original kernel and stays int32', async () => {
    await useBackend('wasm');
    const s = tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0);
    expect(s.dtype).toBe('int32');
    expect([...(await s.data())]).toEqual([9, 12]);
  });

  it('Identity and float32→float32 Cast share the buffer, freed with the last reference', async () => {
    await useBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const copies = [tf.clone(x), tf.cast(x, 'float32'), tf.engine().runKernel('Identity', { x })];
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    tf.dispose(x);
    for (const c of copies) expect([...(await (c as tf.Tensor).data())]).toEqual([1.5, -2.25, 3]);
    tf.dispose(copies as tf.Tensor[]);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('a Cast to another dtype still converts, to bool as x ≠ 0 (4.22 gave 254 for −2.5)', async () => {
    await useBackend('wasm');
    const x = tf.tensor1d([1.7, -2.5, 0, NaN]);
    const [i, b] = [tf.cast(x, 'int32'), tf.cast(x, 'bool')];
    expect([i.dtype, b.dtype]).toEqual(['int32', 'bool']);
    expect([...(await i.data())].slice(0, 3)).toEqual([1, -2, 0]);
    expect([...(await b.data())]).toEqual([1, 1, 0, 1]);
    tf.dispose([x, i, b]);
  });
});

describe('MaxPoolGrad on wasm', () => {
  it('without a usable forward output (all NaN) still matches the cpu kernel', async () => {
    // Signed inputs on a 1/4 grid (ties), 'same' padding: the full-compare path must pick the
    // first maximum exactly as the cpu kernel, which ignores `output`.
    const x = values(2 * 9 * 9 * 3, 51).map((v) => Math.round(v * 4) / 4);
    const dy = values(2 * 5 * 5 * 3, 52);
    const run = async (output: Float32Array) => {
      const inputs = {
        input: tf.tensor4d(x, [2, 9, 9, 3]),
        dy: tf.tensor4d(dy, [2, 5, 5, 3]),
        output: tf.tensor4d(output, [2, 5, 5, 3]),
      };
      const attrs = { filterSize: 3, strides: 2, pad: 'same' };
      const out = tf.engine().runKernel('MaxPoolGrad', inputs, attrs) as tf.Tensor;
      const data = Float32Array.from(await out.data());
      tf.dispose([out, ...Object.values(inputs)]);
      return data;
    };
    await useBackend('cpu');
    const want = await run(new Float32Array(dy.length));
    await useBackend('wasm');
    const got = await run(new Float32Array(dy.length).fill(NaN));
    expect(want.some((v) => v !== 0)).toBe(true);
    // Each dx sums at most 4 dy values |·| < 1 (windows overlap by one row/column); float32 adds
    // here vs one rounding on cpu differ by ≤ 4·6e-8, a wrong or missing position by ~0.1.
    const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('depthwise gradients with dilation 2 (the cpu kernels ignore dilations)', () => {
  // Direct float64 definition: dW[kh,kw,c,m] = Σ X[b, y·s + kh·d − pt, x·s + kw·d − pl, c]·dY[b,y,x,c·M+m].
  const [B, H, W, C, M, F, D] = [2, 9, 8, 3, 2, 3, 2];
  const pt = 2; // 'same' with effective filter (F−1)·D+1 = 5 at stride 1: 2 on each side
  const x = values(B * H * W * C, 21);
  const dy = values(B * H * W * C * M, 22);
  const attrs = { strides: 1, pad: 'same', dilations: D };

  it('filter gradient matches the definition', async () => {
    await useBackend('wasm');
    const out = tf
      .engine()
      .runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: tf.tensor4d(x, [B, H, W, C]), dy: tf.tensor4d(dy, [B, H, W, C * M]) },
        { ...attrs, filterShape: [F, F, C, M] },
      ) as tf.Tensor;
    const got = await out.data();
    let worst = 0;
    for (let kh = 0; kh < F; kh++)
      for (let kw = 0; kw < F; kw++)
        for (let c = 0; c < C; c++)
          for (let m = 0; m < M; m++) {
            let s = 0;
            for (let b = 0; b < B; b++)
              for (let yy = 0; yy < H; yy++)
                for (let xx = 0; xx < W; xx++) {
                  const [r, q] = [yy + kh * D - pt, xx + kw * D - pt];
                  if (r < 0 || r >= H || q < 0 || q >= W) continue;
                  s +=
                    x[((b * H + r) * W + q) * C + c]! *
                    dy[((b * H + yy) * W + xx) * C * M + c * M + m]!;
                }
            worst = Math.max(worst, Math.abs(got[((kh * F + kw) * C + c) * M + m]! - s));
          }
    // Sums of ≤ 144 products |·| < 1, accumulated in float64, rounded once to float32.
    expect(worst).toBeLessThan(1e-5);
    tf.dispose(out);
  });

  it('input gradient is the adjoint of the forward depthwise conv: <dX, X> = <dY, conv(X)>', async () => {
    await useBackend('wasm');
    const filter = tf.tensor4d(values(F * F * C * M, 23), [F, F, C, M]);
    const xt = tf.tensor4d(x, [B, H, W, C]);
    const dyt = tf.tensor4d(dy, [B, H, W, C * M]);
    const dx = tf
      .engine()
      .runKernel(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: dyt, filter },
        { ...attrs, inputShape: [B, H, W, C] },
      ) as tf.Tensor;
    // Forward on cpu: its DepthwiseConv2dNative honours dilations.
    await useBackend('cpu');
    const yCpu = tf.depthwiseConv2d(
      tf.tensor4d(x, [B, H, W, C]),
      tf.tensor4d(values(F * F * C * M, 23), [F, F, C, M]),
      1,
      'same',
      'NHWC',
      D,
    );
    const lhs = [...(await dx.data())].reduce((a, v, i) => a + v * x[i]!, 0);
    const rhs = [...(await yCpu.data())].reduce((a, v, i) => a + v * dy[i]!, 0);
    // Two float32-rounded sums of ~860 terms of size ≲ 1: agree to ~1e-4 absolute.
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3);
    expect(Math.abs(rhs)).toBeGreaterThan(0.1);
    tf.dispose([filter, xt, dyt, dx, yCpu]);
  });
});
