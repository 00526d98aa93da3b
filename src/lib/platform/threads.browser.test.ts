/**
 * WebAssembly threads in real Chromium: the test page is cross-origin isolated (the dev server's
 * COOP/COEP, scripts/vite-plugins.ts), tfjs runs the threaded SIMD build with the thread count
 * asked for, and a conv + matmul forward/backward pass gives the single-threaded results.
 *
 * Tolerance: |threaded − single| ≤ RTOL·(|single| + rms(single)), RTOL = 1e-4. Both runs use
 * XNNPACK's float32 SIMD kernels; with threads the work is split into tiles whose sums may be
 * reassociated (≈ K·ε relative, K ≤ 192 terms: ≈ 2e-5), while a wrong tile or a race would be off
 * by whole terms (≥ 1e-3 relative).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { wrap, releaseProxy } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { initCompute, probeBackends, wasmThreadsRunning } from './index.ts';
import { convMatmulPass } from './kernels/thread-parity.ts';
import type { ThreadParityApi } from './thread-parity.worker.ts';

const RTOL = 1e-4;

function rms(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s / a.length);
}

/** The worst element outside the tolerance, or null. */
function worstMismatch(got: Float32Array, want: Float32Array): string | null {
  if (got.length !== want.length) return `length ${got.length} ≠ ${want.length}`;
  const scale = rms(want);
  let worst: string | null = null;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i]! - want[i]!) - RTOL * (Math.abs(want[i]!) + scale);
    if (!(excess <= worstExcess)) {
      worstExcess = excess;
      worst = `[${i}] threaded ${got[i]}, single ${want[i]}`;
    }
  }
  return worst;
}

const worker = new Worker(new URL('./thread-parity.worker.ts', import.meta.url), {
  type: 'module',
  name: 'thread-parity',
});
const reference = wrap<ThreadParityApi>(worker);

describe('wasm threads', () => {
  it('runs in a cross-origin isolated test page', () => {
    expect(globalThis.crossOriginIsolated, 'the vitest page must be cross-origin isolated').toBe(
      true,
    );
  });

  it('starts the threaded build with the thread count asked for, and the probe says so', async () => {
    const choice = await initCompute({ prefer: 'wasm', threads: 2 });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreadsRunning()).toBe(2); // tfjs-backend-wasm's getThreadsCount()
    expect(choice.wasmThreads).toEqual({ threads: 2, note: '2 threads: set in Settings' });
    const probes = await probeBackends({ budgetMs: 600 });
    expect(probes.find((p) => p.name === 'wasm')?.detail).toBe('wasm SIMD+threads (2)');
  });

  it('gives the single-threaded results for conv and matmul, forward and backward', async () => {
    const [threaded, single] = await Promise.all([convMatmulPass(), reference.run(1)]);
    expect(single.backend).toBe('wasm');
    expect(single.threads).toBe(1);
    expect(wasmThreadsRunning()).toBe(2);
    expect(Object.keys(threaded).sort()).toEqual(Object.keys(single.outputs).sort());
    for (const [name, want] of Object.entries(single.outputs)) {
      expect(worstMismatch(threaded[name]!, want), name).toBeNull();
      expect(rms(want), `${name} is not trivially zero`).toBeGreaterThan(1e-3);
    }
  });
});

afterAll(() => {
  reference[releaseProxy]();
  worker.terminate();
});
