/**
 * Moved to core/progress.ts (issue 16). This re-export stays only for files other work owned
 * while the move landed (ui/library/, state/library.svelte.ts, workers/crawl.worker.ts,
 * ui/explore/KeywordAnalysis.svelte, state/runs.svelte.ts); import core/progress.ts in new code.
 */
export * from '../core/progress.ts';
