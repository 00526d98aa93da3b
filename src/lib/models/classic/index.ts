export * from './matrix.ts';
export type { Tree, TreeJson } from './tree.ts';
export type { TreeProgress, TrainControl } from './training.ts';
export {
  DEFAULT_OPTIONS,
  RandomForestClassifier,
  resolveMaxFeatures,
  type ForestFit,
  type Importances,
  type RandomForestJson,
  type RandomForestOptions,
} from './forest.ts';
export {
  OneVsRestForest,
  topFeatures,
  type OneVsRestForestJson,
  type RankedFeature,
} from './one-vs-rest.ts';
export {
  keywordDatasetFromTmdb5000,
  type KeywordDataset,
  type KeywordDatasetOptions,
} from './keywords.ts';
export {
  runDenseForestBench,
  runKeywordForestBench,
  type KeywordForestBenchOptions,
  type KeywordForestBenchResult,
} from './forest-bench.ts';
export { makeSynthetic, sliceRows, type SyntheticSpec } from './synthetic.ts';
