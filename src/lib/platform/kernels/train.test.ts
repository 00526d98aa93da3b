import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../node.ts';
import { trainSmallConvNet } from './train-check.ts';

describe('a conv model trains with model.fit on wasm (Node)', () => {
  it('loss falls and the first update matches the cpu backend', async () => {
    await useBackend('cpu');
    const cpu = await trainSmallConvNet(1);
    await useBackend('wasm');
    const wasm = await trainSmallConvNet(15);
    expect(tf.getBackend()).toBe('wasm');
    // The first loss is the same forward pass on both backends.
    expect(wasm.losses[0]).toBeCloseTo(cpu.losses[0]!, 4);
    expect(wasm.losses.at(-1)!).toBeLessThan(0.8 * wasm.losses[0]!);
    // Update = 0.1·∇w; gradients are sums of ≤ 24·64 float32 products, so backends agree to
    // ~1e-6 of the largest update; 1e-5·max + 1e-7 leaves headroom and still catches a wrong
    // or missing filter gradient, which changes the conv updates by O(max).
    const max = Math.max(...cpu.firstUpdate.map(Math.abs));
    expect(max).toBeGreaterThan(1e-3);
    const worst = Math.max(...wasm.firstUpdate.map((v, i) => Math.abs(v - cpu.firstUpdate[i]!)));
    expect(worst).toBeLessThan(1e-5 * max + 1e-7);
  });
});
