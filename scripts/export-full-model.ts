/**
 * `npm run export:full -- --out <dir> [--model <dir>] [--backbone <tfjs folder>]`: the headless twin
 * of Predict's *Export as one tfjs model*, with the same code (predict/full-model.ts): backbone +
 * head as ONE tfjs layers model (model.json + float16 weights.bin) and metadata.json (format
 * marquee-full-model v1), loadable by plain tf.loadLayersModel in any tfjs app.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { helpIfAsked, type Usage } from './cli-usage.ts';
import { SHIPPED_BACKBONES } from '../src/lib/net/model-hosts.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import { cardProblems, type ModelCard } from '../src/lib/predict/card.ts';
import {
  composeFullModel,
  fullModelFiles,
  fullModelMetadata,
  type FullModelMetadata,
} from '../src/lib/predict/full-model.ts';
import { loadHead } from '../src/lib/predict/head-io.ts';
import { layersArtifacts, loadLayersBackbone } from '../src/lib/models/poster/backbones.ts';

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

/** Writes model.json, weights.bin and metadata.json to `out`; returns the metadata. */
export async function exportFullModel(
  modelDir: string,
  backboneDir: string,
  out: string,
): Promise<FullModelMetadata> {
  const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as ModelCard;
  const problems = cardProblems(card);
  if (problems.length) throw new Error(`card.json refused:\n  ${problems.join('\n  ')}`);
  if (card.extraBackbones?.length)
    throw new Error(
      `${card.name} uses several backbones (${card.extraBackbones.map((b) => b.name).join(', ')}): export it from Predict's Models list`,
    );
  const headFolder = readFolder(modelDir);
  const head = await loadHead(headFolder.json, headFolder.shards);
  const b = readFolder(backboneDir);
  const backbone = await loadLayersBackbone(
    layersArtifacts(b.json as Parameters<typeof layersArtifacts>[0], b.shards),
  );
  const full = composeFullModel([backbone], head);
  const metadata = fullModelMetadata(card);
  mkdirSync(out, { recursive: true });
  for (const f of await fullModelFiles(full, metadata)) writeFileSync(join(out, f.name), f.bytes);
  full.dispose(); // and with it the backbone and head it holds
  return metadata;
}

export const EXPORT_FULL_USAGE: Usage = {
  command: 'npm run export:full -- --out <dir> [--model <dir>] [--backbone <tfjs folder>]',
  summary:
    'Writes a poster model as one tfjs layers model (backbone + head: model.json, float16 ' +
    "weights.bin) and metadata.json (labels, input, calibrators, decision rule), as Predict's " +
    '"Export as one tfjs model" does; any tfjs app loads it with tf.loadLayersModel.',
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
