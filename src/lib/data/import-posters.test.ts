import { readFileSync, readdirSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import type { Poster } from './types.ts';
import { type DecodeCheck, type PosterSink, importPosterFiles } from './import-posters.ts';
import { sniffImageType } from './posters.ts';

import { missingShared, sharedUrl } from '../../test/shared.ts';
import { madePosters } from '../../test/posters.ts';

const DATA = sharedUrl('data/');
const CS109B = new URL('tmdb-cs109b/posters/', DATA);
const KAGGLE = new URL('posters-kaggle/posters/', DATA);
const noData = missingShared(
  import.meta.url,
  'the import of ~200 real posters (the other tests use posters made here)',
  'data/tmdb-cs109b/posters',
  'data/posters-kaggle/posters',
);

type DropFile = { name: string; blob: Blob };
const fileOf = (name: string, bytes: Uint8Array): DropFile => ({
  name,
  blob: new Blob([new Uint8Array(bytes)]),
});
const realFile = (name: string, dir: URL): DropFile =>
  fileOf(name, new Uint8Array(readFileSync(new URL(name, dir))));

/** 100 JPEG posters from each folder (the two PNG-in-.jpg files are left out: jpeg-js reads JPEG only). */
function realPosters(): DropFile[] {
  const pick = (dir: URL, n: number) =>
    readdirSync(dir)
      .sort()
      .filter(
        (name) =>
          sniffImageType(new Uint8Array(readFileSync(new URL(name, dir)).subarray(0, 4))) ===
          'image/jpeg',
      )
      .slice(0, n)
      .map((name) => realFile(name, dir));
  return [...pick(CS109B, 100), ...pick(KAGGLE, 100)];
}

/** 100 made-up posters of each kind: TMDb-named 92×138, then IMDb-named 182×268. */
let made: DropFile[] | undefined;
const madeFiles = (): DropFile[] =>
  (made ??= madePosters(100).map(({ name, bytes }) => fileOf(name, bytes)));

/** Node stand-in for createImageBitmap: a full, strict jpeg-js decode. */
const jpegDecode: DecodeCheck = async (blob, type) => {
  if (type !== 'image/jpeg') throw new Error(`this test decoder reads JPEG only, not ${type}`);
  const img = jpeg.decode(new Uint8Array(await blob.arrayBuffer()), {
    useTArray: true,
    tolerantDecoding: false,
    maxResolutionInMP: 40,
  });
  return { width: img.width, height: img.height };
};

/** An in-memory PosterSink; the library knows the movies in `known` (id → key). */
class MemorySink implements PosterSink {
  readonly posters = new Map<string, Poster>();
  readonly batches: number[] = [];
  writesInFlight = 0;
  maxWritesInFlight = 0;
  constructor(
    readonly known: Map<string, string>,
    readonly writeDelayMs = 0,
  ) {}

  async putPosters(batch: Poster[]) {
    this.batches.push(batch.length);
    this.maxWritesInFlight = Math.max(this.maxWritesInFlight, ++this.writesInFlight);
    await new Promise((r) => setTimeout(r, this.writeDelayMs));
    const counts = { added: 0, replaced: 0, unchanged: 0 };
    for (const p of batch) {
      const old = this.posters.get(p.movieKey);
      if (!old) counts.added++;
      else if (old.sizeBytes === p.sizeBytes && old.source === p.source) counts.unchanged++;
      else counts.replaced++;
      this.posters.set(p.movieKey, p);
    }
    this.writesInFlight--;
    return counts;
  }

  async findMovieKey(id: { tmdbId?: number; imdbId?: string }) {
    return this.known.get(id.tmdbId !== undefined ? `tmdb:${id.tmdbId}` : `imdb:${id.imdbId}`);
  }
}

describe('importPosterFiles', () => {
  it.skipIf(noData)(
    'imports ~200 real posters, rejects bad files with reasons, and logs posters/s',
    async () => {
      const good = realPosters();
      const whole = new Uint8Array(readFileSync(new URL('tt0089869.jpg', KAGGLE)));
      const png = new Uint8Array(33);
      png.set([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0,
        0x4e, 0x20, 0, 0, 0x4e, 0x20,
      ]);
      const bad = [
        fileOf('1.jpg', new TextEncoder().encode('%PDF-1.4\n')),
        fileOf('2.jpg', new Uint8Array()),
        fileOf('tt0000003.jpg', whole.subarray(0, 9000)),
        fileOf('tt0000004.jpg', new Uint8Array([...whole.subarray(0, 9000), 0xff, 0xd9])), // end marker faked: only a decode can tell
        fileOf('5.png', png),
        fileOf('cover.jpg', whole),
      ];
      // The library knows the cs109b movies but not the Kaggle ones (their CSV not imported yet).
      const known = new Map(
        good
          .slice(0, 100)
          .map((f) => [`tmdb:${parseInt(f.name, 10)}`, `tmdb:${parseInt(f.name, 10)}`]),
      );
      const sink = new MemorySink(known);
      const files = [...good.slice(0, 100), ...bad, ...good.slice(100)];
      const t0 = performance.now();
      const r = await importPosterFiles(files, sink, jpegDecode, { nowMs: () => 5 });
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `importPosterFiles (Node, jpeg-js decode): ${good.length} posters in ${seconds.toFixed(2)} s = ${(good.length / seconds).toFixed(0)} posters/s`,
      );

      expect(r).toMatchObject({ added: 200, replaced: 0, unchanged: 0, unmatched: 100 });
      expect(r.rejected).toEqual([
        { name: '1.jpg', reason: 'not an image (looks like PDF)' },
        { name: '2.jpg', reason: 'empty file' },
        {
          name: 'tt0000003.jpg',
          reason: 'truncated or corrupt JPEG: no end-of-image marker (FFD9)',
        },
        { name: 'tt0000004.jpg', reason: 'truncated or corrupt JPEG: unexpected marker: ffd9' },
        { name: '5.png', reason: 'too large: 20000×20000 px (limit 36,000,000 px)' },
        {
          name: 'cover.jpg',
          reason: 'file name has no TMDb or IMDb id (expected e.g. 10003.jpg or tt0089869.jpg)',
        },
      ]);
      expect(sink.batches).toEqual([100, 100]);
      const kaggle = sink.posters.get('imdb:tt0089869');
      expect(kaggle).toMatchObject({
        width: 182,
        height: 268,
        type: 'image/jpeg',
        source: 'tt0089869.jpg',
        addedAt: 5,
        sizeBytes: whole.length,
      });
      expect(kaggle?.blob.type).toBe('image/jpeg');
      expect(new Uint8Array(await (kaggle as Poster).blob.arrayBuffer())).toEqual(whole);
      expect(sink.posters.get('tmdb:10003')).toMatchObject({ width: 92, height: 138 });
    },
  );

  it('is idempotent: the same drop again leaves every poster unchanged', async () => {
    const files = madeFiles().slice(95, 110);
    const sink = new MemorySink(new Map());
    expect(await importPosterFiles(files, sink, jpegDecode)).toMatchObject({
      added: 15,
      unmatched: 15,
    });
    expect(await importPosterFiles(files, sink, jpegDecode)).toMatchObject({
      added: 0,
      replaced: 0,
      unchanged: 15,
    });
  });

  it('writes in order-preserving batches, one write at a time, while decoding a few files at once', async () => {
    const files = madeFiles().slice(0, 20);
    const sink = new MemorySink(new Map(), 5);
    let inFlight = 0;
    let maxInFlight = 0;
    const slowDecode: DecodeCheck = async (blob, type) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return jpegDecode(blob, type);
    };
    const r = await importPosterFiles(files, sink, slowDecode, { batchSize: 7, concurrency: 3 });
    expect(r.added).toBe(20);
    expect(sink.batches).toEqual([7, 7, 6]);
    expect(sink.maxWritesInFlight).toBe(1);
    expect(maxInFlight).toBe(3);
  });

  it('rejects a poster whose decoded size contradicts its header', async () => {
    const files = madeFiles().slice(0, 1);
    const lying: DecodeCheck = async () => ({ width: 10, height: 10 });
    const r = await importPosterFiles(files, new MemorySink(new Map()), lying);
    expect(r.rejected).toEqual([
      { name: files[0]?.name, reason: 'corrupt JPEG: header says 92×138, decodes to 10×10' },
    ]);
  });

  it('stops with an AbortError when cancelled, keeping what was written', async () => {
    const files = madeFiles().slice(0, 60);
    const ac = new AbortController();
    const sink = new MemorySink(new Map());
    let lookups = 0;
    sink.findMovieKey = async () => {
      if (++lookups === 25) ac.abort();
      return undefined;
    };
    await expect(
      importPosterFiles(files, sink, jpegDecode, {
        signal: ac.signal,
        batchSize: 10,
        concurrency: 2,
      }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(sink.posters.size).toBeGreaterThanOrEqual(10);
    expect(sink.posters.size).toBeLessThan(60);
  });
});
