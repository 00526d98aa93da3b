/**
 * Registers the poster model kinds with the model registry, and says what input each needs:
 * 'cnn' (images at the paper's 148×100), 'pca-svm' (grayscale 148×100 → PCA → SVM or forest),
 * 'transfer' (frozen backbone features → MLP head). Importing this module registers them.
 */
import {
  createModel,
  registerModelKind,
  registerModelLoader,
  loadModel,
  type ModelParams,
} from '../registry.ts';
import type { PipelineSpec } from '../../vision/pipeline.ts';
import { BACKBONES, type BackboneName } from './backbones.ts';
import { POSTER_KIND_NAMES } from './kind-names.ts';
import { CNN_DEFAULTS, PosterCnn, type CnnJson } from './cnn-model.ts';
import { PCA_MODEL_DEFAULTS, PcaClassifier, type PcaModelJson } from './pca-model.ts';
import { HEAD_DEFAULTS, TransferHead, type TransferHeadJson } from './transfer.ts';

const int = (min: number) => ({ number: { min, integer: true } });
const positive = { number: { above: 0 } };
const seed = { doc: 'random seed', ...int(0) };
const train = {
  epochs: { doc: 'maximum epochs', ...int(1) },
  batchSize: { doc: 'batch size', ...int(1) },
  optimizer: { doc: "'adam' or 'rmsprop'", values: ['adam', 'rmsprop'] },
  learningRate: { doc: 'learning rate', ...positive },
  validationFraction: {
    doc: 'share of training rows for early stopping',
    number: { min: 0, max: 0.5 },
  },
  patience: { doc: 'early-stopping patience in epochs (0 = off)', ...int(0) },
  seed,
};

/** What a poster kind reads: the pipeline, and a backbone whose features replace the pixels. */
export function posterInput(
  kind: string,
  params: ModelParams,
): { pipeline: PipelineSpec; backbone: BackboneName | null } {
  if (kind === 'cnn')
    return {
      pipeline: { height: 148, width: 100, color: 'rgb', normalization: 'unit' },
      backbone: null,
    };
  if (kind === 'pca-svm')
    return {
      pipeline: { height: 148, width: 100, color: 'gray', normalization: 'unit' },
      backbone: null,
    };
  if (kind === 'transfer') {
    const name = params.backbone as BackboneName;
    const def = BACKBONES[name];
    const size = def.input ?? { height: 148, width: 100 };
    return {
      pipeline: { ...size, color: 'rgb', normalization: def.normalization },
      backbone: name,
    };
  }
  throw new RangeError(`not a poster model kind: ${kind}`);
}

/** Stage 2 of 'transfer' (off unless fineTuneEpochs > 0); 1e-5 moves ImageNet features little. */
export const FINE_TUNE_DEFAULTS = { fineTuneEpochs: 0, fineTuneLearningRate: 1e-5 } as const;

/** The poster kinds (their names live in kind-names.ts so spec checks need no model code). */
export const POSTER_KINDS = POSTER_KIND_NAMES;

registerModelKind('cnn', {
  label: 'Poster CNN (paper presets)',
  params: {
    preset: { doc: "'initial' or 'tuned'", values: ['initial', 'tuned'] },
    filters: {
      doc: 'base filters f (convs f, f, 2f) or null for the preset',
      ...int(1),
      nullable: true,
    },
    loss: {
      doc: "'binary' or 'categorical' cross-entropy on sigmoid outputs",
      values: ['binary', 'categorical'],
    },
    augFlip: { doc: 'random horizontal flips', boolean: true },
    augShift: { doc: 'largest shift (fraction)', number: { min: 0, max: 0.5 } },
    augZoom: { doc: 'largest zoom (fraction)', number: { min: 0, max: 0.5 } },
    augRotationDeg: { doc: 'largest rotation (degrees)', number: { min: 0, max: 45 } },
    augColor: { doc: 'brightness/contrast jitter', number: { min: 0, max: 1 } },
    ...train,
  },
  defaults: { ...CNN_DEFAULTS },
  create: (p) => new PosterCnn(p as never),
});
registerModelLoader('PosterCnn', (j) => PosterCnn.load(j as unknown as CnnJson));

registerModelKind('pca-svm', {
  label: 'PCA on grayscale posters + SVM/forest (paper baseline)',
  params: {
    variance: {
      doc: 'share of variance the kept components explain',
      number: { above: 0, max: 1 },
    },
    maxComponents: { doc: 'components sketched by randomized PCA', ...int(1) },
    classifier: { doc: "'svm' or 'forest'", values: ['svm', 'forest'] },
    C: { doc: 'SVM penalty C', ...positive },
    seed,
  },
  defaults: { ...PCA_MODEL_DEFAULTS, classifier: 'svm', C: 1 },
  create: (p) =>
    new PcaClassifier(
      {
        variance: p.variance as number,
        maxComponents: p.maxComponents as number,
        seed: p.seed as number,
      },
      () =>
        p.classifier === 'forest'
          ? createModel({ kind: 'forest', params: { seed: p.seed as number } })
          : createModel({ kind: 'svm', params: { C: p.C as number } }),
    ),
});
registerModelLoader('PcaClassifier', (j) =>
  PcaClassifier.load(j as unknown as PcaModelJson, loadModel),
);

registerModelKind('transfer', {
  label: 'ImageNet backbone features + MLP head',
  params: {
    backbone: { doc: 'ImageNet backbone', values: Object.keys(BACKBONES) },
    units: { doc: 'units of each of the two head layers', ...int(1) },
    ...train,
    fineTuneEpochs: {
      doc: 'epochs fine-tuning the last conv block with the trained head on images (0 = off)',
      ...int(0),
    },
    fineTuneLearningRate: { doc: 'learning rate of the fine-tuning stage', ...positive },
  },
  defaults: { ...HEAD_DEFAULTS, backbone: 'mobilenetv2-0.35', ...FINE_TUNE_DEFAULTS },
  create: (p) => {
    // The head is stage 1 only; the runner does stage 2 (it has the images and the backbone).
    const { backbone: _b, fineTuneEpochs: _e, fineTuneLearningRate: _l, ...head } = p;
    return new TransferHead(head as never);
  },
});
registerModelLoader('TransferHead', (j) => TransferHead.load(j as unknown as TransferHeadJson));
