import { library } from '../../state/library.svelte.ts';
import { activity } from '../../state/activity.svelte.ts';
import { formatJob } from '../../core/format.ts';
import {
  exportProject,
  importProject,
  recoverProjectImport,
  type ImportJob,
} from '../../workers/import-client.ts';
import type { Progress } from '../../core/progress.ts';
import { isAbortError } from '../../core/errors.ts';
import { crawl, download } from './crawl.svelte.ts';

/** The File System Access save picker, where the browser has one (Chromium). */
type SavePicker = (options: {
  suggestedName: string;
  types: Array<{ description: string; accept: Record<string, string[]> }>;
}) => Promise<FileSystemFileHandle>;

const FILE_NAME = 'marquee-project.zip';

/** Project export and import: streamed in the import worker, with progress, ETA and Cancel. */
class TransferUi {
  progress = $state.raw<Progress | null>(null);
  /** 'export' or 'import' while one runs. */
  running = $state<'export' | 'import' | null>(null);
  #job: ImportJob<unknown> | undefined;

  /**
   * Exports the project: into a file the user picks where the browser can stream to disk
   * (showSaveFilePicker), else into a Blob handed over as a download. Returns a summary line.
   */
  async exportBundle(): Promise<string> {
    const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
    let handle: FileSystemFileHandle | null = null;
    if (picker) {
      try {
        handle = await picker({
          suggestedName: FILE_NAME,
          types: [{ description: 'Marquee project', accept: { 'application/zip': ['.zip'] } }],
        });
      } catch (e) {
        if (isAbortError(e)) return ''; // the user closed the picker
        handle = null; // e.g. SecurityError (no user gesture left): fall back to a download
      }
    }
    const r = await this.#run(
      'export',
      exportProject(handle, (p) => (this.progress = p)),
    );
    if (r === null) return 'Export cancelled; no file was kept.';
    if (r.blob) download(r.blob, FILE_NAME);
    return `Exported ${r.movies.toLocaleString()} movies, ${r.posters.toLocaleString()} posters and ${r.models} models${handle ? ` to ${handle.name}` : ''}.`;
  }

  /** Imports a project zip; a cancel leaves the library exactly as it was. */
  async importBundle(file: File): Promise<string> {
    const r = await this.#run(
      'import',
      importProject(file, (p) => (this.progress = p)),
    );
    await library.refresh().catch(() => undefined);
    await crawl.load().catch(() => undefined);
    if (r === null) return 'Import cancelled; the library is as it was.';
    return `Imported ${r.movies} movies, ${r.posters} posters, ${r.runs} runs, ${r.models} models, ${r.settings} settings.`;
  }

  cancel(): void {
    this.#job?.cancel();
  }

  /** Undoes an import that a closed or crashed tab left half-written; a line to show, or ''. */
  async recover(): Promise<string> {
    if (this.running) return '';
    const n = await recoverProjectImport();
    if (n === 0) return '';
    await library.refresh().catch(() => undefined);
    return `A project import was interrupted (tab closed); its ${n.toLocaleString()} writes were undone.`;
  }

  /** Runs a job; null when it was cancelled. */
  async #run<T>(kind: 'export' | 'import', job: ImportJob<T>): Promise<T | null> {
    this.running = kind;
    this.#job = job;
    try {
      return await job.result;
    } catch (e) {
      if (isAbortError(e)) return null;
      throw e;
    } finally {
      this.running = null;
      this.progress = null;
      this.#job = undefined;
    }
  }
}

export const transfer = new TransferUi();

activity.register(() =>
  transfer.running
    ? formatJob(
        transfer.running === 'export' ? 'exporting the project' : 'importing a project',
        transfer.progress,
      )
    : null,
);
