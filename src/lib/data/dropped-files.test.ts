import { describe, expect, it } from 'vitest';
import { splitDroppedFiles } from './dropped-files.ts';

const file = (name: string, type = '') => new File(['x'], name, { type });

describe('splitDroppedFiles', () => {
  it('sorts CSVs (by extension or type), images and OS clutter apart, keeping order', () => {
    const got = splitDroppedFiles([
      file('movies.CSV'),
      file('27205.jpg'),
      file('.DS_Store'),
      file('export', 'text/csv'),
      file('list.tsv'),
      file('._27205.jpg'),
      file('Thumbs.db'),
      file('notes.txt'),
    ]);
    expect(got.csvs.map((f) => f.name)).toEqual(['movies.CSV', 'export', 'list.tsv']);
    // Anything not a CSV goes to the poster importer, which explains each rejection itself.
    expect(got.images.map((f) => f.name)).toEqual(['27205.jpg', 'notes.txt']);
    expect(got.ignored).toEqual(['.DS_Store', '._27205.jpg', 'Thumbs.db']);
  });
});
