import { describe, expect, it } from 'vitest';
import { StorageFullError, isQuotaError, storageFullError, unavailableError } from './errors.ts';

describe('isQuotaError', () => {
  it('recognises the standard DOMException, the legacy code 22 and the old Firefox name', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
  });
  it('rejects other errors and non-objects', () => {
    expect(isQuotaError(new DOMException('x', 'DataCloneError'))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('storageFullError', () => {
  it('says how much is used of the quota and that nothing was changed', () => {
    const cause = new DOMException('x', 'QuotaExceededError');
    const e = storageFullError(cause, 52_400_000, 60_000_000);
    expect(e).toBeInstanceOf(StorageFullError);
    expect(e.message).toMatch(
      /^Your browser's storage for this site is full: 52 MB used of 60 MB\. Nothing already stored was changed\. Free space by /,
    );
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('StorageFullError');
  });
  it('leaves the figures out when the browser gives none', () => {
    expect(storageFullError(null, null, null).message).toMatch(
      /^Your browser's storage for this site is full\. Nothing/,
    );
  });
});

describe('unavailableError', () => {
  it('tells a newer schema apart from blocked storage', () => {
    expect(unavailableError(new DOMException('x', 'VersionError')).message).toMatch(
      /newer version/,
    );
    expect(unavailableError(new DOMException('x', 'InvalidStateError')).message).toMatch(
      /private browsing/,
    );
  });
});
