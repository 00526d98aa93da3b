import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import { OneVsRestLogistic } from '../logistic.ts';
import type { FitProgress } from '../types.ts';
import { lbfgs } from './lbfgs.ts';
import { asDense, denseFromRows, mixed, sparseFromLists } from './matrix.ts';
import reference from './logistic.reference.json';

/** The rows of logistic_reference.py's wide_problem: 4 dense columns, 60 sparse 0/1 ones, 2 labels. */
function wideProblem(seed = 17, rows = 400, dense = 4, sparse = 60) {
  const rng = mulberry32(seed);
  const denseRows: number[][] = [];
  const lists: number[][] = [];
  const y = new Uint8Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const d = Array.from({ length: dense }, () => Math.fround(rng() * 2 - 1));
    const ones = Array.from({ length: sparse }, (_, c) => c).filter(() => rng() < 0.06);
    const has = (c: number) => (ones.includes(c) ? 1 : 0);
    let s = 0;
    for (let c = 20; c < 30; c++) s += has(c);
    const z0 = 1.5 * d[0]! - d[1]! + 2 * has(3) - 1.5 * has(10) + 0.5 * s - 0.3;
    const z1 = -d[2]! + 0.8 * d[3]! + 1.2 * has(5) + has(41) - 0.5;
    y[r * 2] = rng() < 1 / (1 + Math.exp(-z0)) ? 1 : 0;
    y[r * 2 + 1] = rng() < 1 / (1 + Math.exp(-z1)) ? 1 : 0;
    denseRows.push(d);
    lists.push(ones);
  }
  const x = mixed(denseFromRows(denseRows), sparseFromLists(lists, sparse));
  return { x, y: { rows, cols: 2, data: y } };
}

const maxDiff = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

describe('logistic regression on a sparse wide matrix', () => {
  // Reference: /usr/bin/python3 src/lib/models/classic/logistic_reference.py (its "source" field):
  // scikit-learn 1.2.1 LogisticRegression(penalty='l2', C) at tol=1e-12. `coef` comes from its
  // newton-cholesky solver (the objective's minimiser: max |gradient| ≤ 1e-13); `lbfgsCoef` from
  // its lbfgs solver, which scipy stops on relative decrease at max |gradient| up to 2.4e-3, so
  // those coefficients are themselves up to ~1.5e-4 off the minimiser.
  const { x, y } = wideProblem();

  it('draws the same rows as the reference script', () => {
    let p0 = 0;
    let p1 = 0;
    for (let r = 0; r < y.rows; r++) {
      p0 += y.data[r * 2]!;
      p1 += y.data[r * 2 + 1]!;
    }
    expect([p0, p1]).toEqual(reference.positives);
  });

  for (const C of [1, 0.1]) {
    it(`L-BFGS on the CSR part and Newton on the dense form match scikit-learn to 1e-4 (C = ${C})`, async () => {
      const progress: FitProgress[] = [];
      const sparse = new OneVsRestLogistic({ C, solver: 'lbfgs' });
      await sparse.fit(x, y, { onProgress: (p) => progress.push(p) });
      const dense = new OneVsRestLogistic({ C, solver: 'newton' });
      await dense.fit(asDense(x), y);
      for (const fit of reference.fits.filter((f) => f.C === C)) {
        expect(maxDiff(sparse.coefficients[fit.label]!, fit.coef)).toBeLessThan(1e-5);
        expect(maxDiff(dense.coefficients[fit.label]!, fit.coef)).toBeLessThan(1e-5);
        expect(maxDiff(sparse.coefficients[fit.label]!, fit.lbfgsCoef)).toBeLessThan(5e-4);
      }
      // progress moves per L-BFGS iteration, not only per label
      const iterations = progress.filter((p) => /L-BFGS iteration/.test(p.message ?? ''));
      expect(iterations.length).toBeGreaterThan(10);
      expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
      // same probabilities whichever form the rows come in
      expect(await sparse.predictScores(asDense(x))).toEqual(await sparse.predictScores(x));
    });
  }

  it("'auto' picks L-BFGS past 100 columns and Newton below", async () => {
    const seen: string[] = [];
    await new OneVsRestLogistic({ maxIter: 5 }).fit(x, y, {
      onProgress: (p) => seen.push(p.message ?? ''),
    });
    expect(seen.some((m) => m.includes('L-BFGS'))).toBe(false); // 64 columns: Newton
  });

  it('stops an aborted fit between iterations', async () => {
    const controller = new AbortController();
    const m = new OneVsRestLogistic({ solver: 'lbfgs' });
    await expect(
      m.fit(x, y, {
        signal: controller.signal,
        onProgress: (p) => (p.done >= 3 ? controller.abort(new Error('stop')) : undefined),
      }),
    ).rejects.toThrow('stop');
  });
});

describe('lbfgs', () => {
  it('minimises an ill-conditioned quadratic to the tolerance', () => {
    const scales = Float64Array.from({ length: 50 }, (_, i) => 1 + i * 20);
    const r = lbfgs(
      (w, g) => {
        let f = 0;
        for (let i = 0; i < w.length; i++) {
          const d = w[i]! - 1;
          f += 0.5 * scales[i]! * d * d;
          g[i] = scales[i]! * d;
        }
        return f;
      },
      new Float64Array(50),
      { tolerance: 1e-9, maxIter: 500 },
    );
    expect(r.stop).toBe('gradient');
    expect(Math.max(...Array.from(r.w, (v) => Math.abs(v - 1)))).toBeLessThan(1e-9);
  });
});
