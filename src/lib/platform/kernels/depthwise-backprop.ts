/**
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput for the wasm backend,
 * which tfjs-backend-wasm 4.22 lacks (MobileNet fine-tuning needs both). Each is one pass over
 * dY in plain JavaScript on the wasm heap, for any stride, dilation, padding and channel
 * multiplier M (filter [fh, fw, C, M], output channel c·M + m). Unlike the cpu kernels, which
 * ignore the dilations attribute, these honour it; the gradient ops only pass dilation 1.
 */
import * as tf from '@tensorflow/tfjs';
import { dims4, heapF32, zerosF32, type WasmBackend } from './wasm-ops.ts';

type KernelArgs = {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
};

/** Geometry shared by both kernels; `visit` gets (dy offset, x offset, filter offset) per tap. */
function forEachTap(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs | tf.DepthwiseConv2dNativeBackpropInputAttrs,
  visit: (dyAt: number, xAt: number, wAt: number) => void,
): void {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [, height, width, channels] = xShape;
  const { outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { filterHeight: fh, filterWidth: fw, outChannels } = info;
  const mult = outChannels / channels;
  for (let b = 0; b < info.batchSize; b++)
    for (let y = 0; y < outHeight; y++)
      for (let x = 0; x < outWidth; x++) {
        const dyAt = ((b * outHeight + y) * outWidth + x) * outChannels;
        for (let kh = 0; kh < fh; kh++) {
          const r = y * strideHeight + kh * dilationHeight - info.padInfo.top;
          if (r < 0 || r >= height) continue;
          for (let kw = 0; kw < fw; kw++) {
            const c = x * strideWidth + kw * dilationWidth - info.padInfo.left;
            if (c < 0 || c >= width) continue;
            visit(
              dyAt,
              ((b * height + r) * width + c) * channels,
              (kh * fw + kw) * channels * mult,
            );
          }
        }
      }
}

function backpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const xShape = dims4(x.shape);
  const filterShape = dims4(attrs.filterShape);
  const n = filterShape[2] * filterShape[3]; // C·M products per tap, laid out like dY's channels
  // Float64 sums: the cpu kernel sums in JavaScript numbers too, so both round once at the end.
  const acc = new Float64Array(filterShape[0] * filterShape[1] * n);
  const mult = filterShape[3];
  const dw = backend.makeOutput(filterShape, 'float32');
  const xs = heapF32(backend, x);
  const g = heapF32(backend, dy);
  forEachTap(xShape, filterShape, attrs, (dyAt, xAt, wAt) => {
    for (let k = 0; k < n; k++) acc[wAt + k]! += xs[xAt + ((k / mult) | 0)]! * g[dyAt + k]!;
  });
  heapF32(backend, dw).set(acc);
  return dw;
}

function backpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const xShape = dims4(attrs.inputShape);
  const filterShape = dims4(filter.shape);
  const n = filterShape[2] * filterShape[3];
  const mult = filterShape[3];
  const dx = zerosF32(backend, xShape);
  const out = heapF32(backend, dx);
  const w = heapF32(backend, filter);
  const g = heapF32(backend, dy);
  forEachTap(xShape, filterShape, attrs, (dyAt, xAt, wAt) => {
    for (let k = 0; k < n; k++) out[xAt + ((k / mult) | 0)]! += g[dyAt + k]! * w[wAt + k]!;
  });
  return dx;
}

/** The two kernel configs registered for 'wasm'. */
export const depthwiseBackpropConfigs: tf.KernelConfig[] = [
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: backpropFilter as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: backpropInput as unknown as tf.KernelFunc,
  },
];
