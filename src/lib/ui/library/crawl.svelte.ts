import {
  API_KEYS_KEY,
  NET_SETTINGS_KEY,
  type ApiKeys,
  type CrawlConfig,
  type CrawlLogEntry,
  type CrawlState,
  type NetSettings,
} from '../../crawl/state.ts';
import { DEFAULT_NET, loadNetSettings } from '../../crawl/setup.ts';
import { library } from '../../state/library.svelte.ts';
import {
  checkApiKeys,
  importImdbDumps,
  exportPaperCsv,
  exportProjectBundle,
  importProjectBundle,
  savedCrawlState,
  startCrawl,
  type CrawlJob,
} from '../../workers/crawl-client.ts';
import type { Progress } from '../../workers/progress.ts';
import { isAbortError } from '../../workers/tasks.ts';

const LOG_SHOWN = 200;

/** The crawl as the Library and Settings panels see it: saved state, live progress and log, keys. */
class CrawlUi {
  saved = $state.raw<CrawlState | null>(null);
  progress = $state.raw<Progress | null>(null);
  log = $state.raw<CrawlLogEntry[]>([]);
  running = $state(false);
  error = $state<string | null>(null);
  /** Whether a key is saved (the keys themselves never enter UI state after saving). */
  hasKey = $state.raw<{ tmdb: boolean; omdb: boolean }>({ tmdb: false, omdb: false });
  net = $state.raw<NetSettings>(DEFAULT_NET);
  #job: CrawlJob | undefined;
  #cancelImdb: (() => void) | undefined;

  /** Loads the saved crawl, which keys are set, and the net settings. */
  async load(): Promise<void> {
    const db = await library.open();
    const keys = (await db.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
    this.hasKey = { tmdb: !!keys.tmdb, omdb: !!keys.omdb };
    this.net = await loadNetSettings(db);
    this.saved = (await savedCrawlState()) ?? null;
    if (this.saved && !this.running) this.log = this.saved.log.slice(-LOG_SHOWN);
  }

  /** Saves keys (empty strings keep the saved one; `null` removes it) and checks them with one call each. */
  async saveKeys(input: {
    tmdb: string | null;
    omdb: string | null;
  }): Promise<{ tmdb?: string | null; omdb?: string | null }> {
    const db = await library.open();
    const keys = (await db.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
    for (const k of ['tmdb', 'omdb'] as const) {
      const v = input[k];
      if (v === null) delete keys[k];
      else if (v.trim()) keys[k] = v.trim();
    }
    await db.putSetting(API_KEYS_KEY, keys);
    this.hasKey = { tmdb: !!keys.tmdb, omdb: !!keys.omdb };
    return checkApiKeys();
  }

  /** Saves rate, concurrency, timeout and base URLs. */
  async saveNet(net: NetSettings): Promise<void> {
    await (await library.open()).putSetting(NET_SETTINGS_KEY, net);
    this.net = net;
  }

  /** Starts a new crawl, or resumes the saved one. */
  async run(config: CrawlConfig | 'resume'): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    if (config !== 'resume') this.log = [];
    try {
      this.#job = startCrawl(
        config,
        (p) => (this.progress = p),
        (e) => (this.log = [...this.log.slice(-(LOG_SHOWN - 1)), e]),
      );
      await this.#job.result;
    } catch (e) {
      if (!isAbortError(e)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.running = false;
      this.progress = null;
      this.#job = undefined;
      await this.load().catch(() => undefined);
      await library.refresh().catch(() => undefined);
    }
  }

  /** Builds the paper-layout CSV and hands it to the browser as a download. */
  async downloadCsv(): Promise<void> {
    download(
      new Blob([await exportPaperCsv()], { type: 'text/csv;charset=utf-8' }),
      'marquee-movies.csv',
    );
  }

  /** Builds the project bundle and hands it to the browser as a download. */
  async downloadBundle(): Promise<void> {
    const zip = await exportProjectBundle();
    download(
      new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
      'marquee-project.zip',
    );
  }

  /** Imports a project bundle; returns a one-line summary. */
  async importBundle(file: File): Promise<string> {
    const r = await importProjectBundle(file);
    await library.refresh();
    await this.load();
    return `Imported ${r.movies} movies, ${r.posters} posters, ${r.runs} runs, ${r.models} models, ${r.settings} settings.`;
  }

  /** Joins IMDb TSV dumps onto the library; returns a summary line per file. */
  async importImdb(files: File[]): Promise<string> {
    if (this.running) return 'A crawl or import is running.';
    this.running = true;
    this.error = null;
    try {
      const job = importImdbDumps(files, (p) => (this.progress = p));
      this.#cancelImdb = job.cancel;
      const r = await job.result;
      const lines = r.files.map(
        (f) =>
          `${f.name}: ${f.error ?? `${f.rows.toLocaleString()} rows, ${f.matched.toLocaleString()} matched`}`,
      );
      return `IMDb join: ${r.updated} movies updated in ${(r.elapsedMs / 1000).toFixed(1)} s. ${lines.join('; ')}`;
    } finally {
      this.running = false;
      this.progress = null;
      this.#cancelImdb = undefined;
      await library.refresh().catch(() => undefined);
    }
  }

  /** Pauses the crawl; it stays resumable. */
  cancel(): void {
    this.#job?.cancel();
    this.#cancelImdb?.();
  }
}

export const crawl = new CrawlUi();

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
