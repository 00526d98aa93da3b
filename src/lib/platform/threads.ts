/** How many WebAssembly threads tfjs runs: pure decision logic, no tfjs, tested in Node. */

/**
 * The most threads Marquee asks for. tfjs-backend-wasm's emscripten build starts a pool of 8
 * pthread workers (wasm-out/…-threaded-simd.js, `pthreadPoolSize=8`); more threads would spawn
 * workers mid-run, and past 8 cores XNNPACK's convolutions gain little at poster sizes.
 */
export const MAX_WASM_THREADS = 8;

/** The user's setting: 'auto' (the device's cores, capped) or a fixed count. */
export type ThreadsSetting = number | 'auto';

/** The thread count to run and the sentence that says why. */
export interface ThreadPlan {
  threads: number;
  note: string;
}

/** The device's cores, capped at MAX_WASM_THREADS (1 when the browser does not say). */
export function defaultWasmThreads(cores: number): number {
  const c = Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  return Math.min(c, MAX_WASM_THREADS);
}

/** True for 'auto' or a whole number from 1 to MAX_WASM_THREADS. */
export function isThreadsSetting(x: unknown): x is ThreadsSetting {
  return (
    x === 'auto' || (Number.isInteger(x) && (x as number) >= 1 && (x as number) <= MAX_WASM_THREADS)
  );
}

/**
 * Threads for the wasm backend from the setting, the cores and whether threads can run at all
 * (they need SharedArrayBuffer, which browsers give only cross-origin isolated pages).
 */
export function planWasmThreads(
  setting: ThreadsSetting,
  env: { cores: number; threadsPossible: boolean },
): ThreadPlan {
  if (!env.threadsPossible) {
    return {
      threads: 1,
      note: '1 thread: this page is not cross-origin isolated (no SharedArrayBuffer), so WebAssembly runs single-threaded',
    };
  }
  const cores = defaultWasmThreads(env.cores);
  if (setting === 'auto') {
    const capped = env.cores > MAX_WASM_THREADS ? `, capped at ${MAX_WASM_THREADS}` : '';
    return {
      threads: cores,
      note: `${cores} thread${cores === 1 ? '' : 's'}: one per core (${env.cores} reported${capped})`,
    };
  }
  // tfjs caps the count at the logical cores itself (see scripts/wasm-threads-plugin.ts).
  const n = Math.min(Math.max(1, Math.floor(setting)), cores);
  if (n < setting) {
    return {
      threads: n,
      note: `${n} thread${n === 1 ? '' : 's'}: ${setting} set in Settings, capped at the ${cores} core${cores === 1 ? '' : 's'}`,
    };
  }
  return { threads: n, note: `${n} thread${n === 1 ? '' : 's'}: set in Settings` };
}

let requested: ThreadsSetting = 'auto';

/**
 * Records the thread setting for this realm (page or worker); read when the wasm backend first
 * starts, so it must come before that (a worker gets it from its host before any tfjs loads).
 */
export function requestWasmThreads(setting: ThreadsSetting): void {
  if (!isThreadsSetting(setting))
    throw new RangeError(`threads must be 'auto' or 1–${MAX_WASM_THREADS}, got ${String(setting)}`);
  requested = setting;
}

/** The setting requestWasmThreads last recorded ('auto' until then). */
export function requestedWasmThreads(): ThreadsSetting {
  return requested;
}
