/**
 * The predict worker's client: starts it, finds the backbone and loads the shipped model.
 * Backbone URL, first that works: the user's setting (localStorage `marquee.backboneUrl`), the
 * dev/preview/test servers' copy of ../shared at /__shared/ (probed: a static host has none),
 * then the official Teachable Machine host. Whichever is used is kept in the model store
 * (net/model-store.ts), and a URL whose files are already stored wins, so a page loaded offline
 * picks the copy it has instead of probing a server it cannot reach.
 */
import { proxy, type Remote } from 'comlink';
import { BACKBONES } from '../models/poster/backbones.ts';
import { storedModelFile } from '../net/model-store.ts';
import type { ModelCard } from '../predict/card.ts';
import type { PosterPrediction } from '../predict/predictor.ts';
import type { ModelFiles } from '../predict/session.ts';
import type { PredictApi } from './predict.worker.ts';
import { startWorker } from './remote.ts';
import { startComputeWorker } from './compute-client.ts';

export type { ModelCard, ModelFiles, PosterPrediction };

export const BACKBONE_SETTING_KEY = 'marquee.backboneUrl';
export const SHARED_BACKBONE_URL = '/__shared/models/mobilenetv2-0.35-imagenet/model.json';
/** The shipped model folder (under the app's base URL). */
export const SHIPPED_MODEL_PATH = 'models/marquee-poster-v1/';

/** The backbone URL to use (see the module comment). */
export async function chooseBackboneUrl(
  get: typeof fetch = fetch,
  stored: (url: string) => Promise<unknown> = storedModelFile,
): Promise<string> {
  const setting = globalThis.localStorage?.getItem(BACKBONE_SETTING_KEY);
  if (setting) return setting;
  const official = BACKBONES['mobilenetv2-0.35'].officialUrl;
  const shared = new URL(SHARED_BACKBONE_URL, location.href).href;
  for (const url of [shared, official]) if (await stored(url)) return url;
  try {
    const r = await get(SHARED_BACKBONE_URL, { method: 'HEAD' });
    if (r.ok && (r.headers.get('content-type') ?? '').includes('json')) return shared;
  } catch {
    // no dev server (or offline): fall through to the official host
  }
  return official;
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
  return w.api.fetchModel(
    new URL(`${import.meta.env.BASE_URL}${SHIPPED_MODEL_PATH}`, location.href).href,
  );
}

/** Predicts files; progress per batch. */
export function predictFiles(
  w: PredictWorker,
  files: { name: string; bytes: Uint8Array }[],
  onDone?: (done: number, total: number) => void,
): Promise<PosterPrediction[]> {
  return w.api.predict(files, onDone ? proxy(onDone) : undefined);
}
