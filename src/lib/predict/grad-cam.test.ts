import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageTensorData } from '../vision/pipeline.ts';
import { flipHorizontal } from './features.ts';
import { gradCam, splitBackbone } from './grad-cam.ts';

const S = 16;

/** A 16×16 grey image, black except a bright 4×4 square at (row, col). */
function square(row: number, col: number): ImageTensorData {
  const data = new Float32Array(S * S);
  for (let y = row; y < row + 4; y++) for (let x = col; x < col + 4; x++) data[y * S + x] = 1;
  return { data, height: S, width: S, channels: 1 };
}

/**
 * Conv 3×3 with two filters: filter 0 sums its window and fires (bias −4) only where ≥ 5 bright
 * pixels are (the square), filter 1 is all zeros (inactive). Then global average pooling, like
 * MobileNetV2's out_relu → pooling, wrapped in a nested model inside a Sequential as the shipped
 * backbone is.
 */
function backbone(): tf.LayersModel {
  const kernel = tf.concat([tf.ones([3, 3, 1, 1]), tf.zeros([3, 3, 1, 1])], 3);
  const input = tf.input({ shape: [S, S, 1] });
  const conv = tf.layers
    .conv2d({
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      weights: [kernel, tf.tensor1d([-4, 0])],
    })
    .apply(input) as tf.SymbolicTensor;
  const inner = tf.model({ inputs: input, outputs: conv });
  return tf.sequential({ layers: [inner, tf.layers.globalAveragePooling2d({})] });
}

/** Head: label 0 grows with the square filter, label 1 shrinks with it (its map must be empty). */
function head(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [2],
        units: 2,
        activation: 'sigmoid',
        weights: [
          tf.tensor2d([
            [0.5, -0.5],
            [0, 0],
          ]),
          tf.tensor1d([0, 0]),
        ],
      }),
    ],
  });
}

/** Row and column of a map's largest cell. */
function argmax2d(m: Float32Array, w: number): [number, number] {
  let best = 0;
  m.forEach((v, i) => v > m[best]! && (best = i));
  return [Math.floor(best / w), best % w];
}

describe('gradCam', () => {
  beforeAll(async () => void (await tf.setBackend('cpu')));

  it('peaks on the bright square the one active filter fires on', async () => {
    const b = backbone();
    for (const [row, col] of [
      [2, 2],
      [10, 8],
      [4, 12],
    ] as const) {
      const r = await gradCam([{ split: splitBackbone(b), flip: false }], head(), square(row, col));
      expect([r.height, r.width]).toEqual([8, 8]);
      const [y, x] = argmax2d(r.maps[0]!, r.width);
      // The square covers map cells row/2 … (row+3)/2 (stride 2).
      expect(y).toBeGreaterThanOrEqual(Math.floor(row / 2));
      expect(y).toBeLessThanOrEqual(Math.floor((row + 3) / 2));
      expect(x).toBeGreaterThanOrEqual(Math.floor(col / 2));
      expect(x).toBeLessThanOrEqual(Math.floor((col + 3) / 2));
      expect(Math.max(...r.maps[0]!)).toBeCloseTo(1, 5);
      // Far from the square the map is zero.
      expect(r.maps[0]![(row < 8 ? 7 : 0) * r.width + (col < 8 ? 7 : 0)]).toBe(0);
    }
  });

  it('gives an empty map for a label the square only lowers (ReLU keeps positive evidence)', async () => {
    const r = await gradCam(
      [{ split: splitBackbone(backbone()), flip: false }],
      head(),
      square(6, 6),
    );
    expect(Math.max(...r.maps[1]!)).toBe(0);
  });

  it("returns the backbone's pooled features and the head's outputs, as predict does", async () => {
    const b = backbone();
    const h = head();
    const img = square(8, 2);
    const r = await gradCam([{ split: splitBackbone(b), flip: false }], h, img);
    const x = tf.tensor4d(img.data, [1, S, S, 1]);
    const f = b.predict(x) as tf.Tensor;
    expect(Array.from(r.features)).toEqual(Array.from(f.dataSync()));
    expect(Array.from(r.outputs)).toEqual(Array.from((h.predict(f) as tf.Tensor).dataSync()));
  });

  it('with flip averaging, maps the mirrored view back onto the poster', async () => {
    const b = backbone();
    const img = square(4, 0); // left edge: the mirrored copy has it on the right
    const r = await gradCam([{ split: splitBackbone(b), flip: true }], head(), img);
    const [, x] = argmax2d(r.maps[0]!, r.width);
    expect(x).toBeLessThanOrEqual(1);
    // Features are the mean of the image's and its mirror's.
    const both = tf.tensor4d(new Float32Array([...img.data, ...flipHorizontal(img).data]), [
      2,
      S,
      S,
      1,
    ]);
    const f = (b.predict(both) as tf.Tensor).mean(0).dataSync();
    Array.from(r.features).forEach((v, i) => expect(v).toBeCloseTo(f[i]!, 6));
  });

  it('splits a backbone whose output is already a feature map (pooled as features.ts does)', () => {
    const input = tf.input({ shape: [S, S, 1] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: conv });
    const s = splitBackbone(m);
    const a = s.map(tf.zeros([1, S, S, 1]));
    expect(a.shape).toEqual([1, 14, 14, 3]);
    expect(s.tail(a)).toBe(a);
  });

  it('splits a functional backbone after its last map and applies the chain after it', async () => {
    const input = tf.input({ shape: [S, S, 1] });
    const inner = backbone().layers[0] as tf.LayersModel;
    const conv = tf.layers
      .conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })
      .apply(input) as tf.SymbolicTensor;
    const pool = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: pool });
    m.layers[1]!.setWeights(inner.layers[1]!.getWeights());
    const r = await gradCam([{ split: splitBackbone(m), flip: false }], head(), square(10, 10));
    expect(argmax2d(r.maps[0]!, r.width)).toEqual([5, 5]);
  });

  it('refuses a backbone with no spatial layer, with a reason', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    expect(() => splitBackbone(m)).toThrow(/no layer with a spatial output/);
  });
});
