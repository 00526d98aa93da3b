/// <reference lib="webworker" />
import { expose } from 'comlink';
import type { Movie } from '../data/types.ts';
import {
  runExperiment as run,
  type ExperimentResult,
  type ExperimentSpec,
} from '../experiments/index.ts';
import '../models/index.ts';
import { MetadataModels, type MetadataPredictor } from '../predict/metadata-model.ts';
import { initCompute, type BackendName } from '../platform/index.ts';
import type { MovieQuery } from './library-query.ts';
import { LibraryReader } from './library-reader.ts';
import type { ProgressFn } from '../core/progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();
const metadataModels = new MetadataModels();
const reader = new LibraryReader();

const api = {
  /** Activates a tfjs backend chosen on the main thread (workers do not benchmark again); returns the active name. */
  useBackend: async (name: BackendName): Promise<string> =>
    (await initCompute({ prefer: name })).name,

  /**
   * Runs an experiment on the library's movies, read here in batches (nothing but the query
   * crosses from the main thread); progress through onProgress, cancellable by taskId.
   */
  runExperiment: (
    taskId: string,
    spec: ExperimentSpec,
    query: MovieQuery,
    onProgress: ProgressFn,
  ): Promise<ExperimentResult> =>
    tasks.run(taskId, async (signal) => {
      const movies = await reader.read(query, {
        signal,
        onBatch: (done) =>
          onProgress({
            phase: 'reading the library',
            done,
            total: null,
            ratePerSec: null,
            etaMs: null,
            elapsedMs: 0,
          }),
      });
      return run(spec, movies, { onProgress, signal });
    }),

  cancel: (taskId: string): boolean => tasks.cancel(taskId),

  /** Probabilities (row-major movies × labels) of a saved metadata run's model; the last model is kept loaded by id. */
  predictMetadata: (
    id: string,
    predictor: MetadataPredictor,
    movies: Movie[],
  ): Promise<Float32Array> => metadataModels.predict(id, predictor, movies),
};

expose(api);
export type TrainApi = typeof api;
