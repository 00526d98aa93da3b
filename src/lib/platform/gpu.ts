/**
 * The one place that sets up TensorFlow.js: registers webgpu, webgl, wasm and cpu, probes and
 * benchmarks them, picks the fastest, and remembers the choice per device. Import it through
 * `$lib/platform` (browser, worker) or `$lib/platform/node` (Node), which locate the wasm binaries.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { benchmarkMatmul } from './bench.ts';
import { BACKEND_ORDER, composeDeviceKey, type BackendName, type BackendProbe } from './choose.ts';
import { planWasmThreads, requestedWasmThreads, type ThreadPlan } from './threads.ts';
import {
  detectWasm,
  detectWebGl2,
  detectWebGpu,
  errorMessage,
  softwareGpuName,
  softwareName,
  logicalCores,
  userAgent,
} from './env.ts';

export type { BackendChoice, BackendName, BackendProbe, ChoiceCache } from './choose.ts';

/** Total time for probing and benchmarking all backends; short enough to hide behind a first screen. */
export const DEFAULT_BUDGET_MS = 1500;

/** Where the three tfjs wasm binaries are: a folder prefix or one URL/path per file name. */
export type WasmPaths =
  | string
  | Record<
      | 'tfjs-backend-wasm.wasm'
      | 'tfjs-backend-wasm-simd.wasm'
      | 'tfjs-backend-wasm-threaded-simd.wasm',
      string
    >;

/**
 * The two functions of tfjs-backend-wasm this module needs. The package is loaded by the entry
 * point (index.ts: its ES bundle for Vite; node.ts: its CommonJS main), so this file stays
 * the same in browser, worker and Node.
 */
export interface WasmBackendModule {
  setWasmPaths(paths: WasmPaths): void;
  /** XNNPACK's thread pool size; read once, when the backend starts. */
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

let wasmModule: WasmBackendModule | undefined;
/** The plan the wasm backend of this realm started with (it cannot change without a new realm). */
let startedPlan: ThreadPlan | undefined;

/** The thread plan for this realm now: the recorded setting, the cores, and whether threads can run. */
export function wasmThreadPlan(): ThreadPlan {
  if (startedPlan) return startedPlan;
  const wasm = detectWasm();
  // tfjs' own check (Node has no wasm threads in tfjs; a browser may lack wasm threads even when isolated).
  const flagOff = tf.env().getFlags()['WASM_HAS_MULTITHREAD_SUPPORT'] === false;
  return planWasmThreads(requestedWasmThreads(), {
    cores: logicalCores(),
    threadsPossible: wasm.threads && !flagOff,
  });
}

/** Applies the thread plan before the wasm backend first starts: one thread runs the non-threaded SIMD build. */
function applyThreadPlan(module: WasmBackendModule): void {
  if (startedPlan) return;
  const plan = wasmThreadPlan();
  if (plan.threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else module.setThreadsCount(plan.threads);
  startedPlan = plan;
}

/** Threads the wasm backend runs with (tfjs' own count), or undefined before it has started. */
export function wasmThreadsRunning(): number | undefined {
  try {
    return startedPlan && wasmModule ? wasmModule.getThreadsCount() : undefined;
  } catch {
    return undefined; // tfjs throws until the backend has initialised
  }
}

/** Tells the wasm backend where its binaries are; must run before the wasm backend first starts. */
export function configureWasm(module: WasmBackendModule, paths: WasmPaths): void {
  if (wasmModule) return;
  module.setWasmPaths(paths);
  wasmModule = module;
}

interface Capability {
  available: boolean;
  detail?: string;
  error?: string;
}

async function capabilities(): Promise<Record<BackendName, Capability>> {
  const [gpu, gl, wasm] = [await detectWebGpu(), detectWebGl2(), detectWasm()];
  const gpuSoft = softwareGpuName(gpu);
  const gpuName =
    [gpu.vendor, gpu.architecture, gpu.description].filter(Boolean).join(' ') || 'unnamed';
  const gpuDetail = gpuSoft ? `${gpuSoft} (software) adapter` : `${gpuName} adapter`;
  const glSoft = softwareName(gl.renderer);
  const glDetail = glSoft ? `${glSoft} (software) renderer` : gl.renderer;
  const threads = wasmThreadPlan().threads > 1;
  const wasmFlavour = [wasm.simd ? 'SIMD' : '', threads ? 'threads' : 'single thread']
    .filter(Boolean)
    .join('+');
  return {
    webgpu: {
      available: gpu.available,
      detail: gpu.available ? gpuDetail : undefined,
      error: gpu.error,
    },
    webgl: { available: gl.available, detail: glDetail || undefined, error: gl.error },
    wasm: {
      available: wasm.available && !!wasmModule,
      detail: `wasm ${wasmFlavour || 'plain'}`,
      error: !wasm.available
        ? 'no WebAssembly'
        : wasmModule
          ? undefined
          : 'wasm binary paths not configured',
    },
    cpu: { available: true, detail: 'plain JavaScript' },
  };
}

/** Switches tfjs to a backend and waits until it is ready; throws a clear Error if it cannot run here. */
/** How long a backend may take to initialise (WebGPU shader setup on a software adapter takes ~1 s here). */
const INIT_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'wasm' && !wasmModule) {
    throw new Error(
      'wasm backend unavailable: binary paths not configured (import $lib/platform or $lib/platform/node)',
    );
  }
  if (tf.getBackend() === name && tf.findBackend(name)) return;
  if (name === 'wasm' && wasmModule) applyThreadPlan(wasmModule);
  let ok = false;
  let cause = '';
  try {
    // A backend whose initialisation never settles (e.g. wasm pthread workers dying) must not hang
    // the studio: give up after INIT_TIMEOUT_MS and report it like any other failure.
    ok = await withTimeout(
      tf.setBackend(name).then(async (r) => (await tf.ready(), r)),
      INIT_TIMEOUT_MS,
      `initialisation did not finish within ${INIT_TIMEOUT_MS / 1000} s`,
    );
  } catch (e) {
    cause = errorMessage(e);
  }
  if (!ok || tf.getBackend() !== name) {
    throw new Error(
      `${name} backend unavailable${cause ? `: ${cause}` : ' (initialisation failed, see console)'}`,
    );
  }
  // A timeline mark (DevTools' Performance panel, and the e2e test) of what this realm runs.
  if (name === 'wasm') markStarted(wasmThreadsRunning());
}

/** Name of the performance mark set when a realm's wasm backend starts; its detail is `{ threads }`. */
export const WASM_STARTED_MARK = 'marquee:wasm-started';

function markStarted(threads: number | undefined): void {
  if (performance.getEntriesByName(WASM_STARTED_MARK).length > 0) return;
  try {
    performance.mark(WASM_STARTED_MARK, { detail: { threads } });
  } catch {
    // Node before 16 has no mark detail; the mark is a diagnostic only
  }
}

async function measureOne(
  name: BackendName,
  cap: Capability,
  budgetMs: number,
): Promise<BackendProbe> {
  const probe: BackendProbe = { name, available: true, detail: cap.detail };
  const start = performance.now();
  try {
    await useBackend(name);
    // tfjs reports the real thread count only after the wasm module has started.
    if (name === 'wasm') probe.detail = `${cap.detail} (${wasmThreadsRunning() ?? '?'})`;
    // Start-up (context, shaders, wasm instantiation) is paid from this backend's own share.
    const bench = await benchmarkMatmul(tf, Math.max(0, budgetMs - (performance.now() - start)));
    probe.gflops = bench.gflops;
    probe.matmulSize = bench.size;
    if (bench.cutOff) probe.cutOff = true;
  } catch (e) {
    probe.available = false;
    probe.error = errorMessage(e);
  }
  return probe;
}

/** Capability checks, then a matmul micro-benchmark per available backend sharing budgetMs fairly. */
export async function probeBackends(opts: { budgetMs?: number } = {}): Promise<BackendProbe[]> {
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = performance.now() + budgetMs;
  const previous = tf.getBackend() as BackendName | undefined;
  const caps = await capabilities();
  const probes: BackendProbe[] = [];
  const todo = BACKEND_ORDER.filter((n) => caps[n].available);
  for (const name of BACKEND_ORDER) {
    const cap = caps[name];
    if (!cap.available) {
      probes.push({ name, available: false, detail: cap.detail, error: cap.error });
      continue;
    }
    // Each remaining backend gets an equal share of what is left; the 50 ms floor lets a late
    // backend still finish its 128² run after an earlier one overran.
    const left = todo.length - todo.indexOf(name);
    const share = Math.max(50, (deadline - performance.now()) / left);
    probes.push(await measureOne(name, cap, share));
  }
  if (previous && tf.getBackend() !== previous) await useBackend(previous).catch(() => undefined);
  return probes;
}

/** A stable key for this device: user agent, WebGPU adapter, cores, cross-origin isolation, wasm threads. */
export async function deviceKey(): Promise<string> {
  const gpu = await detectWebGpu();
  return composeDeviceKey({
    userAgent: userAgent(),
    gpu: gpu.available ? gpu : null,
    hardwareConcurrency: logicalCores(),
    crossOriginIsolated: detectWasm().crossOriginIsolated,
    wasmThreads: wasmThreadPlan().threads,
  });
}
