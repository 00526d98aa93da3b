import { proxy, wrap, type Remote } from 'comlink';
import type { ImportApi } from './import.worker.ts';
import type { Progress } from '../core/progress.ts';
import type { CsvImportSummary, PosterImportSummary } from './import-types.ts';

let remote: Remote<ImportApi> | undefined;
let nextId = 0;

/** The import worker, created on first use and kept for the page's life (imports are frequent). */
function api(): Remote<ImportApi> {
  remote ??= wrap<ImportApi>(
    new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'import' }),
  );
  return remote;
}

/** Points the import worker at another database (tests only). */
export function useImportDatabase(name: string): Promise<void> {
  return api().useDatabase(name);
}

/** A running import: its result, and a way to cancel it. */
export interface ImportJob<T> {
  result: Promise<T>;
  cancel(): void;
}

function start<T>(
  run: (id: string, onProgress: (p: Progress) => void) => Promise<T>,
  onProgress: (p: Progress) => void,
): ImportJob<T> {
  const id = `import-${++nextId}`;
  return { result: run(id, proxy(onProgress)), cancel: () => void api().cancel(id) };
}

/** Starts a CSV import in the worker. */
export function importCsv(
  file: File,
  onProgress: (p: Progress) => void,
): ImportJob<CsvImportSummary> {
  return start((id, cb) => api().importCsv(id, file, file.name, cb), onProgress);
}

/**
 * Files cross to the worker in batches: cloning a File is cheap (its bytes are not copied) but not
 * free, and 6,826 of them in one postMessage froze the page for ~0.6 s here; batches of 250 keep
 * every main-thread task short (each await lets the page paint and handle input).
 */
const STAGE_BATCH = 250;

/** Starts a poster import in the worker. */
export function importPosters(
  files: File[],
  onProgress: (p: Progress) => void,
): ImportJob<PosterImportSummary> {
  return start(async (id, cb) => {
    const w = api();
    for (let i = 0; i < files.length; i += STAGE_BATCH) {
      const batch = files
        .slice(i, i + STAGE_BATCH)
        .map((f) => ({ name: f.webkitRelativePath || f.name, blob: f }));
      await w.stageFiles(id, batch);
    }
    return w.importPosters(id, cb);
  }, onProgress);
}

/** What an export reports: counts, and the zip itself when no file handle was given. */
export interface ProjectExport {
  movies: number;
  posters: number;
  models: number;
  blob: Blob | null;
}

/** Streams the project zip into `handle` (a picked file), or into a Blob when it is null. */
export function exportProject(
  handle: FileSystemFileHandle | null,
  onProgress: (p: Progress) => void,
): ImportJob<ProjectExport> {
  return start((id, cb) => api().exportProject(id, handle, cb), onProgress);
}

/** Imports a project zip in batches; cancelled, the library is left as it was. */
export function importProject(
  file: Blob,
  onProgress: (p: Progress) => void,
): ImportJob<{ movies: number; posters: number; runs: number; models: number; settings: number }> {
  return start((id, cb) => api().importProject(id, file, cb), onProgress);
}

/** Imports the posters of a folder handle; the worker walks the folder itself. */
export function importPosterFolder(
  dir: FileSystemDirectoryHandle,
  onProgress: (p: Progress) => void,
): ImportJob<PosterImportSummary> {
  return start((id, cb) => api().importPosterFolder(id, dir, cb), onProgress);
}

/** Thumbnails of these movies, in order (null: no poster); missing ones are made in the worker. */
export function loadThumbnails(keys: string[]): Promise<(Blob | null)[]> {
  return api().thumbnails(keys);
}

/** Makes every missing thumbnail in the worker, in batches. */
export function fillThumbnails(onProgress: (p: Progress) => void): ImportJob<number> {
  return start((id, cb) => api().fillThumbnails(id, cb), onProgress);
}

/** Rolls back an import a dead tab left half-written; returns the records restored (0: none). */
export function recoverProjectImport(): Promise<number> {
  return api().recoverImport();
}
