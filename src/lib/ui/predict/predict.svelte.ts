/**
 * The Predict panel's state: the worker (started on first use), the active model's card, and
 * the results of the last drop. Files are read to bytes here and sent to the worker; bad files
 * come back as error rows, so one broken file never stops the others.
 */
import { tick } from 'svelte';
import {
  fetchShippedModel,
  predictFiles,
  startPredictWorker,
  type ModelCard,
  type PosterPrediction,
  type PredictWorker,
} from '../../workers/predict-client.ts';

/** More files than this in one drop are refused up front (each is decoded; 500 is fine, 5,000 is a mistake). */
export const MAX_FILES = 1000;

export class PredictState {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  message = $state('');
  card = $state.raw<ModelCard | null>(null);
  results = $state.raw<(PosterPrediction & { url?: string })[]>([]);
  busy = $state(false);
  progress = $state({ done: 0, total: 0 });
  lastMs = $state<number | null>(null);
  #worker: PredictWorker | null = null;

  /** Starts the worker, loads the backbone and the shipped model (once). */
  async start(): Promise<void> {
    if (this.status === 'loading' || this.status === 'ready') return;
    this.status = 'loading';
    this.message = 'Loading the MobileNetV2 backbone and the shipped model…';
    try {
      this.#worker = await startPredictWorker();
      this.card = await this.#worker.api.useModel(await fetchShippedModel(this.#worker));
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

  /** Predicts dropped or picked files; keeps object URLs for thumbnails of the images that worked. */
  async predict(files: readonly File[]): Promise<void> {
    if (!this.#worker || this.busy) return;
    // Marks for the benchmark (drop → result cards in the DOM): bench/benches/predict.ts.
    performance.mark('marquee:predict:start');
    if (files.length > MAX_FILES) {
      this.message = `${files.length} files at once is more than ${MAX_FILES}: drop them in smaller groups.`;
      return;
    }
    this.busy = true;
    this.message = '';
    for (const r of this.results) if (r.url) URL.revokeObjectURL(r.url);
    this.progress = { done: 0, total: files.length };
    const start = performance.now();
    try {
      const payload = await Promise.all(
        files.map(async (f) => ({
          name: f.name || 'pasted image',
          bytes: new Uint8Array(await f.arrayBuffer()),
        })),
      );
      const rows = await predictFiles(
        this.#worker,
        payload,
        (done, total) => (this.progress = { done, total }),
      );
      this.lastMs = performance.now() - start;
      this.results = rows.map((r, i) => (r.ok ? { ...r, url: URL.createObjectURL(files[i]!) } : r));
      await tick();
      performance.measure('marquee:predict', 'marquee:predict:start');
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    for (const r of this.results) if (r.url) URL.revokeObjectURL(r.url);
    this.#worker?.terminate();
    this.#worker = null;
    this.status = 'idle';
  }
}
