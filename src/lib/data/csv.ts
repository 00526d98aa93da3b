/**
 * Movies CSV import: decode, parse in chunks with papaparse, map rows through the detected
 * shape, merge duplicate rows per movie key. Runs in a worker (Blob input) and in Node (string
 * or bytes); yields to the event loop between chunks so a cancel message can arrive.
 */
import Papa from 'papaparse';
import type { Movie } from './types.ts';
import { decodeWindows1252, type TextEncodingName } from './encoding.ts';
import { type CsvShape, ID_COLUMNS, detectShape, hasIdColumn, rowToMovie } from './shapes.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import { yieldToEvents } from '../core/yield.ts';

export interface ParseResult {
  movies: Movie[];
  /** Rows refused; `row` is the 1-based data row (the header is not counted). */
  rejected: { row: number; reason: string }[];
  /** Rows merged into an earlier row of the same movie key. */
  duplicates: number;
  /** Data rows read (blank lines not counted). */
  rows: number;
  encoding: string;
  shape: CsvShape;
  columns: string[];
}

export interface ParseOptions {
  /** Stored as Movie.source; defaults to the File's name, else 'csv'. */
  source?: string;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  nowMs?: () => number;
  /** Characters parsed between yields and progress reports. */
  chunkChars?: number;
  /** Bytes read from a Blob at a time (tests make it small to cross many slice boundaries). */
  sliceBytes?: number;
}

// 256 Ki characters: ~10 ms of parsing, so a cancel waits at most that long.
const DEFAULT_CHUNK_CHARS = 256 * 1024;

/** Throws the AbortError a cancelled task is expected to reject with. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error && reason.name === 'AbortError'
    ? reason
    : new DOMException('Aborted', 'AbortError');
}

/** Bytes read per slice of a Blob: big enough to amortise the read, small enough to keep memory flat. */
const SLICE_BYTES = 4 * 1024 * 1024;

type Source = { size: number; slice(start: number, end: number): Promise<Uint8Array> };

function byteSource(input: Blob | Uint8Array): Source {
  if (input instanceof Uint8Array)
    return { size: input.length, slice: async (a, b) => input.subarray(a, b) };
  return {
    size: input.size,
    slice: async (a, b) => new Uint8Array(await input.slice(a, b).arrayBuffer()),
  };
}

/**
 * Tells UTF-8 from Windows-1252 by a strict UTF-8 pass over the whole input, slice by slice
 * (a stray byte may sit anywhere; the pass keeps no text, so memory stays flat).
 */
async function sniffEncoding(
  src: Source,
  sliceBytes: number,
  signal?: AbortSignal,
): Promise<TextEncodingName> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let at = 0; at < src.size; at += sliceBytes) {
      throwIfAborted(signal);
      strict.decode(await src.slice(at, at + sliceBytes), { stream: true });
    }
    strict.decode();
    return 'utf-8';
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    return 'windows-1252';
  }
}

/** The input as text pieces of about SLICE_BYTES, decoded with the sniffed encoding (BOM dropped). */
async function* textPieces(
  input: Blob | Uint8Array | string,
  encoding: string,
  sliceBytes: number,
  onBytes: (n: number) => void,
): AsyncGenerator<string> {
  if (typeof input === 'string') {
    const text = input.replace(/^\uFEFF/, '');
    for (let at = 0; at < text.length; at += sliceBytes) {
      onBytes(Math.min(sliceBytes, text.length - at));
      yield text.slice(at, at + sliceBytes);
    }
    return;
  }
  const src = byteSource(input);
  const utf8 = new TextDecoder('utf-8');
  for (let at = 0; at < src.size; at += sliceBytes) {
    const bytes = await src.slice(at, at + sliceBytes);
    onBytes(bytes.length);
    // Windows-1252 maps byte to character one to one, so slices decode independently.
    let piece =
      encoding === 'utf-8' ? utf8.decode(bytes, { stream: true }) : decodeWindows1252(bytes);
    if (at === 0) piece = piece.replace(/^\uFEFF/, '');
    yield piece;
  }
  if (encoding === 'utf-8') yield utf8.decode();
}

function sniffDialect(text: string): { newline: '\n' | '\r\n' | '\r'; delimiter: string } {
  const nl = text.indexOf('\n');
  const cr = text.indexOf('\r');
  const newline = nl === -1 ? (cr === -1 ? '\n' : '\r') : cr === nl - 1 ? '\r\n' : '\n';
  const firstLine = text.slice(0, nl === -1 ? (cr === -1 ? text.length : cr) : nl);
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const delimiter = [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
  return { newline, delimiter };
}

function mergeMovie(into: Movie, from: Movie): void {
  const target = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(from))
    if (v !== undefined && k !== 'genreIds' && k !== 'keywords') target[k] = v;
  into.genreIds = [...new Set([...into.genreIds, ...from.genreIds])].sort((a, b) => a - b);
  into.keywords = [...new Set([...into.keywords, ...from.keywords])];
}

/** Parses a movies CSV of any supported shape; throws when it has no id column at all. */
export async function parseMoviesCsv(
  input: Blob | Uint8Array | string,
  opts: ParseOptions = {},
): Promise<ParseResult> {
  throwIfAborted(opts.signal);
  const sliceBytes = opts.sliceBytes ?? SLICE_BYTES;
  const encoding =
    typeof input === 'string'
      ? 'utf-16 (string)'
      : await sniffEncoding(byteSource(input), sliceBytes, opts.signal);
  const fileName = typeof File !== 'undefined' && input instanceof File ? input.name : undefined;
  const source = opts.source ?? fileName ?? 'csv';
  const now = opts.nowMs ?? (() => Date.now());
  const totalUnits =
    typeof input === 'string'
      ? input.length
      : input instanceof Uint8Array
        ? input.length
        : input.size;
  const tracker = new ProgressTracker('Reading CSV', totalUnits, opts.onProgress ?? (() => {}));
  const chunk = opts.chunkChars ?? DEFAULT_CHUNK_CHARS;
  let dialect: { newline: '\n' | '\r\n' | '\r'; delimiter: string } | null = null;

  const byKey = new Map<string, Movie>();
  const result: ParseResult = {
    movies: [],
    rejected: [],
    duplicates: 0,
    rows: 0,
    encoding,
    shape: 'generic',
    columns: [],
  };
  let header: string[] | null = null;
  let keys: string[] = [];
  const updatedAt = now();

  const onRow = (fields: string[], errors: Papa.ParseError[]): void => {
    if (header === null) {
      header = fields.map((h) => h.trim());
      keys = header.map((h) => h.toLowerCase());
      result.columns = header;
      result.shape = detectShape(header);
      if (!hasIdColumn(header, result.shape)) {
        throw new Error(
          `Not a movies CSV: no id column. Expected one of ${ID_COLUMNS.join(', ')}; found ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''}.`,
        );
      }
      return;
    }
    if (fields.length === 1 && fields[0]?.trim() === '') return;
    const row = ++result.rows;
    const quoteError = errors.find((e) => e.type === 'Quotes');
    if (quoteError)
      return void result.rejected.push({ row, reason: `broken quoting: ${quoteError.message}` });
    if (fields.length !== keys.length) {
      return void result.rejected.push({
        row,
        reason: `has ${fields.length} fields, expected ${keys.length}`,
      });
    }
    const record: Record<string, string> = {};
    keys.forEach((k, i) => (record[k] = fields[i] ?? ''));
    const movie = rowToMovie(record, result.shape, source, updatedAt);
    if ('error' in movie) return void result.rejected.push({ row, reason: movie.error });
    const seen = byKey.get(movie.key);
    if (seen) {
      mergeMovie(seen, movie);
      result.duplicates++;
    } else byKey.set(movie.key, movie);
  };

  // Streaming: `text` holds only what is not parsed yet (at most a slice plus a partial row).
  let text = '';
  let base = 0;
  let end = 0;
  const drain = async (final: boolean): Promise<void> => {
    if (dialect === null && !final && !/[\r\n]/.test(text)) return; // the header line is not complete yet
    dialect ??= sniffDialect(text);
    while (base < text.length) {
      throwIfAborted(opts.signal);
      end = Math.min(text.length, Math.max(end, base) + chunk);
      if (!final && end >= text.length) break; // the last row may continue in the next slice
      base = parseWindow(
        text,
        base,
        end,
        final && end >= text.length,
        dialect.newline,
        dialect.delimiter,
        onRow,
      );
      tracker.tick(0, `${result.rows} rows`);
      await yieldToEvents();
    }
  };
  for await (const piece of textPieces(input, encoding, sliceBytes, (n) =>
    tracker.tick(n, `${result.rows} rows`),
  )) {
    text = text.slice(base) + piece;
    end = Math.max(0, end - base);
    base = 0;
    await drain(false);
  }
  await drain(true);
  if (header === null) throw new Error('Not a movies CSV: the file is empty.');
  throwIfAborted(opts.signal);
  result.movies = [...byKey.values()];
  tracker.finish(`${result.rows} rows, ${result.movies.length} movies`);
  return result;
}

/**
 * Parses text[base, end) and returns where the next window starts. Rows cut by the window end
 * wait for the next window. After a quoting error (an unterminated or stray quote swallows
 * the lines after it) parsing restarts on the next physical line, so later rows survive.
 */
function parseWindow(
  text: string,
  base: number,
  end: number,
  final: boolean,
  newline: string,
  delimiter: string,
  onRow: (fields: string[], errors: Papa.ParseError[]) => void,
): number {
  let rowStart = base;
  let restartAt = -1;
  const parser: Papa.Parser = new Papa.Parser({
    delimiter,
    newline,
    step: (res: Papa.ParseStepResult<string[]>) => {
      const fields = (res.data as unknown as string[][])[0] ?? [];
      const rowEnd = res.meta.cursor;
      onRow(fields, res.errors);
      if (res.errors.some((e) => e.type === 'Quotes')) {
        const nl = text.indexOf(newline, rowStart);
        restartAt = nl === -1 || nl + newline.length >= rowEnd ? rowEnd : nl + newline.length;
        parser.abort();
        return;
      }
      rowStart = rowEnd;
    },
  } as Papa.ParseConfig);
  const res = parser.parse(text.slice(base, end), base, !final) as Papa.ParseResult<string[]>;
  if (restartAt >= 0) return restartAt;
  return final ? end : res.meta.cursor;
}
