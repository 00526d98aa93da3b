/**
 * Backbone weights as the Settings card sees them: what the model cache holds for each
 * backbone (read in the page), importing the user's files (checked and stored in a worker),
 * and removing them.
 */
import { releaseProxy, transfer, wrap } from 'comlink';
import { BACKBONES, type BackboneName } from '../models/poster/backbones.ts';
import {
  backboneOfUrl,
  MODEL_HOST_TABLE,
  SHIPPED_BACKBONES,
  type ModelHost,
} from '../net/model-hosts.ts';
import {
  listStoredModelFiles,
  removeModelFiles,
  type StoredModelFile,
} from '../net/model-store.ts';
import type { ImportedBackbone } from './backbone-weights.ts';
import type { BackbonesApi } from './backbones.worker.ts';
import { startComputeWorker } from './compute-client.ts';

export type { ImportedBackbone };

/** One backbone's row in Settings. */
export interface BackboneStatus {
  name: BackboneName;
  host: ModelHost;
  /** Set when the backbone ships with the site (loaded from it on first use): its download size. */
  shipped: { sizeBytes: number } | null;
  /** Not stored; downloaded from a URL; or (any file) given by the user. */
  state: 'missing' | 'cached' | 'file';
  /** The download URL, or the user's file name(s). */
  from: string;
  sizeBytes: number;
  files: StoredModelFile[];
}

/** Every backbone with what the model cache holds for it. */
export async function backboneStatuses(): Promise<BackboneStatus[]> {
  const stored = await listStoredModelFiles();
  return (Object.keys(BACKBONES) as BackboneName[]).map((name) => {
    const files = stored.filter((f) => backboneOfUrl(f.url) === name);
    const given = files.filter((f) => f.source === 'file');
    const main = files.find((f) => /model\.json$|\.h5$/.test(f.url)) ?? files[0];
    return {
      name,
      host: MODEL_HOST_TABLE[name],
      shipped: SHIPPED_BACKBONES[name] ? { sizeBytes: SHIPPED_BACKBONES[name].sizeBytes } : null,
      state: given.length ? 'file' : files.length ? 'cached' : 'missing',
      from: given.length ? given.map((f) => f.from).join(', ') : (main?.from ?? ''),
      sizeBytes: files.reduce((s, f) => s + f.sizeBytes, 0),
      files,
    };
  });
}

/** Checks the user's files in a worker and stores them only if they fit; rejects with the reason otherwise. */
export async function importBackbone(
  name: BackboneName,
  files: readonly File[],
): Promise<ImportedBackbone> {
  const worker = startComputeWorker('backbones');
  const api = wrap<BackbonesApi>(worker);
  try {
    const given = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    return await api.importFiles(
      name,
      transfer(
        given,
        given.map((g) => g.bytes.buffer),
      ),
    );
  } finally {
    api[releaseProxy]();
    worker.terminate();
  }
}

/** Removes every stored file of a backbone (downloads and the user's files); returns how many. */
export async function removeBackbone(name: BackboneName): Promise<number> {
  const urls = (await listStoredModelFiles())
    .filter((f) => backboneOfUrl(f.url) === name)
    .map((f) => f.url);
  return removeModelFiles(urls);
}
