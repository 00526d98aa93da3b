import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import { NO_AUGMENT, POSTER_AUGMENT, augmentBatch } from './augment.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const batch = () =>
  tf.tensor4d(
    Array.from({ length: 2 * 6 * 4 * 3 }, (_, i) => i % 17),
    [2, 6, 4, 3],
  );

describe('augmentBatch', () => {
  it('is the identity with every transform off', async () => {
    const x = batch();
    const y = augmentBatch(x, NO_AUGMENT, mulberry32(1));
    expect(await y.data()).toEqual(await x.data());
    tf.dispose([x, y]);
  });

  it('flips left-right when the draw says so (rng < 0.5 always)', async () => {
    const x = batch();
    const y = augmentBatch(x, { ...NO_AUGMENT, flip: true }, () => 0.1);
    const want = tf.reverse(x, 2);
    expect(await y.data()).toEqual(await want.data());
    tf.dispose([x, y, want]);
  });

  it('keeps the shape, changes pixels and repeats with the same seed', async () => {
    const x = batch();
    const a = augmentBatch(x, POSTER_AUGMENT, mulberry32(7));
    const b = augmentBatch(x, POSTER_AUGMENT, mulberry32(7));
    expect(a.shape).toEqual(x.shape);
    expect(await a.data()).toEqual(await b.data());
    expect(await a.data()).not.toEqual(await x.data());
    tf.dispose([x, a, b]);
  });
});
