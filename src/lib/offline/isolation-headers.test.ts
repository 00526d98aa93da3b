import { describe, expect, it } from 'vitest';
import { SW_ISOLATION_HEADERS, mustBypass, withIsolationHeaders } from './isolation-headers.ts';

describe('withIsolationHeaders', () => {
  it('adds COOP same-origin, COEP require-corp and CORP cross-origin', () => {
    const out = withIsolationHeaders(
      new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } }),
    );
    expect(out.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(out.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(out.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(Object.keys(SW_ISOLATION_HEADERS)).toHaveLength(3);
  });

  it('keeps status, status text, other headers and the body', async () => {
    const body = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // a wasm magic + version header
    const input = new Response(body, {
      status: 206,
      statusText: 'Partial Content',
      headers: { 'Content-Type': 'application/wasm', 'Content-Range': 'bytes 0-7/8' },
    });
    const out = withIsolationHeaders(input);
    expect(out).not.toBe(input);
    expect(out.status).toBe(206);
    expect(out.statusText).toBe('Partial Content');
    expect(out.headers.get('Content-Type')).toBe('application/wasm');
    expect(out.headers.get('Content-Range')).toBe('bytes 0-7/8');
    expect(new Uint8Array(await out.arrayBuffer())).toEqual(body);
  });

  it('overrides a weaker policy the host already sent', () => {
    const out = withIsolationHeaders(
      new Response('x', {
        headers: {
          'Cross-Origin-Embedder-Policy': 'unsafe-none',
          'Cross-Origin-Resource-Policy': 'same-site',
        },
      }),
    );
    expect(out.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(out.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
  });

  it('keeps a bodiless 304 valid', () => {
    const out = withIsolationHeaders(new Response(null, { status: 304 }));
    expect(out.status).toBe(304);
    expect(out.body).toBeNull();
    expect(out.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('returns a status-0 response untouched (opaque responses cannot be rebuilt)', () => {
    const failed = Response.error(); // status 0, like an opaque no-cors response
    expect(withIsolationHeaders(failed)).toBe(failed);
  });

  it('returns an opaque redirect untouched', () => {
    const fake = {
      status: 0,
      type: 'opaqueredirect',
      headers: new Headers(),
    } as unknown as Response;
    expect(withIsolationHeaders(fake)).toBe(fake);
  });
});

describe('mustBypass', () => {
  it('skips only-if-cached requests that are not same-origin', () => {
    expect(mustBypass({ cache: 'only-if-cached', mode: 'no-cors' })).toBe(true);
    expect(mustBypass({ cache: 'only-if-cached', mode: 'cors' })).toBe(true);
  });

  it('handles same-origin only-if-cached and every normal request', () => {
    expect(mustBypass({ cache: 'only-if-cached', mode: 'same-origin' })).toBe(false);
    expect(mustBypass({ cache: 'default', mode: 'navigate' })).toBe(false);
    expect(mustBypass({ cache: 'no-store', mode: 'no-cors' })).toBe(false);
  });

  it('leaves cross-origin requests (API, images, models) to the browser, so aborts reach the network', () => {
    const origin = 'https://studio.example';
    const api = {
      cache: 'no-store',
      mode: 'cors',
      url: 'https://api.themoviedb.org/3/movie/1',
    } as const;
    expect(mustBypass(api, origin)).toBe(true);
    expect(mustBypass({ ...api, url: 'http://127.0.0.1:5000/t/p/w185/1.jpg' }, origin)).toBe(true);
    expect(mustBypass({ ...api, url: `${origin}/assets/app.js` }, origin)).toBe(false);
    expect(mustBypass({ ...api, url: '/index.html' }, origin)).toBe(false);
  });
});
