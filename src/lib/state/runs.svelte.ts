import type { Movie } from '../data/types.ts';
import { checkSpecAgainstMovies, type ExperimentSpec } from '../experiments/index.ts';
import type { RunRecord } from '../storage/index.ts';
import { METADATA_KIND, type MetadataRun } from '../ui/compare/table.ts';
import type { Progress } from '../workers/progress.ts';
import { runExperimentInWorker, useTrainBackend, type TrainJob } from '../workers/train-client.ts';
import { isAbortError } from '../workers/tasks.ts';
import { compute } from './compute.svelte.ts';
import { library } from './library.svelte.ts';

/** An experiment waiting or running in the queue (saved as a RunRecord once it ends). */
export interface QueueItem {
  id: string;
  createdAt: number;
  spec: ExperimentSpec;
  status: 'queued' | 'running';
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The experiment queue and the saved metadata runs. One experiment runs at a time in the train
 * worker (each holds a copy of the movies and may use all cores); the rest wait in order.
 */
class RunsState {
  queue = $state.raw<QueueItem[]>([]);
  progress = $state.raw<Progress | null>(null);
  runs = $state.raw<MetadataRun[]>([]);
  /** The last run that ended, for the Train panel's notice. */
  lastEnded = $state.raw<MetadataRun | null>(null);
  error = $state<string | null>(null);

  #job: TrainJob | undefined;
  #pumping = false;
  #backend: Promise<string> | undefined;
  #next = 0;

  /** Reads the saved metadata runs (oldest first). */
  async load(): Promise<void> {
    const all = await (await library.open()).listRuns();
    this.runs = all.filter((r): r is MetadataRun => r.kind === METADATA_KIND);
  }

  /** Problems of a spec with the library's movies (empty when it can run). */
  check(spec: ExperimentSpec, movies: readonly Movie[] = library.movies): string[] {
    if (!('library' in spec.data))
      return ['data: the studio trains on its library; use "data": { "library": true }'];
    return checkSpecAgainstMovies(spec, movies, 'the library');
  }

  /** Adds an experiment to the queue and starts the queue if idle; returns its id. */
  enqueue(spec: ExperimentSpec): string {
    const createdAt = Date.now();
    const id = `metadata-${createdAt}-${++this.#next}`;
    this.queue = [...this.queue, { id, createdAt, spec: structuredClone(spec), status: 'queued' }];
    void this.#pump();
    return id;
  }

  /** Cancels a running experiment, or takes a waiting one out of the queue (saved as cancelled). */
  async cancel(id: string): Promise<void> {
    const item = this.queue.find((q) => q.id === id);
    if (!item) return;
    if (item.status === 'running') return void this.#job?.cancel();
    this.queue = this.queue.filter((q) => q.id !== id);
    await this.#save(item, {
      status: 'cancelled',
      result: null,
      error: 'Removed from the queue before it ran.',
    });
  }

  async deleteRun(id: string): Promise<void> {
    await (await library.open()).deleteRun(id);
    await this.load();
  }

  /** The tfjs backend the studio chose, activated once in the worker (the MLP needs it; SVM and forest do not). */
  #ensureBackend(): Promise<string> {
    this.#backend ??= compute.ensure().then((c) => useTrainBackend(c.name));
    return this.#backend.catch((e: unknown) => {
      this.#backend = undefined;
      throw e;
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let item = this.queue[0]; item; item = this.queue[0]) await this.#runOne(item);
    } finally {
      this.#pumping = false;
    }
  }

  async #runOne(item: QueueItem): Promise<void> {
    const running: QueueItem = { ...item, status: 'running' };
    this.queue = [running, ...this.queue.slice(1)];
    this.progress = {
      phase: 'starting',
      done: 0,
      total: null,
      ratePerSec: null,
      etaMs: null,
      elapsedMs: 0,
    };
    this.error = null;
    let outcome: Pick<RunRecord, 'status' | 'result' | 'error'>;
    try {
      await library.open();
      const movies = $state.snapshot(library.movies) as Movie[];
      const problems = this.check(item.spec, movies);
      if (problems.length) throw new Error(problems.join('\n'));
      await this.#ensureBackend();
      this.#job = runExperimentInWorker(item.spec, movies, (p) => (this.progress = p));
      outcome = { status: 'done', result: await this.#job.result };
    } catch (e) {
      outcome = isAbortError(e)
        ? { status: 'cancelled', result: null, error: 'Cancelled.' }
        : { status: 'failed', result: null, error: errorText(e) };
    } finally {
      this.#job = undefined;
      this.progress = null;
      this.queue = this.queue.filter((q) => q.id !== item.id);
    }
    await this.#save(item, outcome).catch(
      (e: unknown) => (this.error = `Could not save the run: ${errorText(e)}`),
    );
  }

  async #save(
    item: QueueItem,
    outcome: Pick<RunRecord, 'status' | 'result' | 'error'>,
  ): Promise<void> {
    const record = {
      id: item.id,
      createdAt: item.createdAt,
      kind: METADATA_KIND,
      spec: item.spec,
      finishedAt: Date.now(),
      ...outcome,
    } as MetadataRun;
    if (record.error === undefined) delete record.error;
    this.lastEnded = record;
    await (await library.open()).putRun(record);
    await this.load();
  }
}

export const runs = new RunsState();
