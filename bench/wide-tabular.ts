/**
 * Wide metadata models against scikit-learn on the same matrix (issue 14): the paper features plus
 * the 1,000 most frequent keywords and 200 most frequent directors of the training movies, from
 * metadata/tmdb-5000.csv joined with metadata/imdb-5000.csv (by normalised title + year; movies in
 * only one file kept too). Ours fits in Node (one thread, the studio's code: dense columns + CSR
 * one-hots); bench/wide-tabular.py fits sklearn 1.2 on the same numbers, single-threaded (n_jobs=1,
 * BLAS and OpenMP at 1 thread), right after ours, round by round (A B A B), so load hits both.
 *   node --import tsx bench/wide-tabular.ts [--shared ../shared] [--rounds 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import type { Movie } from '../src/lib/data/types.ts';
import { applyFeaturesTabular, fitFeatures, PAPER_FEATURES } from '../src/lib/features/encode.ts';
import { groupLabels, PAPER7 } from '../src/lib/features/groups.ts';
import { trainTestSplit } from '../src/lib/features/splits.ts';
import { takeRows, type LabelMatrix } from '../src/lib/metrics/index.ts';
import { isMixed, type TabularMatrix } from '../src/lib/models/classic/matrix.ts';
import { createModel, type ModelRecipe } from '../src/lib/models/registry.ts';

const normaliseTitle = (t: string) =>
  t
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

async function parse(path: string): Promise<Movie[]> {
  return (await parseMoviesCsv(new Uint8Array(readFileSync(path)), { source: path })).movies;
}

/** TMDb-5000 movies enriched with their IMDb-5000 twin (director, votes, certificate, plot keywords), plus the unmatched of both. */
export async function wideMovies(shared: string): Promise<{ movies: Movie[]; joined: number }> {
  const tmdb = await parse(join(shared, 'data/metadata/tmdb-5000.csv'));
  const imdb = await parse(join(shared, 'data/metadata/imdb-5000.csv'));
  const key = (m: Movie) => (m.year ? `${normaliseTitle(m.title)}|${m.year}` : '');
  const byTitle = new Map<string, Movie>();
  for (const m of imdb) if (key(m) && !byTitle.has(key(m))) byTitle.set(key(m), m);
  const used = new Set<Movie>();
  const movies = tmdb.map((t) => {
    const twin = byTitle.get(key(t));
    if (!twin || used.has(twin)) return t;
    used.add(twin);
    const defined = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
    return {
      ...twin,
      ...defined,
      key: t.key,
      genreIds: t.genreIds.length ? t.genreIds : twin.genreIds,
      keywords: [...new Set([...t.keywords, ...twin.keywords])],
    } as Movie;
  });
  return { movies: [...movies, ...imdb.filter((m) => !used.has(m))], joined: used.size };
}

export interface WideMatrix {
  x: TabularMatrix;
  y: LabelMatrix;
  movies: number;
  joined: number;
}

/** The training split's matrix as the runner builds it (features fitted on the training movies). */
export async function wideMatrix(shared: string): Promise<WideMatrix> {
  const { movies: all, joined } = await wideMovies(shared);
  const grouped = groupLabels(all, PAPER7);
  const movies = grouped.kept.map((i) => all[i]!);
  const split = trainTestSplit(grouped.labels, {
    seed: 42,
    testFraction: 0.2,
    keys: movies.map((m) => m.key),
  });
  const train = split.train.map((r) => movies[r]!);
  const transform = fitFeatures(train, { ...PAPER_FEATURES, topKeywords: 1000, topDirectors: 200 });
  return {
    x: applyFeaturesTabular(transform, train),
    y: takeRows(grouped.labels, split.train),
    movies: movies.length,
    joined,
  };
}

/** The matrix as JSON for the Python side: dense part row-major, CSR part, labels. */
function writeForPython(m: WideMatrix, file: string): void {
  if (!isMixed(m.x)) throw new Error('expected one-hot columns');
  const { dense, sparse } = m.x;
  writeFileSync(
    file,
    JSON.stringify({
      rows: m.x.rows,
      denseCols: dense.cols,
      dense: Array.from(dense.data),
      sparseCols: sparse.cols,
      indptr: Array.from(sparse.indptr),
      indices: Array.from(sparse.indices),
      labels: m.y.cols,
      y: Array.from(m.y.data),
    }),
  );
}

let oursIterations = 0;

async function fitSeconds(recipe: ModelRecipe, m: WideMatrix): Promise<number> {
  const model = createModel(recipe);
  oursIterations = 0;
  const t0 = performance.now();
  await model.fit(m.x, m.y, {
    onProgress: (p) => {
      if (p.message?.includes('L-BFGS iteration')) oursIterations++;
    },
  });
  return (performance.now() - t0) / 1000;
}

export interface WideRound {
  oursForestS: number;
  /** The faster of sklearn's dense and sparse (CSC) inputs. */
  sklearnForestS: number;
  sklearnForestDenseS: number;
  sklearnForestSparseS: number;
  oursLogisticS: number;
  sklearnLogisticS: number;
  /** sklearn's L-BFGS iterations over the 7 labels and the largest max |gradient| it stopped at (ours: 1e-6). */
  sklearnLogistic: { iterations: number; gradMax: number };
  oursLogisticIterations: number;
  loadBefore: number[];
}

export const FOREST: ModelRecipe = { kind: 'forest', params: { nEstimators: 200, seed: 0 } };
export const LOGISTIC: ModelRecipe = { kind: 'logistic', params: { C: 1 } };

/** Fits both sides `rounds` times, each model back to back (ours, then sklearn). */
export async function runWideTabular(
  shared: string,
  rounds: number,
  log: (s: string) => void,
): Promise<{
  matrix: Omit<WideMatrix, 'x' | 'y'> & { rows: number; cols: number; nnz: number };
  rounds: WideRound[];
}> {
  const m = await wideMatrix(shared);
  const nnz = isMixed(m.x) ? m.x.sparse.indices.length : 0;
  log(
    `matrix: ${m.x.rows} training movies × ${m.x.cols} columns (${isMixed(m.x) ? m.x.dense.cols : m.x.cols} dense, ${nnz} one-hot ones), 7 labels; ${m.movies} movies labelled, ${m.joined} joined across the two files`,
  );
  const file = join(mkdtempSync(join(tmpdir(), 'marquee-wide-')), 'matrix.json');
  writeForPython(m, file);
  let sklearnLogistic = { iterations: 0, gradMax: 0 };
  const py = (what: string): number => {
    const out = execFileSync(
      '/usr/bin/python3',
      [new URL('./wide-tabular.py', import.meta.url).pathname, file, what],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          OMP_NUM_THREADS: '1',
          OPENBLAS_NUM_THREADS: '1',
          MKL_NUM_THREADS: '1',
        },
      },
    );
    const r = JSON.parse(out) as { fitS: number; iterations?: number; gradMax?: number };
    if (r.iterations !== undefined)
      sklearnLogistic = { iterations: r.iterations, gradMax: r.gradMax ?? NaN };
    return r.fitS;
  };
  const out: WideRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const loadBefore = loadavg();
    const oursForestS = await fitSeconds(FOREST, m);
    const sklearnForestSparseS = py('forest-sparse');
    const sklearnForestDenseS = py('forest-dense');
    const oursLogisticS = await fitSeconds(LOGISTIC, m);
    const oursLogisticIterations = oursIterations;
    const sklearnLogisticS = py('logistic');
    const round = {
      oursForestS,
      sklearnForestS: Math.min(sklearnForestDenseS, sklearnForestSparseS),
      sklearnForestDenseS,
      sklearnForestSparseS,
      oursLogisticS,
      sklearnLogisticS,
      sklearnLogistic,
      oursLogisticIterations,
      loadBefore,
    };
    log(`round ${r + 1}: ${JSON.stringify(round)}`);
    out.push(round);
  }
  return {
    matrix: { movies: m.movies, joined: m.joined, rows: m.x.rows, cols: m.x.cols, nnz },
    rounds: out,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = (flag: string, fallback: string) =>
    args.includes(flag) ? args[args.indexOf(flag) + 1]! : fallback;
  const r = await runWideTabular(at('--shared', '../shared'), Number(at('--rounds', '2')), (s) =>
    process.stderr.write(s + '\n'),
  );
  process.stdout.write(JSON.stringify({ ...r, loadAfter: loadavg() }, null, 2) + '\n');
}
