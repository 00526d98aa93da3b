/**
 * Lets queued messages (a comlink `cancel` call, a progress post) run between steps of long work:
 * a macrotask, so unlike a resolved promise it does not starve them.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
