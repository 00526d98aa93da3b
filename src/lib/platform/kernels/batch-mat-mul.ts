/**
 * BatchMatMul for the wasm backend with transposed 2-D operands (a dense layer's gradients:
 * dX = dY·Wᵀ and dW = Xᵀ·dY). tfjs-backend-wasm 4.22 runs XNNPACK only without transposes and
 * otherwise a scalar loop about 3× slower; this copies the transposed operand (small next to the
 * product) and runs the XNNPACK path. Other cases go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { free, heapF32, type WasmBackend } from './wasm-ops.ts';

type KernelArgs = {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
};

/** A new [cols, rows] tensor holding the transpose of the 2-D tensor `m`. */
function transposed(backend: WasmBackend, m: tf.TensorInfo): tf.TensorInfo {
  const [rows, cols] = m.shape as [number, number];
  const out = backend.makeOutput([cols, rows], 'float32');
  const [src, dst] = [heapF32(backend, m), heapF32(backend, out)];
  for (let i = 0; i < rows; i++)
    for (let j = 0, from = i * cols; j < cols; j++) dst[j * rows + i] = src[from + j]!;
  return out;
}

/** The kernel config registered for 'wasm', falling back to `original` where it does not apply. */
export function batchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const plain2d = [a, b].every((t) => t.shape.length === 2 && t.dtype === 'float32');
    if (!(transposeA || transposeB) || !plain2d) return original.kernelFunc(args) as tf.TensorInfo;
    const a2 = transposeA ? transposed(backend, a) : a;
    const b2 = transposeB ? transposed(backend, b) : b;
    const out = original.kernelFunc({
      inputs: { a: a2, b: b2 },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    for (const [t, t2] of [
      [a, a2],
      [b, b2],
    ] as const)
      if (t2 !== t) free(backend, t2);
    return out;
  };
  return {
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    // The original kernel binds its wasm function in its setup.
    setupFunc: original.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
