/**
 * The whole project as one zip, streamed both ways. Export walks the library in batches and
 * pushes each record through fflate's streaming Zip into a ByteSink (a file on disk, or a Blob
 * built from chunks), so only one batch of posters is in memory at a time. Import reads the zip
 * by its central directory (zip-reader.ts) and writes batches through the library's undo
 * journal: a cancel or an error rolls every write back, so the library is exactly as before.
 * The layout is the one the in-memory exporter wrote (legacy-export.ts), so either reads the
 * other's projects.
 */
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8 } from 'fflate';
import type { Movie, Poster } from '../data/types.ts';
import type { JournaledStore, ModelRecord, RunRecord } from '../storage/records.ts';
import { API_KEYS_KEY } from '../crawl/state.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import type { ByteSink } from './sinks.ts';
import { readEntries, readZipDirectory, type ZipEntry } from './zip-reader.ts';
import { errorMessage } from '../core/errors.ts';

/** What an export reads from the library (the Library interface satisfies it). */
export interface BundleSource {
  countMovies(): Promise<number>;
  countPosters(): Promise<number>;
  movieBatch(after: string | undefined, limit: number): Promise<Movie[]>;
  posterBatch(after: string | undefined, limit: number): Promise<Poster[]>;
  listRuns(): Promise<RunRecord[]>;
  listModels(): Promise<ModelRecord[]>;
  getSetting<T>(key: string): Promise<T | undefined>;
}

/** What an import writes into (the Library interface satisfies it). */
export interface BundleTarget {
  importBatch(store: JournaledStore, records: readonly object[]): Promise<unknown>;
  rollbackImport(): Promise<number>;
  commitImport(): Promise<void>;
}

/**
 * Settings a bundle carries. The Library cannot list its settings, so the bundle names them;
 * API keys are never among them (and are refused on import).
 */
export const BUNDLE_SETTING_KEYS = [
  'explore.groups',
  'crawl.net',
  'crawl.state',
  'tmdb.genres',
  'compute.prefer',
];
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

/** Options of a streamed export or import. */
export interface BundleStreamOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Movies per read or write; 500 keeps a transaction short and a batch a few hundred KB. */
  movieBatch?: number;
  /** Posters per read or write; 100 posters are a few MB. */
  posterBatch?: number;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Cancelled', 'AbortError');
}

/** fflate's Zip calls back synchronously; this queues its chunks and writes them in order. */
class ZipPump {
  readonly zip: Zip;
  #queue: Uint8Array[] = [];
  #error: Error | null = null;
  #ended = false;
  constructor(private readonly sink: ByteSink) {
    this.zip = new Zip((err, chunk, final) => {
      if (err) this.#error = err;
      else this.#queue.push(chunk);
      if (final) this.#ended = true;
    });
  }
  get ended(): boolean {
    return this.#ended;
  }
  /** Writes what the zip has produced so far (backpressure: the caller awaits the disk). */
  async drain(): Promise<void> {
    if (this.#error) throw this.#error;
    while (this.#queue.length > 0) {
      const chunks = this.#queue;
      this.#queue = [];
      for (const c of chunks) await this.sink.write(c);
    }
  }
  /** A whole small file, deflated. */
  add(name: string, bytes: Uint8Array, level: 0 | 6 = 6): void {
    const f = level === 0 ? new ZipPassThrough(name) : new ZipDeflate(name, { level });
    this.zip.add(f);
    f.push(bytes, true);
  }
}

async function writeMovies(
  lib: BundleSource,
  pump: ZipPump,
  batch: number,
  tick: (n: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const file = new ZipDeflate('movies.json', { level: 6 });
  pump.zip.add(file);
  file.push(strToU8('['));
  let after: string | undefined;
  let n = 0;
  for (;;) {
    throwIfAborted(signal);
    const movies = await lib.movieBatch(after, batch);
    if (movies.length === 0) break;
    const text = movies.map((m) => JSON.stringify(m)).join(',');
    file.push(strToU8(n === 0 ? text : ',' + text));
    n += movies.length;
    after = movies[movies.length - 1]?.key;
    tick(movies.length);
    await pump.drain();
  }
  file.push(strToU8(']'), true);
  await pump.drain();
  return n;
}

async function writePosters(
  lib: BundleSource,
  pump: ZipPump,
  batch: number,
  tick: (n: number) => void,
  signal?: AbortSignal,
): Promise<PosterMeta[]> {
  const metas: PosterMeta[] = [];
  let after: string | undefined;
  for (;;) {
    throwIfAborted(signal);
    const posters = await lib.posterBatch(after, batch);
    if (posters.length === 0) break;
    const bytes = await Promise.all(
      posters.map(async (p) => new Uint8Array(await p.blob.arrayBuffer())),
    );
    posters.forEach((p, i) => {
      const file = `posters/${metas.length}.${EXT[p.type] ?? 'bin'}`;
      const { blob: _blob, ...meta } = p;
      metas.push({ ...meta, file });
      // JPEG/PNG are compressed already: stored keeps export fast and the bytes identical.
      pump.add(file, bytes[i] as Uint8Array, 0);
    });
    after = posters[posters.length - 1]?.movieKey;
    tick(posters.length);
    await pump.drain();
  }
  return metas;
}

/**
 * Streams the project into `sink`: movies, posters (stored, not recompressed), runs, models and
 * settings without API keys. On cancel or error the sink is aborted (no half file is kept).
 */
export async function exportBundle(
  lib: BundleSource,
  sink: ByteSink,
  opts: BundleStreamOptions = {},
  settingKeys: readonly string[] = BUNDLE_SETTING_KEYS,
): Promise<{ movies: number; posters: number; models: number }> {
  const { signal } = opts;
  const pump = new ZipPump(sink);
  try {
    const [nMovies, nPosters] = await Promise.all([lib.countMovies(), lib.countPosters()]);
    const tracker = new ProgressTracker(
      'Exporting',
      nMovies + nPosters,
      opts.onProgress ?? (() => {}),
    );
    const tick = (n: number) => tracker.tick(n);
    const models = await lib.listModels();
    pump.add(
      'manifest.json',
      strToU8(
        JSON.stringify({
          format: FORMAT,
          version: 1,
          createdAt: new Date().toISOString(),
          movies: nMovies,
          posters: nPosters,
          models: models.length,
        }),
      ),
    );
    const movies = await writeMovies(lib, pump, opts.movieBatch ?? 500, tick, signal);
    const posters = await writePosters(lib, pump, opts.posterBatch ?? 100, tick, signal);
    const modelMeta: ModelMeta[] = [];
    for (const m of models) {
      throwIfAborted(signal);
      if (!m.artifacts) {
        modelMeta.push({ ...m, artifacts: null });
        continue;
      }
      const { weightData, ...rest } = m.artifacts;
      const weightFile = `models/${modelMeta.length}.bin`;
      pump.add(weightFile, new Uint8Array(weightData));
      modelMeta.push({ ...m, artifacts: { ...rest, weightFile } });
      await pump.drain();
    }
    const settings: Record<string, unknown> = {};
    for (const k of settingKeys) {
      if (k === API_KEYS_KEY) continue;
      const v = await lib.getSetting(k);
      if (v !== undefined) settings[k] = v;
    }
    pump.add('posters.json', strToU8(JSON.stringify(posters)));
    pump.add('runs.json', strToU8(JSON.stringify(await lib.listRuns())));
    pump.add('models.json', strToU8(JSON.stringify(modelMeta)));
    pump.add('settings.json', strToU8(JSON.stringify(settings)));
    pump.zip.end();
    await pump.drain();
    if (!pump.ended) throw new Error('The zip did not finish');
    await sink.close();
    tracker.finish(`${movies} movies, ${posters.length} posters`);
    return { movies, posters: posters.length, models: modelMeta.length };
  } catch (e) {
    pump.zip.terminate();
    await sink.abort().catch(() => undefined);
    throw e;
  }
}

/** Counts of what an imported bundle held. */
export interface BundleImportResult {
  movies: number;
  posters: number;
  runs: number;
  models: number;
  settings: number;
}

/** The parsed JSON parts of a bundle, checked before anything is written. */
interface BundleParts {
  movies: Movie[];
  posters: Array<PosterMeta & { entry: ZipEntry }>;
  runs: RunRecord[];
  models: ModelMeta[];
  settings: Record<string, unknown>;
}

async function readParts(file: Blob): Promise<{ dir: Map<string, ZipEntry>; parts: BundleParts }> {
  let dir: Map<string, ZipEntry>;
  try {
    dir = await readZipDirectory(file);
  } catch (e) {
    const why = errorMessage(e);
    throw new Error(why.startsWith('Not a') ? why : `Not a zip file: ${why}`, { cause: e });
  }
  const read = async <T>(name: string): Promise<T> => {
    const entry = dir.get(name);
    if (!entry) throw new Error(`Not a Marquee bundle: ${name} is missing`);
    const [bytes] = await readEntries(file, [entry]);
    return JSON.parse(strFromU8(bytes as Uint8Array)) as T;
  };
  const manifest = await read<{ format?: string; version?: number }>('manifest.json');
  if (manifest.format !== FORMAT || manifest.version !== 1)
    throw new Error('Not a Marquee bundle (unknown format or version)');
  const posterMeta = await read<PosterMeta[]>('posters.json');
  const posters = posterMeta.map((p) => {
    const entry = dir.get(p.file);
    if (!entry) throw new Error(`Bundle is missing ${p.file}`);
    return { ...p, entry };
  });
  const models = await read<ModelMeta[]>('models.json');
  for (const m of models)
    if (m.artifacts && !dir.has(m.artifacts.weightFile))
      throw new Error(`Bundle is missing ${m.artifacts.weightFile}`);
  const parts: BundleParts = {
    movies: await read<Movie[]>('movies.json'),
    posters,
    runs: await read<RunRecord[]>('runs.json'),
    models,
    settings: await read<Record<string, unknown>>('settings.json'),
  };
  return { dir, parts };
}

async function importPosters(
  file: Blob,
  target: BundleTarget,
  posters: BundleParts['posters'],
  batch: number,
  tracker: ProgressTracker,
  signal?: AbortSignal,
): Promise<void> {
  for (let i = 0; i < posters.length; i += batch) {
    throwIfAborted(signal);
    const slice = posters.slice(i, i + batch);
    const bytes = await readEntries(
      file,
      slice.map((p) => p.entry),
    );
    const records: Poster[] = slice.map(({ file: _f, entry: _e, ...meta }, j) => ({
      ...meta,
      blob: new Blob([bytes[j] as Uint8Array<ArrayBuffer>], { type: meta.type }),
    }));
    throwIfAborted(signal);
    await target.importBatch('posters', records);
    tracker.tick(slice.length);
  }
}

/**
 * Reads a bundle (this exporter's or the in-memory one's) into the library in batches; throws a
 * clear Error on anything else. Cancelled (AbortError) or failed, it undoes everything it wrote.
 * An undo journal left by an import in a tab that died is rolled back first.
 */
export async function importBundle(
  target: BundleTarget,
  file: Blob,
  opts: BundleStreamOptions = {},
): Promise<BundleImportResult> {
  const { signal } = opts;
  const { dir, parts } = await readParts(file);
  await target.rollbackImport();
  const { movies, posters, runs, models, settings } = parts;
  const tracker = new ProgressTracker(
    'Importing',
    movies.length + posters.length,
    opts.onProgress ?? (() => {}),
  );
  try {
    const mb = opts.movieBatch ?? 500;
    for (let i = 0; i < movies.length; i += mb) {
      throwIfAborted(signal);
      await target.importBatch('movies', movies.slice(i, i + mb));
      tracker.tick(Math.min(mb, movies.length - i));
    }
    await importPosters(file, target, posters, opts.posterBatch ?? 100, tracker, signal);
    throwIfAborted(signal);
    await target.importBatch('runs', runs);
    for (const m of models) {
      const { artifacts, ...rest } = m;
      let record: ModelRecord = { ...rest, artifacts: null };
      if (artifacts) {
        const { weightFile, ...a } = artifacts;
        const [w] = await readEntries(file, [dir.get(weightFile) as ZipEntry]);
        record = { ...rest, artifacts: { ...a, weightData: (w as Uint8Array).slice().buffer } };
      }
      await target.importBatch('models', [record]);
    }
    // never import keys, even from a hand-made bundle
    const kept = Object.entries(settings).filter(([k]) => k !== API_KEYS_KEY);
    await target.importBatch(
      'settings',
      kept.map(([key, value]) => ({ key, value })),
    );
    throwIfAborted(signal);
    await target.commitImport();
    tracker.finish(`${movies.length} movies, ${posters.length} posters`);
    return {
      movies: movies.length,
      posters: posters.length,
      runs: runs.length,
      models: models.length,
      settings: kept.length,
    };
  } catch (e) {
    await target.rollbackImport();
    throw e;
  }
}
