import { describe, expect, it } from 'vitest';
import { droppedFiles } from './drop-files.ts';

/** Minimal stand-ins for the entries Chromium gives a dropped folder (readEntries pages by `page`). */
function fileEntry(name: string) {
  return {
    isFile: true,
    isDirectory: false,
    file: (ok: (f: File) => void) => ok(new File([name], name)),
  };
}
function dirEntry(children: unknown[], page = 2) {
  return {
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (e: unknown[]) => void) => {
          ok(children.slice(at, at + page));
          at += page;
        },
      };
    },
  };
}
const transfer = (entries: unknown[], files: File[] = []) =>
  ({
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })),
    files,
  }) as unknown as DataTransfer;

describe('droppedFiles', () => {
  it('walks a dropped folder, nested folders and all pages of readEntries', async () => {
    const dt = transfer([
      dirEntry([
        fileEntry('model.json'),
        fileEntry('weights.bin'),
        dirEntry([fileEntry('card.json')]),
      ]),
    ]);
    const names = (await droppedFiles(dt)).map((f) => f.name).sort();
    expect(names).toEqual(['card.json', 'model.json', 'weights.bin']);
  });

  it('uses dataTransfer.files when no folder was dropped (or items give no entries)', async () => {
    const files = [new File(['x'], 'model.json')];
    expect(await droppedFiles(transfer([null], files))).toEqual(files);
    expect(await droppedFiles(transfer([fileEntry('model.json')], files))).toEqual(files);
    expect(await droppedFiles(null)).toEqual([]);
  });
});
