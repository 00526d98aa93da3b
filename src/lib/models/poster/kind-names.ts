/**
 * The poster model kinds by name, apart from kinds.ts (which registers them and pulls in tfjs),
 * so metadata spec validation can refuse them without loading any model code.
 */
export const POSTER_KIND_NAMES = ['cnn', 'pca-svm', 'transfer'] as const;
