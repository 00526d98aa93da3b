/// <reference lib="webworker" />
import { expose } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { runPosterExperiment, type PosterExperimentResult } from '../experiments/poster-runner.ts';
import { posterSpecProblems, type AnyPosterSpec } from '../experiments/poster-spec.ts';
import { SpecError } from '../experiments/spec.ts';
import '../models/index.ts';
import '../models/poster/kinds.ts';
import type { BackboneName } from '../models/poster/backbones.ts';
import { initCompute, type BackendName } from '../platform/index.ts';
import { openLibrary, type Library } from '../storage/index.ts';
import type { ModelSources } from './backbone-weights.ts';
import { backboneLoader, libraryPosterSource } from './poster-source.ts';
import { POSTER_FIELDS } from './library-query.ts';
import { readMovies } from './library-reader.ts';
import type { PosterEpoch } from './poster-types.ts';
import type { ProgressFn } from '../core/progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();
let databaseName: string | undefined;
let library: Promise<Library> | undefined;
let modelSources: ModelSources = { site: null, shared: null };
const lib = () =>
  (library ??= openLibrary({ name: databaseName, onVersionChange: () => (library = undefined) }));
const backbones = backboneLoader(() => modelSources);

// Poster experiments off the main thread: movies and posters come from the library, results
// go back as plain data (the caller saves them), epochs stream as numbers for live curves.
const api = {
  /** Activates the backend the main thread chose (no second benchmark); returns its name. */
  init: async (prefer: BackendName | 'auto') => (await initCompute({ prefer })).name,
  /** Points the worker at another database (tests use a throwaway one). */
  useDatabase(name: string): void {
    databaseName = name;
    library = undefined;
  },
  /** Where backbone folders are looked for before the official hosts (see backbone-weights.ts). */
  setModelSources(sources: ModelSources): void {
    modelSources = sources;
  },
  /** Runs a posters spec with `data: { library: true }`; cancellable by taskId. */
  run: (
    taskId: string,
    spec: AnyPosterSpec,
    onProgress: ProgressFn,
    onEpoch: (e: PosterEpoch) => void,
  ): Promise<PosterExperimentResult> =>
    tasks.run(taskId, async (signal) => {
      const problems = posterSpecProblems(spec, 'library');
      if (problems.length) throw new SpecError(problems);
      const l = await lib();
      // Batched and cut to the labels: the raw records of a big library never sit here at once.
      const movies = await readMovies(l, POSTER_FIELDS, { signal });
      return runPosterExperiment(spec, movies, libraryPosterSource(l, backbones), {
        signal,
        onProgress,
        onEpochEnd: (run, log) => onEpoch({ run, ...log }),
      });
    }),
  cancel: (taskId: string): boolean => tasks.cancel(taskId),
  /** Loads a backbone as a run would (model store, user's files); its size and output for a [1, h, w, 3] input. */
  loadBackbone: async (name: BackboneName, input: [number, number] = [148, 100]) => {
    const model = await backbones(name);
    const [out, m] = tf.tidy(() => {
      const o = model.predict(tf.ones([1, ...input, 3])) as tf.Tensor;
      return [o, o.mean()];
    });
    const mean = (await m.data())[0]!;
    const shape = out.shape;
    tf.dispose([out, m]);
    return {
      name,
      params: model.countParams(),
      layers: model.layers.length,
      outputShape: shape,
      mean,
    };
  },
  /** tf.memory() of this worker, for leak checks. */
  memory: () => {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
};

expose(api);
export type PosterApi = typeof api;
