import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { withDevServer } from '../dev-server.ts';
import type { Bench, BenchContext } from '../types.ts';

const MOVIES = 'data/metadata/tmdb-imdb-2011-2016.csv';

/**
 * X and Y exactly as ../shared/bench/native_reference.py's tabular() builds them: every numeric
 * column of the CSV (pandas select_dtypes, NaN → 0, 5,996 × 26) and 7 random labels drawn with
 * numpy's default_rng(0) (P(1) = 0.3). Python prints them so both sides fit the same numbers.
 */
function nativeWorkload(shared: string): { rows: number; cols: number; x: number[]; y: number[] } {
  const py = `
import json, numpy as np, pandas as pd
df = pd.read_csv(${JSON.stringify(join(shared, MOVIES))}, encoding='latin-1')
X = df.select_dtypes('number').fillna(0).to_numpy(dtype=np.float64)
Y = (np.random.default_rng(0).random((len(X), 7)) > 0.7).astype(int)
print(json.dumps({'rows': X.shape[0], 'cols': X.shape[1], 'x': X.ravel().tolist(), 'y': Y.ravel().tolist()}))`;
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', maxBuffer: 64 << 20 }),
  );
}

interface FitTimes {
  libsvmOneLabelS: number[];
  svmOvrS: number;
  forestS: number[];
}

/**
 * The model fits, in a module worker of a Vite dev-server page that imports the same registry and
 * LIBSVM glue the train worker uses (the train worker's API takes movies, not a raw matrix, and the
 * native workload has 26 raw columns no Movie holds). Runs in the page; arguments are plain data.
 */
async function fitInWorker(
  page: Page,
  data: ReturnType<typeof nativeWorkload>,
  repeats: number,
): Promise<FitTimes> {
  return page.evaluate(
    async ({ data, repeats }) => {
      const code = `
        import { createModel } from '${location.origin}/src/lib/models/index.ts';
        import { createLibsvm } from '${location.origin}/src/lib/models/libsvm.ts';
        // A blob worker's base URL is blob:, so root-relative fetches (the wasm asset) resolve against the page instead.
        const fetchAt = self.fetch.bind(self);
        self.fetch = (u, o) => fetchAt(typeof u === 'string' ? new URL(u, '${location.origin}') : u, o);
        onmessage = async ({ data: { data, repeats } }) => {
          try {
            const x = Float32Array.from(data.x), { rows, cols } = data;
            const y = { rows, cols: 7, data: Uint8Array.from(data.y) };
            const label0 = Uint8Array.from({ length: rows }, (_, r) => data.y[r * 7]);
            const time = async (f) => { const t = performance.now(); await f(); return (performance.now() - t) / 1000; };
            const out = { libsvmOneLabelS: [], forestS: [] };
            // svm-train's defaults: C-SVC, RBF, gamma = 1 / features, C = 1, eps = 0.001, no probabilities.
            const command = '-s 0 -t 2 -c 1 -g ' + 1 / cols + ' -e 0.001 -q 1';
            for (let i = 0; i < repeats; i++) {
              const svm = await createLibsvm();
              out.libsvmOneLabelS.push(await time(() => svm.train(x, rows, cols, label0, command)));
            }
            out.svmOvrS = await time(() => createModel({ kind: 'svm', params: { C: 1, gamma: 'scale' } }).fit({ rows, cols, data: x }, y));
            for (let i = 0; i < repeats; i++)
              out.forestS.push(await time(() => createModel({ kind: 'forest', params: { nEstimators: 100, seed: 0 } }).fit({ rows, cols, data: x }, y)));
            postMessage({ ok: out });
          } catch (e) { postMessage({ error: String(e && e.stack || e) }); }
        };`;
      const worker = new Worker(
        URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
        { type: 'module' },
      );
      try {
        return await new Promise<FitTimes>((resolve, reject) => {
          worker.onerror = (e) => reject(new Error(e.message));
          worker.onmessage = ({ data: m }) =>
            m.error ? reject(new Error(m.error)) : resolve(m.ok);
          worker.postMessage({ data, repeats });
        });
      } finally {
        worker.terminate();
      }
    },
    { data, repeats },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function modelFits(ctx: BenchContext): Promise<void> {
  const data = nativeWorkload(ctx.shared);
  ctx.log(`native workload: ${data.rows} × ${data.cols} raw numeric columns, 7 random labels`);
  await withDevServer(async (url) => {
    const page = await ctx.newPage();
    try {
      await page.goto(`${url}bench/pages/cnn.html`); // any page of the dev server: the worker imports by URL
      const t = await fitInWorker(page, data, 3);
      const one = median(t.libsvmOneLabelS);
      ctx.record({
        name: `LIBSVM (wasm) fit, one label, ${data.rows} × ${data.cols} raw, svm-train defaults (median of 3)`,
        value: one,
        unit: 's',
        ref: 'tabular.libsvm_svm_train_one_label_s',
        // run.ts runs the native reference after the benches, so the ratio target is judged in its note, not here.
        note: `target ≤ 2× native; runs ${t.libsvmOneLabelS.map((s) => s.toFixed(2)).join(', ')} s; ratio = ours / native, lower is better. svm-train reads a sparse file (zeros left out), the wasm glue passes dense rows`,
      });
      ctx.record({
        name: 'studio SVM fit, 7 labels one-vs-rest (gamma=scale, C=1, with Platt probabilities)',
        value: t.svmOvrS,
        unit: 's',
        ref: 'tabular.sklearn_svc_rbf_ovr_fit_s',
        note: `${(t.svmOvrS / 7).toFixed(2)} s per label; not like-for-like: ours adds LIBSVM -b 1 (an internal 5-fold CV per label), sklearn's SVC() does not; ratio = ours / native`,
      });
      const forest = median(t.forestS);
      ctx.record({
        name: `random forest fit, 100 trees × 7 labels one-vs-rest, ${data.rows} × ${data.cols} (median of 3)`,
        value: forest,
        unit: 's',
        ref: 'tabular.sklearn_rf100_ovr_fit_s',
        note: `target ≤ 3× sklearn (n_jobs=-1); runs ${t.forestS.map((s) => s.toFixed(2)).join(', ')} s; one worker thread vs sklearn on every core; ratio = ours / native, lower is better`,
      });
    } finally {
      await page.context().close();
    }
  });
}

/**
 * The paper's tuned forest (12-point grid over maxDepth × maxFeatures × minSamplesLeaf, 5-fold CV,
 * refit, test) through the built app's Train panel and train worker. The tuned SVM preset is the
 * same path but far slower here (61 fits with Platt probabilities, C up to 100), too long for a routine bench.
 */
async function gridThroughTrainPanel(ctx: BenchContext): Promise<void> {
  const page = await ctx.newPage();
  try {
    await page.goto(`${ctx.appUrl}/#/library`);
    await page.getByTestId('pick-files').setInputFiles(join(ctx.shared, MOVIES));
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('button', { name: 'Random forest (tuned)' }).click();
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const done = page.getByTestId('recent-runs').getByText(/Random forest, tuned/);
    await done.waitFor({ timeout: 3_600_000 });
    const wallS = (Date.now() - t0) / 1000;
    const text = await page.getByTestId('recent-runs').innerText();
    ctx.log(text.split('\n')[0] ?? '');
    const totalS = Number(/done in ([\d.]+) s/.exec(text)?.[1]);
    if (!Number.isFinite(totalS)) throw new Error(`the grid run did not finish: ${text}`);
    ctx.record({
      name: 'forest tuned: 12-point grid × 5-fold CV + refit + test (100 trees × 7 labels per fit), Train panel → train worker',
      value: totalS,
      unit: 's',
      target: '< 600',
      pass: totalS < 600,
      note: `61 one-vs-rest forest fits on the library's movies (paper features); click to result ${wallS.toFixed(0)} s`,
    });
  } finally {
    await page.context().close();
  }
}

/** Tabular model fits against scikit-learn / LIBSVM on the same machine, and a full grid search in the studio. */
export const tabular: Bench = {
  name: 'tabular',
  description:
    'SVM and random forest fits on the native reference workload (worker), and a 12-point 5-fold forest grid via the Train panel',
  async run(ctx) {
    await modelFits(ctx);
    await gridThroughTrainPanel(ctx);
  },
};
