import { describe, expect, it } from 'vitest';
import {
  MAX_WASM_THREADS,
  defaultWasmThreads,
  isThreadsSetting,
  planWasmThreads,
  requestWasmThreads,
  requestedWasmThreads,
} from './threads.ts';

describe('defaultWasmThreads', () => {
  it('is one per core, capped at the pthread pool size', () => {
    expect(defaultWasmThreads(2)).toBe(2);
    expect(defaultWasmThreads(6)).toBe(6);
    expect(defaultWasmThreads(32)).toBe(MAX_WASM_THREADS);
  });

  it('is 1 when the browser reports nothing usable', () => {
    expect(defaultWasmThreads(0)).toBe(1);
    expect(defaultWasmThreads(Number.NaN)).toBe(1);
  });
});

describe('planWasmThreads', () => {
  it('runs one thread per core on auto, and says the cap', () => {
    expect(planWasmThreads('auto', { cores: 2, threadsPossible: true })).toEqual({
      threads: 2,
      note: '2 threads: one per core (2 reported)',
    });
    expect(planWasmThreads('auto', { cores: 16, threadsPossible: true }).note).toBe(
      '8 threads: one per core (16 reported, capped at 8)',
    );
  });

  it('follows a fixed setting, capped at the cores', () => {
    expect(planWasmThreads(1, { cores: 8, threadsPossible: true }).threads).toBe(1);
    expect(planWasmThreads(4, { cores: 8, threadsPossible: true })).toEqual({
      threads: 4,
      note: '4 threads: set in Settings',
    });
    expect(planWasmThreads(4, { cores: 2, threadsPossible: true })).toEqual({
      threads: 2,
      note: '2 threads: 4 set in Settings, capped at the 2 cores',
    });
    expect(planWasmThreads(99, { cores: 32, threadsPossible: true }).threads).toBe(8);
  });

  it('falls back to one thread without isolation, and says why', () => {
    const plan = planWasmThreads(4, { cores: 8, threadsPossible: false });
    expect(plan.threads).toBe(1);
    expect(plan.note).toMatch(/not cross-origin isolated/);
  });
});

describe('requestWasmThreads', () => {
  it('records a valid setting and refuses others with a clear message', () => {
    expect(requestedWasmThreads()).toBe('auto');
    requestWasmThreads(2);
    expect(requestedWasmThreads()).toBe(2);
    expect(() => requestWasmThreads(0)).toThrow(/threads must be 'auto' or 1–8, got 0/);
    expect(isThreadsSetting(2.5)).toBe(false);
    expect(isThreadsSetting('auto')).toBe(true);
    requestWasmThreads('auto');
  });
});
