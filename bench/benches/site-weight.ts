import { weighSite } from '../../scripts/site-weight.ts';
import { ensureBuilt } from '../../test/e2e/build.ts';
import type { Bench } from '../types.ts';

const MB = 1e6;

/** The built site's weight (issue 14): what the service worker precaches on a first visit, and dist/. */
export const siteWeight: Bench = {
  name: 'site-weight',
  description: 'first-visit download (precached JS+wasm) and dist/ size of the built site',
  async run(ctx) {
    const w = weighSite(await ensureBuilt());
    ctx.record({
      name: 'first visit: JS + wasm precached before any model is asked for',
      value: w.precacheCodeBytes / MB,
      unit: 'MB',
      target: '≤ 6 MB',
      pass: w.precacheCodeBytes <= 6 * MB,
      note: `${w.precache.length} files, ${(w.precacheBytes / MB).toFixed(2)} MB with HTML/CSS`,
    });
    ctx.record({
      name: 'dist/ size',
      value: w.distBytes / MB,
      unit: 'MB',
      target: '≤ 40 MB',
      pass: w.distBytes <= 40 * MB,
      note: `source maps ${(w.mapBytes / MB).toFixed(1)} MB; JS files holding tfjs-core: ${w.tfjsCoreCopies}`,
    });
  },
};
