/**
 * VGG16/VGG19 convolutional stacks built in code with Keras' layer names (`block{b}_conv{i}`,
 * `block{b}_pool`), so any input size works, and weights assigned by layer name from a tfjs
 * layers model (model.json + shards read by the caller: this folder does no I/O).
 */
import * as tf from '@tensorflow/tfjs';
import type { VggArch } from './presets.ts';

/** Convolutions per block (Simonyan & Zisserman 2015, configurations D and E). */
const CONVS_PER_BLOCK: Record<VggArch, readonly number[]> = {
  vgg16: [2, 2, 3, 3, 3],
  vgg19: [2, 2, 4, 4, 4],
};
const FILTERS = [64, 128, 256, 512, 512] as const;

/** Keras layer names of a VGG in order, pools included. */
export function vggLayerNames(arch: VggArch): string[] {
  const names: string[] = [];
  CONVS_PER_BLOCK[arch].forEach((n, b) => {
    for (let i = 1; i <= n; i++) names.push(`block${b + 1}_conv${i}`);
    names.push(`block${b + 1}_pool`);
  });
  return names;
}

/**
 * A model from a [1, h, w, 3] caffe-preprocessed image to the named layers' activations (in the
 * order given), built only as deep as the deepest of them: conv 3×3 same + ReLU, max-pool 2×2.
 */
export function buildVgg(arch: VggArch, outputLayers: readonly string[]): tf.LayersModel {
  const names = vggLayerNames(arch);
  const missing = outputLayers.filter((n) => !names.includes(n));
  if (missing.length > 0) throw new RangeError(`${arch} has no layer ${missing.join(', ')}`);
  const last = Math.max(...outputLayers.map((n) => names.indexOf(n)));
  const input = tf.input({ shape: [null, null, 3], name: 'input_1' });
  const built = new Map<string, tf.SymbolicTensor>();
  let x = input;
  for (const name of names.slice(0, last + 1)) {
    const block = Number(name.charAt(5));
    const layer = name.endsWith('_pool')
      ? tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name })
      : tf.layers.conv2d({
          filters: FILTERS[block - 1]!,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name,
        });
    x = layer.apply(x) as tf.SymbolicTensor;
    built.set(name, x);
  }
  return tf.model({ inputs: input, outputs: outputLayers.map((n) => built.get(n)!), name: arch });
}

/** The parts of a tfjs layers model.json that carry weights. */
export interface LayersModelJson {
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Decodes the weights of a tfjs layers model given its model.json and shard contents by path. */
export function decodeLayersWeights(
  modelJson: LayersModelJson,
  shards: ReadonlyMap<string, ArrayBuffer>,
): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const group of modelJson.weightsManifest) {
    const buffers = group.paths.map((p) => {
      const b = shards.get(p);
      if (b === undefined) throw new RangeError(`missing weight shard ${p}`);
      return b;
    });
    // A group's weights are laid out back to back across its shards.
    Object.assign(out, tf.io.decodeWeights(concatBuffers(buffers), group.weights));
  }
  return out;
}

function concatBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Finds `<layer>/kernel` (or `…/<layer>/kernel`, as some converters prefix the model name). */
function findWeight(
  weights: tf.NamedTensorMap,
  layer: string,
  kind: string,
): tf.Tensor | undefined {
  const exact = weights[`${layer}/${kind}`];
  if (exact) return exact;
  const key = Object.keys(weights).find((k) => k.endsWith(`/${layer}/${kind}`));
  return key === undefined ? undefined : weights[key];
}

/** Copies kernel and bias into every conv layer of a `buildVgg` model by name; throws on a missing or misshapen weight. */
export function setVggWeights(model: tf.LayersModel, weights: tf.NamedTensorMap): void {
  for (const layer of model.layers) {
    if (!layer.name.includes('_conv')) continue;
    const kernel = findWeight(weights, layer.name, 'kernel');
    const bias = findWeight(weights, layer.name, 'bias');
    if (!kernel || !bias) throw new RangeError(`no weights for ${layer.name}`);
    const [k0, b0] = layer.getWeights();
    if (
      !tf.util.arraysEqual(kernel.shape, k0!.shape) ||
      !tf.util.arraysEqual(bias.shape, b0!.shape)
    ) {
      throw new RangeError(
        `${layer.name}: weights [${kernel.shape}]/[${bias.shape}] do not fit [${k0!.shape}]/[${b0!.shape}]`,
      );
    }
    layer.setWeights([kernel, bias]);
  }
}

/** Runs the model and always returns a list of activations (Keras returns a bare tensor for one output). */
export function vggFeatures(model: tf.LayersModel, image: tf.Tensor4D): tf.Tensor4D[] {
  const out = model.apply(image) as tf.Tensor4D | tf.Tensor4D[];
  return Array.isArray(out) ? out : [out];
}
