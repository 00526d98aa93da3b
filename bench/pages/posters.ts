/**
 * Page script for bench/benches/posters.ts: MobileNetV2-0.35 feature extraction at 224×224 on a
 * named backend, (1) on seeded random inputs (the network alone, as the native reference times
 * it), (2) on the Kaggle posters end to end — fetch, decode (createImageBitmap), resize and
 * normalise, extract in batches, store each vector in the library's feature store through
 * libraryPosterCache — stoppable after n posters and resumable, and (3) the paper's initial CNN
 * trained through the poster trainer on real 148×100 posters.
 */
import * as tf from '@tensorflow/tfjs';
import { requestWasmThreads, useBackend, type BackendName } from '$lib/platform';

// `?threads=n` fixes the wasm thread count of this page (bench/benches/threads.ts); default auto.
const threadsParam = new URLSearchParams(location.search).get('threads');
if (threadsParam) requestWasmThreads(Number(threadsParam));
import { BACKBONES, extractFeatures } from '$lib/models/poster/backbones.ts';
import { buildCnn, cnnArchitecture } from '$lib/models/poster/cnn.ts';
import { TRAIN_DEFAULTS, trainModel } from '$lib/models/poster/trainer.ts';
import { openLibrary } from '$lib/storage';
import { decodeInBrowser } from '$lib/vision/decode-browser.ts';
import { libraryPosterCache } from '$lib/vision/idb-cache.ts';
import {
  PAPER_POSTER,
  decodePoster,
  posterCacheKey,
  type PipelineSpec,
} from '$lib/vision/pipeline.ts';

const MODEL_URL = '/__shared/models/mobilenetv2-0.35-imagenet/model.json';
const KAGGLE = '/__shared/data/posters-kaggle/';
const DEF = BACKBONES['mobilenetv2-0.35'];
const PIPE: PipelineSpec = { height: 224, width: 224, color: 'rgb', normalization: 'tf' };
let model: tf.LayersModel | undefined;

async function ready(backend: BackendName): Promise<tf.LayersModel> {
  if (tf.getBackend() !== backend) await useBackend(backend);
  return (model ??= await tf.loadLayersModel(MODEL_URL));
}

/** imdb ids of the Kaggle posters, in labels.csv order. */
async function posterIds(): Promise<string[]> {
  const text = await (await fetch(`${KAGGLE}labels.csv`)).text();
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!)
    .filter((id) => /^tt\d+$/.test(id));
}

const bytesOf = async (id: string) =>
  new Uint8Array(await (await fetch(`${KAGGLE}posters/${id}.jpg`)).arrayBuffer());

export interface ThroughputResult {
  backend: string;
  imagesPerSecond: number;
  msPerBatch: number;
  dims: number;
}

/** The network alone on seeded inputs in [-1, 1]; warm-up batches are run but not timed. */
async function runThroughput(
  backend: BackendName,
  batch: number,
  warmup: number,
  steps: number,
): Promise<ThroughputResult> {
  const m = await ready(backend);
  const x = tf.randomUniform([batch, 224, 224, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  let dims = 0;
  for (let i = 0; i < warmup; i++) dims = (await extractFeatures(m, DEF, x)).dims;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await extractFeatures(m, DEF, x);
  const msPerBatch = (performance.now() - t0) / steps;
  x.dispose();
  return {
    backend: tf.getBackend(),
    imagesPerSecond: (batch * 1000) / msPerBatch,
    msPerBatch,
    dims,
  };
}

export interface ExtractionResult {
  total: number;
  computed: number;
  fromCache: number;
  elapsedMs: number;
  postersPerSecond: number;
  stopped: boolean;
}

/** Features of every Kaggle poster into the library `db`, batch by batch; stops after `stopAfter` new ones. */
async function runExtraction(
  backend: BackendName,
  db: string,
  batch: number,
  stopAfter: number | null,
): Promise<ExtractionResult> {
  const m = await ready(backend);
  const ids = await posterIds();
  const lib = await openLibrary({ name: db });
  const cache = libraryPosterCache(lib);
  const t0 = performance.now();
  let computed = 0;
  let fromCache = 0;
  let stopped = false;
  for (let s = 0; s < ids.length && !stopped; s += batch) {
    const keys = ids.slice(s, s + batch).map((id) => `imdb:${id}`);
    const hits = await Promise.all(
      keys.map((k) => cache.get(posterCacheKey(k, PIPE, 'mobilenetv2-0.35'))),
    );
    fromCache += hits.filter(Boolean).length;
    const missing = keys.flatMap((k, j) => (hits[j] ? [] : [j]));
    if (!missing.length) continue;
    const imgs = await Promise.all(
      missing.map(
        async (j) => (await decodePoster(await bytesOf(ids[s + j]!), PIPE, decodeInBrowser)).data,
      ),
    );
    const flat = new Float32Array(missing.length * 224 * 224 * 3);
    imgs.forEach((d, i) => flat.set(d, i * d.length));
    const t = tf.tensor4d(flat, [missing.length, 224, 224, 3]);
    const f = await extractFeatures(m, DEF, t);
    t.dispose();
    for (const [i, j] of missing.entries())
      await cache.put(posterCacheKey(keys[j]!, PIPE, 'mobilenetv2-0.35'), keys[j]!, {
        data: f.data.slice(i * f.dims, (i + 1) * f.dims),
        shape: [f.dims],
      });
    computed += missing.length;
    if (stopAfter !== null && computed >= stopAfter) stopped = true;
  }
  const elapsedMs = performance.now() - t0;
  lib.close();
  return {
    total: ids.length,
    computed,
    fromCache,
    elapsedMs,
    postersPerSecond: ((computed + fromCache) * 1000) / elapsedMs,
    stopped,
  };
}

export interface CnnResult {
  postersPerSecond: number;
  posters: number;
  loss: number;
}

/** One epoch of the paper's initial CNN (batch 16, Adam, no validation) on `n` real posters at 148×100. */
async function runCnnEpoch(backend: BackendName, n: number): Promise<CnnResult> {
  await ready(backend);
  const ids = (await posterIds()).slice(0, n);
  const imgs = await Promise.all(
    ids.map(
      async (id) => (await decodePoster(await bytesOf(id), PAPER_POSTER, decodeInBrowser)).data,
    ),
  );
  const size = 148 * 100 * 3;
  const data = new Float32Array(n * size);
  imgs.forEach((d, i) => data.set(d, i * size));
  // Labels do not change the cost of a step; seeded 0/1 labels for 7 groups.
  const y = {
    rows: n,
    cols: 7,
    data: Uint8Array.from({ length: n * 7 }, (_, i) => ((i * 2654435761) >>> 29) & 1),
  };
  const cnn = buildCnn(cnnArchitecture('initial'), [148, 100, 3], 7, 1);
  const r = await trainModel(cnn, { data, rowShape: [148, 100, 3], rows: n }, y, {
    ...TRAIN_DEFAULTS,
    epochs: 1,
    batchSize: 16,
    validationFraction: 0,
  });
  cnn.dispose();
  const log = r.history[0]!;
  return { postersPerSecond: (n * 1000) / log.elapsedMs, posters: n, loss: log.loss };
}

Object.assign(window, { runThroughput, runExtraction, runCnnEpoch });
document.body.dataset.ready = 'true';
