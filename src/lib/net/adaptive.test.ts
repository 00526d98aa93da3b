import { describe, expect, it } from 'vitest';
import { AdaptiveRate, LatencyTracker, MIN_RATE, TIMEOUT_FLOOR_MS } from './adaptive.ts';

/**
 * A server that accepts at most `limit` requests in any second (arrivals counted whether accepted
 * or not, like the fake server), driven by a client that sends at AdaptiveRate's rate.
 */
function simulate(limit: number, maxRate: number, seconds: number) {
  const a = new AdaptiveRate(maxRate, 0);
  const arrivals: number[] = [];
  const accepted: number[] = [];
  let t = 0;
  while (t < seconds * 1000) {
    t += 1000 / a.rate;
    while (arrivals.length && arrivals[0]! <= t - 1000) arrivals.shift();
    arrivals.push(t);
    a.onSend(t);
    if (arrivals.length > limit) a.on429(t, t + 10);
    else {
      accepted.push(t);
      a.onSuccess(t + 10);
    }
  }
  return { a, accepted };
}

describe('AdaptiveRate', () => {
  it('halves the rate on a 429 and ignores 429s for requests sent up to 1 s after that cut', () => {
    const a = new AdaptiveRate(40, 0);
    for (let t = 0; t < 1000; t += 25) {
      a.onSend(t);
      a.onSuccess(t);
    }
    expect(a.on429(990, 1000)).toBe(20);
    expect(a.on429(995, 1005)).toBeNull();
    expect(a.on429(1900, 1910)).toBeNull();
    expect(a.rate).toBe(20);
    expect(a.on429(2010, 2020)).toBe(10);
  });

  it('never goes below the minimum rate', () => {
    const a = new AdaptiveRate(1, 0);
    for (let i = 0; i < 10; i++) a.on429(i * 1000, i * 1000 + 1);
    expect(a.rate).toBe(MIN_RATE);
  });

  it('recovers additively to just under what the server accepted, then stays there', () => {
    const a = new AdaptiveRate(60, 0);
    // 40 accepted in the last second
    for (let t = 1; t < 1000; t += 25) {
      a.onSend(t);
      a.onSuccess(t + 5);
    }
    a.onSend(1000);
    a.on429(1000, 1010);
    expect(a.rate).toBe(30);
    const seen: number[] = [];
    for (let t = 1000; t < 10_000; t += 25) {
      const r = a.onSuccess(t);
      if (r !== null) seen.push(r);
    }
    // Steps of 4 (a tenth of the ceiling) every 0.5 s, up to 38.8 (97 % of 40), and no probing yet.
    expect(seen).toEqual([34, 38, 38.8]);
  });

  it('takes the ceiling from what was sent in the second before the refusal, not from the answers in by then', () => {
    // Ramping up at 50/s against a server that allows 40/s, answers taking 300 ms: when the first
    // 429 comes back (the 41st request, sent at 800 ms), only 26 answers are in.
    const a = new AdaptiveRate(60, 0);
    for (let t = 0; t < 800; t += 20) a.onSend(t);
    for (let t = 0; t <= 510; t += 20) a.onSuccess(t + 300);
    a.onSend(800);
    expect(a.on429(800, 810)).toBe(30);
    let last = a.rate;
    for (let t = 820; t < 20_000; t += 25) last = a.onSuccess(t) ?? last;
    // Back up to 97 % of 40, not of 26.
    expect(last).toBeCloseTo(38.8, 5);
  });

  it('sustains ≥ 90 % of a server limit 50 % below the configured one, after adapting', () => {
    const { accepted } = simulate(40, 60, 180);
    const after = accepted.filter((t) => t >= 10_000);
    const rate = after.length / ((after.at(-1)! - after[0]!) / 1000);
    expect(rate).toBeGreaterThanOrEqual(36);
    expect(rate).toBeLessThanOrEqual(40);
  });

  it('probes upward again once 429s stop (a server that raised its limit)', () => {
    const { a } = simulate(20, 40, 60);
    expect(a.rate).toBeLessThan(21);
    // Now no more 429s: the rate climbs by probing.
    for (let t = 61_000; t < 400_000; t += 50) a.onSuccess(t);
    expect(a.rate).toBe(40);
  });
});

describe('LatencyTracker', () => {
  it('uses the ceiling until it has seen a few answers', () => {
    const l = new LatencyTracker(15_000);
    l.add(20);
    expect(l.timeoutMs()).toBe(15_000);
  });

  it('times out at a multiple of the median, within the floor and ceiling, doubling per timeout', () => {
    const l = new LatencyTracker(15_000);
    for (const ms of [10, 12, 11, 500, 9, 13]) l.add(ms);
    expect(l.median()).toBe(12);
    expect(l.timeoutMs()).toBe(TIMEOUT_FLOOR_MS);
    expect(l.timeoutMs(2)).toBe(4 * TIMEOUT_FLOOR_MS);
    expect(l.timeoutMs(10)).toBe(15_000);
    for (let i = 0; i < 64; i++) l.add(400);
    expect(l.timeoutMs()).toBe(3200);
  });
});
