/** Public API of vision/: poster decode → resize → colour → normalise, and the poster caches. */
export * from './pipeline.ts';
export * from './cache.ts';
export * from './augment.ts';
export * from './idb-cache.ts';
