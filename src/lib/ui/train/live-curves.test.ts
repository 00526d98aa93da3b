import { describe, expect, it } from 'vitest';
import { epochSeries, lastEpochText } from './live-curves.ts';

const e = (run: string, epoch: number, loss: number, valAccuracy = 0.7) => ({
  run,
  epoch,
  loss,
  valLoss: loss + 0.01,
  valAccuracy,
  elapsedMs: 10 * epoch,
});

describe('epochSeries', () => {
  it('makes one series per fit in the order the fits started, epochs in arrival order', () => {
    const s = epochSeries([
      e('grid 1/2', 1, 0.7),
      e('grid 1/2', 2, 0.6),
      e('grid 2/2', 1, 0.8),
      e('final', 1, 0.65),
    ]);
    expect(s.map((x) => x.label)).toEqual(['grid 1/2', 'grid 2/2', 'final']);
    expect(s[0]!.epochs).toEqual([
      { epoch: 1, loss: 0.7, valLoss: 0.71, valAccuracy: 0.7 },
      { epoch: 2, loss: 0.6, valLoss: 0.61, valAccuracy: 0.7 },
    ]);
    expect(epochSeries([])).toEqual([]);
  });
});

describe('lastEpochText', () => {
  it("states the last epoch's figures, and n/a without a validation part (NaN)", () => {
    expect(lastEpochText([e('final', 1, 0.7), e('final', 2, 0.6123, 0.71428)])).toBe(
      'final, epoch 2: loss 0.612, validation loss 0.622, validation accuracy 71.4 %',
    );
    expect(lastEpochText([{ ...e('final', 1, 0.5), valLoss: NaN, valAccuracy: NaN }])).toBe(
      'final, epoch 1: loss 0.500, validation loss n/a, validation accuracy n/a',
    );
    expect(lastEpochText([])).toBe('Waiting for the first epoch…');
  });
});
