import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';

describe('browser environment', () => {
  it('has WebGPU and IndexedDB', async () => {
    expect(await tf.setBackend('webgpu')).toBe(true);
    const s = (await tf.tensor([1, 2, 3]).square().sum().data())[0];
    expect(s).toBe(14);
    expect(typeof indexedDB.open).toBe('function');
  });
});
