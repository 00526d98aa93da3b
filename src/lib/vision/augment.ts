/**
 * On-the-fly data augmentation of an image batch (NHWC, any normalisation), each transform
 * switchable, randomness from a seeded generator so a run repeats: horizontal flip, shift and
 * zoom (one random crop box per image, resized back with cropAndResize), small rotation
 * (rotateWithOffset, edges filled with 0), colour jitter (per-image brightness and contrast).
 */
import * as tf from '@tensorflow/tfjs';

export interface AugmentOptions {
  flip: boolean;
  /** Largest shift as a fraction of height/width (Keras width_shift_range). */
  shift: number;
  /** Largest zoom in or out as a fraction (Keras zoom_range). */
  zoom: number;
  /** Largest rotation in degrees. */
  rotationDeg: number;
  /** Largest relative change of brightness and contrast. */
  colorJitter: number;
}

/** All off: the identity. */
export const NO_AUGMENT: Readonly<AugmentOptions> = {
  flip: false,
  shift: 0,
  zoom: 0,
  rotationDeg: 0,
  colorJitter: 0,
};

/** Mild settings suited to posters (text and faces stay readable). */
export const POSTER_AUGMENT: Readonly<AugmentOptions> = {
  flip: true,
  shift: 0.1,
  zoom: 0.1,
  rotationDeg: 5,
  colorJitter: 0.1,
};

export function isIdentity(o: AugmentOptions): boolean {
  return !o.flip && o.shift === 0 && o.zoom === 0 && o.rotationDeg === 0 && o.colorJitter === 0;
}

/** Augments a batch; the caller disposes the result (the input is left alone). */
export function augmentBatch(x: tf.Tensor4D, o: AugmentOptions, rng: () => number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const u = () => rng() * 2 - 1;
  return tf.tidy(() => {
    let y: tf.Tensor4D = x.clone();
    if (o.shift > 0 || o.zoom > 0) {
      const boxes: number[] = [];
      for (let i = 0; i < n; i++) {
        const half = 0.5 / (1 + u() * o.zoom);
        const cy = 0.5 + u() * o.shift;
        const cx = 0.5 + u() * o.shift;
        boxes.push(cy - half, cx - half, cy + half, cx + half);
      }
      const idx = tf.range(0, n, 1, 'int32') as tf.Tensor1D;
      y = tf.image.cropAndResize(y, tf.tensor2d(boxes, [n, 4]), idx, [h, w], 'bilinear', 0);
    }
    if (o.flip) {
      const flips = Array.from({ length: n }, () => (rng() < 0.5 ? 1 : 0));
      const mask = tf.tensor4d(flips, [n, 1, 1, 1]);
      y = tf.add(tf.mul(tf.reverse(y, 2), mask), tf.mul(y, tf.sub(1, mask))) as tf.Tensor4D;
    }
    if (o.rotationDeg > 0) {
      const parts = tf.split(y, n, 0) as tf.Tensor4D[];
      y = tf.concat(
        parts.map((p) => tf.image.rotateWithOffset(p, (u() * o.rotationDeg * Math.PI) / 180, 0)),
        0,
      ) as tf.Tensor4D;
    }
    if (o.colorJitter > 0) {
      const scale = Array.from({ length: n }, () => 1 + u() * o.colorJitter);
      const offset = Array.from({ length: n }, () => u() * o.colorJitter);
      const mean = tf.mean(y, [1, 2, 3], true);
      const s = tf.tensor4d(scale, [n, 1, 1, 1]);
      const b = tf.tensor4d(offset, [n, 1, 1, 1]);
      // Contrast around each image's mean, then a brightness offset in units of the image's spread.
      const spread = tf.add(tf.sqrt(tf.mean(tf.square(tf.sub(y, mean)), [1, 2, 3], true)), 1e-6);
      y = tf.add(tf.add(tf.mul(tf.sub(y, mean), s), mean), tf.mul(b, spread)) as tf.Tensor4D;
    }
    return y;
  });
}
