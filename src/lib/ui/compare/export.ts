/** The Compare table as CSV (papaparse) and Markdown, for download. Pure. */
import Papa from 'papaparse';
import { UNPARSE_ESCAPE_FORMULAE } from '../../core/csv-cells.ts';
import type { CompareRow } from './table.ts';

/** A table column: its header and how a row's cell reads (a number stays a number for CSV). */
export interface Column {
  header: string;
  cell(r: CompareRow): string | number | null;
}

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

/** The exported columns, in the order the Compare table shows them. Rates are fractions in [0, 1]. */
export const EXPORT_COLUMNS: readonly Column[] = [
  { header: 'name', cell: (r) => r.name },
  { header: 'model', cell: (r) => r.model },
  { header: 'features', cell: (r) => r.features },
  { header: 'sampling', cell: (r) => r.sampling },
  { header: 'hamming_loss', cell: (r) => round(r.hammingLoss, 4) },
  { header: 'exact_match', cell: (r) => round(r.exactMatch, 4) },
  { header: 'at_least_one', cell: (r) => round(r.atLeastOne, 4) },
  { header: 'micro_f1', cell: (r) => round(r.microF1, 4) },
  { header: 'macro_f1', cell: (r) => round(r.macroF1, 4) },
  { header: 'cv_metric', cell: (r) => r.cvMetric },
  { header: 'cv_mean', cell: (r) => round(r.cvMean, 4) },
  { header: 'cv_std', cell: (r) => round(r.cvStd, 4) },
  { header: 'fit_s', cell: (r) => (r.fitMs === null ? null : round(r.fitMs / 1000, 2)) },
  { header: 'backend', cell: (r) => r.backend },
  { header: 'status', cell: (r) => r.status },
];

/** The Table 2 view's columns (poster runs): the paper's Table 2 plus name, epochs, time and backend. */
export const TABLE2_EXPORT_COLUMNS: readonly Column[] = [
  { header: 'name', cell: (r) => r.name },
  { header: 'model', cell: (r) => r.model },
  ...EXPORT_COLUMNS.filter((c) =>
    ['hamming_loss', 'exact_match', 'at_least_one', 'micro_f1', 'macro_f1'].includes(c.header),
  ),
  { header: 'epochs_trained', cell: (r) => r.epochs },
  { header: 'training_s', cell: (r) => (r.fitMs === null ? null : round(r.fitMs / 1000, 2)) },
  { header: 'backend', cell: (r) => r.backend },
  { header: 'status', cell: (r) => r.status },
];

/** The "Ranking & calibration" column set's export (either view). */
export const RANKING_EXPORT_COLUMNS: readonly Column[] = [
  { header: 'name', cell: (r) => r.name },
  { header: 'model', cell: (r) => r.model },
  { header: 'roc_auc_micro', cell: (r) => round(r.microAuc, 4) },
  { header: 'roc_auc_macro', cell: (r) => round(r.macroAuc, 4) },
  { header: 'average_precision_micro', cell: (r) => round(r.microAp, 4) },
  { header: 'average_precision_macro', cell: (r) => round(r.macroAp, 4) },
  { header: 'log_loss', cell: (r) => round(r.logLoss, 4) },
  { header: 'brier', cell: (r) => round(r.brier, 4) },
  { header: 'ece', cell: (r) => round(r.ece, 4) },
  { header: 'lrap', cell: (r) => round(r.lrap, 4) },
  { header: 'coverage_error', cell: (r) => round(r.coverageError, 4) },
  { header: 'label_ranking_loss', cell: (r) => round(r.rankingLoss, 4) },
  { header: 'status', cell: (r) => r.status },
];

/**
 * The rows as CSV with a header line (RFC 4180 quoting by papaparse; CRLF line ends); text cells
 * a spreadsheet would run as formulas are neutralized (core/csv-cells.ts).
 */
export function toCsv(
  rows: readonly CompareRow[],
  columns: readonly Column[] = EXPORT_COLUMNS,
): string {
  return Papa.unparse(
    {
      fields: columns.map((c) => c.header),
      data: rows.map((r) => columns.map((c) => c.cell(r) ?? '')),
    },
    { newline: '\r\n', ...UNPARSE_ESCAPE_FORMULAE },
  );
}

/** Escapes what would break a Markdown table cell: pipes, backslashes and line breaks. */
function markdownCell(v: string | number | null): string {
  if (v === null) return '—';
  return String(v)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

/** The rows as a GitHub-flavoured Markdown table (numbers right-aligned). */
export function toMarkdown(
  rows: readonly CompareRow[],
  columns: readonly Column[] = EXPORT_COLUMNS,
): string {
  const numeric = columns.map((c) => rows.some((r) => typeof c.cell(r) === 'number'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return (
    [
      line(columns.map((c) => c.header)),
      line(numeric.map((n) => (n ? '---:' : '---'))),
      ...rows.map((r) => line(columns.map((c) => markdownCell(c.cell(r))))),
    ].join('\n') + '\n'
  );
}
