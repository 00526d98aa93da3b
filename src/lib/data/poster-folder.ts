/**
 * Walks a folder the browser gave as a directory handle (showDirectoryPicker, or a drop's
 * getAsFileSystemHandle) inside the import worker. Only handles are collected; each file is
 * opened when the importer reaches it, so a folder of 50,000 posters never becomes 50,000 File
 * objects at once, and none of it passes through a main-thread event.
 */
import type { PosterFile } from './import-posters.ts';

/** OS clutter nobody means to import (as for dropped files). */
const isClutter = (name: string) => {
  const n = name.toLowerCase();
  return n === '.ds_store' || n === 'thumbs.db' || n.startsWith('._');
};

type Handle = FileSystemFileHandle | FileSystemDirectoryHandle;
type IterableDir = FileSystemDirectoryHandle & { values(): AsyncIterable<Handle> };

/** Every file under `dir` (depth first), named by its path below the folder, opened lazily. */
export async function listFolderFiles(
  dir: FileSystemDirectoryHandle,
  signal?: AbortSignal,
  prefix = dir.name,
): Promise<PosterFile[]> {
  const out: PosterFile[] = [];
  for await (const entry of (dir as IterableDir).values()) {
    if (signal?.aborted) throw signal.reason;
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'directory') {
      for (const f of await listFolderFiles(entry, signal, path)) out.push(f);
    } else if (!isClutter(entry.name)) {
      const handle = entry;
      out.push({ name: path, open: () => handle.getFile() });
    }
  }
  return out;
}
