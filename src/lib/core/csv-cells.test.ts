import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { neutralizeCell, UNPARSE_ESCAPE_FORMULAE } from './csv-cells.ts';

const FORMULAS = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("x")', '=1\n+2'];

describe('neutralizeCell', () => {
  it('prefixes an apostrophe to every cell a spreadsheet would run as a formula', () => {
    expect(FORMULAS.map(neutralizeCell)).toEqual(FORMULAS.map((c) => `'${c}`));
  });

  it('leaves other text alone', () => {
    expect(['fine', '', ' =1', 'a=b', '0.5'].map(neutralizeCell)).toEqual([
      'fine',
      '',
      ' =1',
      'a=b',
      '0.5',
    ]);
  });
});

describe('UNPARSE_ESCAPE_FORMULAE', () => {
  it('makes papaparse neutralize the same cells, multi-line ones too, and leave numbers alone', () => {
    const csv = Papa.unparse([[...FORMULAS, 'fine', -1]], UNPARSE_ESCAPE_FORMULAE);
    const back = Papa.parse<string[]>(csv).data[0];
    expect(back).toEqual([...FORMULAS.map((c) => `'${c}`), 'fine', '-1']);
  });
});
