import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../index.ts';
import {
  CONV_CASES,
  DEPTHWISE_CASES,
  MATMUL_CASES,
  MAXPOOL_CASES,
  NCHW_CASE,
  SUM_CASES,
  runCase,
  worstMismatch,
} from './parity-cases.ts';
import { trainSmallConvNet } from './train-check.ts';

// '$lib/platform' registers the kernels on import; these run them in Chromium's wasm (SIMD).
describe('wasm training kernels match the cpu backend (Chromium)', () => {
  for (const c of [
    ...CONV_CASES,
    NCHW_CASE,
    ...DEPTHWISE_CASES,
    ...MAXPOOL_CASES,
    ...SUM_CASES,
    ...MATMUL_CASES,
  ]) {
    it(c.name, async () => {
      await useBackend('cpu');
      const want = await runCase(c);
      const absSum = await runCase(c, true);
      await useBackend('wasm');
      const got = await runCase(c);
      expect(want.some((v) => Math.abs(v) > 0.1)).toBe(true);
      expect(worstMismatch(got, want, absSum)).toBeNull();
    });
  }
});

describe('a conv model trains with model.fit on wasm (Chromium)', () => {
  it('loss falls and the first update matches the cpu backend', async () => {
    await useBackend('cpu');
    const cpu = await trainSmallConvNet(1);
    await useBackend('wasm');
    const wasm = await trainSmallConvNet(15);
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.losses[0]).toBeCloseTo(cpu.losses[0]!, 4);
    expect(wasm.losses.at(-1)!).toBeLessThan(0.8 * wasm.losses[0]!);
    // Same tolerance and reasoning as train.test.ts.
    const max = Math.max(...cpu.firstUpdate.map(Math.abs));
    expect(max).toBeGreaterThan(1e-3);
    const worst = Math.max(...wasm.firstUpdate.map((v, i) => Math.abs(v - cpu.firstUpdate[i]!)));
    expect(worst).toBeLessThan(1e-5 * max + 1e-7);
  });
});
