/**
 * CSV cells a spreadsheet would run as a formula (OWASP "CSV injection"): text starting with
 * = + - @, or with a tab or carriage return, which some spreadsheets skip before them.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that would run as a formula gets a leading apostrophe. Numbers are written as
 * numbers and never pass through here, so -0.5 stays a number.
 */
export function neutralizeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Papa.unparse options that neutralize formula cells the same way (papaparse prefixes the
 * apostrophe and quotes the cell; it leaves numbers alone). FORMULA_START rather than `true`:
 * papaparse's own pattern, /^[=+\-@\t\r].*$/, misses a formula cell that spans lines.
 */
export const UNPARSE_ESCAPE_FORMULAE = { escapeFormulae: FORMULA_START } as const;
