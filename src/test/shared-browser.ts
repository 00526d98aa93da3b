/**
 * Tests only (browser): the browser tests read ../shared through the test server, which serves it
 * under /__shared/ (scripts/vite-plugins.ts; MARQUEE_SHARED moves it). Like missingShared in
 * shared.ts, this answers whether something is missing and then says once, by file, what is not run.
 */

/**
 * True when any of `paths` (files inside the shared folder) is not served under /__shared/; then
 * prints one NOT RUN line naming the test file, what it skips and why. Await it once per file.
 */
export async function missingSharedInBrowser(
  testFile: string,
  what: string,
  ...paths: string[]
): Promise<boolean> {
  const missing: string[] = [];
  for (const p of paths) {
    const res = await fetch(`/__shared/${p}`, { method: 'HEAD' });
    if (!res.ok) missing.push(p);
  }
  if (missing.length === 0) return false;
  // The module URL's path ends in the repo-relative path (src/… or test/…).
  const file = new URL(testFile).pathname.replace(/^.*?\/(src|test)\//, '$1/');
  console.warn(
    `NOT RUN in ${file}: ${what}. They read real data, and the test server has no ${missing.join(', ')} ` +
      'under /__shared/ (the shared data folder: ../shared beside the project, or set MARQUEE_SHARED).',
  );
  return true;
}
