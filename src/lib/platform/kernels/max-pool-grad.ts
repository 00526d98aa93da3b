/**
 * MaxPoolGrad for the wasm backend, replacing tfjs-backend-wasm 4.22's, which drops the gradient
 * of every window whose values are all negative (src/lib/platform/parity.browser.test.ts).
 * Same rule as the cpu kernel (tfjs-backend-cpu maxPoolPositions): each window sends its dy to
 * the first position, in row-major order, holding the window's strict maximum; padding is
 * outside every window. Plain JavaScript over the wasm heap, vectorised over channels.
 */
import * as tf from '@tensorflow/tfjs';
import { dims4, heapF32, zerosF32, type WasmBackend } from './wasm-ops.ts';

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
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
        // One channel at a time keeps the running maximum and its index in registers.
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let at = -1;
          for (let yy = yMin, row = first + c; yy < yMax; yy++, row += width * channels)
            for (let i = row, end = row + (xMax - xMin) * channels; i < end; i += channels) {
              const v = x[i]!;
              if (v > best) {
                best = v;
                at = i;
              }
            }
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
