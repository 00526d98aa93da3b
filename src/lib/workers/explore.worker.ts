/// <reference lib="webworker" />
import { expose } from 'comlink';
import {
  analyzeGenres,
  groupSummary,
  groupsFromTree,
  samplingPreview,
} from '../features/genre-analysis.ts';
import type { Linkage } from '../features/cluster.ts';
import type { FeatureSpec } from '../features/encode.ts';
import type { GenreGroup } from '../features/groups.ts';
import type { SamplingOptions } from '../features/sampling.ts';
import { analyzeKeywords, type KeywordAnalysisOptions } from '../features/keyword-analysis.ts';
import { featurePreview } from '../features/feature-preview.ts';
import { FEATURE_FIELDS, GENRE_FIELDS, KEYWORD_FIELDS, type MovieQuery } from './library-query.ts';
import { LibraryReader } from './library-reader.ts';
import type { ProgressFn } from '../core/progress.ts';
import { ProgressTracker } from '../core/progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();
const reader = new LibraryReader();
const movies = (q: MovieQuery, fields: MovieQuery['fields']) => reader.cached({ ...q, fields });

// Explore's computations off the main thread; each call names the library revision it works on
// and reads (once per revision and field set) the movies itself.
const api = {
  analyzeGenres: async (q: MovieQuery, linkage: Linkage) =>
    analyzeGenres(await movies(q, GENRE_FIELDS), linkage),
  groupSummary: async (q: MovieQuery, groups: GenreGroup[]) =>
    groupSummary(await movies(q, GENRE_FIELDS), groups),
  groupsFromTree,
  samplingPreview: async (q: MovieQuery, groups: GenreGroup[], sampling: SamplingOptions) =>
    samplingPreview(await movies(q, GENRE_FIELDS), groups, sampling),
  featurePreview: async (q: MovieQuery, spec: FeatureSpec) =>
    featurePreview(await movies(q, FEATURE_FIELDS), spec),
  analyzeKeywords: (
    taskId: string,
    q: MovieQuery,
    options: KeywordAnalysisOptions,
    onProgress: ProgressFn,
  ) =>
    tasks.run(taskId, async (signal) => {
      const tracker = new ProgressTracker('Growing trees', null, onProgress);
      // Read for this run only (not cached): the forest is the big memory user, and its movies go with it.
      const read = await reader.read({ ...q, fields: KEYWORD_FIELDS }, { signal });
      return analyzeKeywords(read, options, {
        signal,
        onProgress: ({ done, total }) => {
          tracker.setTotal(total);
          tracker.tick(done - tracker.done);
        },
      });
    }),
  cancel: (taskId: string) => tasks.cancel(taskId),
  /** Drops the movies kept for the last revision (the Explore panel closed). */
  release: () => reader.clear(),
  /** Records and approximate bytes per store of the library (Settings). */
  storeSizes: async (db?: string) => (await reader.library(db)).storeSizes(),
};

expose(api);
export type ExploreApi = typeof api;
