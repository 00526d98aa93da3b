import { describe, expect, it } from 'vitest';
import { carveValidation, mulberry32, shuffleInPlace } from './random.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('carveValidation', () => {
  it('takes the first round(rows × fraction) of one seeded shuffle as validation, the rest as fit', () => {
    const ref = mulberry32(7);
    const order = shuffleInPlace(ref, range(10));
    const rng = mulberry32(7);
    const { fitIdx, valIdx } = carveValidation(rng, 10, 0.2);
    expect(valIdx).toEqual(order.slice(0, 2));
    expect(fitIdx).toEqual(order.slice(2));
    expect([...fitIdx, ...valIdx].sort((a, b) => a - b)).toEqual(range(10));
    expect(rng()).toBe(ref()); // it used the generator for exactly one shuffle
  });

  it('keeps at least one validation row, and none when the fraction is 0 or would take every row', () => {
    expect(carveValidation(mulberry32(1), 3, 0.01).valIdx).toHaveLength(1);
    expect(carveValidation(mulberry32(1), 5, 0)).toMatchObject({ valIdx: [] });
    expect(carveValidation(mulberry32(1), 5, 0).fitIdx).toHaveLength(5);
    expect(carveValidation(mulberry32(1), 1, 0.5)).toEqual({ fitIdx: [0], valIdx: [] });
  });
});
