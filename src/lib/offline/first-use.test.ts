import { describe, expect, it } from 'vitest';
import { isFirstUseOnly } from './first-use.ts';

describe('isFirstUseOnly', () => {
  it('names the big optional runtimes', () => {
    for (const p of [
      'tflite/tflite_web_api_cc_simd.wasm',
      'assets/tflite-DOg2fut6.js',
      'assets/h5wasm-BxaEhI6J.js',
      'assets/tfjs-backend-wasm-BIA8cDLW.wasm',
    ])
      expect(isFirstUseOnly(p), p).toBe(true);
  });

  it('keeps the shell, tfjs and the SIMD wasm binaries in the precache', () => {
    for (const p of [
      'index.html',
      'assets/index-4yjTnB0S.js',
      'assets/dist-BaWtreYo.js',
      'assets/tfjs-backend-wasm-simd-BrM3BlWr.wasm',
      'assets/tfjs-backend-wasm-threaded-simd-BLCcuiBu.wasm',
      'assets/tfjs-backend-wasm-threaded-simd-DxCLgPgi.js',
    ])
      expect(isFirstUseOnly(p), p).toBe(false);
  });
});
