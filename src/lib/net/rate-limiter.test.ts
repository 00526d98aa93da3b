import { describe, expect, it } from 'vitest';
import { RateLimiter, Semaphore, type Timing } from './rate-limiter.ts';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.ts';

/** Virtual clock: sleep advances time instantly, so permits' times are exact. */
function virtualTiming(): Timing & { t: number } {
  const v = {
    t: 0,
    nowMs: () => v.t,
    sleep: async (ms: number) => void (v.t += ms),
  };
  return v;
}

describe('RateLimiter', () => {
  it('spaces permits 1/rate apart (plus the 1 % margin) with burst 1, catching up ≤ 8 ms of timer lateness once', async () => {
    const timing = virtualTiming();
    const lim = new RateLimiter(4, { timing });
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      (await lim.acquire())();
      times.push(timing.t);
    }
    expect(times[0]).toBe(0);
    // Spacing is 252.5 ms; the first gap is 8 ms shorter (timer-lateness slack), and the window
    // rule (permit n + 4 at least 1000 + 10 ms after permit n was answered) stretches some gaps.
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(244.5 - 1e-9);
      expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(260.5 + 1e-9);
    }
    for (let i = 0; i + 4 < times.length; i++)
      expect(times[i + 4]! - times[i]!).toBeGreaterThanOrEqual(1010 - 1e-9);
  });

  it('never lets more than rate permits into any one-second window, whatever the call pattern', async () => {
    const timing = virtualTiming();
    const lim = new RateLimiter(10, { timing });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      if (i % 7 === 0) timing.t += 333; // idle gaps must not bank extra permits
      (await lim.acquire())();
      times.push(timing.t);
    }
    for (let i = 0; i + 10 < times.length; i++)
      expect(times[i + 10]! - times[i]!).toBeGreaterThanOrEqual(1000);
  });

  it('counts a request that never ends as one unit of the window, not a stall of the host', async () => {
    const timing = virtualTiming();
    const lim = new RateLimiter(4, { timing });
    await lim.acquire(); // hangs: never answered
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      (await lim.acquire())();
      times.push(timing.t);
    }
    // Three permits per window are left while it hangs; every 1 s window holds at most 4 in all.
    for (let i = 0; i + 3 < times.length; i++)
      expect(times[i + 3]! - times[i]!).toBeGreaterThanOrEqual(1010 - 1e-9);
    expect(times.at(-1)!).toBeLessThan(3 * 1010 + 300);
  });

  it('allows a burst after idle time when burst > 1', async () => {
    const timing = virtualTiming();
    const lim = new RateLimiter(10, { burst: 3, timing });
    timing.t = 5000;
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      (await lim.acquire())();
      times.push(timing.t);
    }
    expect(times.slice(0, 3)).toEqual([5000, 5000, 5000]);
    expect(times[3]).toBeGreaterThan(5000);
  });

  it('holds every permit until a pause ends (Retry-After)', async () => {
    const timing = virtualTiming();
    const lim = new RateLimiter(100, { timing });
    (await lim.acquire())();
    lim.pauseUntil(2000);
    (await lim.acquire())();
    expect(timing.t).toBe(2000);
  });

  it('reports its state: rate, tokens, in flight, window, waiting callers and how late its sleeps woke', async () => {
    const v = virtualTiming();
    // Every sleep wakes 30 ms late, as a throttled timer would.
    const timing: Timing = { nowMs: v.nowMs, sleep: async (ms) => void (v.t += ms + 30) };
    const lim = new RateLimiter(4, { timing });
    expect(lim.snapshot()).toMatchObject({
      rate: 4,
      tokens: 1,
      inFlight: 0,
      inWindow: 0,
      waiting: 0,
    });
    const done = await lim.acquire(); // in flight
    (await lim.acquire())(); // answered at once: still in the window
    const third = lim.acquire();
    expect(lim.snapshot().waiting).toBe(1);
    await third;
    const s = lim.snapshot();
    expect(s).toMatchObject({ inFlight: 2, inWindow: 3, waiting: 0 });
    expect(s.tokens).toBeLessThan(1);
    expect(s.maxLateMs).toBe(30);
    expect(lim.snapshot().maxLateMs).toBe(0); // reset by each snapshot
    done();
    expect(lim.snapshot().inFlight).toBe(1);
  });

  it('rejects with the abort reason while waiting', async () => {
    const lim = new RateLimiter(1);
    (await lim.acquire())();
    const c = new AbortController();
    const p = lim.acquire(c.signal);
    await Promise.resolve();
    c.abort(new DOMException('Cancelled', 'AbortError'));
    await expect(p).rejects.toThrow('Cancelled');
  });
});

describe('Semaphore', () => {
  it('admits at most limit holders and hands slots on in order', async () => {
    const s = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        const release = await s.acquire();
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        active--;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('backoff', () => {
  it('grows exponentially under full jitter and is capped', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelayMs(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, opts, () => 0.999)).toBe(799);
    expect(backoffDelayMs(10, opts, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(
      parseRetryAfterMs(
        'Wed, 21 Oct 2015 07:28:05 GMT',
        Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'),
      ),
    ).toBe(5000);
    expect(parseRetryAfterMs('soon')).toBeNull();
    expect(parseRetryAfterMs(null)).toBeNull();
  });
});
