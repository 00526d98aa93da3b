import { describe, expect, it } from 'vitest';
import { errorMessage, isAbortError } from './errors.ts';

describe('errorMessage', () => {
  it("gives an Error's message, without its name", () => {
    expect(errorMessage(new RangeError('bad shape'))).toBe('bad shape');
    expect(errorMessage(new DOMException('Cancelled', 'AbortError'))).toBe('Cancelled');
  });
  it('turns anything else thrown into text', () => {
    expect([errorMessage('boom'), errorMessage(42), errorMessage(undefined)]).toEqual([
      'boom',
      '42',
      'undefined',
    ]);
  });
});

describe('isAbortError', () => {
  it('is true only for an AbortError', () => {
    expect(isAbortError(new DOMException('Cancelled', 'AbortError'))).toBe(true);
    expect(isAbortError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
    expect(isAbortError(new DOMException('gone', 'NotFoundError'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
  });
});
