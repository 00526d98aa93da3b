/**
 * Grad-CAM (Selvaraju et al. 2017) for the poster models: a backbone is split at its last
 * feature map (the last layer with a rank-4 output: MobileNetV2's `out_relu`, after its last
 * convolution), the rest of it (pooling) and the head are differentiated with respect to that
 * map, and each group's map is ReLU(Σ_k α_k A_k) with α_k the spatial mean of ∂score/∂A_k.
 * The score is the head's output itself: a sigmoid, and the card's Platt calibration, are
 * increasing functions of the logit, so they scale the gradient by a positive factor per group
 * and leave the normalised map unchanged. Only the small tail is differentiated, so this runs
 * on backends without convolution gradients (wasm). Nothing here knows layer names.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageTensorData } from '../vision/pipeline.ts';
import { flipHorizontal } from './features.ts';

/** A backbone cut at its last feature map: `map` gives [n, h, w, c]; `tail` turns that into its output. */
export interface SplitBackbone {
  map: (x: tf.Tensor4D) => tf.Tensor4D;
  tail: (a: tf.Tensor4D) => tf.Tensor;
}

const rank = (shape: tf.Shape | tf.Shape[]): number =>
  Array.isArray(shape[0]) ? (shape[0] as tf.Shape).length : shape.length;

/**
 * Splits a backbone at its last rank-4 layer output. A backbone whose output is already a map
 * (MobileNet v1 cut at conv_dw_13) is all map; otherwise the layers after the cut must form a
 * chain (Sequential models, or a functional model ending in pooling), which is applied in order.
 */
export function splitBackbone(model: tf.LayersModel): SplitBackbone {
  if (rank(model.outputs[0]!.shape) === 4)
    return { map: (x) => model.apply(x) as tf.Tensor4D, tail: (a) => a };
  const layers = model.layers;
  let cut = -1;
  for (let i = layers.length - 1; i >= 0; i--)
    if (rank(layers[i]!.outputShape) === 4) {
      cut = i;
      break;
    }
  if (cut < 0) throw new Error(`Grad-CAM: ${model.name} has no layer with a spatial output`);
  const after = layers.slice(cut + 1);
  const isSequential = model instanceof tf.Sequential;
  // Each later layer must take exactly the previous one's output, so applying them in order is
  // the model (a Sequential is a chain by construction).
  if (!isSequential)
    after.forEach((l, j) => {
      const prev = layers[cut + j]!;
      const inbound = l.inboundNodes[0]?.inboundLayers ?? [];
      if (inbound.length !== 1 || inbound[0] !== prev)
        throw new Error(
          `Grad-CAM: ${model.name}'s layers after ${layers[cut]!.name} are not a chain`,
        );
    });
  const first = layers[cut]!;
  const mapModel = isSequential
    ? null
    : tf.model({ inputs: model.inputs, outputs: first.output as tf.SymbolicTensor });
  return {
    map: (x) => {
      if (mapModel) return mapModel.apply(x) as tf.Tensor4D;
      let t: tf.Tensor = x;
      for (const l of layers.slice(0, cut + 1)) t = l.apply(t) as tf.Tensor;
      return t as tf.Tensor4D;
    },
    tail: (a) => after.reduce<tf.Tensor>((t, l) => l.apply(t) as tf.Tensor, a),
  };
}

/** The pooled vector a backbone output becomes (feature maps are averaged over space, as in features.ts). */
function pooled(t: tf.Tensor, n: number): tf.Tensor2D {
  return (t.rank === 4 ? t.mean([1, 2]) : t).reshape([n, -1]);
}

/** One source of the head's features: a split backbone, optionally averaged with the mirrored image. */
export interface FeatureSource {
  split: SplitBackbone;
  flip: boolean;
}

/** Per image: the head's features, its raw outputs, and one map per output label (h × w, peak 1 or all 0). */
export interface GradCamResult {
  features: Float32Array;
  outputs: Float32Array;
  maps: Float32Array[];
  /** Map size (the backbone's last feature map: 7 × 7 for MobileNetV2 at 224²). */
  height: number;
  width: number;
}

/** ReLU(Σ_k w_k A_k) of one [h, w, c] map with weights [c] (w: spatial mean of the gradient). */
function weightedMap(a: tf.Tensor3D, g: tf.Tensor3D): tf.Tensor2D {
  const alpha = g.mean([0, 1]); // [c]
  return a.mul(alpha).sum(2) as tf.Tensor2D;
}

/**
 * Grad-CAM of one prepared image for every output of `head` (the head's outputs are the labels).
 * Features: the sources' pooled outputs concatenated in order, each averaged with its mirrored
 * image's when `flip` (the mirrored map is mirrored back before it is added). Sources whose maps
 * differ in size are resized to the first one's (bilinear).
 */
export async function gradCam(
  sources: readonly FeatureSource[],
  head: tf.LayersModel,
  image: ImageTensorData,
): Promise<GradCamResult> {
  const views = (s: FeatureSource) => (s.flip ? [image, flipHorizontal(image)] : [image]);
  const result = tf.tidy(() => {
    // Feature maps of every (source, view): inputs of the differentiated function.
    const maps: tf.Tensor4D[] = [];
    sources.forEach((s) => {
      for (const v of views(s)) {
        const x = tf.tensor4d(v.data, [1, v.height, v.width, v.channels]);
        maps.push(s.split.map(x));
      }
    });
    const features = (...as: tf.Tensor[]): tf.Tensor2D => {
      let at = 0;
      const parts = sources.map((s) => {
        const vs = views(s).map(() => pooled(s.split.tail(as[at++] as tf.Tensor4D), 1));
        return vs.length === 1 ? vs[0]! : tf.addN(vs).div(vs.length);
      });
      return (parts.length === 1 ? parts[0]! : tf.concat(parts, 1)) as tf.Tensor2D;
    };
    const f = features(...maps);
    const out = head.apply(f) as tf.Tensor2D;
    const labels = out.shape[1];
    const [h, w] = [maps[0]!.shape[1], maps[0]!.shape[2]];
    const cams: tf.Tensor2D[] = [];
    for (let c = 0; c < labels; c++) {
      const grads = tf.grads((...as: tf.Tensor[]) =>
        (head.apply(features(...as)) as tf.Tensor2D).slice([0, c], [1, 1]).sum(),
      )(maps);
      let at = 0;
      const parts: tf.Tensor2D[] = [];
      for (const s of sources)
        views(s).forEach((_, vi) => {
          let m = weightedMap(maps[at]!.squeeze([0]), grads[at]!.squeeze([0]));
          at++;
          if (vi === 1) m = m.reverse(1); // the mirrored view's map back onto the poster
          if (m.shape[0] !== h || m.shape[1] !== w)
            m = tf.image.resizeBilinear(m.expandDims(2) as tf.Tensor3D, [h, w]).squeeze([2]);
          parts.push(m);
        });
      const sum = tf.relu(parts.length === 1 ? parts[0]! : tf.addN(parts));
      const peak = sum.max();
      cams.push(tf.where(peak.greater(0), sum.div(peak.add(1e-30)), sum) as tf.Tensor2D);
    }
    return { f, out, cams: tf.stack(cams) as tf.Tensor3D, h, w, labels };
  });
  const [features, outputs, camData] = await Promise.all([
    result.f.data() as Promise<Float32Array>,
    result.out.data() as Promise<Float32Array>,
    result.cams.data() as Promise<Float32Array>,
  ]);
  tf.dispose([result.f, result.out, result.cams]);
  const size = result.h * result.w;
  return {
    features,
    outputs,
    maps: Array.from({ length: result.labels }, (_, c) => camData.slice(c * size, (c + 1) * size)),
    height: result.h,
    width: result.w,
  };
}
