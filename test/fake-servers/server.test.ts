import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_KEYS, startFakeServer, type FakeServer } from './server.ts';

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake TMDb server', () => {
  it('judges the rate limit as at each request’s arrival, not counting requests that came in during its latency', async () => {
    fake = await startFakeServer({ movies: [], enforceRatePerSec: 2, latencyMs: 100 });
    const url = `${fake.tmdbBase}/genre/movie/list?api_key=${FAKE_KEYS.apiKey}`;
    // Three at once: each is judged 100 ms after it arrived, when all three are in the log.
    const statuses = await Promise.all([0, 1, 2].map(() => fetch(url).then((r) => r.status)));
    expect(fake.maxInWindow(1000)).toBe(3);
    // The first two arrived within the limit; only the third is over it.
    expect(statuses.sort()).toEqual([200, 200, 429]);
  });
});
