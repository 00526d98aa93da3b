import type { Plugin } from 'vite';

/** The ES bundle of tfjs-backend-wasm that src/lib/platform/index.ts imports. */
const WASM_BUNDLE =
  /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]tf-backend-wasm\.fesm\.js(\?.*)?$/;

/**
 * tfjs-backend-wasm 4.22 hands each pthread worker the threaded factory as a Blob made from
 * `wasmFactoryThreadedSimd.toString()`. Once bundled and minified, that function's source refers
 * to renamed outer variables and every pthread worker dies ("e is not defined"). The package also
 * ships the same factory as a plain script (wasm-out/…-threaded-simd.js, built by emscripten for
 * the same .wasm): we serve that file untouched and give its absolute URL instead (the pthread
 * workers are blob: workers, so a path relative to the site would not resolve there). emscripten
 * passes a string `mainScriptUrlOrBlob` to `importScripts` (see wasm-out/…-threaded-simd.worker.js).
 */
const BLOB_FACTORY =
  /factoryConfig\.mainScriptUrlOrBlob\s*=\s*new Blob\(\[`var WasmBackendModuleThreadedSimd = `\s*\+\s*wasmFactoryThreadedSimd\.toString\(\)\],\s*\{\s*type:\s*'text\/javascript'\s*\}\);/;

const FACTORY_URL_IMPORT =
  "import __marqueeThreadedFactoryUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n";

const URL_FACTORY =
  'factoryConfig.mainScriptUrlOrBlob = new URL(__marqueeThreadedFactoryUrl, self.location.href).href;';

/**
 * tfjs' C++ side (src/cc/backend.cc, `init_with_threads_count`) caps any thread count at
 * `emscripten_num_logical_cores() / 2`, assuming two hyperthreads per core: on a 2-core machine
 * that is 1, so `setThreadsCount(2)` still ran one thread. The main thread's factory reports twice
 * navigator.hardwareConcurrency instead, which undoes the halving: tfjs then caps at the logical
 * cores (and its pool of 8), and Marquee chooses the count itself (src/lib/platform/threads.ts).
 */
const HALVED_CORES =
  /(function _emscripten_num_logical_cores\(\)\{if\(ENVIRONMENT_IS_NODE\)return require\$\$4\.cpus\(\)\.length;)return navigator\["hardwareConcurrency"\]\}/;

const ALL_CORES = '$1return 2*navigator["hardwareConcurrency"]}';

/** Rewrites the two spots above; throws if tfjs changed them, so an upgrade cannot silently lose threads. */
export function patchThreadedFactory(code: string): string {
  for (const [pattern, what] of [
    [BLOB_FACTORY, 'builds its pthread script from wasmFactoryThreadedSimd.toString()'],
    [HALVED_CORES, 'reads navigator.hardwareConcurrency in _emscripten_num_logical_cores'],
  ] as const) {
    if (!pattern.test(code)) {
      throw new Error(
        `marquee:wasm-threads: tf-backend-wasm.fesm.js no longer ${what}; ` +
          'check the threaded build of this tfjs version',
      );
    }
  }
  return (
    FACTORY_URL_IMPORT + code.replace(BLOB_FACTORY, URL_FACTORY).replace(HALVED_CORES, ALL_CORES)
  );
}

/**
 * Lets tfjs-backend-wasm's threaded SIMD build run after bundling (see patchThreadedFactory), in
 * the page and in every worker bundle. The package is kept out of dependency pre-bundling so the
 * dev server (and vitest's browser mode) also serves the patched module.
 */
export function wasmThreads(): Plugin {
  return {
    name: 'marquee:wasm-threads',
    enforce: 'pre',
    config: () => ({ optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] } }),
    transform: {
      filter: { id: WASM_BUNDLE },
      handler(code, id) {
        if (!WASM_BUNDLE.test(id)) return null;
        return { code: patchThreadedFactory(code), map: null };
      },
    },
  };
}
