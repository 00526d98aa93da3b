/** Matmul micro-benchmark on the current tfjs backend, sized to fit a time budget. */
import type * as TF from '@tensorflow/tfjs';

export interface MatmulBenchmark {
  /** Side of the square matrices of the reported figure. */
  size: number;
  /** Median wall time of one matmul including the read-back (`await data()`). */
  medianMs: number;
  gflops: number;
  /** Timed runs behind the median (at least 1). */
  runs: number;
  cutOff: boolean;
}

/** Sizes tried in turn; 128 is small enough for the slowest backend (JS cpu ≈ 4 M flops ≈ 10 ms). */
const SIZES = [128, 256, 512, 1024] as const;
/** Timed runs per size after one warm-up; the median of 3 ignores one GC pause or scheduler hiccup. */
const TIMED_RUNS = 3;
const SEED = 42;

/** 2n³ floating-point operations (a multiply and an add per inner-product term) per n×n matmul. */
export function matmulGflops(size: number, ms: number): number {
  return (2 * size ** 3) / (ms * 1e6);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

interface SizeResult {
  size: number;
  times: number[];
  cutOff: boolean;
}

async function timeOnce(
  tf: typeof TF,
  a: TF.Tensor2D,
  b: TF.Tensor2D,
  now: () => number,
): Promise<number> {
  const t0 = now();
  const c = tf.matMul(a, b);
  // Always read back asynchronously: webgpu's dataSync() returns zeros on these machines,
  // and the read-back is what makes the GPU finish the work we are timing.
  await c.data();
  c.dispose();
  return now() - t0;
}

async function measureSize(
  tf: typeof TF,
  size: number,
  deadline: number,
  now: () => number,
): Promise<SizeResult> {
  const a = tf.randomUniform([size, size], -1, 1, 'float32', SEED) as TF.Tensor2D;
  const b = tf.randomUniform([size, size], -1, 1, 'float32', SEED + 1) as TF.Tensor2D;
  try {
    // The warm-up compiles shaders (programs are specialised per shape) and fills caches.
    await timeOnce(tf, a, b, now);
    const times: number[] = [];
    // The first (smallest) size always gets one timed run: a backend whose start-up and shader
    // compilation ate its share is still judged by its speed, not by its compile time.
    if (size === SIZES[0]) times.push(await timeOnce(tf, a, b, now));
    while (times.length < TIMED_RUNS && now() < deadline) times.push(await timeOnce(tf, a, b, now));
    return { size, times, cutOff: times.length < TIMED_RUNS };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/**
 * Times n×n matmuls on the active backend, growing n from 128 to 1024 while the next size is
 * predicted (cubic growth from the last median) to fit in what is left of budgetMs.
 */
export async function benchmarkMatmul(
  tf: typeof TF,
  budgetMs: number,
  now: () => number = () => performance.now(),
): Promise<MatmulBenchmark> {
  const deadline = now() + budgetMs;
  let best = await measureSize(tf, SIZES[0], deadline, now);
  for (const size of SIZES.slice(1)) {
    if (best.cutOff) break;
    const predictedMs = median(best.times) * (size / best.size) ** 3;
    if (now() + predictedMs * (TIMED_RUNS + 1) > deadline) break;
    const next = await measureSize(tf, size, deadline, now);
    if (next.times.length === 0) break; // only the warm-up fitted: keep the complete smaller result
    best = next;
  }
  const medianMs = median(best.times);
  return {
    size: best.size,
    medianMs,
    gflops: matmulGflops(best.size, medianMs),
    runs: best.times.length,
    cutOff: best.cutOff,
  };
}
