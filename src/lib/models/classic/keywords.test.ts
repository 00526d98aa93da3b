import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keywordDatasetFromTmdb5000 } from './keywords.ts';
import { OneVsRestForest, topFeatures } from './one-vs-rest.ts';
import { missingShared, sharedUrl } from '../../../test/shared.ts';

// Real data, read in place: ../shared/data/metadata/tmdb-5000.csv (4,803 movies; keywords and
// genres are JSON lists of {"id", "name"}).
const noData = missingShared(
  import.meta.url,
  'the keyword matrix and forest on the real TMDb 5000 file',
  'data/metadata/tmdb-5000.csv',
);
const CSV = noData ? '' : readFileSync(sharedUrl('data/metadata/tmdb-5000.csv'), 'utf8');

describe('keywordDatasetFromTmdb5000', () => {
  it('reads a tiny CSV into CSR keywords and group labels', () => {
    const csv = [
      'id,title,genres,keywords',
      '1,A,"[{""id"": 27, ""name"": ""Horror""}]","[{""id"": 1, ""name"": ""Zombie""}, {""id"": 2, ""name"": ""gore""}]"',
      '2,B,"[{""id"": 35, ""name"": ""Comedy""}]","[{""id"": 1, ""name"": ""zombie""}]"',
      '3,C,"[{""id"": 99, ""name"": ""Documentary""}]","[{""id"": 3, ""name"": ""nature""}]"',
      '4,D,"[{""id"": 35, ""name"": ""Comedy""}]",[]',
    ].join('\n');
    const ds = keywordDatasetFromTmdb5000(csv);
    expect(ds.keywords).toEqual(['zombie', 'gore']);
    expect(ds.titles).toEqual(['A', 'B']);
    expect(ds.dropped).toBe(2); // C is in no paper group, D has no keyword
    expect(Array.from(ds.x.indices)).toEqual([0, 1, 0]);
    const crime = ds.groups.indexOf('Crime, Mystery, Thriller, Drama & Horror');
    const comedy = ds.groups.indexOf('Comedy');
    expect(ds.labels.data[crime]).toBe(1);
    expect(ds.labels.data[ds.labels.cols + comedy]).toBe(1);
  });

  it.skipIf(noData)('builds the real keyword matrix (sparse: about 8 keywords a movie)', () => {
    const ds = keywordDatasetFromTmdb5000(CSV);
    // 4,803 rows; 412 have no keyword and 72 more are in no paper group (counted with Python's csv+json).
    expect(ds.x.rows + ds.dropped).toBe(4803);
    expect(ds.x.rows).toBe(4319);
    expect(ds.x.cols).toBe(9728);
    expect(ds.x.indices.length / ds.x.rows).toBeGreaterThan(5);
    expect(ds.x.indices.length / ds.x.rows).toBeLessThan(12);
  });

  it.skipIf(noData)('ranks horror keywords first for Horror on the real data', () => {
    const ds = keywordDatasetFromTmdb5000(CSV, {
      groups: [{ name: 'Horror', genreIds: [27] }],
      keepUnlabelled: true,
    });
    const m = new OneVsRestForest({ nEstimators: 60, seed: 42 }).train(ds.x, ds.labels);
    const top = topFeatures(m.featureImportances(0), ds.keywords, 10).map((f) => f.name);
    // Seen with 100 trees: zombie, slasher, found footage, vampire, haunted house, gore, demon, ...
    const horror = [
      'zombie',
      'slasher',
      'vampire',
      'found footage',
      'haunted house',
      'gore',
      'demon',
      'supernatural',
    ];
    expect(top.filter((k) => horror.includes(k)).length).toBeGreaterThanOrEqual(5);
    expect(top.slice(0, 2).some((k) => k === 'zombie' || k === 'slasher')).toBe(true);
  });
});
