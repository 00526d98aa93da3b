export * from './label-matrix.ts';
export * from './label-ranking.ts';
export * from './multilabel.ts';
export * from './probability.ts';
export * from './ranking.ts';
export * from './score-report.ts';
