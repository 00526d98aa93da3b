import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { PNG } from 'pngjs';
import encodeWebp, { init as initWebpEncoder } from '@jsquash/webp/encode.js';
import { afterAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../src/test/posters.ts';
import { decodeJpeg } from '../src/lib/vision/decode-node.ts';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'marquee-predict-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run predict reads PNG and WebP posters', () => {
  it(
    'one poster as JPEG, PNG and lossless WebP gets the same row; a cut PNG and a GIF get an error',
    { timeout: 300_000 },
    async () => {
      const jpeg = makeJpeg(120, 180, 5);
      const px = decodeJpeg(jpeg);
      const png = new PNG({ width: px.width, height: px.height });
      png.data = Buffer.from(px.data);
      const pngBytes = PNG.sync.write(png);
      const wasm = createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm');
      await initWebpEncoder(await WebAssembly.compile(readFileSync(wasm)));
      const webp = await encodeWebp(
        { data: new Uint8ClampedArray(px.data), width: px.width, height: px.height } as ImageData,
        { lossless: 1, exact: 1 },
      );
      writeFileSync(join(dir, 'a.jpg'), jpeg);
      writeFileSync(join(dir, 'b.png'), pngBytes);
      writeFileSync(join(dir, 'c.webp'), new Uint8Array(webp));
      writeFileSync(join(dir, 'd-cut.png'), pngBytes.subarray(0, pngBytes.length - 30));
      // A whole 16×16 GIF is still refused by name: the CLI decodes JPEG, PNG and WebP.
      const gif = Uint8Array.from([
        ...Buffer.from('GIF89a'),
        ...[16, 0, 16, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255],
        ...[0x2c, 0, 0, 0, 0, 16, 0, 16, 0, 0, 2, 2, 0x4c, 1, 0, 0x3b],
      ]);
      writeFileSync(join(dir, 'e.gif'), gif);
      const out = join(dir, 'predictions.csv');

      await run('node', ['--import', 'tsx', 'scripts/predict.ts', '--posters', dir, '--out', out], {
        cwd: ROOT,
      });

      const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      const byFile = new Map(rows.map((r) => [r.file, r]));
      const probs = (f: string) =>
        Object.entries(byFile.get(f)!)
          .filter(([k]) => k !== 'file' && k !== 'error' && k !== 'predicted')
          .map(([, v]) => v);
      expect(byFile.get('a.jpg')!.error).toBe('');
      expect(probs('a.jpg').every((v) => v !== '')).toBe(true);
      expect(probs('b.png')).toEqual(probs('a.jpg'));
      expect(probs('c.webp')).toEqual(probs('a.jpg'));
      expect(byFile.get('b.png')!.error).toBe('');
      expect(byFile.get('c.webp')!.error).toBe('');
      expect(byFile.get('d-cut.png')!.error).toMatch(/truncated or corrupt PNG/);
      expect(byFile.get('e.gif')!.error).toMatch(/GIF/);
    },
  );
});
