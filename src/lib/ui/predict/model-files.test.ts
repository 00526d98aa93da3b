import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFilesProblems, type ModelFiles } from '../../predict/session.ts';
import {
  exportFiles,
  filesFromDrop,
  filesToRecord,
  recordToFiles,
  WEIGHTS_FILE,
} from './model-files.ts';

// The shipped model, read in place (public/models/marquee-poster-v1).
const dir = new URL('../../../../public/models/marquee-poster-v1/', import.meta.url);
const read = (f: string) => new Uint8Array(readFileSync(new URL(f, dir)));
const shipped: ModelFiles = {
  modelJson: JSON.parse(new TextDecoder().decode(read('model.json'))) as unknown,
  card: JSON.parse(new TextDecoder().decode(read('card.json'))) as unknown,
  shards: { 'weights.bin': read('weights.bin').slice().buffer },
};

describe('filesToRecord / recordToFiles', () => {
  it('round-trips the shipped model through a library record with identical weights', () => {
    const rec = filesToRecord(shipped, 'm1', 123);
    expect(rec.name).toBe('marquee-poster-v1');
    const back = recordToFiles(structuredClone(rec));
    expect(modelFilesProblems(back)).toEqual([]);
    expect(new Uint8Array(back.shards[WEIGHTS_FILE]!)).toEqual(
      new Uint8Array(shipped.shards['weights.bin']!),
    );
    const specs = (m: unknown) =>
      (m as { weightsManifest: { weights: unknown[] }[] }).weightsManifest[0]!.weights;
    expect(specs(back.modelJson)).toEqual(specs(shipped.modelJson));
  });

  it('joins several shards in manifest order', () => {
    const m = shipped.modelJson as { weightsManifest: { paths: string[]; weights: unknown[] }[] };
    const whole = new Uint8Array(shipped.shards['weights.bin']!);
    const cut = 1000;
    const split: ModelFiles = {
      ...shipped,
      modelJson: {
        ...m,
        weightsManifest: [{ ...m.weightsManifest[0]!, paths: ['a.bin', 'b.bin'] }],
      },
      shards: { 'b.bin': whole.slice(cut).buffer, 'a.bin': whole.slice(0, cut).buffer },
    };
    expect(new Uint8Array(filesToRecord(split, 'm2', 0).artifacts!.weightData)).toEqual(whole);
  });

  it('refuses a record without artifacts', () => {
    expect(() =>
      recordToFiles({ id: 'x', createdAt: 0, name: 'forest', card: {}, artifacts: null }),
    ).toThrow(/no tfjs artifacts/);
  });
});

describe('exportFiles / filesFromDrop', () => {
  it('exports files that import back to a valid model', () => {
    const dropped = exportFiles(shipped);
    expect(dropped.map((f) => f.name)).toEqual(['model.json', 'weights.bin', 'card.json']);
    const r = filesFromDrop(dropped);
    expect(r.ok).toBe(true);
    if (r.ok) expect(modelFilesProblems(r.files)).toEqual([]);
  });

  it('lists a missing card and unreadable JSON', () => {
    const r = filesFromDrop([{ name: 'model.json', bytes: new TextEncoder().encode('{oops') }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(2);
      expect(r.problems[0]).toMatch(/^model.json: not JSON/);
      expect(r.problems[1]).toMatch(/^missing card.json/);
    }
  });

  it('leaves a short weight file to the artifact check, which refuses it', () => {
    const [model, weights, card] = exportFiles(shipped);
    const r = filesFromDrop([
      model!,
      { name: 'weights.bin', bytes: weights!.bytes.subarray(0, 100) },
      card!,
    ]);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(modelFilesProblems(r.files).join('\n')).toMatch(/weight shards hold 100 bytes/);
  });
});
