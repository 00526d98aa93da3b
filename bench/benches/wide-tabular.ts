import { loadavg } from 'node:os';
import type { Bench } from '../types.ts';
import { runWideTabular } from '../wide-tabular.ts';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Random forest (200 trees × 7 labels) and logistic regression on the wide metadata matrix
 * (paper features + 1,000 keywords + 200 directors, sparse one-hots), ours in Node against
 * scikit-learn single-threaded, back to back per round (see ../wide-tabular.ts).
 */
export const wideTabular: Bench = {
  name: 'wide-tabular',
  description:
    'forest (200 trees × 7 labels) and logistic regression on paper + 1,000 keyword + 200 director columns, vs scikit-learn 1 thread, A B A B',
  async run(ctx) {
    const load = loadavg()
      .map((v) => v.toFixed(1))
      .join(' ');
    const r = await runWideTabular(ctx.shared, 2, ctx.log);
    const m = r.matrix;
    const shape = `${m.rows} × ${m.cols} (${m.nnz} one-hot ones)`;
    for (const [what, ours, theirs] of [
      ['random forest, 200 trees × 7 labels', 'oursForestS', 'sklearnForestS'],
      ['logistic regression (L-BFGS), 7 labels', 'oursLogisticS', 'sklearnLogisticS'],
    ] as const) {
      const a = median(r.rounds.map((x) => x[ours]));
      const b = median(r.rounds.map((x) => x[theirs]));
      ctx.record({
        name: `${what} fit on ${shape}: ours (Node, 1 thread)`,
        value: a,
        unit: 's',
        target: '≤ 3× scikit-learn',
        pass: a <= 3 * b,
        note: `scikit-learn 1.2 (n_jobs=1, BLAS 1 thread; forest: the faster of its dense and CSC inputs) ${b.toFixed(1)} s in the same rounds; ratio ${(a / b).toFixed(2)}×; rounds ${r.rounds.map((x) => `${x[ours].toFixed(1)}/${x[theirs].toFixed(1)}`).join(', ')} s; load average before ${load}`,
      });
    }
  },
};
