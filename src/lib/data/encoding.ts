/** The text encodings the importer recognises. */
export type TextEncodingName = 'utf-8' | 'windows-1252';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes a dropped file's bytes: strict UTF-8 first (BOM stripped), else Windows-1252. Every
 * byte sequence is valid Windows-1252 (WHATWG maps its five holes to C1 controls), so the
 * fallback never fails; the strict first pass is what tells a UTF-8 file from a legacy one.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}
