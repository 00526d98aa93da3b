/** Progress of a long task as the UI shows it: counts, rate and ETA. Plain data, crosses threads. */
export interface Progress {
  phase: string;
  done: number;
  total: number | null;
  /** Items per second, smoothed; null until measurable. */
  ratePerSec: number | null;
  /** Estimated milliseconds left; null when the total or the rate is unknown. */
  etaMs: number | null;
  elapsedMs: number;
  message?: string;
}

export type ProgressFn = (p: Progress) => void;

export interface TrackerOptions {
  /** Clock, injectable for tests. */
  nowMs?: () => number;
  /** Minimum time between reports; a report per item would flood the UI thread. */
  minIntervalMs?: number;
}

/** Counts work done and reports Progress (rate as an exponential moving average) at most every minIntervalMs. */
export class ProgressTracker {
  #done = 0;
  #total: number | null;
  #phase: string;
  #start: number;
  #lastReport = -Infinity;
  #lastDone = 0;
  #lastTime: number;
  #rate: number | null = null;
  readonly #now: () => number;
  readonly #minInterval: number;
  readonly #report: ProgressFn;

  constructor(
    phase: string,
    total: number | null,
    report: ProgressFn,
    options: TrackerOptions = {},
  ) {
    this.#now = options.nowMs ?? (() => performance.now());
    this.#minInterval = options.minIntervalMs ?? 100;
    this.#report = report;
    this.#phase = phase;
    this.#total = total;
    this.#start = this.#now();
    this.#lastTime = this.#start;
  }

  get done(): number {
    return this.#done;
  }

  /** Sets a new total (e.g. once a file's row count is known). */
  setTotal(total: number | null): void {
    this.#total = total;
  }

  /** Records n more items done and reports if enough time has passed. */
  tick(n = 1, message?: string): void {
    this.#done += n;
    const t = this.#now();
    if (t - this.#lastReport >= this.#minInterval) this.#emit(t, message);
  }

  /** Reports the final state unconditionally. */
  finish(message?: string): Progress {
    return this.#emit(this.#now(), message);
  }

  #emit(t: number, message?: string): Progress {
    const dt = t - this.#lastTime;
    if (dt > 0 && this.#done > this.#lastDone) {
      const instant = ((this.#done - this.#lastDone) * 1000) / dt;
      // 0.3 weights recent windows enough to follow a change of pace without jitter.
      this.#rate = this.#rate === null ? instant : 0.3 * instant + 0.7 * this.#rate;
      this.#lastDone = this.#done;
      this.#lastTime = t;
    }
    const left = this.#total === null ? null : Math.max(0, this.#total - this.#done);
    const etaMs = left === null || !this.#rate ? null : (left / this.#rate) * 1000;
    const p: Progress = {
      phase: this.#phase,
      done: this.#done,
      total: this.#total,
      ratePerSec: this.#rate,
      etaMs,
      elapsedMs: t - this.#start,
      ...(message === undefined ? {} : { message }),
    };
    this.#lastReport = t;
    this.#report(p);
    return p;
  }
}

/** Formats milliseconds as `1h 02m`, `3m 05s` or `12s` for ETAs. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * One line for a terminal: `[ 31.2 % · 4m 05s left] final: epoch 6`. Fractions of items are
 * shown as a percentage, never as raw floats.
 */
export function progressLine(p: Progress): string {
  const where =
    p.total && p.total > 0
      ? `${((100 * p.done) / p.total).toFixed(1).padStart(5)} %`
      : `${Math.round(p.done)} done`;
  const left = p.etaMs === null ? '' : ` · ${formatDuration(p.etaMs)} left`;
  return `[${where}${left}] ${p.message ?? p.phase}`;
}

/**
 * A ProgressFn for terminals: writes the first report, then at most one line every `everyMs`
 * (a fit reports every batch), and always the last one.
 */
export function terminalProgress(
  write: (line: string) => void,
  everyMs = 2000,
  nowMs: () => number = () => performance.now(),
): ProgressFn {
  let last = -Infinity;
  return (p) => {
    const t = nowMs();
    const finished = p.total !== null && p.done >= p.total;
    if (t - last < everyMs && !finished) return;
    last = t;
    write(progressLine(p) + '\n');
  };
}
