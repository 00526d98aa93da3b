/** Clock and sleep, injectable so tests can run the limiter on virtual time. */
export interface Timing {
  nowMs(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Resolves after ms, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const REAL_TIMING: Timing = { nowMs: () => performance.now(), sleep };

/**
 * Spacing margin: permits are issued 1 % slower than the nominal rate, so timer jitter does not
 * eat into the window check below and sustained throughput stays within 1 % of the limit.
 */
const SAFETY = 1.01;
const LATE_SLACK_MS = 8;
/** Slack for the server's own clock: it stamps arrivals a few ms late when its event loop is busy. */
const WINDOW_MARGIN_MS = 10;

/** The limiter's state at one moment (the crawl bench logs it once a second). */
export interface LimiterSnapshot {
  /** Permits per second now. */
  rate: number;
  /** Permits that could be granted at once now (0 … burst; fractional while refilling). */
  tokens: number;
  /** Requests granted and not yet answered. */
  inFlight: number;
  /** Requests the one-second window counts (in flight, or answered less than a second ago). */
  inWindow: number;
  /** acquire() calls waiting for a permit. */
  waiting: number;
  /** The latest any of the limiter's own sleeps woke up vs asked, since the last snapshot (ms). */
  maxLateMs: number;
}

interface Issued {
  /** When the request was answered (or failed); Infinity while in flight. */
  endMs: number;
  ended: Promise<void>;
  end: () => void;
}

/**
 * A token bucket, written as GCRA (a "theoretical arrival time"): permits are spaced 1/rate apart,
 * with up to `burst` of them allowed back to back. On top, a sliding window: a permit is granted
 * only while fewer than floor(rate) earlier requests are still unanswered or were answered less
 * than a second ago. A request reaches the server before its answer leaves it, so no one-second
 * window at the server ever holds more than floor(rate) requests, whatever the network's delays
 * (spacing alone cannot promise that: a slow first connection bunches later arrivals). A request
 * that hangs takes one unit of that budget until it ends (it may reach the server at any moment
 * until then), never the whole host. The price is rate/(1 + latency/1 s) at full load.
 */
export class RateLimiter {
  #tat = -Infinity;
  #pausedUntil = -Infinity;
  #turn: Promise<void> = Promise.resolve();
  /** Requests still counted by the window: unanswered, or answered less than a second ago. */
  #issued: Issued[] = [];
  #intervalMs = 0;
  #rate = 0;
  readonly #burst: number;
  #windowCount = 1;
  readonly #timing: Timing;
  #waiting = 0;
  #maxLateMs = 0;

  constructor(ratePerSec: number, options: { burst?: number; timing?: Timing } = {}) {
    this.#burst = Math.max(1, Math.floor(options.burst ?? 1));
    this.#timing = options.timing ?? REAL_TIMING;
    this.setRate(ratePerSec);
  }

  /** The permits per second now. */
  get rate(): number {
    return this.#rate;
  }

  /** Changes the rate for every later permit (adaptive rate control); the window shrinks or grows with it. */
  setRate(ratePerSec: number): void {
    if (!(ratePerSec > 0)) throw new RangeError(`rate must be > 0, got ${ratePerSec}`);
    this.#rate = ratePerSec;
    this.#intervalMs = (1000 / ratePerSec) * SAFETY;
    this.#windowCount = Math.max(1, Math.floor(ratePerSec));
  }

  /**
   * Waits for a permit, in call order, and returns `done`, to call once the request is answered
   * or has failed. An aborted wait gives its slot up (being conservative is cheap).
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const mine = this.#turn.then(() => this.#wait(signal));
    this.#turn = mine.catch(() => undefined);
    this.#waiting += 1;
    try {
      await mine;
    } finally {
      this.#waiting -= 1;
    }
    let end!: () => void;
    const ended = new Promise<void>((r) => (end = r));
    const rec: Issued = { endMs: Infinity, ended, end: () => undefined };
    rec.end = () => {
      if (rec.endMs !== Infinity) return;
      rec.endMs = this.#timing.nowMs();
      end();
    };
    this.#issued.push(rec);
    return rec.end;
  }

  /** Waits until fewer than windowCount requests are counted by the window. */
  async #windowRoom(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#timing.nowMs();
      this.#issued = this.#issued.filter((e) => e.endMs + 1000 + WINDOW_MARGIN_MS > now);
      if (this.#issued.length < this.#windowCount) return;
      // Room comes when an answered request leaves the window, or an unanswered one ends.
      const leaves = Math.min(...this.#issued.map((e) => e.endMs + 1000 + WINDOW_MARGIN_MS));
      const pending = this.#issued.filter((e) => e.endMs === Infinity).map((e) => e.ended);
      const waits: Promise<void>[] = [...pending];
      if (leaves !== Infinity) waits.push(this.#sleep(leaves - now).catch(() => undefined));
      await abortable(Promise.race(waits), signal);
    }
  }

  async #wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      await this.#windowRoom(signal);
      const now = this.#timing.nowMs();
      // Timers fire late (Chromium clamps chained timeouts to ≥ 4 ms): resetting the schedule to
      // `now` after each late wake-up lost 15 % of the rate. Up to LATE_SLACK_MS of lateness is
      // caught up instead; longer idle time is still not banked. The window above stays strict.
      const tat = Math.max(
        this.#tat,
        now - Math.min(this.#intervalMs / 2, LATE_SLACK_MS),
        this.#pausedUntil,
      );
      const at = Math.max(now, this.#pausedUntil, tat - (this.#burst - 1) * this.#intervalMs);
      if (at <= now) {
        this.#tat = tat + this.#intervalMs;
        return;
      }
      await this.#sleep(at - now, signal); // then re-check: a pause may have come meanwhile
    }
  }

  /** The timing's sleep, noting how late it woke. */
  async #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const due = this.#timing.nowMs() + ms;
    await this.#timing.sleep(ms, signal);
    this.#maxLateMs = Math.max(this.#maxLateMs, this.#timing.nowMs() - due);
  }

  /** The state now; resets the lateness maximum. */
  snapshot(): LimiterSnapshot {
    const now = this.#timing.nowMs();
    const live = this.#issued.filter((e) => e.endMs + 1000 + WINDOW_MARGIN_MS > now);
    const ahead = Math.max(0, Math.max(this.#tat, this.#pausedUntil) - now);
    const out = {
      rate: this.#rate,
      tokens: Math.max(0, this.#burst - ahead / this.#intervalMs),
      inFlight: live.filter((e) => e.endMs === Infinity).length,
      inWindow: live.length,
      waiting: this.#waiting,
      maxLateMs: this.#maxLateMs,
    };
    this.#maxLateMs = 0;
    return out;
  }

  /** Holds every later permit until `untilMs` (a 429's Retry-After applies to the whole host). */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** A counting semaphore: at most `limit` holders at once (bounded concurrency). */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#free = Math.max(1, Math.floor(limit));
  }

  /** Slots free now, and callers waiting for one. */
  get state(): { free: number; queued: number } {
    return { free: this.#free, queued: this.#waiting.length };
  }

  /** Waits for a slot and returns its release function (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#free > 0) {
      this.#free -= 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#waiting.indexOf(grant);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(signal?.reason as Error);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiting.push(grant);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}
