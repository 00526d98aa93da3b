import type { EpochLog } from '../models/poster/trainer.ts';

/** One epoch of one fit ('grid 1/4', 'final'), plain numbers for live curves. */
export type PosterEpoch = EpochLog & { run: string };
