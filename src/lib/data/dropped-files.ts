/** Sorts dropped files into movie CSVs, poster images and the rest (reported, not silently dropped). */
export function splitDroppedFiles(files: File[]): {
  csvs: File[];
  images: File[];
  ignored: string[];
} {
  const csvs: File[] = [];
  const images: File[] = [];
  const ignored: string[] = [];
  for (const f of files) {
    const name = f.name.toLowerCase();
    if (name.endsWith('.csv') || name.endsWith('.tsv') || f.type === 'text/csv') csvs.push(f);
    // Anything else goes to the poster importer, which sniffs the bytes and explains each rejection —
    // except obvious OS clutter, which nobody meant to import.
    else if (name === '.ds_store' || name === 'thumbs.db' || name.startsWith('._'))
      ignored.push(f.name);
    else images.push(f);
  }
  return { csvs, images, ignored };
}
