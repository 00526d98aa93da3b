/** Test probe: runs the keyword forest benchmark inside a module Worker (forest.browser.test.ts). */
import { runKeywordForestBench } from './forest-bench.ts';

let controller: AbortController | undefined;

self.onmessage = async (
  e: MessageEvent<{ csv?: string; nEstimators?: number; cancel?: boolean }>,
) => {
  if (e.data.cancel) return void controller?.abort(new DOMException('Cancelled', 'AbortError'));
  controller = new AbortController();
  try {
    const result = await runKeywordForestBench(e.data.csv ?? '', {
      nEstimators: e.data.nEstimators ?? 100,
      control: { signal: controller.signal, onProgress: (p) => self.postMessage({ progress: p }) },
    });
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    self.postMessage({ result, heapBytes: memory?.usedJSHeapSize ?? null });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.name : String(err) });
  }
};
