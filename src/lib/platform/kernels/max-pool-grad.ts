/**
 * MaxPoolGrad for the wasm backend, replacing tfjs-backend-wasm 4.22's, which drops the gradient
 * of every window whose values are all negative (src/lib/platform/parity.browser.test.ts).
 * Same rule as the cpu kernel (tfjs-backend-cpu maxPoolPositions): each window sends its dy to
 * the first position, in row-major order, holding the window's strict maximum; padding is
 * outside every window. Plain JavaScript over the wasm heap; it uses the forward output (the
 * gradient op passes the MaxPool result) to stop each window's scan at its maximum.
 */
import * as tf from '@tensorflow/tfjs';
import { dims4, heapF32, zerosF32, type WasmBackend } from './wasm-ops.ts';

/** One channel of one pooling window: `rows` runs of `cols` floats, elements `step` apart. */
interface Window {
  x: Float32Array;
  start: number;
  rows: number;
  rowStep: number;
  cols: number;
  step: number;
}

/** Index of the first element of the window equal to `target`, or −1. */
function firstEqual(w: Window, target: number): number {
  for (let r = 0, row = w.start; r < w.rows; r++, row += w.rowStep)
    for (let i = row, end = row + w.cols; i < end; i += w.step) if (w.x[i] === target) return i;
  return -1;
}

/** Index of the first strict maximum of the window (NaN never wins), or −1. */
function firstMax(w: Window): number {
  let [best, at] = [-Infinity, -1];
  for (let r = 0, row = w.start; r < w.rows; r++, row += w.rowStep)
    for (let i = row, end = row + w.cols; i < end; i += w.step)
      if (w.x[i]! > best) [best, at] = [w.x[i]!, i];
  return at;
}

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, input, output } = args.inputs as Record<'dy' | 'input' | 'output', tf.TensorInfo>;
  const { filterSize, strides, pad, dimRoundingMode } =
    args.attrs as unknown as tf.MaxPoolGradAttrs;
  const [batch, height, width, channels] = dims4(input.shape);
  const info = tf.backend_util.computePool2DInfo(
    [batch, height, width, channels],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const dx = zerosF32(backend, [batch, height, width, channels]);
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const y = heapF32(backend, output);
  const out = heapF32(backend, dx);
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top;
      const [yMin, yMax] = [Math.max(0, y0), Math.min(height, y0 + filterHeight)];
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - info.padInfo.left;
        const [xMin, xMax] = [Math.max(0, x0), Math.min(width, x0 + filterWidth)];
        const gBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        const first = ((b * height + yMin) * width + xMin) * channels;
        const [rows, cols] = [yMax - yMin, (xMax - xMin) * channels];
        for (let c = 0; c < channels; c++) {
          const w = { x, start: first + c, rows, rowStep: width * channels, cols, step: channels };
          // The forward max is one of the window's values: find its first occurrence (about half
          // a window, one branch); if y holds no value of the window (NaN), compare them all.
          let at = firstEqual(w, y[gBase + c]!);
          if (at < 0) at = firstMax(w);
          if (at >= 0) out[at] = out[at]! + g[gBase + c]!;
        }
      }
    }
  return dx;
}

/** The kernel config registered for 'wasm'. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
