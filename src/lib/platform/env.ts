/**
 * Feature detection for the compute backends, without tfjs: WebGPU adapter, WebGL2 context,
 * WebAssembly SIMD and threads. Works on the main thread, in workers and (mostly "unavailable")
 * in Node.
 */

/** What the WebGPU adapter says about itself; empty strings when the browser hides a field. */
export interface WebGpuInfo {
  available: boolean;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  error?: string;
}

export interface WebGl2Info {
  available: boolean;
  renderer: string;
  error?: string;
}

export interface WasmInfo {
  available: boolean;
  simd: boolean;
  /** Threads need SharedArrayBuffer, which browsers only give cross-origin isolated pages. */
  threads: boolean;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
}

// Minimal WebGPU shapes: the DOM lib of our TypeScript does not declare navigator.gpu.
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

const NO_GPU: Omit<WebGpuInfo, 'error'> = {
  available: false,
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
};

/** Names of software rasterisers that pretend to be a GPU (Chrome's SwiftShader, Mesa's llvmpipe, Windows WARP). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

const SOFTWARE_DISPLAY: Record<string, string> = {
  swiftshader: 'SwiftShader',
  'microsoft basic render': 'WARP',
};

/** The software implementation an adapter or renderer description names ('SwiftShader', 'llvmpipe'), if any. */
export function softwareName(text: string): string | undefined {
  const m = SOFTWARE_RENDERER.exec(text)?.[0]?.toLowerCase();
  return m === undefined ? undefined : (SOFTWARE_DISPLAY[m] ?? m);
}

/** For a WebGPU adapter that runs on the CPU (fallback adapter or SwiftShader), its name; else undefined. */
export function softwareGpuName(info: WebGpuInfo): string | undefined {
  const named = softwareName(`${info.architecture} ${info.description} ${info.vendor}`);
  return named ?? (info.isFallbackAdapter ? 'fallback' : undefined);
}

let webGpuInfo: Promise<WebGpuInfo> | undefined;

/** Asks navigator.gpu for an adapter once per realm (the answer does not change while a page lives). */
export function detectWebGpu(): Promise<WebGpuInfo> {
  webGpuInfo ??= requestWebGpuInfo();
  return webGpuInfo;
}

async function requestWebGpuInfo(): Promise<WebGpuInfo> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu)
    return { ...NO_GPU, error: 'navigator.gpu is missing (no WebGPU in this browser/context)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ...NO_GPU, error: 'navigator.gpu.requestAdapter() returned null' };
    // Chrome ≥ 114 has adapter.info; older builds only requestAdapterInfo().
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    return {
      available: true,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    };
  } catch (e) {
    return { ...NO_GPU, error: `requestAdapter failed: ${errorMessage(e)}` };
  }
}

/** Opens a throwaway WebGL2 context (OffscreenCanvas in workers) and reads the renderer name. */
export function detectWebGl2(): WebGl2Info {
  let gl: WebGL2RenderingContext | null = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') {
      gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    } else if (typeof document !== 'undefined') {
      gl = document.createElement('canvas').getContext('webgl2');
    } else {
      return { available: false, renderer: '', error: 'no canvas in this context' };
    }
    if (!gl) return { available: false, renderer: '', error: 'getContext("webgl2") returned null' };
    const dbg = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    return { available: true, renderer };
  } catch (e) {
    return { available: false, renderer: '', error: errorMessage(e) };
  } finally {
    // Browsers cap live WebGL contexts (16 in Chrome); give this one back at once.
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

// A tiny module using a v128 instruction (from GoogleChromeLabs/wasm-feature-detect, as tfjs uses).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26,
  11,
]);

/** WebAssembly availability, SIMD, and whether wasm threads can run here. */
export function detectWasm(): WasmInfo {
  const available =
    typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  let simd: boolean;
  try {
    simd = available && WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const sab = typeof SharedArrayBuffer === 'function';
  return {
    available,
    simd,
    threads: available && isolated && sab,
    crossOriginIsolated: isolated,
    sharedArrayBuffer: sab,
  };
}

/** Logical cores as the browser reports them (Node: os-independent fallback of 1). */
export function logicalCores(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** The user agent, or a Node version tag outside browsers. */
export function userAgent(): string {
  const ua = globalThis.navigator?.userAgent;
  if (ua) return ua;
  const proc = (globalThis as { process?: { version?: string } }).process;
  return proc?.version ? `Node.js/${proc.version}` : 'unknown';
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && 'message' in e)
    return String((e as { message: unknown }).message);
  return String(e);
}
