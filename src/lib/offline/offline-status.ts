/** What the offline indicator says. */
export type OfflineStatus = 'unsupported' | 'installing' | 'ready offline' | 'error';

/**
 * Maps the registration's newest worker state to a status. A worker only reaches `activated`
 * after its install event succeeded, and Workbox's install fails unless every precache entry was
 * fetched and stored, so `activated` means the whole app shell is on disk.
 */
export function statusFromWorkerState(state: ServiceWorkerState | undefined): OfflineStatus {
  switch (state) {
    case 'activated':
      return 'ready offline';
    case 'redundant':
      return 'error';
    case undefined:
      return 'unsupported';
    default:
      return 'installing';
  }
}
