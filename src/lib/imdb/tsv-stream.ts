import Papa from 'papaparse';

/** True when the bytes start with the gzip magic number (1f 8b). */
export async function isGzip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** A Blob's text as a stream, gunzipped by the browser's DecompressionStream when it is gzip. */
export async function textStream(blob: Blob): Promise<ReadableStream<string>> {
  const bytes = blob.stream() as ReadableStream<Uint8Array>;
  const raw = (await isGzip(blob))
    ? bytes.pipeThrough(
        new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
      )
    : bytes;
  return raw.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>);
}

export interface TsvStreamOptions {
  signal?: AbortSignal;
  /** Called with bytes of text read so far (for progress). */
  onChunk?: (charsRead: number, rowsRead: number) => void | Promise<void>;
}

/**
 * Streams a TSV (IMDb dump layout: header row, tab-separated, `\N` for missing, no quoting) row by
 * row: each decoded chunk's complete lines go through papaparse, the partial last line waits for
 * the next chunk, so only one chunk of text is held at a time, whatever the file's size.
 * fastMode: IMDb's TSVs do not quote fields, and titles contain bare `"` characters.
 */
export async function streamTsv(
  blob: Blob,
  onHeader: (header: string[]) => void,
  onRow: (row: string[]) => void,
  options: TsvStreamOptions = {},
): Promise<number> {
  const reader = (await textStream(blob)).getReader();
  let carry = '';
  let header: string[] | null = null;
  let rows = 0;
  let chars = 0;
  const parseLines = (text: string) => {
    if (!text) return;
    const parsed = Papa.parse<string[]>(text, {
      delimiter: '\t',
      newline: '\n',
      fastMode: true,
      skipEmptyLines: true,
    });
    for (const r of parsed.data) {
      if (header === null) {
        header = r;
        onHeader(r);
      } else {
        rows += 1;
        onRow(r);
      }
    }
  };
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      chars += value.length;
      const text = carry + value;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        carry = text;
        continue;
      }
      carry = text.slice(cut + 1);
      parseLines(text.slice(0, cut).replace(/\r/g, ''));
      await options.onChunk?.(chars, rows);
    }
    parseLines(carry.replace(/\r/g, ''));
  } finally {
    reader.releaseLock();
  }
  return rows;
}
