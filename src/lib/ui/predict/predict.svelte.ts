/**
 * The Predict panel's state: the worker (started on first use), the active model's card, and
 * the results kept across drops (newest drop first, until cleared or capped: kept-results.ts).
 * Files are read to bytes here and sent to the worker; bad files come back as error rows, so one
 * broken file never stops the others.
 */
import { tick } from 'svelte';
import { modelFilesProblems, type ModelFiles } from '../../predict/session.ts';
import { library } from '../../state/library.svelte.ts';
import { activity } from '../../state/activity.svelte.ts';
import { exportFiles, filesFromDrop, filesToRecord, recordToFiles } from './model-files.ts';
import { addNewest, defaultKeep, keepFrom, startDrop } from './kept-results.ts';
import {
  fetchShippedModel,
  libraryNeighbours,
  predictFiles,
  startPredictWorker,
  type LibraryNeighbour,
  type ModelCard,
  type PosterPrediction,
  type PredictWorker,
} from '../../workers/predict-client.ts';
import { errorMessage } from '../../core/errors.ts';

/** The id the shipped model goes by in the Models list (library ids are UUIDs). */
export const SHIPPED_ID = 'shipped';

/** One row of the Models list. */
export interface ModelEntry {
  id: string;
  name: string;
  createdAt: number;
}

/** More files than this in one drop are refused up front (each is decoded; 500 is fine, 5,000 is a mistake). */
export const MAX_FILES = 1000;
/** Files per worker call: results show after each chunk, and Cancel takes effect between chunks. */
const CHUNK = 16;
/**
 * Drops of up to this many posters (one page of cards) come with saliency maps and posters like
 * each one when "Explain" is on; the cards of bigger drops compute theirs when asked.
 */
export const EXPLAIN_MAX = 24;
/** How many library posters "Posters like this one" shows. */
export const NEIGHBOURS = 6;
const EXPLAIN_KEY = 'marquee.predict.explain';
/** localStorage key that sets a smaller (or larger) cap on kept results (tests, small devices). */
export const KEEP_KEY = 'marquee.predict.keep';

/** A library neighbour as shown: its poster as an object URL. */
export type ShownNeighbour = Omit<LibraryNeighbour, 'poster'> & { url?: string };

/**
 * One result of the grid: the prediction, the poster's URL and file, and its neighbours once found;
 * `id` names it for its whole life (indices shift as drops come in front), `drop` is its drop.
 */
export type PredictResult = PosterPrediction & {
  id: number;
  drop: number;
  url?: string;
  source?: File;
  neighbours?: ShownNeighbour[];
};

/** Where "Posters like this one" stands for the last search (the last drop's, or one card's). */
export interface NeighbourStatus {
  state: 'idle' | 'indexing' | 'ready' | 'empty' | 'cancelled' | 'error';
  /** The results (ids) this search is for. */
  ids: readonly number[];
  done: number;
  total: number;
  /** Posters in the library and how many have vectors (after the search). */
  posters: number;
  indexed: number;
  /** Vectors computed by this search (0 when every poster's was stored). */
  computed: number;
  ms: number | null;
  message: string;
}

const IDLE: NeighbourStatus = {
  state: 'idle',
  ids: [],
  done: 0,
  total: 0,
  posters: 0,
  indexed: 0,
  computed: 0,
  ms: null,
  message: '',
};

function revoke(rows: readonly PredictResult[]): void {
  for (const r of rows) {
    if (r.url) URL.revokeObjectURL(r.url);
    if (r.ok) for (const n of r.neighbours ?? []) if (n.url) URL.revokeObjectURL(n.url);
  }
}

export class PredictState {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  message = $state('');
  card = $state.raw<ModelCard | null>(null);
  /** Kept results, newest drop first; failed files only of the latest drop. */
  results = $state.raw<PredictResult[]>([]);
  /** The most results kept; past it the oldest are let go (default: two full drops). */
  readonly keep = keepFrom(globalThis.localStorage?.getItem(KEEP_KEY), defaultKeep(MAX_FILES));
  /** Results let go by the cap since the last Clear (or model switch). */
  trimmed = $state(0);
  /** Files in the latest drop (the errors and the Cancel line are about it). */
  dropFiles = $state(0);
  /** Saliency maps and posters like this one with each drop (remembered in this browser). */
  explain = $state(globalThis.localStorage?.getItem(EXPLAIN_KEY) !== 'off');
  neighbourStatus = $state.raw<NeighbourStatus>(IDLE);
  busy = $state(false);
  progress = $state({ done: 0, total: 0 });
  /** Estimated time left of the running prediction (null before the first chunk ends). */
  etaMs = $state<number | null>(null);
  lastMs = $state<number | null>(null);
  models = $state.raw<ModelEntry[]>([]);
  activeId = $state(SHIPPED_ID);
  /** Why the last import or model switch was refused, one reason per entry. */
  modelProblems = $state.raw<string[]>([]);
  #worker: PredictWorker | null = null;
  #cancelled = false;
  /** Bumped by every drop, so late neighbour answers of an earlier drop are dropped. */
  #drop = 0;
  #nextId = 0;
  #indexTask: string | null = null;
  #shipped: ModelFiles | null = null;

  /** Starts the worker, loads the backbone and the shipped model (once). */
  async start(): Promise<void> {
    if (this.status === 'loading' || this.status === 'ready') return;
    this.status = 'loading';
    this.message = 'Loading the MobileNetV2 backbone and the shipped model…';
    try {
      this.#worker = await startPredictWorker();
      activity.useBackend('Predict', this.#worker.backend);
      this.#shipped = await fetchShippedModel(this.#worker);
      this.card = await this.#worker.api.useModel(this.#shipped);
      await this.refreshModels();
      this.status = 'ready';
      this.message = '';
      performance.mark('marquee:predict:ready');
    } catch (e) {
      this.#worker?.terminate();
      this.#worker = null;
      this.status = 'error';
      this.message = errorMessage(e);
    }
  }

  /**
   * Predicts dropped or picked files in chunks: results go in front of the earlier drops' as each
   * chunk ends (the grid fills progressively), the progress line gets an ETA, and Cancel stops
   * before the next chunk. Only a chunk's bytes are in memory at once.
   */
  async predict(files: readonly File[]): Promise<void> {
    if (!this.#worker || this.busy) return;
    // Marks for the benchmark (drop → result cards in the DOM): bench/benches/predict.ts.
    performance.mark('marquee:predict:start');
    this.results = startDrop(this.results); // the earlier drops' error rows were about them
    this.dropFiles = files.length;
    if (files.length > MAX_FILES) {
      this.message = `This drop: ${files.length} files at once is more than ${MAX_FILES}; drop them in smaller groups (earlier results are kept).`;
      return;
    }
    this.busy = true;
    this.#cancelled = false;
    this.message = '';
    this.#forgetSearches();
    const drop = this.#drop;
    let processed = 0;
    const explain = this.explain && files.length <= EXPLAIN_MAX;
    this.progress = { done: 0, total: files.length };
    this.etaMs = null;
    const start = performance.now();
    try {
      for (let at = 0; at < files.length && !this.#cancelled; at += CHUNK) {
        const chunk = files.slice(at, at + CHUNK);
        const payload = await Promise.all(
          chunk.map(async (f) => ({
            name: f.name || 'pasted image',
            bytes: new Uint8Array(await f.arrayBuffer()),
          })),
        );
        const rows = await predictFiles(
          this.#worker,
          payload,
          (done) => {
            this.progress = { done: at + done, total: files.length };
          },
          explain ? { saliency: true, features: true } : {},
        );
        const shown: PredictResult[] = rows.map((r, i) => ({
          ...r,
          id: this.#nextId++,
          drop,
          ...(r.ok ? { url: URL.createObjectURL(chunk[i]!), source: chunk[i]! } : {}),
        }));
        this.#add(shown);
        processed += chunk.length;
        const done = at + chunk.length;
        this.progress = { done, total: files.length };
        const elapsed = performance.now() - start;
        this.etaMs = (elapsed / done) * (files.length - done);
      }
      this.lastMs = performance.now() - start;
      if (this.#cancelled)
        this.message = `Cancelled after ${processed} of ${files.length} files of this drop (earlier results are kept).`;
      await tick();
      performance.measure('marquee:predict', 'marquee:predict:start');
      if (explain && !this.#cancelled)
        void this.#findNeighbours(
          this.results.flatMap((r) => (r.ok && r.drop === drop ? [r.id] : [])),
        );
    } catch (e) {
      this.message = errorMessage(e);
    } finally {
      this.busy = false;
      this.etaMs = null;
    }
  }

  /** Stops a running prediction after the current chunk (what was predicted stays). */
  cancel(): void {
    this.#cancelled = true;
  }

  /** Puts rows of the running drop in front, frees what the cap lets go and counts it. */
  #add(rows: PredictResult[]): void {
    const { rows: kept, dropped } = addNewest(this.results, rows, this.keep);
    revoke(dropped);
    this.results = kept;
    this.trimmed += dropped.filter((r) => r.ok).length;
  }

  /** Removes every kept result and frees its memory (not while a drop is predicted). */
  clear(): void {
    if (this.busy) return;
    revoke(this.results);
    this.results = [];
    this.trimmed = 0;
    this.dropFiles = 0;
    this.message = '';
    this.#forgetSearches();
  }

  /** Late neighbour answers of earlier searches no longer update the status line. */
  #forgetSearches(): void {
    this.#drop++;
    this.#cancelIndexing();
    this.neighbourStatus = IDLE;
  }

  /** Turns "Explain" on or off for the next drops (remembered in this browser). */
  setExplain(on: boolean): void {
    this.explain = on;
    globalThis.localStorage?.setItem(EXPLAIN_KEY, on ? 'on' : 'off');
  }

  /**
   * Saliency maps and neighbours for one card that has none (a big drop, or Explain off): its
   * poster is predicted again with the maps, and the library searched for it.
   */
  async explainResult(id: number): Promise<void> {
    const r = this.results.find((x) => x.id === id);
    if (!this.#worker || !r?.ok || r.saliency || !r.source) return;
    const bytes = new Uint8Array(await r.source.arrayBuffer());
    const [again] = await predictFiles(this.#worker, [{ name: r.file, bytes }], undefined, {
      saliency: true,
      features: true,
    });
    // The card may have been cleared (or let go by the cap) meanwhile: then there is nothing to do.
    if (!again?.ok || !this.results.some((x) => x.id === id)) return;
    this.#patch(id, { saliency: again.saliency, features: again.features });
    await this.#findNeighbours([id]);
  }

  /** Stops indexing the library for neighbours (what was indexed stays stored). */
  cancelIndexing(): void {
    this.#cancelIndexing();
  }

  #cancelIndexing(): void {
    if (this.#indexTask) void this.#worker?.api.cancel(this.#indexTask);
  }

  #patch(id: number, part: Partial<PredictResult>): void {
    this.results = this.results.map((x) =>
      x.id === id ? ({ ...x, ...part } as PredictResult) : x,
    );
  }

  /**
   * Searches the library for posters like the given results (indexing it first, with progress).
   * The answer reaches every one of those cards still kept, even after a newer drop (whose search
   * cancels this one's indexing: neighbours then come from what was indexed); only the status
   * line stays with the newest search.
   */
  async #findNeighbours(ids: number[]): Promise<void> {
    const w = this.#worker;
    const rows = this.results.flatMap((r) =>
      ids.includes(r.id) && r.ok && r.features ? [{ id: r.id, features: r.features }] : [],
    );
    if (!w || rows.length === 0) return;
    const drop = this.#drop;
    const task = crypto.randomUUID();
    this.#indexTask = task;
    const start = performance.now();
    const forIds = rows.map((r) => r.id);
    this.neighbourStatus = { ...IDLE, state: 'indexing', ids: forIds };
    try {
      const { sync, neighbours } = await libraryNeighbours(
        w,
        task,
        rows.map((r) => r.features),
        NEIGHBOURS,
        (done, total) => {
          if (drop === this.#drop)
            this.neighbourStatus = { ...IDLE, state: 'indexing', ids: forIds, done, total };
        },
      );
      // Cards cleared (or let go by the cap) meanwhile get nothing: no object URLs made for them.
      this.results = this.results.map((x) => {
        const k = rows.findIndex((r) => r.id === x.id);
        if (k < 0) return x;
        const shown = neighbours[k]!.map(({ poster, ...n }) => ({
          ...n,
          ...(poster ? { url: URL.createObjectURL(poster) } : {}),
        }));
        return { ...x, neighbours: shown } as PredictResult;
      });
      if (drop !== this.#drop) return;
      this.neighbourStatus = {
        ...IDLE,
        ids: forIds,
        state: sync.posters === 0 ? 'empty' : sync.cancelled ? 'cancelled' : 'ready',
        posters: sync.posters,
        indexed: sync.indexed,
        computed: sync.computed,
        ms: performance.now() - start,
      };
    } catch (e) {
      if (drop === this.#drop)
        this.neighbourStatus = {
          ...IDLE,
          state: 'error',
          ids: forIds,
          message: errorMessage(e),
        };
    } finally {
      if (this.#indexTask === task) this.#indexTask = null;
    }
  }

  /** Poster probabilities for images given as bytes (library posters), without touching the grid. */
  async predictBytes(
    files: { name: string; bytes: Uint8Array }[],
    onDone?: (done: number, total: number) => void,
  ): Promise<PosterPrediction[]> {
    if (!this.#worker) throw new Error('the poster model is not loaded yet');
    const out: PosterPrediction[] = [];
    for (let at = 0; at < files.length; at += CHUNK) {
      out.push(...(await predictFiles(this.#worker, files.slice(at, at + CHUNK))));
      onDone?.(out.length, files.length);
    }
    return out;
  }

  /** The shipped model plus the poster models saved in the library. */
  async refreshModels(): Promise<void> {
    const saved = await (await library.open()).listModels();
    const shippedName = (this.#shipped?.card as { name?: string } | undefined)?.name ?? 'shipped';
    this.models = [
      { id: SHIPPED_ID, name: `${shippedName} (shipped)`, createdAt: 0 },
      ...saved
        .filter((m) => m.artifacts && (m.card as { kind?: unknown } | null)?.kind === 'poster')
        .map((m) => ({ id: m.id, name: m.name, createdAt: m.createdAt })),
    ];
  }

  async #files(id: string): Promise<ModelFiles> {
    if (id === SHIPPED_ID && this.#shipped) return this.#shipped;
    const rec = await (await library.open()).getModel(id);
    if (!rec) throw new Error(`model ${id} is no longer in the library`);
    return recordToFiles(rec);
  }

  /** Makes a listed model the active predictor; a refusal keeps the previous one. */
  async useModel(id: string): Promise<void> {
    if (!this.#worker || this.busy) return;
    this.modelProblems = [];
    try {
      this.card = await this.#worker.api.useModel(await this.#files(id));
      this.activeId = id;
      // Results of another model (other labels, thresholds) would be misread under this one.
      revoke(this.results);
      this.results = [];
      this.trimmed = 0;
      this.dropFiles = 0;
      this.#forgetSearches();
    } catch (e) {
      this.modelProblems = problemsOf(e);
    }
  }

  /** Validates dropped model files (model.json + shards + card.json) and saves them in the library. */
  async importModel(files: readonly File[]): Promise<string | null> {
    this.modelProblems = [];
    const dropped = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const r = filesFromDrop(dropped);
    const problems = r.ok ? modelFilesProblems(r.files) : r.problems;
    if (!r.ok || problems.length) {
      this.modelProblems = problems;
      return null;
    }
    const rec = filesToRecord(r.files, crypto.randomUUID(), Date.now());
    await (await library.open()).putModel(rec);
    await this.refreshModels();
    return rec.id;
  }

  /** The files to download for a listed model. */
  async exportModel(id: string): Promise<{ name: string; bytes: Uint8Array }[]> {
    return exportFiles(await this.#files(id));
  }

  /** The active model as one tfjs model (model.json, weights.bin) plus metadata.json. */
  async exportFullModel(): Promise<{ name: string; bytes: Uint8Array }[]> {
    if (!this.#worker) throw new Error('the poster model is not loaded yet');
    return this.#worker.api.fullModel();
  }

  /** Removes a saved model (not the shipped one); the active model falls back to the shipped one. */
  async deleteModel(id: string): Promise<void> {
    if (id === SHIPPED_ID) return;
    if (this.activeId === id) await this.useModel(SHIPPED_ID);
    await (await library.open()).deleteModel(id);
    await this.refreshModels();
  }

  dispose(): void {
    revoke(this.results);
    activity.useBackend('Predict', null);
    this.#worker?.terminate();
    this.#worker = null;
    this.status = 'idle';
  }
}

/** A refusal's reasons: ModelRefused carries them as `problems` (kept across the worker boundary only in its message). */
function problemsOf(e: unknown): string[] {
  const msg = errorMessage(e);
  return msg.replace(/^model refused: /, '').split('; ');
}
