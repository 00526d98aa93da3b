/**
 * When to reload the page so the service worker's isolation headers take effect. COOP/COEP only
 * apply to a document whose navigation response carried them, so on the very first visit the page
 * was loaded from the network without them, and becomes isolated only after a reload that the new
 * worker serves. A sessionStorage flag makes sure we reload at most once per tab session: if a
 * browser ignores headers a worker adds, we give up instead of looping.
 */

/** sessionStorage key set just before the isolation reload. */
export const RELOAD_FLAG_KEY = 'marquee:coi-reload';

/** What the page knows when deciding. */
export interface IsolationState {
  /** `globalThis.crossOriginIsolated` now. */
  isolated: boolean;
  /** A service worker controls this page (navigator.serviceWorker.controller is set). */
  controlled: boolean;
  /** RELOAD_FLAG_KEY was found in sessionStorage (we already reloaded once this session). */
  alreadyReloaded: boolean;
}

/** `reload`: do it now; `wait`: not controlled yet, decide again on controllerchange; `done`: isolated; `give-up`: reloaded once and still not isolated. */
export type ReloadDecision = 'reload' | 'wait' | 'done' | 'give-up';

/** Decides whether this page load should reload itself to become cross-origin isolated. */
export function decideIsolationReload(state: IsolationState): ReloadDecision {
  if (state.isolated) return 'done';
  if (state.alreadyReloaded) return 'give-up';
  return state.controlled ? 'reload' : 'wait';
}
