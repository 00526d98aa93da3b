import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import { OneVsRestSvm, type SvmJson } from './node.ts';

/** rows × cols uniform noise in [-1, 1] and one label at random (p = 0.5): nearly every row becomes a support vector. */
function noise(rows: number, cols: number, seed: number) {
  const rng = mulberry32(seed);
  const x = new Float32Array(rows * cols).map(() => 2 * rng() - 1);
  const y = new Uint8Array(rows).map(() => (rng() < 0.5 ? 1 : 0));
  return { x: { rows, cols, data: x }, y: { rows, cols: 1, data: y } };
}

/** emscripten's default TOTAL_STACK in the libsvm-js 0.2.1 build (libsvm.js: `Module["TOTAL_STACK"]||5242880`). */
const WASM_STACK_BYTES = 5_242_880;

describe('OneVsRestSvm on large problems', () => {
  // Regression: PCA + SVM crashed above ~2,000 posters with "memory access out of bounds" in
  // Libsvm.load, because the model text went through ccall's 'string' argument, which is copied
  // onto the 5 MB wasm stack. 2,500 noisy rows × 170 dims give a model text well over 5 MB.
  it('predicts with a model whose text is larger than the wasm stack', async () => {
    const { x, y } = noise(2500, 170, 11);
    const svm = new OneVsRestSvm({ C: 1 });
    await svm.fit(x, y);
    const json = svm.toJSON() as SvmJson;
    const label = json.labels[0]!;
    expect('model' in label).toBe(true);
    const textBytes = 'model' in label ? label.model.length : 0;
    expect(textBytes).toBeGreaterThan(WASM_STACK_BYTES);
    const scores = await svm.predictScores({
      rows: 50,
      cols: 170,
      data: x.data.subarray(0, 50 * 170),
    });
    expect(scores.length).toBe(50);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    // The loaded model fits its own training rows better than chance (RBF, C = 1 on noise memorises).
    let hits = 0;
    scores.forEach((s, r) => (hits += (s > 0.5 ? 1 : 0) === y.data[r] ? 1 : 0));
    expect(hits).toBeGreaterThan(25);
  }, 120_000);
});
