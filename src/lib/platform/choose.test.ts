import { describe, expect, it } from 'vitest';
import {
  chooseWinner,
  composeDeviceKey,
  formatGflops,
  joinAnd,
  type BackendProbe,
} from './choose.ts';
import { matmulGflops } from './bench.ts';
import { softwareGpuName, softwareName } from './env.ts';

// Figures of the shape measured on this machine's headless Chromium (SwiftShader, no GPU).
const HERE: BackendProbe[] = [
  { name: 'webgpu', available: true, gflops: 0.71, detail: 'SwiftShader (software) adapter' },
  { name: 'webgl', available: true, gflops: 3.2 },
  { name: 'wasm', available: true, gflops: 29.1, detail: 'wasm SIMD+threads (2)' },
  { name: 'cpu', available: true, gflops: 1.8, detail: 'plain JavaScript' },
];

describe('chooseWinner', () => {
  it('picks the highest GFLOPS and lists the losers, fastest first', () => {
    const { name, reason } = chooseWinner(HERE);
    expect(name).toBe('wasm');
    expect(reason).toBe(
      'wasm: 29.1 GFLOPS beat webgl (3.2), cpu (1.8) and webgpu (0.7, SwiftShader (software) adapter)',
    );
  });

  it('lets a real GPU win when it is measured faster', () => {
    const probes = HERE.map((p) =>
      p.name === 'webgpu' ? { ...p, gflops: 120, detail: 'nvidia ampere adapter' } : p,
    );
    const { name, reason } = chooseWinner(probes);
    expect(name).toBe('webgpu');
    expect(
      reason.startsWith('webgpu: 120.0 GFLOPS beat wasm (29.1), webgl (3.2) and cpu (1.8)'),
    ).toBe(true);
  });

  it('names unavailable backends and their errors', () => {
    const probes: BackendProbe[] = [
      { name: 'webgpu', available: false, error: 'navigator.gpu is missing' },
      { name: 'wasm', available: true, gflops: 10 },
      { name: 'cpu', available: true, gflops: 1 },
    ];
    expect(chooseWinner(probes).reason).toBe(
      'wasm: 10.0 GFLOPS beat cpu (1.0); not measured: webgpu (navigator.gpu is missing)',
    );
  });

  it('marks a loser that the time budget cut off', () => {
    const probes: BackendProbe[] = [
      { name: 'webgl', available: true, gflops: 0.05, cutOff: true },
      { name: 'cpu', available: true, gflops: 1.2 },
    ];
    expect(chooseWinner(probes).reason).toBe(
      'cpu: 1.2 GFLOPS beat webgl (0.050, cut off by the time budget)',
    );
  });

  it('breaks an exact tie in backend order (GPU first)', () => {
    const probes: BackendProbe[] = [
      { name: 'cpu', available: true, gflops: 5 },
      { name: 'webgl', available: true, gflops: 5 },
    ];
    expect(chooseWinner(probes).name).toBe('webgl');
  });

  it('says when only one backend was measured', () => {
    expect(chooseWinner([{ name: 'cpu', available: true, gflops: 2 }]).reason).toBe(
      'cpu: 2.0 GFLOPS (the only backend measured)',
    );
  });

  it('falls back to cpu when nothing could be measured, ignoring NaN and zero figures', () => {
    const probes: BackendProbe[] = [
      { name: 'webgpu', available: true, gflops: Number.NaN },
      { name: 'wasm', available: true, gflops: 0 },
      { name: 'webgl', available: false, error: 'no context' },
    ];
    const { name, reason } = chooseWinner(probes);
    expect(name).toBe('cpu');
    expect(reason).toMatch(/^cpu: no backend could be measured/);
    expect(reason).toContain('webgl (no context)');
  });
});

describe('formatting', () => {
  it('keeps two significant digits below 0.1 GFLOPS', () => {
    expect(formatGflops(0.0078)).toBe('0.0078');
    expect(formatGflops(0.71)).toBe('0.7');
    expect(formatGflops(46.583)).toBe('46.6');
  });

  it('joins lists in English', () => {
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b'])).toBe('a and b');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('counts 2n³ flops per matmul', () => {
    // 1024² in 74 ms: 2·1024³ = 2.147e9 flops → 29.0 GFLOPS (the wasm figure in shared/README.md).
    expect(matmulGflops(1024, 74)).toBeCloseTo(29.02, 2);
  });
});

describe('composeDeviceKey', () => {
  const parts = {
    userAgent: 'Mozilla/5.0 HeadlessChrome/156.0.0.0',
    gpu: { vendor: 'google', architecture: 'swiftshader', device: '', isFallbackAdapter: true },
    hardwareConcurrency: 2,
    crossOriginIsolated: false,
    wasmThreads: 1,
  };

  it('joins version, user agent, adapter, cores, isolation and wasm threads', () => {
    expect(composeDeviceKey(parts)).toBe(
      'compute-v2|ua=Mozilla/5.0 HeadlessChrome/156.0.0.0|gpu=google/swiftshader//fallback|cores=2|coi=0|threads=1',
    );
  });

  it('is the same for the same parts and differs when any part changes', () => {
    const key = composeDeviceKey(parts);
    expect(composeDeviceKey({ ...parts })).toBe(key);
    const variants = [
      { ...parts, userAgent: 'Mozilla/5.0 HeadlessChrome/157.0.0.0' },
      { ...parts, gpu: { ...parts.gpu, isFallbackAdapter: false } },
      { ...parts, gpu: { ...parts.gpu, architecture: 'ampere' } },
      { ...parts, gpu: null },
      { ...parts, hardwareConcurrency: 8 },
      { ...parts, crossOriginIsolated: true },
      { ...parts, wasmThreads: 2 },
    ];
    const keys = new Set(variants.map(composeDeviceKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });
});

describe('software adapter detection', () => {
  it('recognises SwiftShader, llvmpipe and WARP, and not real GPUs', () => {
    expect(
      softwareName(
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      ),
    ).toBe('SwiftShader');
    expect(softwareName('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareName('Microsoft Basic Render Driver')).toBe('WARP');
    expect(softwareName('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)')).toBeUndefined();
  });

  it('treats a fallback adapter as software even when unnamed', () => {
    const base = { available: true, vendor: '', architecture: '', device: '', description: '' };
    expect(softwareGpuName({ ...base, isFallbackAdapter: true })).toBe('fallback');
    expect(
      softwareGpuName({ ...base, architecture: 'swiftshader', isFallbackAdapter: false }),
    ).toBe('SwiftShader');
    expect(
      softwareGpuName({
        ...base,
        vendor: 'nvidia',
        architecture: 'ampere',
        isFallbackAdapter: false,
      }),
    ).toBeUndefined();
  });
});
