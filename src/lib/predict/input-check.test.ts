import { describe, expect, it } from 'vitest';
import { checkImageBytes } from './input-check.ts';

const png = (w: number, h: number) => {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
};
const reason = (b: Uint8Array) => {
  const r = checkImageBytes(b);
  return r.ok ? 'ok' : r.reason;
};

describe('checkImageBytes', () => {
  it('refuses a 0-byte file', () => expect(reason(new Uint8Array(0))).toBe('empty file (0 bytes)'));
  it('refuses SVG with a hint', () =>
    expect(
      reason(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>')),
    ).toMatch(/^SVG is not supported/));
  it('refuses text', () =>
    expect(reason(new TextEncoder().encode('hello, world'))).toBe(
      'not an image (looks like text)',
    ));
  it('refuses a 20,000×20,000 image from its header alone', () =>
    expect(reason(png(20000, 20000))).toMatch(/^image too large: 20000×20000 px/));
  it('refuses a truncated JPEG', () => {
    // SOI, then an SOF0 segment announcing 100×150 px, and no end-of-image marker
    const b = new Uint8Array([
      0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 150, 0, 100, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0, 0,
    ]);
    expect(reason(b)).toMatch(/truncated or corrupt JPEG/);
  });
});
