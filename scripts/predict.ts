/**
 * `npm run predict -- --model <dir> --posters <dir or file> --out predictions.csv
 *  [--backbone <tfjs folder> | --backbones <dir with mobilenetv2-0.35-imagenet/>]`: the headless
 * twin of the Predict panel, sharing its code (checks, decoding: JPEG with jpeg-js, PNG/WebP with
 * pngjs/libwebp where the browser uses createImageBitmap; resize, backbone, head,
 * thresholds, CSV). The backbone is the copy the site ships (public/models/mobilenetv2-0.35/) by
 * default, so both give the same numbers. One row per poster file: file, the 7 group
 * probabilities, predicted groups (and an error, if any).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PREDICT_USAGE, helpIfAsked } from './cli-usage.ts';
import { PAPER7 } from '../src/lib/features/groups.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import {
  artifactProblems,
  cardProblems,
  compatibilityProblems,
  type ModelCard,
} from '../src/lib/predict/card.ts';
import { loadHead } from '../src/lib/predict/head-io.ts';
import { predictionsCsv } from '../src/lib/predict/predictions-csv.ts';
import { PosterPredictor } from '../src/lib/predict/predictor.ts';
import { decodeImageNode } from '../src/lib/vision/decode-node-image.ts';
import type * as tf from '@tensorflow/tfjs';
import { layersArtifacts, loadLayersBackbone } from '../src/lib/models/poster/backbones.ts';
import { SHARED_MODEL_FOLDERS, SHIPPED_BACKBONES } from '../src/lib/net/model-hosts.ts';
import { errorMessage } from '../src/lib/core/errors.ts';

/** Loads a model folder (model.json, card.json, shards), refusing a card that does not fit. */
export async function loadModelDir(dir: string, backboneDir: string): Promise<PosterPredictor> {
  const read = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new Error(`${dir}: missing ${f}`);
    return readFileSync(p);
  };
  const parse = (f: string) => {
    try {
      return JSON.parse(read(f).toString('utf8')) as unknown;
    } catch (e) {
      throw new Error(`${f}: ${errorMessage(e)}`, { cause: e });
    }
  };
  const card = parse('card.json');
  const modelJson = parse('model.json') as Parameters<typeof loadHead>[0];
  const problems = cardProblems(card);
  if (problems.length) throw new Error(`card.json refused:\n  ${problems.join('\n  ')}`);
  const c = card as ModelCard;
  const sizes = new Map<string, number>();
  const shards = new Map<string, Uint8Array>();
  for (const f of readdirSync(dir))
    if (!f.endsWith('.json')) {
      const b = new Uint8Array(readFileSync(join(dir, f)));
      shards.set(f, b);
      sizes.set(f, b.length);
    }
  const more = [
    ...compatibilityProblems(c, {
      labels: PAPER7.map((g) => g.name),
      backbones: ['mobilenetv2-0.35'],
    }),
    ...artifactProblems(c, modelJson, sizes),
  ];
  if (more.length) throw new Error(`model refused:\n  ${more.join('\n  ')}`);
  const head = await loadHead(modelJson, shards);
  const backbone = await loadLayersFolder(backboneDir);
  return new PosterPredictor(backbone, head, c);
}

/** A tfjs layers model from its folder (model.json and the shards it names). */
async function loadLayersFolder(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Parameters<
    typeof layersArtifacts
  >[0];
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest)
    for (const p of g.paths) shards.set(p, new Uint8Array(readFileSync(join(dir, p))).buffer);
  return loadLayersBackbone(layersArtifacts(json, shards));
}

/** Poster files: the file itself, or the folder's files in name order (not recursive). */
export function posterFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => statSync(join(path, f)).isFile())
    .sort()
    .map((f) => join(path, f));
}

async function main() {
  helpIfAsked(process.argv.slice(2), PREDICT_USAGE);
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'public/models/marquee-poster-v1' },
      posters: { type: 'string' },
      out: { type: 'string', default: 'predictions.csv' },
      backbone: { type: 'string' },
      backbones: { type: 'string' },
    },
  });
  if (!values.posters)
    throw new Error(
      'usage: npm run predict -- --model <dir> --posters <dir or file> --out predictions.csv',
    );
  await initCompute({ prefer: 'wasm' });
  const backboneDir = values.backbone
    ? resolve(values.backbone)
    : values.backbones
      ? join(resolve(values.backbones), SHARED_MODEL_FOLDERS['mobilenetv2-0.35']!)
      : join(
          import.meta.dirname,
          '../public/models',
          SHIPPED_BACKBONES['mobilenetv2-0.35']!.folder,
        );
  const predictor = await loadModelDir(resolve(values.model), backboneDir);
  const files = posterFiles(resolve(values.posters));
  const rows = await predictor.predictFiles(
    files.map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) })),
    decodeImageNode,
    undefined,
    (d, n) => d % 64 === 0 && process.stderr.write(`${d}/${n}\n`),
  );
  writeFileSync(values.out, predictionsCsv(rows, predictor.card.labels));
  const bad = rows.filter((r) => !r.ok).length;
  console.log(
    `${rows.length} posters → ${values.out}${bad ? ` (${bad} could not be read; see the error column)` : ''}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
