/**
 * The paper method's default schedule in the panel and the plain-language checks around it.
 * Pure: no tf, no I/O.
 */
import { DEFAULT_STYLE_SETTINGS, type StyleSettings } from './stylize.ts';

/**
 * The panel's default: start from the instant result, coarse to fine (8 iterations at half size,
 * 2 at full), 6 evaluations per iteration. At 200×200 that is 48 evaluations at 100×100 (about 12
 * full-size evaluations' worth of work) and 12 at 200×200: ~24 against the paper's 200, about 8×
 * less. A start that already looks right needs far fewer steps than noise does (asserted in
 * workers/paper-from-instant.browser.test.ts).
 */
export const INSTANT_START_SETTINGS: StyleSettings = {
  ...DEFAULT_STYLE_SETTINGS,
  init: 'image',
  coarseToFine: true,
  iterations: 10,
  evalsPerIteration: 6,
};

/** The paper's own schedule: noise, L-BFGS 10 × 20 at one size. */
export const PAPER_SCHEDULE_SETTINGS: StyleSettings = {
  ...DEFAULT_STYLE_SETTINGS,
  coarseToFine: false,
};

/**
 * Below this many evaluations a run from noise stays visibly noise: 3 iterations × 5 evaluations
 * at 200×200 returned pure noise with a flat loss curve (issue 12), and the paper budgets 200.
 */
export const MIN_EVALS_FROM_NOISE = 100;

/** A warning, in words, when a schedule is too short to get anywhere from its start; else null. */
export function scheduleWarning(s: StyleSettings): string | null {
  const evals = s.iterations * s.evalsPerIteration;
  if (s.init === 'noise' && evals < MIN_EVALS_FROM_NOISE)
    return (
      `From noise, ${s.iterations} × ${s.evalsPerIteration} = ${evals} evaluations will still look ` +
      `like noise: the loss barely moves before ~${MIN_EVALS_FROM_NOISE} (the paper uses 10 × 20 = 200). ` +
      'Start from the instant result, or give the optimiser more evaluations.'
    );
  if (evals < 3)
    return `${evals} evaluation${evals === 1 ? '' : 's'} cannot move the image: L-BFGS needs a few to take a step.`;
  return null;
}

/** After a run: a note when the loss fell by less than 5 % (nothing visible changed), else null. */
export function stalledNote(startTotal: number, endTotal: number): string | null {
  if (!(startTotal > 0) || !Number.isFinite(endTotal)) return null;
  const fall = 1 - endTotal / startTotal;
  if (fall >= 0.05) return null;
  return (
    `The loss fell by only ${(fall * 100).toFixed(1)} %: the schedule was too short to change the ` +
    'image much. Raise the iterations or evaluations, or start from the instant result.'
  );
}
