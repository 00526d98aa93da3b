/** Main-thread long tasks in a page, for the big-library e2e test and bench. */

declare global {
  interface Window {
    __longTasks: Array<{ start: number; duration: number }>;
  }
}

/**
 * Records every main-thread task over 50 ms (the browser's long-task threshold) from page start
 * into `window.__longTasks`. Runs in the page: pass it to `page.addInitScript`.
 */
export function observeLongTasks(): void {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}
