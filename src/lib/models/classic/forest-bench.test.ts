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
    // A clock that only moves when a tree is grown (10 ms each): the time covers exactly the fit.
    let clockMs = 1000;
    const control = { nowMs: () => clockMs, onProgress: () => void (clockMs += 10) };
    const r = await runKeywordForestBench(CSV, { nEstimators: 3, control });
    expect({ trees: r.trees, rows: r.rows, cols: r.cols, nnz: r.nnz }).toEqual({
      trees: 21,
      rows: 3,
      cols: 3,
      nnz: 4,
    });
    expect(r.ms).toBe(21 * 10);
    // Each tree has at least its root and, on 3 rows, at most 3 leaves (5 nodes).
    expect(r.nodes).toBeGreaterThanOrEqual(21);
    expect(r.nodes).toBeLessThanOrEqual(21 * 5);
  });
});
