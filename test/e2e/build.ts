import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** Inputs of the build besides src/ (tests under src/ are skipped: they are not built). */
const INPUTS = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'scripts/vite-plugins.ts',
  'scripts/pwa-plugin.ts',
  'scripts/wasm-threads-plugin.ts',
  'scripts/site-base.ts',
  'package-lock.json',
];
const STAMP = '.marquee-build-ok';

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) return void out.push(path);
  for (const name of readdirSync(path).sort()) walk(join(path, name), out);
}

/**
 * A short key for the current sources: git HEAD plus a hash of every build input's path and bytes,
 * and the base path when it is not '/'.
 */
export function buildKey(base = '/'): string {
  let head = 'nogit';
  try {
    head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
  } catch {
    /* not a git checkout (e.g. an exported tarball): the content hash alone decides */
  }
  const files: string[] = [];
  for (const input of INPUTS) walk(join(ROOT, input), files);
  const hash = createHash('sha256');
  for (const file of files.filter((f) => !/\.test\.ts$/.test(f))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const sub = base === '/' ? '' : `-base${base.replace(/\//g, '_')}`;
  return `${head}-${hash.digest('hex').slice(0, 12)}-prod${sub}`;
}

function viteBuild(outDir: string, base: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
      cwd: ROOT,
      // vitest sets NODE_ENV=test, which the child would inherit; Vite then builds with
      // import.meta.env.DEV true (no service worker). Tests must exercise the production build.
      env: { ...process.env, NODE_ENV: 'production', MARQUEE_BASE: base },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`vite build exited with ${code}`)),
    );
  });
}

const pending = new Map<string, Promise<string>>();

/**
 * The built site for e2e tests: $MARQUEE_DIST if set (root base only), else a build in the temp
 * dir keyed by buildKey(base), made at most once per key (a stamp file marks a finished build, so
 * an interrupted one is redone) and once per test process. `base` is Vite's base ('/marquee/'
 * builds the site for a sub-path, as MARQUEE_BASE does for npm run build).
 */
export function ensureBuilt(base = '/'): Promise<string> {
  const given = process.env.MARQUEE_DIST;
  if (given && base === '/') return Promise.resolve(resolve(given));
  let build = pending.get(base);
  if (!build) {
    build = (async () => {
      const dir = join(tmpdir(), `marquee-e2e-${buildKey(base)}`);
      if (existsSync(join(dir, STAMP))) return dir;
      await viteBuild(dir, base);
      writeFileSync(join(dir, STAMP), new Date().toISOString());
      return dir;
    })();
    pending.set(base, build);
  }
  return build;
}
