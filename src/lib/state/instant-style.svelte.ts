import type { InstantRequest } from '../style/instant.ts';
import type { RgbaImage } from '../style/stylize.ts';
import type { InstantInfo, InstantRender } from '../workers/style-client.ts';
import { library } from './library.svelte.ts';
import { styleWorker } from './style-worker.ts';
import {
  encodePng,
  styleState,
  type InstantSettings,
  type StyleInput,
  type StyleRunRecord,
} from './style.svelte.ts';
import { activity } from './activity.svelte.ts';
import { errorMessage } from '../core/errors.ts';

/** The instant method's defaults: Magenta's demo blends at about this strength; 384 px is the network's own size. */
export const DEFAULT_INSTANT_SETTINGS: InstantSettings = {
  strength: 0.8,
  keepColours: false,
  size: 384,
};

/** Output sizes offered (long side, px): the network's 384, and tiled sizes up to 1024. */
export const INSTANT_SIZES = [256, 384, 512, 768, 1024] as const;

/** localStorage key that forces the TFLite thread count (benchmarks compare 1 and 2). */
export const THREADS_KEY = 'marquee:instant:threads';

/** Slider moves closer together than this are merged into one render. */
const DEBOUNCE_MS = 40;

let nextInputId = 0;
const inputIds = new WeakMap<StyleInput, string>();
/** A cache key per chosen image: a poster's key, or a fresh id per picked file. */
function keyOf(input: StyleInput): string {
  let k = inputIds.get(input);
  if (!k) {
    k = input.posterKey ?? `file-${++nextInputId}:${input.label}`;
    inputIds.set(input, k);
  }
  return k;
}

/**
 * The instant method's state: its settings, the latest render and its timing. Every change of
 * input or setting asks for a render; renders never overlap, and while one runs only the latest
 * request is kept (so dragging a slider shows the newest value as fast as the network allows).
 */
class InstantStyleState {
  settings = $state<InstantSettings>({ ...DEFAULT_INSTANT_SETTINGS });
  info = $state.raw<InstantInfo | null>(null);
  loading = $state(false);
  busy = $state(false);
  result = $state.raw<InstantRender | null>(null);
  /** Settings and inputs of `result`, for saving it. */
  resultOf = $state.raw<{
    settings: InstantSettings;
    content: StyleInput;
    style: StyleInput;
  } | null>(null);
  /** Round trip of the last render (worker call and transfer included), ms. */
  lastMs = $state<number | null>(null);
  error = $state<string | null>(null);
  saved = $state<string | null>(null);

  #pending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Starts the worker and loads the networks (3.1 MB on first use, then from the cache). */
  async ensureLoaded(): Promise<boolean> {
    if (this.info) return true;
    this.loading = true;
    try {
      const w = await styleWorker();
      // A thread count set by hand (bench, tests); else the worker's own choice.
      const forced = Number(globalThis.localStorage?.getItem(THREADS_KEY));
      this.info = await w.api.instantLoad(forced > 0 ? forced : undefined);
      this.error = null;
      return true;
    } catch (e) {
      this.error = `The instant stylization networks could not be loaded: ${errorMessage(e)}`;
      return false;
    } finally {
      this.loading = false;
    }
  }

  /** Asks for a render of the current inputs and settings (debounced; the newest request wins). */
  request(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), DEBOUNCE_MS);
  }

  async #run(): Promise<void> {
    if (this.busy) {
      this.#pending = true;
      return;
    }
    const { content, style } = styleState;
    if (!content || !style) return;
    this.busy = true;
    try {
      if (!(await this.ensureLoaded())) return;
      const settings = { ...this.settings };
      const req: InstantRequest = {
        content: { key: keyOf(content), image: content.image },
        style: { key: keyOf(style), image: style.image },
        ...settings,
      };
      const t0 = performance.now();
      const r = await (await styleWorker()).api.instantStylize(req);
      this.lastMs = performance.now() - t0;
      this.result = r;
      this.resultOf = { settings, content, style };
      this.error = null;
      this.saved = null;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
      if (this.#pending) {
        this.#pending = false;
        void this.#run();
      }
    }
  }

  /**
   * Runs the paper's method; with init 'image' it starts from an instant render of the chosen
   * inputs at the current strength and colours (384 px, the network's own size).
   */
  async runPaper(): Promise<void> {
    const { content, style } = styleState;
    if (!content || !style) return;
    let start: RgbaImage | undefined;
    if (styleState.settings.init === 'image') {
      if (!(await this.ensureLoaded())) return;
      const r = await (
        await styleWorker()
      ).api.instantStylize({
        content: { key: keyOf(content), image: content.image },
        style: { key: keyOf(style), image: style.image },
        ...this.settings,
        size: 384,
      });
      start = r.image;
    }
    await styleState.run(start);
  }

  /** Keeps the current result in the gallery (PNG, inputs, method and settings). */
  async save(): Promise<void> {
    const r = this.result;
    const of = this.resultOf;
    if (!r || !of) return;
    const createdAt = Date.now();
    const record: StyleRunRecord = {
      id: `style-${createdAt}`,
      createdAt,
      finishedAt: createdAt,
      kind: 'style',
      status: 'done',
      spec: {
        method: 'instant',
        instant: of.settings,
        content: inputSpec(of.content),
        style: inputSpec(of.style),
      },
      result: {
        png: await encodePng(r.image),
        width: r.image.width,
        height: r.image.height,
        totalMs: r.predictMs + r.transferMs,
        backend: `tflite · ${this.info?.threads ?? 1} thread${this.info?.threads === 1 ? '' : 's'}`,
        tiles: r.tiles,
      },
    };
    await (await library.open()).putRun(record);
    await styleState.loadGallery();
    this.saved = record.id;
  }
}

function inputSpec(i: StyleInput) {
  return { label: i.label, blob: i.blob, ...(i.posterKey ? { posterKey: i.posterKey } : {}) };
}

export const instantStyle = new InstantStyleState();
activity.register(() => (instantStyle.busy || instantStyle.loading ? 'style transfer' : null));
