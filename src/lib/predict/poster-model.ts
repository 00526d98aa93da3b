/**
 * Poster → genre-group probabilities, shared by the browser worker, the CLI and training:
 * decode (jpeg-js for JPEG everywhere, so the browser and `npm run predict` see the same pixels;
 * the injected browser decoder for PNG/WebP/GIF), resize to the backbone's 224×224 with the
 * pipeline's bilinear resize, scale to [-1, 1], backbone features (1280), then the trained head.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeJpeg } from '../vision/decode-node.ts';
import {
  preparePoster,
  type ImageDecoder,
  type ImageTensorData,
  type PipelineSpec,
  type RgbaImage,
} from '../vision/pipeline.ts';
import { checkImageBytes } from './input-check.ts';
import { errorMessage } from '../core/errors.ts';

/** MobileNetV2 input: 224×224 RGB in [-1, 1] (Keras mobilenet_v2 preprocess_input). */
export const POSTER_PIPELINE: Readonly<PipelineSpec> = {
  height: 224,
  width: 224,
  color: 'rgb',
  normalization: 'tf',
};

/** Raised for input a person must fix (not an image, truncated…); its message is shown as is. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Checks, then decodes: JPEG with jpeg-js (same pixels in Node and the browser), the rest with `other`. */
export async function decodeChecked(bytes: Uint8Array, other?: ImageDecoder): Promise<RgbaImage> {
  const check = checkImageBytes(bytes);
  if (!check.ok) throw new InputError(check.reason);
  try {
    if (check.type === 'image/jpeg') return decodeJpeg(bytes);
    if (!other)
      throw new InputError(`${check.type} needs the browser's decoder; only JPEG decodes here`);
    return await other(bytes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`could not decode the image: ${errorMessage(e)}`);
  }
}

/** Decoded image → the backbone's input. */
export function prepareForBackbone(
  img: RgbaImage,
  p: PipelineSpec = POSTER_PIPELINE,
): ImageTensorData {
  return preparePoster(img, p);
}

/** Backbone features of prepared images, row-major [n × dims]. */
export async function backboneFeatures(
  backbone: tf.LayersModel,
  images: readonly ImageTensorData[],
): Promise<{ data: Float32Array; dims: number }> {
  const first = images[0];
  if (!first) return { data: new Float32Array(0), dims: 0 };
  const size = first.data.length;
  const batch = new Float32Array(images.length * size);
  images.forEach((im, i) => batch.set(im.data, i * size));
  const f = tf.tidy(() => {
    const x = tf.tensor4d(batch, [images.length, first.height, first.width, first.channels]);
    const out = backbone.predict(x) as tf.Tensor;
    return out.reshape([images.length, -1]) as tf.Tensor2D;
  });
  const data = (await f.data()) as Float32Array;
  const dims = f.shape[1];
  f.dispose();
  return { data, dims };
}

/** Head probabilities for feature rows, row-major [rows × labels]. */
export async function headProbabilities(
  head: tf.LayersModel,
  features: Float32Array,
  rows: number,
): Promise<Float32Array> {
  const p = tf.tidy(
    () => head.predict(tf.tensor2d(features, [rows, features.length / rows])) as tf.Tensor,
  );
  const data = (await p.data()) as Float32Array;
  p.dispose();
  return data;
}
