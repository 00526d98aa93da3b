/**
 * Training kernels for the wasm backend of tfjs 4.22, so conv nets train at wasm (XNNPACK) speed
 * on machines without a real GPU: the missing Conv2DBackpropFilter and both depthwise backprops,
 * a Conv2DBackpropInput on XNNPACK instead of a scalar loop, and a MaxPoolGrad without the
 * all-negative-window bug; and, for speed, a Sum over leading axes without a transpose, XNNPACK
 * matmuls for transposed operands, and an Identity/Cast that share data instead of copying it.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseBackpropConfigs } from './depthwise-backprop.ts';
import { castConfig, identityConfig } from './identity.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { sumConfig } from './sum.ts';

let registered = false;

/** The wasm kernel registered under `name` before ours replace it. */
function originalKernel(name: string): tf.KernelConfig {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error('tfjs-backend-wasm is not loaded: its kernels are not registered');
  return kernel;
}

function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName))
    tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Registers the kernels above for 'wasm' (idempotent). Call it once the wasm backend package is
 * loaded (its kernels registered), before training; it works before or after the backend starts.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  replace(conv2DBackpropInputConfig(originalKernel(tf.Conv2DBackpropInput)));
  replace(sumConfig(originalKernel(tf.Sum)));
  replace(batchMatMulConfig(originalKernel(tf.BatchMatMul)));
  replace(identityConfig(originalKernel(tf.Identity)));
  replace(castConfig(originalKernel(tf.Cast)));
  replace(conv2DBackpropFilterConfig);
  for (const config of depthwiseBackpropConfigs) replace(config);
  replace(maxPoolGradConfig);
  registered = true;
}
