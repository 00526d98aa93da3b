import { describe, expect, it } from 'vitest';
import {
  INSTANT_START_SETTINGS,
  PAPER_SCHEDULE_SETTINGS,
  scheduleWarning,
  stalledNote,
} from './schedule.ts';
import { stagePlan } from './stylize.ts';

describe('paper method schedule', () => {
  it('plans 8 iterations at half size and 2 at full for the default 10 at 200×200', () => {
    expect(stagePlan(INSTANT_START_SETTINGS, { width: 200, height: 200 })).toEqual([
      { width: 100, height: 100, iterations: 8 },
      { width: 200, height: 200, iterations: 2 },
    ]);
  });

  it('runs in one stage for the paper schedule, tiny outputs and single iterations', () => {
    expect(stagePlan(PAPER_SCHEDULE_SETTINGS, { width: 200, height: 200 })).toEqual([
      { width: 200, height: 200, iterations: 10 },
    ]);
    expect(stagePlan(INSTANT_START_SETTINGS, { width: 48, height: 48 })).toHaveLength(1);
    expect(stagePlan({ iterations: 1, coarseToFine: true }, { width: 200, height: 200 })).toEqual([
      { width: 200, height: 200, iterations: 1 },
    ]);
  });

  it('warns in words about a short schedule from noise, not about the paper’s or the instant start', () => {
    const short = { ...PAPER_SCHEDULE_SETTINGS, iterations: 3, evalsPerIteration: 5 };
    expect(scheduleWarning(short)).toMatch(/15 evaluations will still look like noise/);
    expect(scheduleWarning(PAPER_SCHEDULE_SETTINGS)).toBeNull();
    expect(scheduleWarning(INSTANT_START_SETTINGS)).toBeNull();
    expect(
      scheduleWarning({ ...INSTANT_START_SETTINGS, iterations: 1, evalsPerIteration: 2 }),
    ).toMatch(/cannot move/);
  });

  it('notes a run whose loss fell by less than 5 %', () => {
    expect(stalledNote(100, 97)).toMatch(/only 3\.0 %/);
    expect(stalledNote(100, 50)).toBeNull();
  });
});
