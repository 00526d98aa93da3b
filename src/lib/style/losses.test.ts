import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  contentLoss,
  deprocessVgg,
  gramMatrix,
  kerasStyleNorm,
  preprocessVgg,
  styleLoss,
  totalVariationLoss,
  vggPixelBounds,
} from './losses.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Float32 results against float64 references: 1e-5 relative. */
function expectClose(actual: number, expected: number, rel = 1e-5): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/** The numpy fixture: sin(arange(n) · k) · 50 reshaped, identical in both languages. */
function feat(shape: number[], k: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * 50),
    shape,
  );
}

async function scalar(t: tf.Scalar): Promise<number> {
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
}

// Hand case: features [2, 2, 2] = [[[1,2],[3,4]],[[5,6],[7,8]]], so F (channels × pixels) has
// rows [1,3,5,7] and [2,4,6,8]: G = [[1+9+25+49, 2+12+30+56], [100, 4+16+36+64]] = [[84,100],[100,120]].
const HAND = [1, 2, 3, 4, 5, 6, 7, 8];

describe('gramMatrix', () => {
  it('is F Fᵀ on a hand-computed 2×2×2 tensor, with or without the batch axis', async () => {
    const x = tf.tensor3d(HAND, [2, 2, 2]);
    expect(Array.from(await gramMatrix(x).data())).toEqual([84, 100, 100, 120]);
    expect(Array.from(await gramMatrix(x.expandDims(0) as tf.Tensor4D).data())).toEqual([
      84, 100, 100, 120,
    ]);
  });

  it('matches numpy on a 5×4×3 tensor', async () => {
    // Ref: /usr/bin/python3, numpy: f = np.transpose(x, (2, 0, 1)).reshape(3, -1); f @ f.T
    // with x = (np.sin(np.arange(60) * 0.37) * 50).reshape(5, 4, 3)
    const ref = [
      24820.397528334455, 23058.698481086685, 18176.112767668452, 23058.698481086685,
      24714.398799428738, 23025.121180754053, 18176.112767668452, 23025.121180754053,
      24757.78745775097,
    ];
    const g = await gramMatrix(feat([5, 4, 3], 0.37) as tf.Tensor3D).data();
    ref.forEach((v, i) => expectClose(g[i]!, v));
  });

  it('rejects a batch larger than one', () => {
    expect(() => gramMatrix(tf.zeros([2, 2, 2, 2]) as tf.Tensor4D)).toThrow(RangeError);
  });
});

describe('styleLoss', () => {
  // Combo = ones [2,2,2] gives C = [[4,4],[4,4]]; S − C = [[80,96],[96,116]];
  // Σ² = 6400 + 2·9216 + 13456 = 38288.
  const s = () => tf.tensor3d(HAND, [2, 2, 2]);
  const c = () => tf.ones([2, 2, 2]) as tf.Tensor3D;

  it('normalises by the layer (N = 2 channels, M = 4 pixels) by default: 38288 / (4·4·16)', async () => {
    expect(await scalar(styleLoss(s(), c()))).toBeCloseTo(38288 / 256, 4);
  });

  it("normalises as the Keras example with channels 3 and the image's pixel count", async () => {
    // 4×4 image: 38288 / (4 · 3² · 16²) = 38288 / 9216.
    expect(await scalar(styleLoss(s(), c(), kerasStyleNorm(4, 4)))).toBeCloseTo(38288 / 9216, 5);
  });

  it('matches numpy on 5×4×3 features', async () => {
    // Ref: np.sum((gram(s) - gram(c))**2) / (4 * 3**2 * 20**2) = 3826.806148389468 and
    // with the Keras norm for a 64×48 image / (4 * 3**2 * (64*48)**2) = 0.16220118833709157,
    // s, c = feat((5,4,3), 0.37), feat((5,4,3), 0.11) as in `feat` above.
    const sf = feat([5, 4, 3], 0.37) as tf.Tensor3D;
    const cf = feat([5, 4, 3], 0.11) as tf.Tensor3D;
    expectClose(await scalar(styleLoss(sf, cf)), 3826.806148389468);
    expectClose(await scalar(styleLoss(sf, cf, kerasStyleNorm(64, 48))), 0.16220118833709157);
  });

  it('is zero for identical features', async () => {
    expect(await scalar(styleLoss(s(), s()))).toBe(0);
  });
});

describe('contentLoss', () => {
  it('is the plain sum of squares: (2−1)² + (4−2)² + (6−3)² = 14', async () => {
    expect(await scalar(contentLoss(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 4, 6])))).toBe(14);
  });

  it('matches numpy', async () => {
    // Ref: np.sum((c - s)**2) = 142065.93899908342 for the two feat() tensors above.
    const v = await scalar(contentLoss(feat([5, 4, 3], 0.37), feat([5, 4, 3], 0.11)));
    expectClose(v, 142065.93899908342);
  });
});

describe('totalVariationLoss', () => {
  it('uses only the top-left (h−1)×(w−1) corner: [[1,2],[4,8]] → (9 + 1)^1.25', async () => {
    // a = (1 − 4)² = 9, b = (1 − 2)² = 1; the pixel 8 is never a corner.
    const v = await scalar(totalVariationLoss(tf.tensor4d([1, 2, 4, 8], [1, 2, 2, 1])));
    expectClose(v, 10 ** 1.25);
  });

  it('matches numpy on a 1×5×4×3 image', async () => {
    // Ref: x = feat((1,5,4,3), 0.23); a = (x[:, :4, :3] - x[:, 1:, :3])**2;
    // b = (x[:, :4, :3] - x[:, :4, 1:])**2; np.sum((a + b)**1.25) = 1277910.1951887792
    const v = await scalar(totalVariationLoss(feat([1, 5, 4, 3], 0.23) as tf.Tensor4D));
    expectClose(v, 1277910.1951887792);
  });

  it('has a finite gradient on a flat image (where a + b = 0)', async () => {
    const g = tf.grad((x: tf.Tensor) => totalVariationLoss(x as tf.Tensor4D))(
      tf.ones([1, 3, 3, 3]),
    );
    const d = await g.data();
    expect(d.every((v) => v === 0)).toBe(true);
  });
});

describe('preprocessVgg / deprocessVgg', () => {
  it('reverses to BGR and subtracts the BGR mean: RGB (10, 20, 30) → (30 − 103.939, 20 − 116.779, 10 − 123.68)', async () => {
    const out = await preprocessVgg(tf.tensor3d([10, 20, 30], [1, 1, 3])).data();
    [-73.939, -96.779, -113.68].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });

  it('round-trips a 0..255 image', async () => {
    const rgb = feat([1, 3, 2, 3], 0.5).add(60).clipByValue(0, 255) as tf.Tensor4D;
    const back = await deprocessVgg(preprocessVgg(rgb)).data();
    const orig = await rgb.data();
    orig.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 3));
  });

  it('clips out-of-range values: BGR (200, −200, 0) → RGB (123.68, 0, 255)', async () => {
    // + mean = (303.939, −83.221, 123.68) in BGR; reversed (123.68, −83.221, 303.939); clipped.
    const out = await deprocessVgg(tf.tensor3d([200, -200, 0], [1, 1, 3])).data();
    [123.68, 0, 255].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });

  it('gives the per-channel box of preprocessed pixels', () => {
    const { lower, upper } = vggPixelBounds();
    expect(lower).toEqual([-103.939, -116.779, -123.68]);
    upper.forEach((u, i) => expect(u - lower[i]!).toBeCloseTo(255, 10));
  });
});
