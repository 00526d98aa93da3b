import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText, decodeWindows1252 } from './encoding.ts';

import { missingShared, sharedUrl } from '../../test/shared.ts';

const DATA = sharedUrl('data/');
const noData = missingShared(
  import.meta.url,
  'the check of the real Windows-1252 file tmdb-imdb-2011-2016.csv',
  'data/metadata/tmdb-imdb-2011-2016.csv',
);

describe('decodeText', () => {
  it('decodes UTF-8 and strips the BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('title\nAmélie')]);
    expect(decodeText(bytes)).toEqual({ text: 'title\nAmélie', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    // "Amélie – €5" in Windows-1252: é = E9, en dash = 96, € = 80 (bytes invalid as UTF-8).
    const bytes = new Uint8Array([
      0x41, 0x6d, 0xe9, 0x6c, 0x69, 0x65, 0x20, 0x96, 0x20, 0x80, 0x35,
    ]);
    expect(decodeText(bytes)).toEqual({ text: 'Amélie – €5', encoding: 'windows-1252' });
  });

  it.skipIf(noData)(
    'detects the real tmdb-imdb-2011-2016.csv as Windows-1252 and decodes its € bytes',
    () => {
      const { text, encoding } = decodeText(
        new Uint8Array(readFileSync(new URL('metadata/tmdb-imdb-2011-2016.csv', DATA))),
      );
      expect(encoding).toBe('windows-1252');
      // The file's only non-ASCII byte is 0x80 (60 times, in damaged Turkish text), checked with
      // /usr/bin/python3 -c "import re;b=open(p,'rb').read();print(set(re.findall(rb'[\x80-\xff]',b)))".
      // Windows-1252 maps it to € (latin-1 would give U+0080, UTF-8 replacement U+FFFD).
      expect(text.includes(',Dedemin €?nsanlar€?,')).toBe(true); // TMDb id 81708, title column
      expect(text.split('€').length - 1).toBe(60);
      expect(text.includes('\uFFFD')).toBe(false);
      expect(text.includes('\u0080')).toBe(false);
    },
  );

  it('maps every byte like Python cp1252, with the WHATWG C1 fallback for its five holes', () => {
    // Ref: /usr/bin/python3 -c "print(''.join('\\u%04x'%ord(bytes([b]).decode('cp1252')) if b not in
    //   (0x81,0x8d,0x8f,0x90,0x9d) else '\\u%04x'%b for b in range(0x80,0xa0)))"
    const high =
      '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
      '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
    const all = decodeWindows1252(Uint8Array.from({ length: 256 }, (_, i) => i));
    expect(all.length).toBe(256);
    expect(all.slice(0x80, 0xa0)).toBe(high);
    expect(all.slice(0, 0x80)).toBe(
      String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i)),
    );
    expect(all.slice(0xa0)).toBe(
      String.fromCharCode(...Array.from({ length: 96 }, (_, i) => 0xa0 + i)),
    );
  });
});
