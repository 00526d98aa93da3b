import { describe, expect, it } from 'vitest';
import { ProgressTracker, formatDuration, type Progress } from './progress.ts';

describe('ProgressTracker', () => {
  it('reports rate and ETA from an injected clock', () => {
    let t = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker('import', 100, (p) => seen.push(p), { nowMs: () => t, minIntervalMs: 0 });
    t = 1000;
    tracker.tick(10);
    const last = seen.at(-1)!;
    expect(last.done).toBe(10);
    expect(last.ratePerSec).toBeCloseTo(10, 9);
    expect(last.etaMs).toBeCloseTo(9000, 6);
  });
  it('throttles reports to minIntervalMs but always reports finish', () => {
    let t = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker('x', null, (p) => seen.push(p), { nowMs: () => t, minIntervalMs: 100 });
    for (let i = 0; i < 50; i++) {
      t += 1;
      tracker.tick();
    }
    expect(seen.length).toBe(1); // first tick only; the rest fall inside 100 ms
    tracker.finish();
    expect(seen.at(-1)!.done).toBe(50);
    expect(seen.at(-1)!.etaMs).toBeNull(); // unknown total
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('—');
  });
});
