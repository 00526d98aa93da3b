/** The tfjs workers that share one bundle (compute.worker.ts), by worker name. */
export const COMPUTE_ROLES = ['posters', 'style', 'predict', 'train', 'backbones'] as const;
export type ComputeRole = (typeof COMPUTE_ROLES)[number];

/** Key of the first message a compute worker gets: its settings, before any tfjs loads. */
export const COMPUTE_CONFIG_KEY = 'marquee:compute-config';

/** What a compute worker needs to know before tfjs starts. */
export interface ComputeConfig {
  /** WebAssembly threads: 'auto' or a count (platform/threads.ts). */
  threads: number | 'auto';
}

/** True for the config message a client sends first. */
export function isConfigMessage(data: unknown): data is { [COMPUTE_CONFIG_KEY]: ComputeConfig } {
  return typeof data === 'object' && data !== null && COMPUTE_CONFIG_KEY in data;
}
