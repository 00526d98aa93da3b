/** What a run detail shows of the test split's ranking and calibration metrics: figures, per-label rows, chart series. Pure. */
import type { ExperimentResult } from '../../experiments/index.ts';
import { eceOfBins, type RankingMetrics } from '../../metrics/index.ts';
import {
  prSeries,
  reliabilitySeries,
  rocSeries,
  type UnitChartKind,
  type UnitSeries,
} from '../charts/score-curves.ts';

/** A run's test section (ranking and curves are optional: older runs have neither). */
type TestSection = ExperimentResult['test'];

const f3 = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(3));

/** The headline figures, in reading order, with a tooltip saying what each one is. */
export function rankingFigures(
  m: RankingMetrics,
): { label: string; value: string; title: string }[] {
  return [
    { label: 'ROC AUC micro', value: f3(m.rocAuc.micro), title: 'All (movie, group) cells pooled' },
    {
      label: 'ROC AUC macro',
      value: f3(m.rocAuc.macro),
      title: 'Mean over groups (a group with one class only is left out)',
    },
    {
      label: 'AP micro',
      value: f3(m.averagePrecision.micro),
      title: 'Average precision, all cells pooled',
    },
    {
      label: 'AP macro',
      value: f3(m.averagePrecision.macro),
      title: 'Average precision, mean over groups',
    },
    {
      label: 'Log loss',
      value: f3(m.logLoss),
      title: 'Mean binary cross-entropy; lower is better',
    },
    { label: 'Brier score', value: f3(m.brier), title: 'Mean squared error of the probabilities' },
    {
      label: 'ECE',
      value: f3(m.ece),
      title: 'Expected calibration error, 10 equal-width bins; lower is better',
    },
    {
      label: 'LRAP',
      value: f3(m.lrap),
      title: 'Label-ranking average precision: are a movie’s true groups ranked first?',
    },
    {
      label: 'Coverage error',
      value: m.coverageError.toFixed(2),
      title:
        'How far down each movie’s ranking all its true groups are covered (best: their count)',
    },
    {
      label: 'Ranking loss',
      value: f3(m.labelRankingLoss),
      title: 'Share of (true, false) group pairs ranked the wrong way round',
    },
  ];
}

/** One row of the per-label ranking table. */
export interface RankingRow {
  name: string;
  auc: string;
  ap: string;
  logLoss: string;
  brier: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** The per-label ranking table of a run (empty for a run without ranking metrics). */
export function rankingRows(test: TestSection): RankingRow[] {
  const m = test.ranking;
  if (!m) return [];
  return test.perLabel.map((l, i) => ({
    name: l.name,
    auc: f3(m.rocAuc.perLabel[i] ?? null),
    ap: f3(m.averagePrecision.perLabel[i] ?? null),
    logLoss: f3(m.perLabelLogLoss[i] ?? null),
    brier: f3(m.perLabelBrier[i] ?? null),
    tp: m.confusion[i]?.tp ?? 0,
    fp: m.confusion[i]?.fp ?? 0,
    fn: m.confusion[i]?.fn ?? 0,
    tn: m.confusion[i]?.tn ?? 0,
  }));
}

/** Why a run has no ranking section, or null when it has one. */
export function missingRankingText(test: TestSection): string | null {
  if (test.ranking && test.curves) return null;
  if (test.rankingNote) return `No ranking metrics for this run: ${test.rankingNote}.`;
  return 'This run was saved before ranking and calibration metrics were recorded; run it again to see them.';
}

/** The three charts' series and headline figures (per label, then pooled), for a run with curves. */
export function curveCharts(
  test: TestSection,
): { kind: UnitChartKind; title: string; series: UnitSeries[]; figures: (number | null)[] }[] {
  const m = test.ranking;
  const c = test.curves;
  if (!m || !c) return [];
  const names = test.perLabel.map((l) => l.name);
  return [
    {
      kind: 'roc',
      title: 'ROC curves',
      series: rocSeries(names, c.roc, c.microRoc, m.confusion),
      figures: [...m.rocAuc.perLabel, m.rocAuc.micro],
    },
    {
      kind: 'pr',
      title: 'Precision–recall curves',
      series: prSeries(names, c.pr, c.microPr, m.confusion),
      figures: [...m.averagePrecision.perLabel, m.averagePrecision.micro],
    },
    {
      kind: 'reliability',
      title: 'Reliability diagram',
      series: reliabilitySeries(names, c.reliability, c.perLabelReliability),
      figures: [...c.perLabelReliability.map(eceOfBins), m.ece],
    },
  ];
}
