import { describe, expect, it } from 'vitest';
import { siteBase } from './site-base.ts';

describe('siteBase (MARQUEE_BASE)', () => {
  it('defaults to the root', () => {
    expect(siteBase(undefined)).toBe('/');
    expect(siteBase('')).toBe('/');
    expect(siteBase('/')).toBe('/');
  });

  it('makes any spelling of a sub-path /a/b/', () => {
    expect(siteBase('/marquee/')).toBe('/marquee/');
    expect(siteBase('marquee')).toBe('/marquee/');
    expect(siteBase('/marquee')).toBe('/marquee/');
    expect(siteBase(' studio/v1.2/ ')).toBe('/studio/v1.2/');
  });

  it('refuses what is not a plain path, saying what it expects', () => {
    for (const bad of ['https://example.org/x/', '/a//b/', '/../x/', '/a b/', './', '/x?y/'])
      expect(() => siteBase(bad), bad).toThrow(/MARQUEE_BASE must be a path like \/marquee\//);
  });
});
