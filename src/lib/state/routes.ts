/** The studio's panels, in tab order. */
export const PANELS = [
  {
    id: 'library',
    title: 'Library',
    blurb: 'Import movies and posters, browse them.',
  },
  {
    id: 'explore',
    title: 'Explore',
    blurb: 'Genre correlations, groups, features, sampling.',
  },
  {
    id: 'train',
    title: 'Train',
    blurb: 'Compose experiments and run them in a worker.',
  },
  {
    id: 'compare',
    title: 'Compare',
    blurb: 'All runs side by side, like the paper’s tables.',
  },
  {
    id: 'predict',
    title: 'Predict',
    blurb: 'Drop a poster, get genre probabilities.',
  },
  {
    id: 'style',
    title: 'Style',
    blurb: 'Transfer the style of one poster onto another.',
  },
  { id: 'settings', title: 'Settings', blurb: 'Compute backend, storage, keys.' },
] as const;

export type PanelId = (typeof PANELS)[number]['id'];

/** A parsed location: the panel and the rest of the hash path (e.g. a movie id). */
export interface Route {
  panel: PanelId;
  rest: string[];
}

const DEFAULT_PANEL: PanelId = 'library';

/** Parses `#/library/movie/42` into `{ panel: 'library', rest: ['movie', '42'] }`; unknown panels fall back to Library. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, ...rest] = parts;
  const panel = PANELS.find((p) => p.id === head)?.id ?? DEFAULT_PANEL;
  return { panel, rest: panel === head ? rest : [] };
}

/** Formats a route back into a hash, the inverse of parseHash. */
export function formatHash(route: Route): string {
  return '#/' + [route.panel, ...route.rest].map(encodeURIComponent).join('/');
}
