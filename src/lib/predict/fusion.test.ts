import { describe, expect, it } from 'vitest';
import { binaryLogLoss, fuse, learnFusionWeights } from './fusion.ts';

describe('binaryLogLoss', () => {
  it('matches scikit-learn', () => {
    // Ref: /usr/bin/python3 -c "from sklearn.metrics import log_loss; print(log_loss([1,0,1],[0.8,0.3,0.6]))"
    expect(binaryLogLoss([0.8, 0.3, 0.6], [1, 0, 1])).toBeCloseTo(0.3635480396729776, 10);
  });
  it('clips certain wrong answers instead of returning infinity', () => {
    expect(Number.isFinite(binaryLogLoss([0], [1]))).toBe(true);
  });
});

describe('fuse', () => {
  it('mixes per label with the poster weight', () => {
    const p = fuse([1, 0, 0.5, 0.5], [0, 1, 0.1, 0.9], [0.25, 1]);
    expect(Array.from(p)).toEqual([0.25, 0, expect.closeTo(0.2, 6), 0.5]);
  });
  it('refuses mismatched shapes', () => {
    expect(() => fuse([1, 2], [1], [1])).toThrow(RangeError);
    expect(() => fuse([1, 2, 3], [1, 2, 3], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('learnFusionWeights', () => {
  it('picks the grid weight with the lowest validation log-loss (interior optimum)', () => {
    // Ref: sklearn log_loss over w in arange(21)/20 of w*pp+(1-w)*pm → w=0.45, loss 0.39982841181973683
    const pp = [0.95, 0.05, 0.9, 0.2, 0.1, 0.3];
    const pm = [0.6, 0.3, 0.7, 0.4, 0.65, 0.35];
    const t = [1, 0, 1, 0, 1, 0];
    const w = learnFusionWeights(pp, pm, t, 1);
    expect(w.poster[0]).toBeCloseTo(0.45, 10);
    expect(w.logLoss[0]).toBeCloseTo(0.39982841181973683, 8);
  });
  it('gives all weight to the better model per label, independently', () => {
    // label 0: poster is right, metadata wrong; label 1: the reverse
    const t = [1, 0, 0, 1, 1, 0, 0, 1];
    const poster = [0.9, 0.6, 0.1, 0.4, 0.9, 0.6, 0.1, 0.4];
    const meta = [0.4, 0.1, 0.6, 0.9, 0.4, 0.1, 0.6, 0.9];
    const w = learnFusionWeights(poster, meta, t, 2);
    expect(w.poster).toEqual([1, 0]);
  });
  it('prefers 0.5 when both models are the same', () => {
    const p = [0.7, 0.2, 0.6];
    expect(learnFusionWeights(p, p, [1, 0, 1], 1).poster).toEqual([0.5]);
  });
});
