/**
 * The Predict panel's state: the worker (started on first use), the active model's card, and
 * the results of the last drop. Files are read to bytes here and sent to the worker; bad files
 * come back as error rows, so one broken file never stops the others.
 */
import { tick } from 'svelte';
import { modelFilesProblems, type ModelFiles } from '../../predict/session.ts';
import { library } from '../../state/library.svelte.ts';
import { exportFiles, filesFromDrop, filesToRecord, recordToFiles } from './model-files.ts';
import {
  fetchShippedModel,
  predictFiles,
  startPredictWorker,
  type ModelCard,
  type PosterPrediction,
  type PredictWorker,
} from '../../workers/predict-client.ts';

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

export class PredictState {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  message = $state('');
  card = $state.raw<ModelCard | null>(null);
  results = $state.raw<(PosterPrediction & { url?: string })[]>([]);
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
  #shipped: ModelFiles | null = null;

  /** Starts the worker, loads the backbone and the shipped model (once). */
  async start(): Promise<void> {
    if (this.status === 'loading' || this.status === 'ready') return;
    this.status = 'loading';
    this.message = 'Loading the MobileNetV2 backbone and the shipped model…';
    try {
      this.#worker = await startPredictWorker();
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
      this.message = e instanceof Error ? e.message : String(e);
    }
  }

  /**
   * Predicts dropped or picked files in chunks: results are appended as each chunk ends (the grid
   * fills progressively), the progress line gets an ETA, and Cancel stops before the next chunk.
   * Only a chunk's bytes are in memory at once.
   */
  async predict(files: readonly File[]): Promise<void> {
    if (!this.#worker || this.busy) return;
    // Marks for the benchmark (drop → result cards in the DOM): bench/benches/predict.ts.
    performance.mark('marquee:predict:start');
    if (files.length > MAX_FILES) {
      this.message = `${files.length} files at once is more than ${MAX_FILES}: drop them in smaller groups.`;
      return;
    }
    this.busy = true;
    this.#cancelled = false;
    this.message = '';
    for (const r of this.results) if (r.url) URL.revokeObjectURL(r.url);
    this.results = [];
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
        const rows = await predictFiles(this.#worker, payload, (done) => {
          this.progress = { done: at + done, total: files.length };
        });
        const shown = rows.map((r, i) =>
          r.ok ? { ...r, url: URL.createObjectURL(chunk[i]!) } : r,
        );
        this.results = [...this.results, ...shown];
        const done = at + chunk.length;
        this.progress = { done, total: files.length };
        const elapsed = performance.now() - start;
        this.etaMs = (elapsed / done) * (files.length - done);
      }
      this.lastMs = performance.now() - start;
      if (this.#cancelled)
        this.message = `Cancelled after ${this.results.length} of ${files.length} files.`;
      await tick();
      performance.measure('marquee:predict', 'marquee:predict:start');
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
      this.etaMs = null;
    }
  }

  /** Stops a running prediction after the current chunk (what was predicted stays). */
  cancel(): void {
    this.#cancelled = true;
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
      this.results = [];
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

  /** Removes a saved model (not the shipped one); the active model falls back to the shipped one. */
  async deleteModel(id: string): Promise<void> {
    if (id === SHIPPED_ID) return;
    if (this.activeId === id) await this.useModel(SHIPPED_ID);
    await (await library.open()).deleteModel(id);
    await this.refreshModels();
  }

  dispose(): void {
    for (const r of this.results) if (r.url) URL.revokeObjectURL(r.url);
    this.#worker?.terminate();
    this.#worker = null;
    this.status = 'idle';
  }
}

/** A refusal's reasons: ModelRefused carries them as `problems` (kept across the worker boundary only in its message). */
function problemsOf(e: unknown): string[] {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/^model refused: /, '').split('; ');
}
