import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import type { ExperimentSpec } from '../experiments/spec.ts';
import { PAPER7 } from '../features/groups.ts';
import { mulberry32 } from '../features/random.ts';
import { openLibrary } from '../storage/index.ts';
import { deleteDatabase, uniqueDbName } from '../../test/storage-helpers.ts';
import type { MovieQuery } from './library-query.ts';
import type { Progress } from '../core/progress.ts';
import { isAbortError } from '../core/errors.ts';
import { runExperimentInWorker, terminateTrainWorker, useTrainBackend } from './train-client.ts';

/** 300 seeded movies whose popularity and vote average depend on their genre groups (learnable). */
function syntheticMovies(n: number, seed: number): Movie[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const groups = PAPER7.filter(() => rng() < 0.3);
    const has = (k: number) => (groups.includes(PAPER7[k]!) ? 1 : 0);
    return {
      key: `tmdb:${i + 1}`,
      title: `movie ${i + 1}`,
      genreIds: groups.map((g) => g.genreIds[0]!),
      popularity: 5 * has(5) + 2 * has(3) + rng(),
      voteAverage: 4 + 3 * has(1) - 2 * has(6) + rng(),
      voteCount: 100 * has(2) + 50 * rng(),
      releaseDate: `${2010 + (i % 7)}-0${1 + (i % 9)}-01`,
      keywords: [],
      source: 'synthetic',
      updatedAt: 0,
    };
  });
}

const DB = uniqueDbName('train-worker');
/** The worker reads the 300 movies from this throwaway library; only the query crosses to it. */
const MOVIES: MovieQuery = { db: DB, revision: 1 };
const spec = (model: ExperimentSpec['model']): ExperimentSpec => ({
  data: { library: true },
  labels: { groups: 'paper7' },
  features: {
    numeric: ['popularity', 'voteAverage', 'voteCount', 'year', 'month'],
    certificate: false,
    scaling: 'standardize',
  },
  sampling: { method: 'none' },
  model,
  cv: { folds: 2 },
  split: { testFraction: 0.25, seed: 1 },
});

beforeAll(async () => {
  const lib = await openLibrary({ name: DB });
  await lib.putMovies(syntheticMovies(300, 1));
  lib.close();
});

afterAll(async () => {
  terminateTrainWorker();
  await deleteDatabase(DB);
});

describe('train worker', () => {
  it('runs a forest experiment with progress', async () => {
    const progress: Progress[] = [];
    const r = await runExperimentInWorker(
      spec({ kind: 'forest', params: { nEstimators: 10, seed: 2 } }),
      MOVIES,
      (p) => progress.push(p),
    ).result;
    expect(r.dataset.trainRows + r.dataset.testRows).toBe(r.dataset.movies);
    expect(progress[0]).toMatchObject({ phase: 'reading the library', done: 300 });
    expect(r.test.hammingLoss).toBeGreaterThan(0);
    expect(r.test.hammingLoss).toBeLessThan(0.3); // labels 1, 2, 3, 5, 6 are readable from the features
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3, message: 'done' });
  });

  it('loads LIBSVM from the Vite-served wasm and runs the SVM', async () => {
    const r = await runExperimentInWorker(spec({ kind: 'svm', params: { C: 1 } }), MOVIES).result;
    expect(r.test.hammingLoss).toBeGreaterThan(0);
    expect(r.test.hammingLoss).toBeLessThan(0.3);
  });

  it('trains the MLP on the wasm backend', async () => {
    expect(await useTrainBackend('wasm')).toBe('wasm');
    const r = await runExperimentInWorker(
      spec({ kind: 'mlp', params: { hidden: [16], epochs: 40, learningRate: 0.01, seed: 3 } }),
      MOVIES,
    ).result;
    expect(r.backend).toBe('wasm');
    expect(r.test.hammingLoss).toBeLessThan(0.35);
  });

  it('cancels a running experiment', async () => {
    let cancelledAt = -1;
    const job: ReturnType<typeof runExperimentInWorker> = runExperimentInWorker(
      spec({ kind: 'mlp', params: { hidden: [32], epochs: 5000, validationFraction: 0, seed: 4 } }),
      MOVIES,
      (p) => {
        if (cancelledAt < 0 && p.message?.includes('epoch')) {
          cancelledAt = p.done;
          job.cancel();
        }
      },
    );
    const error = await job.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
    expect(cancelledAt).toBeGreaterThanOrEqual(0);
  });
});
