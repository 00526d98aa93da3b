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
import type { KeyCheck } from '../../crawl/setup.ts';
import {
  checkApiKeys,
  forgetApiKey,
  importImdbDumps,
  exportPaperCsv,
  savedCrawlState,
  startCrawl,
  type CrawlJob,
} from '../../workers/crawl-client.ts';
import type { Progress } from '../../core/progress.ts';
import { activity } from '../../state/activity.svelte.ts';
import { formatJob } from '../../core/format.ts';
import { errorMessage, isAbortError } from '../../core/errors.ts';

const LOG_SHOWN = 200;
/** While a crawl runs, the panel re-reads its counts from the store this often. */
const POLL_MS = 1000;

/** A host's current request rate, and the last time the server asked us to slow down. */
export interface RateShown {
  host: string;
  rate: number;
  note: string | null;
}

const shownRate = (r: number) => (r < 10 ? r.toFixed(1).replace(/\.0$/, '') : r.toFixed(0));

/** The crawl as the Library and Settings panels see it: saved state, live progress and log, keys. */
class CrawlUi {
  saved = $state.raw<CrawlState | null>(null);
  progress = $state.raw<Progress | null>(null);
  log = $state.raw<CrawlLogEntry[]>([]);
  running = $state(false);
  /** A crawl holds the crawl lock in another tab (null: the browser cannot tell). */
  elsewhere = $state<boolean | null>(null);
  error = $state<string | null>(null);
  rate = $state.raw<RateShown | null>(null);
  /** Whether a key that passed its check is saved (the keys themselves never enter UI state). */
  hasKey = $state.raw<{ tmdb: boolean; omdb: boolean }>({ tmdb: false, omdb: false });
  net = $state.raw<NetSettings>(DEFAULT_NET);
  #job: CrawlJob | undefined;
  #cancelImdb: (() => void) | undefined;

  /**
   * What the saved crawl's status really is: "running" only while a crawl runs (here or in
   * another tab); a saved "running" whose tab died is "interrupted".
   */
  status = $derived.by(() => {
    const s = this.saved?.status;
    if (this.running) return 'running';
    if (s === 'running') return this.elsewhere === true ? 'running in another tab' : 'interrupted';
    return s ?? null;
  });

  /** Loads the saved crawl, which keys are set, and the net settings. */
  async load(): Promise<void> {
    const db = await library.open();
    const keys = (await db.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
    this.hasKey = {
      tmdb: !!keys.tmdb && !!keys.tmdbCheckedAt,
      omdb: !!keys.omdb && !!keys.omdbCheckedAt,
    };
    this.net = await loadNetSettings(db);
    await this.#loadSaved();
    if (this.saved && !this.running) this.log = this.saved.log.slice(-LOG_SHOWN);
  }

  async #loadSaved(): Promise<void> {
    const { state, running } = await savedCrawlState();
    this.saved = state ?? null;
    this.elsewhere = this.running ? false : running;
  }

  /** Checks the typed keys (blank: the saved one) and saves those that work; returns a message per key. */
  async checkKeys(typed: { tmdb: string; omdb: string }): Promise<KeyCheck> {
    const out = await checkApiKeys({ tmdb: typed.tmdb.trim(), omdb: typed.omdb.trim() });
    await this.load();
    return out;
  }

  /** Removes a saved key. */
  async forgetKey(which: 'tmdb' | 'omdb'): Promise<void> {
    await forgetApiKey(which);
    await this.load();
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
    this.rate = null;
    if (config !== 'resume') this.log = [];
    const poll = setInterval(() => void this.#loadSaved().catch(() => undefined), POLL_MS);
    try {
      this.#job = startCrawl(
        config,
        (p) => (this.progress = p),
        (e) => (this.log = [...this.log.slice(-(LOG_SHOWN - 1)), e]),
        (c) =>
          (this.rate = {
            host: c.host,
            rate: c.toRate,
            note:
              c.reason === 'slow-down'
                ? `server asked us to slow down: ${shownRate(c.fromRate)} → ${shownRate(c.toRate)} req/s`
                : (this.rate?.note ?? null),
          }),
      );
      await this.#job.result;
    } catch (e) {
      if (!isAbortError(e)) this.error = errorMessage(e);
    } finally {
      clearInterval(poll);
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

  /** Pauses the crawl (or cancels an IMDb join); a crawl stays resumable. */
  cancel(): void {
    this.#job?.cancel();
    this.#cancelImdb?.();
  }
}

export const crawl = new CrawlUi();
activity.register(() => (crawl.running ? formatJob('crawling TMDb', crawl.progress) : null));

/** Hands a Blob to the browser as a download. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
