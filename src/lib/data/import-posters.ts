/**
 * Poster import orchestration: read each file once, check its header, decode-check a few at
 * a time, match it to a library movie and write in batches. The decoder and the store are
 * injected so the same code runs in a worker (createImageBitmap, IndexedDB) and in Node tests.
 */
import type { Poster, Rejection } from './types.ts';
import { type ImageType, type PosterId, checkPosterHeader, keyFromPosterId } from './posters.ts';
import { throwIfAborted } from './csv.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import { errorMessage } from '../core/errors.ts';

/** A thumbnail stored beside a poster (storage's ThumbnailRecord). */
export interface PosterThumbnail {
  movieKey: string;
  blob: Blob;
  width: number;
  height: number;
  posterBytes: number;
}

/** Where posters go, and how a poster finds its movie. */
export interface PosterSink {
  putPosters(p: Poster[]): Promise<{ added: number; replaced: number; unchanged: number }>;
  findMovieKey(id: { tmdbId?: number; imdbId?: string }): Promise<string | undefined>;
  /** Stores thumbnails the decoder made (written after their posters' batch). */
  putThumbnails?(records: PosterThumbnail[]): Promise<void>;
}

/**
 * Fully decodes an image to prove it is whole; throws on undecodable or truncated data. A decoder
 * may also return a thumbnail drawn from the decoded image (so the image is decoded once).
 */
export type DecodeCheck = (
  blob: Blob,
  type: string,
) => Promise<{
  width: number;
  height: number;
  thumbnail?: { blob: Blob; width: number; height: number };
}>;

/** A file to import: its bytes now, or a way to open them when its turn comes (folder walks). */
export type PosterFile = { name: string; blob: Blob } | { name: string; open: () => Promise<Blob> };

export interface PosterImportOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Posters per sink write; one IndexedDB transaction per 100 keeps writes far from the bottleneck. */
  batchSize?: number;
  /** Files read and decoded at once; 4 keeps both cores busy while one file waits on I/O. */
  concurrency?: number;
  nowMs?: () => number;
}

export interface PosterImportResult {
  added: number;
  replaced: number;
  unchanged: number;
  rejected: Rejection[];
  /** Stored under a key made from the file name because no library movie matched (yet). */
  unmatched: number;
}

/** The browser/worker DecodeCheck: decodes with createImageBitmap and frees the bitmap at once. */
export const decodeWithImageBitmap: DecodeCheck = async (blob) => {
  const bitmap = await createImageBitmap(blob);
  try {
    return { width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
};

type Checked =
  | { ok: true; poster: Poster; id: PosterId; thumbnail?: Omit<PosterThumbnail, 'movieKey'> }
  | { ok: false; reason: string };

async function checkFile(
  file: PosterFile,
  decode: DecodeCheck,
  addedAt: () => number,
): Promise<Checked> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const source = 'blob' in file ? file.blob : await file.open();
    bytes = new Uint8Array(await source.arrayBuffer());
  } catch (e) {
    return {
      ok: false,
      reason: `could not read the file: ${errorMessage(e)}`,
    };
  }
  const header = checkPosterHeader(file.name, bytes);
  if (!header.ok) return header;
  // The in-memory copy is what gets decoded and stored, so the file is read from disk once.
  const blob = new Blob([bytes], { type: header.type });
  const label = header.type.slice(6).toUpperCase();
  let thumb: Awaited<ReturnType<DecodeCheck>>['thumbnail'];
  try {
    const decoded = await decode(blob, header.type);
    thumb = decoded.thumbnail;
    const same = decoded.width === header.width && decoded.height === header.height;
    // EXIF orientation can make a decoder swap the sides; anything else means a lying header.
    const swapped = decoded.width === header.height && decoded.height === header.width;
    if (!same && !swapped) {
      return {
        ok: false,
        reason: `corrupt ${label}: header says ${header.width}×${header.height}, decodes to ${decoded.width}×${decoded.height}`,
      };
    }
  } catch (e) {
    return {
      ok: false,
      reason: `truncated or corrupt ${label}: ${errorMessage(e)}`,
    };
  }
  const poster: Poster = {
    movieKey: '',
    blob,
    width: header.width,
    height: header.height,
    type: header.type satisfies ImageType,
    sizeBytes: bytes.length,
    source: file.name,
    addedAt: addedAt(),
  };
  const thumbnail = thumb && { ...thumb, posterBytes: bytes.length };
  return { ok: true, poster, id: header.id, ...(thumbnail ? { thumbnail } : {}) };
}

/** Imports dropped poster files; rejects bad ones with reasons and keeps going. */
export async function importPosterFiles(
  files: readonly PosterFile[],
  sink: PosterSink,
  decode: DecodeCheck,
  opts: PosterImportOptions = {},
): Promise<PosterImportResult> {
  const batchSize = Math.max(1, opts.batchSize ?? 100);
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const now = opts.nowMs ?? (() => Date.now());
  const tracker = new ProgressTracker(
    'Importing posters',
    files.length,
    opts.onProgress ?? (() => {}),
  );
  const result: PosterImportResult = {
    added: 0,
    replaced: 0,
    unchanged: 0,
    rejected: [],
    unmatched: 0,
  };

  let batch: Poster[] = [];
  let thumbs: PosterThumbnail[] = [];
  let writing: Promise<void> = Promise.resolve();
  // Writes run one after another in batch order; a lane that fills a batch waits for the
  // previous write, so at most one batch is in flight and one filling (bounded memory).
  const flush = async (): Promise<void> => {
    const full = batch;
    const fullThumbs = thumbs;
    batch = [];
    thumbs = [];
    const previous = writing;
    writing = previous
      .then(() => sink.putPosters(full))
      .then(async (r) => {
        result.added += r.added;
        result.replaced += r.replaced;
        result.unchanged += r.unchanged;
        if (fullThumbs.length > 0) await sink.putThumbnails?.(fullThumbs);
      });
    writing.catch(() => {}); // surfaced by the awaits below, not as an unhandled rejection
    await previous;
  };

  let next = 0;
  // Lanes finish out of order; rejections are reported in the order the files were given.
  const rejectedAt: [number, Rejection][] = [];
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      throwIfAborted(opts.signal);
      const index = next++;
      const file = files[index];
      if (file === undefined) break;
      const checked = await checkFile(file, decode, now);
      if (checked.ok) {
        const found = await sink.findMovieKey(checked.id);
        if (found === undefined) result.unmatched++;
        checked.poster.movieKey = found ?? keyFromPosterId(checked.id);
        batch.push(checked.poster);
        if (checked.thumbnail)
          thumbs.push({ ...checked.thumbnail, movieKey: checked.poster.movieKey });
        if (batch.length >= batchSize) await flush();
      } else {
        rejectedAt.push([index, { name: file.name, reason: checked.reason }]);
      }
      tracker.tick(1);
    }
  };
  // allSettled, not all: after one lane fails the others must stop before the store is quiet.
  const lanes = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, files.length) }, lane),
  );
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed || opts.signal?.aborted) {
    await writing.catch(() => {}); // started writes settle; the unfilled batch is dropped
    if (failed) throw failed.reason;
    throwIfAborted(opts.signal);
  }
  if (batch.length > 0) await flush();
  await writing;
  result.rejected = rejectedAt.sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  tracker.finish(
    `${result.added + result.replaced + result.unchanged} posters, ${result.rejected.length} rejected`,
  );
  return result;
}
