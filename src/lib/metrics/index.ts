export * from './label-matrix.ts';
export * from './multilabel.ts';
