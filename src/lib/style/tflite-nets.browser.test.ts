import { describe, expect, it } from 'vitest';
import { loadTfliteNets } from './tflite-nets.ts';

// The shipped files (public/models/) and the runtime the site serves under /tflite/.
const MODELS = '/models/magenta-arbitrary-stylization-int8/';
const bytes = async (name: string) => (await fetch(MODELS + name)).arrayBuffer();

describe('Magenta networks on the TFLite web runtime (page thread)', () => {
  it('maps [256²·3] → 100 and [384²·3] + 100 → [384²·3] in [0, 1], returning copies', async () => {
    const nets = await loadTfliteNets(
      await bytes('prediction.tflite'),
      await bytes('transfer.tflite'),
      { runtimeUrl: new URL('/tflite/', location.href).href, numThreads: 1 },
    );
    const img = new Float32Array(256 * 256 * 3).map((_, i) => (i % 7) / 7);
    const v = nets.predict(img);
    expect(v.length).toBe(100);
    expect(v.every(Number.isFinite)).toBe(true);
    const c = new Float32Array(384 * 384 * 3).map((_, i) => (i % 11) / 11);
    const first = nets.transfer(c, v);
    const kept = first.slice();
    expect(first.length).toBe(384 * 384 * 3);
    expect(first.every((x) => x >= 0 && x <= 1)).toBe(true);
    // A second call with another vector must not change the first output (no view into wasm memory).
    const second = nets.transfer(
      c,
      v.map((x) => -x),
    );
    expect(first).toEqual(kept);
    expect(second).not.toEqual(first);
    nets.dispose?.();
  });
});
