/**
 * Weighs a built site (dist/): its total size and what the service worker precaches, i.e. what a
 * first visit downloads before the user asks for any model. Used by test/e2e/site-weight.e2e.ts
 * and the bench (`site-weight`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One file of the site and its size. */
export interface SiteFile {
  path: string;
  bytes: number;
}

/** The figures of a built site. */
export interface SiteWeight {
  distBytes: number;
  /** Source maps left in dist/ (should be none). */
  mapBytes: number;
  /** Files the service worker precaches on the first visit. */
  precache: SiteFile[];
  precacheBytes: number;
  /** The JS and wasm among them: what a first visit downloads before any model is asked for. */
  precacheCodeBytes: number;
  /** JS files holding tfjs-core's engine: 2 = one for the page, one shared by every tfjs worker. */
  tfjsCoreCopies: number;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The precache manifest vite-plugin-pwa injected into sw.js: `[{"revision":…,"url":…}, …]`. */
export function precacheUrls(swSource: string): string[] {
  const manifest = /\[\{"revision":[^\]]*\]/.exec(swSource)?.[0];
  if (!manifest)
    throw new Error('sw.js holds no precache manifest (was the site built with the PWA plugin?)');
  return (JSON.parse(manifest) as { url: string }[]).map((e) => e.url);
}

/**
 * A string only tfjs-core's engine holds (its "high memory usage" warning). It survives
 * minification, so counting the JS files that contain it counts the copies of tfjs.
 */
const TFJS_CORE_MARK = 'High memory usage in GPU';

/** Weighs the built site in `dist`. */
export function weighSite(dist: string): SiteWeight {
  const files = walk(dist).map((p) => ({ path: relative(dist, p), bytes: statSync(p).size }));
  const size = new Map(files.map((f) => [f.path, f.bytes]));
  const precache = precacheUrls(readFileSync(join(dist, 'sw.js'), 'utf8')).map((url) => {
    const path = decodeURIComponent(url.split('?')[0]!);
    const bytes = size.get(path);
    if (bytes === undefined) throw new Error(`precached ${url} is not in ${dist}`);
    return { path, bytes };
  });
  const sum = (fs: SiteFile[]) => fs.reduce((s, f) => s + f.bytes, 0);
  const js = files.filter((f) => f.path.endsWith('.js'));
  const workerSide = js.filter((f) =>
    readFileSync(join(dist, f.path), 'utf8').includes(TFJS_CORE_MARK),
  );
  return {
    distBytes: sum(files),
    mapBytes: sum(files.filter((f) => f.path.endsWith('.map'))),
    precache,
    precacheBytes: sum(precache),
    precacheCodeBytes: sum(precache.filter((f) => /\.(m?js|wasm)$/.test(f.path))),
    tfjsCoreCopies: workerSide.length,
  };
}

/** Relative ES module paths a built JS file imports statically (`import…from"./x.js"`, `import"./x.js"`, `export…from`); dynamic `import("./x.js")` is not matched. */
export function staticImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/(?:\bfrom|\bimport)\s*["'`](\.\.?\/[^"'`]+?\.m?js)["'`]/g))
    out.add(m[1]!);
  return [...out];
}

/**
 * Precached JS files that statically import a file the service worker does not precache, as
 * `importer → imported` (site-relative). Offline, such an import fails and takes its whole
 * module graph down (a worker that cannot start): every one is a bug. A first-use chunk
 * (offline/first-use.ts) must only be reached through dynamic import().
 */
export function importsOutsidePrecache(dist: string): string[] {
  const precached = new Set(
    precacheUrls(readFileSync(join(dist, 'sw.js'), 'utf8')).map((u) =>
      decodeURIComponent(u.split('?')[0]!),
    ),
  );
  const out: string[] = [];
  for (const path of [...precached].filter((p) => /\.m?js$/.test(p))) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    for (const rel of staticImports(readFileSync(join(dist, path), 'utf8'))) {
      const target = new URL(rel, `https://site/${dir}`).pathname.slice(1);
      if (!precached.has(target)) out.push(`${path} → ${target}`);
    }
  }
  return out.sort();
}
