/**
 * The style-transfer loop the Style panel runs in its worker: inputs resized and preprocessed,
 * an initial image (noise, content or style), outer iterations of L-BFGS (fresh history each, as
 * the Keras example's `for i in range(10): fmin_l_bfgs_b(..., maxfun=20)`) or Adam, and a preview
 * with the loss terms after every outer iteration. Images come and go as RGBA bytes, never tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { minimizeAdam } from './adam.ts';
import { minimizeLbfgs } from './lbfgs.ts';
import { VGG_MEAN_BGR, preprocessVgg } from './losses.ts';
import { throwIfAborted, type Objective } from './opt-common.ts';
import {
  KERAS_WEIGHTS,
  STYLE_PRESETS,
  VGG19_BLOCK3,
  presetLayers,
  type LossWeights,
  type StylePreset,
  type VggArch,
} from './presets.ts';
import { yieldToEvents } from '../core/yield.ts';
import { imageBounds, styleObjective, type LossTerms } from './style-objective.ts';
import { buildVgg, setVggWeights, vggLayerNames } from './vgg.ts';

/** RGBA pixels laid out as in `ImageData`. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export type StyleOptimizer = 'lbfgs' | 'adam';
/** Where the optimisation starts; 'image' = an image the caller gives (the instant result). */
export type StyleInit = 'noise' | 'content' | 'style' | 'image';

export interface StyleSettings {
  presetId: string;
  /** Output size in pixels: both sides, or the long side when keepAspect is set. */
  size: number;
  keepAspect: boolean;
  weights: LossWeights;
  optimizer: StyleOptimizer;
  /** Outer iterations; a preview follows each. */
  iterations: number;
  /** L-BFGS: evaluations per outer iteration (scipy's maxfun); Adam: steps per outer iteration. */
  evalsPerIteration: number;
  /** Adam's step in pixel units (0..255). */
  learningRate: number;
  init: StyleInit;
  /** Seed of the noise image. */
  seed: number;
  /** Run the first iterations at half size, then upscale for the last ones (see stagePlan). */
  coarseToFine?: boolean;
}

/** Largest output side: past 512 a 2-core CPU backend needs minutes per evaluation. */
export const MAX_STYLE_SIZE = 512;

/** The paper's run: noise, L-BFGS 10 × 20 evaluations, Keras weights; 200×200 as its quick case. */
export const DEFAULT_STYLE_SETTINGS: StyleSettings = {
  presetId: VGG19_BLOCK3.id,
  size: 200,
  keepAspect: false,
  weights: KERAS_WEIGHTS,
  optimizer: 'lbfgs',
  iterations: 10,
  evalsPerIteration: 20,
  // 4 pixel levels a step: big enough to move a noise image visibly in 20 steps, small enough not to ring.
  learningRate: 4,
  init: 'noise',
  seed: 1,
};

/** Progress after one outer iteration. */
export interface StyleIteration {
  /** 1-based. */
  iteration: number;
  terms: LossTerms;
  /** Objective evaluations in this iteration. */
  evals: number;
  /** Optimiser wall time of this iteration (the preview's own cost excluded). */
  elapsedMs: number;
  /** Size this iteration ran at (coarse-to-fine runs change it once). */
  width: number;
  height: number;
  image: RgbaImage;
}

export interface StyleResult {
  image: RgbaImage;
  /** Loss terms of the initial image (at the first stage's size). */
  start: LossTerms;
  /** Loss terms of the given start image at the output size (init 'image'), on the same objective as the result. */
  startAtFull?: LossTerms;
  history: Omit<StyleIteration, 'image'>[];
  evals: number;
  totalMs: number;
}

/** Output size: size×size, or the content's aspect with `size` on the long side (at least 16 px each way). */
export function targetSize(
  content: { width: number; height: number },
  size: number,
  keepAspect: boolean,
): { width: number; height: number } {
  const s = Math.round(Math.min(MAX_STYLE_SIZE, Math.max(16, size)));
  if (!keepAspect) return { width: s, height: s };
  const scale = s / Math.max(content.width, content.height);
  return {
    width: Math.max(16, Math.round(content.width * scale)),
    height: Math.max(16, Math.round(content.height * scale)),
  };
}

/** RGBA bytes → preprocessed [h, w, 3] (BGR, mean subtracted) resized bilinearly to the target. */
export function preparedImage(img: RgbaImage, height: number, width: number): tf.Tensor3D {
  return tf.tidy(() => {
    const rgba = tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 4]);
    const rgb = rgba.slice([0, 0, 0], [img.height, img.width, 3]);
    const sized =
      img.height === height && img.width === width
        ? rgb
        : tf.image.resizeBilinear(rgb, [height, width]);
    return preprocessVgg(sized as tf.Tensor3D);
  });
}

/** Inverse of preprocessing on a flat [h, w, 3] vector, straight to RGBA bytes (clamped). */
export function toRgba(x: ArrayLike<number>, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  const [b, g, r] = VGG_MEAN_BGR;
  for (let p = 0; p < width * height; p++) {
    data[4 * p] = x[3 * p + 2]! + r;
    data[4 * p + 1] = x[3 * p + 1]! + g;
    data[4 * p + 2] = x[3 * p]! + b;
    data[4 * p + 3] = 255;
  }
  return { width, height, data };
}

/** Uniform RGB noise in 0..255, preprocessed like an image (mulberry32, seeded). */
export function noiseImage(height: number, width: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from(
    { length: height * width * 3 },
    (_, i) => 255 * rand() - VGG_MEAN_BGR[i % 3]!,
  );
}

/** Decoded backbone weights and the models built from them, one per preset (built on first use). */
export class VggBackbone {
  readonly arch: VggArch;
  readonly #weights: tf.NamedTensorMap;
  readonly #models = new Map<string, tf.LayersModel>();

  /** Takes ownership of `weights` (layer names as Keras: `block1_conv1/kernel`, …). */
  constructor(weights: tf.NamedTensorMap, arch: VggArch = backboneArch(Object.keys(weights))) {
    this.#weights = weights;
    this.arch = arch;
  }

  /** Why a preset cannot run on these weights, or null when it can. */
  missing(preset: StylePreset): string | null {
    if (preset.arch !== this.arch)
      return `needs ${preset.arch.toUpperCase()} weights (loaded: ${this.arch.toUpperCase()})`;
    const names = vggLayerNames(this.arch);
    const deepest = Math.max(...presetLayers(preset).map((l) => names.indexOf(l)));
    const absent = names
      .slice(0, deepest + 1)
      .filter(
        (n) =>
          n.includes('_conv') && !Object.keys(this.#weights).some((k) => k.endsWith(`${n}/kernel`)),
      );
    return absent.length ? `the loaded weights stop before ${absent[0]}` : null;
  }

  /** The model for a preset, weights set (cached until dispose). */
  model(preset: StylePreset): tf.LayersModel {
    const reason = this.missing(preset);
    if (reason) throw new RangeError(`${preset.label}: ${reason}`);
    let m = this.#models.get(preset.id);
    if (!m) {
      m = buildVgg(preset.arch, presetLayers(preset));
      setVggWeights(m, this.#weights);
      this.#models.set(preset.id, m);
    }
    return m;
  }

  dispose(): void {
    for (const m of this.#models.values()) m.dispose();
    this.#models.clear();
    tf.dispose(Object.values(this.#weights));
  }
}

/** VGG19 has a fourth conv in block 3; VGG16 does not. */
export function backboneArch(weightNames: readonly string[]): VggArch {
  return weightNames.some((n) => n.endsWith('block3_conv4/kernel')) ? 'vgg19' : 'vgg16';
}

export interface StylizeHooks {
  signal?: AbortSignal;
  onIteration?: (it: StyleIteration) => void;
  /** Clock, injectable for tests. */
  nowMs?: () => number;
}

/** One stage of a run: its size and how many outer iterations it gets. */
export interface StyleStage {
  width: number;
  height: number;
  iterations: number;
}

/**
 * Coarse to fine: the first 80 % of the iterations at half size (a quarter of the pixels, so about
 * a quarter of the cost of an evaluation), the rest (at least one) at full size on the upscaled
 * result. Outputs under 64 px on a side run in one stage.
 */
export function stagePlan(
  settings: Pick<StyleSettings, 'iterations' | 'coarseToFine'>,
  full: { width: number; height: number },
): StyleStage[] {
  const n = settings.iterations;
  if (!settings.coarseToFine || n < 2 || Math.min(full.width, full.height) < 64)
    return [{ ...full, iterations: n }];
  const fine = Math.max(1, Math.round(n * 0.2));
  return [
    {
      width: Math.round(full.width / 2),
      height: Math.round(full.height / 2),
      iterations: n - fine,
    },
    { ...full, iterations: fine },
  ];
}

/** A preprocessed flat image resized bilinearly to another size (the upscaling between stages). */
function resizeFlat(
  x: Float64Array,
  from: { width: number; height: number },
  to: { width: number; height: number },
): Float64Array {
  const resized = tf.tidy(() =>
    tf.image.resizeBilinear(tf.tensor3d(Float32Array.from(x), [from.height, from.width, 3]), [
      to.height,
      to.width,
    ]),
  );
  try {
    return Float64Array.from(resized.dataSync());
  } finally {
    resized.dispose();
  }
}

async function startImage(
  settings: StyleSettings,
  size: { width: number; height: number },
  c: tf.Tensor3D,
  s: tf.Tensor3D,
  initImage: RgbaImage | undefined,
): Promise<Float64Array> {
  if (settings.init === 'noise') return noiseImage(size.height, size.width, settings.seed);
  if (settings.init === 'image') {
    if (!initImage) throw new RangeError('init "image" needs a start image');
    const t = preparedImage(initImage, size.height, size.width);
    try {
      return Float64Array.from(await t.data());
    } finally {
      t.dispose();
    }
  }
  return Float64Array.from(await (settings.init === 'content' ? c : s).data());
}

/**
 * Runs style transfer, in one stage or coarse to fine (stagePlan). Every tensor it makes is
 * disposed before it returns or throws (a cancel rejects with the signal's AbortError), so
 * tf.memory() is back where it was. `initImage` is the start for init 'image'.
 */
export async function stylize(
  backbone: VggBackbone,
  content: RgbaImage,
  style: RgbaImage,
  settings: StyleSettings,
  hooks: StylizeHooks = {},
  initImage?: RgbaImage,
): Promise<StyleResult> {
  const preset = STYLE_PRESETS[settings.presetId];
  if (!preset) throw new RangeError(`unknown preset ${settings.presetId}`);
  for (const k of ['size', 'iterations', 'evalsPerIteration', 'learningRate'] as const) {
    if (!(settings[k] > 0))
      throw new RangeError(`${k} must be a positive number, got ${settings[k]}`);
  }
  const now = hooks.nowMs ?? (() => performance.now());
  const model = backbone.model(preset);
  const stages = stagePlan(settings, targetSize(content, settings.size, settings.keepAspect));
  const history: StyleResult['history'] = [];
  let evals = 0;
  let x: Float64Array | undefined;
  let prev = stages[0]!;
  let start: LossTerms | undefined;
  let startAtFull: LossTerms | undefined;
  const t0 = now();
  for (const [i, stage] of stages.entries()) {
    const { width, height } = stage;
    // The style image takes the output's size, as in the Keras example: its Gram matrices are then
    // on the same scale as the combination's (the style normaliser uses the output's pixel count).
    const c = preparedImage(content, height, width);
    const s = preparedImage(style, height, width);
    const so = styleObjective(model, c, s, preset, settings.weights);
    try {
      x = x ? resizeFlat(x, prev, stage) : await startImage(settings, stage, c, s, initImage);
      start ??= await so.terms(x);
      if (i === stages.length - 1 && settings.init === 'image' && initImage)
        startAtFull = await so.terms(await startImage(settings, stage, c, s, initImage));
      const { lower, upper } = imageBounds(height, width);
      const objective: Objective = async (p) => {
        await yieldToEvents();
        throwIfAborted(hooks.signal);
        evals++;
        return so.objective(p);
      };
      for (let k = 1; k <= stage.iterations; k++) {
        throwIfAborted(hooks.signal);
        const [e0, tk] = [evals, now()];
        const common = { lower, upper, signal: hooks.signal };
        x =
          settings.optimizer === 'lbfgs'
            ? (
                await minimizeLbfgs(objective, x, {
                  ...common,
                  maxEvals: settings.evalsPerIteration,
                })
              ).x
            : (
                await minimizeAdam(objective, x, {
                  ...common,
                  maxIterations: settings.evalsPerIteration,
                  learningRate: settings.learningRate,
                })
              ).x;
        const elapsedMs = now() - tk;
        const terms = await so.terms(x);
        const step = {
          iteration: history.length + 1,
          terms,
          evals: evals - e0,
          elapsedMs,
          width,
          height,
        };
        history.push(step);
        hooks.onIteration?.({ ...step, image: toRgba(x, width, height) });
      }
      prev = stage;
    } finally {
      so.dispose();
      tf.dispose([c, s]);
    }
  }
  return {
    image: toRgba(x!, prev.width, prev.height),
    start: start!,
    ...(startAtFull ? { startAtFull } : {}),
    history,
    evals,
    totalMs: now() - t0,
  };
}
