/** Predictions as CSV (one row per poster): file, one probability column per label, predicted labels, error. */
import type { PosterPrediction } from './predictor.ts';

const cell = (v: string) => {
  // Quote when needed; a leading = + - @ is prefixed with ' so spreadsheets never run it as a formula.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CSV text; probabilities with 6 decimals (well inside the 1e-4 parity tolerance). */
export function predictionsCsv(
  rows: readonly PosterPrediction[],
  labels: readonly string[],
): string {
  const head = ['file', ...labels, 'predicted', 'error'].map(cell).join(',');
  const lines = rows.map((r) =>
    [
      cell(r.file),
      ...labels.map((_, i) => (r.ok ? r.probabilities[i]!.toFixed(6) : '')),
      cell(r.ok ? r.predicted.join('|') : ''),
      cell(r.ok ? '' : r.error),
    ].join(','),
  );
  return [head, ...lines].join('\n') + '\n';
}
