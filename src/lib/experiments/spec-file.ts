/** The root of the experiment-spec JSON Schema (`npm run schema`): what `npm run experiment -- --spec` reads. */
import type { PosterExperimentSpec } from './poster-spec.ts';
import type { ExperimentSpec } from './spec.ts';

/** A metadata spec (data.movies) or a posters spec (data.posters + data.labels). */
export type ExperimentSpecFile = ExperimentSpec | PosterExperimentSpec;
