import { describe, expect, it } from 'vitest';
import { runKeywordForestBench } from './forest-bench.ts';

const CSV = [
  'id,title,genres,keywords',
  '1,A,"[{""id"": 27, ""name"": ""Horror""}]","[{""id"": 1, ""name"": ""zombie""}]"',
  '2,B,"[{""id"": 35, ""name"": ""Comedy""}]","[{""id"": 2, ""name"": ""wedding""}]"',
  '3,C,"[{""id"": 27, ""name"": ""Horror""}]","[{""id"": 1, ""name"": ""zombie""}, {""id"": 3, ""name"": ""gore""}]"',
].join('\n');

describe('runKeywordForestBench', () => {
  it('reports the problem size and one tree per label and estimator', async () => {
    const r = await runKeywordForestBench(CSV, { nEstimators: 3 });
    expect({ trees: r.trees, rows: r.rows, cols: r.cols, nnz: r.nnz }).toEqual({
      trees: 21,
      rows: 3,
      cols: 3,
      nnz: 4,
    });
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.nodes).toBeGreaterThanOrEqual(21);
  });
});
