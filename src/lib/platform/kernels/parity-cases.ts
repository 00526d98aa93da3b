/**
 * Test cases shared by kernels.test.ts (Node) and kernels.browser.test.ts (Chromium): each runs one
 * gradient kernel on the cpu backend (the reference) and on wasm with seeded inputs.
 *
 * Tolerance, per element: |wasm − cpu| ≤ RTOL_SUM · S + ATOL, where S = Σ|terms| of that
 * element's sum (the same kernel run on |inputs|). The cpu kernels sum in float64 and round once;
 * XNNPACK sums K float32 products in blocks, whose rounding error grows like √K·ε·S
 * (ε = 1.2e-7; K ≤ 3·13·12 = 468 here, so ≈ 2.6e-6·S) and is bounded by K·ε·S in the worst case.
 * RTOL_SUM = 1e-5 sits between the two, while a bug (a wrong tap, stride or pad) adds or drops
 * whole terms, each ≈ S/K ≥ 2e-3·S: two orders of magnitude above the tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../features/random.ts';

/** The shared seeded PRNG, so both backends see the very same inputs. */
export const seeded = mulberry32;

export const RTOL_SUM = 1e-5;
export const ATOL = 1e-6;

/** n values uniform in [-1, 1), seeded. */
export function values(n: number, seed: number): Float32Array {
  const r = seeded(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

export interface KernelCase {
  name: string;
  kernel: string;
  /** Input name → shape; values are seeded per input. */
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
}

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Geometry = {
  x: number[];
  f: number[];
  s: number | [number, number];
  pad: Pad;
  round?: string;
};

/** Output shape of a conv with this geometry, from tfjs's own shape rules. */
function convOut(g: Geometry, depthwise: boolean, dilations: number | [number, number] = 1) {
  const info = tf.backend_util.computeConv2DInfo(
    g.x as [number, number, number, number],
    g.f as [number, number, number, number],
    g.s,
    dilations,
    g.pad,
    g.round as 'floor' | undefined,
    depthwise,
  );
  return info.outShape;
}

const EXPLICIT: Pad = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];

/** Conv geometries: batch 1/3, channels 1/3/32, strides 1/2, same/valid/explicit/numeric pads. */
export const CONV_GEOMETRIES: Geometry[] = [
  { x: [1, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [3, 9, 7, 3], f: [3, 3, 3, 32], s: 1, pad: 'valid' },
  { x: [3, 11, 9, 32], f: [3, 3, 32, 3], s: 2, pad: 'same' },
  { x: [1, 10, 13, 1], f: [2, 5, 1, 3], s: 2, pad: 'valid' },
  { x: [3, 8, 8, 32], f: [1, 1, 32, 32], s: 1, pad: 'valid' },
  { x: [1, 13, 12, 3], f: [4, 4, 3, 1], s: [2, 1], pad: 'same' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 5], s: 2, pad: EXPLICIT },
  { x: [1, 12, 12, 3], f: [5, 5, 3, 2], s: 3, pad: 'valid' },
  { x: [3, 10, 9, 1], f: [3, 3, 1, 4], s: 2, pad: 1, round: 'floor' },
  { x: [1, 10, 9, 3], f: [3, 3, 3, 4], s: 2, pad: 1, round: 'ceil' },
];

const describeGeometry = (g: Geometry) =>
  `x ${g.x.join('×')} f ${g.f.join('×')} stride ${g.s} pad ${JSON.stringify(g.pad)}${g.round ? ` ${g.round}` : ''}`;

export const CONV_CASES: KernelCase[] = CONV_GEOMETRIES.flatMap((g): KernelCase[] => {
  const dy = convOut(g, false);
  const attrs = { strides: g.s, pad: g.pad, dataFormat: 'NHWC', dimRoundingMode: g.round };
  return [
    {
      name: `Conv2DBackpropFilter ${describeGeometry(g)}`,
      kernel: 'Conv2DBackpropFilter',
      inputs: { x: g.x, dy },
      attrs: { ...attrs, filterShape: g.f },
    },
    {
      name: `Conv2DBackpropInput ${describeGeometry(g)}`,
      kernel: 'Conv2DBackpropInput',
      inputs: { dy, filter: g.f },
      attrs: { ...attrs, inputShape: g.x },
    },
  ];
});

/** NCHW filter gradient (the wasm forward conv is NHWC-only, but the gradient kernel takes both). */
export const NCHW_CASE: KernelCase = {
  name: 'Conv2DBackpropFilter NCHW x 3×3×9×7 f 3×3×3×4 stride 2 same',
  kernel: 'Conv2DBackpropFilter',
  inputs: { x: [3, 3, 9, 7], dy: [3, 4, 5, 4] },
  attrs: { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
};

/** Depthwise geometries (filter [fh, fw, C, multiplier]); dilation 1, which the cpu kernels assume. */
export const DEPTHWISE_CASES: KernelCase[] = (
  [
    { x: [1, 9, 9, 3], f: [3, 3, 3, 1], s: 1, pad: 'same' },
    { x: [3, 11, 9, 32], f: [3, 3, 32, 1], s: 2, pad: 'same' },
    { x: [3, 9, 7, 3], f: [3, 3, 3, 2], s: 1, pad: 'valid' },
    { x: [1, 10, 13, 1], f: [2, 5, 1, 3], s: 2, pad: 'valid' },
    { x: [3, 7, 9, 3], f: [3, 3, 3, 2], s: 2, pad: EXPLICIT },
  ] satisfies Geometry[]
).flatMap((g): KernelCase[] => {
  const dy = convOut(g, true);
  const attrs = { strides: g.s, pad: g.pad, dilations: 1 };
  return [
    {
      name: `DepthwiseConv2dNativeBackpropFilter ${describeGeometry(g)}`,
      kernel: 'DepthwiseConv2dNativeBackpropFilter',
      inputs: { x: g.x, dy },
      attrs: { ...attrs, filterShape: g.f },
    },
    {
      name: `DepthwiseConv2dNativeBackpropInput ${describeGeometry(g)}`,
      kernel: 'DepthwiseConv2dNativeBackpropInput',
      inputs: { dy, filter: g.f },
      attrs: { ...attrs, inputShape: g.x },
    },
  ];
});

/** Max-pool gradients on signed inputs (the wasm 4.22 kernel's failure case). */
export const MAXPOOL_CASES: KernelCase[] = (
  [
    { x: [2, 9, 9, 3], k: 3, s: 2, pad: 'same' },
    { x: [3, 10, 7, 32], k: 2, s: 2, pad: 'valid' },
    { x: [1, 12, 11, 1], k: 3, s: 3, pad: 'valid' },
    { x: [3, 8, 9, 3], k: [2, 3], s: 1, pad: 'same' },
  ] as const
).map(({ x, k, s, pad }) => {
  const info = tf.backend_util.computePool2DInfo(
    [...x] as [number, number, number, number],
    typeof k === 'number' ? k : [k[0], k[1]],
    s,
    1,
    pad,
  );
  return {
    name: `MaxPoolGrad x ${x.join('×')} window ${k} stride ${s} ${pad}`,
    kernel: 'MaxPoolGrad',
    inputs: { input: [...x], dy: info.outShape, output: info.outShape },
    attrs: { filterSize: typeof k === 'number' ? k : [...k], strides: s, pad },
  };
});

/**
 * Sums over leading axes (the bias gradients, summed in place) and, as controls, axes that go to
 * the original wasm kernel. [1500, 6] crosses the 512-row blocks and has a channel tail (6 = 4 + 2).
 */
export const SUM_CASES: KernelCase[] = (
  [
    { x: [16, 6, 5, 32], axis: [0, 1, 2], keepDims: false },
    { x: [3, 7, 5], axis: [1, 0], keepDims: false },
    { x: [2, 3, 4, 5], axis: [0, 1, 2], keepDims: true },
    { x: [1500, 6], axis: 0, keepDims: false },
    { x: [4, 9, 3], axis: [0, 1, 2], keepDims: false },
    { x: [5, 6, 7], axis: [-3, -2], keepDims: false },
    { x: [4, 6, 7], axis: [1, 2], keepDims: false },
    { x: [4, 6, 7], axis: [0, 2], keepDims: true },
  ] as const
).map(({ x, axis, keepDims }) => ({
  name: `Sum x ${x.join('×')} axis ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''}`,
  kernel: 'Sum',
  inputs: { x: [...x] },
  attrs: { axis: typeof axis === 'number' ? axis : [...axis], keepDims },
}));

/** Matmuls with transposed 2-D operands (XNNPACK after a copy) and a rank-3 control (original). */
export const MATMUL_CASES: KernelCase[] = (
  [
    { a: [5, 7], b: [9, 7], tA: false, tB: true },
    { a: [7, 5], b: [7, 9], tA: true, tB: false },
    { a: [7, 5], b: [9, 7], tA: true, tB: true },
    { a: [16, 64], b: [40, 64], tA: false, tB: true },
    { a: [2, 3, 4], b: [2, 5, 4], tA: false, tB: true },
  ] as const
).map(({ a, b, tA, tB }) => ({
  name: `BatchMatMul a ${a.join('×')}${tA ? 'ᵀ' : ''} b ${b.join('×')}${tB ? 'ᵀ' : ''}`,
  kernel: 'BatchMatMul',
  inputs: { a: [...a], b: [...b] },
  attrs: { transposeA: tA, transposeB: tB },
}));

/**
 * Runs a case on the current backend; `abs` feeds |values| (for the S of the tolerance). A max-pool
 * gradient sums at most a few dy values of |·| < 1, so its S is taken as 1.
 */
export async function runCase(c: KernelCase, abs = false): Promise<Float32Array> {
  if (abs && c.kernel === 'MaxPoolGrad') {
    const n = (c.inputs.input ?? []).reduce((a, b) => a * b, 1);
    return new Float32Array(n).fill(1);
  }
  const inputs: Record<string, tf.Tensor> = {};
  let seed = 11;
  for (const [name, shape] of Object.entries(c.inputs)) {
    let v = values(
      shape.reduce((a, b) => a * b, 1),
      seed++,
    );
    // Max-pool inputs on a 1/4 grid: windows then hold ties, which must go to the first maximum.
    if (c.kernel === 'MaxPoolGrad' && name === 'input') v = v.map((e) => Math.round(e * 4) / 4);
    inputs[name] = tf.tensor(abs ? v.map(Math.abs) : v, shape);
  }
  if (c.kernel === 'MaxPoolGrad' && inputs.input) {
    tf.dispose(inputs.output);
    const { filterSize, strides, pad } = c.attrs as unknown as tf.MaxPoolGradAttrs;
    inputs.output = tf.maxPool(inputs.input as tf.Tensor4D, filterSize, strides, pad);
  }
  const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor;
  const data = Float32Array.from(await out.data());
  tf.dispose([out, ...Object.values(inputs)]);
  return data;
}

/** Description of the worst element outside |got − want| ≤ RTOL_SUM·S + ATOL, or null. */
export function worstMismatch(
  got: Float32Array,
  want: Float32Array,
  absSum: Float32Array,
): string | null {
  if (got.length !== want.length) return `length ${got.length}, want ${want.length}`;
  let worst: string | null = null;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i]! - want[i]!) - (RTOL_SUM * absSum[i]! + ATOL);
    if (!(excess <= worstExcess)) {
      worstExcess = excess;
      worst = `[${i}] got ${got[i]}, cpu ${want[i]}, S ${absSum[i]}`;
    }
  }
  return worst;
}
