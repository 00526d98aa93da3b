import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../data/csv.ts';
import { hammingLoss, labelCounts, zeroLabels } from '../metrics/index.ts';
import { PAPER7, groupLabels } from './groups.ts';
import { analyzeKeywords } from './keyword-analysis.ts';
import { testMovie } from './cs109b-test-data.ts';
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
        for (const k of g.top) expect(k.std).toBeGreaterThanOrEqual(0);
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
