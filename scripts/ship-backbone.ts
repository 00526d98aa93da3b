/**
 * `npm run ship-backbone -- <name> [--dtype float16|float32] [--posters <dir>] [--limit 200]`:
 * writes a shipped backbone (net/model-hosts.ts SHIPPED_BACKBONES) into public/models/<folder>/
 * from its ../shared copy, optionally storing the weights as float16 (tfjs' loader dequantises
 * `quantization: { dtype: 'float16' }` itself), then measures what that costs on real posters:
 * the backbone features and the shipped head's probabilities from both copies, their largest
 * absolute differences and how many decisions (label at or above its threshold) flip. Prints JSON.
 * The posters default to ../shared/data/tmdb-cs109b/posters, which the shipped head never saw
 * (it was trained and tested on the Kaggle posters), so no split of its data informs the choice.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import Papa from 'papaparse';
import { labelsFromRows } from '../src/lib/metrics/label-matrix.ts';
import { microF1 } from '../src/lib/metrics/multilabel.ts';
import {
  layersArtifacts,
  loadLayersBackbone,
  type BackboneName,
} from '../src/lib/models/poster/backbones.ts';
import {
  SHARED_MODEL_FOLDERS,
  SHIPPED_BACKBONES,
  type ShipDtype,
} from '../src/lib/net/model-hosts.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import type { ModelCard } from '../src/lib/predict/card.ts';
import { loadHead, toFloat16Bits } from '../src/lib/predict/head-io.ts';
import {
  backboneFeatures,
  decodeChecked,
  headProbabilities,
  prepareForBackbone,
} from '../src/lib/predict/poster-model.ts';
import type { ImageTensorData } from '../src/lib/vision/pipeline.ts';

type LayersJson = Parameters<typeof layersArtifacts>[0];

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = process.env.MARQUEE_SHARED ?? resolve(ROOT, '../shared');

/** A tfjs layers folder's model.json and shards. */
function readFolder(dir: string): { json: LayersJson; shards: Map<string, ArrayBuffer> } {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as LayersJson;
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest)
    for (const p of g.paths) shards.set(p, new Uint8Array(readFileSync(join(dir, p))).buffer);
  return { json, shards };
}

/** Which weights a dtype stores as float16. */
export function halvedBy(dtype: ShipDtype): (weightName: string) => boolean {
  if (dtype === 'float32') return () => false;
  if (dtype === 'float16') return () => true;
  return (n) => /(^|\/)(depthwise_)?kernel$/.test(n);
}

/** The same model in one shard `weights.bin`, the weights `half` picks stored as float16 bits. */
export function quantizedFolder(
  json: LayersJson,
  shards: ReadonlyMap<string, ArrayBuffer>,
  half: (weightName: string) => boolean,
): { json: LayersJson; weights: Uint8Array } {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  for (const s of specs)
    if (s.dtype !== 'float32' || s.quantization)
      throw new Error(`${s.name}: only plain float32 weights can be re-stored`);
  const f32 = new Float32Array(layersArtifacts(json, shards).weightData as ArrayBuffer);
  const parts: Uint8Array[] = [];
  let at = 0;
  const out = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = f32.subarray(at, (at += n));
    if (!half(s.name)) {
      parts.push(new Uint8Array(values.slice().buffer));
      return s;
    }
    const h = new Uint16Array(n);
    for (let i = 0; i < n; i++) h[i] = toFloat16Bits(values[i]!);
    parts.push(new Uint8Array(h.buffer));
    return { ...s, quantization: { dtype: 'float16' as const } };
  });
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (weights.set(p, o), o + p.length), 0);
  return {
    json: { ...json, weightsManifest: [{ paths: ['weights.bin'], weights: out }] },
    weights,
  };
}

/** Features of prepared images, 8 at a time. */
async function features(model: tf.LayersModel, images: ImageTensorData[]): Promise<Float32Array> {
  const out: Float32Array[] = [];
  for (let s = 0; s < images.length; s += 8)
    out.push((await backboneFeatures(model, images.slice(s, s + 8))).data);
  const all = new Float32Array(out.reduce((n, a) => n + a.length, 0));
  out.reduce((o, a) => (all.set(a, o), o + a.length), 0);
  return all;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Each poster's true groups from a CSV with one 0/1 column per TMDb genre id and `movie_id` (null when not listed). */
function trueGroups(csv: string, files: string[], card: ModelCard): (number[] | null)[] {
  const rows = Papa.parse<Record<string, string>>(readFileSync(csv, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const byId = new Map<string, Record<string, string>>();
  for (const r of rows) if (r.movie_id && !byId.has(r.movie_id)) byId.set(r.movie_id, r);
  return files.map((f) => {
    const r = byId.get(f.replace(/\.[^.]+$/, ''));
    return r
      ? card.groups.map((g) => (g.genreIds.some((id) => r[String(id)] === '1') ? 1 : 0))
      : null;
  });
}

/** Micro-F1 of thresholded probabilities against the rows that have true labels. */
function scored(p: Float32Array, truth: (number[] | null)[], card: ModelCard): number {
  const L = card.labels.length;
  const keep = truth.flatMap((t, i) => (t ? [i] : []));
  const pred = keep.map((i) => card.thresholds.map((th, j) => (p[i * L + j]! >= th ? 1 : 0)));
  return microF1(
    labelsFromRows(
      keep.map((i) => truth[i]!),
      L,
    ),
    labelsFromRows(pred, L),
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dtype: { type: 'string' },
      labels: { type: 'string', default: join(SHARED, 'data/tmdb-cs109b/movies.csv') },
      posters: { type: 'string', default: join(SHARED, 'data/tmdb-cs109b/posters') },
      limit: { type: 'string', default: '200' },
      head: { type: 'string', default: join(ROOT, 'public/models/marquee-poster-v1') },
    },
  });
  const name = positionals[0] as BackboneName | undefined;
  const shipped = name ? SHIPPED_BACKBONES[name] : undefined;
  const source = name ? SHARED_MODEL_FOLDERS[name] : undefined;
  if (!name || !shipped || !source)
    throw new Error(
      `usage: npm run ship-backbone -- <${Object.keys(SHIPPED_BACKBONES).join('|')}> [--dtype float16|float32]`,
    );
  const dtype = (values.dtype ?? shipped.dtype) as ShipDtype;
  if (!['float32', 'float16', 'float16-kernels'].includes(dtype))
    throw new Error('--dtype: float32, float16 or float16-kernels');

  await initCompute({ prefer: 'wasm' });
  const original = readFolder(join(SHARED, 'models', source));
  const out = join(ROOT, 'public/models', shipped.folder);
  mkdirSync(out, { recursive: true });
  const written = quantizedFolder(original.json, original.shards, halvedBy(dtype));
  const modelJson = JSON.stringify(written.json);
  writeFileSync(join(out, 'model.json'), modelJson);
  writeFileSync(join(out, 'weights.bin'), written.weights);
  const sizeBytes = Buffer.byteLength(modelJson) + written.weights.byteLength;

  // What it costs: both copies on the same real posters.
  const full = await loadLayersBackbone(layersArtifacts(original.json, original.shards));
  const mine = readFolder(out);
  const small = await loadLayersBackbone(layersArtifacts(mine.json, mine.shards));
  // The first `limit` posters this decoder reads (a few files named .jpg are PNGs: skipped).
  const files: string[] = [];
  const images: ImageTensorData[] = [];
  for (const f of readdirSync(values.posters).sort()) {
    if (files.length >= Number(values.limit)) break;
    try {
      const bytes = new Uint8Array(readFileSync(join(values.posters, f)));
      images.push(prepareForBackbone(await decodeChecked(bytes)));
      files.push(f);
    } catch {
      // not a JPEG
    }
  }
  const [fa, fb] = [await features(full, images), await features(small, images)];
  let maxFeature = 0;
  for (const v of fa) maxFeature = Math.max(maxFeature, Math.abs(v));

  const head = readFolder(values.head);
  const card = JSON.parse(readFileSync(join(values.head, 'card.json'), 'utf8')) as ModelCard;
  const model = await loadHead(head.json, head.shards);
  const [pa, pb] = [
    await headProbabilities(model, fa, files.length),
    await headProbabilities(model, fb, files.length),
  ];
  const L = card.labels.length;
  let flips = 0;
  const flipped: string[] = [];
  for (let i = 0; i < pa.length; i++) {
    const t = card.thresholds[i % L]!;
    if (pa[i]! >= t !== pb[i]! >= t) {
      flips++;
      flipped.push(`${files[Math.floor(i / L)]} ${card.labels[i % L]} ${pa[i]} → ${pb[i]}`);
    }
  }
  const truth = trueGroups(values.labels, files, card);
  console.log(
    JSON.stringify(
      {
        labelled: truth.filter(Boolean).length,
        microF1Original: scored(pa, truth, card),
        microF1Shipped: scored(pb, truth, card),
        backbone: name,
        dtype,
        folder: out,
        sizeBytes,
        originalBytes: readdirSync(join(SHARED, 'models', source)).reduce(
          (n, f) => n + readFileSync(join(SHARED, 'models', source, f)).byteLength,
          0,
        ),
        posters: files.length,
        postersFrom: values.posters,
        featureMaxAbsDiff: maxAbsDiff(fa, fb),
        featureMaxAbs: maxFeature,
        probabilityMaxAbsDiff: maxAbsDiff(pa, pb),
        decisions: pa.length,
        decisionFlips: flips,
        flipped,
      },
      null,
      2,
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
