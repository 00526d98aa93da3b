/**
 * Grows one CART tree on a bootstrap sample, depth first like sklearn's DepthFirstTreeBuilder,
 * into the flat arrays of tree.ts, and returns its mean-decrease-in-impurity importances.
 */
import type { Rng } from '../../features/random.ts';
import { gini, SplitRecord, type NodeTotals, type Splitter } from './splitters.ts';
import type { Tree } from './tree.ts';

/** Stopping and feature-sampling parameters (resolved: numbers only). */
export interface GrowParams {
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
}

/** A grown tree and its importances normalised to sum 1 (null for a single-leaf tree, as sklearn skips those). */
export interface GrownTree {
  tree: Tree;
  importances: Float64Array | null;
}

/** sklearn's EPSILON: a node whose impurity is at most this is pure. */
const EPSILON = 2.220446049250313e-16;

/**
 * How many of a node's K non-constant features (out of C) get evaluated. sklearn draws
 * max_features features without replacement, constant ones included, and keeps drawing past
 * max_features until one is non-constant; so the count is hypergeometric, at least 1. Drawing
 * that count here, then that many of the K at random, has the same distribution without
 * touching the ~12,000 constant keyword columns of a deep node.
 */
export function featuresToEvaluate(k: number, c: number, maxFeatures: number, rng: Rng): number {
  const m = Math.min(maxFeatures, c);
  if (m >= c) return k;
  if (k === c) return m;
  let hits = 0;
  let remK = k;
  let remC = c;
  for (let t = 0; t < m && remK > 0; t++, remC--)
    if (rng() * remC < remK) {
      hits++;
      remK--;
    }
  return Math.max(1, hits);
}

/** Reusable scratch for growing many trees over the same splitter and labels. */
export class TreeGrower {
  readonly #splitter: Splitter;
  readonly #y: Uint8Array;
  readonly #p: GrowParams;
  readonly #w: Float64Array;
  readonly #wy: Float64Array;
  readonly #cands: Int32Array;
  readonly #best = new SplitRecord();

  constructor(splitter: Splitter, y: Uint8Array, params: GrowParams) {
    if (y.length !== splitter.rows)
      throw new RangeError(`${y.length} labels for ${splitter.rows} rows`);
    this.#splitter = splitter;
    this.#y = y;
    this.#p = params;
    this.#w = new Float64Array(splitter.rows);
    this.#wy = new Float64Array(splitter.rows);
    this.#cands = new Int32Array(splitter.cols);
  }

  /** Grows a tree with its own generator (bootstrap first, then feature draws node by node). */
  grow(rng: Rng): GrownTree {
    const samples = this.#bootstrap(rng);
    const n = samples.length;
    const cap = Math.max(1, 2 * n - 1);
    const tree: Tree = {
      nodeCount: 0,
      feature: new Int32Array(cap),
      threshold: new Float64Array(cap),
      left: new Int32Array(cap),
      right: new Int32Array(cap),
      value: new Float32Array(cap),
    };
    const importances = new Float64Array(this.#splitter.cols);
    this.#build(samples, tree, importances, rng);
    const c = tree.nodeCount;
    const trimmed: Tree = {
      nodeCount: c,
      feature: tree.feature.slice(0, c),
      threshold: tree.threshold.slice(0, c),
      left: tree.left.slice(0, c),
      right: tree.right.slice(0, c),
      value: tree.value.slice(0, c),
    };
    return { tree: trimmed, importances: c > 1 ? normalise(importances) : null };
  }

  /** Draws n rows with replacement as integer weights (sklearn's sample_weight = bincount); returns the in-bag rows. */
  #bootstrap(rng: Rng): Int32Array {
    const rows = this.#splitter.rows;
    const w = this.#w;
    const wy = this.#wy;
    if (this.#p.bootstrap) {
      w.fill(0);
      for (let i = 0; i < rows; i++) w[Math.floor(rng() * rows)]!++;
    } else w.fill(1);
    let n = 0;
    for (let r = 0; r < rows; r++) if (w[r]! > 0) n++;
    const samples = new Int32Array(n);
    n = 0;
    for (let r = 0; r < rows; r++) {
      wy[r] = w[r]! * this.#y[r]!;
      if (w[r]! > 0) samples[n++] = r;
    }
    this.#splitter.bind(w, wy);
    return samples;
  }

  #build(samples: Int32Array, tree: Tree, importances: Float64Array, rng: Rng): void {
    const p = this.#p;
    const sp = this.#splitter;
    const best = this.#best;
    const cands = this.#cands;
    const cap = tree.feature.length;
    // Stack of pending nodes: start, end, depth, parent (−1 root), side (0 left, 1 right), weights.
    const sStart = new Int32Array(cap);
    const sEnd = new Int32Array(cap);
    const sDepth = new Int32Array(cap);
    const sParent = new Int32Array(cap);
    const sSide = new Uint8Array(cap);
    const sW = new Float64Array(cap);
    const sW1 = new Float64Array(cap);
    let rootW = 0;
    let rootW1 = 0;
    for (const s of samples) {
      rootW += this.#w[s]!;
      rootW1 += this.#wy[s]!;
    }
    sStart[0] = 0;
    sEnd[0] = samples.length;
    sParent[0] = -1;
    sW[0] = rootW;
    sW1[0] = rootW1;
    let top = 1;
    const t: NodeTotals = { n: 0, w: 0, w1: 0 };
    let inheritNext = false;
    while (top > 0) {
      top--;
      const inherited = inheritNext;
      inheritNext = false;
      const start = sStart[top]!;
      const end = sEnd[top]!;
      const depth = sDepth[top]!;
      const parent = sParent[top]!;
      t.n = end - start;
      t.w = sW[top]!;
      t.w1 = sW1[top]!;
      const node = tree.nodeCount++;
      if (parent >= 0) (sSide[top] === 0 ? tree.left : tree.right)[parent] = node;
      tree.value[node] = t.w1 / t.w;
      tree.feature[node] = -1;
      tree.left[node] = -1;
      tree.right[node] = -1;
      const impurity = gini(t.w, t.w1);
      if (
        depth >= p.maxDepth ||
        t.n < p.minSamplesSplit ||
        t.n < 2 * p.minSamplesLeaf ||
        impurity <= EPSILON
      )
        continue;
      const k = sp.nonConstant(samples, start, end, cands, inherited);
      best.reset();
      const h = k === 0 ? 0 : featuresToEvaluate(k, sp.cols, p.maxFeatures, rng);
      for (let i = 0; i < h; i++) {
        const j = i + Math.floor(rng() * (k - i));
        const f = cands[j]!;
        cands[j] = cands[i]!;
        cands[i] = f;
        sp.evaluate(f, samples, start, end, t, p.minSamplesLeaf, best);
      }
      sp.endNode();
      if (best.feature < 0) continue;
      const mid = sp.partition(samples, start, end, best);
      const wl = best.wLeft;
      const wl1 = best.w1Left;
      const wr = t.w - wl;
      const wr1 = t.w1 - wl1;
      tree.feature[node] = best.feature;
      tree.threshold[node] = best.threshold;
      importances[best.feature]! += t.w * impurity - wl * gini(wl, wl1) - wr * gini(wr, wr1);
      // The larger child is pushed last so it is grown next and inherits the splitter's state
      // (ties: left is larger); the same rule for both splitters keeps their trees identical.
      const leftBig = mid - start >= end - mid;
      if (leftBig) sp.handOff(samples, mid, end);
      else sp.handOff(samples, start, mid);
      for (let pass = 0; pass < 2; pass++) {
        const isLeft = (pass === 1) === leftBig;
        sStart[top] = isLeft ? start : mid;
        sEnd[top] = isLeft ? mid : end;
        sDepth[top] = depth + 1;
        sParent[top] = node;
        sSide[top] = isLeft ? 0 : 1;
        sW[top] = isLeft ? wl : wr;
        sW1[top] = isLeft ? wl1 : wr1;
        top++;
      }
      inheritNext = true;
    }
  }
}

function normalise(v: Float64Array): Float64Array {
  let sum = 0;
  for (const x of v) sum += x;
  if (sum > 0) for (let i = 0; i < v.length; i++) v[i]! /= sum;
  return v;
}
