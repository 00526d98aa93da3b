export {
  registerServiceWorker,
  offlineStatus,
  SW_URL,
  type RegistrationResult,
} from './register.ts';
export type { OfflineStatus } from './offline-status.ts';
export { SW_ISOLATION_HEADERS, withIsolationHeaders } from './isolation-headers.ts';
export { MODEL_CACHE_NAME } from './model-urls.ts';
