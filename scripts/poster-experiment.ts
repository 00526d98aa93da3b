/**
 * The posters branch of the experiment CLI: reads the labels CSV, posters from a folder
 * (`<imdb id>` or `<tmdb id>` + .jpg, .png or .webp), decodes them (jpeg-js, pngjs, libwebp), keeps decoded posters and features
 * in a memory cache for the run, and loads backbones from a models folder (tfjs layers models
 * as in ../shared/models, or the Keras VGG .h5 files) read in place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import type { Movie } from '../src/lib/data/types.ts';
import {
  runPosterExperiment,
  type PosterExperimentResult,
} from '../src/lib/experiments/poster-runner.ts';
import {
  posterSpecProblems,
  type PosterExperimentSpec,
} from '../src/lib/experiments/poster-spec.ts';
import { SpecError } from '../src/lib/experiments/spec.ts';
import {
  buildVggBackbone,
  layersArtifacts,
  loadLayersBackbone,
  type BackboneName,
} from '../src/lib/models/poster/backbones.ts';
import { readKerasH5, type H5Wasm } from '../src/lib/models/poster/h5.ts';
import type { ProgressFn } from '../src/lib/core/progress.ts';
import { memoryPosterCache } from '../src/lib/vision/cache.ts';
import { decodeImageNode } from '../src/lib/vision/decode-node-image.ts';

const LAYERS_FOLDERS: Partial<Record<BackboneName, string>> = {
  'mobilenetv2-0.35': 'mobilenetv2-0.35-imagenet',
  'mobilenetv1-1.0': 'mobilenetv1-1.0-imagenet-to-conv_dw_13',
};

/** Loads a backbone from `modelsDir`: a tfjs layers folder, or vgg16/19 from the Keras notop .h5. */
export async function loadBackboneFromDir(
  modelsDir: string,
  name: BackboneName,
): Promise<tf.LayersModel> {
  if (name === 'vgg16' || name === 'vgg19') {
    const file = join(modelsDir, `${name}_weights_tf_dim_ordering_tf_kernels_notop.h5`);
    if (!existsSync(file))
      throw new SpecError([
        `model.params.backbone: ${name} needs ${file} (the Keras ImageNet weights)`,
      ]);
    return buildVggBackbone(
      name,
      await readKerasH5(new Uint8Array(readFileSync(file)), h5wasm as unknown as H5Wasm),
    );
  }
  const dir = join(modelsDir, LAYERS_FOLDERS[name]!);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest as { paths: string[] }[])
    for (const p of g.paths) shards.set(p, new Uint8Array(readFileSync(join(dir, p))).buffer);
  return loadLayersBackbone(layersArtifacts(json, shards));
}

function resolveNear(path: string, specPath: string, field: string): string {
  const candidates = [resolve(dirname(specPath), path), resolve(path)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new SpecError([`${field}: not found: ${path}`]);
  return found;
}

/** Validates and runs a posters spec; returns the result. */
export async function runPosterCli(
  raw: unknown,
  specPath: string,
  modelsDir: string,
  onProgress?: ProgressFn,
): Promise<PosterExperimentResult> {
  const problems = posterSpecProblems(raw);
  if (problems.length) throw new SpecError(problems);
  const spec = raw as PosterExperimentSpec;
  const csvPath = resolveNear(spec.data.labels, specPath, 'data.labels');
  const postersDir = resolveNear(spec.data.posters, specPath, 'data.posters');
  const { movies } = await parseMoviesCsv(readFileSync(csvPath, 'utf8'), {
    source: basename(csvPath),
  });
  const file = (m: Movie) =>
    [m.imdbId, m.tmdbId]
      .filter((id) => id !== undefined)
      .flatMap((id) => ['jpg', 'png', 'webp'].map((ext) => join(postersDir, `${id}.${ext}`)))
      .find(existsSync);
  return runPosterExperiment(
    spec,
    movies,
    {
      read: async (m) => {
        const f = file(m);
        return f ? new Uint8Array(readFileSync(f)) : null;
      },
      decode: decodeImageNode,
      cache: memoryPosterCache(),
      backbone: (name) => loadBackboneFromDir(modelsDir, name),
    },
    { onProgress },
  );
}
