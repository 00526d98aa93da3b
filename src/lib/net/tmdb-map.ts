import type { Movie } from '../data/types.ts';

/** A record the crawl skips, with a reason the crawl log shows. */
export class BadRecordError extends Error {
  override name = 'BadRecordError';
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(
  o: Json,
  name: string,
  kind: 'number' | 'string' | 'boolean',
  required: boolean,
  nullable = false,
): T | undefined {
  const v = o[name];
  if (v === undefined || (v === null && nullable)) {
    if (required && v === undefined) throw new BadRecordError(`missing field ${name}`);
    return undefined;
  }
  if (typeof v !== kind || (kind === 'number' && !Number.isFinite(v)))
    throw new BadRecordError(
      `field ${name}: expected ${kind}, got ${v === null ? 'null' : typeof v}`,
    );
  return v as T;
}

function named(list: unknown, where: string): Array<{ id?: number; name: string; job?: string }> {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new BadRecordError(`${where}: expected a list`);
  return list.map((x) => {
    if (!isObj(x) || typeof x.name !== 'string')
      throw new BadRecordError(`${where}: an entry without a name`);
    return {
      id: typeof x.id === 'number' ? x.id : undefined,
      name: x.name,
      job: typeof x.job === 'string' ? x.job : undefined,
    };
  });
}

/** The certification for a country from `release_dates`, preferring the theatrical release (type 3). */
export function certificateFor(releaseDates: unknown, country: string): string | undefined {
  if (!isObj(releaseDates) || !Array.isArray(releaseDates.results)) return undefined;
  const entry = releaseDates.results.find((r) => isObj(r) && r.iso_3166_1 === country);
  if (!isObj(entry) || !Array.isArray(entry.release_dates)) return undefined;
  const dates = entry.release_dates
    .filter(isObj)
    .filter((d) => typeof d.certification === 'string' && d.certification.trim() !== '');
  const pick = dates.find((d) => d.type === 3) ?? dates[0];
  return pick ? String(pick.certification).trim() : undefined;
}

/**
 * Maps GET /movie/{id}?append_to_response=keywords,external_ids,release_dates,credits to a Movie.
 * Every paper field is type-checked; id, title, genres, release_date, popularity, vote_count and
 * vote_average must be present. Throws BadRecordError with the first problem found.
 */
export function mapTmdbDetails(json: unknown, country: string, nowMs: number): Movie {
  if (!isObj(json))
    throw new BadRecordError(
      `expected a JSON object, got ${Array.isArray(json) ? 'a list' : typeof json}`,
    );
  const id = field<number>(json, 'id', 'number', true)!;
  if (!Number.isInteger(id) || id <= 0)
    throw new BadRecordError(`field id: not a positive integer (${id})`);
  const releaseDate = field<string>(json, 'release_date', 'string', true, true);
  if (releaseDate && !/^\d{4}-\d{2}-\d{2}$/.test(releaseDate))
    throw new BadRecordError(`field release_date: not yyyy-mm-dd (${releaseDate.slice(0, 20)})`);
  const genres = named(json.genres ?? (json.genre_ids === undefined ? undefined : []), 'genres');
  if (json.genres === undefined && !Array.isArray(json.genre_ids))
    throw new BadRecordError('missing field genres');
  const genreIds =
    json.genres !== undefined
      ? genres.map((g) => g.id).filter((g): g is number => g !== undefined)
      : (json.genre_ids as unknown[]).filter((g): g is number => typeof g === 'number');
  const keywordsObj = json.keywords;
  const keywords = isObj(keywordsObj)
    ? named(keywordsObj.keywords, 'keywords').map((k) => k.name)
    : [];
  const credits = isObj(json.credits) ? json.credits : {};
  const directors = named(credits.crew, 'credits.crew')
    .filter((c) => c.job === 'Director')
    .map((c) => c.name);
  const cast = named(credits.cast, 'credits.cast')
    .slice(0, 3)
    .map((c) => c.name);
  const ext = isObj(json.external_ids) ? json.external_ids : {};
  const imdbRaw =
    typeof ext.imdb_id === 'string'
      ? ext.imdb_id
      : typeof json.imdb_id === 'string'
        ? json.imdb_id
        : undefined;
  const imdbId = imdbRaw && /^tt\d{5,10}$/.test(imdbRaw) ? imdbRaw : undefined;
  const year = releaseDate ? Number(releaseDate.slice(0, 4)) : undefined;
  const month = releaseDate ? Number(releaseDate.slice(5, 7)) : undefined;
  const movie: Movie = {
    key: `tmdb:${id}`,
    tmdbId: id,
    imdbId,
    title: field<string>(json, 'title', 'string', true)!,
    originalTitle: field<string>(json, 'original_title', 'string', false),
    overview: field<string>(json, 'overview', 'string', false, true),
    releaseDate: releaseDate || undefined,
    year,
    month,
    genreIds,
    popularity: field<number>(json, 'popularity', 'number', true),
    voteCount: field<number>(json, 'vote_count', 'number', true),
    voteAverage: field<number>(json, 'vote_average', 'number', true),
    certificate: certificateFor(json.release_dates, country),
    director: directors.length ? directors.join(', ') : undefined,
    keywords,
    cast: cast.length ? cast : undefined,
    runtime: field<number>(json, 'runtime', 'number', false, true) || undefined,
    budget: field<number>(json, 'budget', 'number', false, true) || undefined,
    originalLanguage: field<string>(json, 'original_language', 'string', false),
    adult: field<boolean>(json, 'adult', 'boolean', false),
    video: field<boolean>(json, 'video', 'boolean', false),
    posterPath: field<string>(json, 'poster_path', 'string', false, true),
    backdropPath: field<string>(json, 'backdrop_path', 'string', false, true),
    source: 'tmdb',
    updatedAt: nowMs,
  };
  for (const k of Object.keys(movie) as Array<keyof Movie>)
    if (movie[k] === undefined) delete movie[k];
  return movie;
}

/** Movie ids from a list page (discover, popular, top_rated), with the page count. */
export function mapListPage(json: unknown): { ids: number[]; totalPages: number } {
  if (!isObj(json) || !Array.isArray(json.results))
    throw new BadRecordError('list page without results');
  const ids = json.results
    .filter(isObj)
    .map((r) => r.id)
    .filter((id): id is number => typeof id === 'number' && Number.isInteger(id) && id > 0);
  const totalPages = typeof json.total_pages === 'number' ? json.total_pages : 1;
  return { ids, totalPages };
}
