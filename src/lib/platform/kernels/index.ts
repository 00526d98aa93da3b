/**
 * Training kernels for the wasm backend of tfjs 4.22, so conv nets train at wasm (XNNPACK) speed
 * on machines without a real GPU: the missing Conv2DBackpropFilter and both depthwise backprops,
 * a Conv2DBackpropInput on XNNPACK instead of a scalar loop, and a MaxPoolGrad without the
 * all-negative-window bug.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseBackpropConfigs } from './depthwise-backprop.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';

let registered = false;

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
  const original = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (!original) throw new Error('tfjs-backend-wasm is not loaded: its kernels are not registered');
  replace(conv2DBackpropInputConfig(original));
  replace(conv2DBackpropFilterConfig);
  for (const config of depthwiseBackpropConfigs) replace(config);
  replace(maxPoolGradConfig);
  registered = true;
}
