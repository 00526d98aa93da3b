export * from './groups.ts';
export * from './cluster.ts';
export * from './random.ts';
export * from './sampling.ts';
export * from './splits.ts';
export * from './certificate.ts';
export * from './encode.ts';
