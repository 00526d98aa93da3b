/** Lets queued messages (a comlink cancel call) run between steps of a long fit: a macrotask. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
