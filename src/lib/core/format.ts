/**
 * The studio's one number formatter: counts and years as integers (counts with thousands
 * separators), shares as percentages, other quantities with fixed decimals. No exponent notation
 * for anything a person counts ("1,900", never "1.90e+3").
 */

/** What a number measures, which decides how it is written. */
export type NumberKind = 'count' | 'year' | 'share' | 'real';

/** English grouping everywhere, so tables, tests and exported text read the same on every device. */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Written for a missing value (null, undefined, NaN). */
export const MISSING = '—';

/**
 * Formats `value` as a `kind`: 'count' → "11,300"; 'year' → "1990"; 'share' (0–1) → "42.5%";
 * 'real' → `digits` decimals below 1,000, a grouped integer from 1,000 ("18,420"), and two
 * significant digits for tiny non-zero values ("0.00012").
 */
export function formatNumber(
  value: number | null | undefined,
  kind: NumberKind = 'real',
  digits = 2,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  switch (kind) {
    case 'count':
      return GROUPED.format(Math.round(value));
    case 'year':
      return String(Math.round(value));
    case 'share':
      return `${(100 * value).toFixed(digits === 2 ? 1 : digits)}%`;
    case 'real': {
      const a = Math.abs(value);
      if (a >= 1000) return GROUPED.format(Math.round(value));
      if (a > 0 && a < 10 ** -digits) return String(Number(value.toPrecision(2)));
      return value.toFixed(digits);
    }
  }
}

/** A count: `formatNumber(n, 'count')`. */
export const formatCount = (n: number | null | undefined): string => formatNumber(n, 'count');

/**
 * A progress count: "3 / 21", never "3.075 / 21" (whole items done, rounded down) and no total when
 * it is unknown.
 */
export function formatProgressCount(done: number, total: number | null): string {
  const d = formatCount(Math.floor(done));
  return total === null ? d : `${d} / ${formatCount(total)}`;
}

/** The fields of a task's progress that its one-line description uses. */
export interface JobProgress {
  phase: string;
  done: number;
  total: number | null;
}

/** "training logistic (cross-validation 3 / 21)", or just the name while there is no progress. */
export function formatJob(what: string, p: JobProgress | null | undefined): string {
  return p ? `${what} (${p.phase} ${formatProgressCount(p.done, p.total)})` : what;
}

/**
 * A model's step as one line: its message and its count, the count left out when the message
 * already says it ("label 2/7", never "label 2/7 2/7"); counts are whole ("3/21", not "3.075/21").
 */
export function formatStep(message: string | undefined, done: number, total: number): string {
  const count = `${Math.floor(done)}/${Math.round(total)}`;
  const text = message?.trim() ?? '';
  if (!text) return count;
  return text.includes(count) ? text : `${text} ${count}`;
}
