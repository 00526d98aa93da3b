/**
 * Poster features shared by training (scripts/train-default.ts) and prediction: a backbone's
 * output, global-average-pooled when it is still a feature map (MobileNet v1 cut at conv_dw_13
 * gives 7×7×1024), and the left–right mirror of a prepared image for flip test-time averaging.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageTensorData } from '../vision/pipeline.ts';

/** The image mirrored left–right (HWC layout kept). */
export function flipHorizontal(im: ImageTensorData): ImageTensorData {
  const { height: h, width: w, channels: c } = im;
  const out = new Float32Array(im.data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const src = (y * w + x) * c;
      const dst = (y * w + (w - 1 - x)) * c;
      for (let k = 0; k < c; k++) out[dst + k] = im.data[src + k]!;
    }
  return { ...im, data: out };
}

/** Backbone features of prepared images, row-major [n × dims]; 4-D outputs are averaged over space. */
export async function pooledFeatures(
  backbone: tf.LayersModel,
  images: readonly ImageTensorData[],
): Promise<Float32Array> {
  const first = images[0];
  if (!first) return new Float32Array(0);
  const size = first.data.length;
  const batch = new Float32Array(images.length * size);
  images.forEach((im, i) => batch.set(im.data, i * size));
  const f = tf.tidy(() => {
    const x = tf.tensor4d(batch, [images.length, first.height, first.width, first.channels]);
    const out = backbone.predict(x) as tf.Tensor;
    const pooled = out.rank === 4 ? out.mean([1, 2]) : out;
    return pooled.reshape([images.length, -1]);
  });
  const data = (await f.data()) as Float32Array;
  f.dispose();
  return data;
}
