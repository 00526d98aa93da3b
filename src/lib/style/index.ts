/** Public API of the style-transfer numeric core: optimisers, losses, presets, VGG and the objective. */
export {
  LBFGS_DEFAULTS,
  minimizeLbfgs,
  runSchedule,
  type IterationInfo,
  type LbfgsOptions,
  type LbfgsResult,
  type ScheduleOptions,
  type ScheduleResult,
  type StopReason,
} from './lbfgs.ts';
export { WOLFE_C1, WOLFE_C2 } from './line-search.ts';
export { ADAM_DEFAULTS, minimizeAdam, type AdamOptions, type AdamResult } from './adam.ts';
export type { Bounds, Evaluation, Objective, Vector } from './opt-common.ts';
export {
  VGG_MEAN_BGR,
  contentLoss,
  deprocessVgg,
  gramMatrix,
  kerasStyleNorm,
  preprocessVgg,
  styleLoss,
  totalVariationLoss,
  vggPixelBounds,
  type StyleNorm,
} from './losses.ts';
export {
  KERAS_WEIGHTS,
  PAPER_VGG16,
  STYLE_PRESETS,
  VGG19_BLOCK3,
  presetLayers,
  type LossWeights,
  type StylePreset,
  type VggArch,
} from './presets.ts';
export {
  buildVgg,
  decodeLayersWeights,
  setVggWeights,
  vggFeatures,
  vggLayerNames,
  type LayersModelJson,
} from './vgg.ts';
export {
  imageBounds,
  styleObjective,
  type LossTerms,
  type StyleObjective,
} from './style-objective.ts';
