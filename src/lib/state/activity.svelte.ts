/**
 * What is running now, for the status bar. Each state module registers a getter when it is first
 * loaded (so the status bar imports none of them and the first page stays small); a getter returns
 * a short phrase while its job runs and null otherwise. Reading `now` inside a $derived tracks
 * whatever runes the getters read.
 */
type ActivitySource = () => string | null;

class ActivityState {
  #sources = $state.raw<ActivitySource[]>([]);
  /** Backends that workers chose for themselves (Predict's), by who uses them; removed when they end. */
  workerBackends = $state.raw<Readonly<Record<string, string>>>({});

  /** Records (or, with null, forgets) the backend a worker of `who` runs on. */
  useBackend(who: string, backend: string | null): void {
    const next = { ...this.workerBackends };
    if (backend) next[who] = backend;
    else delete next[who];
    this.workerBackends = next;
  }

  /** Adds a source of "what is running" phrases (once per module). */
  register(source: ActivitySource): void {
    this.#sources = [...this.#sources, source];
  }

  /** One phrase per running job, in registration order. */
  get now(): string[] {
    return this.#sources.map((s) => s()).filter((s): s is string => !!s);
  }
}

export const activity = new ActivityState();
