/**
 * Identity and same-dtype Cast for the wasm backend without a copy. tfjs-backend-wasm 4.22 copies
 * the whole buffer for both (each gradient step of the paper's CNN clones its 7.3 M-value
 * activations three times and casts a float32 mask to float32); the cpu backend instead shares
 * the data and counts a reference, as wasm's own Reshape does. Tensors are immutable, so sharing
 * is safe. Casts to bool compare with zero (the 4.22 kernel copies the bits, so −2.5 became 254);
 * other casts and string tensors go to the original kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './wasm-ops.ts';

type KernelArgs = {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
};

/** A new TensorInfo on the same wasm buffer, one more reference counted. */
function share(backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Identity registered for 'wasm', falling back to `original` for strings. */
export function identityConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args) as tf.TensorInfo;
    return share(args.backend, x);
  };
  return {
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}

/** Cast registered for 'wasm': a shared buffer when the dtype does not change, else a copy. */
export function castConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (dtype === x.dtype && x.dtype !== 'string') return share(args.backend, x);
    if (dtype !== 'bool' || x.dtype === 'string' || x.dtype === 'complex64')
      return original.kernelFunc(args) as tf.TensorInfo;
    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput([...x.shape], 'bool');
    const [from, to] = [backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out)];
    for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0; // NaN → true, as on cpu
    return out;
  };
  return {
    kernelName: tf.Cast,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
