/**
 * Browser and worker source of the libsvm files: Vite serves the glue as text and the wasm as an
 * asset of the built site (no CDN, works offline).
 */
import source from 'libsvm-js/out/wasm/libsvm.js?raw';
import wasmUrl from 'libsvm-js/out/wasm/libsvm.wasm?url';
import { configureLibsvm } from './libsvm.ts';

configureLibsvm(async () => {
  const res = await fetch(wasmUrl);
  if (!res.ok) throw new Error(`libsvm.wasm: HTTP ${res.status} from ${wasmUrl}`);
  return { source, wasm: new Uint8Array(await res.arrayBuffer()) };
});
