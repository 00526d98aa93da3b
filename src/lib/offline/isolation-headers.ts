/**
 * The coi-serviceworker idea: a static host cannot send COOP/COEP, but a service worker can add
 * them to every response it hands the page. Once the page's navigation response carries them,
 * the page is `crossOriginIsolated`, SharedArrayBuffer exists and tfjs-backend-wasm can use threads.
 */

/**
 * Headers added to every response the service worker serves. CORP is `cross-origin` (not
 * `same-origin` as on the dev server) so that a response the worker re-serves is embeddable by
 * any of our own documents and workers whatever origin it came from; it loosens nothing for
 * other sites, since they never get responses through our worker.
 */
export const SW_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * Returns a copy of `response` carrying the isolation headers, or `response` itself when it
 * cannot be rewritten: opaque responses (status 0: cross-origin no-cors) hide their headers and
 * cannot be rebuilt, and an opaque redirect must reach the browser untouched.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(SW_ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * A request the worker must leave to the browser:
 *  - cross-origin requests (the crawl's TMDb/OMDb/image calls, model downloads): the worker has
 *    nothing to add to them (a CORS response passes COEP without CORP, an opaque one cannot be
 *    changed), and a request it forwards does not pass the page's abort on (Chromium), so a
 *    timed-out crawl request stayed open at the server and held one of the browser's 6
 *    connections to that host;
 *  - `only-if-cached` fetches that are not same-origin: they throw (a Chromium devtools quirk
 *    coi-serviceworker also skips).
 */
export function mustBypass(
  request: Pick<Request, 'cache' | 'mode'> & { url?: string },
  origin: string | undefined = (globalThis as { location?: { origin?: string } }).location?.origin,
): boolean {
  if (request.url && origin && new URL(request.url, origin).origin !== origin) return true;
  return request.cache === 'only-if-cached' && request.mode !== 'same-origin';
}
