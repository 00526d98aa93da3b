import type { FakeMovie } from './catalogue.ts';

/** TMDb's movie genre list (GET /3/genre/movie/list). */
export const GENRES = [
  [28, 'Action'],
  [12, 'Adventure'],
  [16, 'Animation'],
  [35, 'Comedy'],
  [80, 'Crime'],
  [99, 'Documentary'],
  [18, 'Drama'],
  [10751, 'Family'],
  [14, 'Fantasy'],
  [36, 'History'],
  [27, 'Horror'],
  [10402, 'Music'],
  [9648, 'Mystery'],
  [10749, 'Romance'],
  [878, 'Science Fiction'],
  [10770, 'TV Movie'],
  [53, 'Thriller'],
  [10752, 'War'],
  [37, 'Western'],
].map(([id, name]) => ({ id: id as number, name: name as string }));

/** A result row of discover / popular / top_rated (TMDb v3 list shape). */
export function listItem(m: FakeMovie) {
  return {
    adult: m.adult,
    backdrop_path: m.backdrop_path,
    genre_ids: m.genres.map((g) => g.id),
    id: m.id,
    original_language: m.original_language,
    original_title: m.original_title,
    overview: m.overview,
    popularity: m.popularity,
    poster_path: m.poster_path,
    release_date: m.release_date,
    title: m.title,
    video: m.video,
    vote_average: m.vote_average,
    vote_count: m.vote_count,
  };
}

/** GET /3/movie/{id} with append_to_response parts (TMDb v3 details shape). */
export function detailsJson(m: FakeMovie, append: string[]) {
  const { genre_ids: _ids, ...base } = listItem(m);
  const out: Record<string, unknown> = {
    ...base,
    genres: m.genres,
    imdb_id: m.imdb_id,
    runtime: m.runtime,
    budget: m.budget,
    status: 'Released',
    tagline: '',
  };
  if (append.includes('keywords')) out.keywords = { keywords: m.keywords };
  if (append.includes('external_ids'))
    out.external_ids = {
      imdb_id: m.imdb_id,
      facebook_id: null,
      instagram_id: null,
      twitter_id: null,
      wikidata_id: null,
    };
  if (append.includes('release_dates'))
    out.release_dates = {
      results: Object.entries(m.certificates).map(([country, cert]) => ({
        iso_3166_1: country,
        release_dates: [
          {
            certification: '',
            iso_639_1: '',
            note: 'Premiere',
            release_date: `${m.release_date}T00:00:00.000Z`,
            type: 1,
          },
          {
            certification: cert,
            iso_639_1: '',
            note: '',
            release_date: `${m.release_date}T00:00:00.000Z`,
            type: 3,
          },
        ],
      })),
    };
  if (append.includes('credits'))
    out.credits = {
      cast: m.cast.map((name, order) => ({
        id: 1000 + order,
        name,
        character: `Role ${order}`,
        order,
        known_for_department: 'Acting',
      })),
      crew: [
        { id: 1, name: `Writer ${m.id % 13}`, job: 'Screenplay', department: 'Writing' },
        { id: 2, name: m.director, job: 'Director', department: 'Directing' },
      ],
    };
  return out;
}

/** GET OMDb ?i=tt… (OMDb shape: strings everywhere, "N/A" for missing). */
export function omdbJson(m: FakeMovie) {
  return {
    Title: m.title,
    Year: m.release_date.slice(0, 4),
    Rated: m.certificates.US ?? 'N/A',
    Runtime: m.runtime === null ? 'N/A' : `${m.runtime} min`,
    Director: m.director,
    imdbVotes: (m.vote_count * 13).toLocaleString('en-US'),
    imdbID: m.imdb_id,
    Type: 'movie',
    Response: 'True',
  };
}
