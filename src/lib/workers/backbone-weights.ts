/**
 * Backbone weights inside workers, all read through the model store (net/model-store.ts):
 * tfjs layers models by URL (tfjs' HTTP loader with the store as its fetchFunc), VGG16/VGG19
 * from the Keras notop .h5 at its official URL (a download, or the user's file stored under
 * that URL) or from a tfjs folder the user gave, and checks of files the user drops before any
 * of them is stored, so a wrong or truncated file never replaces good weights.
 */
import * as tf from '@tensorflow/tfjs';
import {
  buildVggBackbone,
  layersArtifacts,
  loadLayersBackbone,
  type BackboneName,
} from '../models/poster/backbones.ts';
import { readKerasH5, type H5Wasm } from '../models/poster/h5.ts';
import {
  folderOf,
  MODEL_HOST_TABLE,
  SHARED_MODEL_FOLDERS,
  shippedBackboneUrl,
} from '../net/model-hosts.ts';
import {
  fetchModelFile,
  modelFetchFunc,
  storedModelFile,
  storeModelFile,
} from '../net/model-store.ts';
import { decodeLayersWeights, vggLayerNames, type LayersModelJson } from '../style/vgg.ts';
import { errorMessage } from '../core/errors.ts';

/** Thrown when the .h5 reader itself cannot be loaded (offline before its first use). */
export class H5ReaderMissing extends Error {
  override readonly name = 'H5ReaderMissing';
}

/**
 * h5wasm's browser build (wasm embedded in its ESM module, 4.8 MB), imported on first use: a
 * static import put it in every worker that reads any backbone (Predict included), and it is not
 * precached (offline/first-use.ts), so Predict could not start offline.
 */
export async function loadH5(): Promise<H5Wasm> {
  try {
    return (await import('h5wasm')).default as unknown as H5Wasm;
  } catch (e) {
    throw new H5ReaderMissing(
      `The reader for Keras .h5 files (h5wasm, about 4.8 MB) is not on this device yet and the site cannot be reached (${errorMessage(e)}). Connect once and try again, or give the weights as a tfjs folder (model.json and its shards). Nothing was changed.`,
    );
  }
}

type Vgg = 'vgg16' | 'vgg19';
const isVgg = (n: BackboneName): n is Vgg => n === 'vgg16' || n === 'vgg19';

/** Where a user's tfjs folder of VGG weights is stored (beside the official .h5 URL). */
export function vggFolderUrl(arch: Vgg): string {
  return `${folderOf(MODEL_HOST_TABLE[arch].url)}marquee-tfjs/model.json`;
}

/** Loads a tfjs layers model through the model store (cached after the first download). */
export function loadLayersModelCached(url: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(url, { fetchFunc: modelFetchFunc() });
}

/** Where tfjs backbone folders are looked for before the official hosts. */
export interface ModelSources {
  /** The site's own models/ folder, holding the shipped backbones (net/model-hosts.ts SHIPPED_BACKBONES); null = none. */
  site: string | null;
  /** A folder laid out like ../shared/models: only the dev server and tests set it, explicitly; null = none. */
  shared: string | null;
}

/** The model.json URLs a tfjs backbone may be read from, in order: shipped copy, ../shared copy, official host. */
export function layersModelUrls(name: BackboneName, sources: ModelSources): string[] {
  const urls: string[] = [];
  const here = self.location.href;
  const site = sources.site && shippedBackboneUrl(name, new URL(sources.site, here));
  if (site) urls.push(site);
  const folder = SHARED_MODEL_FOLDERS[name];
  if (sources.shared !== null && folder) {
    const base = sources.shared.endsWith('/') ? sources.shared : `${sources.shared}/`;
    urls.push(new URL(`${base}${folder}/model.json`, here).href);
  }
  urls.push(MODEL_HOST_TABLE[name].url);
  return urls;
}

/** The first URL whose file is already stored, else the first URL (to download). */
export async function preferStored(urls: readonly string[]): Promise<string> {
  for (const u of urls) if (await storedModelFile(u)) return u;
  return urls[0]!;
}

/** Expected Keras VGG conv weight shapes by `<layer>/kernel|bias` (3×3 kernels). */
export function vggWeightShapes(arch: Vgg): Map<string, number[]> {
  const filters = [64, 128, 256, 512, 512];
  const out = new Map<string, number[]>();
  let cin = 3;
  for (const n of vggLayerNames(arch).filter((l) => l.includes('_conv'))) {
    const f = filters[Number(n.charAt(5)) - 1]!;
    out.set(`${n}/kernel`, [3, 3, cin, f]).set(`${n}/bias`, [f]);
    cin = f;
  }
  return out;
}

/** Every way `weights` fail to be the named VGG's conv stack; [] when they fit. */
export function vggWeightProblems(arch: Vgg, weights: tf.NamedTensorMap): string[] {
  const problems: string[] = [];
  for (const [key, shape] of vggWeightShapes(arch)) {
    const w = weights[key] ?? Object.entries(weights).find(([k]) => k.endsWith(`/${key}`))?.[1];
    if (!w) problems.push(`no ${key}`);
    else if (!tf.util.arraysEqual(w.shape, shape))
      problems.push(`${key} is [${w.shape.join(', ')}], ${arch} needs [${shape.join(', ')}]`);
  }
  return problems;
}

async function bytesOf(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchModelFile(url)).arrayBuffer());
}

/** Reads a tfjs layers folder (model.json + shards) through the store into named weights. */
async function readLayersFolder(modelJsonUrl: string): Promise<tf.NamedTensorMap> {
  const json = (await (await fetchModelFile(modelJsonUrl)).json()) as LayersModelJson;
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest)
    for (const p of g.paths)
      shards.set(p, (await bytesOf(new URL(p, modelJsonUrl).href)).buffer as ArrayBuffer);
  return decodeLayersWeights(json, shards);
}

/** VGG16/VGG19 conv weights by Keras name: the user's tfjs folder if stored, else the Keras .h5 (stored or downloaded). */
export async function vggWeights(arch: Vgg): Promise<tf.NamedTensorMap> {
  const folder = vggFolderUrl(arch);
  return (await storedModelFile(folder))
    ? await readLayersFolder(folder)
    : await readKerasH5(await bytesOf(MODEL_HOST_TABLE[arch].url), await loadH5());
}

/** VGG16/VGG19 to block5_pool for any input size, from `vggWeights`. */
export async function loadVgg(arch: Vgg): Promise<tf.LayersModel> {
  const weights = await vggWeights(arch);
  try {
    return buildVggBackbone(arch, weights);
  } finally {
    tf.dispose(Object.values(weights)); // the layers hold their own copies
  }
}

/** Loads any backbone: VGG built in code by layer name, MobileNets as tfjs layers models. */
export async function loadBackbone(
  name: BackboneName,
  sources: ModelSources,
): Promise<tf.LayersModel> {
  if (isVgg(name)) return loadVgg(name);
  return loadLayersModelCached(await preferStored(layersModelUrls(name, sources)));
}

/** A file the user gave, as it crosses into the worker. */
export interface GivenFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** What was stored for a backbone from the user's files. */
export interface ImportedBackbone {
  name: BackboneName;
  files: number;
  sizeBytes: number;
  /** Weights in the stored files (parameters). */
  params: number;
}

/** Thrown when dropped files are refused; nothing was stored. */
export class BackboneFileRefused extends Error {
  override readonly name = 'BackboneFileRefused';
}

const count = (w: tf.NamedTensorMap) => Object.values(w).reduce((s, t) => s + t.size, 0);

async function checkH5(arch: Vgg, file: GivenFile): Promise<number> {
  const h5 = await loadH5();
  let weights: tf.NamedTensorMap;
  try {
    weights = await readKerasH5(file.bytes, h5);
  } catch (e) {
    const why = errorMessage(e);
    throw new BackboneFileRefused(
      `${file.name} cannot be read as a Keras weights file (${why}): it may be truncated or not an .h5 at all. Nothing was changed.`,
    );
  }
  try {
    const problems = vggWeightProblems(arch, weights);
    if (problems.length)
      throw new BackboneFileRefused(
        `${file.name} does not hold ${MODEL_HOST_TABLE[arch].label} notop weights: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}. Nothing was changed.`,
      );
    return count(weights);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

async function checkFolder(
  name: BackboneName,
  files: GivenFile[],
): Promise<{ json: GivenFile; params: number }> {
  const refuse = (why: string) => {
    throw new BackboneFileRefused(
      `These files are not a ${MODEL_HOST_TABLE[name].label} tfjs model: ${why}. Nothing was changed.`,
    );
  };
  const json = files.find((f) => f.name.endsWith('.json')) ?? refuse('no model.json among them');
  let parsed: LayersModelJson & { modelTopology?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(json.bytes)) as typeof parsed;
  } catch {
    return refuse(`${json.name} is not valid JSON`);
  }
  if (!Array.isArray(parsed.weightsManifest)) refuse(`${json.name} has no weightsManifest`);
  const byName = new Map(files.map((f) => [f.name, f.bytes.buffer]));
  let weights: tf.NamedTensorMap = {};
  try {
    weights = decodeLayersWeights(parsed, byName);
    if (isVgg(name)) {
      const problems = vggWeightProblems(name, weights);
      if (problems.length) refuse(problems.slice(0, 3).join('; '));
    } else {
      const model = await loadLayersBackbone(
        layersArtifacts(parsed as Parameters<typeof layersArtifacts>[0], byName),
      );
      model.dispose();
    }
    return { json, params: count(weights) };
  } catch (e) {
    if (e instanceof BackboneFileRefused) throw e;
    return refuse(errorMessage(e));
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/**
 * Checks the user's files for a backbone and, only if they fit, stores them where the loader
 * reads: a Keras .h5 under the official .h5 URL; a tfjs folder under the official model.json
 * folder (MobileNets) or beside the .h5 (VGG).
 */
export async function importBackboneFiles(
  name: BackboneName,
  files: GivenFile[],
): Promise<ImportedBackbone> {
  if (files.length === 0) throw new BackboneFileRefused('No files were given.');
  const h5 = files.find((f) => /\.(h5|hdf5|keras)$/i.test(f.name));
  const sizeBytes = files.reduce((s, f) => s + f.bytes.byteLength, 0);
  if (isVgg(name) && h5) {
    const params = await checkH5(name, h5);
    await storeModelFile(MODEL_HOST_TABLE[name].url, h5.bytes, h5.name);
    return { name, files: 1, sizeBytes: h5.bytes.byteLength, params };
  }
  if (h5)
    throw new BackboneFileRefused(
      `${MODEL_HOST_TABLE[name].label} weights come as a tfjs model (model.json and its shards), not a Keras .h5 file. Nothing was changed.`,
    );
  const { json, params } = await checkFolder(name, files);
  const jsonUrl = isVgg(name) ? vggFolderUrl(name) : MODEL_HOST_TABLE[name].url;
  for (const f of files.filter((x) => x !== json))
    await storeModelFile(new URL(f.name, jsonUrl).href, f.bytes, f.name);
  await storeModelFile(jsonUrl, json.bytes, json.name); // last: the loader looks for model.json first
  return { name, files: files.length, sizeBytes, params };
}
