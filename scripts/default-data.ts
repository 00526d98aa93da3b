/**
 * The default poster model's data, shared by `npm run train:default`, its evaluation test and
 * the CLI: the Kaggle poster subset labelled with the paper's 7 groups, a seeded stratified
 * held-out test split (never trained on), and MobileNetV2-0.35 features read from posters in
 * ../shared. Features may be cached in the OS temp folder (never in the repository).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import { PAPER7, groupLabels } from '../src/lib/features/groups.ts';
import { trainTestSplit } from '../src/lib/features/splits.ts';
import type { LabelMatrix } from '../src/lib/metrics/index.ts';
import {
  backboneFeatures,
  decodeChecked,
  prepareForBackbone,
} from '../src/lib/predict/poster-model.ts';
import { loadBackboneFromDir } from './poster-experiment.ts';

export const SHARED = resolve(
  process.env.MARQUEE_SHARED ?? join(import.meta.dirname, '../../shared'),
);
export const KAGGLE = join(SHARED, 'data/posters-kaggle');
export const MODELS_DIR = join(SHARED, 'models');
/** The split of the shipped model; the evaluation test rebuilds it from these numbers. */
export const SPLIT = { seed: 2024, testFraction: 0.2, validationFraction: 0.15 } as const;

export interface DefaultData {
  ids: string[];
  labels: LabelMatrix;
  train: number[];
  validation: number[];
  test: number[];
}

/** The labelled posters (7 groups; movies in no group dropped) and the three-way split. */
export async function loadDefaultData(): Promise<DefaultData> {
  const { movies } = await parseMoviesCsv(readFileSync(join(KAGGLE, 'labels.csv'), 'utf8'), {
    source: 'labels.csv',
  });
  const withPoster = movies.filter((m) => m.imdbId && existsSync(posterPath(m.imdbId)));
  const g = groupLabels(withPoster, PAPER7);
  const ids = g.kept.map((i) => withPoster[i]!.imdbId!);
  const outer = trainTestSplit(g.labels, {
    seed: SPLIT.seed,
    testFraction: SPLIT.testFraction,
    keys: ids,
  });
  const sub = (rows: number[]): LabelMatrix => {
    const data = new Uint8Array(rows.length * g.labels.cols);
    rows.forEach((r, i) => data.set(g.labels.data.subarray(r * 7, r * 7 + 7), i * 7));
    return { rows: rows.length, cols: 7, data };
  };
  const inner = trainTestSplit(sub(outer.train), {
    seed: SPLIT.seed + 1,
    testFraction: SPLIT.validationFraction,
    keys: outer.train.map((r) => ids[r]!),
  });
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  return {
    ids,
    labels: g.labels,
    train: sorted(inner.train.map((i) => outer.train[i]!)),
    validation: sorted(inner.test.map((i) => outer.train[i]!)),
    test: sorted(outer.test),
  };
}

/** A poster file of the Kaggle subset. */
export function posterPath(imdbId: string): string {
  return join(KAGGLE, 'posters', `${imdbId}.jpg`);
}

/** Loads MobileNetV2-0.35 from ../shared/models. */
export function loadDefaultBackbone(): Promise<tf.LayersModel> {
  return loadBackboneFromDir(MODELS_DIR, 'mobilenetv2-0.35');
}

/** Features of poster files, in batches of 16, with a progress line. */
export async function featuresOfFiles(
  backbone: tf.LayersModel,
  files: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const out = new Float32Array(files.length * 1280);
  for (let s = 0; s < files.length; s += 16) {
    const part = files.slice(s, s + 16);
    const imgs = await Promise.all(
      part.map(async (f) =>
        prepareForBackbone(await decodeChecked(new Uint8Array(readFileSync(f)))),
      ),
    );
    const { data, dims } = await backboneFeatures(backbone, imgs);
    if (dims !== 1280) throw new Error(`expected 1280 features, got ${dims}`);
    out.set(data, s * 1280);
    onProgress?.(Math.min(s + 16, files.length), files.length);
  }
  return out;
}

/** Features of all ids, cached by id list in the temp folder (an id-list change recomputes). */
export async function cachedFeatures(
  backbone: tf.LayersModel,
  ids: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const dir = join(tmpdir(), 'marquee-train-default');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `mnv2-${ids.length}-${ids[0]}-${ids.at(-1)}.f32`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  const f = await featuresOfFiles(backbone, ids.map(posterPath), onProgress);
  writeFileSync(file, new Uint8Array(f.buffer));
  return f;
}
