/**
 * Best-split search for one tree node with the Gini criterion, for dense numeric features
 * (value ranks, counted or sorted) and for sparse binary features (per-column counts via the CSR
 * rows, O(nnz in node)). Both give bit-identical results on the same 0/1 data: bootstrap weights
 * are integer counts, so every weighted sum below is exact in float64 whatever the order.
 */
import type { DenseMatrix, SparseBinaryMatrix } from './matrix.ts';

/** The best split seen so far at a node. Left is `x[feature] <= threshold`. */
export class SplitRecord {
  feature = -1;
  proxy = -Infinity;
  threshold = 0;
  /** Dense: highest value rank that goes left. */
  cut = 0;
  nLeft = 0;
  wLeft = 0;
  w1Left = 0;

  reset(): void {
    this.feature = -1;
    this.proxy = -Infinity;
  }
}

/** Node totals: unique samples, bootstrap weight, weight of class 1. */
export interface NodeTotals {
  n: number;
  w: number;
  w1: number;
}

/** sklearn's Gini proxy (sum of squared class weights over node weight, both children); larger is better. */
export function giniProxy(wl: number, wl1: number, wr: number, wr1: number): number {
  const wl0 = wl - wl1;
  const wr0 = wr - wr1;
  return (wl1 * wl1 + wl0 * wl0) / wl + (wr1 * wr1 + wr0 * wr0) / wr;
}

/** Gini impurity 1 − Σ p_k² of a node with weight w, of which w1 is class 1. */
export function gini(w: number, w1: number): number {
  const p1 = w1 / w;
  const p0 = 1 - p1;
  return 1 - p1 * p1 - p0 * p0;
}

/** What the tree grower needs from a feature layout. */
export interface Splitter {
  readonly rows: number;
  readonly cols: number;
  /** Per-tree bootstrap weights and weight × label, indexed by row. */
  bind(w: Float64Array, wy: Float64Array): void;
  /**
   * Writes the features not constant on samples[start, end) into out, ascending; returns how many.
   * `inherited`: the node is the larger child handed off by the previous handOff call.
   */
  nonConstant(
    samples: Int32Array,
    start: number,
    end: number,
    out: Int32Array,
    inherited: boolean,
  ): number;
  /** Tries every cut of feature f on the node (the last nonConstant call) and improves best. */
  evaluate(
    f: number,
    samples: Int32Array,
    start: number,
    end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void;
  /** Releases per-node scratch after the evaluations. */
  endNode(): void;
  /** Moves best's left samples to the front of [start, end); returns the first right position. */
  partition(samples: Int32Array, start: number, end: number, best: SplitRecord): number;
  /** After a split: the larger child [bigStart, bigEnd) is grown next, the smaller one [smallStart, smallEnd) later. */
  handOff(samples: Int32Array, smallStart: number, smallEnd: number): void;
}

function consider(
  best: SplitRecord,
  f: number,
  nl: number,
  wl: number,
  wl1: number,
  t: NodeTotals,
  minLeaf: number,
): boolean {
  if (nl < minLeaf || t.n - nl < minLeaf) return false;
  const p = giniProxy(wl, wl1, t.w - wl, t.w1 - wl1);
  if (!(p > best.proxy)) return false;
  best.feature = f;
  best.proxy = p;
  best.nLeft = nl;
  best.wLeft = wl;
  best.w1Left = wl1;
  return true;
}

/**
 * Dense columns as ranks of their sorted unique values, computed once per matrix and shared by
 * every tree and label (the presort sklearn redoes per node, done once here).
 */
export interface DenseIndex {
  rows: number;
  cols: number;
  /** Column-major: ranks[f * rows + r] indexes uniques[f]. */
  ranks: Int32Array;
  uniques: Float64Array[];
}

/** Builds the rank index of a dense matrix; throws RangeError on NaN (sklearn 1.2 refuses it too). */
export function indexDense(x: DenseMatrix): DenseIndex {
  const { rows, cols, data } = x;
  const ranks = new Int32Array(rows * cols);
  const uniques: Float64Array[] = [];
  const col = new Float64Array(rows);
  for (let f = 0; f < cols; f++) {
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + f]!;
      if (Number.isNaN(v)) throw new RangeError(`NaN at row ${r}, column ${f}`);
      col[r] = v;
    }
    const sorted = Float64Array.from(col).sort();
    let nu = 0;
    for (let i = 0; i < rows; i++)
      if (i === 0 || sorted[i] !== sorted[nu - 1]) sorted[nu++] = sorted[i]!;
    const u = sorted.slice(0, nu);
    uniques.push(u);
    for (let r = 0; r < rows; r++) ranks[f * rows + r] = lowerBound(u, col[r]!);
  }
  return { rows, cols, ranks, uniques };
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A counting pass over ranks costs O(n + uniques) and a sort O(n log n); counting wins while the
 * feature has at most this many unique values per node sample (binary and one-hot columns always).
 */
const COUNTING_MAX_UNIQUE_PER_SAMPLE = 8;

/** Split search on dense numeric columns (thresholds are midpoints of neighbouring values, as sklearn). */
export class DenseSplitter implements Splitter {
  readonly rows: number;
  readonly cols: number;
  readonly #ix: DenseIndex;
  #w: Float64Array = new Float64Array(0);
  #wy: Float64Array = new Float64Array(0);
  readonly #hn: Int32Array;
  readonly #hw: Float64Array;
  readonly #hw1: Float64Array;
  readonly #keys: Uint32Array | Float64Array;
  readonly #slotBits: number;
  readonly #u32: boolean;

  constructor(ix: DenseIndex) {
    this.#ix = ix;
    this.rows = ix.rows;
    this.cols = ix.cols;
    const maxUnique = Math.max(1, ...ix.uniques.map((u) => u.length));
    this.#hn = new Int32Array(maxUnique);
    this.#hw = new Float64Array(maxUnique);
    this.#hw1 = new Float64Array(maxUnique);
    this.#slotBits = Math.max(1, Math.ceil(Math.log2(ix.rows + 1)));
    // Sort keys pack (rank, slot); 32-bit keys sort fastest and fit up to 65,536 rows × 65,536 values.
    this.#u32 = Math.log2(maxUnique) + this.#slotBits <= 32;
    this.#keys = this.#u32 ? new Uint32Array(ix.rows) : new Float64Array(ix.rows);
  }

  bind(w: Float64Array, wy: Float64Array): void {
    this.#w = w;
    this.#wy = wy;
  }

  nonConstant(
    samples: Int32Array,
    start: number,
    end: number,
    out: Int32Array,
    _inherited: boolean,
  ): number {
    const { ranks } = this.#ix;
    const rows = this.rows;
    let k = 0;
    for (let f = 0; f < this.cols; f++) {
      const base = f * rows;
      const r0 = ranks[base + samples[start]!];
      for (let i = start + 1; i < end; i++)
        if (ranks[base + samples[i]!] !== r0) {
          out[k++] = f;
          break;
        }
    }
    return k;
  }

  evaluate(
    f: number,
    samples: Int32Array,
    start: number,
    end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void {
    const nu = this.#ix.uniques[f]!.length;
    if (nu <= COUNTING_MAX_UNIQUE_PER_SAMPLE * (end - start))
      this.#byCounting(f, samples, start, end, t, minLeaf, best);
    else this.#bySorting(f, samples, start, end, t, minLeaf, best);
  }

  #byCounting(
    f: number,
    samples: Int32Array,
    start: number,
    end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void {
    const { ranks, uniques } = this.#ix;
    const hn = this.#hn;
    const hw = this.#hw;
    const hw1 = this.#hw1;
    const w = this.#w;
    const wy = this.#wy;
    const base = f * this.rows;
    for (let i = start; i < end; i++) {
      const s = samples[i]!;
      const r = ranks[base + s]!;
      hn[r]!++;
      hw[r]! += w[s]!;
      hw1[r]! += wy[s]!;
    }
    const u = uniques[f]!;
    let nl = 0;
    let wl = 0;
    let wl1 = 0;
    let prev = -1;
    for (let r = 0; nl < t.n; r++) {
      const c = hn[r]!;
      if (c === 0) continue;
      if (prev >= 0 && consider(best, f, nl, wl, wl1, t, minLeaf)) setThreshold(best, u, prev, r);
      nl += c;
      wl += hw[r]!;
      wl1 += hw1[r]!;
      hn[r] = 0;
      hw[r] = 0;
      hw1[r] = 0;
      prev = r;
    }
  }

  #bySorting(
    f: number,
    samples: Int32Array,
    start: number,
    end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void {
    const { ranks, uniques } = this.#ix;
    const n = end - start;
    const base = f * this.rows;
    const bits = this.#slotBits;
    const shift = 2 ** bits;
    const mask = shift - 1;
    const u32 = this.#u32;
    const keys = this.#keys.subarray(0, n);
    for (let i = 0; i < n; i++) keys[i] = ranks[base + samples[start + i]!]! * shift + i;
    keys.sort();
    const w = this.#w;
    const wy = this.#wy;
    const u = uniques[f]!;
    let nl = 0;
    let wl = 0;
    let wl1 = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const r = u32 ? k >>> bits : Math.floor(k / shift);
      const s = samples[start + (u32 ? k & mask : k - r * shift)]!;
      if (r !== prev && prev >= 0 && consider(best, f, nl, wl, wl1, t, minLeaf))
        setThreshold(best, u, prev, r);
      nl++;
      wl += w[s]!;
      wl1 += wy[s]!;
      prev = r;
    }
  }

  endNode(): void {}

  handOff(): void {}

  partition(samples: Int32Array, start: number, end: number, best: SplitRecord): number {
    const { ranks } = this.#ix;
    const base = best.feature * this.rows;
    const cut = best.cut;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const s = samples[i]!;
      if (ranks[base + s]! <= cut) i++;
      else {
        samples[i] = samples[j]!;
        samples[j--] = s;
      }
    }
    return i;
  }
}

function setThreshold(best: SplitRecord, u: Float64Array, lowRank: number, highRank: number): void {
  const lo = u[lowRank]!;
  const hi = u[highRank]!;
  let th = lo / 2 + hi / 2;
  // As sklearn: a midpoint that rounds up to the upper value would send it left.
  if (th === hi || !Number.isFinite(th)) th = lo;
  best.threshold = th;
  best.cut = lowRank;
}

/**
 * Split search on CSR 0/1 columns: "has the column or not", threshold 0.5. With an offset, its
 * columns are numbered from `offset` on (the sparse part of a MixedSplitter); `cols` stays the
 * CSR's own width.
 */
export class SparseSplitter implements Splitter {
  readonly rows: number;
  readonly cols: number;
  readonly #x: SparseBinaryMatrix;
  readonly #offset: number;
  #w: Float64Array = new Float64Array(0);
  #wy: Float64Array = new Float64Array(0);
  /** Per column, interleaved for locality: [samples with a one, their weight, their class-1 weight]. */
  readonly #counts: Float64Array;
  readonly #touched: Int32Array;
  #nTouched = 0;
  /** One bit per column: lists the non-constant columns in ascending order in O(K + cols / 32), no sort. */
  readonly #bits: Uint32Array;

  constructor(x: SparseBinaryMatrix, offset = 0) {
    this.#x = x;
    this.#offset = offset;
    this.rows = x.rows;
    this.cols = x.cols;
    this.#counts = new Float64Array(3 * x.cols);
    this.#touched = new Int32Array(x.cols);
    this.#bits = new Uint32Array(Math.ceil(x.cols / 32));
  }

  bind(w: Float64Array, wy: Float64Array): void {
    this.#w = w;
    this.#wy = wy;
  }

  nonConstant(
    samples: Int32Array,
    start: number,
    end: number,
    out: Int32Array,
    inherited: boolean,
  ): number {
    if (!inherited) {
      this.#clear();
      this.#add(samples, start, end, 1);
    }
    const counts = this.#counts;
    const touched = this.#touched;
    const n = end - start;
    const bits = this.#bits;
    let lo = bits.length;
    let hi = 0;
    let kept = 0;
    for (let i = 0; i < this.#nTouched; i++) {
      const j = touched[i]!;
      const c = counts[3 * j]!;
      if (c === 0) continue; // emptied by a handOff: drop from the list
      touched[kept++] = j;
      if (c < n) {
        const word = j >>> 5;
        bits[word]! |= 1 << (j & 31);
        if (word < lo) lo = word;
        if (word > hi) hi = word;
      }
    }
    this.#nTouched = kept;
    let k = 0;
    const offset = this.#offset;
    for (let word = lo; word <= hi; word++) {
      let b = bits[word]!;
      bits[word] = 0;
      while (b !== 0) {
        const low = b & -b;
        out[k++] = offset + (word << 5) + 31 - Math.clz32(low);
        b ^= low;
      }
    }
    return k;
  }

  /** Adds (sign 1) or removes (sign −1) the rows' ones to the per-column counts. */
  #add(samples: Int32Array, start: number, end: number, sign: 1 | -1): void {
    const { indptr, indices } = this.#x;
    const counts = this.#counts;
    const touched = this.#touched;
    const w = this.#w;
    const wy = this.#wy;
    let nt = this.#nTouched;
    for (let i = start; i < end; i++) {
      const s = samples[i]!;
      const ws = sign * w[s]!;
      const wys = sign * wy[s]!;
      for (let k = indptr[s]!, e = indptr[s + 1]!; k < e; k++) {
        const at = 3 * indices[k]!;
        const c = counts[at]!;
        if (c === 0) touched[nt++] = at / 3;
        counts[at] = c + sign;
        counts[at + 1]! += ws;
        counts[at + 2]! += wys;
      }
    }
    this.#nTouched = nt;
  }

  #clear(): void {
    const counts = this.#counts;
    for (let i = 0; i < this.#nTouched; i++) {
      const at = 3 * this.#touched[i]!;
      counts[at] = 0;
      counts[at + 1] = 0;
      counts[at + 2] = 0;
    }
    this.#nTouched = 0;
  }

  evaluate(
    f: number,
    _samples: Int32Array,
    _start: number,
    _end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void {
    const at = 3 * (f - this.#offset);
    const c = this.#counts;
    if (consider(best, f, t.n - c[at]!, t.w - c[at + 1]!, t.w1 - c[at + 2]!, t, minLeaf)) {
      best.threshold = 0.5;
      best.cut = 0;
    }
  }

  /** Counts stay: the larger child inherits them (see handOff); a fresh node clears them first. */
  endNode(): void {}

  /**
   * Turns the parent's counts into the larger child's by removing the smaller child's rows, so
   * each level costs O(nnz of the smaller side): keyword trees are lopsided chains (a split peels
   * off the few movies with one keyword), where recounting the big side made fits ~3× slower.
   */
  handOff(samples: Int32Array, smallStart: number, smallEnd: number): void {
    this.#add(samples, smallStart, smallEnd, -1);
  }

  partition(samples: Int32Array, start: number, end: number, best: SplitRecord): number {
    const { indptr, indices } = this.#x;
    const f = best.feature - this.#offset;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const s = samples[i]!;
      if (!rowHas(indices, indptr[s]!, indptr[s + 1]!, f)) i++;
      else {
        samples[i] = samples[j]!;
        samples[j--] = s;
      }
    }
    return i;
  }
}

/**
 * Split search on a MixedMatrix: its dense columns through a DenseSplitter, its sparse 0/1
 * columns through a SparseSplitter numbered after them. Non-constant features come out in
 * ascending global order and each evaluation is the one its column's own kind would make, so the
 * trees are those of the DenseSplitter on the matrix's dense form (the sparse columns' midpoint
 * threshold between 0 and 1 is 0.5 there too), at O(nnz) per node for the one-hot columns.
 */
export class MixedSplitter implements Splitter {
  readonly rows: number;
  readonly cols: number;
  readonly #dense: DenseSplitter;
  readonly #sparse: SparseSplitter;
  readonly #d: number;

  constructor(dense: DenseIndex, sparse: SparseBinaryMatrix) {
    if (dense.rows !== sparse.rows)
      throw new RangeError(`dense part has ${dense.rows} rows, sparse part ${sparse.rows}`);
    this.rows = dense.rows;
    this.cols = dense.cols + sparse.cols;
    this.#d = dense.cols;
    this.#dense = new DenseSplitter(dense);
    this.#sparse = new SparseSplitter(sparse, dense.cols);
  }

  bind(w: Float64Array, wy: Float64Array): void {
    this.#dense.bind(w, wy);
    this.#sparse.bind(w, wy);
  }

  nonConstant(
    samples: Int32Array,
    start: number,
    end: number,
    out: Int32Array,
    inherited: boolean,
  ): number {
    const kd = this.#d > 0 ? this.#dense.nonConstant(samples, start, end, out, inherited) : 0;
    return kd + this.#sparse.nonConstant(samples, start, end, out.subarray(kd), inherited);
  }

  evaluate(
    f: number,
    samples: Int32Array,
    start: number,
    end: number,
    t: NodeTotals,
    minLeaf: number,
    best: SplitRecord,
  ): void {
    (f < this.#d ? this.#dense : this.#sparse).evaluate(f, samples, start, end, t, minLeaf, best);
  }

  endNode(): void {
    this.#dense.endNode();
    this.#sparse.endNode();
  }

  partition(samples: Int32Array, start: number, end: number, best: SplitRecord): number {
    return (best.feature < this.#d ? this.#dense : this.#sparse).partition(
      samples,
      start,
      end,
      best,
    );
  }

  handOff(samples: Int32Array, smallStart: number, smallEnd: number): void {
    this.#sparse.handOff(samples, smallStart, smallEnd);
  }
}

function rowHas(indices: Int32Array, lo: number, hi: number, f: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid]!;
    if (v === f) return true;
    if (v < f) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
