/**
 * The paper's posters CNNs as presets, built with tf.layers (Keras defaults: 'valid' 3×3
 * convolutions, pool stride = pool size). Initial: conv 32 → pool 3 → conv 32 → pool 2 → conv 64
 * → pool 2 → dense 64 → 7 sigmoid. Tuned: filters 64/64/128, dropout 0.2 after each block and
 * after the dense 128 layer. The grid's "filters 64/128 with the last layer doubled" is
 * `cnnArchitecture('tuned', { filters })`.
 */
import * as tf from '@tensorflow/tfjs';

export interface CnnArchitecture {
  /** Filters of the three 3×3 convolutions. */
  filters: [number, number, number];
  /** Pool sizes after each convolution. */
  pools: [number, number, number];
  dense: number;
  /** Dropout after each conv block and after the dense layer (0 = none). */
  dropout: number;
}

export type CnnPreset = 'initial' | 'tuned';

export const CNN_PRESETS: Readonly<Record<CnnPreset, Readonly<CnnArchitecture>>> = {
  initial: { filters: [32, 32, 64], pools: [3, 2, 2], dense: 64, dropout: 0 },
  tuned: { filters: [64, 64, 128], pools: [3, 2, 2], dense: 128, dropout: 0.2 },
};

/** A preset, optionally with `filters` f meaning convolutions f, f, 2f (the paper's grid). */
export function cnnArchitecture(
  preset: CnnPreset,
  over: { filters?: number } = {},
): CnnArchitecture {
  const a = CNN_PRESETS[preset];
  const f = over.filters;
  return {
    ...a,
    filters: f === undefined ? [...a.filters] : [f, f, 2 * f],
    pools: [...a.pools],
  };
}

/** Builds the CNN for [height, width, channels] images and `labels` sigmoid outputs, weights drawn from `seed`. */
export function buildCnn(
  arch: CnnArchitecture,
  inputShape: [number, number, number],
  labels: number,
  seed: number,
): tf.LayersModel {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  const model = tf.sequential({ name: 'poster_cnn' });
  arch.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape } : {}),
        filters,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(i),
        name: `conv${i + 1}`,
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: arch.pools[i]!, name: `pool${i + 1}` }));
    if (arch.dropout > 0)
      model.add(
        tf.layers.dropout({ rate: arch.dropout, seed: seed + 10 + i, name: `drop${i + 1}` }),
      );
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(
    tf.layers.dense({
      units: arch.dense,
      activation: 'relu',
      kernelInitializer: init(3),
      name: 'dense',
    }),
  );
  if (arch.dropout > 0)
    model.add(tf.layers.dropout({ rate: arch.dropout, seed: seed + 13, name: 'drop_dense' }));
  model.add(
    tf.layers.dense({
      units: labels,
      activation: 'sigmoid',
      kernelInitializer: init(4),
      name: 'out',
    }),
  );
  return model;
}
