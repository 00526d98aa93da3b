/**
 * Conv2DBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 lacks.
 *
 * dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, y·sh + kh − pt, x·sw + kw − pl, ci] · dY[b,y,x,co] is itself a
 * convolution: swap batch and channels of X (X' = [ci, h, w, b]), use dY as the filter
 * (F = [oh, ow, b, co]) with dilation = the forward stride, and the output [ci, fh, fw, co] holds
 * dW with its axes rotated. That runs on the wasm backend's XNNPACK Conv2D (the same trick other
 * frameworks use); everything else is three Transposes.
 */
import * as tf from '@tensorflow/tfjs';
import { dims4, free, runWasm, type WasmBackend } from './wasm-ops.ts';

function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const channelsLast = tf.backend_util.convertConv2DDataFormat(dataFormat) === 'channelsLast';
  const info = tf.backend_util.computeConv2DInfo(
    dims4(x.shape),
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    channelsLast ? 'channelsLast' : 'channelsFirst',
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { outHeight: oh, outWidth: ow, inHeight, inWidth } = info;
  const { top: pt, left: pl } = info.padInfo;
  // Rows/columns past the last window never reach dW; cut them so the padding below is ≥ 0.
  const hUsed = Math.min(inHeight, (oh - 1) * sh + fh - pt);
  const wUsed = Math.min(inWidth, (ow - 1) * sw + fw - pl);

  let xs = runWasm(
    'Transpose',
    backend,
    { x },
    { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] },
  );
  if (hUsed < inHeight || wUsed < inWidth) {
    const cut = runWasm(
      'Slice',
      backend,
      { x: xs },
      { begin: [0, 0, 0, 0], size: [-1, hUsed, wUsed, -1] },
    );
    free(backend, xs);
    xs = cut;
  }
  const f = runWasm(
    'Transpose',
    backend,
    { x: dy },
    { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] },
  );
  const padding = [
    [0, 0],
    [pt, (oh - 1) * sh + fh - pt - hUsed],
    [pl, (ow - 1) * sw + fw - pl - wUsed],
    [0, 0],
  ];
  const rotated = runWasm(
    'Conv2D',
    backend,
    { x: xs, filter: f },
    { strides: [1, 1], dilations: [sh, sw], pad: padding, dataFormat: 'NHWC' },
  );
  free(backend, xs, f);
  const dw = runWasm('Transpose', backend, { x: rotated }, { perm: [1, 2, 0, 3] });
  free(backend, rotated);
  return dw;
}

/** The kernel config registered for 'wasm'. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
