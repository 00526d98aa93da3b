import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../data/csv.ts';
import { hammingLoss, labelCounts, zeroLabels } from '../metrics/index.ts';
import { PAPER7, groupLabels } from './groups.ts';
import { analyzeKeywords } from './keyword-analysis.ts';
import { testMovie } from '../../test/cs109b-data.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';

const TMDB5000 = sharedUrl('data/metadata/tmdb-5000.csv');
const noData = missingShared(
  import.meta.url,
  'the keyword analysis of the real TMDb 5000 file',
  'data/metadata/tmdb-5000.csv',
);

describe('analyzeKeywords', () => {
  it('says what to import when the library has no keywords', async () => {
    await expect(analyzeKeywords([testMovie('a', [28])], { groups: PAPER7 })).rejects.toThrow(
      /keywords column/,
    );
  });

  // Three keywords each separate war from comedy on their own ('city' is on every movie), so each
  // tree splits exactly once, on one of them: a keyword's per-tree importance is 0 or 1, its mean
  // the share p of trees that chose it and its spread across trees the Bernoulli std √(p(1−p)).
  const groups = [
    { name: 'War', genreIds: [10752] },
    { name: 'Comedy', genreIds: [35] },
  ];
  const movies = Array.from({ length: 40 }, (_, i) => ({
    ...testMovie(`m${i}`, [i % 2 ? 35 : 10752]),
    keywords: i % 2 ? ['wedding', 'city'] : ['battle', 'soldier', 'city'],
  }));

  it('gives each keyword its spread across trees (none with one tree)', async () => {
    const one = await analyzeKeywords(movies, { groups, trees: 1, seed: 3 });
    for (const g of one.groups) {
      expect(g.top.map((k) => k.std)).toEqual([0, 0, 0, 0]);
      expect(g.top.reduce((s, k) => s + k.importance, 0)).toBeCloseTo(1, 12);
    }
    const eight = await analyzeKeywords(movies, { groups, trees: 8, seed: 3 });
    for (const g of eight.groups) {
      expect(g.top.reduce((s, k) => s + k.importance, 0)).toBeCloseTo(1, 12);
      expect(g.top.find((k) => k.keyword === 'city')).toMatchObject({ importance: 0, std: 0 });
      for (const { importance: p, std } of g.top)
        expect(std).toBeCloseTo(Math.sqrt(p * (1 - p)), 12);
      expect(g.top.filter((k) => k.std > 0).length).toBeGreaterThanOrEqual(2); // trees disagree
    }
  });

  it.skipIf(noData)(
    'on TMDb 5000 (real data, 20 trees a group): ranks war keywords for War & History and beats the empty prediction',
    async () => {
      const { movies } = await parseMoviesCsv(new Uint8Array(readFileSync(TMDB5000)));
      const r = await analyzeKeywords(movies, { groups: PAPER7, trees: 20, seed: 1 });
      expect(r.groups).toHaveLength(7);
      const war = r.groups[0]!.top.map((k) => k.keyword);
      expect(war.slice(0, 5).some((k) => /war/.test(k))).toBe(true);
      for (const g of r.groups) {
        expect(g.top).toHaveLength(15);
        const imp = g.top.map((k) => k.importance);
        expect(imp).toEqual([...imp].sort((a, b) => b - a)); // ranked, best first
        expect(imp.at(-1)).toBeGreaterThan(0); // 15 keywords that each split somewhere
      }
      // Baseline: predicting no group for every test movie. Its Hamming loss is the test label density.
      const withKw = movies.filter((m) => m.keywords.length > 0);
      const y = groupLabels(withKw, PAPER7).labels;
      const density = labelCounts(y).reduce((a, b) => a + b, 0) / (y.rows * y.cols);
      expect(hammingLoss(y, zeroLabels(y.rows, y.cols))).toBeCloseTo(density, 12);
      expect(r.test.hammingLoss).toBeLessThan(density); // the forest learned something real from keywords
      expect(r.test.exactMatch).toBeGreaterThan(0);
      expect(r.trainRows + r.testRows).toBe(r.movies);
    },
  );
});
