/** The text encodings the importer recognises. */
export type TextEncodingName = 'utf-8' | 'windows-1252';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Windows-1252 bytes 0x80–0x9F (WHATWG Encoding table; the five unassigned bytes map to the C1
 * control of the same value). Decoded by hand because Node's TextDecoder('windows-1252')
 * treats the label as latin-1 and turns 0x80 into U+0080 instead of €, unlike browsers.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Decodes Windows-1252 bytes; every byte maps to a character, so it never fails. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    units[i] = b >= 0x80 && b < 0xa0 ? (CP1252_HIGH[b - 0x80] ?? b) : b;
  }
  // Typed arrays are little-endian on every platform browsers ship on (x86, ARM).
  return new TextDecoder('utf-16le').decode(units);
}

/**
 * Decodes a dropped file's bytes: strict UTF-8 first (BOM stripped), else Windows-1252, the
 * usual legacy encoding of spreadsheet exports. The strict first pass is what tells them apart:
 * real Windows-1252 text with accents is almost never valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}
