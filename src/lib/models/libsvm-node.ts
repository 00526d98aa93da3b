/** Node source of the libsvm files: read from node_modules on disk. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { configureLibsvm, type LibsvmFiles } from './libsvm.ts';

/** Reads libsvm-js's emscripten glue and wasm binary from node_modules. */
export async function readLibsvmFiles(): Promise<LibsvmFiles> {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('libsvm-js/package.json')), 'out', 'wasm');
  const [source, wasm] = await Promise.all([
    readFile(join(dir, 'libsvm.js'), 'utf8'),
    readFile(join(dir, 'libsvm.wasm')),
  ]);
  return { source, wasm: new Uint8Array(wasm) };
}

configureLibsvm(readLibsvmFiles);
