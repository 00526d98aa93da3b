/// <reference lib="webworker" />
import { expose } from 'comlink';
import {
  analyzeGenres,
  groupSummary,
  groupsFromTree,
  samplingPreview,
} from '../features/genre-analysis.ts';
import { analyzeKeywords, type KeywordAnalysisOptions } from '../features/keyword-analysis.ts';
import { featurePreview } from '../features/feature-preview.ts';
import type { Movie } from '../data/types.ts';
import type { ProgressFn } from './progress.ts';
import { ProgressTracker } from './progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();

// Explore's computations off the main thread; each call receives the movies it works on.
const api = {
  analyzeGenres,
  groupSummary,
  groupsFromTree,
  samplingPreview,
  featurePreview,
  analyzeKeywords: (
    taskId: string,
    movies: Movie[],
    options: KeywordAnalysisOptions,
    onProgress: ProgressFn,
  ) =>
    tasks.run(taskId, (signal) => {
      const tracker = new ProgressTracker('Growing trees', null, onProgress);
      return analyzeKeywords(movies, options, {
        signal,
        onProgress: ({ done, total }) => {
          tracker.setTotal(total);
          tracker.tick(done - tracker.done);
        },
      });
    }),
  cancel: (taskId: string) => tasks.cancel(taskId),
};

expose(api);
export type ExploreApi = typeof api;
