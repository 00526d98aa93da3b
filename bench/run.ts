/**
 * `npm run bench [-- --only a,b] [--no-native]`: builds the app, serves it on 127.0.0.1, runs the
 * named benchmarks in headless Chromium, runs the native reference in ../shared/bench in the same
 * run, and writes bench/out/results.json and bench/out/results.md.
 */
import '../test/node-polyfills.ts';
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../test/chromium.ts';
import { ensureBuilt } from '../test/e2e/build.ts';
import { serveStatic } from '../test/e2e/serve.ts';
import { BENCHES } from './benches/index.ts';
import { findBrowserPid } from './chromium-memory.ts';
import type { Figure } from './types.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : null;
const shared = resolve(process.env.MARQUEE_SHARED ?? '../shared');
const outDir = resolve('bench/out');
mkdirSync(outDir, { recursive: true });

function nativeReference(): Record<string, unknown> | null {
  const script = join(shared, 'bench/native_reference.py');
  if (args.includes('--no-native') || !existsSync(script)) return null;
  console.log('native reference: running', script);
  const r = spawnSync(
    '/usr/bin/python3',
    [script, '--movies', join(shared, 'data/metadata/tmdb-imdb-2011-2016.csv')],
    { encoding: 'utf8', timeout: 1_800_000 },
  );
  if (r.status !== 0) {
    console.warn(
      'native reference failed (install: apt-get install -y python3-torch python3-torchvision python3-sklearn libsvm-tools):',
      r.stderr.slice(-500),
    );
    return null;
  }
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const dist = await ensureBuilt();
const server = await serveStatic(dist, {
  isolationHeaders: true,
  mounts: { '/__shared/': shared },
});
// A marker argument lets benchmarks find this browser's process tree for memory figures.
const marker = `--marquee-bench=${process.pid}`;
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: [...CHROMIUM_ARGS, marker],
});
const results: Array<{
  bench: string;
  description: string;
  figures: Figure[];
  error?: string;
  seconds: number;
}> = [];
try {
  for (const bench of BENCHES) {
    if (only && !only.has(bench.name)) continue;
    const figures: Figure[] = [];
    const t0 = Date.now();
    console.log(`\n▶ ${bench.name}: ${bench.description}`);
    try {
      await bench.run({
        browser,
        appUrl: server.url,
        shared,
        browserPid: () => findBrowserPid(marker),
        newPage: async () =>
          (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage(),
        record: (f) => {
          figures.push(f);
          console.log(
            `  ${f.name}: ${f.value.toFixed(2)} ${f.unit}${f.target ? ` (target ${f.target}${f.pass === undefined ? ', judged against the native run' : f.pass ? ': met' : ': NOT met'})` : ''}`,
          );
        },
        log: (m) => console.log('  ' + m),
      });
      results.push({
        bench: bench.name,
        description: bench.description,
        figures,
        seconds: (Date.now() - t0) / 1000,
      });
    } catch (e) {
      console.error(`  failed: ${e instanceof Error ? e.stack : String(e)}`);
      results.push({
        bench: bench.name,
        description: bench.description,
        figures,
        error: String(e),
        seconds: (Date.now() - t0) / 1000,
      });
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const native = nativeReference();
const machine = {
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
  chromium: execFileSync(chromiumPath(), ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim(),
  date: new Date().toISOString(),
};
for (const r of results) {
  for (const f of r.figures) {
    // Dotted keys reach nested figures, e.g. 'tabular.sklearn_rf100_ovr_fit_s'.
    const ref =
      f.ref && native
        ? f.ref
            .split('.')
            .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], native)
        : undefined;
    // Rates compare as ours / native; times (refIsTime) as native / ours, so > 1 always means faster.
    if (typeof ref === 'number') {
      const speed = f.refIsTime ? ref / f.value : f.value / ref;
      f.note = `${f.note ? f.note + '; ' : ''}${speed.toFixed(3)}× native speed (native ${ref})`;
      const wanted = /≥ ([\d.]+)× native/.exec(f.target ?? '');
      if (wanted) f.pass = speed >= Number(wanted[1]);
    }
  }
}
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ machine, results, native }, null, 1));
const md = [
  `# Marquee benchmarks`,
  '',
  `${machine.date} · ${machine.cpu} × ${machine.cores} · ${machine.memoryGiB} GiB · ${machine.chromium} · Node ${machine.node}`,
  '',
  '| bench | figure | value | target | notes |',
  '|---|---|---|---|---|',
  ...results.flatMap((r) =>
    r.error
      ? [`| ${r.bench} | **failed** | | | ${r.error.replace(/\|/g, '/')} |`]
      : r.figures.map(
          (f) =>
            `| ${r.bench} | ${f.name} | ${f.value.toFixed(2)} ${f.unit} | ${f.target ? `${f.target} ${f.pass === undefined ? '(no native run)' : f.pass ? '✅' : '❌'}` : ''} | ${(f.note ?? '').replace(/\|/g, '/')} |`,
        ),
  ),
  '',
  native
    ? `Native reference (same run): \`${JSON.stringify(native)}\``
    : 'Native reference not run.',
  '',
].join('\n');
writeFileSync(join(outDir, 'results.md'), md);
console.log(`\nwrote ${join(outDir, 'results.json')} and results.md`);
process.exit(results.some((r) => r.error) ? 1 : 0);
