/**
 * What the predict worker holds: one backbone (loaded once per URL) and the active predictor.
 * Loading is injected (the worker passes tf.loadLayersModel), so this runs in tests too. A model
 * is refused, with every reason listed, when its card is malformed, does not fit the studio's
 * labels or backbones, or its files do not match model.json (missing or short shards).
 */
import type * as tf from '@tensorflow/tfjs';
import { PAPER7 } from '../features/groups.ts';
import type { ImageDecoder } from '../vision/pipeline.ts';
import { artifactProblems, cardProblems, compatibilityProblems, type ModelCard } from './card.ts';
import { loadHead } from './head-io.ts';
import { PosterPredictor, type PosterPrediction } from './predictor.ts';

/** A model's files as they travel (download, library record, import): model.json, card and shards by path. */
export interface ModelFiles {
  modelJson: unknown;
  card: unknown;
  shards: Record<string, ArrayBuffer>;
}

/** Thrown when a model is refused; `problems` are the reasons, one per line in the message. */
export class ModelRefused extends Error {
  override readonly name = 'ModelRefused';
  constructor(readonly problems: string[]) {
    super(`model refused: ${problems.join('; ')}`);
  }
}

export const STUDIO_COMPATIBILITY = {
  labels: PAPER7.map((g) => g.name),
  backbones: ['mobilenetv2-0.35'],
} as const;

/** Every problem with a model's files, or [] when they can be loaded. */
export function modelFilesProblems(files: ModelFiles): string[] {
  const p = cardProblems(files.card);
  if (p.length) return p;
  const card = files.card as ModelCard;
  const sizes = new Map(Object.entries(files.shards).map(([k, v]) => [k, v.byteLength]));
  return [
    ...compatibilityProblems(card, STUDIO_COMPATIBILITY),
    ...artifactProblems(card, files.modelJson, sizes),
  ];
}

export class PredictSession {
  #backbones = new Map<string, Promise<tf.LayersModel>>();
  #backboneUrl = '';
  #predictor: PosterPredictor | null = null;

  constructor(
    private readonly loadUrl: (url: string) => Promise<tf.LayersModel>,
    private readonly decode?: ImageDecoder,
  ) {}

  /** Loads (once) the backbone at `url`; a failure explains what to do rather than failing silently. */
  async useBackbone(url: string): Promise<void> {
    let p = this.#backbones.get(url);
    if (!p) {
      p = this.loadUrl(url).catch((e: unknown) => {
        this.#backbones.delete(url);
        // The model store's offline error already says what to do and how big the download is.
        if (e instanceof Error && e.name === 'ModelUnavailableError') throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(
          `The MobileNetV2 backbone could not be loaded from ${url} (${why}). ` +
            'The file there is not a usable TensorFlow.js layers model; drop the weight files in Settings → Backbone weights instead.',
        );
      });
      this.#backbones.set(url, p);
    }
    await p;
    this.#backboneUrl = url;
  }

  /** Validates and activates a model; returns its card. */
  async useModel(files: ModelFiles): Promise<ModelCard> {
    const problems = modelFilesProblems(files);
    if (problems.length) throw new ModelRefused(problems);
    const backbone = await this.#backbones.get(this.#backboneUrl);
    if (!backbone) throw new Error('load a backbone first');
    const head = await loadHead(
      files.modelJson as Parameters<typeof loadHead>[0],
      new Map(Object.entries(files.shards)),
    );
    this.#predictor?.dispose();
    this.#predictor = new PosterPredictor(backbone, head, files.card as ModelCard);
    return this.#predictor.card;
  }

  get card(): ModelCard | null {
    return this.#predictor?.card ?? null;
  }

  /** Predicts dropped files with the active model. */
  predict(
    files: readonly { name: string; bytes: Uint8Array }[],
    onDone?: (d: number, n: number) => void,
  ): Promise<PosterPrediction[]> {
    if (!this.#predictor) throw new Error('no active model');
    return this.#predictor.predictFiles(files, this.decode, undefined, onDone);
  }
}

/** Reads a model folder by URL (model.json, card.json, the shards model.json names); `get` is fetch. */
export async function fetchModelFiles(base: string, get: typeof fetch): Promise<ModelFiles> {
  const root = new URL(base.endsWith('/') ? base : `${base}/`, globalThis.location?.href);
  const url = (f: string) => new URL(f, root).href;
  const json = async (f: string): Promise<unknown> => {
    const r = await get(url(f));
    if (!r.ok) throw new Error(`${url(f)}: HTTP ${r.status}`);
    return r.json();
  };
  const [modelJson, card] = await Promise.all([json('model.json'), json('card.json')]);
  const paths = (
    (modelJson as { weightsManifest?: { paths?: string[] }[] }).weightsManifest ?? []
  ).flatMap((g) => g.paths ?? []);
  const shards: Record<string, ArrayBuffer> = {};
  for (const p of paths) {
    const r = await get(url(p));
    if (!r.ok) throw new Error(`${url(p)}: HTTP ${r.status}`);
    shards[p] = await r.arrayBuffer();
  }
  return { modelJson, card, shards };
}
