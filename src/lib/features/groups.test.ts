import { describe, expect, it } from 'vitest';
import { CS109B_CSV, readCs109bMovies, testMovie as movie } from '../../test/cs109b-data.ts';
import { missingShared } from '../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the PAPER7 group counts on the real CS109b crawl',
  CS109B_CSV,
);
import { labelsToRows } from '../metrics/index.ts';
import { GENRE_COLUMNS, PAPER7, genreIndicators, groupCounts, groupLabels } from './groups.ts';

describe('PAPER7', () => {
  it('is the paper preset: 16 genres in 7 disjoint groups, Documentary/Western/TV Movie left out', () => {
    const all = PAPER7.flatMap((g) => g.genreIds);
    expect(PAPER7.map((g) => g.genreIds.length)).toEqual([2, 5, 1, 2, 2, 3, 1]);
    expect(new Set(all).size).toBe(16);
    expect(GENRE_COLUMNS.filter((id) => !all.includes(id))).toEqual([37, 99, 10770]);
  });
});

describe('groupLabels', () => {
  const movies = [
    movie('a', [18, 53]), // Drama + Thriller -> group 2 once
    movie('b', [99]), // Documentary only -> dropped
    movie('c', [10752, 878, 35]), // War, Sci-Fi, Comedy -> groups 1, 6, 7
    movie('d', []), // no genre -> dropped
    movie('e', [16, 10402]), // Animation, Music -> groups 4, 5
  ];
  it('maps genres to groups, keeps indices and counts the dropped movies', () => {
    const g = groupLabels(movies, PAPER7);
    expect(g.kept).toEqual([0, 2, 4]);
    expect(g.dropped).toBe(2);
    expect(labelsToRows(g.labels)).toEqual([
      [0, 1, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 1, 1],
      [0, 0, 0, 1, 1, 0, 0],
    ]);
    expect(groupCounts(g, PAPER7).map((c) => c.count)).toEqual([1, 1, 0, 1, 1, 1, 1]);
  });
  it('genreIndicators has 19 columns in ascending id order', () => {
    const m = genreIndicators(movies);
    expect(m.cols).toBe(19);
    expect(m.data[GENRE_COLUMNS.indexOf(99) + 1 * 19]).toBe(1);
    expect(labelsToRows(m)[0]!.reduce((s, v) => s + v, 0)).toBe(2);
  });
});

// Real data: ../shared/data/tmdb-cs109b/movies.csv, one row per movie_id (see cs109b-test-data.ts).
describe.skipIf(noData)('PAPER7 on the CS109b crawl', () => {
  it('counts movies per group (paper, on its own ~7,000-movie crawl: 620, 5506, 982, 876, 1762, 3502, 2969)', () => {
    const movies = readCs109bMovies();
    expect(movies.length).toBe(4411); // shared/README.md: 4,411 unique movie_id
    const g = groupLabels(movies, PAPER7);
    const counts = groupCounts(g, PAPER7).map((c) => c.count);
    console.info('CS109b PAPER7 counts', counts, 'kept', g.kept.length, 'dropped', g.dropped);
    expect(g.kept.length + g.dropped).toBe(4411);
    // Ref: the same counts from Python's csv module (first row per movie_id kept, a group is on
    // when any of its genre columns is '1'), run with /usr/bin/python3: kept 4098 of 4411.
    expect(counts).toEqual([693, 2766, 484, 701, 966, 1722, 1064]);
    expect(g.dropped).toBe(313);
  });
});
