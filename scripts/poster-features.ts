/**
 * Backbone features of every poster in a folder, for `npm run train:default`: each JPEG is decoded
 * once (jpeg-js, as the app does), prepared for 224×224 [-1, 1] input, and run through each
 * backbone as is and mirrored left–right (for flip test-time averaging). MobileNet v1 ends at
 * conv_dw_13 (7×7×1024), so its map is average-pooled to 1024 here, as the app does. Results are
 * cached in the OS temp folder per (backbone, view, folder listing), never in the repository.
 * Run directly to fill the cache in the background: `node --import tsx scripts/poster-features.ts`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initCompute } from '../src/lib/platform/node.ts';
import { decodeChecked, prepareForBackbone } from '../src/lib/predict/poster-model.ts';
import { flipHorizontal, pooledFeatures } from '../src/lib/predict/features.ts';
import type { ImageTensorData } from '../src/lib/vision/pipeline.ts';
import { mulberry32, shuffleInPlace } from '../src/lib/features/random.ts';
import { loadBackboneFromDir } from './poster-experiment.ts';
import { errorMessage } from '../src/lib/core/errors.ts';

export const FEATURE_DIMS: Readonly<Record<'mobilenetv2-0.35' | 'mobilenetv1-1.0', number>> = {
  'mobilenetv2-0.35': 1280,
  'mobilenetv1-1.0': 1024,
};
export type FeatureBackbone = keyof typeof FEATURE_DIMS;
export type View = 'plain' | 'flip';

const CACHE = join(tmpdir(), 'marquee-train-default');

/** The `.jpg` files of a poster folder, sorted (the row order of its cached features). */
export function posterFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
}

function cacheFile(backbone: FeatureBackbone, view: View, dir: string, files: string[]): string {
  const h = createHash('sha1').update(dir).update(files.join('\n')).digest('hex').slice(0, 12);
  return join(CACHE, `${backbone}-${view}-${h}.f32`);
}

const readF32 = (f: string) => {
  const b = readFileSync(f);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/**
 * Cached features of a folder, or null when not computed yet. Rows follow `posterFiles(dir)`.
 * Shards (every n-th poster, zero elsewhere) are merged by summing once all n are there.
 */
export function readCachedFeatures(
  backbone: FeatureBackbone,
  view: View,
  dir: string,
): Float32Array | null {
  const f = cacheFile(backbone, view, dir, posterFiles(dir));
  if (existsSync(f)) return readF32(f);
  for (let n = 2; n <= 8; n++) {
    const parts = Array.from({ length: n }, (_, k) => `${f}.shard-${k}-of-${n}`);
    if (!parts.every(existsSync)) continue;
    const sum = readF32(parts[0]!);
    for (const p of parts.slice(1)) readF32(p).forEach((v, i) => (sum[i]! += v));
    writeFileSync(f, new Uint8Array(sum.buffer));
    return sum;
  }
  return null;
}

/** Per-poster cache files (written by the `list` jobs, which go through posters in a chosen order). */
function posterCacheDir(backbone: FeatureBackbone, view: View, dir: string): string {
  return join(CACHE, 'rows', `${backbone}-${view}`, basename(dir));
}

/**
 * Whatever features of a folder are cached (the folder file, merged shards, or per-poster files),
 * with a flag per row; rows without features are zero.
 */
export function readPartialFeatures(
  backbone: FeatureBackbone,
  view: View,
  dir: string,
): { data: Float32Array; have: Uint8Array } {
  const files = posterFiles(dir);
  const d = FEATURE_DIMS[backbone];
  const whole = readCachedFeatures(backbone, view, dir);
  if (whole) return { data: whole, have: new Uint8Array(files.length).fill(1) };
  const data = new Float32Array(files.length * d);
  const have = new Uint8Array(files.length);
  const rows = posterCacheDir(backbone, view, dir);
  files.forEach((f, i) => {
    const p = join(rows, `${f}.f32`);
    if (!existsSync(p)) return;
    data.set(readF32(p), i * d);
    have[i] = 1;
  });
  // the folder's shards that are already complete (every n-th row)
  for (let n = 2; n <= 8; n++)
    for (let k = 0; k < n; k++) {
      const p = `${cacheFile(backbone, view, dir, files)}.shard-${k}-of-${n}`;
      if (!existsSync(p)) continue;
      const part = readF32(p);
      for (let i = k; i < files.length; i += n) {
        data.set(part.subarray(i * d, (i + 1) * d), i * d);
        have[i] = 1;
      }
    }
  return { data, have };
}

/** Computes and caches features of posters one file each, skipping those already cached. */
export async function computePosterFeatures(
  modelsDir: string,
  posters: readonly { dir: string; file: string }[],
  backbone: FeatureBackbone,
  view: View,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const net = await loadBackboneFromDir(modelsDir, backbone);
  const d = FEATURE_DIMS[backbone];
  const out = (p: { dir: string; file: string }) =>
    join(posterCacheDir(backbone, view, p.dir), `${p.file}.f32`);
  const todo = posters.filter((p) => !existsSync(out(p)));
  for (let s = 0; s < todo.length; s += 16) {
    // another job going through the list the other way may have done some meanwhile
    const part = todo.slice(s, s + 16).filter((p) => !existsSync(out(p)));
    if (part.length === 0) continue;
    const imgs = await Promise.all(
      part.map(async (p) =>
        prepareForBackbone(await decodeChecked(new Uint8Array(readFileSync(join(p.dir, p.file))))),
      ),
    );
    const f = await pooledFeatures(net, view === 'flip' ? imgs.map(flipHorizontal) : imgs);
    part.forEach((p, j) => {
      mkdirSync(posterCacheDir(backbone, view, p.dir), { recursive: true });
      writeFileSync(out(p), new Uint8Array(f.slice(j * d, (j + 1) * d).buffer));
    });
    onProgress?.(Math.min(s + 16, todo.length), todo.length);
  }
  net.dispose();
}

/** Computes (and caches) the given views of a backbone for a folder; undecodable files get zero rows. */
export async function computeFolderFeatures(
  modelsDir: string,
  dir: string,
  backbone: FeatureBackbone,
  views: readonly View[],
  onProgress?: (done: number, total: number) => void,
  shard: { k: number; n: number } = { k: 0, n: 1 },
): Promise<void> {
  const all = posterFiles(dir);
  // a shard computes every n-th poster (the others stay zero) so n processes can share the work
  const files = all.filter((_, i) => i % shard.n === shard.k);
  const rowOf = (i: number) => i * shard.n + shard.k;
  const suffix = shard.n > 1 ? `.shard-${shard.k}-of-${shard.n}` : '';
  const todo = views.filter((v) => readCachedFeatures(backbone, v, dir) === null);
  if (todo.length === 0) return;
  const net = await loadBackboneFromDir(modelsDir, backbone);
  const d = FEATURE_DIMS[backbone];
  const out = todo.map(() => new Float32Array(all.length * d));
  const B = 16;
  for (let s = 0; s < files.length; s += B) {
    const imgs: ImageTensorData[] = [];
    const rows: number[] = [];
    for (let i = s; i < Math.min(s + B, files.length); i++) {
      try {
        const bytes = new Uint8Array(readFileSync(join(dir, files[i]!)));
        imgs.push(prepareForBackbone(await decodeChecked(bytes)));
        rows.push(rowOf(i));
      } catch (e) {
        console.warn(`${files[i]}: ${errorMessage(e)} (zero features)`);
      }
    }
    if (imgs.length > 0)
      for (const [k, view] of todo.entries()) {
        const f = await pooledFeatures(net, view === 'flip' ? imgs.map(flipHorizontal) : imgs);
        rows.forEach((r, j) => out[k]!.set(f.subarray(j * d, (j + 1) * d), r * d));
      }
    onProgress?.(Math.min(s + B, files.length), files.length);
    // a checkpoint every 40 batches, so a long run's first rows are usable before it ends
    if ((s / B) % 40 === 39) {
      mkdirSync(CACHE, { recursive: true });
      todo.forEach((v, k) => {
        const f = cacheFile(backbone, v, dir, all) + suffix;
        writeFileSync(`${f}.partial`, new Uint8Array(out[k]!.buffer));
        writeFileSync(`${f}.partial.json`, JSON.stringify({ done: s + B }));
      });
    }
  }
  mkdirSync(CACHE, { recursive: true });
  todo.forEach((v, k) =>
    writeFileSync(cacheFile(backbone, v, dir, all) + suffix, new Uint8Array(out[k]!.buffer)),
  );
  net.dispose();
}

/**
 * Computes and caches several (backbone, view) pairs of posters, decoding each JPEG once; posters
 * whose every pair is cached are skipped (so several jobs can share a list).
 */
export async function computePosterViews(
  modelsDir: string,
  posters: readonly { dir: string; file: string }[],
  pairs: readonly { backbone: FeatureBackbone; view: View }[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const nets = new Map<FeatureBackbone, tf.LayersModel>();
  for (const { backbone } of pairs)
    if (!nets.has(backbone)) nets.set(backbone, await loadBackboneFromDir(modelsDir, backbone));
  const out = (p: { dir: string; file: string }, b: FeatureBackbone, v: View) =>
    join(posterCacheDir(b, v, p.dir), `${p.file}.f32`);
  // rows already in a folder file or shard count as done
  const cached = new Map<string, Set<string>>();
  for (const { backbone, view } of pairs)
    for (const dir of new Set(posters.map((p) => p.dir))) {
      const { have } = readPartialFeatures(backbone, view, dir);
      const done = cached.get(`${backbone}|${view}`) ?? new Set<string>();
      posterFiles(dir).forEach((f, i) => have[i] && done.add(join(dir, f)));
      cached.set(`${backbone}|${view}`, done);
    }
  const missing = (p: { dir: string; file: string }) =>
    pairs.filter(
      ({ backbone, view }) =>
        !cached.get(`${backbone}|${view}`)!.has(join(p.dir, p.file)) &&
        !existsSync(out(p, backbone, view)),
    );
  const todo = posters.filter((p) => missing(p).length > 0);
  const B = 8;
  for (let s = 0; s < todo.length; s += B) {
    const part = todo.slice(s, s + B).filter((p) => missing(p).length > 0);
    if (part.length === 0) continue;
    const imgs = await Promise.all(
      part.map(async (p) =>
        prepareForBackbone(await decodeChecked(new Uint8Array(readFileSync(join(p.dir, p.file))))),
      ),
    );
    for (const { backbone, view } of pairs) {
      const d = FEATURE_DIMS[backbone];
      const need = part.flatMap((p, j) =>
        missing(p).some((m) => m.backbone === backbone && m.view === view) ? [j] : [],
      );
      if (need.length === 0) continue;
      const these = need.map((j) => imgs[j]!);
      const f = await pooledFeatures(
        nets.get(backbone)!,
        view === 'flip' ? these.map(flipHorizontal) : these,
      );
      need.forEach((j, i) => {
        const p = part[j]!;
        mkdirSync(posterCacheDir(backbone, view, p.dir), { recursive: true });
        writeFileSync(out(p, backbone, view), new Uint8Array(f.slice(i * d, (i + 1) * d).buffer));
      });
    }
    onProgress?.(Math.min(s + B, todo.length), todo.length);
  }
  for (const n of nets.values()) n.dispose();
}

/**
 * `views <backbone:view,backbone:view> <k/n>`: the training posters in a seeded random order (so
 * a run cut short leaves a random training subset: a prefix of `trainingOrder`), then the held-out
 * ones (MARQUEE_TRAIN_ONLY=1 skips them), every n-th. MARQUEE_FIRST=N puts the held-out posters
 * after the first N training ones; MARQUEE_LIMIT=N stops after N posters of that order.
 */
async function viewsJob(modelsDir: string) {
  const { loadDefaultData } = await import('./default-data.ts');
  const pairs = process.argv[3]!.split(',').map((s) => {
    const [backbone, view] = s.split(':') as [FeatureBackbone, View];
    return { backbone, view };
  });
  const [k, n] = (process.argv[4] ?? '0/1').split('/').map(Number) as [number, number];
  const d = await loadDefaultData();
  // MARQUEE_FIRST=N: the first N training posters, then the held-out ones, then the other training ones
  const t = trainingOrder(d);
  const first = Number(process.env.MARQUEE_FIRST ?? t.length);
  const order = [
    ...t.slice(0, first),
    ...(process.env.MARQUEE_TRAIN_ONLY === '1' ? [] : d.test),
    ...t.slice(first),
  ].slice(0, Number(process.env.MARQUEE_LIMIT ?? Infinity));
  const mine = order.filter((_, i) => i % n === k).map((r) => d.rows[r]!);
  const t0 = performance.now();
  await computePosterViews(modelsDir, mine, pairs, (a, total) => {
    if (a % 80 === 0 || a === total)
      console.log(
        `${process.argv[3]} ${k}/${n}: ${a}/${total} at ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  });
}

/** The training rows in the seeded random order the feature jobs follow (a prefix is a random subset). */
export function trainingOrder(d: { train: readonly number[] }): number[] {
  return shuffleInPlace(mulberry32(6), [...d.train]);
}

/**
 * `list <backbone> <view> <k/n>`: the posters of the default data, held-out ones first, then the
 * training ones in a seeded random order (so a run cut short leaves a random subset), every n-th.
 */
async function listJob(modelsDir: string) {
  const { loadDefaultData } = await import('./default-data.ts');
  const backbone = process.argv[3] as FeatureBackbone;
  const view = process.argv[4] as View;
  const [k, n] = (process.argv[5] ?? '0/1').split('/').map(Number) as [number, number];
  const d = await loadDefaultData();
  // first the rows the previous model never trained on (held-out and its validation slice), then the rest
  const unseen = new Set(d.previousUnseen);
  const order = [
    ...shuffleInPlace(mulberry32(4), [...d.previousUnseen]),
    ...shuffleInPlace(
      mulberry32(5),
      d.train.filter((r) => !unseen.has(r)),
    ),
  ];
  const only = process.env.MARQUEE_SOURCE; // e.g. 'kaggle' while other jobs do the other folder
  const mine = order
    .filter((_, i) => i % n === k)
    .map((r) => d.rows[r]!)
    .filter((r) => !only || r.source === only);
  // MARQUEE_REVERSE=1: only the unseen rows, from the end (a second job meeting the first midway)
  if (process.env.MARQUEE_REVERSE === '1') {
    const keys = new Set(d.previousUnseen.map((r) => d.rows[r]!.key));
    mine.splice(0, mine.length, ...mine.filter((r) => keys.has(r.key)).reverse());
  }
  const t0 = performance.now();
  await computePosterFeatures(modelsDir, mine, backbone, view, (a, total) => {
    if (a % 160 === 0 || a === total)
      console.log(
        `${backbone} ${view} list ${k}/${n}: ${a}/${total} at ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  });
}

async function main() {
  const { SHARED, MODELS_DIR } = await import('./default-data.ts');
  await initCompute({ prefer: 'wasm' });
  console.log(`backend ${tf.getBackend()}`);
  if (process.argv[2] === 'list') return listJob(MODELS_DIR);
  if (process.argv[2] === 'views') return viewsJob(MODELS_DIR);
  const t0 = performance.now();
  // argv: <backbone> <view,view> [k/n] — one job per backbone (or shard) so they run side by side
  const backbone = (process.argv[2] ?? 'mobilenetv2-0.35') as FeatureBackbone;
  const views = (process.argv[3] ?? 'plain,flip').split(',') as View[];
  const [k, n] = (process.argv[4] ?? '0/1').split('/').map(Number) as [number, number];
  for (const dir of [
    join(SHARED, 'data/tmdb-cs109b/posters'),
    join(SHARED, 'data/posters-kaggle/posters'),
  ])
    for (const view of views)
      await computeFolderFeatures(
        MODELS_DIR,
        dir,
        backbone,
        [view],
        (a, total) => {
          if (a % 160 === 0 || a === total)
            console.log(
              `${backbone} ${view} ${k}/${n} ${dir}: ${a}/${total} at ${((performance.now() - t0) / 1000).toFixed(0)} s`,
            );
        },
        { k, n },
      );
}

if (process.argv[1] && process.argv[1].endsWith('poster-features.ts')) await main();
