/**
 * Which CSV layout a dropped file has, and how one of its rows becomes a Movie.
 *
 * Column → Movie field, per shape (first non-missing column wins for scalars; list fields
 * take the union of their columns; "1-hot" = 0/1 columns named by TMDb genre id):
 *
 * | field        | cs109b        | tmdb-imdb          | tmdb5000          | imdb5000                   | paper        | genre-labels |
 * |--------------|---------------|--------------------|-------------------|----------------------------|--------------|--------------|
 * | tmdbId       | movie_id      | id                 | id                | –                          | tmdb_id      | –            |
 * | imdbId       | –             | imdb_id (numeric)  | –                 | tt… in movie_imdb_link     | –            | imdb_id      |
 * | title        | title         | title, imdb_title  | title             | movie_title (\xa0 trimmed) | title        | = imdb id    |
 * | originalTitle| –             | original_title     | original_title    | –                          | –            | –            |
 * | genreIds     | 1-hot         | genre_ids, 1-hot   | genres (JSON)     | genres A\|B (IMDb names)   | genre_ids    | genres A\|B  |
 * | keywords     | –             | –                  | keywords (JSON)   | plot_keywords a\|b         | keywords a,b | –            |
 * | cast         | lead actors   | –                  | –                 | actor_1/2/3_name           | –            | –            |
 * | director     | director      | director           | –                 | director_name              | director     | –            |
 * | year, month  | release_date  | release_date (M/D/Y), release_year | release_date (M/D/Y) | title_year    | year, month  | –            |
 * | voteCount    | vote_count    | vote_count         | vote_count        | –                          | vote_count   | –            |
 * | voteAverage  | vote_average  | vote_average       | vote_average      | –                          | vote_average | –            |
 * | imdbVotes    | –             | –                  | –                 | num_voted_users            | imdb_votes   | –            |
 * | certificate  | –             | –                  | –                 | content_rating             | certificate  | –            |
 * | popularity   | popularity    | popularity         | popularity        | –                          | popularity   | –            |
 * | runtime      | –             | runtime            | runtime           | duration                   | –            | –            |
 * | budget       | –             | –                  | budget            | budget                     | –            | –            |
 * | others       | overview, poster_path, adult, video | + backdrop_path, original_language | overview, original_language | – | poster_path, num_stunts, num_fx | – |
 *
 * `generic` accepts any file with an id column and reads every column name above (and a few
 * common synonyms) wherever it appears.
 */
import type { Movie } from './types.ts';
import { TMDB_GENRES, genreIdByName } from './genres.ts';
import { isMissing, parseListCell } from './lists.ts';

export type CsvShape =
  'cs109b' | 'tmdb-imdb' | 'tmdb5000' | 'imdb5000' | 'paper' | 'genre-labels' | 'generic';

type Kind = 'string' | 'number' | 'int' | 'bool';
type ScalarField =
  | 'title'
  | 'originalTitle'
  | 'overview'
  | 'popularity'
  | 'voteCount'
  | 'voteAverage'
  | 'imdbVotes'
  | 'certificate'
  | 'director'
  | 'numStunts'
  | 'numFx'
  | 'runtime'
  | 'budget'
  | 'originalLanguage'
  | 'adult'
  | 'video'
  | 'posterPath'
  | 'backdropPath';
type SpecialField =
  'tmdbId' | 'imdbId' | 'releaseDate' | 'year' | 'month' | 'genres' | 'keywords' | 'cast';
type Columns = Partial<Record<ScalarField | SpecialField, readonly string[]>>;

const KINDS: Readonly<Record<ScalarField, Kind>> = {
  title: 'string',
  originalTitle: 'string',
  overview: 'string',
  popularity: 'number',
  voteCount: 'int',
  voteAverage: 'number',
  imdbVotes: 'int',
  certificate: 'string',
  director: 'string',
  numStunts: 'int',
  numFx: 'int',
  runtime: 'int',
  budget: 'number',
  originalLanguage: 'string',
  adult: 'bool',
  video: 'bool',
  posterPath: 'string',
  backdropPath: 'string',
};

/** Columns every TMDb-API-like export shares. */
const TMDB_COMMON: Columns = {
  title: ['title'],
  originalTitle: ['original_title'],
  overview: ['overview'],
  releaseDate: ['release_date'],
  popularity: ['popularity'],
  voteCount: ['vote_count'],
  voteAverage: ['vote_average'],
  adult: ['adult'],
  video: ['video'],
  posterPath: ['poster_path'],
  backdropPath: ['backdrop_path'],
  originalLanguage: ['original_language'],
  runtime: ['runtime'],
  director: ['director'],
};

interface ShapeSpec {
  shape: CsvShape;
  matches(headers: ReadonlySet<string>, hasOneHot: boolean): boolean;
  columns: Columns;
  /** Read 0/1 columns named by TMDb genre id when the genre list is empty. */
  oneHot: boolean;
}

/** Shapes in detection order: the most specific signature first. */
const SHAPES: readonly ShapeSpec[] = [
  {
    shape: 'paper',
    matches: (h) =>
      h.has('tmdb_id') && h.has('genre_ids') && (h.has('num_stunts') || h.has('imdb_votes')),
    columns: {
      ...TMDB_COMMON,
      tmdbId: ['tmdb_id'],
      imdbId: ['imdb_id'],
      genres: ['genre_ids'],
      keywords: ['keywords'],
      imdbVotes: ['imdb_votes'],
      certificate: ['certificate'],
      numStunts: ['num_stunts'],
      numFx: ['num_fx'],
      year: ['year'],
      month: ['month'],
    },
    oneHot: false,
  },
  {
    shape: 'cs109b',
    matches: (h, oneHot) => h.has('movie_id') && oneHot,
    columns: { ...TMDB_COMMON, tmdbId: ['movie_id'], cast: ['lead actors'] },
    oneHot: true,
  },
  {
    shape: 'tmdb-imdb',
    matches: (h) => h.has('id') && h.has('imdb_id') && h.has('genre_ids'),
    columns: {
      ...TMDB_COMMON,
      title: ['title', 'imdb_title'],
      tmdbId: ['id'],
      imdbId: ['imdb_id'],
      genres: ['genre_ids'],
      year: ['release_year'],
    },
    oneHot: true,
  },
  {
    shape: 'tmdb5000',
    matches: (h) => h.has('id') && h.has('genres') && h.has('keywords') && h.has('title'),
    columns: {
      ...TMDB_COMMON,
      tmdbId: ['id'],
      genres: ['genres'],
      keywords: ['keywords'],
      budget: ['budget'],
    },
    oneHot: false,
  },
  {
    shape: 'imdb5000',
    matches: (h) => h.has('movie_imdb_link'),
    columns: {
      imdbId: ['movie_imdb_link'],
      title: ['movie_title'],
      genres: ['genres'],
      keywords: ['plot_keywords'],
      director: ['director_name'],
      imdbVotes: ['num_voted_users'],
      certificate: ['content_rating'],
      year: ['title_year'],
      runtime: ['duration'],
      budget: ['budget'],
      cast: ['actor_1_name', 'actor_2_name', 'actor_3_name'],
    },
    oneHot: false,
  },
  {
    shape: 'genre-labels',
    matches: (h) => h.has('imdb_id') && h.has('genres') && !h.has('title'),
    columns: { imdbId: ['imdb_id'], genres: ['genres'] },
    oneHot: false,
  },
];

const GENERIC: ShapeSpec = {
  shape: 'generic',
  matches: () => true,
  columns: {
    ...TMDB_COMMON,
    tmdbId: ['tmdb_id', 'tmdbid', 'movie_id', 'id'],
    imdbId: ['imdb_id', 'imdbid', 'tconst', 'movie_imdb_link', 'imdb_link'],
    title: ['title', 'movie_title', 'primarytitle', 'name', 'imdb_title'],
    genres: ['genre_ids', 'genres', 'genre'],
    keywords: ['keywords', 'plot_keywords'],
    cast: ['cast', 'lead actors', 'actors'],
    director: ['director', 'director_name'],
    year: ['year', 'title_year', 'release_year', 'startyear'],
    month: ['month'],
    imdbVotes: ['imdb_votes', 'num_voted_users', 'numvotes'],
    certificate: ['certificate', 'content_rating'],
    numStunts: ['num_stunts'],
    numFx: ['num_fx'],
    runtime: ['runtime', 'duration', 'runtimeminutes'],
    budget: ['budget'],
  },
  oneHot: true,
};

const SPECS = new Map<CsvShape, ShapeSpec>([...SHAPES, GENERIC].map((s) => [s.shape, s]));

/** Every column name that can carry a movie id, for "not a movies CSV" messages. */
export const ID_COLUMNS: readonly string[] = [
  ...new Set([...(GENERIC.columns.tmdbId ?? []), ...(GENERIC.columns.imdbId ?? [])]),
];

function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

function isOneHotHeader(h: string): boolean {
  return /^\d+$/.test(h) && TMDB_GENRES[Number(h)] !== undefined;
}

/** Names the layout of a CSV from its header row (case and surrounding spaces ignored). */
export function detectShape(headers: string[]): CsvShape {
  const set = new Set(headers.map(normaliseHeader));
  const hasOneHot = [...set].filter(isOneHotHeader).length >= 3;
  return (SHAPES.find((s) => s.matches(set, hasOneHot)) ?? GENERIC).shape;
}

/** True when the headers include a column the shape reads a TMDb or IMDb id from. */
export function hasIdColumn(headers: string[], shape: CsvShape): boolean {
  const cols = SPECS.get(shape)?.columns;
  const set = new Set(headers.map(normaliseHeader));
  return [...(cols?.tmdbId ?? []), ...(cols?.imdbId ?? [])].some((c) => set.has(c));
}

function parseNumber(cell: string | undefined): number | undefined {
  if (isMissing(cell)) return undefined;
  const n = Number(cell.trim());
  return Number.isFinite(n) ? n : undefined;
}

function parseBool(cell: string | undefined): boolean | undefined {
  if (isMissing(cell)) return undefined;
  const s = cell.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === '1.0' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === '0.0' || s === 'no') return false;
  return undefined;
}

function parseScalar(cell: string | undefined, kind: Kind): string | number | boolean | undefined {
  if (kind === 'bool') return parseBool(cell);
  if (kind === 'string') return isMissing(cell) ? undefined : cell.trim();
  const n = parseNumber(cell);
  return kind === 'int' && n !== undefined ? Math.round(n) : n;
}

/** A positive integer TMDb id ('329865', or '329865.0' from pandas), else undefined. */
export function parseTmdbId(cell: string | undefined): number | undefined {
  const n = parseNumber(cell);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `tt` + at least 7 digits, from 'tt0089869', a bare number ('1843301', '89869') or an IMDb URL; '0' is missing. */
export function parseImdbId(cell: string | undefined): string | undefined {
  if (isMissing(cell)) return undefined;
  const s = cell.trim();
  const digits =
    /tt(\d+)/i.exec(s)?.[1] ?? (/^\d+(\.0)?$/.test(s) ? s.replace(/\.0$/, '') : undefined);
  if (digits === undefined || Number(digits) === 0) return undefined;
  return `tt${digits.replace(/^0+/, '').padStart(7, '0')}`;
}

/** ISO 'yyyy-mm-dd', US 'm/d/yyyy' (d/m when the first part exceeds 12) or a bare year. */
export function parseReleaseDate(cell: string | undefined): {
  releaseDate?: string;
  year?: number;
  month?: number;
} {
  if (isMissing(cell)) return {};
  const s = cell.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  let ymd = m ? [m[1], m[2], m[3]] : undefined;
  if (!ymd && (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) {
    ymd = Number(m[1]) > 12 ? [m[3], m[2], m[1]] : [m[3], m[1], m[2]];
  }
  if (ymd) {
    const [y, mo, d] = ymd.map(Number) as [number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return {};
    const iso = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return { releaseDate: iso, year: y, month: mo };
  }
  return /^\d{4}$/.test(s) ? { year: Number(s) } : {};
}

function genreIdOf(item: string): number | undefined {
  if (/^\d+$/.test(item)) return TMDB_GENRES[Number(item)] === undefined ? undefined : Number(item);
  return genreIdByName(item);
}

function first(
  row: Record<string, string>,
  cols: readonly string[] | undefined,
): string | undefined {
  for (const c of cols ?? []) if (!isMissing(row[c])) return row[c];
  return undefined;
}

function listOf(row: Record<string, string>, cols: readonly string[] | undefined): string[] {
  return [...new Set((cols ?? []).flatMap((c) => parseListCell(row[c])))];
}

function readGenres(row: Record<string, string>, spec: ShapeSpec): number[] {
  const ids = new Set<number>();
  for (const item of listOf(row, spec.columns.genres)) {
    const id = genreIdOf(item);
    if (id !== undefined) ids.add(id);
  }
  if (ids.size === 0 && spec.oneHot) {
    for (const [col, v] of Object.entries(row))
      if (isOneHotHeader(col) && parseBool(v)) ids.add(Number(col));
  }
  return [...ids].sort((a, b) => a - b);
}

function lowerKeys(row: Record<string, string>): Record<string, string> {
  const keys = Object.keys(row);
  if (keys.every((k) => k === normaliseHeader(k))) return row;
  return Object.fromEntries(keys.map((k) => [normaliseHeader(k), row[k] ?? '']));
}

/**
 * Turns one CSV row (keyed by header name, any case) into a Movie, or an error a person can
 * act on when the row has no usable id or no title. Shapes without a title column
 * (genre-labels) use the IMDb id as the title.
 */
export function rowToMovie(
  rawRow: Record<string, string>,
  shape: CsvShape,
  source: string,
  nowMs: number,
): Movie | { error: string } {
  const spec = SPECS.get(shape) ?? GENERIC;
  const row = lowerKeys(rawRow);
  const cols = spec.columns;
  const tmdbId = parseTmdbId(first(row, cols.tmdbId));
  const imdbId = parseImdbId(first(row, cols.imdbId));
  if (tmdbId === undefined && imdbId === undefined) {
    const seen = [...(cols.tmdbId ?? []), ...(cols.imdbId ?? [])].filter((c) => c in row);
    const shown = seen.map((c) => `${c}=${JSON.stringify(row[c] ?? '')}`).join(', ');
    return { error: `no usable TMDb or IMDb id (${shown || 'no id column'})` };
  }
  const hasTitleColumn = (cols.title ?? []).some((c) => c in row);
  const title =
    (parseScalar(first(row, cols.title), 'string') as string | undefined) ??
    (hasTitleColumn ? undefined : (imdbId ?? `TMDb ${tmdbId}`));
  if (title === undefined) return { error: 'no title' };

  const movie: Record<string, unknown> = {
    key: tmdbId !== undefined ? `tmdb:${tmdbId}` : `imdb:${imdbId}`,
    tmdbId,
    imdbId,
    title,
    genreIds: readGenres(row, spec),
    keywords: listOf(row, cols.keywords),
    source,
    updatedAt: nowMs,
  };
  for (const [field, kind] of Object.entries(KINDS) as [ScalarField, Kind][]) {
    if (field !== 'title') movie[field] = parseScalar(first(row, cols[field]), kind);
  }
  const cast = listOf(row, cols.cast);
  if (cast.length > 0) movie.cast = cast;
  const date = parseReleaseDate(first(row, cols.releaseDate));
  movie.releaseDate = date.releaseDate;
  movie.year = date.year ?? (parseScalar(first(row, cols.year), 'int') as number | undefined);
  movie.month = date.month ?? (parseScalar(first(row, cols.month), 'int') as number | undefined);
  for (const k of Object.keys(movie)) if (movie[k] === undefined) delete movie[k];
  return movie as unknown as Movie;
}
