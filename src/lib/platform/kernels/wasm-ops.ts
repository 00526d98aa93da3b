/**
 * Helpers for composite wasm kernels: run another registered wasm kernel on TensorInfos (as
 * tfjs-backend-wasm's own composite kernels do, e.g. BatchMatMul calling Reshape), read and write
 * tensors in place on the wasm heap, and free intermediates.
 */
import * as tf from '@tensorflow/tfjs';

type Attrs = Record<string, unknown>;

/** The parts of tfjs-backend-wasm's BackendWasm that these kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Runs the wasm kernel `name` directly (no engine bookkeeping); the caller owns the result. */
export function runWasm(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Attrs = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({
    inputs,
    backend,
    attrs: attrs as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/** Frees intermediate TensorInfos made inside a kernel. */
export function free(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * A float32 view of a tensor's wasm memory. Views go stale when the heap grows (any allocation),
 * so take them after the last makeOutput of a kernel.
 */
export function heapF32(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`expected float32, got ${info.dtype}`);
  return view;
}

/** A new float32 tensor on the wasm heap filled with zeros (malloc does not clear memory). */
export function zerosF32(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).fill(0);
  return out;
}

/** [batch, height, width, channels] of a 4-D shape, checked. */
export function dims4(shape: number[]): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`expected a rank-4 tensor, got shape [${shape}]`);
  return shape as [number, number, number, number];
}
