/**
 * Public API of the compute platform for Node (the headless CLI runner): the same functions as
 * `$lib/platform`, with the wasm binaries read from node_modules on disk. Node has no WebGPU or
 * WebGL, so auto picks between wasm (SIMD, single thread: tfjs disables wasm threads in Node) and cpu.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { configureWasm } from './gpu.ts';
import { registerWasmTrainingKernels } from './kernels/index.ts';

/** The folder (with trailing separator) holding tfjs-backend-wasm's three .wasm files. */
export function nodeWasmPaths(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
}

configureWasm(wasmBackend, nodeWasmPaths());
registerWasmTrainingKernels();

export { BACKEND_ORDER, chooseWinner, isBackendName } from './choose.ts';
export type { BackendChoice, BackendName, BackendProbe, ChoiceCache } from './choose.ts';
export { DEFAULT_BUDGET_MS, deviceKey, probeBackends, useBackend } from './gpu.ts';
export { initCompute, memoryCache } from './init.ts';
export type { InitComputeOptions } from './init.ts';
