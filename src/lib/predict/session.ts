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
import {
  LibraryFeatureIndex,
  type LibraryNeighbour,
  type PosterLibrary,
  type SyncResult,
} from './library-index.ts';
import { decodeChecked, prepareForBackbone } from './poster-model.ts';
import { PosterPredictor, type PosterPrediction, type PredictOptions } from './predictor.ts';
import { composeFullModel, fullModelFiles, fullModelMetadata } from './full-model.ts';
import { errorMessage } from '../core/errors.ts';

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
  #index: LibraryFeatureIndex | null = null;

  constructor(
    private readonly loadUrl: (url: string) => Promise<tf.LayersModel>,
    private readonly decode?: ImageDecoder,
    private readonly library?: () => Promise<PosterLibrary>,
  ) {}

  /** Loads (once) the backbone at `url`; a failure explains what to do rather than failing silently. */
  async useBackbone(url: string): Promise<void> {
    let p = this.#backbones.get(url);
    if (!p) {
      p = this.loadUrl(url).catch((e: unknown) => {
        this.#backbones.delete(url);
        // The model store's offline error already says what to do and how big the download is.
        if (e instanceof Error && e.name === 'ModelUnavailableError') throw e;
        const why = errorMessage(e);
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

  /** The active model as one tfjs model (backbone + head) with its metadata.json (predict/full-model.ts). */
  async fullModelFiles(now = new Date()): Promise<{ name: string; bytes: Uint8Array }[]> {
    const p = this.#predictor;
    if (!p) throw new Error('no active model');
    if (p.card.extraBackbones?.length)
      throw new Error(
        `${p.card.name} uses more than one backbone; exporting it as one model is not supported yet. Export gives its head and card.`,
      );
    // Shares the backbone's and head's layers (no weights copied): not disposed here.
    const full = composeFullModel([p.backbone], p.head, `${p.card.name}-full`);
    return fullModelFiles(full, fullModelMetadata(p.card, now));
  }

  /** Predicts dropped files with the active model (saliency maps and features when asked). */
  predict(
    files: readonly { name: string; bytes: Uint8Array }[],
    onDone?: (d: number, n: number) => void,
    options: PredictOptions = {},
  ): Promise<PosterPrediction[]> {
    if (!this.#predictor) throw new Error('no active model');
    return this.#predictor.predictFiles(files, this.decode, undefined, onDone, options);
  }

  /**
   * The library's nearest posters to each query (head features from `predict`), in the active
   * model's feature space. Library posters without a vector yet are indexed first (progress; an
   * aborted signal stops, keeping what was done, and the search uses what is indexed).
   */
  async neighbours(
    queries: readonly Float32Array[],
    k: number,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ sync: SyncResult; neighbours: LibraryNeighbour[][] }> {
    const p = this.#predictor;
    if (!p) throw new Error('no active model');
    if (!this.library) throw new Error('this session has no library');
    const lib = await this.library();
    const dims = p.card.backbone?.featureDims ?? 0;
    // Vectors depend on the backbone(s), their weights and flip averaging, not on the head.
    const space = JSON.stringify([
      this.#backboneUrl,
      p.card.backbone?.name,
      (p.card.extraBackbones ?? []).map((b) => b.name),
      !!p.card.flipAveraging,
      dims,
    ]);
    if (this.#index?.space !== space)
      this.#index = new LibraryFeatureIndex(space, dims, (posters) =>
        this.#libraryFeatures(p, posters),
      );
    const index = this.#index;
    const sync = await index.sync(lib, signal, onProgress);
    const neighbours = await Promise.all(
      queries.map((q) => index.neighbours(lib, q, k, p.card.groups)),
    );
    return { sync, neighbours };
  }

  /** Head features of library posters (null for a poster that cannot be decoded). */
  async #libraryFeatures(
    p: PosterPredictor,
    posters: { key: string; bytes: Uint8Array }[],
  ): Promise<(Float32Array | null)[]> {
    const imgs = await Promise.all(
      posters.map(async (x) => {
        try {
          return prepareForBackbone(await decodeChecked(x.bytes, this.decode));
        } catch {
          return null;
        }
      }),
    );
    const ok = imgs.filter((x) => x !== null);
    if (!ok.length) return imgs.map(() => null);
    const f = await p.headFeatures(ok);
    const d = f.length / ok.length;
    let at = 0;
    return imgs.map((x) => (x ? f.slice(d * at, d * ++at) : null));
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
