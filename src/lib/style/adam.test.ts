import { describe, expect, it } from 'vitest';
import { minimizeAdam } from './adam.ts';
import type { Objective } from './opt-common.ts';

/** f = Σ d_i (x_i − c_i)² with curvatures 1 … 100; minimum 0 at c. */
const d = [1, 3, 10, 30, 100];
const c = [1, -2, 0.5, 3, -1];
const quadratic: Objective = async (x) => ({
  f: x.reduce((s, v, i) => s + d[i]! * (v - c[i]!) ** 2, 0),
  g: x.map((v, i) => 2 * d[i]! * (v - c[i]!)),
});

describe('minimizeAdam', () => {
  it('converges on an ill-scaled quadratic to 1e-3', async () => {
    // Adam's per-coordinate scaling makes the step ≈ lr whatever the curvature, so 2000 steps
    // of 0.01 with a decaying oscillation reach the minimum; lr 0.01 and the count are our choice.
    const r = await minimizeAdam(quadratic, new Float64Array(5), {
      learningRate: 0.01,
      maxIterations: 2000,
    });
    r.x.forEach((v, i) => expect(Math.abs(v - c[i]!)).toBeLessThan(1e-3));
    expect(r.f).toBeLessThan(1e-5);
    expect(r.evals).toBe(2001);
  });

  it('stays in the box and ends on the bound for a minimum outside it', async () => {
    const r = await minimizeAdam(quadratic, new Float64Array(5), {
      learningRate: 0.05,
      maxIterations: 1000,
      lower: -1.5,
      upper: 1.5,
    });
    const expected = c.map((v) => Math.min(1.5, Math.max(-1.5, v)));
    r.x.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-2));
    expect(r.x[1]).toBe(-1.5);
    expect(r.x[3]).toBe(1.5);
  });

  it('rejects with an AbortError when aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = minimizeAdam(
      async (x) => {
        if (++calls === 3) controller.abort();
        return quadratic(x);
      },
      new Float64Array(5),
      { signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(3);
  });
});
