import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { TestRanking } from '../src/lib/experiments/index.ts';
import { hasShared, sharedPath } from '../src/test/shared.ts';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const REAL = 'data/metadata/tmdb-imdb-2011-2016.csv';
const dir = mkdtempSync(join(tmpdir(), 'experiment-cli-'));

// A few hundred rows keep each CLI run to ~2 s: the first 301 lines (header + 300 movies) of the real
// file, or without the shared data folder 300 generated movies whose genres follow their popularity.
const slice = join(dir, 'slice.csv');
if (hasShared(REAL)) {
  const csv = readFileSync(sharedPath(REAL));
  writeFileSync(slice, csv.subarray(0, nthNewline(csv, 301)));
} else {
  console.warn(
    `scripts/experiment.test.ts: ${sharedPath(REAL)} is not there, so the CLI runs on 300 generated movies instead.`,
  );
  writeFileSync(slice, generatedMovies(300));
}

/** tmdb_id,title,genre_ids,popularity,vote_count,vote_average; genres depend on the numbers. */
function generatedMovies(n: number): string {
  const lines = ['id,title,genre_ids,imdb_id,popularity,vote_count,vote_average'];
  for (let i = 1; i <= n; i++) {
    const popularity = (i * 37) % 100;
    const votes = (i * 53) % 1000;
    const average = 3 + ((i * 7) % 60) / 10;
    const genres = [popularity > 50 ? 28 : 18, votes > 500 ? 35 : 53, ...(average > 6 ? [14] : [])];
    lines.push(
      `${i},Movie ${i},"[${genres.join(', ')}]",${1000000 + i},${popularity},${votes},${average}`,
    );
  }
  return lines.join('\n') + '\n';
}

function nthNewline(buf: Buffer, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = buf.indexOf(10, at + 1);
  return at + 1;
}

const GOOD = {
  data: { movies: 'slice.csv' },
  labels: { groups: 'paper7' },
  features: {
    numeric: ['popularity', 'voteCount', 'voteAverage'],
    certificate: false,
    scaling: 'standardize',
  },
  sampling: { method: 'none' },
  model: { kind: 'forest', params: { nEstimators: 10, seed: 1 } },
  cv: { folds: 2 },
  split: { testFraction: 0.25, seed: 3 },
};

async function cli(
  spec: unknown,
  extra: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(spec));
  try {
    const r = await run(
      'node',
      ['--import', 'tsx', 'scripts/experiment.ts', '--spec', file, '--quiet', ...extra],
      { cwd: ROOT },
    );
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('scripts/experiment.ts', () => {
  it('runs a good spec and writes the result (CSV path relative to the spec file)', async () => {
    const out = join(dir, 'result.json');
    const r = await cli(GOOD, ['--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      test: { hammingLoss: number } & TestRanking;
      dataset: { movies: number };
    };
    expect(result.test.hammingLoss).toBeGreaterThan(0);
    // Ranking metrics and curves travel in the result JSON (NaN stored as null).
    expect(result.test.ranking!.rocAuc.micro).toBeGreaterThan(0.5);
    expect(result.test.ranking!.confusion).toHaveLength(7);
    expect(result.test.curves!.pr).toHaveLength(7);
    expect(result.test.hammingLoss).toBeLessThan(0.5);
    expect(result.dataset.movies).toBeGreaterThan(200);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'an unknown model',
      { ...GOOD, model: { kind: 'xgboost' } },
      /^experiment: model.kind: unknown model "xgboost" \(known: 'svm', 'forest', 'mlp', 'logistic'\)\n$/,
    ],
    [
      'a missing file',
      { ...GOOD, data: { movies: 'nope.csv' } },
      /^experiment: data.movies: file not found: nope.csv \(looked in .+\)\n$/,
    ],
    [
      'a column the CSV lacks',
      { ...GOOD, features: { ...GOOD.features, numeric: ['popularity', 'numStunts'] } },
      /^experiment: features.numeric: column 'numStunts' is missing from slice.csv \(no movie has num_stunts\)\n$/,
    ],
  ];
  for (const [what, spec, message] of bad) {
    it(`exits 1 with one clear message for ${what}`, async () => {
      const r = await cli(spec);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it(
    'runs a grid as shards (--shard i/n) and --merge gives the whole run (timings aside)',
    { timeout: 300_000 },
    async () => {
      const spec = {
        ...GOOD,
        model: { ...GOOD.model, grid: { maxDepth: [2, null], minSamplesLeaf: [1, 4] } },
      };
      const path = (name: string) => join(dir, name);
      const whole = await cli(spec, ['--out', path('whole.json')]);
      expect(whole.code).toBe(0);
      for (const i of [1, 2, 3]) {
        const r = await cli(spec, ['--shard', `${i}/3`, '--out', path(`part-${i}.json`)]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const merge = (...args: string[]) =>
        run('node', ['--import', 'tsx', 'scripts/experiment.ts', '--merge', ...args], {
          cwd: ROOT,
        }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
      const parts = [3, 1, 2].map((i) => path(`part-${i}.json`));
      const merged = await merge(...parts, '--out', path('merged.json'));
      expect(merged.code).toBe(0);
      const read = (f: string) => {
        const { timings: _t, ...rest } = JSON.parse(readFileSync(path(f), 'utf8')) as {
          timings: unknown;
        };
        return rest;
      };
      expect(read('merged.json')).toEqual(read('whole.json'));
      const missing = await merge(parts[0]!, parts[1]!);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('experiment: --merge: missing shard 2/3: all 3 are needed\n');
      const twice = await merge(parts[0]!, parts[1]!, parts[2]!, parts[2]!);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toMatch(
        /overlapping shards: .*part-2.json and .*part-2.json are both shard 2\/3/,
      );
      const badShard = await cli(spec, ['--shard', '4/3']);
      expect(badShard.code).toBe(2);
      expect(badShard.stderr).toMatch(/--shard must be i\/n with 1 ≤ i ≤ n/);
    },
  );
});
