/// <reference lib="webworker" />
import { expose } from 'comlink';
import { analyzeGenres, groupSummary, groupsFromTree, samplingPreview } from '../features/genre-analysis.ts';

// Explore's computations off the main thread; each call receives the movies it works on.
const api = { analyzeGenres, groupSummary, groupsFromTree, samplingPreview };

expose(api);
export type ExploreApi = typeof api;
