import type { Connect, Plugin } from 'vite';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the built site serves the TFLite web runtime (relative to the base URL). */
export const TFLITE_RUNTIME_DIR = 'tflite/';

/**
 * The runtime's own files, as @tensorflow/tfjs-tflite ships them. They keep their names: the
 * package's loader builds `tflite_web_api_cc[_simd][_threaded].js` from one folder path
 * (`setWasmPath`) and the Emscripten glue then finds its `.wasm` beside the script by name, so
 * Vite's hashed `?url` assets cannot stand in for them.
 */
function runtimeFiles(root: string): string[] {
  const dir = resolve(root, 'node_modules/@tensorflow/tfjs-tflite/wasm');
  return readdirSync(dir)
    .filter((f) => /^tflite_web_api_cc.*\.(js|wasm)$/.test(f))
    .map((f) => resolve(dir, f));
}

/**
 * Serves the TFLite web runtime under `/tflite/` from node_modules on the dev and preview servers
 * (and vitest's browser server), and copies it into the build, so no request leaves the site.
 */
export function tfliteRuntime(root = process.cwd()): Plugin {
  const files = new Map(runtimeFiles(root).map((f) => [f.slice(f.lastIndexOf('/') + 1), f]));
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /\/tflite\/([^/]+)$/.exec(path);
    const file = m ? files.get(m[1]!) : undefined;
    if (!file) return next();
    res.setHeader(
      'Content-Type',
      file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8',
    );
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'marquee:tflite-runtime',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
    generateBundle() {
      for (const [name, file] of files)
        this.emitFile({
          type: 'asset',
          fileName: `${TFLITE_RUNTIME_DIR}${name}`,
          source: readFileSync(file),
        });
    },
  };
}
