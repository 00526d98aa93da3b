/**
 * Headless experiment runner: `npm run experiment -- --spec spec.json [--out result.json]
 * [--backend cpu|wasm] [--quiet] [--shard i/n]`, or `--merge a.json b.json … [--out result.json]`
 * to combine the partial results of shards 1..n into the whole run's result. Same runner as the studio's train worker; tfjs on the cpu
 * (default: bit-for-bit repeatable) or wasm backend. `data.movies` is resolved relative to the
 * spec file first, then to the working directory. Errors print one message and exit 1 (2 for usage).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import {
  checkSpecAgainstMovies,
  MergeError,
  mergeShards,
  parseSpec,
  rankingSummary,
  runExperiment,
  SpecError,
  type MetadataExperimentResult,
  type ShardSpec,
} from '../src/lib/experiments/index.ts';
import '../src/lib/models/node.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import { terminalProgress } from '../src/lib/core/progress.ts';
import { EXPERIMENT_USAGE, helpIfAsked } from './cli-usage.ts';
import { errorMessage } from '../src/lib/core/errors.ts';

class UsageError extends Error {}

function fail(message: string, code: number): never {
  process.stderr.write(`experiment: ${message}\n`);
  process.exit(code);
}

/** The CSV path: relative to the spec's folder if it exists there, else to the working directory. */
export function resolveMoviesPath(
  moviesPath: string,
  specPath: string,
  cwd = process.cwd(),
): string {
  const candidates = [resolve(dirname(specPath), moviesPath), resolve(cwd, moviesPath)];
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new SpecError([
      `data.movies: file not found: ${moviesPath} (looked in ${[...new Set(candidates.map(dirname))].join(' and ')})`,
    ]);
  return found;
}

/** `i/n` with 1 ≤ i ≤ n, else a UsageError. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || index < 1 || count < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. --shard 2/4), got ${text}`);
  return { index, count };
}

function writeResult(result: unknown, out: string | undefined): void {
  const json = JSON.stringify(result, null, 2);
  if (out) writeFileSync(out, json + '\n');
  else process.stdout.write(json + '\n');
}

function parseCli() {
  try {
    return parseArgs({
      options: {
        spec: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        quiet: { type: 'boolean', default: false },
        models: { type: 'string', default: '../shared/models' },
        shard: { type: 'string' },
        merge: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
}

async function main(): Promise<void> {
  helpIfAsked(process.argv.slice(2), EXPERIMENT_USAGE);
  const { values: args, positionals: files } = parseCli();
  if (args.merge) {
    if (args.spec || args.shard)
      throw new UsageError('--merge takes partial results, not --spec or --shard');
    if (files.length === 0)
      throw new UsageError('--merge needs the partial results: --merge a.json b.json …');
    const parts = files.map((name) => {
      let result: unknown;
      try {
        result = JSON.parse(readFileSync(name, 'utf8'));
      } catch (e) {
        throw new MergeError(`${name}: ${errorMessage(e)}`);
      }
      return { name, result: result as MetadataExperimentResult };
    });
    writeResult(mergeShards(parts), args.out);
    return;
  }
  if (files.length)
    throw new UsageError(`unexpected argument ${files[0]} (only --merge takes files)`);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (!args.spec)
    throw new UsageError(
      'missing --spec <file.json> (usage: npm run experiment -- --spec spec.json --out result.json)',
    );
  if (args.backend !== 'cpu' && args.backend !== 'wasm')
    throw new UsageError(`--backend must be cpu or wasm, got ${args.backend}`);
  const specPath = resolve(args.spec);
  if (!existsSync(specPath)) throw new SpecError([`spec file not found: ${args.spec}`]);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (e) {
    throw new SpecError([`${args.spec} is not valid JSON: ${errorMessage(e)}`]);
  }
  // Posters specs (data.posters) go to the poster runner, loaded only then so that the poster
  // kinds are not registered (nor listed) for metadata specs.
  const data = (raw as { data?: unknown } | null)?.data;
  if (typeof data === 'object' && data !== null && 'posters' in data) {
    if (shard) throw new UsageError('--shard is for metadata specs; a posters spec runs whole');
    const { runPosterCli } = await import('./poster-experiment.ts');
    await initCompute({ prefer: args.backend });
    const progress = args.quiet ? undefined : terminalProgress((l) => process.stderr.write(l));
    const result = await runPosterCli(raw, specPath, resolve(args.models), progress);
    const json = JSON.stringify(result, null, 2);
    if (args.out) writeFileSync(args.out, json + '\n');
    else process.stdout.write(json + '\n');
    return;
  }
  const spec = parseSpec(raw);
  if (!('movies' in spec.data))
    throw new SpecError(['data.library: the CLI has no library; give data.movies as a CSV path']);
  const csvPath = resolveMoviesPath(spec.data.movies, specPath);
  const parsed = await parseMoviesCsv(new Uint8Array(readFileSync(csvPath)), {
    source: basename(csvPath),
  });
  const problems = checkSpecAgainstMovies(spec, parsed.movies, basename(csvPath));
  if (problems.length) throw new SpecError(problems);
  await initCompute({ prefer: args.backend });
  const result = await runExperiment(spec, parsed.movies, {
    shard,
    onProgress: args.quiet ? undefined : terminalProgress((l) => process.stderr.write(l)),
  });
  writeResult(result, args.out);
  if (!args.quiet) {
    const t = result.test;
    const part = result.shard
      ? `shard ${result.shard.index}/${result.shard.count}, grid points ${result.shard.points.map((p) => p + 1).join(', ')} of ${result.shard.gridSize} (partial: merge with --merge); `
      : '';
    process.stderr.write(
      `${part}test: Hamming loss ${t.hammingLoss.toFixed(4)}, exact ${(100 * t.exactMatch).toFixed(1)} %, at least one ${(100 * t.atLeastOne).toFixed(1)} % ` +
        `(best ${JSON.stringify(result.best.params)}, ${result.dataset.trainRows}/${result.dataset.testRows} train/test movies)\n` +
        `test: ${rankingSummary(t)}\n`,
    );
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) fail(e.message, 2);
  if (e instanceof SpecError) fail(e.problems.join('\nexperiment: '), 1);
  if (e instanceof MergeError) fail(`--merge: ${e.message}`, 1);
  fail(errorMessage(e), 1);
});
