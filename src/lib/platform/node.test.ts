import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { initCompute, memoryCache, nodeWasmPaths, probeBackends, useBackend } from './node.ts';

/** Seeded n×n matmul read back as a plain array. */
async function matmul(n: number): Promise<Float32Array> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 7);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 8);
  const c = tf.matMul(a, b);
  const out = (await c.data()) as Float32Array;
  tf.dispose([a, b, c]);
  return out;
}

describe('platform in Node', () => {
  it('finds the wasm binaries on disk', () => {
    const dir = nodeWasmPaths();
    for (const f of [
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
    ]) {
      expect(existsSync(dir + f)).toBe(true);
    }
  });

  it('runs a matmul on wasm that matches cpu', async () => {
    await useBackend('cpu');
    const ref = await matmul(64);
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const got = await matmul(64);
    // 64-term float32 dot products in a different summation order: |err| ≲ 64·ε·Σ|aᵢbᵢ| ≈ 1e-5 · 64.
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++)
      maxErr = Math.max(maxErr, Math.abs((got[i] ?? NaN) - (ref[i] ?? NaN)));
    expect(maxErr).toBeLessThan(1e-4);
    expect(ref.some((v) => Math.abs(v) > 1)).toBe(true); // not all zeros
  });

  it('throws a clear error for webgl, which Node lacks', async () => {
    await expect(useBackend('webgl')).rejects.toThrow(/webgl backend unavailable/);
  });

  it('probes wasm and cpu, with no GPU backends', async () => {
    const probes = await probeBackends({ budgetMs: 600 });
    const byName = Object.fromEntries(probes.map((p) => [p.name, p]));
    expect(byName.webgpu?.available).toBe(false);
    expect(byName.webgl?.available).toBe(false);
    expect(byName.wasm?.gflops).toBeGreaterThan(0);
    expect(byName.cpu?.gflops).toBeGreaterThan(0);
  });

  it('picks wasm over cpu by measurement and caches the choice', async () => {
    const cache = memoryCache();
    const first = await initCompute({ cache, budgetMs: 600 });
    expect(first.fromCache).toBe(false);
    // wasm SIMD (tens of GFLOPS) vs tfjs's JavaScript cpu kernels (≈ 1–2 GFLOPS) on this machine.
    expect(first.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const second = await initCompute({ cache });
    expect(second.fromCache).toBe(true);
    expect(second.reason).toBe(first.reason);
  });
});
