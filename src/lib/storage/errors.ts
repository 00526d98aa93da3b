/** Errors the library throws instead of raw IndexedDB DOMExceptions, with messages a person can act on. */

/** The browser refused to store more for this site; the failed transaction was rolled back. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor(
    message: string,
    readonly usageBytes: number | null = null,
    readonly quotaBytes: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** IndexedDB cannot be used here (private browsing, disabled storage, a newer schema elsewhere …). */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/** The connection was closed (by `close()` or because another tab upgraded the database). */
export class LibraryClosedError extends Error {
  override readonly name = 'LibraryClosedError';
}

/** DOMException legacy code of QuotaExceededError. */
const QUOTA_EXCEEDED_CODE = 22;

/** True for a quota error in any of the shapes browsers use (name, or legacy code 22). */
export function isQuotaError(e: unknown): boolean {
  if (e instanceof StorageFullError) return true;
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  // Firefox used NS_ERROR_DOM_QUOTA_REACHED before adopting the standard name.
  return (
    name === 'QuotaExceededError' ||
    name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    code === QUOTA_EXCEEDED_CODE
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
}

/** Builds the StorageFullError for a quota failure, with usage figures when the browser gives them. */
export function storageFullError(
  cause: unknown,
  usageBytes: number | null,
  quotaBytes: number | null,
): StorageFullError {
  const used =
    usageBytes !== null && quotaBytes !== null
      ? `: ${megabytes(usageBytes)} used of ${megabytes(quotaBytes)}`
      : '';
  const message =
    `Your browser's storage for this site is full${used}. Nothing already stored was changed. ` +
    'Free space by deleting old experiment runs, saved models or posters in Marquee, ' +
    'or by clearing other sites’ data in the browser settings, then try again.';
  return new StorageFullError(message, usageBytes, quotaBytes, { cause });
}

/** Wraps a failure to open IndexedDB in a StorageUnavailableError with a plain explanation. */
export function unavailableError(cause: unknown): StorageUnavailableError {
  const name =
    typeof cause === 'object' && cause !== null ? (cause as { name?: unknown }).name : '';
  const message =
    name === 'VersionError'
      ? 'This site’s library was written by a newer version of Marquee (perhaps open in another tab). Reload the page to update.'
      : 'Marquee cannot store data in this browser: IndexedDB is unavailable (private browsing, ' +
        'or site data is blocked in the browser settings). Allow site data for this site, or use a normal window.';
  return new StorageUnavailableError(message, { cause });
}
