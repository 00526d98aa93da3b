/**
 * The files of a drop, folders included: a dropped folder (DataTransferItem.webkitGetAsEntry)
 * is walked recursively; plain files (and drops whose items give no entries, such as synthetic
 * DataTransfers) come from dataTransfer.files. Entries must be taken while the drop event runs
 * (the browser empties the DataTransfer afterwards), so call this synchronously in the handler.
 */

/** Starts reading the drop; await the returned promise after the handler's synchronous part. */
export function droppedFiles(dt: DataTransfer | null): Promise<File[]> {
  if (!dt) return Promise.resolve([]);
  const entries = [...dt.items]
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null);
  const plain = [...dt.files];
  if (!entries.some((e) => e?.isDirectory)) return Promise.resolve(plain);
  return Promise.all(entries.map((e) => (e ? readEntry(e) : Promise.resolve([])))).then((l) =>
    l.flat(),
  );
}

async function readEntry(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile)
    return [await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail))];
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries per call (Chromium); repeat until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(readEntry))).flat();
}
