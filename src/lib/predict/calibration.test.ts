import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import { expectedCalibrationError } from '../metrics/index.ts';
import { calibrate, calibrateRows, fitCalibrators, fitIsotonic, fitPlatt } from './calibration.ts';

/**
 * n scores with a known miscalibration: the true probability q is uniform on (0, 1), the label
 * is drawn with probability q, and the model reports σ(3·logit(q) − 1), i.e. it is over-confident
 * and biased low.
 */
function miscalibrated(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const scores = new Float64Array(n);
  const truth = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const q = 0.01 + 0.98 * rnd();
    truth[i] = rnd() < q ? 1 : 0;
    scores[i] = 1 / (1 + Math.exp(-(3 * Math.log(q / (1 - q)) - 1)));
  }
  return { scores, truth };
}

describe('calibration on a known miscalibration', () => {
  const fit = miscalibrated(5000, 1);
  const fresh = miscalibrated(5000, 2);
  const before = expectedCalibrationError(fresh.truth, fresh.scores);

  it('starts badly calibrated', () => {
    expect(before).toBeGreaterThan(0.1);
  });

  it('Platt scaling cuts the expected calibration error on fresh scores at least fivefold', () => {
    const c = fitPlatt(fit.scores, fit.truth);
    const after = expectedCalibrationError(
      fresh.truth,
      Array.from(fresh.scores, (s) => calibrate(c, s)),
    );
    expect(after).toBeLessThan(before / 5);
    // σ(a·(3·logit q − 1) + b) = q exactly when a = 1/3, b = 1/3
    if (c.kind !== 'platt') throw new Error('expected a Platt calibrator');
    expect(c.a).toBeCloseTo(1 / 3, 1);
    expect(c.b).toBeCloseTo(1 / 3, 1);
  });

  it('isotonic regression cuts it at least fourfold', () => {
    const c = fitIsotonic(fit.scores, fit.truth);
    const after = expectedCalibrationError(
      fresh.truth,
      Array.from(fresh.scores, (s) => calibrate(c, s)),
    );
    expect(after).toBeLessThan(before / 4);
  });
});

describe('fitIsotonic', () => {
  it('pools adjacent violators and interpolates between block ends', () => {
    // Worked by hand with scikit-learn's rules (IsotonicRegression(out_of_bounds='clip')):
    // the tie at 0.2 averages to 0.5 (weight 2); 0.5 > 0 at 0.4 → pool {0.2, 0.2, 0.4} = 1/3;
    // 1 at 0.5 > 0 at 0.7 → pool = 0.5; points (0.1, 0) (0.2, ⅓) (0.4, ⅓) (0.5, ½) (0.7, ½) (0.9, 1).
    const c = fitIsotonic([0.1, 0.2, 0.2, 0.4, 0.5, 0.7, 0.9], [0, 1, 0, 0, 1, 0, 1]);
    expect(c).toEqual({
      kind: 'isotonic',
      x: [0.1, 0.2, 0.4, 0.5, 0.7, 0.9],
      y: [0, 1 / 3, 1 / 3, 0.5, 0.5, 1],
    });
    const at = (p: number) => calibrate(c, p);
    expect(at(0.05)).toBe(0); // clipped below
    expect(at(0.15)).toBeCloseTo(1 / 6, 12);
    expect(at(0.3)).toBeCloseTo(1 / 3, 12);
    expect(at(0.45)).toBeCloseTo(5 / 12, 12);
    expect(at(0.8)).toBeCloseTo(0.75, 12);
    expect(at(0.95)).toBe(1); // clipped above
  });

  it('is monotone on random data', () => {
    const { scores, truth } = miscalibrated(500, 3);
    const c = fitIsotonic(scores, truth);
    const grid = Array.from({ length: 101 }, (_, i) => calibrate(c, i / 100));
    grid.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(grid[i]!));
  });
});

describe('fitCalibrators', () => {
  it('fits one calibrator per label column and applies each to its column', () => {
    // label 0 is always positive, label 1 never: isotonic maps them to 1 and 0
    const scores = [0.2, 0.9, 0.4, 0.6, 0.7, 0.1];
    const truth = [1, 0, 1, 0, 1, 0];
    const cal = fitCalibrators('isotonic', scores, truth, 2);
    expect(Array.from(calibrateRows(cal, [0.3, 0.3]))).toEqual([1, 0]);
    expect(fitCalibrators('none', scores, truth, 2)).toEqual([{ kind: 'none' }, { kind: 'none' }]);
  });
});
