/** Pure decision logic for the compute backend: no tfjs, no DOM, tested in Node. */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Order used to list backends and to break exact ties (GPU first: it frees the CPU for the UI). */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What one backend showed in the capability check and the matmul micro-benchmark. */
export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** Measured matmul throughput; absent when the backend was not measured. */
  gflops?: number;
  error?: string;
  /** e.g. 'SwiftShader (software) adapter', 'wasm SIMD+threads (2)'. */
  detail?: string;
  /** Side of the square matrices the figure was measured with. */
  matmulSize?: number;
  /** True when the time budget ran out before the planned timed runs finished. */
  cutOff?: boolean;
}

/** The backend in use, why, and the evidence. Plain data: it is cached and crosses threads. */
export interface BackendChoice {
  name: BackendName;
  /** A human sentence, e.g. "wasm: 29.1 GFLOPS beat webgpu (0.7, SwiftShader (software) adapter) and webgl (3.2)". */
  reason: string;
  probes: BackendProbe[];
  fromCache: boolean;
  deviceKey: string;
  decidedAt: number;
  /** WebAssembly threads in the realm that decided, and why (absent in choices cached before threads). */
  wasmThreads?: { threads: number; note: string };
}

/** Where choices are remembered between sessions, keyed by deviceKey. */
export interface ChoiceCache {
  get(key: string): Promise<BackendChoice | undefined> | BackendChoice | undefined;
  set(key: string, c: BackendChoice): Promise<void> | void;
}

/** True for a backend name this module knows. */
export function isBackendName(x: unknown): x is BackendName {
  return typeof x === 'string' && (BACKEND_ORDER as readonly string[]).includes(x);
}

/** GFLOPS with one decimal, or two significant digits below 0.1 so slow backends don't read as 0.0. */
export function formatGflops(g: number): string {
  return g >= 0.1 ? g.toFixed(1) : g.toPrecision(2);
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function isMeasured(p: BackendProbe): p is BackendProbe & { gflops: number } {
  return p.available && typeof p.gflops === 'number' && Number.isFinite(p.gflops) && p.gflops > 0;
}

function describeLoser(p: BackendProbe & { gflops: number }): string {
  const notes = [formatGflops(p.gflops)];
  // Say why a GPU backend lost when it is really the CPU in disguise.
  if (p.detail && /software/i.test(p.detail)) notes.push(p.detail);
  if (p.cutOff) notes.push('cut off by the time budget');
  return `${p.name} (${notes.join(', ')})`;
}

function describeUnavailable(probes: readonly BackendProbe[]): string {
  const down = probes.filter((p) => !isMeasured(p));
  if (down.length === 0) return '';
  return `; not measured: ${down.map((p) => `${p.name} (${p.error ?? 'unavailable'})`).join(', ')}`;
}

/** Picks the backend with the highest measured GFLOPS and says why in one sentence. */
export function chooseWinner(probes: readonly BackendProbe[]): {
  name: BackendName;
  reason: string;
} {
  const measured = probes
    .filter(isMeasured)
    .sort(
      (a, b) =>
        b.gflops - a.gflops || BACKEND_ORDER.indexOf(a.name) - BACKEND_ORDER.indexOf(b.name),
    );
  const [winner, ...losers] = measured;
  const rest = describeUnavailable(probes);
  if (!winner) {
    return {
      name: 'cpu',
      reason: `cpu: no backend could be measured, cpu is the fallback that always exists${rest}`,
    };
  }
  const head = `${winner.name}: ${formatGflops(winner.gflops)} GFLOPS`;
  const versus =
    losers.length > 0
      ? ` beat ${joinAnd(losers.map(describeLoser))}`
      : ' (the only backend measured)';
  return { name: winner.name, reason: head + versus + rest };
}

/** The parts that identify a device for caching a benchmark result. */
export interface DeviceKeyParts {
  userAgent: string;
  gpu: { vendor: string; architecture: string; device: string; isFallbackAdapter: boolean } | null;
  hardwareConcurrency: number;
  /** wasm threads exist only in cross-origin isolated pages, which changes the wasm figure. */
  crossOriginIsolated: boolean;
  /** Threads the wasm backend runs with: a different count measures a different wasm. */
  wasmThreads: number;
}

/** Bump when the benchmark changes so old cached choices are ignored. */
export const DEVICE_KEY_VERSION = 'compute-v2';

/** A stable, readable key: version | user agent | WebGPU adapter | cores | isolation | wasm threads. */
export function composeDeviceKey(parts: DeviceKeyParts): string {
  const g = parts.gpu;
  const gpu = g
    ? `gpu=${g.vendor}/${g.architecture}/${g.device}/${g.isFallbackAdapter ? 'fallback' : 'hw'}`
    : 'gpu=none';
  return [
    DEVICE_KEY_VERSION,
    `ua=${parts.userAgent}`,
    gpu,
    `cores=${parts.hardwareConcurrency}`,
    `coi=${parts.crossOriginIsolated ? 1 : 0}`,
    `threads=${parts.wasmThreads}`,
  ].join('|');
}
