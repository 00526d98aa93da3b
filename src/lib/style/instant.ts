/**
 * Instant stylization (Ghiasi et al. 2017, Magenta's arbitrary image stylization): a prediction
 * network turns a style image into a 100-d style vector, a transfer network renders the content
 * with it. This module holds the logic around the two networks (pre-processing, strength
 * blending, tiling, colour keeping, caching); the networks themselves come in as `InstantNets`
 * (tflite-nets.ts in browsers, fakes in unit tests), so none of it needs a runtime to test.
 */
import { cropReflect, keepContentColours, rgbaToRgbFloat, type RgbFloat } from './image-ops.ts';
import type { RgbaImage } from './stylize.ts';

/** The prediction network's input side (its [1, 256, 256, 3] input). */
export const PREDICT_SIZE = 256;
/** The transfer network's input and output side (its [1, 384, 384, 3] tensors). */
export const TRANSFER_SIZE = 384;
/** Length of the style vector (the prediction network's [1, 1, 1, 100] output). */
export const STYLE_DIM = 100;
/** Largest output side the panel offers. */
export const MAX_INSTANT_SIZE = 1024;
/**
 * Overlap of neighbouring tiles, blended with linear ramps. 64 px is a sixth of a tile: enough
 * that the seams' instance-normalised statistics do not show (32 left faint lines on flat poster
 * backgrounds), while 1024×683 still needs only 3×2 tiles.
 */
export const TILE_OVERLAP = 64;

/**
 * The two networks as plain functions on RGB floats in [0, 1] (HWC, batch 1). Implementations
 * must return arrays they own (not views into a runtime's memory).
 */
export interface InstantNets {
  /** [256·256·3] style image → [100] style vector. */
  predict(image: Float32Array): Float32Array;
  /** [384·384·3] content + [100] style vector → [384·384·3] stylized image in [0, 1]. */
  transfer(content: Float32Array, style: Float32Array): Float32Array;
  dispose?(): void;
}

/** Resize so the short side is `size`, then central crop to a square: Magenta's `preprocess_image`. */
export function squareCrop(img: RgbaImage, size = PREDICT_SIZE): Float32Array {
  const scale = size / Math.min(img.width, img.height);
  const w = Math.max(size, Math.round(img.width * scale));
  const h = Math.max(size, Math.round(img.height * scale));
  const resized = rgbaToRgbFloat(img, w, h);
  return cropReflect(resized, Math.floor((w - size) / 2), Math.floor((h - size) / 2), size);
}

/** The style vector of an image (the prediction network on its 256 px central square). */
export function styleVectorOf(nets: InstantNets, img: RgbaImage): Float32Array {
  const v = nets.predict(squareCrop(img));
  if (v.length !== STYLE_DIM) throw new Error(`The style network gave ${v.length} values, not 100`);
  return v;
}

/**
 * Style strength as in Magenta's demo: `strength · style + (1 − strength) · content's own
 * style vector`; 0 renders the content with its own style, 1 with the style image's.
 */
export function blendStyle(
  style: Float32Array,
  content: Float32Array,
  strength: number,
): Float32Array {
  const s = Math.min(1, Math.max(0, strength));
  const out = new Float32Array(style.length);
  for (let i = 0; i < out.length; i++) out[i] = s * style[i]! + (1 - s) * content[i]!;
  return out;
}

/** Output size: the long side is `longSide` (capped at MAX_INSTANT_SIZE), aspect kept. */
export function outputSize(img: { width: number; height: number }, longSide: number) {
  const side = Math.min(MAX_INSTANT_SIZE, Math.max(16, Math.round(longSide)));
  const scale = side / Math.max(img.width, img.height);
  return {
    width: Math.max(1, Math.round(img.width * scale)),
    height: Math.max(1, Math.round(img.height * scale)),
  };
}

/** Top-left offsets of the tiles along one side of `length` px (negative: centred and mirror-padded). */
export function tileOffsets(length: number, tile = TRANSFER_SIZE, overlap = TILE_OVERLAP) {
  if (length <= tile) return [-Math.floor((tile - length) / 2) || 0];
  const n = Math.ceil((length - overlap) / (tile - overlap));
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - tile)) / (n - 1)));
}

/** Blend weight of a tile pixel `t` px from its start: linear ramps `overlap` wide at both ends. */
function ramp(t: number, tile: number, overlap: number): number {
  return Math.max(1e-3, Math.min(1, (t + 0.5) / overlap, (tile - t - 0.5) / overlap));
}

/** The transfer network over an image of any size: tiles with overlap, blended by linear ramps. */
export function transferTiled(nets: InstantNets, content: RgbFloat, style: Float32Array): RgbFloat {
  const { width, height } = content;
  const T = TRANSFER_SIZE;
  const acc = new Float32Array(width * height * 3);
  const wsum = new Float32Array(width * height);
  for (const y0 of tileOffsets(height))
    for (const x0 of tileOffsets(width)) {
      const out = nets.transfer(cropReflect(content, x0, y0, T), style);
      if (out.length !== T * T * 3)
        throw new Error(`The transfer network gave ${out.length} values, not ${T * T * 3}`);
      for (let ty = Math.max(0, -y0); ty < T && y0 + ty < height; ty++) {
        const wy = height <= T ? 1 : ramp(ty, T, TILE_OVERLAP);
        for (let tx = Math.max(0, -x0); tx < T && x0 + tx < width; tx++) {
          const w = wy * (width <= T ? 1 : ramp(tx, T, TILE_OVERLAP));
          const p = (y0 + ty) * width + x0 + tx;
          const o = (ty * T + tx) * 3;
          acc[p * 3] = acc[p * 3]! + w * out[o]!;
          acc[p * 3 + 1] = acc[p * 3 + 1]! + w * out[o + 1]!;
          acc[p * 3 + 2] = acc[p * 3 + 2]! + w * out[o + 2]!;
          wsum[p] = wsum[p]! + w;
        }
      }
    }
  for (let p = 0; p < width * height; p++) {
    const w = wsum[p]!;
    for (let k = 0; k < 3; k++) acc[p * 3 + k] = Math.min(1, Math.max(0, acc[p * 3 + k]! / w));
  }
  return { width, height, data: acc };
}

/** What one instant render takes: the inputs with cache keys, and the panel's controls. */
export interface InstantRequest {
  content: { key: string; image: RgbaImage };
  style: { key: string; image: RgbaImage };
  /** 0..1. */
  strength: number;
  keepColours: boolean;
  /** Long side of the output in px (≤ 1024). */
  size: number;
}

/** A render and what it cost. */
export interface InstantResult {
  image: RgbFloat;
  /** Prediction-network time of this call (0 when both vectors were cached). */
  predictMs: number;
  transferMs: number;
  tiles: number;
  /** Prediction-network runs so far (tests check a strength change adds none). */
  predictRuns: number;
}

/** Style vectors kept per image key; a few dozen bytes each, so a generous bound. */
const MAX_CACHED_VECTORS = 64;

/** The networks plus per-image caches: style vectors by key, the scaled content by key and size. */
export class InstantStylizer {
  predictRuns = 0;
  readonly #vectors = new Map<string, Float32Array>();
  #content: { key: string; image: RgbFloat } | undefined;

  constructor(
    readonly nets: InstantNets,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The style vector of `image`, computed once per key. */
  vector(key: string, image: RgbaImage): Float32Array {
    let v = this.#vectors.get(key);
    if (!v) {
      v = styleVectorOf(this.nets, image);
      this.predictRuns++;
      if (this.#vectors.size >= MAX_CACHED_VECTORS)
        this.#vectors.delete(this.#vectors.keys().next().value!);
      this.#vectors.set(key, v);
    }
    return v;
  }

  #scaledContent(key: string, image: RgbaImage, size: number): RgbFloat {
    const { width, height } = outputSize(image, size);
    const k = `${key}@${width}x${height}`;
    if (this.#content?.key !== k)
      this.#content = { key: k, image: rgbaToRgbFloat(image, width, height) };
    return this.#content.image;
  }

  /** Renders the content with the blended style vector; only the transfer network runs when both vectors are cached. */
  stylize(req: InstantRequest): InstantResult {
    const t0 = this.now();
    const styleVec = this.vector(req.style.key, req.style.image);
    const contentVec = this.vector(req.content.key, req.content.image);
    const t1 = this.now();
    const content = this.#scaledContent(req.content.key, req.content.image, req.size);
    const tiles = tileOffsets(content.width).length * tileOffsets(content.height).length;
    let image = transferTiled(this.nets, content, blendStyle(styleVec, contentVec, req.strength));
    if (req.keepColours) image = keepContentColours(image, content);
    const t2 = this.now();
    return {
      image,
      predictMs: t1 - t0,
      transferMs: t2 - t1,
      tiles,
      predictRuns: this.predictRuns,
    };
  }

  dispose(): void {
    this.#vectors.clear();
    this.#content = undefined;
    this.nets.dispose?.();
  }
}
