/** What the detail of a poster run shows besides the charts: facts line, example marks, variance target. Pure. */
import type { PosterExperimentResult } from '../../experiments/poster-runner.ts';

/** How a genre of a test example fared: found (in truth and predicted), missed (truth only), wrong (predicted only). */
export type ExampleMark = 'correct' | 'missed' | 'wrong';

/** The marks of one example's true and predicted groups. */
export interface MarkedExample {
  truth: { name: string; mark: 'correct' | 'missed' }[];
  predicted: { name: string; mark: 'correct' | 'wrong' }[];
  correct: number;
  missed: number;
  wrong: number;
  /** Every true group predicted and nothing else (exact match). */
  exact: boolean;
}

/** Marks each true group found or missed and each predicted group correct or wrong. */
export function markExample(truth: readonly string[], predicted: readonly string[]): MarkedExample {
  const t = new Set(truth);
  const p = new Set(predicted);
  const marked: MarkedExample = {
    truth: truth.map((name) => ({ name, mark: p.has(name) ? 'correct' : 'missed' })),
    predicted: predicted.map((name) => ({ name, mark: t.has(name) ? 'correct' : 'wrong' })),
    correct: 0,
    missed: 0,
    wrong: 0,
    exact: false,
  };
  marked.correct = marked.truth.filter((g) => g.mark === 'correct').length;
  marked.missed = truth.length - marked.correct;
  marked.wrong = marked.predicted.filter((g) => g.mark === 'wrong').length;
  marked.exact = marked.missed === 0 && marked.wrong === 0;
  return marked;
}

/** Totals over examples: groups found, missed, wrongly predicted, and exact matches. */
export function tallyExamples(
  examples: readonly { truth: readonly string[]; predicted: readonly string[] }[],
) {
  const marks = examples.map((e) => markExample(e.truth, e.predicted));
  return {
    examples: marks.length,
    exact: marks.filter((m) => m.exact).length,
    correct: marks.reduce((s, m) => s + m.correct, 0),
    missed: marks.reduce((s, m) => s + m.missed, 0),
    wrong: marks.reduce((s, m) => s + m.wrong, 0),
  };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The facts under a poster run's title: data sizes, inputs from the cache, backend and times. */
export function posterFacts(r: PosterExperimentResult): string[] {
  const d = r.dataset;
  const grid = r.cv.length > 1 ? `; ${r.cv.length} grid points compared on a validation part` : '';
  return [
    `${d.movies.toLocaleString()} posters (${d.dropped.toLocaleString()} movies without a genre of the groups left out)`,
    `${d.trainRows.toLocaleString()} train / ${d.testRows.toLocaleString()} test${grid}`,
    `input ${d.featureNames.join(', ')}; ${r.posters.fromCache.toLocaleString()} of ${d.movies.toLocaleString()} from the cache`,
    `backend ${r.backend}; final fit ${secs(r.timings.fitMs)}, total ${secs(r.timings.totalMs)}`,
  ];
}

/** The variance share the PCA baseline kept components up to (its `variance` parameter; the paper's 0.9 when absent). */
export function varianceTarget(r: PosterExperimentResult): number {
  const v = r.best.params.variance;
  return typeof v === 'number' && v > 0 && v <= 1 ? v : 0.9;
}
