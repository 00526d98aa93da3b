/**
 * Tests only (Node): where the shared data folder is. It holds the real data and weights some tests
 * read in place (never copied into the repo): `../shared` beside the project, or MARQUEE_SHARED.
 * A clone without it still passes its tests: those that need it are skipped, and each such file says
 * so once, by name, with the path it looked for.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

/** The shared folder: MARQUEE_SHARED if set, else ../shared beside the project. */
export const SHARED_ROOT = resolve(ROOT, process.env.MARQUEE_SHARED || '../shared');

/** A path inside the shared folder, e.g. sharedPath('data', 'metadata', 'tmdb-5000.csv'). */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_ROOT, ...parts);
}

/** The same as a file: URL; a trailing '/' is kept, so sharedUrl('data/') works as a base URL. */
export function sharedUrl(...parts: string[]): URL {
  return pathToFileURL(sharedPath(...parts));
}

/** Whether every given path exists in the shared folder. */
export function hasShared(...paths: string[]): boolean {
  return paths.every((p) => existsSync(sharedPath(p)));
}

/**
 * True when any of `paths` is missing from the shared folder; then prints one line naming the
 * test file, what it did not run and why. Use once per file: `const noData = missingShared(...)`,
 * then `describe.skipIf(noData)` / `it.skipIf(noData)` on the tests that read the real data.
 */
export function missingShared(testFile: string, what: string, ...paths: string[]): boolean {
  const missing = paths.filter((p) => !existsSync(sharedPath(p)));
  if (missing.length === 0) return false;
  const file = relative(ROOT, testFile.startsWith('file:') ? fileURLToPath(testFile) : testFile);
  const why = existsSync(SHARED_ROOT)
    ? `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing from the shared data folder ${SHARED_ROOT}`
    : `the shared data folder ${SHARED_ROOT} is not there (put it beside the project as ../shared, or set MARQUEE_SHARED)`;
  console.warn(`NOT RUN in ${file}: ${what}. They read real data, and ${why}.`);
  return true;
}
