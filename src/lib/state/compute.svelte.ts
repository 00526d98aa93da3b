import type { BackendChoice, BackendName } from '../platform/index.ts';

const LAST_KEY = 'marquee:compute:last';
const PREFER_KEY = 'marquee:compute:prefer';

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
  choice = $state.raw<BackendChoice | null>(typeof localStorage === 'undefined' ? null : (readJson<BackendChoice>(LAST_KEY) ?? null));
  prefer = $state<BackendName | 'auto'>(
    (typeof localStorage === 'undefined' ? undefined : readJson<BackendName | 'auto'>(PREFER_KEY)) ?? 'auto',
  );
  busy = $state(false);
  error = $state<string | null>(null);

  /** Initialises tfjs on this thread with the preferred or fastest backend. */
  async ensure(rebenchmark = false): Promise<BackendChoice> {
    this.busy = true;
    this.error = null;
    try {
      const { initCompute, localStorageCache } = await import('../platform/index.ts');
      const choice = await initCompute({ prefer: this.prefer, cache: localStorageCache(), rebenchmark });
      this.choice = choice;
      localStorage.setItem(LAST_KEY, JSON.stringify(choice));
      return choice;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
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
}

export const compute = new ComputeState();
