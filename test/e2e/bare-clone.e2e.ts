/**
 * A clone without the shared data folder: its e2e tests must pass there, and those that need the
 * real data must say once, plainly, that they were not run and why (never a silent pass). This
 * checks that every e2e file that reads the shared folder asks missingShared (src/test/shared.ts)
 * first, and runs vitest again in a child process with MARQUEE_SHARED pointing at a folder that is not there
 * on files whose every test needs the real data: the run exits 0 with every test skipped, none
 * passed or failed, and each file prints its one NOT RUN line naming that folder. CI has
 * ../shared, so those files run in full there; this covers the bare path too (~10 s).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'marquee-bare-'));
/** A shared folder that is not there, as on a fresh clone. */
const absent = join(scratch, 'no-shared');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `npx vitest <args>` in the project with MARQUEE_SHARED=absent; exit code and all output. */
function vitest(args: string[]): Promise<{ code: number | null; output: string }> {
  // The child is a fresh vitest: none of this worker's VITEST_* state, no colours to strip.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'),
  );
  return new Promise((ok, fail) => {
    const child = spawn('npx', ['vitest', ...args], {
      cwd: ROOT,
      env: { ...env, MARQUEE_SHARED: absent, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => ok({ code, output }));
  });
}

/** Every e2e file's name and source. */
const sources = readdirSync(join(ROOT, 'test/e2e'))
  .filter((f) => f.endsWith('.e2e.ts') && f !== 'bare-clone.e2e.ts')
  .map((f) => [`test/e2e/${f}`, readFileSync(join(ROOT, 'test/e2e', f), 'utf8')] as const);

/** Files whose every test needs the real data: run here, they must skip everything and pass. */
const ALL_SKIPPED = ['test/e2e/explore.e2e.ts', 'test/e2e/responsive.e2e.ts'];

describe('the e2e tests on a clone without the shared data folder', () => {
  it('ask missingShared wherever they read the shared folder', () => {
    // SHARED and sharedPath() are the only ways in (test/e2e/app.ts); a file that uses them and
    // never asks whether the data is there would fail on a bare clone instead of saying why.
    const reading = sources.filter(([, src]) => /\bSHARED\b|\bsharedPath\(/.test(src));
    expect(reading.length).toBeGreaterThan(3);
    for (const [file, src] of reading) expect(src, file).toMatch(/\bmissingShared\(/);
  });

  it('pass files that need it, skipping every test, each saying once what and why', async () => {
    const report = join(scratch, 'report.json');
    const { code, output } = await vitest([
      'run',
      '--project',
      'e2e',
      ...ALL_SKIPPED,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    expect(code, output).toBe(0);
    const lines = output.split('\n').filter((l) => l.startsWith('NOT RUN in '));
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(
      ALL_SKIPPED.map((f) => `NOT RUN in ${f}`).sort(),
    );
    for (const l of lines)
      expect(l).toMatch(
        `They read real data, and the shared data folder ${absent} is not there (put it beside the project as ../shared, or set MARQUEE_SHARED).`,
      );
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      testResults: { name: string }[];
    };
    expect(json.testResults.map((r) => r.name.slice(ROOT.length + 1)).sort()).toEqual(
      [...ALL_SKIPPED].sort(),
    );
    expect(json.numTotalTests).toBeGreaterThan(5);
    expect(json.numPendingTests).toBe(json.numTotalTests);
    expect([json.numPassedTests, json.numFailedTests]).toEqual([0, 0]);
  }, 180_000);
});
