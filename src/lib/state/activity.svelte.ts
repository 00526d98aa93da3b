/**
 * What is running now, for the status bar. Each state module registers a getter when it is first
 * loaded (so the status bar imports none of them and the first page stays small); a getter returns
 * a short phrase while its job runs and null otherwise. Reading `now` inside a $derived tracks
 * whatever runes the getters read.
 */
type ActivitySource = () => string | null;

class ActivityState {
  #sources = $state.raw<ActivitySource[]>([]);

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
