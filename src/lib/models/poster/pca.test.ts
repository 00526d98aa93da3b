import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import { useBackend } from '../../platform/node.ts';
import {
  componentsFor,
  eigenposter,
  eigenpostersRecord,
  fitPca,
  jacobiEigen,
  transformPca,
} from './pca.ts';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Orthonormal columns (m × k) from the QR of a seeded random matrix. */
async function orthonormal(m: number, k: number, seed: number): Promise<Float32Array> {
  const rng = mulberry32(seed);
  const q = tf.tidy(
    () =>
      tf.linalg.qr(
        tf.tensor2d(
          Float32Array.from({ length: m * k }, () => rng() - 0.5),
          [m, k],
        ),
      )[0],
  );
  const out = (await q.data()) as Float32Array;
  q.dispose();
  return out;
}

describe('jacobiEigen', () => {
  it('diagonalises a known symmetric matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with vectors (1,1)/√2 and (1,−1)/√2.
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

describe('randomized PCA', () => {
  it('recovers a known decomposition X = mean + U diag(s) Vᵀ (centred U)', async () => {
    // Known by construction: n = 300 rows, d = 400 dims, rank 6, singular values s.
    const n = 300;
    const d = 400;
    const s = [50, 30, 20, 10, 5, 2];
    const k = s.length;
    // U: orthonormal and orthogonal to the ones vector, so the data are already centred.
    const raw = await orthonormal(n, k + 1, 1);
    const U = new Float32Array(n * k);
    const ones = 1 / Math.sqrt(n);
    for (let j = 0; j < k; j++) {
      // Gram–Schmidt column j+1 of raw against 1/√n and the previous columns.
      const col = Array.from({ length: n }, (_, i) => raw[i * (k + 1) + j + 1]!);
      const dotOnes = col.reduce((a, v) => a + v * ones, 0);
      for (let i = 0; i < n; i++) col[i] = col[i]! - dotOnes * ones;
      for (let p = 0; p < j; p++) {
        const dp = col.reduce((a, v, i) => a + v * U[i * k + p]!, 0);
        for (let i = 0; i < n; i++) col[i] = col[i]! - dp * U[i * k + p]!;
      }
      const norm = Math.hypot(...col);
      for (let i = 0; i < n; i++) U[i * k + j] = col[i]! / norm;
    }
    const V = await orthonormal(d, k, 2);
    const mean = Float32Array.from({ length: d }, (_, i) => Math.sin(i));
    const x = new Float32Array(n * d);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < d; c++) {
        let v = mean[c]!;
        for (let j = 0; j < k; j++) v += U[r * k + j]! * s[j]! * V[c * k + j]!;
        x[r * d + c] = v;
      }
    const fit = await fitPca({ rows: n, cols: d, data: x }, { rank: 10, seed: 3 });
    // Eigenvalues of the covariance: s² / (n − 1); float32 data, so relative tolerance 1e-3.
    s.forEach((sv, j) =>
      expect(fit.explainedVariance[j]! / ((sv * sv) / (n - 1))).toBeCloseTo(1, 3),
    );
    expect(fit.explainedVariance[k]!).toBeLessThan(1e-3);
    // Components match V's columns up to sign: |⟨v̂_j, v_j⟩| ≈ 1.
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += fit.components[j * d + c]! * V[c * k + j]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 3);
    }
    // Ratios: s_j² / Σ s²; 90 % needs the first 2 components (2500+900)/3889 = 0.874 → 3.
    const total = s.reduce((a, v) => a + v * v, 0);
    expect(fit.explainedVarianceRatio[0]).toBeCloseTo(2500 / total, 3);
    expect(componentsFor(fit, 0.9)).toBe(3);
    // Projection of row 0 onto the components = U[0]·s up to sign.
    const z = await transformPca(fit, { rows: 1, cols: d, data: x.subarray(0, d) }, k);
    for (let j = 0; j < k; j++) expect(Math.abs(z[j]!)).toBeCloseTo(Math.abs(U[j]! * s[j]!), 2);
    const img = eigenposter(fit, 0);
    expect(Math.min(...img)).toBe(0);
    expect(Math.max(...img)).toBe(1);
  });
});

describe('eigenpostersRecord', () => {
  it('keeps the first components as 6-significant-digit images that stay orthonormal to 1e-3', async () => {
    // 60 seeded random 12×10 images: a full-rank cloud, so 20 sketched components exist.
    const rng = mulberry32(9);
    const x = Float32Array.from({ length: 60 * 120 }, () => rng());
    const fit = await fitPca({ rows: 60, cols: 120, data: x }, { rank: 20, seed: 1 });
    const rec = eigenpostersRecord(fit, 12, 10);
    expect(rec.height).toBe(12);
    expect(rec.width).toBe(10);
    expect(rec.components).toHaveLength(12);
    rec.components.forEach((c, i) => {
      expect(c).toHaveLength(120);
      expect(Array.isArray(c)).toBe(true);
      // Each stored number has at most 6 significant digits and is within 5e-6 relative of the fit's.
      c.forEach((v, j) => {
        expect(Number(v.toPrecision(6))).toBe(v);
        expect(Math.abs(v - fit.components[i * 120 + j]!)).toBeLessThanOrEqual(
          5e-6 * Math.abs(v) + 1e-12,
        );
      });
      rec.components.forEach((d, j) => {
        const dot = c.reduce((a, v, k) => a + v * d[k]!, 0);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-3);
      });
    });
    expect(eigenpostersRecord(fit, 12, 10, 50).components).toHaveLength(20);
    expect(() => eigenpostersRecord(fit, 10, 10)).toThrow(RangeError);
  });
});
