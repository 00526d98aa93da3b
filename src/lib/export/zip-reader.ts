/**
 * Random-access ZIP reading over a Blob (a File from an input): the central directory is read
 * from the end of the file, then entries are sliced out as needed, so a project of any size is
 * never held whole in memory. fflate's streaming Unzip is not used to read projects because the
 * streaming Zip writes stored entries with data descriptors, whose end a front-to-back reader can
 * only find by scanning for a signature that poster bytes may contain by chance; the central
 * directory gives every size exactly. Reads archives from fflate's zipSync and Zip alike.
 */
import { inflateSync } from 'fflate';
import { crc32 } from './crc32.ts';

/** One file of the archive, as its central directory entry describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

async function bytesOf(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** The archive's directory by file name; throws a clear Error when the file is no (supported) zip. */
export async function readZipDirectory(file: Blob): Promise<Map<string, ZipEntry>> {
  const tailStart = Math.max(0, file.size - EOCD_MIN - MAX_COMMENT);
  const tail = await bytesOf(file, tailStart, file.size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let at = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new Error('Not a zip file: no end-of-directory record');
  const count = view.getUint16(at + 10, true);
  const cdSize = view.getUint32(at + 12, true);
  const cdOffset = view.getUint32(at + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new Error(
      'Not a supported zip file: ZIP64 archives (over 4 GB or 65,535 files) are not read',
    );
  if (cdOffset + cdSize > file.size)
    throw new Error('Not a zip file: the directory lies past its end');
  const cd = await bytesOf(file, cdOffset, cdOffset + cdSize);
  const cdView = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cdView.getUint32(p, true) !== CDH_SIG)
      throw new Error('Not a zip file: its directory is damaged');
    const nameLen = cdView.getUint16(p + 28, true);
    const extraLen = cdView.getUint16(p + 30, true);
    const commentLen = cdView.getUint16(p + 32, true);
    const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLen));
    entries.set(name, {
      name,
      method: cdView.getUint16(p + 10, true),
      crc: cdView.getUint32(p + 16, true),
      compressedSize: cdView.getUint32(p + 20, true),
      size: cdView.getUint32(p + 24, true),
      localOffset: cdView.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Upper bound of a local header's name + extra fields (both are at most 64 KiB). */
const LOCAL_SLACK = 30 + 2 * 0xffff;

/** Largest slice read at once for a batch; entries scattered wider are read one by one. */
const MAX_SPAN = 64 * 1024 * 1024;

/** The data of one entry inside `span` (bytes of the archive read from `spanStart`). */
function dataIn(span: Uint8Array, spanStart: number, e: ZipEntry): Uint8Array {
  const at = e.localOffset - spanStart;
  const view = new DataView(span.buffer, span.byteOffset, span.byteLength);
  if (at < 0 || at + 30 > span.length || view.getUint32(at, true) !== LFH_SIG)
    throw new Error(`Damaged zip: no local header for ${e.name}`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const raw = span.subarray(start, start + e.compressedSize);
  if (raw.length !== e.compressedSize) throw new Error(`Damaged zip: ${e.name} is cut short`);
  let out: Uint8Array;
  if (e.method === 0) out = raw;
  else if (e.method === 8) out = inflateSync(raw, { out: new Uint8Array(e.size) });
  else throw new Error(`Unsupported zip compression method ${e.method} in ${e.name}`);
  if (out.length !== e.size || crc32(out) !== e.crc)
    throw new Error(`Damaged zip: ${e.name} fails its checksum`);
  return out;
}

/**
 * The uncompressed bytes of several entries read with one slice of the file (entries close
 * together, e.g. a batch of posters, cost one read); each is checked against its CRC-32.
 */
export async function readEntries(file: Blob, entries: readonly ZipEntry[]): Promise<Uint8Array[]> {
  if (entries.length === 0) return [];
  let lo = Infinity;
  let hi = 0;
  for (const e of entries) {
    lo = Math.min(lo, e.localOffset);
    hi = Math.max(hi, e.localOffset + LOCAL_SLACK + e.compressedSize);
  }
  if (hi - lo > MAX_SPAN && entries.length > 1) {
    const parts = await Promise.all(entries.map((e) => readEntries(file, [e])));
    return parts.flat();
  }
  const span = await bytesOf(file, lo, Math.min(hi, file.size));
  // Each result is copied out of the span so that one kept entry does not pin the whole span.
  return entries.map((e) => dataIn(span, lo, e).slice());
}
