import { formatHash, parseHash, type PanelId, type Route } from './routes.ts';

/** The current route, kept in sync with location.hash (so panels are linkable and Back works). */
class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => (this.route = parseHash(location.hash)));
    }
  }

  /** Navigates to a panel (and optional sub-path), pushing a history entry. */
  go(panel: PanelId, ...rest: string[]): void {
    const hash = formatHash({ panel, rest });
    if (location.hash !== hash) location.hash = hash;
    else this.route = parseHash(hash);
  }
}

export const router = new Router();
