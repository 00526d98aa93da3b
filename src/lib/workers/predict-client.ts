/**
 * The predict worker's client: starts it, finds the backbone and loads the shipped model.
 * Backbone URL: the user's setting (localStorage `marquee.backboneUrl`) when there is one; else
 * a copy already in the model store (the shipped one, or the official host's from before the
 * site shipped its own), so a page loaded offline uses what it has; else the copy that ships
 * with the site under its base URL (public/models/, net/model-hosts.ts SHIPPED_BACKBONES). No
 * server is probed: the built site only ever asks its own origin, or the URL the user set.
 */
import { proxy, type Remote } from 'comlink';
import { MODEL_HOST_TABLE, shippedBackboneUrl } from '../net/model-hosts.ts';
import { storedModelFile } from '../net/model-store.ts';
import type { ModelCard } from '../predict/card.ts';
import type { LibraryNeighbour, SyncResult } from '../predict/library-index.ts';
import type { PosterPrediction, PredictOptions } from '../predict/predictor.ts';
import type { ModelFiles } from '../predict/session.ts';
import type { PredictApi } from './predict.worker.ts';
import { startWorker } from './remote.ts';
import { siteModelsUrl } from './site-models.ts';
import { startComputeWorker } from './compute-client.ts';

export type { LibraryNeighbour, ModelCard, ModelFiles, PosterPrediction, SyncResult };

export const BACKBONE_SETTING_KEY = 'marquee.backboneUrl';
/** The shipped model folder (under the site's models/ folder). */
export const SHIPPED_MODEL_FOLDER = 'marquee-poster-v1/';
/** The backbone the shipped model was trained on. */
const BACKBONE = 'mobilenetv2-0.35';

/** The backbone URL to use (see the module comment); `siteModels` is the site's models/ URL. */
export async function chooseBackboneUrl(
  siteModels: string = siteModelsUrl(),
  stored: (url: string) => Promise<unknown> = storedModelFile,
  setting: string | null | undefined = globalThis.localStorage?.getItem(BACKBONE_SETTING_KEY),
): Promise<string> {
  if (setting) return setting;
  const shipped = shippedBackboneUrl(BACKBONE, siteModels);
  if (!shipped) throw new Error(`${BACKBONE} is not among the shipped backbones`);
  for (const url of [shipped, MODEL_HOST_TABLE[BACKBONE].url]) if (await stored(url)) return url;
  return shipped;
}

export interface PredictWorker {
  api: Remote<PredictApi>;
  backend: string;
  backboneUrl: string;
  terminate(): void;
}

/** Starts the worker and loads the backbone (throws the worker's plain-language message on failure). */
export async function startPredictWorker(): Promise<PredictWorker> {
  const worker = startComputeWorker('predict');
  return startWorker<PredictApi, { backend: string; backboneUrl: string }>(worker, async (api) => {
    const backend = await api.init();
    const backboneUrl = await chooseBackboneUrl();
    await api.useBackbone(backboneUrl);
    return { backend, backboneUrl };
  });
}

/** Fetches the shipped model's files (from the app's own origin). */
export function fetchShippedModel(w: PredictWorker): Promise<ModelFiles> {
  return w.api.fetchModel(new URL(SHIPPED_MODEL_FOLDER, siteModelsUrl()).href);
}

/** Predicts files; progress per batch; saliency maps and head features when asked. */
export function predictFiles(
  w: PredictWorker,
  files: { name: string; bytes: Uint8Array }[],
  onDone?: (done: number, total: number) => void,
  options?: PredictOptions,
): Promise<PosterPrediction[]> {
  return w.api.predict(files, onDone ? proxy(onDone) : undefined, options);
}

/** The library's k nearest posters to each query (indexing the library first: progress, cancel by taskId). */
export function libraryNeighbours(
  w: PredictWorker,
  taskId: string,
  queries: Float32Array[],
  k: number,
  onProgress?: (done: number, total: number) => void,
): Promise<{ sync: SyncResult; neighbours: LibraryNeighbour[][] }> {
  return w.api.neighbours(taskId, queries, k, onProgress ? proxy(onProgress) : undefined);
}
