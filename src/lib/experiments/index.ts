/** Public API of experiments/: spec validation and the runner (pure: movies in, result out). */
export * from './spec.ts';
export * from './result.ts';
export * from './runner.ts';
export * from './shards.ts';
