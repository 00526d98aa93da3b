/**
 * Runs a tree-by-tree fit (a generator yielding after each tree) to completion, reporting
 * progress and honouring an AbortSignal between trees, either in one synchronous go or with
 * macrotask breaks so a worker can receive a comlink `cancel` call while it trains.
 */
import { yieldToEvents } from '../../core/yield.ts';

/** Trees grown so far out of all trees of the fit. */
export interface TreeProgress {
  done: number;
  total: number;
}

/** Optional controls of a fit. */
export interface TrainControl {
  /** Checked between trees; an aborted fit throws the signal's reason and leaves the model as it was. */
  signal?: AbortSignal;
  onProgress?: (p: TreeProgress) => void;
  /** Async fits yield to the event loop after at least this much work (default 50 ms). */
  yieldEveryMs?: number;
  /** Clock, injectable for tests. */
  nowMs?: () => number;
}

/** A fit step per tree, then the finished value. */
export type FitSteps<T> = Generator<void, T, void>;

/** Drives the steps synchronously. */
export function runSync<T>(steps: FitSteps<T>, total: number, control: TrainControl = {}): T {
  let done = 0;
  for (;;) {
    control.signal?.throwIfAborted();
    const r = steps.next();
    if (r.done) return r.value;
    control.onProgress?.({ done: ++done, total });
  }
}

/** Drives the steps, yielding a macrotask every yieldEveryMs of work. */
export async function runAsync<T>(
  steps: FitSteps<T>,
  total: number,
  control: TrainControl = {},
): Promise<T> {
  const now = control.nowMs ?? (() => performance.now());
  // 50 ms keeps a cancel click responsive while costing ~1 ms of timer latency per 50 ms of work.
  const every = control.yieldEveryMs ?? 50;
  let done = 0;
  let last = now();
  for (;;) {
    control.signal?.throwIfAborted();
    const r = steps.next();
    if (r.done) return r.value;
    control.onProgress?.({ done: ++done, total });
    if (now() - last >= every) {
      await yieldToEvents();
      last = now();
    }
  }
}
