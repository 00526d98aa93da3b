/**
 * Predictions as CSV (one row per poster): file, one (calibrated) probability column per label,
 * one 0/1 decision column per label (`<label> predicted`), the predicted labels, error.
 */
import { neutralizeCell } from '../core/csv-cells.ts';
import type { PosterPrediction } from './predictor.ts';

const cell = (v: string) => {
  // Quote when needed; a formula cell (core/csv-cells.ts) gets a leading ' so spreadsheets never run it.
  const safe = neutralizeCell(v);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CSV text; probabilities with 6 decimals (well inside the 1e-4 parity tolerance). */
export function predictionsCsv(
  rows: readonly PosterPrediction[],
  labels: readonly string[],
): string {
  const head = ['file', ...labels, ...labels.map((l) => `${l} predicted`), 'predicted', 'error']
    .map(cell)
    .join(',');
  const lines = rows.map((r) =>
    [
      cell(r.file),
      ...labels.map((_, i) => (r.ok ? r.probabilities[i]!.toFixed(6) : '')),
      ...labels.map((l) => (r.ok ? (r.predicted.includes(l) ? '1' : '0') : '')),
      cell(r.ok ? r.predicted.join('|') : ''),
      cell(r.ok ? '' : r.error),
    ].join(','),
  );
  return [head, ...lines].join('\n') + '\n';
}
