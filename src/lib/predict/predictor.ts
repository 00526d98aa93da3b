/**
 * A loaded poster predictor: backbone + head + card. Files are checked and decoded one by one
 * (a bad file becomes an error row, never an exception for the batch), then run through the
 * backbone in small batches so 500 dropped files never hold 500 decoded images at once. When the
 * card says so, the backbone's features are averaged with those of the mirrored poster, and the
 * head's probabilities are calibrated and decided by the card's rule (predict/decision-rule.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageDecoder, ImageTensorData } from '../vision/pipeline.ts';
import { calibrateRows } from './calibration.ts';
import type { ModelCard } from './card.ts';
import { applyRule } from './decision-rule.ts';
import { flipHorizontal } from './features.ts';
import { gradCam, splitBackbone, type FeatureSource } from './grad-cam.ts';
import {
  backboneFeatures,
  decodeChecked,
  headProbabilities,
  InputError,
  prepareForBackbone,
} from './poster-model.ts';

/**
 * One poster's outcome: (calibrated, when the card calibrates) probabilities per label and the
 * labels its decision rule predicts, or a message.
 */
export type PosterPrediction =
  | {
      file: string;
      ok: true;
      probabilities: number[];
      predicted: string[];
      ms: number;
      saliency?: Saliency;
      /** The head's input features (asked for with `features`: the query of "posters like this one"). */
      features?: Float32Array;
    }
  | { file: string; ok: false; error: string };

/** Grad-CAM maps of one poster, one per label (row-major height × width, peak 1 or all 0). */
export interface Saliency {
  height: number;
  width: number;
  maps: Float32Array[];
  /** Time of this poster's forward pass and maps in the worker. */
  ms: number;
}

/** What predictFiles computes besides probabilities. */
export interface PredictOptions {
  /** Grad-CAM maps for every label (one poster at a time; probabilities come from the same pass). */
  saliency?: boolean;
  /** The head's input features of each poster. */
  features?: boolean;
}

/** Labels the card's rule predicts from (calibrated) probabilities; older cards: at or above each threshold. */
export function predictedLabels(
  p: readonly number[],
  card: Pick<ModelCard, 'labels' | 'thresholds' | 'decision'>,
): string[] {
  if (card.decision) {
    const d = applyRule(card.decision.rule, p, card.labels.length);
    return card.labels.filter((_, i) => d[i] === 1);
  }
  return card.labels.filter((_, i) => p[i]! >= card.thresholds[i]!);
}

/** Posters per backbone call: 8 keeps peak memory near 8 × 224² × 3 floats (4.8 MB) of input. */
const BATCH = 8;

export class PosterPredictor {
  #sources: FeatureSource[] | null = null;

  constructor(
    readonly backbone: tf.LayersModel,
    readonly head: tf.LayersModel,
    readonly card: ModelCard,
  ) {}

  /** Predicts files in order; `decode` handles the non-JPEG formats (the browser's decoder). */
  async predictFiles(
    files: readonly { name: string; bytes: Uint8Array }[],
    decode?: ImageDecoder,
    nowMs: () => number = () => performance.now(),
    onDone?: (done: number, total: number) => void,
    options: PredictOptions = {},
  ): Promise<PosterPrediction[]> {
    const out: PosterPrediction[] = [];
    for (let s = 0; s < files.length; s += BATCH) {
      const part = files.slice(s, s + BATCH);
      const start = nowMs();
      const ready: { i: number; img: ImageTensorData }[] = [];
      const errors = new Map<number, string>();
      for (const [i, f] of part.entries()) {
        try {
          ready.push({ i, img: prepareForBackbone(await decodeChecked(f.bytes, decode)) });
        } catch (e) {
          errors.set(
            i,
            e instanceof InputError ? e.message : `could not read the image: ${String(e)}`,
          );
        }
      }
      const imgs = ready.map((r) => r.img);
      const L = this.card.labels.length;
      const extra = new Map<number, { saliency?: Saliency; features?: Float32Array }>();
      let probs: Float32Array;
      if (options.saliency) {
        probs = new Float32Array(imgs.length * L);
        for (const [k, img] of imgs.entries()) {
          const t0 = nowMs();
          const s = await this.explain(img);
          probs.set(s.probabilities, k * L);
          extra.set(k, {
            saliency: { height: s.height, width: s.width, maps: s.maps, ms: nowMs() - t0 },
            ...(options.features ? { features: s.features } : {}),
          });
        }
      } else if (ready.length) {
        const f = await this.headFeatures(imgs);
        probs = await this.headToProbabilities(f, imgs.length);
        if (options.features) {
          const d = f.length / imgs.length;
          imgs.forEach((_, k) => extra.set(k, { features: f.slice(k * d, (k + 1) * d) }));
        }
      } else probs = new Float32Array(0);
      const ms = (nowMs() - start) / Math.max(1, ready.length);
      const row = new Map(
        ready.map((r, k) => [r.i, { p: Array.from(probs.subarray(k * L, (k + 1) * L)), k }]),
      );
      part.forEach((f, i) => {
        const r = row.get(i);
        out.push(
          r
            ? {
                file: f.name,
                ok: true,
                probabilities: r.p,
                predicted: predictedLabels(r.p, this.card),
                ms,
                ...extra.get(r.k),
              }
            : { file: f.name, ok: false, error: errors.get(i) ?? 'unknown error' },
        );
      });
      onDone?.(out.length, files.length);
    }
    return out;
  }

  /** (Calibrated) probabilities of prepared images, row-major. */
  async probabilities(images: readonly ImageTensorData[]): Promise<Float32Array> {
    return this.headToProbabilities(await this.headFeatures(images), images.length);
  }

  /** The head's input features of prepared images, row-major (what training fed the head). */
  async headFeatures(images: readonly ImageTensorData[]): Promise<Float32Array> {
    const f = await backboneFeatures(this.backbone, images);
    if (f.dims !== this.card.backbone?.featureDims)
      throw new Error(
        `backbone gives ${f.dims} features, the head expects ${this.card.backbone?.featureDims}`,
      );
    if (this.card.flipAveraging) {
      const m = await backboneFeatures(this.backbone, images.map(flipHorizontal));
      for (let i = 0; i < f.data.length; i++) f.data[i] = (f.data[i]! + m.data[i]!) / 2;
    }
    return f.data;
  }

  async headToProbabilities(features: Float32Array, rows: number): Promise<Float32Array> {
    const p = await headProbabilities(this.head, features, rows);
    return this.card.decision ? calibrateRows(this.card.decision.calibrators, p) : p;
  }

  /**
   * The backbones whose pooled features the head reads, in order, split for Grad-CAM. Flip
   * averaging applies to the first one, as in headFeatures.
   */
  featureSources(): FeatureSource[] {
    this.#sources ??= [{ split: splitBackbone(this.backbone), flip: !!this.card.flipAveraging }];
    return this.#sources;
  }

  /** Probabilities, head features and a Grad-CAM map per label of one prepared image. */
  async explain(image: ImageTensorData) {
    const r = await gradCam(this.featureSources(), this.head, image);
    const probabilities = this.card.decision
      ? calibrateRows(this.card.decision.calibrators, r.outputs)
      : r.outputs;
    return { ...r, probabilities };
  }

  dispose(): void {
    this.head.dispose();
  }
}
