import { RELOAD_FLAG_KEY, decideIsolationReload } from './reload-decision.ts';
import { statusFromWorkerState, type OfflineStatus } from './offline-status.ts';
import { errorMessage } from '../core/errors.ts';

/** The outcome of registerServiceWorker. */
export interface RegistrationResult {
  state: 'unsupported' | 'registered' | 'error';
  message?: string;
}

/** The service worker URL: sw.js at the site root (respecting Vite's `base`). */
export const SW_URL = `${import.meta.env.BASE_URL}sw.js`;

function supported(): string | null {
  // The dev server sends COOP/COEP itself and has no sw.js; a worker there would cache stale modules.
  if (import.meta.env.DEV) return 'service worker disabled in dev';
  if (!('serviceWorker' in navigator)) return 'this browser has no service workers';
  if (!isSecureContext) return 'service workers need https or localhost';
  return null;
}

function readReloadFlag(): boolean {
  try {
    return sessionStorage.getItem(RELOAD_FLAG_KEY) !== null;
  } catch {
    return true; // no storage: we could not remember a reload, so never reload (no loop risk)
  }
}

/** Reloads at most once (per tab session) so that a page the worker now controls becomes isolated. */
function ensureIsolation(): void {
  const decide = (): void => {
    const decision = decideIsolationReload({
      isolated: globalThis.crossOriginIsolated === true,
      controlled: navigator.serviceWorker.controller !== null,
      alreadyReloaded: readReloadFlag(),
    });
    if (decision === 'done') {
      try {
        sessionStorage.removeItem(RELOAD_FLAG_KEY);
      } catch {
        /* nothing to clear */
      }
    } else if (decision === 'reload') {
      sessionStorage.setItem(RELOAD_FLAG_KEY, String(Date.now()));
      location.reload();
    } else if (decision === 'wait') {
      navigator.serviceWorker.addEventListener('controllerchange', decide, { once: true });
    } else {
      console.warn(
        'Marquee: still not cross-origin isolated after one reload; wasm runs single-threaded.',
      );
    }
  };
  decide();
}

/**
 * Registers the offline / cross-origin-isolation service worker (production builds only) and,
 * on a first visit, reloads once when it takes control so the page becomes crossOriginIsolated.
 */
export async function registerServiceWorker(): Promise<RegistrationResult> {
  const why = supported();
  if (why) return { state: 'unsupported', message: why };
  try {
    await navigator.serviceWorker.register(SW_URL, {
      scope: import.meta.env.BASE_URL,
      type: 'classic', // sw.js is built as an IIFE (see scripts/pwa-plugin.ts)
    });
    ensureIsolation();
    return { state: 'registered' };
  } catch (err) {
    return { state: 'error', message: errorMessage(err) };
  }
}

/**
 * Resolves once the offline state is settled: 'ready offline' when the worker is activated (its
 * precache complete), 'error' if it became redundant, 'unsupported' without service workers or
 * when nothing is registered (so call it after registerServiceWorker has resolved).
 */
export async function offlineStatus(): Promise<OfflineStatus> {
  if (supported()) return 'unsupported';
  const registration = await navigator.serviceWorker.getRegistration(import.meta.env.BASE_URL);
  // An activated worker already serves offline, even while an update installs beside it.
  if (registration?.active?.state === 'activated') return 'ready offline';
  const worker = registration?.installing ?? registration?.waiting ?? registration?.active;
  if (!worker) return 'unsupported';
  const settled = (): OfflineStatus | null => {
    const status = statusFromWorkerState(worker.state);
    return status === 'installing' ? null : status;
  };
  return (
    settled() ??
    new Promise<OfflineStatus>((resolve) => {
      const onChange = (): void => {
        const status = settled();
        if (!status) return;
        worker.removeEventListener('statechange', onChange);
        resolve(status);
      };
      worker.addEventListener('statechange', onChange);
    })
  );
}
