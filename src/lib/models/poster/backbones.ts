/**
 * ImageNet backbones for transfer learning. VGG16/VGG19 are built in code by Keras layer name
 * (style/vgg.ts), so any input size works (the paper's 148×100 posters) and weights come by name
 * from a Keras .h5 or a tfjs layers model. MobileNet v1/v2 are loaded as tfjs layers models
 * (Keras' own graphs, with batch norm, depthwise convs and residual adds, saved with their layer
 * names): rebuilding 17 inverted-residual blocks by hand would only re-state the saved topology,
 * and their ImageNet features are meant for the 224×224 input they were trained on, so the
 * pipeline resizes posters to 224×224 for them. All I/O (files, URLs, caches) stays with callers.
 */
import * as tf from '@tensorflow/tfjs';
import { buildVgg, setVggWeights } from '../../style/vgg.ts';
import type { Normalization } from '../../vision/pipeline.ts';

export type BackboneName = 'vgg16' | 'vgg19' | 'mobilenetv1-1.0' | 'mobilenetv2-0.35';

export interface BackboneDef {
  label: string;
  /** Fixed input size, or null when built in code for any size. */
  input: { height: number; width: number } | null;
  normalization: Normalization;
  /** How the last feature map becomes a vector: the paper flattens VGG's block5_pool. */
  reduce: 'flatten' | 'average' | 'none';
  /** Layers of the last conv block (unfrozen when fine-tuning). */
  lastBlock: (layerNames: string[]) => string[];
  /** Where real users' browsers fetch the weights from (cached for offline use by the worker). */
  officialUrl: string;
}

export const BACKBONES: Readonly<Record<BackboneName, BackboneDef>> = {
  vgg16: {
    label: 'VGG16 (ImageNet)',
    input: null,
    normalization: 'caffe',
    reduce: 'flatten',
    lastBlock: (names) => names.filter((n) => n.startsWith('block5_')),
    officialUrl:
      'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  },
  vgg19: {
    label: 'VGG19 (ImageNet)',
    input: null,
    normalization: 'caffe',
    reduce: 'flatten',
    lastBlock: (names) => names.filter((n) => n.startsWith('block5_')),
    officialUrl:
      'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
  },
  'mobilenetv1-1.0': {
    label: 'MobileNet v1 1.0 (ImageNet)',
    input: { height: 224, width: 224 },
    normalization: 'tf',
    reduce: 'average',
    lastBlock: (names) => names.filter((n) => /conv_(dw|pw)_13/.test(n)),
    officialUrl: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json',
  },
  'mobilenetv2-0.35': {
    label: 'MobileNetV2 α=0.35 (ImageNet)',
    input: { height: 224, width: 224 },
    normalization: 'tf',
    reduce: 'none',
    lastBlock: (names) => names.filter((n) => n.startsWith('block_16') || n.startsWith('Conv_1')),
    officialUrl:
      'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
  },
};

/** A tfjs layers model's model.json and shard bytes as model artifacts (for tf.loadLayersModel). */
export function layersArtifacts(
  modelJson: {
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  },
  shards: ReadonlyMap<string, ArrayBuffer>,
): tf.io.ModelArtifacts {
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const buffers = modelJson.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      const b = shards.get(p);
      if (!b) throw new RangeError(`missing weight shard ${p}`);
      return b;
    }),
  );
  return {
    modelTopology: modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

/** Loads a saved layers model from artifacts in memory. */
export function loadLayersBackbone(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** A VGG conv stack to block5_pool for any input size, weights assigned by layer name. */
export function buildVggBackbone(
  arch: 'vgg16' | 'vgg19',
  weights: tf.NamedTensorMap,
): tf.LayersModel {
  const model = buildVgg(arch, ['block5_pool']);
  setVggWeights(model, weights);
  return model;
}

/** The backbone's output as one vector per image (flatten, global average, or as is). */
export function reduceFeatures(out: tf.Tensor, reduce: BackboneDef['reduce']): tf.Tensor2D {
  return tf.tidy(() => {
    if (out.rank === 2 || reduce === 'none') return out.reshape([out.shape[0]!, -1]) as tf.Tensor2D;
    if (reduce === 'average') return tf.mean(out, [1, 2]) as tf.Tensor2D;
    return out.reshape([out.shape[0]!, -1]) as tf.Tensor2D;
  });
}

/** Features of a batch [n, h, w, 3] already normalised for the backbone. */
export async function extractFeatures(
  backbone: tf.LayersModel,
  def: BackboneDef,
  images: tf.Tensor4D,
): Promise<{ data: Float32Array; dims: number }> {
  const f = tf.tidy(() => reduceFeatures(backbone.predict(images) as tf.Tensor, def.reduce));
  const data = (await f.data()) as Float32Array;
  const dims = f.shape[1];
  f.dispose();
  return { data, dims };
}
