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

/** The system Chromium; set CHROMIUM_PATH to use another. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found)
    throw new Error(
      'Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH',
    );
  return found;
}
