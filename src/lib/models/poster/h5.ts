/**
 * Reads Keras weight files (.h5, HDF5) with h5wasm: the weights-only layout Keras writes with
 * `save_weights` and ships as e.g. `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` (root
 * attribute `layer_names`; per layer group an attribute `weight_names` like
 * `block1_conv1/kernel:0`, datasets at `/<layer>/<weight name>`), and full-model files whose
 * weights sit under `/model_weights`. The h5wasm module is injected (its Node and browser
 * builds load their wasm differently).
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of h5wasm used here. */
export interface H5Wasm {
  ready: Promise<{
    FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
  }>;
  File: new (path: string, mode: string) => H5File;
}
interface H5Attr {
  value: unknown;
}
interface H5Node {
  attrs: Record<string, H5Attr>;
}
interface H5Dataset extends H5Node {
  shape: number[] | null;
  value: unknown;
}
interface H5File extends H5Node {
  get(path: string): (H5Node & Partial<H5Dataset>) | null;
  close(): void;
}

let counter = 0;

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return [v];
  throw new RangeError(`expected a list of names, got ${typeof v}`);
}

/** Weights of a Keras .h5 by `<layer>/<weight>` (e.g. `block1_conv1/kernel`), float32 tensors. */
export async function readKerasH5(bytes: Uint8Array, h5: H5Wasm): Promise<tf.NamedTensorMap> {
  const { FS } = await h5.ready;
  const path = `/tmp-keras-${Date.now()}-${counter++}.h5`;
  FS.writeFile(path, bytes);
  let file: H5File | null = null;
  try {
    file = new h5.File(path, 'r');
    const root = file.get('model_weights') ? 'model_weights/' : '';
    const top = root ? file.get('model_weights')! : file;
    const layers = top.attrs['layer_names'];
    if (!layers) throw new RangeError('not a Keras weights file: no layer_names attribute');
    const out: tf.NamedTensorMap = {};
    for (const layer of strings(layers.value)) {
      const group = file.get(`${root}${layer}`);
      if (!group) throw new RangeError(`layer ${layer} is listed but missing`);
      const names = group.attrs['weight_names'];
      // Layers without weights (input, pooling) list none; some writers store one empty name.
      for (const wname of names ? strings(names.value).filter(Boolean) : []) {
        const ds = file.get(`${root}${layer}/${wname}`);
        if (!ds || !ds.shape) throw new RangeError(`weight ${layer}/${wname} is missing`);
        const values = Float32Array.from(ds.value as ArrayLike<number>);
        // 'block1_conv1/kernel:0' → 'block1_conv1/kernel' (tfjs naming).
        const short = wname.replace(/:\d+$/, '').split('/').pop()!;
        out[`${layer}/${short}`] = tf.tensor(values, ds.shape);
      }
    }
    return out;
  } finally {
    file?.close();
    FS.unlink(path);
  }
}
