/**
 * The Gatys/Keras style-transfer loss of a combination image as an async objective for
 * `minimizeLbfgs`/`minimizeAdam`: x is the preprocessed image [h, w, 3] flattened (BGR, mean
 * subtracted), f the weighted loss and g its gradient, from one `tf.valueAndGrad` in `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  contentLoss,
  kerasStyleNorm,
  styleLoss,
  totalVariationLoss,
  vggPixelBounds,
} from './losses.ts';
import type { Objective } from './opt-common.ts';
import { type LossWeights, type StylePreset, presetLayers } from './presets.ts';
import { vggFeatures } from './vgg.ts';

/** Loss terms already multiplied by their weights; total is their sum. */
export interface LossTerms {
  content: number;
  style: number;
  tv: number;
  total: number;
}

export interface StyleObjective {
  objective: Objective;
  /** The weighted terms at x, for display. */
  terms(x: Float64Array): Promise<LossTerms>;
  height: number;
  width: number;
  /** Frees the cached content features and style Gram matrices (the model stays the caller's). */
  dispose(): void;
}

/**
 * Builds the objective for `model` = `buildVgg(preset.arch, presetLayers(preset))` with weights
 * set, and preprocessed content and style images [h, w, 3] (the style image may differ in size).
 */
export function styleObjective(
  model: tf.LayersModel,
  content: tf.Tensor3D,
  style: tf.Tensor3D,
  preset: StylePreset,
  weights: LossWeights = preset.weights,
): StyleObjective {
  const layers = presetLayers(preset);
  const [height, width] = content.shape;
  const contentIdx = layers.indexOf(preset.contentLayer);
  const styleIdx = preset.styleLayers.map((l) => layers.indexOf(l));
  const norm = preset.styleNorm === 'keras' ? kerasStyleNorm(height, width) : undefined;
  // Targets are constants: computed once, kept until dispose().
  const contentTarget = tf.tidy(() => vggFeatures(model, content.expandDims(0))[contentIdx]!);
  const styleTargets = tf.tidy(() => {
    const feats = vggFeatures(model, style.expandDims(0));
    return styleIdx.map((i) => feats[i]!);
  });

  const termTensors = (img: tf.Tensor4D) => {
    const feats = vggFeatures(model, img);
    const c = contentLoss(contentTarget, feats[contentIdx]!).mul(weights.content);
    const perLayer = weights.style / styleIdx.length;
    const s = tf.addN(styleIdx.map((i, k) => styleLoss(styleTargets[k]!, feats[i]!, norm)));
    const tv = totalVariationLoss(img).mul(weights.tv);
    return { c, s: s.mul(perLayer), tv };
  };
  const toImage = (x: Float64Array): tf.Tensor4D => {
    if (x.length !== height * width * 3) {
      throw new RangeError(`x has ${x.length} values, expected ${height * width * 3}`);
    }
    return tf.tensor4d(Float32Array.from(x), [1, height, width, 3]);
  };

  const objective: Objective = async (x) => {
    const { value, grad } = tf.tidy(() =>
      tf.valueAndGrad((img: tf.Tensor) => {
        const t = termTensors(img as tf.Tensor4D);
        return tf.addN([t.c, t.s, t.tv]) as tf.Scalar;
      })(toImage(x)),
    );
    try {
      const [f, g] = await Promise.all([value.data(), grad.data()]);
      return { f: f[0]!, g: g as Float32Array };
    } finally {
      value.dispose();
      grad.dispose();
    }
  };

  const terms = async (x: Float64Array): Promise<LossTerms> => {
    const t = tf.tidy(() => {
      const r = termTensors(toImage(x));
      return tf.stack([r.c, r.s, r.tv]);
    });
    const [content = NaN, styleTerm = NaN, tv = NaN] = await t.data();
    t.dispose();
    return { content, style: styleTerm, tv, total: content + styleTerm + tv };
  };

  return {
    objective,
    terms,
    height,
    width,
    dispose: () => tf.dispose([contentTarget, ...styleTargets]),
  };
}

/** Per-value bounds of a flattened preprocessed [h, w, 3] image: each BGR channel's 0..255 range. */
export function imageBounds(
  height: number,
  width: number,
): { lower: Float64Array; upper: Float64Array } {
  const { lower, upper } = vggPixelBounds();
  const n = height * width * 3;
  return {
    lower: Float64Array.from({ length: n }, (_, i) => lower[i % 3]!),
    upper: Float64Array.from({ length: n }, (_, i) => upper[i % 3]!),
  };
}
