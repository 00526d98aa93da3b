/**
 * The poster pipeline as pure tensor-free code: a decoded RGBA image is resized (bilinear, the
 * same half-pixel convention as tf.image.resizeBilinear with halfPixelCenters) to the target
 * height × width, kept as RGB or turned to grayscale (ITU-R BT.601 luma, as PIL's 'L' mode), and
 * normalised the way its backbone was trained. Decoding is injected (createImageBitmap in the
 * browser, jpeg-js in Node) so this file runs everywhere.
 */

/** A decoded image: RGBA bytes, row-major, 4 per pixel (ImageData's layout). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Turns encoded image bytes into RGBA pixels. */
export type ImageDecoder = (bytes: Uint8Array) => RgbaImage | Promise<RgbaImage>;

/**
 * How pixels are scaled: 'unit' = [0, 1]; 'tf' = [-1, 1] (MobileNet); 'caffe' = BGR with the
 * ImageNet channel means subtracted, 0–255 scale (Keras VGG16/VGG19 preprocess_input); 'raw' = 0–255.
 */
export type Normalization = 'unit' | 'tf' | 'caffe' | 'raw';

export interface PipelineSpec {
  height: number;
  width: number;
  color: 'rgb' | 'gray';
  normalization: Normalization;
}

/** The paper's poster size: 148×100 (height × width) keeps the 741:500 poster ratio. */
export const PAPER_POSTER: Readonly<PipelineSpec> = {
  height: 148,
  width: 100,
  color: 'rgb',
  normalization: 'unit',
};

/** Keras' caffe-mode means for B, G, R (keras.applications.imagenet_utils). */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** An image ready for a network: HWC float32, channels 3 (rgb) or 1 (gray). */
export interface ImageTensorData {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

/** A stable text id of a pipeline, part of every cache key. */
export function pipelineKey(p: PipelineSpec): string {
  return `${p.height}x${p.width}-${p.color}-${p.normalization}`;
}

/** The cache key of one poster's tensor (backbone 'none') or features: (movie, pipeline, backbone). */
export function posterCacheKey(movieKey: string, p: PipelineSpec, backbone = 'none'): string {
  return `poster|${movieKey}|${pipelineKey(p)}|${backbone}`;
}

/** Bilinear resize of RGBA to RGB float (0–255), half-pixel centres, edge clamped. */
export function resizeRgb(img: RgbaImage, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width * 3);
  const sy = img.height / height;
  const sx = img.width / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(img.height - 1, Math.floor(fy));
    const y1 = Math.min(img.height - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(img.width - 1, Math.floor(fx));
      const x1 = Math.min(img.width - 1, x0 + 1);
      const dx = fx - x0;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 4 + c]!;
        const top = p(y0, x0) * (1 - dx) + p(y0, x1) * dx;
        const bottom = p(y1, x0) * (1 - dx) + p(y1, x1) * dx;
        out[o + c] = top * (1 - dy) + bottom * dy;
      }
    }
  }
  return out;
}

/** RGB (0–255) to one luma channel: 0.299 R + 0.587 G + 0.114 B. */
export function toGray(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++)
    out[i] = 0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!;
  return out;
}

/** Scales 0–255 values in place per the normalization; caffe swaps RGB to BGR (gray: mean of means). */
export function normalize(data: Float32Array, channels: number, n: Normalization): Float32Array {
  if (n === 'raw') return data;
  if (n === 'unit') return data.map((v) => v / 255);
  if (n === 'tf') return data.map((v) => v / 127.5 - 1);
  if (channels === 1) {
    const mean = (CAFFE_MEAN_BGR[0] + CAFFE_MEAN_BGR[1] + CAFFE_MEAN_BGR[2]) / 3;
    return data.map((v) => v - mean);
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    out[i] = data[i + 2]! - CAFFE_MEAN_BGR[0];
    out[i + 1] = data[i + 1]! - CAFFE_MEAN_BGR[1];
    out[i + 2] = data[i]! - CAFFE_MEAN_BGR[2];
  }
  return out;
}

/** Resize, colour and normalise one decoded image. */
export function preparePoster(img: RgbaImage, p: PipelineSpec): ImageTensorData {
  if (img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * 4)
    throw new RangeError(`bad image: ${img.width}×${img.height} with ${img.data.length} bytes`);
  const rgb = resizeRgb(img, p.height, p.width);
  const channels = p.color === 'gray' ? 1 : 3;
  const data = normalize(channels === 1 ? toGray(rgb) : rgb, channels, p.normalization);
  return { height: p.height, width: p.width, channels, data };
}

/** Decodes then prepares; the decoder is injected. */
export async function decodePoster(
  bytes: Uint8Array,
  p: PipelineSpec,
  decode: ImageDecoder,
): Promise<ImageTensorData> {
  return preparePoster(await decode(bytes), p);
}
