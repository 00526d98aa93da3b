import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fixture from '../../test/fixtures/instant-stylization-reference.json';
import {
  REFERENCE_CONTENT_SIZE,
  REFERENCE_STYLE_SIZE,
  contentPixel,
  referenceBytes,
  referenceImage,
  stylePixel,
} from './instant-reference-inputs.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('instant-reference-inputs', () => {
  it('makes the style image the Arm NN reference script made (same bytes, by hash)', () => {
    expect(fixture.inputs.styleSize).toBe(REFERENCE_STYLE_SIZE);
    expect(sha256(referenceBytes(REFERENCE_STYLE_SIZE, stylePixel))).toBe(
      fixture.inputs.styleBytesSha256,
    );
  });

  it('makes the content image the Arm NN reference script made (same bytes, by hash)', () => {
    expect(fixture.inputs.contentSize).toBe(REFERENCE_CONTENT_SIZE);
    expect(sha256(referenceBytes(REFERENCE_CONTENT_SIZE, contentPixel))).toBe(
      fixture.inputs.contentBytesSha256,
    );
  });

  it('uses the whole 0..255 range, so the hash check is not trivially met', () => {
    for (const [size, pixel] of [
      [REFERENCE_STYLE_SIZE, stylePixel],
      [REFERENCE_CONTENT_SIZE, contentPixel],
    ] as const) {
      const bytes = referenceBytes(size, pixel);
      expect(bytes.reduce((a, b) => Math.min(a, b))).toBeLessThan(8);
      expect(bytes.reduce((a, b) => Math.max(a, b))).toBeGreaterThan(247);
    }
  });

  it('scales bytes to [0, 1] as float32 byte / 255', () => {
    const image = referenceImage(REFERENCE_STYLE_SIZE, stylePixel);
    expect(image).toHaveLength(REFERENCE_STYLE_SIZE * REFERENCE_STYLE_SIZE * 3);
    expect(image[0]).toBe(Math.fround(stylePixel(0, 0, 0) / 255));
    expect(image[3 * 5 + 2]).toBe(Math.fround(stylePixel(5, 0, 2) / 255));
  });
});
