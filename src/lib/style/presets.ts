/**
 * Layer presets and loss weights for Gatys-style transfer.
 *
 * Ref for the weights: Keras `examples/neural_style_transfer.py` (Keras 2.0 era, the script the
 * paper adapted) sets `total_variation_weight = 1.`, `style_weight = 1.`, `content_weight = 0.025`,
 * adds `style_weight / len(feature_layers)` per style layer, and runs `fmin_l_bfgs_b(maxfun=20)`
 * ten times. That script's own layers differ from the paper's: content `block4_conv2` (later
 * versions `block5_conv2`), style `block1_conv1` … `block5_conv1`. The paper's layer set
 * (content `block2_conv2`; style `blockN_conv2`/`conv3`, the last conv of each block) is the one
 * Johnson et al. 2016 used for perceptual losses and that widely copied Keras notebooks adopted
 * with the same loss code (some of them with style weight 5.0 instead of 1.0).
 */

/** Multipliers of the three loss terms; style is split evenly over the style layers. */
export interface LossWeights {
  content: number;
  style: number;
  tv: number;
}

export type VggArch = 'vgg16' | 'vgg19';

export interface StylePreset {
  id: string;
  label: string;
  arch: VggArch;
  contentLayer: string;
  styleLayers: readonly string[];
  weights: LossWeights;
  /** 'keras': Σ(S−C)²/(4·3²·(image h·w)²) for every layer, as the Keras example; 'layer': the layer's own N and M (Gatys eq. 4). */
  styleNorm: 'keras' | 'layer';
}

/** The Keras example's weights. */
export const KERAS_WEIGHTS: LossWeights = { content: 0.025, style: 1.0, tv: 1.0 };

/** The paper's configuration on VGG16 (needs the full VGG16 weights, which users load themselves). */
export const PAPER_VGG16: StylePreset = {
  id: 'paper-vgg16',
  label: 'Paper (VGG16)',
  arch: 'vgg16',
  contentLayer: 'block2_conv2',
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3', 'block4_conv3', 'block5_conv3'],
  weights: KERAS_WEIGHTS,
  styleNorm: 'keras',
};

/**
 * VGG19 cut after block 3 (the weights shipped in shared/models). Style layers are the first
 * conv of each block, Gatys et al.'s own choice (conv1_1 … conv5_1 on VGG19) truncated to the three
 * blocks that exist; content stays on block2_conv2, the paper's content layer, which VGG19 has
 * under the same name. block3_conv1 (not conv4) keeps style statistics as shallow as Gatys' and
 * the net cheap: nothing past block3_conv1 has to be run.
 */
export const VGG19_BLOCK3: StylePreset = {
  id: 'vgg19-block3',
  label: 'VGG19 blocks 1–3',
  arch: 'vgg19',
  contentLayer: 'block2_conv2',
  styleLayers: ['block1_conv1', 'block2_conv1', 'block3_conv1'],
  weights: KERAS_WEIGHTS,
  styleNorm: 'keras',
};

/** All presets by id, for the UI's picker. */
export const STYLE_PRESETS: Readonly<Record<string, StylePreset>> = {
  [PAPER_VGG16.id]: PAPER_VGG16,
  [VGG19_BLOCK3.id]: VGG19_BLOCK3,
};

/** Layers a preset reads, content first, without duplicates. */
export function presetLayers(preset: StylePreset): string[] {
  return [...new Set([preset.contentLayer, ...preset.styleLayers])];
}
