/** Test helper (Node): the first n posters of ../shared/data/posters-kaggle with PAPER7 labels. */
import { readFileSync } from 'node:fs';
import { parseMoviesCsv } from '../../data/csv.ts';
import { PAPER7, groupLabels } from '../../features/groups.ts';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import { decodeJpeg } from '../../vision/decode-node.ts';
import { preparePoster, type PipelineSpec } from '../../vision/pipeline.ts';
import type { DenseMatrix } from '../types.ts';
import { sharedUrl } from '../../../test/shared.ts';

/** What loadKagglePosters reads, inside the shared folder (for missingShared). */
export const KAGGLE_PATHS = ['data/posters-kaggle/labels.csv', 'data/posters-kaggle/posters'];
export const KAGGLE_DIR = sharedUrl('data/posters-kaggle/');

export async function loadKagglePosters(
  n: number,
  pipeline: PipelineSpec,
): Promise<{ x: DenseMatrix; y: LabelMatrix; keys: string[]; bytes: Uint8Array[] }> {
  const csv = readFileSync(new URL('labels.csv', KAGGLE_DIR), 'utf8');
  const { movies } = await parseMoviesCsv(csv, { source: 'labels.csv' });
  const grouped = groupLabels(movies.slice(0, Math.ceil(n * 1.2)), PAPER7);
  const rows = grouped.kept.slice(0, n);
  const keys = rows.map((r) => movies[r]!.key);
  const bytes = rows.map(
    (r) => new Uint8Array(readFileSync(new URL(`posters/${movies[r]!.imdbId}.jpg`, KAGGLE_DIR))),
  );
  const size = pipeline.height * pipeline.width * (pipeline.color === 'gray' ? 1 : 3);
  const data = new Float32Array(rows.length * size);
  bytes.forEach((b, i) => data.set(preparePoster(decodeJpeg(b), pipeline).data, i * size));
  const cols = grouped.labels.cols;
  const y = { rows: rows.length, cols, data: grouped.labels.data.slice(0, rows.length * cols) };
  return { x: { rows: rows.length, cols: size, data }, y, keys, bytes };
}
