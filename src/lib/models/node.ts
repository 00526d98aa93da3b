/** Public API of models/ for Node (CLI, unit tests): libsvm's files read from node_modules. */
import './libsvm-node.ts';

export * from './shared.ts';
