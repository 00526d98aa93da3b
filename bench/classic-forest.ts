/**
 * `node --import tsx bench/classic-forest.ts`: Node timings of the classic random forest
 * (src/lib/models/classic) next to scikit-learn's on the same rows, printed as JSON.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  runDenseForestBench,
  runKeywordForestBench,
} from '../src/lib/models/classic/forest-bench.ts';

const shared = resolve(process.env.MARQUEE_SHARED ?? '../shared');
const keywords = await runKeywordForestBench(
  readFileSync(resolve(shared, 'data/metadata/tmdb-5000.csv'), 'utf8'),
);
const dense = await runDenseForestBench();
let sklearn: unknown;
try {
  const out = execFileSync(
    '/usr/bin/python3',
    ['src/lib/models/classic/sklearn_reference.py', '--bench'],
    { encoding: 'utf8' },
  );
  sklearn = JSON.parse(out);
} catch (e) {
  sklearn = `not run: ${String(e).slice(0, 200)}`;
}
console.log(
  JSON.stringify(
    { keywords, dense, sklearn, rssMB: Math.round(process.memoryUsage().rss / 1e6) },
    null,
    1,
  ),
);
