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
  | { file: string; ok: true; probabilities: number[]; predicted: string[]; ms: number }
  | { file: string; ok: false; error: string };

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
      const probs = ready.length
        ? await this.probabilities(ready.map((r) => r.img))
        : new Float32Array(0);
      const ms = (nowMs() - start) / Math.max(1, ready.length);
      const L = this.card.labels.length;
      const row = new Map(
        ready.map((r, k) => [r.i, Array.from(probs.subarray(k * L, (k + 1) * L))]),
      );
      part.forEach((f, i) => {
        const p = row.get(i);
        out.push(
          p
            ? {
                file: f.name,
                ok: true,
                probabilities: p,
                predicted: predictedLabels(p, this.card),
                ms,
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
    const f = await backboneFeatures(this.backbone, images);
    if (f.dims !== this.card.backbone?.featureDims)
      throw new Error(
        `backbone gives ${f.dims} features, the head expects ${this.card.backbone?.featureDims}`,
      );
    if (this.card.flipAveraging) {
      const m = await backboneFeatures(this.backbone, images.map(flipHorizontal));
      for (let i = 0; i < f.data.length; i++) f.data[i] = (f.data[i]! + m.data[i]!) / 2;
    }
    const p = await headProbabilities(this.head, f.data, images.length);
    return this.card.decision ? calibrateRows(this.card.decision.calibrators, p) : p;
  }

  dispose(): void {
    this.head.dispose();
  }
}
