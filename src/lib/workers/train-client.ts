import { proxy, wrap, type Remote } from 'comlink';
import type { Movie } from '../data/types.ts';
import type { ExperimentResult, ExperimentSpec } from '../experiments/index.ts';
import type { MetadataPredictor } from '../predict/metadata-model.ts';
import type { BackendName } from '../platform/choose.ts';
import type { MovieQuery } from './library-query.ts';
import type { Progress } from '../core/progress.ts';
import type { TrainApi } from './train.worker.ts';
import { startComputeWorker } from './compute-client.ts';

let worker: Worker | undefined;
let remote: Remote<TrainApi> | undefined;
let nextId = 0;

/** The training worker, created on first use and kept until terminateTrainWorker. */
function api(): Remote<TrainApi> {
  if (!remote) {
    worker = startComputeWorker('train');
    remote = wrap<TrainApi>(worker);
  }
  return remote;
}

/** A running experiment: its result (rejects with an AbortError when cancelled), and a way to cancel it. */
export interface TrainJob {
  id: string;
  result: Promise<ExperimentResult>;
  cancel(): void;
}

/** Activates a tfjs backend in the training worker (the main thread's choice); resolves to the active name. */
export function useTrainBackend(name: BackendName): Promise<string> {
  return api().useBackend(name);
}

/** Starts an experiment in the worker, which reads the query's movies from the library itself. */
export function runExperimentInWorker(
  spec: ExperimentSpec,
  query: MovieQuery,
  onProgress: (p: Progress) => void = () => {},
): TrainJob {
  const id = `train-${++nextId}`;
  return {
    id,
    result: api().runExperiment(id, spec, query, proxy(onProgress)),
    cancel: () => void api().cancel(id),
  };
}

/** Scores movies with a saved metadata run's model in the worker (id: the run's, so the model loads once). */
export function predictMetadataInWorker(
  id: string,
  predictor: MetadataPredictor,
  movies: Movie[],
): Promise<Float32Array> {
  return api().predictMetadata(id, predictor, movies);
}

/** Ends the worker (frees its memory and wasm instances); the next call starts a fresh one. */
export function terminateTrainWorker(): void {
  worker?.terminate();
  worker = undefined;
  remote = undefined;
}
