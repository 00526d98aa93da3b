/**
 * The two losses of the paper's grid, both on sigmoid outputs: binary cross-entropy per label,
 * and Keras' `categorical_crossentropy` applied to sigmoid outputs (Keras divides the outputs by
 * their sum, then takes −Σ y log p), which is what the paper's "categorical" grid point did.
 */
import * as tf from '@tensorflow/tfjs';

export type PosterLoss = 'binary' | 'categorical';

/** Keras' epsilon for clipping probabilities. */
const EPS = 1e-7;

/** Mean loss over the batch for probabilities p (already sigmoid) and 0/1 targets y. */
export function posterLoss(kind: PosterLoss, y: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  return tf.tidy((): tf.Scalar => {
    if (kind === 'binary') {
      const q = tf.clipByValue(p, EPS, 1 - EPS);
      const ll = tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))));
      return tf.neg(tf.mean(ll)) as tf.Scalar;
    }
    const norm = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPS, 1 - EPS);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(norm)), -1))) as tf.Scalar;
  });
}
