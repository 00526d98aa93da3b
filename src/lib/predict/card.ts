/**
 * The model card that travels with every predictor (shipped, saved, exported, imported): what
 * it predicts (labels and their genre groups), what it eats (backbone, preprocessing), how well
 * it did on data it never trained on, and which weight files it needs. Validation turns a card
 * into a list of plain-language problems; an empty list means the card may be used.
 */
import type { GenreGroup } from '../features/groups.ts';
import type { RankingMetrics, ReliabilityBin, ScalarMetrics } from '../metrics/index.ts';
import type { PipelineSpec } from '../vision/pipeline.ts';
import type { CalibrationKind, Calibrator } from './calibration.ts';
import type { DecisionRule } from './decision-rule.ts';

/** Held-out metrics as in the Compare table (fractions in [0, 1]). */
export interface CardMetrics extends ScalarMetrics {
  rows: number;
  /** Mean predicted and true groups per poster (cards written since the decision rule is chosen by CV). */
  predictedPerPoster?: number;
  truePerPoster?: number;
}

/** One decision-rule candidate's cross-validated figures (see predict/decision-rule.ts). */
export interface CardRuleScore {
  name: string;
  samplesF1: number;
  microF1: number;
  criterion: number;
  predictedPerPoster: number;
  truePerPoster: number;
}

/** How a poster card turns head probabilities into decisions: calibrate per label, then the rule. */
export interface CardDecision {
  calibration: CalibrationKind;
  calibrators: Calibrator[];
  rule: DecisionRule;
  /** The chosen candidate in words, e.g. "global (at least 1), isotonic". */
  name: string;
  /** The selection criterion and protocol in words. */
  selectedBy: string;
  /** Every candidate's cross-validated figures. */
  cv: CardRuleScore[];
}

export const CARD_FORMAT = 'marquee-model-card';
export const CARD_VERSION = 1;

export interface ModelCard {
  format: typeof CARD_FORMAT;
  version: typeof CARD_VERSION;
  name: string;
  /** 'poster' heads sit on a backbone's features; 'metadata' models take the metadata features. */
  kind: 'poster' | 'metadata';
  createdAt: string;
  labels: string[];
  groups: GenreGroup[];
  /**
   * Per-label decision thresholds (chosen on training data, never the test split). With a
   * `decision`, they are cuts on calibrated probabilities for display (1 for ranked rules).
   */
  thresholds: number[];
  /** Calibration and decision rule; absent on older cards (plain thresholds on raw probabilities). */
  decision?: CardDecision;
  backbone: { name: string; featureDims: number; officialUrl: string } | null;
  /** Backbones whose pooled features follow the first one's, concatenated (in this order). */
  extraBackbones?: { name: string; featureDims: number; officialUrl: string }[];
  /** The first backbone's features are averaged with those of the left–right mirrored poster. */
  flipAveraging?: boolean;
  preprocessing: PipelineSpec & { resize: string; decoder: string };
  head: { architecture: string; selectedBy: string; quantization: 'float16' | 'float32' };
  data: {
    source: string;
    rows: number;
    train: number;
    validation: number;
    test: number;
    split: string;
  };
  metrics: {
    test: CardMetrics;
    baseline?: CardMetrics & { model: string };
    validation?: CardMetrics;
    /** Ranking and calibration metrics of the calibrated held-out probabilities. */
    ranking?: RankingMetrics;
    /** Reliability diagram points of the held-out probabilities, before and after calibration. */
    reliability?: { uncalibrated: ReliabilityBin[]; calibrated: ReliabilityBin[] };
  };
  /** A stated subset of the test split re-evaluated by the repository's test, with its metrics. */
  check?: { ids: string[]; metrics: CardMetrics; firstProbabilities: number[] };
  /** The training spec (free-form, for the record). */
  spec: Record<string, unknown>;
  /** Weight files named by model.json (checked on import). */
  files: string[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

function metricProblems(m: unknown, where: string): string[] {
  if (typeof m !== 'object' || m === null) return [`${where}: missing`];
  const r = m as Record<string, unknown>;
  return ['hammingLoss', 'exactMatch', 'atLeastOne', 'microF1', 'macroF1']
    .filter((k) => !isNum(r[k]) || (r[k] as number) < 0 || (r[k] as number) > 1)
    .map((k) => `${where}.${k}: expected a number in [0, 1]`);
}

/** Problems with a parsed card.json (empty when it is well formed). */
export function cardProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return ['card: not a JSON object'];
  const c = raw as Record<string, unknown>;
  const p: string[] = [];
  if (c.format !== CARD_FORMAT) p.push(`format: expected "${CARD_FORMAT}"`);
  if (c.version !== CARD_VERSION)
    p.push(`version: expected ${CARD_VERSION}, got ${String(c.version)}`);
  if (typeof c.name !== 'string' || !c.name) p.push('name: missing');
  if (c.kind !== 'poster' && c.kind !== 'metadata') p.push('kind: expected "poster" or "metadata"');
  if (!isStrArray(c.labels) || c.labels.length === 0)
    p.push('labels: expected a list of label names');
  if (!Array.isArray(c.groups) || c.groups.length !== (c.labels as unknown[] | undefined)?.length)
    p.push('groups: expected one genre group per label');
  const thresholds = c.thresholds;
  if (
    !Array.isArray(thresholds) ||
    thresholds.length !== (c.labels as unknown[] | undefined)?.length ||
    !thresholds.every((t) => isNum(t) && t >= 0 && t <= 1)
  )
    p.push('thresholds: expected one threshold in [0, 1] per label');
  if (c.kind === 'poster') {
    const b = c.backbone as Record<string, unknown> | null | undefined;
    if (!b || typeof b.name !== 'string' || !isNum(b.featureDims))
      p.push('backbone: a poster model names its backbone and feature size');
  }
  const pre = c.preprocessing as Record<string, unknown> | undefined;
  if (!pre || !isNum(pre.height) || !isNum(pre.width))
    p.push('preprocessing: expected height and width');
  const metrics = c.metrics as Record<string, unknown> | undefined;
  p.push(...metricProblems(metrics?.test, 'metrics.test'));
  if (!isStrArray(c.files)) p.push('files: expected the list of weight files');
  return p;
}

/** What the app can run: the label set and, for poster models, the backbones it knows. */
export interface Compatibility {
  labels: readonly string[];
  backbones: readonly string[];
}

/** Problems that make a well-formed card unusable here (other labels, another backbone). */
export function compatibilityProblems(card: ModelCard, want: Compatibility): string[] {
  const p: string[] = [];
  const same =
    card.labels.length === want.labels.length && card.labels.every((l, i) => l === want.labels[i]);
  if (!same)
    p.push(
      `labels differ: the model predicts [${card.labels.join(', ')}], the studio uses [${want.labels.join(', ')}]`,
    );
  if (card.kind === 'poster' && card.backbone && !want.backbones.includes(card.backbone.name))
    p.push(`backbone ${card.backbone.name} is not available (known: ${want.backbones.join(', ')})`);
  return p;
}

/** Problems between a card and its tfjs model.json plus the files at hand (missing shards, size mismatch). */
export function artifactProblems(
  card: ModelCard,
  modelJson: unknown,
  files: ReadonlyMap<string, number>,
): string[] {
  const m = modelJson as {
    modelTopology?: unknown;
    weightsManifest?: { paths?: unknown; weights?: unknown }[];
  } | null;
  if (typeof m !== 'object' || m === null || !m.modelTopology || !Array.isArray(m.weightsManifest))
    return ['model.json: not a tfjs layers model (no modelTopology or weightsManifest)'];
  const p: string[] = [];
  const paths = m.weightsManifest.flatMap((g) => (isStrArray(g.paths) ? g.paths : []));
  for (const path of paths) if (!files.has(path)) p.push(`missing weight shard ${path}`);
  let expected = 0;
  for (const g of m.weightsManifest)
    for (const w of (g.weights ?? []) as {
      shape: number[];
      dtype?: string;
      quantization?: { dtype: string };
    }[]) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization?.dtype;
      expected += n * (q === 'float16' || q === 'uint16' ? 2 : q === 'uint8' ? 1 : 4);
    }
  const got = paths.reduce((s, path) => s + (files.get(path) ?? 0), 0);
  if (p.length === 0 && got !== expected)
    p.push(`weight shards hold ${got} bytes, model.json describes ${expected}`);
  const outUnits = lastUnits(m.modelTopology);
  if (outUnits !== null && outUnits !== card.labels.length)
    p.push(`the model has ${outUnits} outputs but the card lists ${card.labels.length} labels`);
  return p;
}

function lastUnits(topology: unknown): number | null {
  const layers = (
    topology as { model_config?: { config?: { layers?: { config?: { units?: unknown } }[] } } }
  )?.model_config?.config?.layers;
  const u = layers?.at(-1)?.config?.units;
  return isNum(u) ? u : null;
}
