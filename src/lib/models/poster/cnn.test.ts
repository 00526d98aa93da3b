import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../platform/node.ts';
import { PAPER_POSTER } from '../../vision/pipeline.ts';
import { buildCnn, cnnArchitecture } from './cnn.ts';
import { PosterCnn, type CnnJson } from './cnn-model.ts';
import { posterLoss } from './losses.ts';
import { KAGGLE_PATHS, loadKagglePosters } from './test-posters.ts';
import { missingShared } from '../../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the PosterCnn training runs on real Kaggle posters',
  ...KAGGLE_PATHS,
);
import { takeRows } from '../../metrics/index.ts';
import { takeDenseRows } from '../types.ts';
import { selectRows } from './trainer.ts';

beforeAll(async () => {
  await useBackend('cpu');
});

const shapes = (m: tf.LayersModel) => m.layers.map((l) => (l.outputShape as number[]).slice(1));

describe('paper CNN presets on 148×100×3', () => {
  it('initial: layer shapes and 274,919 parameters', () => {
    const m = buildCnn(cnnArchitecture('initial'), [148, 100, 3], 7, 1);
    // Valid 3×3 convs and stride = pool size (Keras defaults): 146×98 → /3 → 48×32 → 46×30 → /2
    // → 23×15 → 21×13 → /2 → 10×6×64 = 3,840 features.
    expect(shapes(m)).toEqual([
      [146, 98, 32],
      [48, 32, 32],
      [46, 30, 32],
      [23, 15, 32],
      [21, 13, 64],
      [10, 6, 64],
      [3840],
      [64],
      [7],
    ]);
    // By hand: (3·9·32+32) + (32·9·32+32) + (32·9·64+64) + (3840·64+64) + (64·7+7)
    //        = 896 + 9,248 + 18,496 + 245,824 + 455 = 274,919
    // (the same count from PyTorch: Conv2d(3,32,3) … Linear(3840,64), Linear(64,7), summing numel()).
    expect(m.countParams()).toBe(274_919);
    m.dispose();
  });

  it('tuned: 64/64/128 filters, dropout 0.2, dense 128: 1,096,647 parameters', () => {
    const m = buildCnn(cnnArchitecture('tuned'), [148, 100, 3], 7, 1);
    // 1,792 + 36,928 + 73,856 + (7,680·128+128 = 983,168) + (128·7+7 = 903) = 1,096,647
    expect(m.countParams()).toBe(1_096_647);
    expect(m.layers.filter((l) => l.getClassName() === 'Dropout').length).toBe(4);
    m.dispose();
  });

  it('grid filters 128 doubles the last conv: 128/128/256, 2,413,447 parameters', () => {
    const a = cnnArchitecture('tuned', { filters: 128 });
    expect(a.filters).toEqual([128, 128, 256]);
    const m = buildCnn(a, [148, 100, 3], 7, 1);
    // 3,584 + 147,584 + 295,168 + (15,360·128+128 = 1,966,208) + 903 = 2,413,447 (PyTorch agrees)
    expect(m.countParams()).toBe(2_413_447);
    m.dispose();
  });
});

describe('losses', () => {
  it('binary and categorical cross-entropy match hand-computed values', async () => {
    const y = tf.tensor2d([[1, 0]]);
    const p = tf.tensor2d([[0.8, 0.4]]);
    // binary: −(ln 0.8 + ln 0.6)/2 ; categorical: −ln(0.8/1.2)
    expect((await posterLoss('binary', y, p).data())[0]).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.6)) / 2,
      5,
    );
    expect((await posterLoss('categorical', y, p).data())[0]).toBeCloseTo(-Math.log(0.8 / 1.2), 5);
    tf.dispose([y, p]);
  });
});

describe.skipIf(noData)('PosterCnn on real posters (wasm backend, Node)', () => {
  it('trains the initial CNN 2 epochs on 200 Kaggle posters: training loss falls; JSON round trip', async () => {
    await useBackend('wasm');
    const { x, y } = await loadKagglePosters(200, PAPER_POSTER);
    const cnn = new PosterCnn({ epochs: 2, validationFraction: 0.1, patience: 0, seed: 3 });
    const logs: number[] = [];
    await cnn.fit(x, y, { onEpochEnd: (l) => logs.push(l.loss) });
    expect(logs.length).toBe(2);
    expect(logs[0]!).toBeLessThan(0.75); // starts near ln 2 = 0.693 and falls within epoch 1
    expect(logs[1]!).toBeLessThan(logs[0]!);
    expect(cnn.history[1]!.valAccuracy).toBeGreaterThan(0.5);
    const head = { rows: 4, cols: x.cols, data: x.data.subarray(0, 4 * x.cols) };
    const before = await cnn.predictScores(head);
    await cnn.snapshot();
    const copy = PosterCnn.load(JSON.parse(JSON.stringify(cnn.toJSON())) as CnnJson);
    const after = await copy.predictScores(head);
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
    cnn.dispose();
    copy.dispose();
    await useBackend('cpu');
  });
});

describe.skipIf(noData)('PosterCnn.fitRows on a selection of a larger buffer', () => {
  it('trains and scores exactly as fit on a copy of the same rows (wasm backend, 1e-6)', async () => {
    await useBackend('wasm');
    const { x, y } = await loadKagglePosters(40, PAPER_POSTER);
    // Every third poster trains, the others are scored: rows picked out of x, not in order.
    const train = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 === 0);
    const rest = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0);
    const o = { epochs: 1, batchSize: 4, validationFraction: 0.25, patience: 0, seed: 5 };
    const copied = new PosterCnn(o);
    const selected = new PosterCnn(o);
    const all = { data: x.data, rowShape: [148, 100, 3], rows: x.rows };
    await copied.fit(takeDenseRows(x, train), takeRows(y, train));
    await selected.fitRows(selectRows(all, train), takeRows(y, train));
    expect(selected.history[0]!.loss).toBeCloseTo(copied.history[0]!.loss, 6);
    expect(selected.history[0]!.valLoss).toBeCloseTo(copied.history[0]!.valLoss, 6);
    const a = await copied.predictScores(takeDenseRows(x, rest));
    const b = await selected.scoreRows(selectRows(all, rest));
    expect(b).toHaveLength(rest.length * 7);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
    // A selection of the wrong shape is refused, not silently reshaped.
    await expect(
      selected.fitRows(selectRows({ ...all, rowShape: [100, 148, 3] }, train), takeRows(y, train)),
    ).rejects.toThrow('rows are 100×148×3, expected 148×100×3');
    copied.dispose();
    selected.dispose();
    await useBackend('cpu');
  });
});
