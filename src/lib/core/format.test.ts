import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatJob,
  formatNumber,
  formatProgressCount,
  formatStep,
  MISSING,
} from './format.ts';

describe('formatNumber', () => {
  it('writes counts as integers with thousands separators (no exponent)', () => {
    expect(formatNumber(11300, 'count')).toBe('11,300');
    expect(formatNumber(1234567.4, 'count')).toBe('1,234,567');
    expect(formatNumber(7, 'count')).toBe('7');
    expect(formatCount(-2500)).toBe('-2,500');
  });

  it('writes years as integers without separators', () => {
    expect(formatNumber(1990, 'year')).toBe('1990');
    expect(formatNumber(1989.6, 'year')).toBe('1990');
  });

  it('writes shares as percentages', () => {
    expect(formatNumber(0.4251, 'share')).toBe('42.5%');
    expect(formatNumber(1, 'share')).toBe('100.0%');
  });

  it('writes other quantities with fixed decimals, grouped integers from 1,000', () => {
    expect(formatNumber(0.12345)).toBe('0.12');
    expect(formatNumber(0.12345, 'real', 3)).toBe('0.123');
    expect(formatNumber(1900.4)).toBe('1,900');
    expect(formatNumber(18420.7)).toBe('18,421');
    expect(formatNumber(-3.5)).toBe('-3.50');
    expect(formatNumber(0)).toBe('0.00');
  });

  it('keeps two significant digits of tiny values instead of 0.00', () => {
    expect(formatNumber(0.000123)).toBe('0.00012');
  });

  it('never uses exponent notation for what is counted or dated', () => {
    for (const v of [1.9e3, 1.13e4, 5e6, 2.5e9]) {
      for (const kind of ['count', 'year', 'real'] as const) {
        expect(formatNumber(v, kind)).not.toMatch(/e[+-]/);
      }
    }
  });

  it('writes a dash for missing values and ∞ for infinite ones', () => {
    expect(formatNumber(null)).toBe(MISSING);
    expect(formatNumber(undefined, 'count')).toBe(MISSING);
    expect(formatNumber(Number.NaN, 'year')).toBe(MISSING);
    expect(formatNumber(Infinity)).toBe('∞');
  });
});

describe('formatProgressCount', () => {
  it('counts whole items done, rounded down', () => {
    expect(formatProgressCount(3.075, 21)).toBe('3 / 21');
    expect(formatProgressCount(20.99, 21)).toBe('20 / 21');
  });

  it('groups thousands and leaves out an unknown total', () => {
    expect(formatProgressCount(1500, 9720)).toBe('1,500 / 9,720');
    expect(formatProgressCount(12, null)).toBe('12');
  });
});

describe('formatJob', () => {
  it('names the job and its phase with whole counts', () => {
    expect(
      formatJob('training logistic', { phase: 'cross-validation', done: 3.075, total: 21 }),
    ).toBe('training logistic (cross-validation 3 / 21)');
  });

  it('is just the name before any progress', () => {
    expect(formatJob('style transfer', null)).toBe('style transfer');
  });
});

describe('formatStep', () => {
  it('never repeats a count the message already gives', () => {
    expect(formatStep('label 2/7', 2, 7)).toBe('label 2/7');
  });

  it('adds the count to a message without it, as whole numbers', () => {
    expect(formatStep('trees, label 1/7', 150, 700)).toBe('trees, label 1/7 150/700');
    expect(formatStep(undefined, 3.075, 21)).toBe('3/21');
    expect(formatStep('L-BFGS', 12.5, 100)).toBe('L-BFGS 12/100');
  });
});
