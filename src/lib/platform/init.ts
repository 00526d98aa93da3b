/** Choosing the backend at start-up: user preference, cached benchmark, or a fresh benchmark. */
import {
  chooseWinner,
  isBackendName,
  type BackendChoice,
  type BackendName,
  type ChoiceCache,
} from './choose.ts';
import { errorMessage } from './env.ts';
import { deviceKey, probeBackends, useBackend, wasmThreadPlan, wasmThreadsRunning } from './gpu.ts';
import { requestWasmThreads, type ThreadsSetting } from './threads.ts';

export interface InitComputeOptions {
  /** A user setting: a backend name forces it (falling back to auto if it fails); 'auto' benchmarks. */
  prefer?: BackendName | 'auto';
  /** Where the auto choice is remembered; defaults to an in-memory cache for this realm. */
  cache?: ChoiceCache;
  /** Ignore a cached choice and benchmark again. */
  rebenchmark?: boolean;
  budgetMs?: number;
  /**
   * WebAssembly threads: 'auto' (the cores, capped) or a count. Takes effect only if the wasm
   * backend of this realm has not started yet (it cannot be restarted with another count).
   */
  threads?: ThreadsSetting;
}

/** A ChoiceCache in a Map; what initCompute uses when given none. */
export function memoryCache(): ChoiceCache {
  const m = new Map<string, BackendChoice>();
  return { get: (k) => m.get(k), set: (k, c) => void m.set(k, c) };
}

const defaultCache = memoryCache();

function isChoice(x: unknown): x is BackendChoice {
  const c = x as Partial<BackendChoice> | null;
  return !!c && isBackendName(c.name) && typeof c.reason === 'string' && Array.isArray(c.probes);
}

/**
 * A ChoiceCache in window.localStorage (main thread only: workers have no localStorage and get
 * the main thread's choice by name through `prefer`). Degrades to "never cached" when storage is blocked.
 */
export function localStorageCache(prefix = 'marquee.compute:'): ChoiceCache {
  const storage = (): Storage | undefined => {
    try {
      return globalThis.localStorage ?? undefined;
    } catch {
      return undefined; // Safari private mode and sandboxed iframes throw on access
    }
  };
  return {
    get(key) {
      try {
        const raw = storage()?.getItem(prefix + key);
        const parsed: unknown = raw ? JSON.parse(raw) : undefined;
        return isChoice(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, c) {
      try {
        storage()?.setItem(prefix + key, JSON.stringify(c));
      } catch {
        // quota or blocked storage: the benchmark simply runs again next time
      }
    },
  };
}

// Backend switching is global tfjs state, so two initCompute calls must not interleave.
let queue: Promise<unknown> = Promise.resolve();

/** Picks and activates the compute backend (preference, then cache, then benchmark) and says why. */
export function initCompute(opts: InitComputeOptions = {}): Promise<BackendChoice> {
  const run = queue.then(() => decide(opts));
  queue = run.catch(() => undefined);
  return run;
}

/** The thread plan with tfjs' real count once wasm runs (e.g. "2 threads: one per core (2 reported)"). */
function threadsReport(): { threads: number; note: string } {
  const plan = wasmThreadPlan();
  const running = wasmThreadsRunning();
  return running === undefined || running === plan.threads
    ? plan
    : { threads: running, note: `${plan.note}; tfjs runs ${running}` };
}

async function decide(opts: InitComputeOptions): Promise<BackendChoice> {
  if (opts.threads !== undefined) requestWasmThreads(opts.threads);
  const choice = await decideBackend(opts);
  return { ...choice, wasmThreads: threadsReport() };
}

async function decideBackend(opts: InitComputeOptions): Promise<BackendChoice> {
  const key = await deviceKey();
  const prefer = opts.prefer ?? 'auto';
  let preface = '';
  if (prefer !== 'auto') {
    try {
      await useBackend(prefer);
      const reason = `${prefer}: chosen by the user setting (not benchmarked)`;
      return {
        name: prefer,
        reason,
        probes: [],
        fromCache: false,
        deviceKey: key,
        decidedAt: Date.now(),
      };
    } catch (e) {
      preface = `${prefer} was preferred but failed (${errorMessage(e)}); fell back to auto: `;
    }
  }
  const cache = opts.cache ?? defaultCache;
  const cached = opts.rebenchmark ? undefined : await cache.get(key);
  if (cached) {
    try {
      await useBackend(cached.name);
      return { ...cached, reason: preface + cached.reason, fromCache: true };
    } catch {
      // The cached winner no longer starts (driver update, flag change): measure again.
    }
  }
  const probes = await probeBackends({ budgetMs: opts.budgetMs });
  const { name, reason } = chooseWinner(probes);
  await useBackend(name);
  const choice: BackendChoice = {
    name,
    reason,
    probes,
    fromCache: false,
    deviceKey: key,
    decidedAt: Date.now(),
  };
  await cache.set(key, choice);
  return { ...choice, reason: preface + reason };
}
