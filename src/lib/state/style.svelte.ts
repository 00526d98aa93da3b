import type { RunRecord } from '../storage/index.ts';
import type { LossTerms } from '../style/style-objective.ts';
import {
  DEFAULT_STYLE_SETTINGS,
  MAX_STYLE_SIZE,
  type RgbaImage,
  type StyleIteration,
  type StyleSettings,
} from '../style/stylize.ts';
import {
  runStyle,
  startStyleWorker,
  type BackboneInfo,
  type StyleJob,
  type StyleWorker,
} from '../workers/style-client.ts';
import { isAbortError } from '../workers/tasks.ts';
import { compute } from './compute.svelte.ts';
import { library } from './library.svelte.ts';

/** The weights shipped beside the app for development (served from ../shared by dev, preview and tests). */
export const DEFAULT_WEIGHTS_PATH = '__shared/models/vgg19-imagenet-to-block3_conv4/model.json';

/** A chosen content or style image: the bytes kept for the gallery and the decoded pixels. */
export interface StyleInput {
  label: string;
  posterKey?: string;
  blob: Blob;
  image: RgbaImage;
}

/** One outer iteration as the panel shows it (the image is only kept for the latest). */
export type IterationRow = Omit<StyleIteration, 'image'>;

/** What a saved style run holds (RunRecord.spec / RunRecord.result with kind 'style'). */
export interface StyleRunSpec {
  settings: StyleSettings;
  content: { label: string; posterKey?: string; blob: Blob };
  style: { label: string; posterKey?: string; blob: Blob };
}
export interface StyleRunOutput {
  png: Blob;
  width: number;
  height: number;
  start: LossTerms;
  history: IterationRow[];
  evals: number;
  totalMs: number;
  backend: string;
}
export type StyleRunRecord = RunRecord & {
  kind: 'style';
  spec: StyleRunSpec;
  result: StyleRunOutput;
};

/** Inputs are decoded at most this large: the output never exceeds MAX_STYLE_SIZE, so more is wasted copying. */
const DECODE_MAX_SIDE = MAX_STYLE_SIZE;

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

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The Style panel's state: inputs, settings, the worker and its backbone, the running job, the gallery. */
class StyleState {
  settings = $state<StyleSettings>(structuredClone(DEFAULT_STYLE_SETTINGS));
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
  runStartedAt = $state(0);

  #worker: Promise<StyleWorker> | undefined;
  #job: StyleJob | undefined;

  /** Starts the worker on the studio's compute backend and loads the weights; safe to call again after a failure. */
  async ensureBackbone(): Promise<BackboneInfo | null> {
    if (this.backbone) return this.backbone;
    this.loadingBackbone = true;
    this.backboneError = null;
    try {
      this.#worker ??= compute.ensure().then((c) => startStyleWorker(c.name));
      const w = await this.#worker.catch((e: unknown) => {
        this.#worker = undefined;
        throw e;
      });
      const stored = /^stored:(vgg16|vgg19)$/.exec(this.weightsUrl)?.[1] as
        'vgg16' | 'vgg19' | undefined;
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
          `Could not load the backbone weights from ${url} (${errorText(e)}). Style transfer needs them: ` +
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
      this.backboneError = errorText(e);
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
      this.error = `${label} could not be read as an image: ${errorText(e)}`;
    }
  }

  /** Sets an input from a library poster. */
  async setPoster(which: 'content' | 'style', key: string, title: string): Promise<void> {
    const poster = await (await library.open()).getPoster(key);
    if (!poster) this.error = `No poster stored for ${title}`;
    else await this.setInput(which, poster.blob, title, key);
  }

  /** Runs style transfer on the chosen inputs; the result goes into the gallery. */
  async run(): Promise<void> {
    const { content, style } = this;
    if (!content || !style || this.running) return;
    const info = await this.ensureBackbone();
    if (!info) return;
    const w = await this.#worker!;
    const settings = $state.snapshot(this.settings) as StyleSettings;
    this.running = true;
    this.error = null;
    this.history = [];
    this.preview = null;
    this.lastRun = null;
    this.startTerms = null;
    this.runStartedAt = performance.now();
    const createdAt = Date.now();
    this.#job = runStyle(w, content.image, style.image, settings, ({ image, ...row }) => {
      this.preview = image;
      this.history = [...this.history, row];
    });
    try {
      const r = await this.#job.result;
      this.startTerms = r.start;
      this.preview = r.image;
      const record: StyleRunRecord = {
        id: `style-${createdAt}`,
        createdAt,
        finishedAt: Date.now(),
        kind: 'style',
        status: 'done',
        spec: { settings, content: inputSpec(content), style: inputSpec(style) },
        result: {
          png: await encodePng(r.image),
          width: r.image.width,
          height: r.image.height,
          start: r.start,
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
      this.error = isAbortError(e) ? 'Cancelled.' : errorText(e);
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

function inputSpec(i: StyleInput): StyleRunSpec['content'] {
  return { label: i.label, blob: i.blob, ...(i.posterKey ? { posterKey: i.posterKey } : {}) };
}

export const styleState = new StyleState();
