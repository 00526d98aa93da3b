import { describe, expect, it } from 'vitest';
import { decideIsolationReload, type IsolationState } from './reload-decision.ts';

describe('decideIsolationReload', () => {
  it('is done whenever the page is already isolated (headers from the host or the worker)', () => {
    for (const controlled of [false, true]) {
      for (const alreadyReloaded of [false, true]) {
        expect(decideIsolationReload({ isolated: true, controlled, alreadyReloaded })).toBe('done');
      }
    }
  });

  it('reloads a controlled, non-isolated page once', () => {
    expect(
      decideIsolationReload({ isolated: false, controlled: true, alreadyReloaded: false }),
    ).toBe('reload');
  });

  it('waits for control on a first visit', () => {
    expect(
      decideIsolationReload({ isolated: false, controlled: false, alreadyReloaded: false }),
    ).toBe('wait');
  });

  it('gives up after one reload, controlled or not', () => {
    expect(
      decideIsolationReload({ isolated: false, controlled: true, alreadyReloaded: true }),
    ).toBe('give-up');
    expect(
      decideIsolationReload({ isolated: false, controlled: false, alreadyReloaded: true }),
    ).toBe('give-up');
  });
});

/** Plays page loads against a simulated browser, the way register.ts drives the decision. */
function simulate(
  workerHeadersHonoured: boolean,
  maxLoads = 10,
): { reloads: number; isolatedAtEnd: boolean } {
  let flag = false;
  let swControlsNavigations = false; // true once the worker is active and claimed
  let reloads = 0;
  let isolated = false;
  for (let load = 0; load < maxLoads; load++) {
    isolated = swControlsNavigations && workerHeadersHonoured;
    let state: IsolationState = {
      isolated,
      controlled: swControlsNavigations,
      alreadyReloaded: flag,
    };
    let decision = decideIsolationReload(state);
    if (decision === 'wait') {
      swControlsNavigations = true; // install + activate + clients.claim → controllerchange
      state = { ...state, controlled: true };
      decision = decideIsolationReload(state);
    }
    if (decision !== 'reload') break; // done or give-up: the page stays
    flag = true;
    reloads++;
  }
  return { reloads, isolatedAtEnd: isolated };
}

describe('reload sequence', () => {
  it('a first visit reloads exactly once and ends isolated', () => {
    expect(simulate(true)).toEqual({ reloads: 1, isolatedAtEnd: true });
  });

  it('a browser that ignores worker headers reloads once, then stops (no loop)', () => {
    expect(simulate(false)).toEqual({ reloads: 1, isolatedAtEnd: false });
  });
});
