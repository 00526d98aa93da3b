import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../storage/index.ts';
import { deleteDatabase, uniqueDbName } from '../../test/storage-helpers.ts';
import { fillThumbnails, loadThumbnails } from '../data/thumbnails.ts';
import { THUMB_HEIGHT, THUMB_WIDTH, decodeWithThumbnail, thumbnailOfBlob } from './thumbnail.ts';

/** A generated square poster: green outer bands (x < 50, x ≥ 250), red left middle, blue right middle. */
async function squarePoster(type = 'image/jpeg'): Promise<Blob> {
  const c = new OffscreenCanvas(300, 300);
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#00ff00';
  ctx.fillRect(0, 0, 300, 300);
  ctx.fillStyle = '#ff0000';
  ctx.fillRect(50, 0, 100, 300);
  ctx.fillStyle = '#0000ff';
  ctx.fillRect(150, 0, 100, 300);
  return c.convertToBlob({ type, quality: 0.95 });
}

async function pixels(
  blob: Blob,
): Promise<{ w: number; h: number; at: (x: number, y: number) => number[] }> {
  const bmp = await createImageBitmap(blob);
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = c.getContext('2d')!;
  ctx.drawImage(bmp, 0, 0);
  const data = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
  const w = bmp.width;
  bmp.close();
  return { w, h: c.height, at: (x, y) => [...data.slice((y * w + x) * 4, (y * w + x) * 4 + 3)] };
}

describe('thumbnail generator', () => {
  it('makes a 46×69 WebP, centre-cropped like object-fit: cover', async () => {
    const t = await thumbnailOfBlob(await squarePoster());
    expect(t.blob.type).toBe('image/webp');
    expect(t.blob.size).toBeLessThan(3000);
    const px = await pixels(t.blob);
    expect([px.w, px.h]).toEqual([THUMB_WIDTH, THUMB_HEIGHT]);
    // A 2:3 window of the 300×300 square is x 50..250: the green bands are cropped away.
    const [r0, g0, b0] = px.at(1, 34);
    const [r1, g1, b1] = px.at(THUMB_WIDTH - 2, 34);
    expect(r0!).toBeGreaterThan(200);
    expect(g0!).toBeLessThan(60);
    expect(b0!).toBeLessThan(60);
    expect(b1!).toBeGreaterThan(200);
    expect(r1!).toBeLessThan(60);
    expect(g1!).toBeLessThan(60);
  });

  it('decodeWithThumbnail reports the full size and the thumbnail from one decode', async () => {
    const r = await decodeWithThumbnail(await squarePoster('image/png'));
    expect([r.width, r.height]).toEqual([300, 300]);
    expect([r.thumbnail.width, r.thumbnail.height]).toEqual([THUMB_WIDTH, THUMB_HEIGHT]);
  });

  it('refuses bytes that are no image', async () => {
    await expect(thumbnailOfBlob(new Blob([new Uint8Array([1, 2, 3])]))).rejects.toThrow();
  });
});

describe('thumbnails in the library', () => {
  const opened: Library[] = [];
  const names: string[] = [];
  afterAll(async () => {
    for (const l of opened) l.close();
    for (const n of names) await deleteDatabase(n);
  });

  it('makes missing thumbnails on demand and back-fills the rest in batches', async () => {
    const name = uniqueDbName('thumbs');
    names.push(name);
    const lib = await openLibrary({ name });
    opened.push(lib);
    const blob = await squarePoster();
    const posters = Array.from({ length: 7 }, (_, i) => ({
      movieKey: `tmdb:${i + 1}`,
      blob,
      width: 300,
      height: 300,
      type: 'image/jpeg',
      sizeBytes: blob.size,
      source: `${i + 1}.jpg`,
      addedAt: 1,
    }));
    await lib.putPosters(posters);
    let made = 0;
    const make = async (b: Blob) => (made++, thumbnailOfBlob(b));
    const got = await loadThumbnails(lib, ['tmdb:1', 'tmdb:2', 'tmdb:404'], make);
    expect(got.map((b) => b?.type ?? null)).toEqual(['image/webp', 'image/webp', null]);
    expect(made).toBe(2);
    await loadThumbnails(lib, ['tmdb:1', 'tmdb:2'], make);
    expect(made).toBe(2); // stored: read back, not made again
    expect(await fillThumbnails(lib, make, { batchSize: 2 })).toBe(5);
    expect(await lib.keysWithoutThumbnail(undefined, 100)).toEqual([]);
    expect(await fillThumbnails(lib, make)).toBe(0);
  });
});
