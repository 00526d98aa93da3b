/// <reference lib="webworker" />
import { expose } from 'comlink';
import { parseMoviesCsv } from '../data/csv.ts';
import { FilmIndex, mergeFilms } from '../data/film-merge.ts';
import { importPosterFiles } from '../data/import-posters.ts';
import { listFolderFiles } from '../data/poster-folder.ts';
import { fillThumbnails, loadThumbnails } from '../data/thumbnails.ts';
import { decodeWithThumbnail, thumbnailOfBlob } from '../vision/thumbnail.ts';
import { openLibrary, type Library } from '../storage/index.ts';
import { BlobSink, exportBundle, fileHandleSink, importBundle } from '../export/index.ts';
import type { ProgressFn } from '../core/progress.ts';
import { TaskRegistry } from './tasks.ts';
import type { CsvImportSummary, PosterImportSummary } from './import-types.ts';

const tasks = new TaskRegistry();
/** Held (Web Locks, across tabs) while a project import writes, so no other tab rolls it back. */
const IMPORT_LOCK = 'marquee-project-import';
const staged = new Map<string, Array<{ name: string; blob: Blob }>>();
let library: Promise<Library> | undefined;
let databaseName: string | undefined;
const lib = () =>
  (library ??= openLibrary({ name: databaseName, onVersionChange: () => (library = undefined) }));

const api = {
  /** Points the worker at another database (tests use a throwaway one). */
  useDatabase(name: string): void {
    databaseName = name;
    library = undefined;
  },

  /** Parses a movies CSV (streaming) and merges its movies into the library. */
  importCsv: (
    taskId: string,
    file: Blob,
    name: string,
    onProgress: ProgressFn,
  ): Promise<CsvImportSummary> =>
    tasks.run(taskId, async (signal) => {
      const parsed = await parseMoviesCsv(file, { source: name, onProgress, signal });
      const library = await lib();
      // One movie per film: records of films the library already has (from another source) join them.
      const index = new FilmIndex();
      for await (const batch of library.movieBatches()) for (const m of batch) index.add(m);
      const { movies, report } = mergeFilms(index, parsed.movies);
      const stored = await library.putMovies(movies);
      const { movies: _movies, ...rest } = parsed;
      return { ...rest, name, movieCount: parsed.movies.length, ...stored, films: report };
    }),

  /** Receives a batch of files for a later importPosters call (see import-client.ts for why in batches). */
  stageFiles(taskId: string, files: Array<{ name: string; blob: Blob }>): void {
    const list = staged.get(taskId) ?? [];
    for (const f of files) list.push(f);
    staged.set(taskId, list);
  },

  /** Checks, decodes and stores the staged poster files; bad files come back as rejections with reasons. */
  importPosters: (taskId: string, onProgress: ProgressFn): Promise<PosterImportSummary> => {
    const files = staged.get(taskId) ?? [];
    staged.delete(taskId);
    return tasks.run(taskId, async (signal) =>
      importPosterFiles(files, await lib(), decodeWithThumbnail, { onProgress, signal }),
    );
  },

  /** Walks a folder handle here in the worker and imports its posters (with their thumbnails). */
  importPosterFolder: (
    taskId: string,
    dir: FileSystemDirectoryHandle,
    onProgress: ProgressFn,
  ): Promise<PosterImportSummary> =>
    tasks.run(taskId, async (signal) =>
      importPosterFiles(await listFolderFiles(dir, signal), await lib(), decodeWithThumbnail, {
        onProgress,
        signal,
      }),
    ),

  /** Thumbnails of these movies (null: no poster); ones missing are made from the poster and stored. */
  thumbnails: async (keys: string[]): Promise<(Blob | null)[]> =>
    loadThumbnails(await lib(), keys, thumbnailOfBlob),

  /** Makes every missing thumbnail in batches (posters imported before thumbnails existed). */
  fillThumbnails: (taskId: string, onProgress: ProgressFn): Promise<number> =>
    tasks.run(taskId, async (signal) =>
      fillThumbnails(await lib(), thumbnailOfBlob, { signal, onProgress }),
    ),

  /**
   * Streams the project zip into the file the user picked (handle), or, without one, into a
   * Blob built from chunks that comes back for a download.
   */
  exportProject: (taskId: string, handle: FileSystemFileHandle | null, onProgress: ProgressFn) =>
    tasks.run(taskId, async (signal) => {
      const sink = handle ? await fileHandleSink(handle) : new BlobSink();
      const counts = await exportBundle(await lib(), sink, { signal, onProgress });
      return { ...counts, blob: sink instanceof BlobSink ? sink.blob : null };
    }),

  /** Reads a project zip into the library in batches; a cancel leaves the library as it was. */
  importProject: (taskId: string, file: Blob, onProgress: ProgressFn) =>
    tasks.run(taskId, async (signal) =>
      navigator.locks.request(IMPORT_LOCK, async () =>
        importBundle(await lib(), file, { signal, onProgress }),
      ),
    ),

  /**
   * Undoes what an import left half-written when its tab died (its undo journal survives);
   * returns how many records were restored. Skipped while another tab imports.
   */
  recoverImport: async (): Promise<number> =>
    navigator.locks.request(IMPORT_LOCK, { ifAvailable: true }, async (lock) =>
      lock ? (await lib()).rollbackImport() : 0,
    ),

  cancel: (taskId: string): boolean => tasks.cancel(taskId),
};

expose(api);
export type ImportApi = typeof api;
