/** The saved runs the studio keeps (RunRecords of either kind), typed by their `kind` tag. */
import type { ExperimentResult, ExperimentSpec } from '../experiments/index.ts';
import type { PosterExperimentResult } from '../experiments/poster-runner.ts';
import type { AnyPosterSpec } from '../experiments/poster-spec.ts';
import type { RunRecord } from '../storage/records.ts';

/** The RunRecord kind of metadata experiments. */
export const METADATA_KIND = 'metadata';

/** A saved metadata run: spec and (when it finished) result. */
export type MetadataRun = RunRecord & {
  kind: 'metadata';
  spec: ExperimentSpec;
  result: ExperimentResult | null;
};

/** The RunRecord kind of poster experiments (CNN, PCA baseline, transfer learning). */
export const POSTER_KIND = 'posters';

/** A saved poster run: spec (data: the library) and (when it finished) result. */
export type PosterRun = RunRecord & {
  kind: 'posters';
  spec: AnyPosterSpec;
  result: PosterExperimentResult | null;
};

/** A saved run the Compare table shows (either kind). */
export type StudioRun = MetadataRun | PosterRun;
