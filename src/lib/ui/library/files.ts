interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (f: File) => void, err: (e: unknown) => void) => void;
  createReader?: () => {
    readEntries: (ok: (e: EntryLike[]) => void, err: (e: unknown) => void) => void;
  };
}

/** Takes what a drop holds while its event runs (a DataTransfer is emptied once the handler returns). */
export function dropContents(dt: DataTransfer): { entries: EntryLike[]; files: File[] } {
  const entries = [...dt.items]
    .map((item) => (item.kind === 'file' ? (item.webkitGetAsEntry?.() as EntryLike | null) : null))
    .filter((e): e is EntryLike => e !== null);
  return { entries, files: [...dt.files] };
}

/** Collects every File in a drop, descending into dropped folders (readEntries returns batches of ≤100). */
export function filesFromDataTransfer(dt: DataTransfer): Promise<File[]> {
  return filesFromDrop(dropContents(dt));
}

/** Every File of a drop taken by dropContents. */
export async function filesFromDrop({
  entries,
  files,
}: {
  entries: EntryLike[];
  files: File[];
}): Promise<File[]> {
  if (entries.length === 0) return files;
  const out: File[] = [];
  const walk = async (entry: EntryLike): Promise<void> => {
    if (entry.isFile && entry.file) {
      out.push(await new Promise<File>((ok, err) => entry.file!(ok, err)));
    } else if (entry.isDirectory && entry.createReader) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise<EntryLike[]>((ok, err) => reader.readEntries(ok, err));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

type HandleItem = DataTransferItem & {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>;
};

/**
 * The dropped folders as directory handles, when the browser has getAsFileSystemHandle and the
 * drop holds folders only (the import worker then walks them); null otherwise. Call it while the
 * drop event runs.
 */
export function droppedFolderHandles(
  dt: DataTransfer,
): Promise<FileSystemDirectoryHandle[] | null> | null {
  const items = [...dt.items].filter((i) => i.kind === 'file') as HandleItem[];
  if (items.length === 0 || !items.every((i) => typeof i.getAsFileSystemHandle === 'function'))
    return null;
  const pending = items.map((i) => i.getAsFileSystemHandle!());
  return Promise.all(pending).then((hs) =>
    hs.every((h) => h?.kind === 'directory') ? (hs as FileSystemDirectoryHandle[]) : null,
  );
}
