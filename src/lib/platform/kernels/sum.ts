/**
 * Sum for the wasm backend when it reduces the leading axes of a float32 tensor (a bias gradient:
 * dY [b, h, w, c] summed over [0, 1, 2]). tfjs-backend-wasm 4.22 first transposes the reduced
 * axes to the end (a full copy, ~26 ms for the first conv of the paper's CNN) and then sums; this
 * sums the rows in place. Every other case goes to the original kernel.
 *
 * Each output element is a float64 sum over the rows in row order, rounded once to float32: the
 * same numbers, in the same order, as the cpu kernel (which sums in JavaScript numbers).
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackend } from './wasm-ops.ts';

type KernelArgs = {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
};

/** Rows per block: 512 rows of 32 channels (64 KiB) stay in L2 while every channel runs over them. */
const BLOCK_ROWS = 512;

/** How many leading axes `axis` names, or −1 if it is not exactly [0, 1, …, k−1] in some order. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(axis, [...Array<number>(rank).fill(1)]);
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.every((a, i) => a === i) ? sorted.length : -1;
}

/** out[c] = Σ_r x[r·cols + c] in float64, rows taken in blocks of BLOCK_ROWS. */
function sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const end = Math.min(rows, r0 + BLOCK_ROWS) * cols;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      let [s0, s1, s2, s3] = [acc[c]!, acc[c + 1]!, acc[c + 2]!, acc[c + 3]!];
      for (let i = r0 * cols + c; i < end; i += cols) {
        s0 += x[i]!;
        s1 += x[i + 1]!;
        s2 += x[i + 2]!;
        s3 += x[i + 3]!;
      }
      [acc[c], acc[c + 1], acc[c + 2], acc[c + 3]] = [s0, s1, s2, s3];
    }
    for (; c < cols; c++) {
      let s = acc[c]!;
      for (let i = r0 * cols + c; i < end; i += cols) s += x[i]!;
      acc[c] = s;
    }
  }
  out.set(acc);
}

/** The kernel config registered for 'wasm', falling back to `original` where it does not apply. */
export function sumConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const k = x.dtype === 'float32' && x.shape.length > 0 ? leadingAxes(axis, x.shape.length) : -1;
    if (k <= 0) return original.kernelFunc(args) as tf.TensorInfo;
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const kept = x.shape.slice(k);
    const out = backend.makeOutput(
      keepDims ? [...Array<number>(k).fill(1), ...kept] : kept,
      'float32',
    );
    sumRows(heapF32(backend, x), rows, tf.util.sizeFromShape(kept), heapF32(backend, out));
    return out;
  };
  return {
    kernelName: tf.Sum,
    backendName: 'wasm',
    // The original kernel binds its wasm function in its setup; keep that for the fallback.
    setupFunc: original.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
