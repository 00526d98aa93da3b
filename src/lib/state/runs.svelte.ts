import { checkSpecAgainstProfile, type ExperimentSpec } from '../experiments/index.ts';
import type { LibraryProfile } from '../features/library-profile.ts';
import type { AnyPosterSpec } from '../experiments/poster-spec.ts';
import type { RunRecord } from '../storage/index.ts';
import {
  METADATA_KIND,
  POSTER_KIND,
  type MetadataRun,
  type PosterRun,
  type StudioRun,
} from './studio-runs.ts';
import { checkPosterSpec, countTrainable } from '../experiments/library-poster-spec.ts';
import {
  runPosterJob,
  startPosterWorker,
  type PosterEpoch,
  type PosterWorker,
} from '../workers/poster-client.ts';
import type { Progress } from '../core/progress.ts';
import { runExperimentInWorker, useTrainBackend } from '../workers/train-client.ts';
import { compute } from './compute.svelte.ts';
import { library } from './library.svelte.ts';
import { activity } from './activity.svelte.ts';
import { formatJob } from '../core/format.ts';
import { errorMessage, isAbortError } from '../core/errors.ts';

interface QueueBase {
  id: string;
  createdAt: number;
  status: 'queued' | 'running';
}

/** An experiment waiting or running in the queue (saved as a RunRecord once it ends). */
export type QueueItem =
  | (QueueBase & { kind: 'metadata'; spec: ExperimentSpec })
  | (QueueBase & { kind: 'posters'; spec: AnyPosterSpec });

/** Fewest labelled posters a run needs (the spec's own `limit` minimum: train, validation and test parts). */
const MIN_POSTERS = 10;
/** While the library worker has not answered yet (a few seconds at most, for big libraries). */
const STILL_READING = 'data: the library is still being read';

type Outcome = Pick<RunRecord, 'status' | 'result' | 'error'>;

/**
 * The experiment queue and the saved runs (metadata and posters). One experiment runs at a time:
 * metadata specs in the train worker, poster specs in the poster worker (started with the studio's
 * backend on first use and kept for later runs); the rest wait in order.
 */
class RunsState {
  queue = $state.raw<QueueItem[]>([]);
  progress = $state.raw<Progress | null>(null);
  /** Saved runs of both kinds, oldest first. */
  runs = $state.raw<StudioRun[]>([]);
  /** The last run that ended, for the Train panel's notice. */
  lastEnded = $state.raw<StudioRun | null>(null);
  error = $state<string | null>(null);
  /** Epochs of the running poster experiment, or of the last one once it ended. */
  epochs = $state.raw<PosterEpoch[]>([]);
  /** Which queue item `epochs` belong to, its name, and whether it is still running. */
  epochsOf = $state.raw<{ id: string; name: string; running: boolean } | null>(null);
  /** The backend the poster worker runs on (once started). */
  posterBackend = $state<string | null>(null);

  #cancelJob: (() => unknown) | undefined;
  #cancelRequested = new Set<string>();
  #pumping = false;
  #backend: Promise<string> | undefined;
  #posterWorker: Promise<PosterWorker> | undefined;
  #next = 0;

  /** Reads the saved runs of both kinds (oldest first). */
  async load(): Promise<void> {
    const all = await (await library.open()).listRuns();
    this.runs = all.filter(
      (r): r is StudioRun => r.kind === METADATA_KIND || r.kind === POSTER_KIND,
    );
  }

  /** Problems of a spec with the library's movies (empty when it can run). */
  check(spec: ExperimentSpec, profile: LibraryProfile | null = library.profile): string[] {
    if (!('library' in spec.data))
      return ['data: the studio trains on its library; use "data": { "library": true }'];
    if (!profile) return [STILL_READING];
    return checkSpecAgainstProfile(spec, profile, 'the library');
  }

  /** Problems of a posters spec with the library's movies and stored posters (empty when it can run). */
  checkPosters(spec: AnyPosterSpec, profile: LibraryProfile | null = library.profile): string[] {
    const { problems } = checkPosterSpec(spec);
    if (problems.length) return problems;
    if (!profile) return [STILL_READING];
    const n = countTrainable(profile, spec.labels.groups);
    if (n >= MIN_POSTERS) return [];
    const have =
      n === 0 ? 'no library movie has' : `only ${n} library movies have (${MIN_POSTERS} needed)`;
    return [
      `data: ${have} both a poster and a genre of the chosen groups. Import posters in Library (a folder of <imdb or tmdb id>.jpg files) or crawl them from TMDb.`,
    ];
  }

  /** Adds a metadata experiment to the queue and starts the queue if idle; returns its id. */
  enqueue(spec: ExperimentSpec): string {
    return this.#add('metadata', spec);
  }

  /** Adds a posters experiment (`data: { library: true }`) to the queue; returns its id. */
  enqueuePosters(spec: AnyPosterSpec): string {
    return this.#add('posters', spec);
  }

  #add(kind: QueueItem['kind'], spec: ExperimentSpec | AnyPosterSpec): string {
    const createdAt = Date.now();
    const id = `${kind}-${createdAt}-${++this.#next}`;
    const item = { id, createdAt, kind, spec: structuredClone(spec), status: 'queued' };
    this.queue = [...this.queue, item as QueueItem];
    void this.#pump();
    return id;
  }

  /** Cancels a running experiment, or takes a waiting one out of the queue (saved as cancelled). */
  async cancel(id: string): Promise<void> {
    const item = this.queue.find((q) => q.id === id);
    if (!item) return;
    if (item.status === 'running') {
      // The job may still be starting (worker, backend): it is cancelled as soon as it exists.
      this.#cancelRequested.add(id);
      return void this.#cancelJob?.();
    }
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

  /** The poster worker on the studio's backend, started on first use and kept for later runs. */
  #ensurePosterWorker(): Promise<PosterWorker> {
    this.#posterWorker ??= compute.ensure().then(async (c) => {
      const w = await startPosterWorker(c.name);
      this.posterBackend = w.backend;
      return w;
    });
    return this.#posterWorker.catch((e: unknown) => {
      this.#posterWorker = undefined;
      throw e;
    });
  }

  /** Ends the poster worker after a failure (it may hold broken GPU state); the next run starts a fresh one. */
  #dropPosterWorker(): void {
    const w = this.#posterWorker;
    this.#posterWorker = undefined;
    this.posterBackend = null;
    void w?.then((x) => x.terminate()).catch(() => undefined);
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

  /** Starts a job and wires its cancel; a cancel asked for while it was starting applies now. */
  #track<T>(id: string, job: { result: Promise<T>; cancel(): unknown }): Promise<T> {
    this.#cancelJob = () => job.cancel();
    if (this.#cancelRequested.has(id)) void job.cancel();
    return job.result;
  }

  #throwIfCancelled(id: string): void {
    if (this.#cancelRequested.has(id))
      throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
  }

  async #runMetadata(item: QueueItem & { kind: 'metadata' }): Promise<Outcome> {
    await library.open();
    // Checked against the movies the UI already holds (no copy); the worker reads its own.
    const problems = this.check(item.spec);
    if (problems.length) throw new Error(problems.join('\n'));
    // Only the MLP runs on tfjs; starting tfjs here (main thread) freezes the page for ~1 s.
    if (item.spec.model.kind === 'mlp') await this.#ensureBackend();
    this.#throwIfCancelled(item.id);
    const job = runExperimentInWorker(item.spec, library.query, (p) => (this.progress = p));
    return { status: 'done', result: await this.#track(item.id, job) };
  }

  async #runPosters(item: QueueItem & { kind: 'posters' }): Promise<Outcome> {
    await library.open();
    const problems = this.checkPosters(item.spec);
    if (problems.length) throw new Error(problems.join('\n'));
    this.epochs = [];
    this.epochsOf = { id: item.id, name: item.spec.name ?? item.spec.model.kind, running: true };
    const w = await this.#ensurePosterWorker();
    this.#throwIfCancelled(item.id);
    const job = runPosterJob(
      w,
      item.spec,
      (p) => (this.progress = p),
      (e) => (this.epochs = [...this.epochs, e]),
    );
    try {
      return { status: 'done', result: await this.#track(item.id, job) };
    } catch (e) {
      if (!isAbortError(e)) this.#dropPosterWorker();
      throw e;
    } finally {
      if (this.epochsOf?.id === item.id) this.epochsOf = { ...this.epochsOf, running: false };
    }
  }

  async #runOne(item: QueueItem): Promise<void> {
    this.queue = [{ ...item, status: 'running' }, ...this.queue.slice(1)];
    this.progress = {
      phase: 'starting',
      done: 0,
      total: null,
      ratePerSec: null,
      etaMs: null,
      elapsedMs: 0,
    };
    this.error = null;
    let outcome: Outcome;
    try {
      outcome =
        item.kind === 'metadata' ? await this.#runMetadata(item) : await this.#runPosters(item);
    } catch (e) {
      outcome = isAbortError(e)
        ? { status: 'cancelled', result: null, error: 'Cancelled.' }
        : { status: 'failed', result: null, error: errorMessage(e) };
    } finally {
      this.#cancelJob = undefined;
      this.#cancelRequested.delete(item.id);
      this.progress = null;
      this.queue = this.queue.filter((q) => q.id !== item.id);
    }
    await this.#save(item, outcome).catch(
      (e: unknown) => (this.error = `Could not save the run: ${errorMessage(e)}`),
    );
  }

  async #save(item: QueueItem, outcome: Outcome): Promise<void> {
    const record = {
      id: item.id,
      createdAt: item.createdAt,
      kind: item.kind === 'metadata' ? METADATA_KIND : POSTER_KIND,
      spec: item.spec,
      finishedAt: Date.now(),
      ...outcome,
    } as MetadataRun | PosterRun;
    if (record.error === undefined) delete record.error;
    this.lastEnded = record;
    await (await library.open()).putRun(record);
    await this.load();
  }
}

export const runs = new RunsState();
activity.register(() => {
  const item = runs.queue.find((q) => q.status === 'running');
  return item
    ? formatJob(`training ${item.spec.name ?? item.spec.model.kind}`, runs.progress)
    : null;
});
