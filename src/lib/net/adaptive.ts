/** Per-host adaptation: the rate (AIMD on 429) and the per-attempt timeout (from observed latency). */

/** A change of a host's rate, for the crawl panel and log. */
export interface RateChange {
  host: string;
  fromRate: number;
  toRate: number;
  /** 'slow-down': a 429 cut the rate; 'recover': the rate grew back (additively). */
  reason: 'slow-down' | 'recover';
}

/** The rate never drops below this (one request every 4 s still finishes a crawl, slowly). */
export const MIN_RATE = 0.25;
const DECREASE = 0.5;
/** Additive steps this far apart while below the ceiling estimate. */
const STEP_MS = 500;
/** Quiet time after a cut before probing above the ceiling estimate, and between probes. */
const PROBE_AFTER_MS = 30_000;
const PROBE_EVERY_MS = 10_000;
/**
 * After a cut, 429s for requests sent within this long are the same episode: the server's
 * one-second window still holds the requests that overran it, so it keeps refusing for a while
 * whatever we do now (cutting again for each would spiral down to MIN_RATE).
 */
const HOLD_MS = 1000;

/**
 * AIMD (additive increase, multiplicative decrease) with a ceiling estimate. On a 429 the rate
 * halves; the ceiling becomes the requests sent in the second before the refused one and not
 * refused themselves: what the server's window held when it said no, i.e. what it really allows,
 * Retry-After readable or not. (Counting the answers already in instead undercounts while the
 * crawl ramps up or answers are slow: 32 for a server allowing 40, and the rate stayed there.) Then the rate climbs back in steps of a tenth of
 * the ceiling every 0.5 s to just under it, and only after 30 s without a 429 probes upward by
 * 1 req/s every 10 s, up to the configured maximum. Plain AIMD would saw between the limit and
 * half of it (75 % on average); climbing fast to the estimate keeps ≥ 90 % of the server's limit.
 * A 429 for a request sent before the last cut, or within HOLD_MS after it, changes nothing.
 */
export class AdaptiveRate {
  #rate: number;
  #ceiling: number;
  #lastCutMs = -Infinity;
  #lastChangeMs = -Infinity;
  /** When recent requests were sent (the last 2 s), and which of them were refused. */
  #sent: number[] = [];
  #refused: number[] = [];

  constructor(
    readonly maxRate: number,
    nowMs = 0,
  ) {
    this.#rate = maxRate;
    this.#ceiling = maxRate;
    this.#lastChangeMs = nowMs;
  }

  get rate(): number {
    return this.#rate;
  }

  /** A request leaves at sentMs (call in send order). */
  onSend(sentMs: number): void {
    this.#sent.push(sentMs);
    if (this.#sent[0]! <= sentMs - 2000) {
      this.#sent = this.#sent.filter((t) => t > sentMs - 2000);
      this.#refused = this.#refused.filter((t) => t > sentMs - 2000);
    }
  }

  /** A request was answered (not 429) at nowMs; may raise the rate (returns the new one). */
  onSuccess(nowMs: number): number | null {
    if (this.#rate >= this.maxRate || nowMs - this.#lastChangeMs < STEP_MS) return null;
    const target = Math.max(
      MIN_RATE,
      Math.min(this.maxRate, this.#ceiling - 1, this.#ceiling * 0.97),
    );
    let next = this.#rate;
    if (this.#rate < target) next = Math.min(target, this.#rate + Math.max(1, this.#ceiling / 10));
    else if (
      nowMs - this.#lastCutMs >= PROBE_AFTER_MS &&
      nowMs - this.#lastChangeMs >= PROBE_EVERY_MS
    ) {
      next = Math.min(this.maxRate, this.#rate + 1);
      this.#ceiling = Math.max(this.#ceiling, next + 1);
    }
    if (next === this.#rate) return null;
    this.#rate = next;
    this.#lastChangeMs = nowMs;
    return next;
  }

  /** A 429 answered at nowMs for a request sent at sentMs; returns the new rate, or null if ignored. */
  on429(sentMs: number, nowMs: number): number | null {
    this.#refused.push(sentMs);
    if (sentMs < this.#lastCutMs + HOLD_MS) return null;
    // What the server took in the second before is its limit, unless we were sending far less.
    const taken = this.#sent.filter(
      (t) => t > sentMs - 1000 && t < sentMs && !this.#refused.includes(t),
    ).length;
    this.#ceiling = Math.max(
      MIN_RATE,
      Math.min(this.#rate, taken >= this.#rate / 2 ? taken : this.#rate),
    );
    this.#rate = Math.max(MIN_RATE, this.#rate * DECREASE);
    this.#lastCutMs = nowMs;
    this.#lastChangeMs = nowMs;
    return this.#rate;
  }
}

const SAMPLES = 64;
const MIN_SAMPLES = 5;
/** Timeout = this × median attempt time, within [floor, ceiling]. */
export const TIMEOUT_MULTIPLE = 8;
export const TIMEOUT_FLOOR_MS = 1000;

/**
 * A host's recent attempt times (request to last body byte). The timeout for an attempt is a
 * multiple of their median, at least TIMEOUT_FLOOR_MS and at most the configured ceiling, and it
 * doubles with each timed-out attempt of the same request (a slow link is not mistaken for a hang
 * twice). Until a few answers are in, the ceiling applies.
 */
export class LatencyTracker {
  readonly #ms: number[] = [];

  constructor(readonly ceilingMs: number) {}

  add(ms: number): void {
    this.#ms.push(ms);
    if (this.#ms.length > SAMPLES) this.#ms.shift();
  }

  /** The median attempt time, or null before MIN_SAMPLES answers. */
  median(): number | null {
    if (this.#ms.length < MIN_SAMPLES) return null;
    const s = [...this.#ms].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
  }

  /** The timeout for attempt number `timeouts + 1` of a request that already timed out `timeouts` times. */
  timeoutMs(timeouts = 0): number {
    const m = this.median();
    if (m === null) return this.ceilingMs;
    const base = Math.max(TIMEOUT_FLOOR_MS, TIMEOUT_MULTIPLE * m);
    return Math.min(this.ceilingMs, base * 2 ** timeouts);
  }
}
