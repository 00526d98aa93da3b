/**
 * The Train panel's posters form as plain data, its mapping to a posters spec on the library
 * (`data: { library: true }`; its check and trainable count live in
 * experiments/library-poster-spec.ts), and the paper's Table 2 presets. Params are text like the metadata form: one value sets a param,
 * comma-separated values make a grid (compared on a validation part of the training split).
 */
import type { AnyPosterSpec } from '../../experiments/poster-spec.ts';
import type { GenreGroup } from '../../features/groups.ts';
import { POSTER_KINDS } from '../../models/poster/kinds.ts';
import { MODEL_KINDS } from '../../models/registry.ts';
import { formatValue, labelsFromForm, paramsAndGrid, parseValue } from './spec-form.ts';
import {
  checkPosterSpec,
  countTrainable,
  type LibraryPosterSpec,
} from '../../experiments/library-poster-spec.ts';

export { checkPosterSpec, countTrainable, type LibraryPosterSpec };

export type PosterKind = (typeof POSTER_KINDS)[number];

export interface PosterForm {
  name: string;
  groups: 'paper7' | 'explore';
  kind: PosterKind;
  /** Text per param name; empty = the kind's default. */
  params: Record<string, string>;
  /** Use only the first n labelled posters ('' = all of them). */
  limit: string;
  testFraction: number;
  seed: number;
  /** Share of the training split the grid points are compared on. */
  validationFraction: number;
}

/** The CNN's augmentation params and the amount each gets when switched on (mild: text stays readable). */
export const AUGMENTATIONS: readonly { param: string; label: string; on: string }[] = [
  { param: 'augFlip', label: 'horizontal flip', on: 'true' },
  { param: 'augShift', label: 'shift', on: '0.1' },
  { param: 'augZoom', label: 'zoom', on: '0.1' },
  { param: 'augRotationDeg', label: 'rotation (degrees)', on: '5' },
  { param: 'augColor', label: 'colour jitter', on: '0.1' },
];

/** True when a param's text switches an augmentation on (a non-zero amount or true). */
export function augmentationOn(text: string | undefined): boolean {
  const t = (text ?? '').trim();
  return t !== '' && t !== 'false' && Number(t) !== 0;
}

/** A CNN form with the paper's initial preset on the 7 groups. */
export function defaultPosterForm(kind: PosterKind = 'cnn'): PosterForm {
  return {
    name: '',
    groups: 'paper7',
    kind,
    params: {},
    limit: '',
    testFraction: 0.2,
    seed: 42,
    validationFraction: 0.2,
  };
}

/** The spec a form describes (not validated: see posterSpecFromForm). */
export function buildPosterSpec(form: PosterForm, exploreGroups?: readonly GenreGroup[]): unknown {
  const { params, grid } = paramsAndGrid(form.kind, form.params);
  const limit = form.limit.trim();
  const hasGrid = Object.keys(grid).length > 0;
  return {
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    data: { library: true },
    labels: labelsFromForm(form.groups, exploreGroups),
    model: {
      kind: form.kind,
      ...(Object.keys(params).length ? { params } : {}),
      ...(hasGrid ? { grid } : {}),
    },
    ...(hasGrid ? { validation: { fraction: form.validationFraction } } : {}),
    split: { testFraction: form.testFraction, seed: form.seed },
    ...(limit === '' ? {} : { limit: Number.isFinite(Number(limit)) ? Number(limit) : limit }),
  };
}

/** The validated spec of a form, or its problems. */
export function posterSpecFromForm(form: PosterForm, exploreGroups?: readonly GenreGroup[]) {
  return checkPosterSpec(buildPosterSpec(form, exploreGroups));
}

/** A form showing a spec (presets, JSON edited by hand). */
export function posterFormFromSpec(spec: AnyPosterSpec): PosterForm {
  const kind = (POSTER_KINDS as readonly string[]).includes(spec.model.kind)
    ? (spec.model.kind as PosterKind)
    : 'cnn';
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.model.params ?? {})) params[k] = formatValue(v);
  for (const [k, vs] of Object.entries(spec.model.grid ?? {}))
    params[k] = vs.map(formatValue).join(', ');
  return {
    ...defaultPosterForm(kind),
    name: spec.name ?? '',
    groups: spec.labels.groups === 'paper7' ? 'paper7' : 'explore',
    params,
    limit: spec.limit === undefined ? '' : String(spec.limit),
    testFraction: spec.split.testFraction,
    seed: spec.split.seed,
    validationFraction: spec.validation?.fraction ?? 0.2,
  };
}

/** Number of grid points a posters spec asks for. */
export function posterGridSize(spec: Pick<AnyPosterSpec, 'model'>): number {
  return Object.values(spec.model.grid ?? {}).reduce((n, vs) => n * vs.length, 1);
}

/** "32 grid points, each trained on 80 % of the training split, then a refit" (or one fit). */
export function describeFits(spec: Pick<AnyPosterSpec, 'model' | 'validation'>): string {
  const n = posterGridSize(spec);
  if (n === 1) return '1 fit on the training split';
  const pct = Math.round(100 * (1 - (spec.validation?.fraction ?? 0.2)));
  return `${n} grid points, each trained on ${pct} % of the training split, then a refit`;
}

const spec = (name: string, model: AnyPosterSpec['model'], grid = false): LibraryPosterSpec => ({
  name,
  data: { library: true },
  labels: { groups: 'paper7' },
  model,
  ...(grid ? { validation: { fraction: 0.2 } } : {}),
  split: { testFraction: 0.2, seed: 42 },
});

const TRAINING = { batchSize: 16, epochs: 20, optimizer: 'adam' } as const;

/** The paper's Table 2 models (and the studio's MobileNet variant), one click away. */
export const POSTER_PRESETS: readonly {
  id: string;
  label: string;
  spec: LibraryPosterSpec;
  note?: string;
}[] = [
  {
    id: 'cnn-initial',
    label: 'Paper initial CNN',
    spec: spec('CNN, initial', { kind: 'cnn', params: { preset: 'initial', ...TRAINING } }),
  },
  {
    id: 'cnn-tuned',
    label: 'Paper tuned CNN',
    spec: spec('CNN, tuned', { kind: 'cnn', params: { preset: 'tuned', ...TRAINING } }),
  },
  {
    id: 'cnn-grid',
    label: 'Paper grid search',
    spec: spec(
      'CNN, grid search',
      {
        kind: 'cnn',
        params: { preset: 'initial' },
        grid: {
          batchSize: [16, 32],
          epochs: [20, 50],
          optimizer: ['adam', 'rmsprop'],
          loss: ['binary', 'categorical'],
          filters: [64, 128],
        },
      },
      true,
    ),
  },
  {
    id: 'cnn-augment',
    label: 'Tuned CNN + augmentation',
    spec: spec('CNN, tuned + augmentation', {
      kind: 'cnn',
      params: {
        preset: 'tuned',
        ...TRAINING,
        ...Object.fromEntries(
          AUGMENTATIONS.map((a) => [a.param, parseValue(a.on, MODEL_KINDS.cnn?.params[a.param])]),
        ),
      },
    }),
  },
  {
    id: 'pca-svm',
    label: 'PCA + SVM (paper baseline)',
    spec: spec('PCA 90 % + SVM', {
      kind: 'pca-svm',
      params: { variance: 0.9, classifier: 'svm', C: 1 },
    }),
  },
  {
    id: 'pca-forest',
    label: 'PCA + forest',
    spec: spec('PCA 90 % + forest', {
      kind: 'pca-svm',
      params: { variance: 0.9, classifier: 'forest' },
    }),
  },
  {
    id: 'mobilenet',
    label: 'MobileNetV2-0.35 + MLP head',
    spec: spec('MobileNetV2-0.35 features + MLP', {
      kind: 'transfer',
      params: { backbone: 'mobilenetv2-0.35', units: 256 },
    }),
  },
  {
    id: 'vgg16',
    label: 'VGG16 + MLP head',
    spec: spec('VGG16 features + MLP', {
      kind: 'transfer',
      params: { backbone: 'vgg16', units: 256 },
    }),
    note: 'VGG16 ImageNet weights are not shipped with the studio: supply vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 in Settings first.',
  },
  {
    id: 'vgg16-fine-tune',
    label: 'VGG16 + head, last block fine-tuned',
    // The paper's proposed second stage: the head trained as above, then block5 unfrozen at a low rate.
    spec: spec('VGG16 fine-tuned (last block)', {
      kind: 'transfer',
      params: { backbone: 'vgg16', units: 256, fineTuneEpochs: 5 },
    }),
    note: 'VGG16 ImageNet weights are not shipped with the studio: supply vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 in Settings first.',
  },
];
