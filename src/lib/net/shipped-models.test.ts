import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_BACKBONES } from './model-hosts.ts';

const PUBLIC_MODELS = resolve(import.meta.dirname, '../../../public/models');

describe('shipped backbones', () => {
  it.each(Object.entries(SHIPPED_BACKBONES))(
    '%s: the folder in public/models matches its table entry (size, dtype, files)',
    (_, s) => {
      const dir = join(PUBLIC_MODELS, s!.folder);
      const files = readdirSync(dir).sort();
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        weightsManifest: { paths: string[]; weights: { quantization?: { dtype: string } }[] }[];
      };
      const shards = json.weightsManifest.flatMap((g) => g.paths);
      expect(files).toEqual(['model.json', ...shards].sort());
      expect(files.reduce((n, f) => n + statSync(join(dir, f)).size, 0)).toBe(s!.sizeBytes);
      const dtypes = json.weightsManifest.flatMap((g) =>
        g.weights.map((w) => w.quantization?.dtype ?? 'float32'),
      );
      if (s!.dtype === 'float16') expect(new Set(dtypes)).toEqual(new Set(['float16']));
      if (s!.dtype === 'float32') expect(new Set(dtypes)).toEqual(new Set(['float32']));
    },
  );

  it('is named in NOTICE with its licence', () => {
    const notice = readFileSync(resolve(PUBLIC_MODELS, '../../NOTICE'), 'utf8');
    for (const s of Object.values(SHIPPED_BACKBONES))
      expect(notice).toContain(`public/models/${s!.folder}/`);
  });
});
