import { describe, expect, it } from 'vitest';
import {
  ProgressTracker,
  formatDuration,
  progressLine,
  terminalProgress,
  type Progress,
} from './progress.ts';

describe('ProgressTracker', () => {
  it('reports rate and ETA from an injected clock', () => {
    let t = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker('import', 100, (p) => seen.push(p), {
      nowMs: () => t,
      minIntervalMs: 0,
    });
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
    const tracker = new ProgressTracker('x', null, (p) => seen.push(p), {
      nowMs: () => t,
      minIntervalMs: 100,
    });
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

describe('progressLine and terminalProgress', () => {
  const at = (done: number, total: number | null, etaMs: number | null, message?: string) =>
    ({ phase: 'fit', done, total, ratePerSec: null, etaMs, elapsedMs: 0, message }) as Progress;

  it('shows a percentage and the time left, never raw fractions', () => {
    expect(progressLine(at(6.427580579355362, 21, 245_000, 'final: epoch 6'))).toBe(
      '[ 30.6 % · 4m 05s left] final: epoch 6',
    );
    expect(progressLine(at(3, null, null))).toBe('[3 done] fit');
  });

  it('writes the first report, then one line per interval, and always the last', () => {
    const lines: string[] = [];
    let t = 0;
    const report = terminalProgress(
      (l) => lines.push(l),
      2000,
      () => t,
    );
    for (let i = 0; i <= 100; i++) {
      t = i * 100; // a report every 100 ms for 10 s
      report(at(i, 100, null, `batch ${i}`));
    }
    // t = 0, 2, 4, 6, 8 and 10 s: the last is also the finished report.
    expect(lines.map((l) => l.trim())).toEqual(
      [0, 20, 40, 60, 80, 100].map((i) => `[${i.toFixed(1).padStart(5)} %] batch ${i}`),
    );
  });
});
