import type { RunRecord } from '../storage/index.ts';
import type { LossTerms } from '../style/style-objective.ts';
import { INSTANT_START_SETTINGS } from '../style/schedule.ts';
import {
  MAX_STYLE_SIZE,
  type RgbaImage,
  type StyleIteration,
  type StyleSettings,
} from '../style/stylize.ts';
import { MAX_INSTANT_SIZE } from '../style/instant.ts';
import { runStyle, type BackboneInfo, type StyleJob } from '../workers/style-client.ts';
import { folderOf, MODEL_HOST_TABLE } from '../net/model-hosts.ts';
import { listStoredModelFiles } from '../net/model-store.ts';
import { library } from './library.svelte.ts';
import { styleWorkerWithBackend } from './style-worker.ts';
import { activity } from './activity.svelte.ts';
import { errorMessage, isAbortError } from '../core/errors.ts';

/** The VGG19 block-1–3 copy in ../shared, which only the dev server (and tests) serve. */
export const DEV_WEIGHTS_PATH = '__shared/models/vgg19-imagenet-to-block3_conv4/model.json';
/**
 * Where the paper's method takes VGG weights by default: in development the ../shared copy; on a
 * built site Keras' official VGG19 file through the model store (Settings → Backbone weights),
 * which the panel offers to download, saying how big, before anything is fetched.
 */
export const DEFAULT_WEIGHTS_PATH = import.meta.env.DEV ? DEV_WEIGHTS_PATH : 'stored:vgg19';

/** A chosen content or style image: the bytes kept for the gallery and the decoded pixels. */
export interface StyleInput {
  label: string;
  posterKey?: string;
  blob: Blob;
  image: RgbaImage;
}

/** One outer iteration as the panel shows it (the image is only kept for the latest). */
export type IterationRow = Omit<StyleIteration, 'image'>;

/** The instant method's controls. */
export interface InstantSettings {
  /** 0..1: blend of the style image's vector with the content's own. */
  strength: number;
  /** Luminance-only transfer: the poster keeps its colours. */
  keepColours: boolean;
  /** Long side of the output, px. */
  size: number;
}

/** An input as a saved run keeps it. */
export interface StyleRunInput {
  label: string;
  posterKey?: string;
  blob: Blob;
}

/** What a saved style run holds (RunRecord.spec / RunRecord.result with kind 'style'). */
export interface StyleRunSpec {
  /** Absent in runs saved before the instant method existed: the paper's. */
  method?: 'paper';
  settings: StyleSettings;
  content: StyleRunInput;
  style: StyleRunInput;
}
export interface StyleRunOutput {
  png: Blob;
  width: number;
  height: number;
  start: LossTerms;
  /** The instant start image's losses at the output size (runs from the instant result). */
  startAtFull?: LossTerms;
  history: IterationRow[];
  evals: number;
  totalMs: number;
  backend: string;
}
export type PaperRunRecord = RunRecord & {
  kind: 'style';
  spec: StyleRunSpec;
  result: StyleRunOutput;
};
/** A saved instant render. */
export type InstantRunRecord = RunRecord & {
  kind: 'style';
  spec: {
    method: 'instant';
    instant: InstantSettings;
    content: StyleRunInput;
    style: StyleRunInput;
  };
  result: {
    png: Blob;
    width: number;
    height: number;
    totalMs: number;
    backend: string;
    tiles: number;
  };
};
export type StyleRunRecord = PaperRunRecord | InstantRunRecord;

/** True for a saved instant render (else a paper-method run). */
export function isInstantRun(r: StyleRunRecord): r is InstantRunRecord {
  return r.spec.method === 'instant';
}

/**
 * Inputs are decoded at most this large: the instant method renders up to 1024 px (the paper's
 * method resizes to ≤ MAX_STYLE_SIZE itself), so more is wasted copying.
 */
const DECODE_MAX_SIDE = Math.max(MAX_STYLE_SIZE, MAX_INSTANT_SIZE);

/** Decodes an image Blob to RGBA bytes, scaled down so its long side is at most `maxSide`. */
export async function decodeImage(blob: Blob, maxSide = DECODE_MAX_SIDE): Promise<RgbaImage> {
  const probe = await createImageBitmap(blob);
  const scale = Math.min(1, maxSide / Math.max(probe.width, probe.height));
  const width = Math.max(1, Math.round(probe.width * scale));
  const height = Math.max(1, Math.round(probe.height * scale));
  const ctx = new OffscreenCanvas(width, height).getContext('2d');
  if (!ctx) throw new Error('This browser cannot decode images off screen (no OffscreenCanvas 2D)');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(probe, 0, 0, width, height);
  probe.close();
  const d = ctx.getImageData(0, 0, width, height);
  return { width, height, data: d.data };
}

/** Encodes RGBA bytes as a PNG Blob. */
export async function encodePng(img: RgbaImage): Promise<Blob> {
  const canvas = new OffscreenCanvas(img.width, img.height);
  canvas
    .getContext('2d')!
    .putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** Inputs up to this size are kept as given (posters are ~10 kB); larger files are re-encoded smaller. */
const KEEP_ORIGINAL_BYTES = 1_000_000;

/** The Style panel's state: inputs, settings, the worker and its backbone, the running job, the gallery. */
class StyleState {
  /** Which method the panel shows: instant stylization (default) or the paper's optimisation. */
  method = $state<'instant' | 'paper'>('instant');
  settings = $state<StyleSettings>(structuredClone(INSTANT_START_SETTINGS));
  /** The instant result the last paper-method run started from (init 'image'), shown beside it. */
  startImage = $state.raw<RgbaImage | null>(null);
  /** The paper's losses of that start image at the output size, on the run's own VGG features. */
  startAtFull = $state.raw<LossTerms | null>(null);
  content = $state.raw<StyleInput | null>(null);
  style = $state.raw<StyleInput | null>(null);
  weightsUrl = $state(DEFAULT_WEIGHTS_PATH);
  backbone = $state.raw<BackboneInfo | null>(null);
  backboneError = $state<string | null>(null);
  loadingBackbone = $state(false);
  running = $state(false);
  startTerms = $state.raw<LossTerms | null>(null);
  history = $state.raw<IterationRow[]>([]);
  preview = $state.raw<RgbaImage | null>(null);
  /** The finished run, saved to the gallery. */
  lastRun = $state.raw<StyleRunRecord | null>(null);
  error = $state<string | null>(null);
  gallery = $state.raw<StyleRunRecord[]>([]);
  /** The style images of saved runs, newest first, each once: "your past styles". */
  pastStyles = $derived.by(() => {
    const seen: Record<string, true> = {};
    const out: StyleRunInput[] = [];
    for (const r of this.gallery) {
      const k = r.spec.style.posterKey ?? `${r.spec.style.label}:${r.spec.style.blob.size}`;
      if (!seen[k]) {
        seen[k] = true;
        out.push(r.spec.style);
      }
    }
    return out.slice(0, 12);
  });
  runStartedAt = $state(0);

  /** What the default weights would download (set when they are not on this device yet). */
  weightsOffer = $state.raw<{ label: string; sizeBytes: number; host: string } | null>(null);

  #job: StyleJob | undefined;

  /**
   * Loads the weights when that needs no download (the dev copy, a URL the user gave, or VGG
   * weights already stored); otherwise only says what pressing "Download" would fetch and how big.
   */
  async prepareBackbone(): Promise<void> {
    if (this.backbone || this.loadingBackbone) return;
    const arch = storedArch(this.weightsUrl);
    if (arch) {
      const folder = folderOf(MODEL_HOST_TABLE[arch].url);
      const stored = await listStoredModelFiles().catch(() => []);
      if (!stored.some((f) => f.url.startsWith(folder))) {
        const h = MODEL_HOST_TABLE[arch];
        this.weightsOffer = { label: h.label, sizeBytes: h.sizeBytes, host: new URL(h.url).host };
        return;
      }
    }
    this.weightsOffer = null;
    await this.ensureBackbone();
  }

  /** Starts the worker on the studio's compute backend and loads the weights; safe to call again after a failure. */
  async ensureBackbone(): Promise<BackboneInfo | null> {
    if (this.backbone) return this.backbone;
    this.loadingBackbone = true;
    this.backboneError = null;
    this.weightsOffer = null;
    try {
      const w = await styleWorkerWithBackend();
      const stored = storedArch(this.weightsUrl);
      if (stored) {
        // The store's own message says what to do (connect once, or drop the .h5 in Settings).
        const info = await w.api.loadStoredVgg(stored);
        this.backbone = info;
        if (info.presets.find((p) => p.id === this.settings.presetId)?.missing) {
          const usable = info.presets.find((p) => p.missing === null);
          if (usable) this.settings.presetId = usable.id;
        }
        return info;
      }
      const url = new URL(this.weightsUrl, new URL(import.meta.env.BASE_URL, location.href)).href;
      const info = await w.api.loadBackbone(url).catch((e: unknown) => {
        throw new Error(
          `Could not load the backbone weights from ${url} (${errorMessage(e)}). Style transfer needs them: ` +
            'if you are offline and they were never loaded, connect and retry, or give the URL of a ' +
            'tfjs layers model.json of VGG19 or VGG16.',
        );
      });
      this.backbone = info;
      const current = info.presets.find((p) => p.id === this.settings.presetId);
      const usable = info.presets.find((p) => p.missing === null);
      if (current?.missing && usable) this.settings.presetId = usable.id;
      return info;
    } catch (e) {
      this.backboneError = errorMessage(e);
      return null;
    } finally {
      this.loadingBackbone = false;
    }
  }

  /** Loads other weights in place of the current ones: a tfjs layers model.json URL, or 'stored:vgg16' / 'stored:vgg19' (Settings → Backbone weights). */
  async reloadBackbone(url: string): Promise<void> {
    this.weightsUrl = url;
    this.backbone = null;
    await this.ensureBackbone();
  }

  /** Sets the content or style image from a Blob (a library poster or a file). */
  async setInput(
    which: 'content' | 'style',
    blob: Blob,
    label: string,
    posterKey?: string,
  ): Promise<void> {
    try {
      const image = await decodeImage(blob);
      // The gallery keeps the input beside the result; a big photo is kept as its decoded ≤ 512 px PNG.
      const kept = blob.size > KEEP_ORIGINAL_BYTES ? await encodePng(image) : blob;
      const input: StyleInput = { label, blob: kept, image, ...(posterKey ? { posterKey } : {}) };
      this[which] = input;
      this.error = null;
    } catch (e) {
      this.error = `${label} could not be read as an image: ${errorMessage(e)}`;
    }
  }

  /** Sets an input from a library poster. */
  async setPoster(which: 'content' | 'style', key: string, title: string): Promise<void> {
    const poster = await (await library.open()).getPoster(key);
    if (!poster) this.error = `No poster stored for ${title}`;
    else await this.setInput(which, poster.blob, title, key);
  }

  /** Runs style transfer on the chosen inputs (from `initImage` for init 'image'); the result goes into the gallery. */
  async run(initImage?: RgbaImage): Promise<void> {
    const { content, style } = this;
    if (!content || !style || this.running) return;
    const info = await this.ensureBackbone();
    if (!info) return;
    const w = await styleWorkerWithBackend();
    const settings = $state.snapshot(this.settings) as StyleSettings;
    this.running = true;
    this.error = null;
    this.history = [];
    this.preview = null;
    this.lastRun = null;
    this.startTerms = null;
    this.startAtFull = null;
    this.startImage = settings.init === 'image' ? (initImage ?? null) : null;
    this.runStartedAt = performance.now();
    const createdAt = Date.now();
    this.#job = runStyle(
      w,
      content.image,
      style.image,
      settings,
      ({ image, ...row }) => {
        this.preview = image;
        this.history = [...this.history, row];
      },
      initImage,
    );
    try {
      const r = await this.#job.result;
      this.startTerms = r.start;
      this.startAtFull = r.startAtFull ?? null;
      this.preview = r.image;
      const record: PaperRunRecord = {
        id: `style-${createdAt}`,
        createdAt,
        finishedAt: Date.now(),
        kind: 'style',
        status: 'done',
        spec: { method: 'paper', settings, content: inputSpec(content), style: inputSpec(style) },
        result: {
          png: await encodePng(r.image),
          width: r.image.width,
          height: r.image.height,
          start: r.start,
          ...(r.startAtFull ? { startAtFull: r.startAtFull } : {}),
          history: r.history,
          evals: r.evals,
          totalMs: r.totalMs,
          backend: r.backend,
        },
      };
      this.lastRun = record;
      await (await library.open()).putRun(record);
      await this.loadGallery();
    } catch (e) {
      this.error = isAbortError(e) ? 'Cancelled.' : errorMessage(e);
    } finally {
      this.running = false;
      this.#job = undefined;
    }
  }

  cancel(): void {
    void this.#job?.cancel();
  }

  /** Reads the saved style runs, newest first. */
  async loadGallery(): Promise<void> {
    const runs = await (await library.open()).listRuns();
    this.gallery = runs.filter((r): r is StyleRunRecord => r.kind === 'style').reverse();
  }

  async deleteRun(id: string): Promise<void> {
    await (await library.open()).deleteRun(id);
    await this.loadGallery();
  }
}

/** 'vgg16' / 'vgg19' for the 'stored:…' weight choices (Settings → Backbone weights), else null. */
function storedArch(url: string): 'vgg16' | 'vgg19' | null {
  return (/^stored:(vgg16|vgg19)$/.exec(url)?.[1] as 'vgg16' | 'vgg19' | undefined) ?? null;
}

function inputSpec(i: StyleInput): StyleRunSpec['content'] {
  return { label: i.label, blob: i.blob, ...(i.posterKey ? { posterKey: i.posterKey } : {}) };
}

export const styleState = new StyleState();
activity.register(() => (styleState.running ? 'style transfer (paper method)' : null));
