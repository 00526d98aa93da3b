/**
 * Checks a dropped file before any decoding, for prediction (no movie id needed in the name):
 * empty, not an image (SVG, PDF, text…), unsupported type, no size in the header, too many
 * pixels (a 20,000×20,000 image is refused before a pixel buffer exists), too small, truncated.
 */
import {
  POSTER_LIMITS,
  describeNonImage,
  readImageSize,
  sniffImageType,
  truncationReason,
  type ImageType,
} from '../data/posters.ts';

/** The verdict on one file: ok with its type and size, or a reason meant for the person who dropped it. */
export type InputCheck =
  { ok: true; type: ImageType; width: number; height: number } | { ok: false; reason: string };

/** Every check short of decoding, cheapest first. */
export function checkImageBytes(bytes: Uint8Array): InputCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (bytes.length > POSTER_LIMITS.maxBytes)
    return {
      ok: false,
      reason: `file too big: ${(bytes.length / 2 ** 20).toFixed(1)} MB (limit 20 MB)`,
    };
  const type = sniffImageType(bytes);
  if (type === null) {
    const { image, what } = describeNonImage(bytes);
    if (what === 'SVG/XML')
      return {
        ok: false,
        reason: 'SVG is not supported: drop a raster poster (JPEG, PNG, WebP or GIF)',
      };
    return {
      ok: false,
      reason: image
        ? `unsupported image type ${what} (use JPEG, PNG, WebP or GIF)`
        : `not an image (looks like ${what})`,
    };
  }
  const size = readImageSize(bytes);
  const name = type.slice(6).toUpperCase();
  if (size === null)
    return { ok: false, reason: `truncated or corrupt ${name}: no image size in the header` };
  const { width, height } = size;
  if (width * height > POSTER_LIMITS.maxPixels)
    return {
      ok: false,
      reason: `image too large: ${width}×${height} px (limit ${POSTER_LIMITS.maxPixels.toLocaleString('en')} px; scale it down first)`,
    };
  if (Math.min(width, height) < 8)
    return { ok: false, reason: `image too small: ${width}×${height} px` };
  const cut = truncationReason(bytes, type);
  if (cut !== null) return { ok: false, reason: cut };
  return { ok: true, type, width, height };
}
