/**
 * List cells in the syntaxes real movie CSVs use: JSON (`[18, 53]`, `["a"]`,
 * `[{"id": 1, "name": "x"}]`), Python repr (`[u'a', u"b'c"]`), pipes (`a|b`) and plain commas
 * (`a,b`, the paper's keywords).
 */

/** Cell values that mean "no value" in the exports we see (pandas, Python, SQL dumps). */
export const MISSING_VALUES: ReadonlySet<string> = new Set([
  '',
  'nan',
  'NaN',
  'None',
  'null',
  'NULL',
  'NA',
  'N/A',
]);

/** True when a cell holds no value. */
export function isMissing(cell: string | undefined): cell is undefined {
  return cell === undefined || MISSING_VALUES.has(cell.trim());
}

/** Parses a list cell into trimmed, non-empty strings; missing cells and `[]` give []. */
export function parseListCell(cell: string | undefined): string[] {
  if (isMissing(cell)) return [];
  const s = cell.trim();
  const items = s.startsWith('[') && s.endsWith(']') ? parseBracketed(s) : splitPlain(s);
  return items.map((x) => x.trim()).filter((x) => x !== '' && !MISSING_VALUES.has(x));
}

function splitPlain(s: string): string[] {
  return s.includes('|') ? s.split('|') : s.split(',');
}

function parseBracketed(s: string): string[] {
  try {
    const parsed: unknown = JSON.parse(s);
    if (Array.isArray(parsed)) return parsed.map(jsonItemToString);
  } catch {
    // Not JSON: Python repr (single quotes, u-prefixes) is read below.
  }
  return parsePythonList(s.slice(1, -1));
}

function jsonItemToString(item: unknown): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (item !== null && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.id === 'number' || typeof o.id === 'string') return String(o.id);
  }
  return '';
}

const PY_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Reads the inside of a Python list repr: quoted strings (with u/b/r prefixes and escapes) or bare tokens. */
function parsePythonList(inner: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    while (i < inner.length && (inner[i] === ',' || inner[i] === ' ')) i++;
    if (i >= inner.length) break;
    const prefix = /^[uUbBrR]{0,2}(?=['"])/.exec(inner.slice(i, i + 3));
    const quote = prefix ? inner[i + prefix[0].length] : undefined;
    if (prefix && quote) {
      const raw = /[rR]/.test(prefix[0]);
      let j = i + prefix[0].length + 1;
      let value = '';
      while (j < inner.length && inner[j] !== quote) {
        const ch = inner[j] ?? '';
        if (ch === '\\' && !raw && j + 1 < inner.length) {
          const next = inner[j + 1] ?? '';
          value += PY_ESCAPES[next] ?? `\\${next}`;
          j += 2;
        } else {
          value += ch;
          j++;
        }
      }
      out.push(value);
      i = j + 1;
    } else {
      const end = inner.indexOf(',', i);
      out.push(inner.slice(i, end === -1 ? inner.length : end));
      i = end === -1 ? inner.length : end + 1;
    }
  }
  return out;
}
