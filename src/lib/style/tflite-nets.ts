/**
 * The Magenta networks on TensorFlow Lite's own web runtime (@tensorflow/tfjs-tflite), browsers
 * and workers only.
 *
 * Why this runtime rather than rebuilding the two networks in tfjs and reading the weights out
 * of the flatbuffers: the files are quantised TFLite graphs (int8 weights with their scales,
 * conditional instance normalisation, 16 MIRROR_PAD ops in the transfer net); a tfjs rebuild
 * would have to dequantise every weight and re-implement each op by hand, and would then be a
 * different computation from the published model, checkable only against this same runtime.
 * TFLite runs the files as published with XNNPACK's kernels: warm on this 2-core CPU a 384 px
 * transfer takes a few hundred ms (bench/benches/instant-style.ts, README Measured table), where
 * one VGG19-block-3 forward and backward pass of tfjs-wasm at 200 px takes ~1.3 s. Its costs:
 * an alpha package pinned to an older tfjs-core (overridden in package.json; we use none of its
 * tensor glue, see `loadRunner`), and ~3.7 MB of runtime wasm per variant, served by the site
 * itself (scripts/tflite-plugin.ts) and loaded only when Style is first used.
 */
import { STYLE_DIM, TRANSFER_SIZE, PREDICT_SIZE, type InstantNets } from './instant.ts';

/** One tensor of the runner, as the runtime describes it. */
interface RunnerTensor {
  name: string;
  shape: string;
  dataType: string;
  /** A view into the runtime's wasm memory: valid until the next call that may grow it. */
  data(): Float32Array;
}
/** The runtime's model runner (TFLiteModel keeps it as `modelRunner`). */
interface Runner {
  getInputs(): RunnerTensor[];
  getOutputs(): RunnerTensor[];
  infer(): boolean;
  cleanUp(): void;
}

/** Where and how to load the runtime. */
export interface TfliteOptions {
  /** Folder URL of the runtime files (ending in '/'), e.g. `${BASE_URL}tflite/`. */
  runtimeUrl: string;
  /** XNNPACK threads: 1 unless the realm is cross-origin isolated. */
  numThreads: number;
}

/** The thread count to ask for: min(cores, 4) where SharedArrayBuffer works, else 1. */
export function instantThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4));
}

let configured: string | undefined;

type TfliteModule = typeof import('@tensorflow/tfjs-tflite');
type WorkerGlobals = {
  importScripts?: (...urls: string[]) => void;
  tflite_web_api_ModuleFactory?: unknown;
};

/**
 * In a worker the package's loader runs `importScripts(<runtime>.js)`, which module workers (ours,
 * Vite's format 'es') do not have. So the glue script is fetched here and evaluated as the classic
 * script it is (like importScripts would: non-strict, its `var` a global, hence `new Function`,
 * which a CSP must allow with 'unsafe-eval'), and importScripts skips that one URL. The file name
 * follows the loader's own rule (SIMD, threads) so the .wasm it then fetches beside it matches.
 */
async function preloadGlueInWorker(tflite: TfliteModule, runtimeUrl: string): Promise<void> {
  if (typeof window !== 'undefined') return; // pages: the loader adds a <script> tag
  const g = globalThis as WorkerGlobals;
  if (g.tflite_web_api_ModuleFactory) return;
  const { simd, multiThreading } = await tflite.getWasmFeatures();
  const variant = simd ? (multiThreading ? '_simd_threaded' : '_simd') : '';
  const url = `${runtimeUrl}tflite_web_api_cc${variant}.js`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The TFLite runtime ${url} answered HTTP ${res.status}`);
  const text = await res.text();
  g.tflite_web_api_ModuleFactory = new Function(`${text}\nreturn tflite_web_api_ModuleFactory;`)();
  const original = g.importScripts;
  g.importScripts = (...urls: string[]) => {
    const rest = urls.filter((u) => !u.startsWith(runtimeUrl));
    if (rest.length) original?.apply(globalThis, rest);
  };
}

async function loadRunner(model: ArrayBuffer, opts: TfliteOptions): Promise<Runner> {
  // Imported here, not at the top: the runtime path must be set before its loader first runs.
  const tflite = await import('@tensorflow/tfjs-tflite');
  if (configured !== opts.runtimeUrl) {
    tflite.setWasmPath(opts.runtimeUrl);
    await preloadGlueInWorker(tflite, opts.runtimeUrl);
    configured = opts.runtimeUrl;
  }
  const m = await tflite.loadTFLiteModel(model, { numThreads: opts.numThreads });
  // The runner, not TFLiteModel.predict: predict wraps the outputs in tfjs tensors that still
  // point into the runtime's memory (the next call overwrites them); we copy them out ourselves.
  const runner = (m as unknown as { modelRunner?: Runner }).modelRunner;
  if (!runner?.infer) throw new Error('@tensorflow/tfjs-tflite changed: no model runner found');
  return runner;
}

function byShape(tensors: RunnerTensor[], shape: string, what: string): RunnerTensor {
  const t = tensors.find((x) => x.shape === shape);
  if (!t)
    throw new Error(
      `The ${what} has no ${shape} tensor (it has ${tensors.map((x) => x.shape).join(' / ')})`,
    );
  if (t.dataType !== 'float32') throw new Error(`The ${what}'s ${shape} tensor is ${t.dataType}`);
  return t;
}

function run(runner: Runner, what: string): Float32Array {
  if (!runner.infer()) throw new Error(`The ${what} failed to run`);
  // Copied at once: the view is into wasm memory, reused by the next call.
  return runner.getOutputs()[0]!.data().slice();
}

/** Both networks from their .tflite bytes, checked against the shapes this code assumes. */
export async function loadTfliteNets(
  prediction: ArrayBuffer,
  transfer: ArrayBuffer,
  opts: TfliteOptions,
): Promise<InstantNets> {
  const p = await loadRunner(prediction, opts);
  const t = await loadRunner(transfer, opts);
  const P = PREDICT_SIZE;
  const T = TRANSFER_SIZE;
  const pIn = byShape(p.getInputs(), `1,${P},${P},3`, 'style prediction network');
  byShape(p.getOutputs(), `1,1,1,${STYLE_DIM}`, 'style prediction network');
  const tImage = byShape(t.getInputs(), `1,${T},${T},3`, 'style transfer network');
  const tStyle = byShape(t.getInputs(), `1,1,1,${STYLE_DIM}`, 'style transfer network');
  byShape(t.getOutputs(), `1,${T},${T},3`, 'style transfer network');
  return {
    predict(image) {
      pIn.data().set(image);
      return run(p, 'style prediction network');
    },
    transfer(content, style) {
      tImage.data().set(content);
      tStyle.data().set(style);
      return run(t, 'style transfer network');
    },
    dispose() {
      p.cleanUp();
      t.cleanUp();
    },
  };
}
