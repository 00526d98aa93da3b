/**
 * The one adapter between the studio and model hosts: every backbone or model file is read
 * through Cache Storage first and kept there after its first download. Cache Storage exists in
 * pages and workers alike and needs no service worker, so the very first visit already fills it
 * (a service worker only sees a worker's fetches once it controls the page). Files the user
 * drops in Settings are stored here too, under the official URL they stand in for, so loading
 * code never needs to know where bytes came from. Without Cache Storage (an insecure origin,
 * Node) it degrades to a plain fetch.
 */
import { MODEL_CACHE_NAME } from '../offline/model-urls.ts';
import {
  backboneOfUrl,
  formatMegabytes,
  MODEL_HOST_TABLE,
  SHIPPED_BACKBONES,
} from './model-hosts.ts';

/** Where a stored file came from: a download, or a file the user gave. */
export type ModelFileSource = 'network' | 'file';

/** One file in the model cache, as the Settings card lists it. */
export interface StoredModelFile {
  url: string;
  sizeBytes: number;
  source: ModelFileSource;
  /** The URL it was downloaded from, or the user's file name. */
  from: string;
  storedAt: string;
}

/** Injected for tests; the real ones by default. */
export interface ModelStoreDeps {
  caches: CacheStorage | null;
  fetch: typeof fetch;
}

const SOURCE = 'x-marquee-source';
const FROM = 'x-marquee-from';
const STORED_AT = 'x-marquee-stored-at';

function realDeps(): ModelStoreDeps {
  return {
    caches: typeof caches === 'undefined' ? null : caches,
    fetch: (input, init) => fetch(input, init),
  };
}

async function openCache(deps: ModelStoreDeps): Promise<Cache | null> {
  try {
    return deps.caches ? await deps.caches.open(MODEL_CACHE_NAME) : null;
  } catch {
    return null; // blocked storage (private modes, opaque origins): fetch without keeping
  }
}

/** A model file is not on this device and could not be downloaded; the message says what to do. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
  constructor(
    readonly url: string,
    readonly host: string,
    /** Why the download failed: no connection, or the host's HTTP status. */
    readonly reason: 'unreachable' | number,
  ) {
    super(unavailableMessage(url, host, reason));
  }
}

/**
 * The plain-language message of ModelUnavailableError: what is missing, and what helps. A file
 * the host does not have (404/410) is not cured by connecting: on the site's own origin it means
 * the site was published without its models/ folder; on an official host, that the file moved.
 */
export function unavailableMessage(
  url: string,
  host: string,
  reason: 'unreachable' | number,
): string {
  const name = backboneOfUrl(url);
  const h = name ? MODEL_HOST_TABLE[name] : null;
  const own = globalThis.location !== undefined && new URL(url).origin === location.origin;
  const shipped = name && own ? SHIPPED_BACKBONES[name] : undefined;
  const drop = 'drop the weight files in Settings → Backbone weights';
  if (reason === 'unreachable')
    return h
      ? `The ${h.label} weights are not on this device yet and ${host} cannot be reached. Connect once to download them (${formatMegabytes(shipped?.sizeBytes ?? h.sizeBytes)}), or ${drop}.`
      : `The model file ${url} is not on this device yet and ${host} cannot be reached. Connect once to download it.`;
  if (reason === 404 || reason === 410) {
    if (own)
      return h
        ? `The ${h.label} weights that ship with this site are missing from it (${url} answered HTTP ${reason}): this copy of the site was published without its models/ folder. Whoever hosts it should publish the whole build, models/ included; meanwhile, ${drop}.`
        : `The model file ${url} is missing from this site (HTTP ${reason}): this copy of the site was published without it. Whoever hosts it should publish the whole build.`;
    return h
      ? `The ${h.label} weights are not on this device yet and ${host} no longer has them (HTTP ${reason} for ${url}). Connecting again will not help: ${drop}.`
      : `The model file ${url} is not on this device yet and ${host} does not have it (HTTP ${reason}).`;
  }
  return h
    ? `The ${h.label} weights are not on this device yet and ${host} answered HTTP ${reason}. Try again later, or ${drop}.`
    : `The model file ${url} is not on this device yet and ${host} answered HTTP ${reason}. Try again later.`;
}

function absolute(url: string): string {
  return new URL(url, globalThis.location?.href).href;
}

/** A copy of `body` carrying where it came from, for the cache. */
function stamped(
  body: BodyInit | null,
  headers: HeadersInit,
  source: ModelFileSource,
  from: string,
) {
  const h = new Headers(headers);
  h.set(SOURCE, source);
  h.set(FROM, from);
  h.set(STORED_AT, new Date().toISOString());
  return new Response(body, { status: 200, headers: h });
}

/**
 * The file at `url`: from the model cache when there, else downloaded and kept (only complete
 * 200 responses). Throws ModelUnavailableError when it is neither cached nor downloadable.
 */
export async function fetchModelFile(
  url: string,
  deps: ModelStoreDeps = realDeps(),
): Promise<Response> {
  const href = absolute(url);
  const cache = await openCache(deps);
  const hit = await cache?.match(href);
  if (hit) return hit;
  const host = new URL(href).host;
  let res: Response;
  try {
    res = await deps.fetch(href, { credentials: 'omit' });
  } catch {
    throw new ModelUnavailableError(href, host, 'unreachable');
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new ModelUnavailableError(href, host, res.status);
  }
  if (!cache) return res;
  // Stored from the full bytes: a put that fails half-way (quota) must not leave a short file.
  const bytes = await res.arrayBuffer();
  const headers = new Headers(res.headers);
  headers.delete('content-encoding'); // the bytes are decoded now
  headers.set('content-length', String(bytes.byteLength));
  const kept = stamped(bytes, headers, 'network', href);
  await cache.put(href, kept.clone()).catch(() => undefined); // full disk: still usable now
  return kept;
}

/** `fetchModelFile` shaped as tfjs' `fetchFunc` (tf.io.http / tf.loadLayersModel options). */
export function modelFetchFunc(deps?: ModelStoreDeps) {
  return (input: RequestInfo | URL): Promise<Response> =>
    fetchModelFile(input instanceof Request ? input.url : String(input), deps);
}

/** The stored copy of `url`, or null (never touches the network). */
export async function storedModelFile(
  url: string,
  deps: ModelStoreDeps = realDeps(),
): Promise<Response | null> {
  const cache = await openCache(deps);
  return (await cache?.match(absolute(url))) ?? null;
}

/** Stores bytes the user gave under `url` (replacing what was there). */
export async function storeModelFile(
  url: string,
  body: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>,
  fileName: string,
  deps: ModelStoreDeps = realDeps(),
): Promise<void> {
  const cache = await openCache(deps);
  if (!cache)
    throw new Error('This browser keeps no files for this site (Cache Storage is blocked).');
  const size = body instanceof Blob ? body.size : body.byteLength;
  await cache.put(
    absolute(url),
    stamped(body, { 'content-length': String(size) }, 'file', fileName),
  );
}

/** Removes the stored files whose URL starts with one of `prefixes`; returns how many. */
export async function removeModelFiles(
  prefixes: readonly string[],
  deps: ModelStoreDeps = realDeps(),
): Promise<number> {
  const cache = await openCache(deps);
  if (!cache) return 0;
  let n = 0;
  for (const req of await cache.keys())
    if (prefixes.some((p) => req.url.startsWith(absolute(p))) && (await cache.delete(req))) n++;
  return n;
}

/** Every file in the model cache with its size and origin. */
export async function listStoredModelFiles(
  deps: ModelStoreDeps = realDeps(),
): Promise<StoredModelFile[]> {
  const cache = await openCache(deps);
  if (!cache) return [];
  const out: StoredModelFile[] = [];
  for (const req of await cache.keys()) {
    const res = await cache.match(req);
    if (!res) continue;
    const length = Number(res.headers.get('content-length'));
    out.push({
      url: req.url,
      // A Blob of a cached body is a handle, not a copy, so its size is cheap.
      sizeBytes: Number.isFinite(length) && length > 0 ? length : (await res.blob()).size,
      source: res.headers.get(SOURCE) === 'file' ? 'file' : 'network',
      from: res.headers.get(FROM) ?? req.url,
      storedAt: res.headers.get(STORED_AT) ?? '',
    });
  }
  return out;
}
