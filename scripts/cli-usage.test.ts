import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  EXPERIMENT_USAGE,
  PREDICT_USAGE,
  TRAIN_DEFAULT_USAGE,
  usageText,
  type Usage,
} from './cli-usage.ts';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
// Each case starts Node with tsx and the CLI's imports (tfjs): seconds alone, minutes on a loaded machine.
const SLOW = 300_000;

async function cli(script: string, args: string[]) {
  try {
    const r = await run('node', ['--import', 'tsx', script, ...args], { cwd: ROOT });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const CLIS: [string, string, Usage][] = [
  ['scripts/experiment.ts', 'npm run experiment', EXPERIMENT_USAGE],
  ['scripts/predict.ts', 'npm run predict', PREDICT_USAGE],
  ['scripts/train-default.ts', 'npm run train:default', TRAIN_DEFAULT_USAGE],
];

describe('--help on every CLI', () => {
  it("lists the experiment CLI's shard and merge options with examples", () => {
    const text = usageText(EXPERIMENT_USAGE);
    expect(text).toMatch(/\n {2}--shard i\/n +run only grid points/);
    expect(text).toMatch(/\n {2}--merge <files…> +combine the partial results/);
    expect(text).toMatch(/npm run experiment -- --merge part-1.json/);
  });

  it.for(CLIS)(
    '%s --help prints usage, examples and exit codes, and exits 0',
    { timeout: SLOW },
    async ([script, command, usage]) => {
      const r = await cli(script, ['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(usageText(usage));
      expect(r.stdout.startsWith(`Usage: ${command}`)).toBe(true);
      expect(r.stdout).toMatch(/\nExamples:\n {2}npm run /);
      expect(r.stdout).toMatch(/\nExit codes:\n {2}0 {2}/);
      expect((await cli(script, ['-h'])).stdout).toBe(r.stdout);
    },
  );

  it(
    'exits with the documented codes on a bad command line',
    async () => {
      const experiment = await cli('scripts/experiment.ts', ['--nope']);
      expect(experiment.code).toBe(2);
      expect(experiment.stderr).toMatch(/^experiment: Unknown option '--nope'/);
      expect(EXPERIMENT_USAGE.exitCodes.map(([c]) => c)).toEqual([0, 1, 2]);
      const predict = await cli('scripts/predict.ts', []);
      expect(predict.code).toBe(1);
      expect(predict.stderr).toMatch(/usage: npm run predict/);
    },
    SLOW,
  );
});
