/**
 * Cancellable tasks inside a worker. AbortSignal cannot cross postMessage, so a worker API takes
 * a task id, runs the work with a local AbortController, and exposes `cancel(id)`; comlink
 * delivers that call while the task awaits (long loops must `await yieldToEvents()` now and then).
 */
export class TaskRegistry {
  readonly #controllers = new Map<string, AbortController>();

  /** Runs fn with a signal that `cancel(id)` aborts; rejects with an AbortError when cancelled. */
  async run<T>(id: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#controllers.has(id)) throw new Error(`task ${id} is already running`);
    const controller = new AbortController();
    this.#controllers.set(id, controller);
    try {
      return await fn(controller.signal);
    } finally {
      this.#controllers.delete(id);
    }
  }

  /** Aborts a running task; returns false when no such task runs. */
  cancel(id: string): boolean {
    const c = this.#controllers.get(id);
    c?.abort(new DOMException('Cancelled', 'AbortError'));
    return c !== undefined;
  }
}
