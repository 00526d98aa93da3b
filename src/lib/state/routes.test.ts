import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './routes.ts';

describe('routes', () => {
  it('parses a panel and its rest', () => {
    expect(parseHash('#/library/movie/42')).toEqual({ panel: 'library', rest: ['movie', '42'] });
  });
  it('falls back to library on an unknown or empty hash', () => {
    expect(parseHash('#/nope/1')).toEqual({ panel: 'library', rest: [] });
    expect(parseHash('')).toEqual({ panel: 'library', rest: [] });
  });
  it('round-trips through formatHash, escaping odd characters', () => {
    const route = { panel: 'style' as const, rest: ['a b', 'c/d'] };
    expect(parseHash(formatHash(route))).toEqual(route);
  });
});
