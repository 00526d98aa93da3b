/**
 * The model registry: each kind maps to how it is created, which hyper-parameters it takes (for
 * spec validation and the UI's forms) and how its JSON is loaded. Wrappers (classifier chain,
 * tuned thresholds) compose over any kind. No switch chains: add a kind by adding an entry.
 */
import { ClassifierChain, type ChainJson, type ChainOptions } from './chain.ts';
import { OneVsRestLogistic, type LogisticJson, LOGISTIC_DEFAULTS } from './logistic.ts';
import { Mlp, MLP_DEFAULTS, type MlpJson } from './mlp.ts';
import { ForestModel, type ForestJson } from './ovr-forest.ts';
import { DEFAULT_OPTIONS as FOREST_DEFAULTS } from './classic/forest.ts';
import { OneVsRestSvm, SVM_DEFAULTS, type SvmJson } from './svm.ts';
import { TunedThresholds, type ThresholdOptions, type TunedJson } from './thresholds.ts';
import type { ModelJson, MultiLabelModel } from './types.ts';

/** A hyper-parameter value as it appears in a spec. */
export type ParamValue = number | string | boolean | null | number[];
export type ModelParams = Record<string, ParamValue>;

/** What values a hyper-parameter accepts (any of the listed forms). */
export interface ParamSpec {
  doc: string;
  number?: { min?: number; max?: number; integer?: boolean; above?: number };
  values?: readonly string[];
  boolean?: true;
  nullable?: true;
  /** A non-empty list of positive integers (layer sizes). */
  sizes?: true;
}

/** A model kind of the registry. */
export interface ModelKind {
  label: string;
  params: Record<string, ParamSpec>;
  defaults: ModelParams;
  create(params: ModelParams): MultiLabelModel;
}

const int = (min: number) => ({ number: { min, integer: true } });
const positive = { number: { above: 0 } };
const seed = { doc: 'random seed', ...int(0) };

// Param objects are checked against `params` by spec validation before create() sees them.
export const MODEL_KINDS: Record<string, ModelKind> = {
  svm: {
    label: 'RBF SVM (one-vs-rest, LIBSVM)',
    params: {
      C: { doc: 'penalty C', ...positive },
      gamma: {
        doc: "RBF gamma: 'scale', 'auto' or a number",
        ...positive,
        values: ['scale', 'auto'],
      },
      tolerance: { doc: 'stopping tolerance', ...positive },
    },
    defaults: { ...SVM_DEFAULTS },
    create: (p) => new OneVsRestSvm(p as never),
  },
  forest: {
    label: 'Random forest (one-vs-rest)',
    params: {
      nEstimators: { doc: 'trees per label', ...int(1) },
      maxFeatures: {
        doc: "features per split: 'sqrt', 'log2', a count, a fraction or null",
        ...positive,
        values: ['sqrt', 'log2'],
        nullable: true,
      },
      maxDepth: { doc: 'maximum depth, null for none', ...int(1), nullable: true },
      minSamplesSplit: { doc: 'minimum rows to split', ...int(2) },
      minSamplesLeaf: { doc: 'minimum rows per leaf', ...int(1) },
      bootstrap: { doc: 'bootstrap rows per tree', boolean: true },
      seed,
    },
    defaults: { ...FOREST_DEFAULTS },
    create: (p) => new ForestModel(p as never),
  },
  mlp: {
    label: 'Multi-layer perceptron (tfjs)',
    params: {
      hidden: { doc: 'hidden layer sizes', sizes: true },
      learningRate: { doc: 'Adam learning rate', ...positive },
      epochs: { doc: 'maximum epochs', ...int(1) },
      batchSize: { doc: 'batch size', ...int(1) },
      validationFraction: {
        doc: 'share of training rows for early stopping',
        number: { min: 0, max: 0.5 },
      },
      patience: { doc: 'early-stopping patience in epochs', ...int(1) },
      l2: { doc: 'L2 penalty on weights', number: { min: 0 } },
      seed,
    },
    defaults: { ...MLP_DEFAULTS, hidden: [...MLP_DEFAULTS.hidden] },
    create: (p) => new Mlp(p as never),
  },
  logistic: {
    label: 'Logistic regression (one-vs-rest, L2)',
    params: {
      C: { doc: 'inverse regularisation strength', ...positive },
      maxIter: { doc: 'solver iterations per label', ...int(1) },
      tolerance: { doc: 'gradient tolerance', ...positive },
      solver: {
        doc: "'newton' (dense, few columns), 'lbfgs' (wide or sparse) or 'auto' (newton up to 100 columns)",
        values: ['auto', 'newton', 'lbfgs'],
      },
    },
    defaults: { ...LOGISTIC_DEFAULTS },
    create: (p) => new OneVsRestLogistic(p as never),
  },
};

/** Adds a kind (tests register instrumented models this way). */
export function registerModelKind(kind: string, def: ModelKind): void {
  MODEL_KINDS[kind] = def;
}

/** A problem with a param value, or null when it is acceptable. */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  if (value === null && spec.nullable) return null;
  if (typeof value === 'string' && spec.values?.includes(value)) return null;
  if (typeof value === 'boolean' && spec.boolean) return null;
  if (Array.isArray(value) && spec.sizes)
    return value.length > 0 && value.every((v) => Number.isInteger(v) && v > 0)
      ? null
      : 'must be a non-empty list of positive integers';
  const n = spec.number;
  if (typeof value === 'number' && n && Number.isFinite(value)) {
    if (n.integer && !Number.isInteger(value)) return 'must be an integer';
    if (n.min !== undefined && value < n.min) return `must be >= ${n.min}`;
    if (n.max !== undefined && value > n.max) return `must be <= ${n.max}`;
    if (n.above !== undefined && value <= n.above) return `must be > ${n.above}`;
    return null;
  }
  const forms = [
    n ? 'a number' : '',
    spec.values ? spec.values.map((v) => `'${v}'`).join(' or ') : '',
    spec.boolean ? 'true or false' : '',
    spec.nullable ? 'null' : '',
    spec.sizes ? 'a list of positive integers' : '',
  ].filter(Boolean);
  return `must be ${forms.join(' or ')}`;
}

/** How a model is built: a kind, its params, and optional wrappers. */
export interface ModelRecipe {
  kind: string;
  params?: ModelParams;
  chain?: Partial<ChainOptions>;
  thresholds?: Partial<ThresholdOptions>;
}

/** A fresh untrained model for a recipe: base kind, then chain, then threshold tuning around it. */
export function createModel(recipe: ModelRecipe): MultiLabelModel {
  const kind = MODEL_KINDS[recipe.kind];
  if (!kind)
    throw new RangeError(
      `unknown model kind '${recipe.kind}' (known: ${Object.keys(MODEL_KINDS).join(', ')})`,
    );
  const params = { ...kind.defaults, ...recipe.params };
  const base = () => kind.create(params);
  const chained = recipe.chain ? () => new ClassifierChain(base, recipe.chain) : base;
  return recipe.thresholds ? new TunedThresholds(chained, recipe.thresholds) : chained();
}

const LOADERS: Record<string, (json: ModelJson) => MultiLabelModel> = {
  OneVsRestSvm: (j) => OneVsRestSvm.load(j as unknown as SvmJson),
  Forest: (j) => ForestModel.load(j as unknown as ForestJson),
  Mlp: (j) => Mlp.load(j as unknown as MlpJson),
  OneVsRestLogistic: (j) => OneVsRestLogistic.load(j as unknown as LogisticJson),
  ClassifierChain: (j) => ClassifierChain.load(j as unknown as ChainJson, loadModel),
  TunedThresholds: (j) => TunedThresholds.load(j as unknown as TunedJson, loadModel),
};

/** Rebuilds any model from its toJSON output; throws RangeError on an unknown name tag. */
export function loadModel(json: ModelJson): MultiLabelModel {
  const load = typeof json?.name === 'string' ? LOADERS[json.name] : undefined;
  if (!load) throw new RangeError(`invalid model: unknown name ${String(json?.name)}`);
  return load(json);
}

/** Adds a loader for a model name (for kinds added with registerModelKind). */
export function registerModelLoader(
  name: string,
  load: (json: ModelJson) => MultiLabelModel,
): void {
  LOADERS[name] = load;
}
