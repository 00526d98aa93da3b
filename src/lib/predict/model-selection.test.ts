import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import type { LabelMatrix } from '../metrics/index.ts';
import { crossValidateCandidates } from './decision-rule.ts';
import { selectModel, type Scorer } from './model-selection.ts';

/** 60 rows, 3 labels; rows 0–44 train, 45–59 held out. A "model" scores a row by its labels + noise. */
function setup() {
  const cols = 3;
  const rows = 60;
  const data = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    data[r * cols + (r % 3)] = 1;
    if (r % 4 === 0) data[r * cols + ((r + 1) % 3)] = 1;
  }
  const labels: LabelMatrix = { rows, cols, data };
  const train = Array.from({ length: 45 }, (_, i) => i);
  const test = Array.from({ length: 15 }, (_, i) => 45 + i);
  return { labels, train, test, cols };
}

describe('selectModel', () => {
  it('never fits, scores or chooses a rule on a held-out row before every choice is made', async () => {
    const { labels, train, test, cols } = setup();
    const heldOut = new Set(test);
    const events: string[] = [];
    const fit = async (fs: string, rows: readonly number[]): Promise<Scorer> => {
      const leaked = rows.filter((r) => heldOut.has(r));
      events.push(`fit ${fs} ${rows.length}${leaked.length ? ' LEAK' : ''}`);
      return {
        score: async (rs) => {
          events.push(`score ${fs} ${rs.some((r) => heldOut.has(r)) ? 'held-out' : 'train'}`);
          // 'good' separates the labels; 'weak' adds noise as large as the signal
          const noise = fs === 'good' ? 0 : 0.5;
          return Float32Array.from(
            rs.flatMap((r) => {
              const rnd = mulberry32(r + 1);
              return Array.from(
                { length: cols },
                (_, c) => 0.2 + 0.3 * labels.data[r * cols + c]! + noise * rnd(),
              );
            }),
          );
        },
        dispose: () => {},
      };
    };
    const cvRows: number[] = [];
    const spy: typeof crossValidateCandidates = (oof, y, o, c) => {
      cvRows.push(y.rows);
      expect(oof.length).toBe(train.length * cols);
      events.push('choose rule');
      return crossValidateCandidates(oof, y, o, c);
    };
    const sel = await selectModel({
      labels,
      keys: Array.from({ length: 60 }, (_, i) => `m${i}`),
      train,
      test,
      featureSets: ['weak', 'good'],
      fit,
      folds: 3,
      seed: 1,
      crossValidate: spy,
    });
    expect(events.filter((e) => e.includes('LEAK'))).toEqual([]);
    expect(cvRows).toEqual([45, 45]);
    // the held-out rows are scored exactly once, by the final fit on all training rows, last
    const heldOutAt = events.findIndex((e) => e.endsWith('held-out'));
    expect(heldOutAt).toBe(events.length - 1);
    expect(events.filter((e) => e.endsWith('held-out'))).toHaveLength(1);
    expect(events[heldOutAt - 1]).toBe('fit good 45');
    expect(events.slice(0, heldOutAt - 1).filter((e) => e.startsWith('fit'))).toHaveLength(6);
    expect(sel.chosen.featureSet).toBe('good');
    expect(sel.test.microF1).toBe(1);
  });
});
