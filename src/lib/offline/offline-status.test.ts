import { describe, expect, it } from 'vitest';
import { statusFromWorkerState } from './offline-status.ts';

describe('statusFromWorkerState', () => {
  it('says ready offline only once the worker is activated', () => {
    expect(statusFromWorkerState('activated')).toBe('ready offline');
    for (const s of ['parsed', 'installing', 'installed', 'activating'] as const) {
      expect(statusFromWorkerState(s), s).toBe('installing');
    }
  });

  it('reports a redundant worker (failed install) as an error and no worker as unsupported', () => {
    expect(statusFromWorkerState('redundant')).toBe('error');
    expect(statusFromWorkerState(undefined)).toBe('unsupported');
  });
});
