import type { TableQuery, TableRow } from '../data/movie-table.ts';
import type { Movie } from '../data/types.ts';
import type { LibraryProfile } from '../features/library-profile.ts';
import { openLibrary, type Library, type StoreSize } from '../storage/index.ts';
import { exploreWorker } from '../workers/explore-client.ts';
import {
  importCsv,
  importPosterFolder,
  importPosters,
  type ImportJob,
} from '../workers/import-client.ts';
import type { CsvImportSummary, PosterImportSummary } from '../workers/import-types.ts';
import type { MovieQuery } from '../workers/library-query.ts';
import { libraryViewWorker, type TitleMatch } from '../workers/library-view-client.ts';
import type { Progress } from '../core/progress.ts';
import { splitDroppedFiles } from '../data/dropped-files.ts';
import { errorMessage, isAbortError } from '../core/errors.ts';

/** One finished (or failed, or cancelled) import, as the Library panel reports it. */
export interface ImportReport {
  csv: CsvImportSummary[];
  posters: PosterImportSummary | null;
  ignored: string[];
  cancelled: boolean;
  error: string | null;
  elapsedMs: number;
}

const THUMB_CACHE = 400; // object URLs kept alive; enough for a few screens of the virtual table

/**
 * The library as the UI sees it: counts, poster keys, storage figures, the running import. The
 * movies stay in IndexedDB: a worker holds the table's rows and the library's profile, and the
 * panels ask it (or read one record by key) for what they show.
 */
class LibraryState {
  /** Movies in the library. */
  movieCount = $state(0);
  /** Columns, genre combinations and keyword counts of the whole library (from the worker). */
  profile = $state.raw<LibraryProfile | null>(null);
  posterKeys = $state.raw<ReadonlySet<string>>(new Set());
  usage = $state.raw<{
    usageBytes: number | null;
    quotaBytes: number | null;
    persisted: boolean | null;
  } | null>(null);
  ready = $state(false);
  error = $state<string | null>(null);
  versionChanged = $state(false);
  progress = $state.raw<Progress | null>(null);
  report = $state.raw<ImportReport | null>(null);
  busy = $state(false);
  /** Records and approximate bytes per store, once measured (Settings). */
  storeSizes = $state.raw<StoreSize[] | null>(null);
  measuring = $state(false);
  /** Bumped whenever the library was re-read: workers key what they read by it. */
  revision = $state(0);

  #dbName: string | undefined;
  #db: Promise<Library> | undefined;
  #job: ImportJob<unknown> | undefined;
  #cancelled = false;
  #thumbs = new Map<string, string>();

  /** Opens the database once and loads what it holds. */
  open(): Promise<Library> {
    this.#db ??= openLibrary({ onVersionChange: () => (this.versionChanged = true) }).then(
      async (db) => {
        await this.refresh(db);
        this.ready = true;
        return db;
      },
      (e: unknown) => {
        this.error = errorMessage(e);
        throw e;
      },
    );
    return this.#db;
  }

  /**
   * Reloads the counts, poster keys and storage usage, and has the worker re-read the library for
   * the table and the profile (the records never come to this thread).
   */
  async refresh(db?: Library): Promise<void> {
    const d = db ?? (await this.open());
    const [count, keys, usage] = await Promise.all([
      d.countMovies(),
      d.posterKeys(),
      d.storageEstimate(),
    ]);
    this.#dbName = d.name;
    // The counts show at once; the profile follows when the worker has read this revision.
    this.movieCount = count;
    this.posterKeys = new Set(keys);
    this.usage = usage;
    const revision = ++this.revision;
    const profile = await libraryViewWorker().profile(this.query);
    if (revision === this.revision) this.profile = profile; // else a newer refresh sets it
  }

  /** One movie's record, read by key. */
  async getMovie(key: string): Promise<Movie | undefined> {
    return (await this.open()).getMovie(key);
  }

  /** The records of the keys still in the library (in the keys' order). */
  async getMovies(keys: readonly string[]): Promise<Movie[]> {
    const db = await this.open();
    const found = await Promise.all(keys.map((k) => db.getMovie(k)));
    return found.filter((m): m is Movie => m !== undefined);
  }

  /** Runs a table query in the worker: its id (for rows) and how many movies it shows. */
  async table(q: TableQuery): Promise<{ id: number; total: number }> {
    await this.open();
    return libraryViewWorker().table(this.query, $state.snapshot(q) as TableQuery);
  }

  /** Rows [start, end) of a table query (null: the query is gone; run it again). */
  rows(id: number, start: number, end: number): Promise<TableRow[] | null> {
    return libraryViewWorker().rows(id, start, end);
  }

  /** Titles of movies by key (null for keys not in the library). */
  async titles(keys: readonly string[]): Promise<(string | null)[]> {
    await this.open();
    return libraryViewWorker().titles(this.query, [...keys]);
  }

  /** Up to `limit` movies whose title contains the text, in library order. */
  async searchTitles(text: string, limit: number): Promise<TitleMatch[]> {
    await this.open();
    return libraryViewWorker().searchTitles(this.query, text, limit);
  }

  /** Up to `limit` stored posters whose movie title or key contains the text. */
  async searchPosters(text: string, limit: number): Promise<{ key: string; title: string }[]> {
    await this.open();
    return libraryViewWorker().searchPosters(this.query, text, limit);
  }

  /**
   * What a worker needs to read the library itself (never the records): the database and its
   * current revision. Reading it in an effect makes the effect re-run when the library changes.
   */
  get query(): MovieQuery {
    return { ...(this.#dbName ? { db: this.#dbName } : {}), revision: this.revision };
  }

  /** Imports dropped or picked files: CSVs first (so posters find their movies), then images. */
  async importFiles(files: File[]): Promise<void> {
    const { csvs, images, ignored } = splitDroppedFiles(files);
    await this.#importing(ignored, async (report) => {
      for (const file of csvs) {
        if (this.#cancelled) break;
        report.csv.push(
          await this.#run(importCsv(file, (p) => (this.progress = { ...p, message: file.name }))),
        );
      }
      if (images.length && !this.#cancelled) {
        report.posters = await this.#run(importPosters(images, (p) => (this.progress = p)));
      }
    });
  }

  /** Imports a folder of posters from its handle: the worker walks it (no File crosses this thread). */
  async importFolder(dir: FileSystemDirectoryHandle): Promise<void> {
    await this.#importing([], async (report) => {
      report.posters = await this.#run(importPosterFolder(dir, (p) => (this.progress = p)));
    });
  }

  /**
   * One import and its report: the busy flag, Cancel, errors in plain words (a full disk's
   * StorageFullError included), and the Library refreshed before the report shows, so the counts
   * beside it are already the new ones.
   */
  async #importing(
    ignored: string[],
    body: (report: ImportReport) => Promise<void>,
  ): Promise<void> {
    if (this.busy) return;
    const started = performance.now();
    const report: ImportReport = {
      csv: [],
      posters: null,
      ignored,
      cancelled: false,
      error: null,
      elapsedMs: 0,
    };
    this.busy = true;
    this.#cancelled = false;
    this.report = null;
    try {
      await this.open();
      await body(report);
    } catch (e) {
      if (isAbortError(e)) report.cancelled = true;
      else report.error = errorMessage(e);
    } finally {
      report.cancelled ||= this.#cancelled;
      report.elapsedMs = performance.now() - started;
      await this.refresh().catch(() => undefined);
      this.report = report;
      this.progress = null;
      this.busy = false;
      this.#job = undefined;
    }
  }

  /** Cancels the running import; what was already stored stays. */
  cancel(): void {
    this.#cancelled = true;
    this.#job?.cancel();
  }

  async #run<T>(job: ImportJob<T>): Promise<T> {
    this.#job = job;
    return job.result;
  }

  /** An object URL for a movie's poster, cached (least recently used ones are revoked). */
  async posterUrl(key: string): Promise<string | undefined> {
    const hit = this.#thumbs.get(key);
    if (hit) {
      this.#thumbs.delete(key);
      this.#thumbs.set(key, hit);
      return hit;
    }
    if (!this.posterKeys.has(key)) return undefined;
    const poster = await (await this.open()).getPoster(key);
    if (!poster) return undefined;
    const url = URL.createObjectURL(poster.blob);
    this.#thumbs.set(key, url);
    if (this.#thumbs.size > THUMB_CACHE) {
      const [oldKey, oldUrl] = this.#thumbs.entries().next().value as [string, string];
      URL.revokeObjectURL(oldUrl);
      this.#thumbs.delete(oldKey);
    }
    return url;
  }

  /** Measures what each store holds, in a worker (it reads every record, in batches). */
  async measureStores(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    try {
      await this.open();
      this.storeSizes = await exploreWorker().storeSizes(this.#dbName);
      this.usage = await (await this.open()).storageEstimate();
    } finally {
      this.measuring = false;
    }
  }

  /** Asks the browser not to evict the library under storage pressure. */
  async persist(): Promise<boolean> {
    const ok = await (await this.open()).requestPersistence();
    await this.refresh();
    return ok;
  }
}

export const library = new LibraryState();
export type { TitleMatch };
