/**
 * A poster model as ONE tfjs layers model (backbone(s) + head in one model.json and one weights
 * shard) with a metadata.json, the way Teachable Machine exports: any tfjs app loads it with
 * plain `tf.loadLayersModel('model.json')`, no studio code. The metadata says how to prepare an
 * image and how the studio turns the model's outputs into decisions (calibration, rule), since
 * those are numbers, not layers: baking them in would need custom layers a plain tfjs lacks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Calibrator } from './calibration.ts';
import type { ModelCard } from './card.ts';
import type { DecisionRule } from './decision-rule.ts';
import { headFiles, type HeadFiles } from './head-io.ts';

/** The metadata.json beside an exported full model. */
export interface FullModelMetadata {
  format: 'marquee-full-model';
  version: 1;
  name: string;
  createdAt: string;
  /** Output i is the sigmoid probability (before calibration) of labels[i]. */
  labels: string[];
  input: {
    shape: [number, number, 3];
    channels: 'RGB';
    /** How to resize a decoded image to the input shape. */
    resize: string;
    /** Pixel values 0–255 mapped to the model's range. */
    scale: string;
    range: [number, number];
  };
  /** The backbones inside, in the order their features are concatenated. */
  backbones: string[];
  /** True: the studio averages the outputs of the image and its mirror image (left–right). */
  flipAveraging: boolean;
  /** Per label, applied to the model's output before the rule (none / platt: sigmoid(a·logit(p)+b) / isotonic: piecewise linear through (x, y)). */
  calibrators: Calibrator[];
  rule: DecisionRule;
  /** How the studio chose the rule (the card's words). */
  ruleSelectedBy: string;
  /** The studio's model card, for the figures. */
  card: string;
}

/** Backbone(s) and head as one model: image [n, h, w, 3] → probabilities [n, labels]. */
export function composeFullModel(
  backbones: readonly tf.LayersModel[],
  head: tf.LayersModel,
  name = 'marquee-poster-full',
): tf.LayersModel {
  const shape = backbones[0]?.inputs[0]?.shape.slice(1);
  if (!shape || shape.some((d) => d === null))
    throw new RangeError('composeFullModel: the first backbone needs a fixed input shape');
  const input = tf.input({ shape: shape as number[], name: 'image' });
  const features = backbones.map((b, i) => {
    const out = b.apply(input) as tf.SymbolicTensor;
    // Pooled backbones end in [n, dims]; others are flattened, as the studio reshapes them.
    return out.shape.length > 2
      ? (tf.layers.flatten({ name: `features_${i}` }).apply(out) as tf.SymbolicTensor)
      : out;
  });
  const joined =
    features.length > 1
      ? (tf.layers.concatenate({ name: 'features' }).apply(features) as tf.SymbolicTensor)
      : features[0]!;
  const output = head.apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name });
}

/** metadata.json for a full model made from a poster card's model. */
export function fullModelMetadata(card: ModelCard, now = new Date()): FullModelMetadata {
  const p = card.preprocessing;
  if (p.normalization !== 'tf')
    throw new RangeError(`unexpected preprocessing "${p.normalization}" in ${card.name}`);
  const decision = card.decision;
  return {
    format: 'marquee-full-model',
    version: 1,
    name: card.name,
    createdAt: now.toISOString(),
    labels: [...card.labels],
    input: {
      shape: [p.height, p.width, 3],
      channels: 'RGB',
      resize: `${p.resize} to ${p.width}×${p.height} (no crop, aspect not kept)`,
      scale: 'x / 127.5 - 1',
      range: [-1, 1],
    },
    backbones: [card.backbone, ...(card.extraBackbones ?? [])].flatMap((b) => (b ? [b.name] : [])),
    flipAveraging: card.flipAveraging ?? false,
    calibrators: decision?.calibrators ?? card.labels.map(() => ({ kind: 'none' as const })),
    rule: decision?.rule ?? { kind: 'thresholds', thresholds: [...card.thresholds], minOne: false },
    ruleSelectedBy: decision?.selectedBy ?? 'per-label thresholds of the card',
    card: card.name,
  };
}

/** The files of an exported full model: model.json, its float16 weights shard, metadata.json. */
export async function fullModelFiles(
  model: tf.LayersModel,
  metadata: FullModelMetadata,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  const files: HeadFiles = await headFiles(model, 'float16', 'weights.bin');
  const text = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 1)}\n`);
  return [
    { name: 'model.json', bytes: text(files.modelJson) },
    { name: 'weights.bin', bytes: files.weights },
    { name: 'metadata.json', bytes: text(metadata) },
  ];
}
