/**
 * Moved to core/progress.ts (issue 16). This re-export stays only for files other work owned
 * while the move landed (ui/library/, state/library.svelte.ts); import core/progress.ts instead.
 */
export * from '../core/progress.ts';
