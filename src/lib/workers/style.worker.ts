/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { modelFetchFunc } from '../net/model-store.ts';
import { vggWeights } from './backbone-weights.ts';
import { initCompute, type BackendName } from '../platform/index.ts';
import { STYLE_PRESETS } from '../style/presets.ts';
import {
  VggBackbone,
  stylize,
  type RgbaImage,
  type StyleIteration,
  type StyleResult,
  type StyleSettings,
} from '../style/stylize.ts';
import { TaskRegistry } from './tasks.ts';
import { loadInstantStylizer, type InstantInfo } from './instant-models.ts';
import type { InstantRequest, InstantStylizer } from '../style/instant.ts';
import { rgbFloatToRgba } from '../style/image-ops.ts';

/** What loaded weights can do: each preset with the reason it cannot run (null when it can). */
export interface BackboneInfo {
  arch: string;
  backend: string;
  presets: { id: string; label: string; missing: string | null }[];
}

/** A finished run and the backend it ran on. */
export interface StyleRunResult extends StyleResult {
  backend: string;
}

/** An instant render as it crosses to the page: RGBA bytes (transferred) and its costs. */
export interface InstantRender {
  image: RgbaImage;
  predictMs: number;
  transferMs: number;
  tiles: number;
  predictRuns: number;
}

const tasks = new TaskRegistry();
let backbone: VggBackbone | undefined;
let instant: Promise<{ stylizer: InstantStylizer; info: InstantInfo }> | undefined;

/** Loads the instant networks once (again after a failure), with `threads` on the first load. */
function ensureInstant(threads?: number) {
  instant ??= loadInstantStylizer(threads).catch((e: unknown) => {
    instant = undefined;
    throw e;
  });
  return instant;
}

const needBackbone = (): VggBackbone => {
  if (!backbone) throw new Error('No backbone loaded: call loadBackbone first');
  return backbone;
};

/** Replaces the loaded backbone with these weights; says which presets they can run. */
function useWeights(weights: tf.NamedTensorMap): BackboneInfo {
  backbone?.dispose();
  backbone = new VggBackbone(weights);
  const b = backbone;
  return {
    arch: b.arch,
    backend: tf.getBackend(),
    presets: Object.values(STYLE_PRESETS).map((p) => ({
      id: p.id,
      label: p.label,
      missing: b.missing(p),
    })),
  };
}

// Style transfer off the main thread: images cross as RGBA bytes (transferred), never tensors.
const api = {
  /** Activates the backend the main thread chose (no second benchmark). */
  init: async (prefer: BackendName | 'auto') => (await initCompute({ prefer })).name,
  /** Loads tfjs layers-format VGG weights (model.json URL) and says which presets they can run. */
  loadBackbone: async (url: string): Promise<BackboneInfo> => {
    // tfjs' own HTTP loader (model.json, then its shards, paths relative to the JSON), reading
    // through the model store so the weights are kept for offline use after the first load.
    const artifacts = await tf.io.http(url, { fetchFunc: modelFetchFunc() }).load!();
    if (!artifacts.weightData || !artifacts.weightSpecs) throw new Error(`${url} has no weights`);
    return useWeights(tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs));
  },
  /**
   * Loads VGG16/VGG19 from what Settings → Backbone weights holds (the user's Keras .h5 or tfjs
   * folder, or the official .h5 once downloaded); offline with nothing stored, the store's message.
   */
  loadStoredVgg: async (arch: 'vgg16' | 'vgg19'): Promise<BackboneInfo> =>
    useWeights(await vggWeights(arch)),
  stylize: (
    taskId: string,
    content: RgbaImage,
    style: RgbaImage,
    settings: StyleSettings,
    onIteration: (it: StyleIteration) => void,
    initImage?: RgbaImage,
  ): Promise<StyleRunResult> =>
    tasks.run(taskId, async (signal) => {
      const r = await stylize(
        needBackbone(),
        content,
        style,
        settings,
        { signal, onIteration: (it) => onIteration(transfer(it, [it.image.data.buffer])) },
        initImage,
      );
      return transfer({ ...r, backend: tf.getBackend() }, [r.image.data.buffer]);
    }),
  cancel: (taskId: string) => tasks.cancel(taskId),
  /** Loads the instant-stylization networks (shipped .tflite files) once; threads default to min(cores, 4) when isolated, else 1. */
  instantLoad: async (threads?: number): Promise<InstantInfo> =>
    (await ensureInstant(threads)).info,
  /** Renders the content in the style; style vectors are cached per key, so a strength change runs only the transfer network. */
  instantStylize: async (req: InstantRequest): Promise<InstantRender> => {
    const r = (await ensureInstant()).stylizer.stylize(req);
    const image = rgbFloatToRgba(r.image);
    return transfer({ ...r, image }, [image.data.buffer]);
  },
  /** tf.memory() of this worker, for leak checks. */
  memory: () => {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
};

expose(api);
export type StyleApi = typeof api;
