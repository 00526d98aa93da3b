import { existsSync } from 'node:fs';

/** Flags that work for headless Debian Chromium on these machines (no network, no GPU, root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A fake camera (a test pattern) that needs no permission prompt: Predict's and Style's camera input.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

const MISSING = 'Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH';

/** The system Chromium, or undefined; set CHROMIUM_PATH to use another. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** The system Chromium; throws with how to install it when there is none. */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error(MISSING);
  return found;
}

/**
 * For vitest.config.ts: the Chromium path, or, when there is none, a path that names the fix, so
 * the config still loads (unit tests need no browser) and Playwright's launch error in the
 * browser project reads "executable doesn't exist at <this>".
 */
export function chromiumPathForConfig(): string {
  return findChromium() ?? `/${MISSING}`;
}
