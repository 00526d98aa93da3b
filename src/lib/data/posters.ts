/**
 * Poster file checks that need no decoding: the id in the file name, the type from magic
 * bytes, the pixel size from the header, and signs of truncation. They run before any decode
 * so that a 20000×20000 "poster" is refused before a single pixel buffer is allocated.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
export type PosterId = { tmdbId: number } | { imdbId: string };

/** Limits a poster must meet. Real posters here are 92×138 to 182×268 and 1–80 KB. */
export const POSTER_LIMITS: { maxBytes: number; maxPixels: number; minSide: number } = {
  // 20 MB holds any sensible scan; the app never needs more than a few hundred pixels a side.
  maxBytes: 20 * 1024 * 1024,
  // 36 MP (6000×6000) decodes to 144 MB of RGBA, about the most a worker should allocate at once.
  maxPixels: 36_000_000,
  // Smaller than 32 px a side carries no usable poster features (the CNN input is 100×148).
  minSide: 32,
};

/**
 * The movie id in a poster's file name. Accepted: `<tmdb id>.<ext>` ('10003.jpg'),
 * `tt<digits>.<ext>` ('tt0089869.JPG'), either with a `_suffix` such as a TMDb size tag
 * ('10003_w185.jpg', 'tt0089869_poster.png'), in any folder ('posters/10003.jpg'). Anything
 * else ('poster-10003.jpg', '2016 poster.jpg') gives null rather than a guess.
 */
export function posterIdFromFileName(name: string): PosterId | null {
  const base = name.split(/[/\\]/).pop() ?? '';
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const imdb = /^tt(\d{7,10})(?:_.*)?$/i.exec(stem);
  if (imdb?.[1]) return { imdbId: `tt${imdb[1]}` };
  const tmdb = /^(\d{1,9})(?:_.*)?$/.exec(stem);
  const id = tmdb?.[1] === undefined ? 0 : Number(tmdb[1]);
  return id > 0 ? { tmdbId: id } : null;
}

/** The library key a poster id gives when no movie matches: `tmdb:<id>` or `imdb:<tt id>`. */
export function keyFromPosterId(id: PosterId): string {
  return 'tmdbId' in id ? `tmdb:${id.tmdbId}` : `imdb:${id.imdbId}`;
}

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** The image type by magic bytes (never by extension), or null. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** A human name for what a non-poster file looks like, for rejection messages. */
export function describeNonImage(bytes: Uint8Array): { image: boolean; what: string } {
  const known: [number[], number, string, boolean][] = [
    [ascii('%PDF'), 0, 'PDF', false],
    [[0x50, 0x4b, 0x03, 0x04], 0, 'ZIP archive', false],
    [ascii('BM'), 0, 'BMP', true],
    [[0x49, 0x49, 0x2a, 0x00], 0, 'TIFF', true],
    [[0x4d, 0x4d, 0x00, 0x2a], 0, 'TIFF', true],
    [ascii('ftypavif'), 4, 'AVIF', true],
    [ascii('ftypheic'), 4, 'HEIC', true],
    [ascii('ftypmif1'), 4, 'HEIF', true],
    [ascii('ftyp'), 4, 'video', false],
  ];
  for (const [sig, at, what, image] of known)
    if (startsWith(bytes, sig, at)) return { image, what };
  const head = bytes.subarray(0, 512);
  const texty = head.every((b) => b === 9 || b === 10 || b === 13 || b >= 32);
  if (texty) {
    const start = new TextDecoder().decode(head.subarray(0, 64)).trimStart().toLowerCase();
    if (start.startsWith('<!doctype html') || start.startsWith('<html'))
      return { image: false, what: 'HTML' };
    if (start.startsWith('<svg') || start.startsWith('<?xml'))
      return { image: false, what: 'SVG/XML' };
    return { image: false, what: 'text' };
  }
  return { image: false, what: 'unknown binary data' };
}

const be16 = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const le16 = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const le24 = (b: Uint8Array, i: number): number => le16(b, i) | ((b[i + 2] ?? 0) << 16);
const be32 = (b: Uint8Array, i: number): number => be16(b, i) * 65536 + be16(b, i + 2);

/** Pixel size from the JPEG SOFn, PNG IHDR, GIF screen descriptor or WebP VP8/VP8L/VP8X header; null if absent. */
export function readImageSize(bytes: Uint8Array): { width: number; height: number } | null {
  switch (sniffImageType(bytes)) {
    case 'image/png':
      return bytes.length >= 24 && startsWith(bytes, ascii('IHDR'), 12)
        ? { width: be32(bytes, 16), height: be32(bytes, 20) }
        : null;
    case 'image/gif':
      return bytes.length >= 10 ? { width: le16(bytes, 6), height: le16(bytes, 8) } : null;
    case 'image/webp':
      return webpSize(bytes);
    case 'image/jpeg':
      return jpegSize(bytes);
    default:
      return null;
  }
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30) return null;
  if (startsWith(b, ascii('VP8 '), 12) && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
    return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (startsWith(b, ascii('VP8L'), 12) && b[20] === 0x2f) {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (startsWith(b, ascii('VP8X'), 12)) return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  return null;
}

// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range but carry no frame size.
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // standalone markers have no length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data before any frame header
    if (SOF_MARKERS.has(marker)) {
      return i + 8 < b.length ? { width: be16(b, i + 7), height: be16(b, i + 5) } : null;
    }
    i += 2 + be16(b, i + 2);
  }
  return null;
}

// Padding some encoders and downloaders append after the last marker.
function trimTrailingPadding(b: Uint8Array): Uint8Array {
  let end = b.length;
  while (
    end > 0 &&
    (b[end - 1] === 0x00 || b[end - 1] === 0x0a || b[end - 1] === 0x0d || b[end - 1] === 0x20)
  )
    end--;
  return b.subarray(0, end);
}

/** Why the file looks cut short (missing end marker), or null when its end looks whole. */
export function truncationReason(bytes: Uint8Array, type: ImageType): string | null {
  const b = trimTrailingPadding(bytes);
  const n = b.length;
  switch (type) {
    case 'image/jpeg':
      return b[n - 2] === 0xff && b[n - 1] === 0xd9
        ? null
        : 'truncated or corrupt JPEG: no end-of-image marker (FFD9)';
    case 'image/png':
      return startsWith(b, ascii('IEND'), n - 8) ? null : 'truncated or corrupt PNG: no IEND chunk';
    case 'image/gif':
      return b[n - 1] === 0x3b ? null : 'truncated or corrupt GIF: no trailer byte';
    case 'image/webp': {
      const riffBytes = le16(bytes, 4) + le16(bytes, 6) * 65536 + 8;
      return bytes.length >= riffBytes
        ? null
        : `truncated WebP: ${bytes.length} of ${riffBytes} bytes`;
    }
  }
}

const fmtInt = (n: number): string => n.toLocaleString('en-US');
const fmtMb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Every check short of decoding, cheapest first; the reason is meant for the person who dropped the file. */
export function checkPosterHeader(
  name: string,
  bytes: Uint8Array,
):
  | { ok: true; type: ImageType; width: number; height: number; id: PosterId }
  | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > POSTER_LIMITS.maxBytes) {
    return {
      ok: false,
      reason: `file too big: ${fmtMb(bytes.length)} (limit ${fmtMb(POSTER_LIMITS.maxBytes)})`,
    };
  }
  const type = sniffImageType(bytes);
  if (type === null) {
    const { image, what } = describeNonImage(bytes);
    return {
      ok: false,
      reason: image
        ? `unsupported image type ${what} (use JPEG, PNG, WebP or GIF)`
        : `not an image (looks like ${what})`,
    };
  }
  const size = readImageSize(bytes);
  if (size === null)
    return {
      ok: false,
      reason: `truncated or corrupt ${type.slice(6).toUpperCase()}: no image size in the header`,
    };
  const { width, height } = size;
  if (width * height > POSTER_LIMITS.maxPixels) {
    return {
      ok: false,
      reason: `too large: ${width}×${height} px (limit ${fmtInt(POSTER_LIMITS.maxPixels)} px)`,
    };
  }
  if (Math.min(width, height) < POSTER_LIMITS.minSide) {
    return {
      ok: false,
      reason: `too small: ${width}×${height} px (at least ${POSTER_LIMITS.minSide} px a side)`,
    };
  }
  const cut = truncationReason(bytes, type);
  if (cut !== null) return { ok: false, reason: cut };
  const id = posterIdFromFileName(name);
  if (id === null)
    return {
      ok: false,
      reason: 'file name has no TMDb or IMDb id (expected e.g. 10003.jpg or tt0089869.jpg)',
    };
  return { ok: true, type, width, height, id };
}
