import type { BackendChoice, BackendName } from '../platform/index.ts';
import {
  MAX_WASM_THREADS,
  isThreadsSetting,
  planWasmThreads,
  type ThreadPlan,
  type ThreadsSetting,
} from '../platform/threads.ts';
import { setComputeThreads } from '../workers/compute-client.ts';
import { errorMessage } from '../core/errors.ts';

const LAST_KEY = 'marquee:compute:last';
const PREFER_KEY = 'marquee:compute:prefer';
const THREADS_KEY = 'marquee:compute:threads';

function readJson<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined; // storage blocked or corrupt: behave as if nothing was chosen yet
  }
}

/**
 * Which tfjs backend runs, and why. Reading the last choice costs nothing; `ensure()` loads
 * tfjs lazily (never in the first bundle) and benchmarks once per device (cached).
 */
class ComputeState {
  choice = $state.raw<BackendChoice | null>(
    typeof localStorage === 'undefined' ? null : (readJson<BackendChoice>(LAST_KEY) ?? null),
  );
  prefer = $state<BackendName | 'auto'>(
    (typeof localStorage === 'undefined'
      ? undefined
      : readJson<BackendName | 'auto'>(PREFER_KEY)) ?? 'auto',
  );
  /** WebAssembly threads: 'auto' (the cores, capped at 8) or a count; read when tfjs starts. */
  threads = $state<ThreadsSetting>(storedThreads());
  busy = $state(false);
  error = $state<string | null>(null);

  constructor() {
    setComputeThreads(this.threads);
  }

  /** The counts Settings offers: 1 up to this device's cores (at most 8). */
  get threadChoices(): number[] {
    const cores = Math.min(globalThis.navigator?.hardwareConcurrency ?? 1, MAX_WASM_THREADS);
    return Array.from({ length: Math.max(1, cores) }, (_, i) => i + 1);
  }

  /** What workers started now will run with, and why (one thread without cross-origin isolation). */
  get threadPlan(): ThreadPlan {
    return planWasmThreads(this.threads, {
      cores: globalThis.navigator?.hardwareConcurrency ?? 1,
      threadsPossible:
        globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
    });
  }

  /** Initialises tfjs on this thread with the preferred or fastest backend. */
  async ensure(rebenchmark = false): Promise<BackendChoice> {
    this.busy = true;
    this.error = null;
    try {
      const { initCompute, localStorageCache } = await import('../platform/index.ts');
      const choice = await initCompute({
        prefer: this.prefer,
        cache: localStorageCache(),
        rebenchmark,
      });
      this.choice = choice;
      localStorage.setItem(LAST_KEY, JSON.stringify(choice));
      return choice;
    } catch (e) {
      this.error = errorMessage(e);
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /** Saves the user's override ('auto' lets the benchmark decide) and applies it. */
  async setPreference(p: BackendName | 'auto'): Promise<void> {
    this.prefer = p;
    localStorage.setItem(PREFER_KEY, JSON.stringify(p));
    await this.ensure();
  }

  /**
   * Saves the wasm thread setting. Workers started from now on run with it; a worker or page
   * whose tfjs already started keeps its count until the page reloads.
   */
  setThreads(t: ThreadsSetting): void {
    if (!isThreadsSetting(t)) return;
    this.threads = t;
    setComputeThreads(t);
    localStorage.setItem(THREADS_KEY, JSON.stringify(t));
  }
}

function storedThreads(): ThreadsSetting {
  const t = typeof localStorage === 'undefined' ? undefined : readJson<unknown>(THREADS_KEY);
  return isThreadsSetting(t) ? t : 'auto';
}

export const compute = new ComputeState();
