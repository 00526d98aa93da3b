/** Where a streamed export writes: a file the user picked, or a Blob built from chunks. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Drops what was written (a cancelled export leaves no half file). */
  abort(): Promise<void>;
}

/** Writes through a File System Access writable (showSaveFilePicker's file, or an OPFS file). */
export async function fileHandleSink(handle: FileSystemFileHandle): Promise<ByteSink> {
  const writable = await handle.createWritable();
  return {
    write: (chunk) => writable.write(chunk as Uint8Array<ArrayBuffer>),
    close: () => writable.close(),
    abort: () => writable.abort(),
  };
}

/**
 * Collects chunks into a Blob. Every `flushBytes` the pending chunks become one Blob part, so the
 * browser holds the bytes (and may page them to disk) while this side drops its copies.
 */
export class BlobSink implements ByteSink {
  #parts: Blob[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #blob: Blob | null = null;
  constructor(
    private readonly type = 'application/zip',
    private readonly flushBytes = 8 * 1024 * 1024,
  ) {}

  write(chunk: Uint8Array): Promise<void> {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= this.flushBytes) this.#flush();
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.#flush();
    this.#blob = new Blob(this.#parts, { type: this.type });
    this.#parts = [];
    return Promise.resolve();
  }
  abort(): Promise<void> {
    this.#parts = [];
    this.#pending = [];
    return Promise.resolve();
  }
  /** The finished Blob (after close). */
  get blob(): Blob {
    if (!this.#blob) throw new Error('BlobSink: not closed yet');
    return this.#blob;
  }
  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as Uint8Array<ArrayBuffer>[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
