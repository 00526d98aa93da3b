import { describe, expect, it } from 'vitest';
import { isMissing, parseListCell } from './lists.ts';

describe('parseListCell', () => {
  it('reads JSON number lists (genre_ids)', () => {
    expect(parseListCell('[18, 53]')).toEqual(['18', '53']);
    expect(parseListCell('[28,53,878]')).toEqual(['28', '53', '878']);
  });

  it('reads JSON lists of {id, name} objects as their names (tmdb-5000)', () => {
    expect(
      parseListCell('[{"id": 28, "name": "Action"}, {"id": 878, "name": "Science Fiction"}]'),
    ).toEqual(['Action', 'Science Fiction']);
  });

  it('reads JSON string lists', () => {
    expect(parseListCell('["a, b", "c"]')).toEqual(['a, b', 'c']);
  });

  it('reads Python repr lists with u-prefixes and mixed quotes (cs109b lead actors)', () => {
    expect(parseListCell(`[u'Amy Adams', u'Jeremy Renner']`)).toEqual([
      'Amy Adams',
      'Jeremy Renner',
    ]);
    expect(parseListCell(`[u"Dylan O'Brien", u'Ki Hong Lee']`)).toEqual([
      "Dylan O'Brien",
      'Ki Hong Lee',
    ]);
  });

  it('reads Python escapes and commas inside quoted items', () => {
    expect(parseListCell(`['It\\'s', 'a, b', "say \\"hi\\""]`)).toEqual([
      "It's",
      'a, b',
      'say "hi"',
    ]);
  });

  it('reads Python lists of bare numbers', () => {
    expect(parseListCell('[18, 53]')).toEqual(['18', '53']);
    expect(parseListCell("[18, 'x']")).toEqual(['18', 'x']);
  });

  it('splits pipes (IMDb genres, plot_keywords) before commas', () => {
    expect(parseListCell('Action|Adventure|Sci-Fi')).toEqual(['Action', 'Adventure', 'Sci-Fi']);
    expect(parseListCell('marriage ceremony|a, b')).toEqual(['marriage ceremony', 'a, b']);
  });

  it('splits plain commas (the paper keywords)', () => {
    expect(parseListCell('dystopia,hologram, evidence')).toEqual([
      'dystopia',
      'hologram',
      'evidence',
    ]);
  });

  it('reads a single plain item', () => {
    expect(parseListCell('Drama')).toEqual(['Drama']);
  });

  it('gives [] for missing values and empty lists', () => {
    for (const cell of [undefined, '', '  ', 'nan', 'NaN', 'None', 'null', '[]', '[ ]']) {
      expect(parseListCell(cell), String(cell)).toEqual([]);
    }
  });

  it('drops empty items', () => {
    expect(parseListCell('a||b|')).toEqual(['a', 'b']);
  });
});

describe('isMissing', () => {
  it('treats pandas/Python/SQL blanks as missing but not zero', () => {
    expect(['', 'nan', 'NaN', 'None', 'null'].every((c) => isMissing(c))).toBe(true);
    expect(isMissing('0')).toBe(false);
    expect(isMissing('Nancy')).toBe(false);
  });
});
