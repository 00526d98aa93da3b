import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { mulberry32 } from '../features/random.ts';
import '../models/node.ts';
import { runExperiment, type MetadataExperimentResult } from './runner.ts';
import { MergeError, mergeShards } from './shards.ts';
import { parseSpec } from './spec.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 240 generated movies whose genres follow their numbers, director and keywords. */
function movies(): Movie[] {
  const rng = mulberry32(5);
  const words = ['space', 'war', 'love', 'murder', 'school', 'ghost', 'heist', 'dog'];
  return Array.from({ length: 240 }, (_, i) => {
    const popularity = rng() * 100;
    const voteAverage = 3 + rng() * 6;
    const keywords = words.filter(() => rng() < 0.25);
    const director = `d${Math.floor(rng() * 6)}`;
    const genreIds = [
      popularity > 50 || keywords.includes('war') ? 28 : 18,
      voteAverage > 6 || keywords.includes('love') ? 10749 : 53,
      ...(keywords.includes('ghost') || director === 'd1' ? [27] : []),
    ];
    return {
      key: `tmdb:${i + 1}`,
      title: `Movie ${i + 1}`,
      genreIds,
      popularity,
      voteCount: Math.floor(rng() * 1000),
      voteAverage,
      director,
      keywords,
      source: 'test',
      updatedAt: 0,
    };
  });
}

const SPEC = parseSpec({
  data: { movies: 'generated.csv' },
  labels: { groups: 'paper7' },
  features: {
    numeric: ['popularity', 'voteCount', 'voteAverage'],
    certificate: false,
    scaling: 'standardize',
    topDirectors: 4,
    topKeywords: 6,
  },
  sampling: { method: 'none' },
  model: {
    kind: 'forest',
    params: { nEstimators: 4, seed: 1 },
    grid: { maxDepth: [2, 4, null], minSamplesLeaf: [1, 3] },
  },
  cv: { folds: 2, metric: 'microF1' },
  split: { testFraction: 0.25, seed: 3 },
});

/** As written to and read from a file. */
const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const withoutTimings = ({ timings: _t, ...rest }: MetadataExperimentResult) => rest;

describe('sharded grid runs', () => {
  const data = movies();
  let whole: MetadataExperimentResult;
  let parts: { name: string; result: MetadataExperimentResult }[];

  beforeAll(async () => {
    whole = roundTrip(await runExperiment(SPEC, data));
    parts = [];
    for (const index of [1, 2, 3])
      parts.push({
        name: `shard-${index}.json`,
        result: roundTrip(await runExperiment(SPEC, data, { shard: { index, count: 3 } })),
      });
  }, 120_000);

  it('runs each n-th of the grid and merges into exactly the whole run (timings aside)', () => {
    expect(whole.cv).toHaveLength(6);
    expect(parts.map((p) => p.result.shard!.points)).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(parts.map((p) => p.result.cv.length)).toEqual([2, 2, 2]);
    // the best point is not the same in every shard, so the merge really has to choose
    expect(new Set(parts.map((p) => p.result.best.index)).size).toBeGreaterThan(1);
    const merged = mergeShards([parts[2]!, parts[0]!, parts[1]!]);
    expect(merged.shard).toBeUndefined();
    expect(withoutTimings(roundTrip(merged))).toEqual(withoutTimings(whole));
  });

  it('refuses overlapping, missing, foreign and non-partial inputs with a clear message', async () => {
    expect(() => mergeShards([parts[0]!, parts[1]!])).toThrow(/missing shard 3\/3/);
    expect(() => mergeShards([parts[0]!, parts[1]!, { ...parts[1]!, name: 'copy.json' }])).toThrow(
      /overlapping shards: shard-2.json and copy.json are both shard 2\/3/,
    );
    const other = roundTrip({
      ...parts[2]!.result,
      spec: { ...parts[2]!.result.spec, split: { testFraction: 0.3, seed: 3 } },
    });
    expect(() =>
      mergeShards([parts[0]!, parts[1]!, { name: 'other.json', result: other }]),
    ).toThrow(/other.json and shard-1.json are shards of different specs/);
    const halves = roundTrip(await runExperiment(SPEC, data, { shard: { index: 1, count: 2 } }));
    expect(() => mergeShards([parts[0]!, { name: 'half.json', result: halves }])).toThrow(
      /shard counts differ/,
    );
    expect(() => mergeShards([{ name: 'whole.json', result: whole }])).toThrow(
      /whole.json is not a partial result/,
    );
    await expect(runExperiment(SPEC, data, { shard: { index: 7, count: 7 } })).rejects.toThrow(
      /shard 7\/7 has no grid points: the grid has 6 points/,
    );
    expect(() => mergeShards([])).toThrow(MergeError);
  }, 60_000);
});

describe('runner progress on wide one-hot features', () => {
  it('moves within each fit (per tree and per L-BFGS iteration), not only per fold', async () => {
    const data = movies();
    for (const model of [
      { kind: 'forest', params: { nEstimators: 20, seed: 1 } },
      { kind: 'logistic', params: { solver: 'lbfgs' } },
    ]) {
      const spec = parseSpec({ ...SPEC, model, cv: { folds: 2 } });
      const seen: { done: number; message: string }[] = [];
      let t = 0;
      await runExperiment(spec, data, {
        nowMs: () => (t += 1000), // every tick passes the report throttle
        onProgress: (p) => seen.push({ done: p.done, message: p.message ?? '' }),
      });
      // 2 folds + refit = 3 units; reports inside the first fit already move the count
      const inFirstFit = seen.filter((p) => p.done > 0 && p.done < 1);
      expect(inFirstFit.length).toBeGreaterThan(5);
      expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done)).toBe(true);
      expect(seen.at(-1)!.done).toBe(3);
      expect(seen.some((p) => /trees, label \d\/7|L-BFGS iteration \d+/.test(p.message))).toBe(
        true,
      );
    }
  }, 120_000);
});
