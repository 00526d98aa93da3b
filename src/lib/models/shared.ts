/** Everything of models/ that does not depend on where libsvm's files come from. */
export * from './types.ts';
export * from './registry.ts';
export { OneVsRestSvm, SVM_DEFAULTS, resolveGamma, type SvmJson, type SvmOptions } from './svm.ts';
export { ForestModel, type ForestJson } from './ovr-forest.ts';
export { Mlp, MLP_DEFAULTS, type MlpJson, type MlpOptions } from './mlp.ts';
export {
  OneVsRestLogistic,
  LOGISTIC_DEFAULTS,
  type LogisticJson,
  type LogisticOptions,
} from './logistic.ts';
export {
  ClassifierChain,
  CHAIN_DEFAULTS,
  type ChainJson,
  type ChainOptions,
  type ChainOrder,
} from './chain.ts';
export {
  TunedThresholds,
  THRESHOLD_DEFAULTS,
  bestThreshold,
  tuneThresholds,
  type ThresholdObjective,
  type ThresholdOptions,
  type TunedJson,
} from './thresholds.ts';
