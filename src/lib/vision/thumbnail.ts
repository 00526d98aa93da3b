/** Small poster thumbnails for the Library table, drawn on an OffscreenCanvas (works in workers). */

/** Thumbnail size: 46×69 is a 2:3 poster at the table's 36 px column with room for sharper screens. */
export const THUMB_WIDTH = 46;
export const THUMB_HEIGHT = 69;
/** WebP at 0.8 keeps a 46×69 thumbnail near 1–2 KB with no visible loss at that size. */
const QUALITY = 0.8;

/** A made thumbnail: its encoded bytes and size. */
export interface Thumbnail {
  blob: Blob;
  width: number;
  height: number;
}

/**
 * Draws `image` scaled to cover a width×height box (centre crop, like CSS object-fit: cover) and
 * encodes it as WebP (JPEG where the browser cannot encode WebP).
 */
export async function makeThumbnail(
  image: ImageBitmap,
  width = THUMB_WIDTH,
  height = THUMB_HEIGHT,
): Promise<Thumbnail> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas context for thumbnails');
  const scale = Math.max(width / image.width, height / image.height);
  const sw = width / scale;
  const sh = height / scale;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(
    image,
    (image.width - sw) / 2,
    (image.height - sh) / 2,
    sw,
    sh,
    0,
    0,
    width,
    height,
  );
  let blob = await canvas.convertToBlob({ type: 'image/webp', quality: QUALITY });
  if (blob.type !== 'image/webp')
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
  return { blob, width, height };
}

/** Decodes an image blob and makes its thumbnail, freeing the decoded bitmap at once. */
export async function thumbnailOfBlob(blob: Blob): Promise<Thumbnail> {
  const bitmap = await createImageBitmap(blob);
  try {
    return await makeThumbnail(bitmap);
  } finally {
    bitmap.close();
  }
}

/**
 * A poster importer's decode check that also makes the thumbnail from the same decoded bitmap
 * (one decode per file).
 */
export async function decodeWithThumbnail(
  blob: Blob,
): Promise<{ width: number; height: number; thumbnail: Thumbnail }> {
  const bitmap = await createImageBitmap(blob);
  try {
    return { width: bitmap.width, height: bitmap.height, thumbnail: await makeThumbnail(bitmap) };
  } finally {
    bitmap.close();
  }
}
