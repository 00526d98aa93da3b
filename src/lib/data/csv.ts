/**
 * Movies CSV import: decode, parse in chunks with papaparse, map rows through the detected
 * shape, merge duplicate rows per movie key. Runs in a worker (Blob input) and in Node (string
 * or bytes); yields to the event loop between chunks so a cancel message can arrive.
 */
import Papa from 'papaparse';
import type { Movie } from './types.ts';
import { decodeText } from './encoding.ts';
import { type CsvShape, ID_COLUMNS, detectShape, hasIdColumn, rowToMovie } from './shapes.ts';
import { ProgressTracker, type ProgressFn } from '../workers/progress.ts';
import { yieldToEvents } from '../workers/tasks.ts';

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
}

// 256 Ki characters: ~10 ms of parsing, so a cancel waits at most that long.
const DEFAULT_CHUNK_CHARS = 256 * 1024;

/** Throws the AbortError a cancelled task is expected to reject with. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error && reason.name === 'AbortError' ? reason : new DOMException('Aborted', 'AbortError');
}

async function readText(input: Blob | Uint8Array | string): Promise<{ text: string; encoding: string }> {
  if (typeof input === 'string') return { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-16 (string)' };
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(await input.arrayBuffer());
  return decodeText(bytes);
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
  for (const [k, v] of Object.entries(from)) if (v !== undefined && k !== 'genreIds' && k !== 'keywords') target[k] = v;
  into.genreIds = [...new Set([...into.genreIds, ...from.genreIds])].sort((a, b) => a - b);
  into.keywords = [...new Set([...into.keywords, ...from.keywords])];
}

/** Parses a movies CSV of any supported shape; throws when it has no id column at all. */
export async function parseMoviesCsv(input: Blob | Uint8Array | string, opts: ParseOptions = {}): Promise<ParseResult> {
  throwIfAborted(opts.signal);
  const { text, encoding } = await readText(input);
  const fileName = typeof File !== 'undefined' && input instanceof File ? input.name : undefined;
  const source = opts.source ?? fileName ?? 'csv';
  const now = opts.nowMs ?? (() => Date.now());
  const tracker = new ProgressTracker('Reading CSV', text.length, opts.onProgress ?? (() => {}));
  const { newline, delimiter } = sniffDialect(text);
  const chunk = opts.chunkChars ?? DEFAULT_CHUNK_CHARS;

  const byKey = new Map<string, Movie>();
  const result: ParseResult = { movies: [], rejected: [], duplicates: 0, rows: 0, encoding, shape: 'generic', columns: [] };
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
    if (quoteError) return void result.rejected.push({ row, reason: `broken quoting: ${quoteError.message}` });
    if (fields.length !== keys.length) {
      return void result.rejected.push({ row, reason: `has ${fields.length} fields, expected ${keys.length}` });
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

  let base = 0;
  let end = 0;
  while (base < text.length) {
    throwIfAborted(opts.signal);
    end = Math.min(text.length, Math.max(end, base) + chunk);
    const step = parseWindow(text, base, end, newline, delimiter, onRow);
    tracker.tick(step - base, `${result.rows} rows`);
    base = step;
    if (base < text.length) await yieldToEvents();
  }
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
  newline: string,
  delimiter: string,
  onRow: (fields: string[], errors: Papa.ParseError[]) => void,
): number {
  const final = end >= text.length;
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
  return final ? text.length : res.meta.cursor;
}
