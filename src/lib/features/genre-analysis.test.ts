import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../data/csv.ts';
import { analyzeGenres, groupSummary, groupsFromTree, samplingPreview } from './genre-analysis.ts';
import { PAPER7 } from './groups.ts';
import { CS109B_CSV, testMovie } from '../../test/cs109b-data.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the genre analysis of the real CS109b crawl',
  CS109B_CSV,
);

describe('analyzeGenres', () => {
  it('drops absent genres, counts the rest and clusters co-occurring genres together', () => {
    // Action(28)+Adventure(12) always together, Drama(18) alone, Comedy(35) alone or with Drama once.
    const movies = [
      testMovie('a', [28, 12]),
      testMovie('b', [28, 12]),
      testMovie('c', [18]),
      testMovie('d', [35]),
      testMovie('e', [35, 18]),
      testMovie('f', [28, 12]),
    ];
    const a = analyzeGenres(movies);
    expect(a.genreIds).toEqual([12, 18, 28, 35]); // GENRE_COLUMNS order, absent ones gone
    expect(a.counts).toEqual([3, 2, 3, 2]);
    expect(a.corr[0]![2]).toBeCloseTo(1, 12); // Adventure and Action are identical columns
    expect(a.tree.merges[0]).toMatchObject({ left: 0, right: 2, height: expect.closeTo(0, 12) });
    expect(groupsFromTree(a, 3).map((g) => g.genreIds)).toEqual([[12, 28], [18], [35]]);
  });
});

describe.skipIf(noData)(
  'on the CS109b crawl (real data, parsed by the real importer)',
  async () => {
    // The body runs even when skipped (vitest collects its tests), so it reads nothing then.
    const { movies } = noData
      ? { movies: [] }
      : await parseMoviesCsv(new Uint8Array(readFileSync(sharedUrl(CS109B_CSV))));

    it('finds every one of its 19 genres and the Action–Adventure bond', () => {
      const a = analyzeGenres(movies);
      expect(a.genreIds.length).toBe(19);
      const i = a.names.indexOf('Action');
      const j = a.names.indexOf('Adventure');
      const k = a.names.indexOf('Documentary');
      expect(a.corr[i]![j]).toBeGreaterThan(0.2); // they co-occur well above chance
      expect(a.corr[i]![k]).toBeLessThan(0); // documentaries are rarely action films
    });

    it('counts PAPER7 groups and the movies they leave out', () => {
      const s = groupSummary(movies, PAPER7);
      expect(s.kept + s.dropped).toBe(movies.length);
      expect(s.counts).toHaveLength(7);
      // Group 2 (Crime, Mystery, Thriller, Drama, Horror) is the largest, as in the paper (5506 of its ~7,000).
      expect(Math.max(...s.counts)).toBe(s.counts[1]);
    });

    it('previews sampling on the training split only, leaving the test rows alone', () => {
      const p = samplingPreview(movies, PAPER7, { method: 'ml-ros', seed: 7, percentage: 25 });
      const kept = groupSummary(movies, PAPER7).kept;
      expect(p.trainRows + p.testRows).toBe(kept);
      expect(p.trainRowsAfter).toBe(p.trainRows + Math.floor(p.trainRows * 0.25));
      // ML-ROS clones minority rows: the smallest group grows proportionally more than the largest.
      const small = p.before.indexOf(Math.min(...p.before));
      const large = p.before.indexOf(Math.max(...p.before));
      expect(p.after[small]! / p.before[small]!).toBeGreaterThan(
        p.after[large]! / p.before[large]!,
      );
    });
  },
);
