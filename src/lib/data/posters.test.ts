import { readFileSync, readdirSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  POSTER_LIMITS,
  checkPosterHeader,
  posterIdFromFileName,
  readImageSize,
  sniffImageType,
} from './posters.ts';

import { missingShared, sharedUrl } from '../../test/shared.ts';
import { makeJpeg } from '../../test/posters.ts';

const DATA = sharedUrl('data/');
const noData = missingShared(
  import.meta.url,
  'the checks of the real poster folders (the other tests use JPEGs made here)',
  'data/tmdb-cs109b/posters',
  'data/posters-kaggle/posters',
);
const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
const CS109B = new URL('tmdb-cs109b/posters/', DATA);
const KAGGLE = new URL('posters-kaggle/posters/', DATA);
const read = (name: string, dir: URL): Uint8Array =>
  new Uint8Array(readFileSync(new URL(name, dir)));
/** A made 182×268 JPEG, the size of the Kaggle posters (made once: jpeg-js is slow). */
let made: Uint8Array | undefined;
const madeJpeg = (): Uint8Array => (made ??= makeJpeg(182, 268));

/** A PNG signature + IHDR chunk claiming the given size; nothing else (never decodable). */
function fakePngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(b.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

describe('posterIdFromFileName', () => {
  it('reads TMDb and IMDb ids, any folder, any case of extension', () => {
    expect(posterIdFromFileName('10003.jpg')).toEqual({ tmdbId: 10003 });
    expect(posterIdFromFileName('tt0089869.jpg')).toEqual({ imdbId: 'tt0089869' });
    expect(posterIdFromFileName('posters/tt0089869.JPG')).toEqual({ imdbId: 'tt0089869' });
    expect(posterIdFromFileName('C:\\drop\\TT0089869.png')).toEqual({ imdbId: 'tt0089869' });
    expect(posterIdFromFileName('tt10872600.webp')).toEqual({ imdbId: 'tt10872600' });
  });

  it('accepts an _suffix such as a TMDb size tag', () => {
    expect(posterIdFromFileName('10003_w185.jpg')).toEqual({ tmdbId: 10003 });
    expect(posterIdFromFileName('tt0089869_poster.jpg')).toEqual({ imdbId: 'tt0089869' });
  });

  it('refuses names where the id would be a guess', () => {
    for (const name of [
      'poster.jpg',
      'poster-10003.jpg',
      '2016 poster.jpg',
      '0.jpg',
      'tt123.jpg',
      '.jpg',
      '',
    ]) {
      expect(posterIdFromFileName(name), name).toBeNull();
    }
  });
});

describe('sniffImageType and readImageSize', () => {
  it.skipIf(noData)('goes by bytes, not extension: two cs109b ".jpg" posters are PNGs', () => {
    // Ref: /usr/bin/python3 PIL 9.4: Image.open(p).format, .size → PNG (92, 138) for both.
    for (const name of ['12092.jpg', '55420.jpg']) {
      const b = read(name, CS109B);
      expect(sniffImageType(b)).toBe('image/png');
      expect(readImageSize(b)).toEqual({ width: 92, height: 138 });
    }
  });

  it('reads the sizes of JPEGs made here, of odd and even sizes', () => {
    for (const [width, height] of [
      [33, 47],
      [92, 138],
      [64, 32],
    ] as const) {
      expect(readImageSize(makeJpeg(width, height))).toEqual({ width, height });
    }
  });

  it.skipIf(noData)('reads real JPEG sizes that match a full jpeg-js decode', () => {
    const names = [
      ...readdirSync(CS109B)
        .filter((n) => n.endsWith('.jpg'))
        .slice(0, 40),
      ...readdirSync(KAGGLE).slice(0, 20),
    ];
    for (const name of names) {
      const b = read(name, names.indexOf(name) < 40 ? CS109B : KAGGLE);
      if (sniffImageType(b) !== 'image/jpeg') continue;
      const decoded = jpeg.decode(b, { useTArray: true });
      expect(readImageSize(b), name).toEqual({ width: decoded.width, height: decoded.height });
    }
  });

  it('reads GIF, PNG and the three WebP headers (PIL-made 40×60 fixtures)', () => {
    const cases: [string, string][] = [
      ['poster-40x60.gif', 'image/gif'],
      ['poster-40x60.png', 'image/png'],
      ['poster-40x60-lossy.webp', 'image/webp'], // VP8
      ['poster-40x60-lossless.webp', 'image/webp'], // VP8L
      ['poster-40x60-alpha.webp', 'image/webp'], // VP8X
    ];
    for (const [name, type] of cases) {
      const b = read(name, FIXTURES);
      expect(sniffImageType(b), name).toBe(type);
      expect(readImageSize(b), name).toEqual({ width: 40, height: 60 });
    }
  });

  it('finds nothing in non-images', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj');
    expect(sniffImageType(pdf)).toBeNull();
    expect(readImageSize(pdf)).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

describe('checkPosterHeader', () => {
  it.skipIf(noData)('accepts every real poster in both folders', () => {
    for (const dir of [CS109B, KAGGLE]) {
      const bad = readdirSync(dir)
        .map((name) => ({ name, check: checkPosterHeader(name, read(name, dir)) }))
        .filter((x) => !x.check.ok);
      expect(bad).toEqual([]);
    }
  });

  it('returns the id, type and size of a good poster', () => {
    expect(checkPosterHeader('posters/tt0089869.jpg', madeJpeg())).toEqual({
      ok: true,
      type: 'image/jpeg',
      width: 182,
      height: 268,
      id: { imdbId: 'tt0089869' },
    });
  });

  it('refuses an empty file', () => {
    expect(checkPosterHeader('1.jpg', new Uint8Array())).toEqual({
      ok: false,
      reason: 'empty file',
    });
  });

  it('names what a non-image looks like', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(checkPosterHeader('1.jpg', enc('%PDF-1.4\n%\xe2\xe3\n'))).toEqual({
      ok: false,
      reason: 'not an image (looks like PDF)',
    });
    expect(checkPosterHeader('1.jpg', enc('tmdb_id,title\n1,A\n'))).toEqual({
      ok: false,
      reason: 'not an image (looks like text)',
    });
    expect(checkPosterHeader('1.jpg', enc('<!DOCTYPE html><html>'))).toEqual({
      ok: false,
      reason: 'not an image (looks like HTML)',
    });
    expect(checkPosterHeader('1.bmp', new Uint8Array([0x42, 0x4d, 0, 0, 0, 0]))).toMatchObject({
      ok: false,
      reason: 'unsupported image type BMP (use JPEG, PNG, WebP or GIF)',
    });
  });

  it('refuses a JPEG cut short (no FFD9 end marker)', () => {
    const whole = madeJpeg();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    expect(readImageSize(cut)).toEqual({ width: 182, height: 268 }); // the header alone looks fine
    expect(checkPosterHeader('tt0089869.jpg', cut)).toEqual({
      ok: false,
      reason: 'truncated or corrupt JPEG: no end-of-image marker (FFD9)',
    });
    expect(checkPosterHeader('tt0089869.jpg', whole.subarray(0, 100))).toEqual({
      ok: false,
      reason: 'truncated or corrupt JPEG: no image size in the header',
    });
  });

  it('refuses a 20000×20000 PNG from its header alone, and tiny images', () => {
    expect(checkPosterHeader('1.png', fakePngHeader(20000, 20000))).toEqual({
      ok: false,
      reason: `too large: 20000×20000 px (limit ${POSTER_LIMITS.maxPixels.toLocaleString('en-US')} px)`,
    });
    expect(checkPosterHeader('1.png', fakePngHeader(8, 8))).toMatchObject({
      ok: false,
      reason: 'too small: 8×8 px (at least 32 px a side)',
    });
  });

  it('refuses files over the byte limit before looking inside', () => {
    const big = new Uint8Array(POSTER_LIMITS.maxBytes + 1024 * 1024);
    expect(checkPosterHeader('1.jpg', big)).toMatchObject({
      ok: false,
      reason: 'file too big: 21.0 MB (limit 20.0 MB)',
    });
  });

  it('refuses a good image whose name carries no id', () => {
    expect(checkPosterHeader('cover.jpg', madeJpeg())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^file name has no TMDb or IMDb id/),
    });
  });
});
