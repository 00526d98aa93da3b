/**
 * `npm run export:full -- --model <dir> --out <dir> [--backbone <tfjs folder>]`: a poster model as
 * ONE tfjs layers model (backbone + head: model.json + weights.bin) and a metadata.json (labels,
 * calibration, decision rule or thresholds, preprocessing), loadable by plain tf.loadLayersModel
 * in any tfjs app with no Marquee code. The model outputs the head's sigmoid probabilities for a
 * [n, 224, 224, 3] input scaled to [-1, 1]; metadata.json says how Marquee turns them into groups.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { helpIfAsked, type Usage } from './cli-usage.ts';
import { SHIPPED_BACKBONES } from '../src/lib/net/model-hosts.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import { loadHead } from '../src/lib/predict/head-io.ts';
import { layersArtifacts, loadLayersBackbone } from '../src/lib/models/poster/backbones.ts';

/** What metadata.json says (format 'marquee-full-model', version 1). */
export interface FullModelMetadata {
  format: 'marquee-full-model';
  version: 1;
  name: string;
  labels: string[];
  input: {
    shape: [number, number, number];
    /** How Marquee makes the input from a decoded RGB poster. */
    preprocessing: unknown;
    scale: string;
  };
  output: string;
  /** The card's decision: calibrators and rule (or plain thresholds for older cards). */
  decision: unknown;
  thresholds: number[];
  /** True when Marquee averages this model's features over the poster and its mirror image. */
  flipAveraging: boolean;
  note?: string;
  source: { card: unknown };
}

interface Card {
  name: string;
  labels: string[];
  thresholds: number[];
  preprocessing: { height: number; width: number };
  decision?: unknown;
  flipAveraging?: boolean;
  backbone: { name: string };
}

type LayersJson = {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
};

function readFolder(dir: string): { json: LayersJson; shards: Map<string, ArrayBuffer> } {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new Error(`${dir}: no model.json`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as LayersJson;
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest)
    for (const p of g.paths) shards.set(p, new Uint8Array(readFileSync(join(dir, p))).buffer);
  return { json, shards };
}

/** Backbone → head as one layers model, its input the backbone's. */
export function combine(backbone: tf.LayersModel, head: tf.LayersModel): tf.LayersModel {
  const input = tf.input({ shape: backbone.inputs[0]!.shape.slice(1) as number[] });
  let y = backbone.apply(input) as tf.SymbolicTensor;
  y = head.apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y, name: 'marquee_full' });
}

/** Writes model.json + weights.bin + metadata.json to `out`; returns the metadata. */
export async function exportFullModel(
  modelDir: string,
  backboneDir: string,
  out: string,
): Promise<FullModelMetadata> {
  const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as Card;
  const headFolder = readFolder(modelDir);
  const head = await loadHead(headFolder.json, headFolder.shards);
  const b = readFolder(backboneDir);
  const backbone = await loadLayersBackbone(
    layersArtifacts(b.json as Parameters<typeof layersArtifacts>[0], b.shards),
  );
  const full = combine(backbone, head);
  mkdirSync(out, { recursive: true });
  await full.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(out, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: 'Marquee export:full',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(out, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const { height, width } = card.preprocessing;
  const meta: FullModelMetadata = {
    format: 'marquee-full-model',
    version: 1,
    name: card.name,
    labels: card.labels,
    input: {
      shape: [height, width, 3],
      preprocessing: card.preprocessing,
      scale: 'RGB 0–255 → x / 127.5 − 1 (to [-1, 1]); bilinear resize with half-pixel centres',
    },
    output:
      'per label, the head’s sigmoid probability before calibration (same order as labels); ' +
      'Marquee then applies decision.calibrators and decision.rule (or thresholds)',
    decision: card.decision ?? null,
    thresholds: card.thresholds,
    flipAveraging: !!card.flipAveraging,
    ...(card.flipAveraging
      ? {
          note: 'Marquee feeds the head the mean of the backbone features of the poster and its mirror image; this one model takes one view, so its outputs differ slightly from the studio’s',
        }
      : {}),
    source: { card },
  };
  writeFileSync(join(out, 'metadata.json'), JSON.stringify(meta, null, 2) + '\n');
  full.dispose(); // and with it the backbone and head it holds
  return meta;
}

export const EXPORT_FULL_USAGE: Usage = {
  command: 'npm run export:full -- --out <dir> [--model <dir>] [--backbone <tfjs folder>]',
  summary:
    'Writes a poster model as one tfjs layers model (backbone + head: model.json, weights.bin) and ' +
    'metadata.json (labels, calibrators, decision rule, thresholds, preprocessing), loadable with ' +
    'tf.loadLayersModel in any tfjs app.',
  options: [
    ['--out <dir>', 'the folder to write (required; created if missing)'],
    ['--model <dir>', 'the model folder with card.json (default public/models/marquee-poster-v1)'],
    ['--backbone <dir>', 'a tfjs backbone folder (default: the copy the site ships)'],
    ['-h, --help', 'print this help and exit'],
  ],
  examples: ['npm run export:full -- --out marquee-full/'],
  exitCodes: [
    [0, 'written'],
    [1, 'missing --out, an unreadable model or backbone, or any other failure'],
  ],
};

async function main() {
  helpIfAsked(process.argv.slice(2), EXPORT_FULL_USAGE);
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'public/models/marquee-poster-v1' },
      backbone: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.out)
    throw new Error(
      'usage: npm run export:full -- --out <dir> [--model <dir>] [--backbone <tfjs folder>]',
    );
  await initCompute({ prefer: 'cpu' });
  const backbone =
    values.backbone ??
    join(import.meta.dirname, '../public/models', SHIPPED_BACKBONES['mobilenetv2-0.35']!.folder);
  const meta = await exportFullModel(resolve(values.model), resolve(backbone), resolve(values.out));
  console.log(`${meta.name}: model.json, weights.bin, metadata.json → ${values.out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
