/**
 * The site's base path at build time: `MARQUEE_BASE=/marquee/ npm run build` for a site served
 * under a sub-path (GitHub Pages project sites: /<repo>/). Vite's `base`; the app reaches every
 * asset, model, runtime and its service worker through import.meta.env.BASE_URL.
 */
export function siteBase(value: string | undefined): string {
  const v = (value ?? '').trim();
  if (v === '' || v === '/') return '/';
  if (!/^\/?[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/.test(v) || /(^|\/)\.\.?(\/|$)/.test(v))
    throw new Error(
      `MARQUEE_BASE must be a path like /marquee/ (letters, digits, . _ ~ - between slashes), got ${JSON.stringify(value)}`,
    );
  return `/${v.replace(/^\/|\/$/g, '')}/`;
}
