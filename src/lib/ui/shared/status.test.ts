import { describe, expect, it } from 'vitest';
import { describeCompute } from './status.ts';

describe('describeCompute', () => {
  it('names the chosen backend', () => {
    expect(describeCompute('wasm', false)).toBe('wasm');
    expect(describeCompute('webgpu', true)).toBe('webgpu');
    expect(describeCompute('wasm', false, { Predict: 'webgl' })).toBe('wasm');
  });

  it('names a worker’s own backend when the studio has chosen none', () => {
    expect(describeCompute(null, false, { Predict: 'wasm' })).toBe('wasm (Predict)');
  });

  it('says a backend is being chosen rather than "not started" while it is', () => {
    expect(describeCompute(null, true)).toBe('choosing a backend…');
    expect(describeCompute(null, false)).toBe('none chosen yet (JS models need none)');
  });
});
