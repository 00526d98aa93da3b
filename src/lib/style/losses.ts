/**
 * Gatys et al. losses as written in the Keras `examples/neural_style_transfer.py` the paper
 * followed, plus VGG's caffe-style pre/de-processing. All take and return tfjs tensors; callers
 * wrap them in `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';

/** ImageNet mean pixel in BGR order, subtracted by Keras' `vgg16.preprocess_input` (caffe mode). */
export const VGG_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** Drops a leading batch of 1 so features are [h, w, c]. */
function toHwc(x: tf.Tensor): tf.Tensor3D {
  if (x.rank === 3) return x as tf.Tensor3D;
  if (x.rank === 4 && x.shape[0] === 1) return x.squeeze([0]) as tf.Tensor3D;
  throw new RangeError(`expected [h, w, c] or [1, h, w, c], got [${x.shape.join(', ')}]`);
}

/** Gram matrix: features reshaped to F = (c, h·w), returned as F Fᵀ (c × c), as Keras' `gram_matrix`. */
export function gramMatrix(features: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D {
  const x = toHwc(features);
  const [h, w, c] = x.shape;
  // Row-major [h, w, c] → [h·w, c] is Fᵀ, so F Fᵀ = (Fᵀ)ᵀ Fᵀ.
  const ft = x.reshape([h * w, c]);
  return tf.matMul(ft, ft, true, false);
}

/** Normaliser of the style loss: the loss is Σ(S − C)² / (4 · channels² · size²). */
export interface StyleNorm {
  channels: number;
  size: number;
}

/**
 * The Keras example's normaliser: `channels = 3` and `size = img_nrows * img_ncols`, i.e. the
 * combination *image's* pixel count and channel count for every layer (not the layer's own).
 */
export function kerasStyleNorm(imageHeight: number, imageWidth: number): StyleNorm {
  return { channels: 3, size: imageHeight * imageWidth };
}

/** Style loss Σ(G(style) − G(combo))² / (4 N² M²); without `norm`, N and M are the layer's channels and h·w (Gatys et al. eq. 4). */
export function styleLoss(
  styleFeatures: tf.Tensor3D | tf.Tensor4D,
  comboFeatures: tf.Tensor3D | tf.Tensor4D,
  norm?: StyleNorm,
): tf.Scalar {
  const [h, w, c] = toHwc(comboFeatures).shape;
  const { channels, size } = norm ?? { channels: c, size: h * w };
  const s = gramMatrix(styleFeatures);
  const g = gramMatrix(comboFeatures);
  return tf.sum(tf.squaredDifference(s, g)).div(4 * channels ** 2 * size ** 2) as tf.Scalar;
}

/** Content loss Σ(combo − base)², unnormalised as in the Keras example. */
export function contentLoss(baseFeatures: tf.Tensor, comboFeatures: tf.Tensor): tf.Scalar {
  return tf.sum(tf.squaredDifference(comboFeatures, baseFeatures));
}

/**
 * Keras' total variation loss on an image [1, h, w, c] (or [h, w, c]):
 * a = (x[:h-1, :w-1] − x[1:, :w-1])², b = (x[:h-1, :w-1] − x[:h-1, 1:])², Σ (a + b)^1.25.
 */
export function totalVariationLoss(image: tf.Tensor3D | tf.Tensor4D): tf.Scalar {
  const x = toHwc(image);
  const [h, w, c] = x.shape;
  const corner = x.slice([0, 0, 0], [h - 1, w - 1, c]);
  const a = tf.squaredDifference(corner, x.slice([1, 0, 0], [h - 1, w - 1, c]));
  const b = tf.squaredDifference(corner, x.slice([0, 1, 0], [h - 1, w - 1, c]));
  return tf.sum(tf.pow(tf.add(a, b), 1.25));
}

/** RGB in 0..255 → VGG input: channels reversed to BGR, then the BGR mean pixel subtracted. */
export function preprocessVgg<T extends tf.Tensor3D | tf.Tensor4D>(rgb: T): T {
  const bgr = tf.reverse(rgb, -1);
  return tf.sub(bgr, tf.tensor1d(VGG_MEAN_BGR as unknown as number[])) as T;
}

/** Inverse of `preprocessVgg`: mean added back, BGR → RGB, clipped to 0..255 (still float). */
export function deprocessVgg<T extends tf.Tensor3D | tf.Tensor4D>(x: T): T {
  const bgr = tf.add(x, tf.tensor1d(VGG_MEAN_BGR as unknown as number[]));
  return tf.clipByValue(tf.reverse(bgr, -1), 0, 255) as T;
}

/** Per-channel bounds of preprocessed pixels (BGR order): lower −mean, upper 255 − mean. */
export function vggPixelBounds(): {
  lower: [number, number, number];
  upper: [number, number, number];
} {
  const [b, g, r] = VGG_MEAN_BGR;
  return { lower: [-b, -g, -r], upper: [255 - b, 255 - g, 255 - r] };
}
