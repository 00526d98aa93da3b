/**
 * Decodes an image Blob far enough to prove it is a real, whole picture and returns its size.
 * createImageBitmap runs off the main thread's critical path and exists in workers; the decoded
 * bitmap is closed at once (we only store the original bytes).
 */
export async function decodeCheckBitmap(blob: Blob, type: string): Promise<{ width: number; height: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error(`the browser could not decode this ${type.replace('image/', '').toUpperCase()} (corrupt or truncated)`);
  }
  const { width, height } = bitmap;
  bitmap.close();
  if (width === 0 || height === 0) throw new Error('decoded to an empty image');
  return { width, height };
}
