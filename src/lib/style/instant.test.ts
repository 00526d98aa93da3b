import { describe, expect, it } from 'vitest';
import {
  InstantStylizer,
  STYLE_DIM,
  TRANSFER_SIZE,
  blendStyle,
  outputSize,
  squareCrop,
  tileOffsets,
  transferTiled,
  type InstantNets,
} from './instant.ts';
import { keepContentColours, rgbFloatToRgba, rgbaToRgbFloat, type RgbFloat } from './image-ops.ts';
import type { RgbaImage } from './stylize.ts';

/** A smooth test image (gradients), so bilinear resizing round-trips closely. */
function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (255 * x) / width;
      data[i + 1] = (255 * y) / height;
      data[i + 2] = 128;
      data[i + 3] = 255;
    }
  return { width, height, data };
}

/** Fake networks: the vector is the image mean ×100; the transfer returns its input + the vector's first value. */
function fakeNets(): InstantNets & { predicts: number; transfers: number } {
  return {
    predicts: 0,
    transfers: 0,
    predict(image) {
      this.predicts++;
      expect(image.length).toBe(256 * 256 * 3);
      const m = image.reduce((s, v) => s + v, 0) / image.length;
      return new Float32Array(STYLE_DIM).fill(m);
    },
    transfer(content, style) {
      this.transfers++;
      expect(content.length).toBe(TRANSFER_SIZE * TRANSFER_SIZE * 3);
      expect(style.length).toBe(STYLE_DIM);
      return content.slice();
    },
  };
}

describe('instant stylization logic', () => {
  it('plans one centred tile for short sides and overlapping tiles that cover long ones', () => {
    expect(tileOffsets(256)).toEqual([-64]);
    expect(tileOffsets(384)).toEqual([0]);
    expect(tileOffsets(683)).toEqual([0, 299]);
    const t = tileOffsets(1024);
    expect(t).toEqual([0, 320, 640]);
    expect(t.at(-1)! + TRANSFER_SIZE).toBe(1024);
  });

  it('reassembles the image exactly when the network is the identity (tiles and padding line up)', () => {
    const img = rgbaToRgbFloat(gradient(683, 1024));
    const out = transferTiled(fakeNets(), img, new Float32Array(STYLE_DIM));
    let maxErr = 0;
    for (let i = 0; i < img.data.length; i++)
      maxErr = Math.max(maxErr, Math.abs(out.data[i]! - img.data[i]!));
    expect(maxErr).toBeLessThan(1e-5);
    const small = rgbaToRgbFloat(gradient(100, 150));
    const outSmall = transferTiled(fakeNets(), small, new Float32Array(STYLE_DIM));
    expect(Array.from(outSmall.data)).toEqual(Array.from(small.data));
  });

  it('blends the style vectors by strength and clamps it to 0..1', () => {
    const s = new Float32Array([1, 2]);
    const c = new Float32Array([3, 6]);
    expect(Array.from(blendStyle(s, c, 0))).toEqual([3, 6]);
    expect(Array.from(blendStyle(s, c, 1))).toEqual([1, 2]);
    expect(Array.from(blendStyle(s, c, 0.25))).toEqual([2.5, 5]);
    expect(Array.from(blendStyle(s, c, 7))).toEqual([1, 2]);
  });

  it('scales the long side to the output size and keeps the aspect', () => {
    expect(outputSize({ width: 92, height: 138 }, 384)).toEqual({ width: 256, height: 384 });
    expect(outputSize({ width: 3000, height: 2000 }, 4096)).toEqual({ width: 1024, height: 683 });
  });

  it('crops the central square of the short side for the prediction network', () => {
    const sq = squareCrop(gradient(200, 400));
    expect(sq.length).toBe(256 * 256 * 3);
    // Green is y/height: the central square of a 1:2 image spans y 0.25..0.75.
    expect(sq[1]!).toBeCloseTo(0.25, 1);
    expect(sq[(255 * 256 + 0) * 3 + 1]!).toBeCloseTo(0.75, 1);
  });

  it('computes each style vector once per key: a strength change runs only the transfer network', () => {
    const nets = fakeNets();
    const st = new InstantStylizer(nets);
    const req = {
      content: { key: 'c', image: gradient(92, 138) },
      style: { key: 's', image: gradient(64, 64) },
      strength: 0.5,
      keepColours: false,
      size: 384,
    };
    const a = st.stylize(req);
    expect([a.image.width, a.image.height, a.tiles, a.predictRuns]).toEqual([256, 384, 1, 2]);
    const b = st.stylize({ ...req, strength: 0.9 });
    expect(b.predictRuns).toBe(2);
    expect(nets.predicts).toBe(2);
    expect(nets.transfers).toBe(2);
    st.stylize({ ...req, style: { key: 's2', image: gradient(64, 64) } });
    expect(nets.predicts).toBe(3);
  });

  it('keeps the content colours: luma from the stylized image, chroma from the content', () => {
    const content: RgbFloat = { width: 1, height: 1, data: new Float32Array([0.8, 0.2, 0.2]) };
    const grey: RgbFloat = { width: 1, height: 1, data: new Float32Array([0.5, 0.5, 0.5]) };
    const out = keepContentColours(grey, content);
    const luma = (d: Float32Array) => 0.299 * d[0]! + 0.587 * d[1]! + 0.114 * d[2]!;
    expect(luma(out.data)).toBeCloseTo(0.5, 5);
    // Chroma (R−Y, B−Y) is the content's.
    expect(out.data[0]! - luma(out.data)).toBeCloseTo(0.8 - luma(content.data), 5);
    expect(out.data[2]! - luma(out.data)).toBeCloseTo(0.2 - luma(content.data), 5);
    expect(rgbFloatToRgba(out).data[3]).toBe(255);
  });
});
