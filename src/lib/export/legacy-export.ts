/**
 * The exporter and importer as they were before streaming (zipSync / unzipSync of everything in
 * memory), kept verbatim so tests prove that old exports still import and that new exports
 * still open in the old importer. Not used by the app.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { Movie, Poster } from '../data/types.ts';
import type { ModelRecord, RunRecord } from '../storage/records.ts';
import { API_KEYS_KEY } from '../crawl/state.ts';
import { BUNDLE_SETTING_KEYS } from './bundle.ts';
import { errorMessage } from '../core/errors.ts';

/** What the old exporter read from the library (the Library interface satisfies it). */
export interface LegacyBundleSource {
  allMovies(): Promise<Movie[]>;
  posterKeys(): Promise<string[]>;
  getPoster(key: string): Promise<Poster | undefined>;
  listRuns(): Promise<RunRecord[]>;
  listModels(): Promise<ModelRecord[]>;
  getSetting<T>(key: string): Promise<T | undefined>;
}

/** What the old importer wrote into (the Library interface satisfies it). */
export interface LegacyBundleSink {
  putMovies(movies: Movie[]): Promise<unknown>;
  putPosters(posters: Poster[]): Promise<unknown>;
  putRun(run: RunRecord): Promise<void>;
  putModel(m: ModelRecord): Promise<void>;
  putSetting(key: string, value: unknown): Promise<void>;
}

const FORMAT = 'marquee-bundle';
const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

type PosterMeta = Omit<Poster, 'blob'> & { file: string };
type ModelMeta = Omit<ModelRecord, 'artifacts'> & {
  artifacts:
    (Omit<NonNullable<ModelRecord['artifacts']>, 'weightData'> & { weightFile: string }) | null;
};

const json = (v: unknown) => strToU8(JSON.stringify(v));

/** The whole project as one zip: movies, posters (stored, not recompressed), runs, models, settings without API keys. */
export async function exportBundleV1(
  lib: LegacyBundleSource,
  settingKeys: readonly string[] = BUNDLE_SETTING_KEYS,
): Promise<Uint8Array> {
  const files: Zippable = {};
  const movies = await lib.allMovies();
  const posters: PosterMeta[] = [];
  let n = 0;
  for (const key of await lib.posterKeys()) {
    const p = await lib.getPoster(key);
    if (!p) continue;
    const file = `posters/${n++}.${EXT[p.type] ?? 'bin'}`;
    const { blob, ...meta } = p;
    posters.push({ ...meta, file });
    // JPEG/PNG are compressed already: level 0 keeps export fast and the bytes identical.
    files[file] = [new Uint8Array(await blob.arrayBuffer()), { level: 0 }];
  }
  const models: ModelMeta[] = [];
  for (const m of await lib.listModels()) {
    if (!m.artifacts) {
      models.push({ ...m, artifacts: null });
      continue;
    }
    const { weightData, ...rest } = m.artifacts;
    const weightFile = `models/${models.length}.bin`;
    files[weightFile] = new Uint8Array(weightData);
    models.push({ ...m, artifacts: { ...rest, weightFile } });
  }
  const settings: Record<string, unknown> = {};
  for (const k of settingKeys) {
    if (k === API_KEYS_KEY) continue;
    const v = await lib.getSetting(k);
    if (v !== undefined) settings[k] = v;
  }
  files['movies.json'] = json(movies);
  files['posters.json'] = json(posters);
  files['runs.json'] = json(await lib.listRuns());
  files['models.json'] = json(models);
  files['settings.json'] = json(settings);
  files['manifest.json'] = json({
    format: FORMAT,
    version: 1,
    createdAt: new Date().toISOString(),
    movies: movies.length,
    posters: posters.length,
    models: models.length,
  });
  return zipSync(files, { level: 6 });
}
/** Counts of what an imported bundle held. */
export interface BundleImportResultV1 {
  movies: number;
  posters: number;
  runs: number;
  models: number;
  settings: number;
}

/** Reads a bundle made by exportBundle back into the library; throws a clear Error on anything else. */
export async function importBundleV1(
  lib: LegacyBundleSink,
  zip: Uint8Array,
): Promise<BundleImportResultV1> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (e) {
    throw new Error(`Not a zip file: ${errorMessage(e)}`, { cause: e });
  }
  const read = <T>(name: string): T => {
    const f = files[name];
    if (!f) throw new Error(`Not a Marquee bundle: ${name} is missing`);
    return JSON.parse(strFromU8(f)) as T;
  };
  const manifest = read<{ format?: string; version?: number }>('manifest.json');
  if (manifest.format !== FORMAT || manifest.version !== 1)
    throw new Error('Not a Marquee bundle (unknown format or version)');
  const movies = read<Movie[]>('movies.json');
  const posterMeta = read<PosterMeta[]>('posters.json');
  const runs = read<RunRecord[]>('runs.json');
  const models = read<ModelMeta[]>('models.json');
  const settings = read<Record<string, unknown>>('settings.json');
  const posters: Poster[] = posterMeta.map(({ file, ...meta }) => {
    const bytes = files[file];
    if (!bytes) throw new Error(`Bundle is missing ${file}`);
    return { ...meta, blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.type }) };
  });
  await lib.putMovies(movies);
  for (let i = 0; i < posters.length; i += 200) await lib.putPosters(posters.slice(i, i + 200));
  for (const r of runs) await lib.putRun(r);
  for (const m of models) {
    const { artifacts, ...rest } = m;
    if (!artifacts) {
      await lib.putModel({ ...rest, artifacts: null });
      continue;
    }
    const { weightFile, ...a } = artifacts;
    const w = files[weightFile];
    if (!w) throw new Error(`Bundle is missing ${weightFile}`);
    await lib.putModel({ ...rest, artifacts: { ...a, weightData: w.slice().buffer } });
  }
  let nSettings = 0;
  for (const [k, v] of Object.entries(settings)) {
    if (k === API_KEYS_KEY) continue; // never import keys, even from a hand-made bundle
    await lib.putSetting(k, v);
    nSettings += 1;
  }
  return {
    movies: movies.length,
    posters: posters.length,
    runs: runs.length,
    models: models.length,
    settings: nSettings,
  };
}
