/** TMDb's movie genre list (GET /genre/movie/list), the vocabulary every label in the studio uses. */
export const TMDB_GENRES: Readonly<Record<number, string>> = {
  28: 'Action',
  12: 'Adventure',
  16: 'Animation',
  35: 'Comedy',
  80: 'Crime',
  99: 'Documentary',
  18: 'Drama',
  10751: 'Family',
  14: 'Fantasy',
  36: 'History',
  27: 'Horror',
  10402: 'Music',
  9648: 'Mystery',
  10749: 'Romance',
  878: 'Science Fiction',
  10770: 'TV Movie',
  53: 'Thriller',
  10752: 'War',
  37: 'Western',
};

const ID_BY_NAME = new Map(
  Object.entries(TMDB_GENRES).map(([id, name]) => [name.toLowerCase(), Number(id)]),
);

/**
 * IMDb genre names mapped to TMDb's vocabulary: the one table that lets IMDb-labelled data
 * (e.g. the Kaggle poster set) get the same genre groups. `null` means no TMDb counterpart
 * (the genre is dropped). Sources: IMDb's genre list and TMDb's /genre/movie/list.
 */
export const IMDB_TO_TMDB: Readonly<Record<string, string | null>> = {
  Action: 'Action',
  Adventure: 'Adventure',
  Animation: 'Animation',
  Biography: 'History', // IMDb biopics are filed under History/Drama by TMDb
  Comedy: 'Comedy',
  Crime: 'Crime',
  Documentary: 'Documentary',
  Drama: 'Drama',
  Family: 'Family',
  Fantasy: 'Fantasy',
  'Film-Noir': 'Crime',
  History: 'History',
  Horror: 'Horror',
  Music: 'Music',
  Musical: 'Music',
  Mystery: 'Mystery',
  Romance: 'Romance',
  'Sci-Fi': 'Science Fiction',
  Sport: 'Drama', // TMDb has no sport genre; sports films are tagged Drama there
  Thriller: 'Thriller',
  War: 'War',
  Western: 'Western',
  'TV Movie': 'TV Movie',
  News: 'Documentary',
  'Reality-TV': null,
  'Talk-Show': null,
  'Game-Show': null,
  Short: null,
  Adult: null,
};

/** The TMDb genre id for a genre name in either vocabulary (case-insensitive), or undefined. */
export function genreIdByName(name: string): number | undefined {
  const trimmed = name.trim();
  const direct = ID_BY_NAME.get(trimmed.toLowerCase());
  if (direct !== undefined) return direct;
  const key = Object.keys(IMDB_TO_TMDB).find((k) => k.toLowerCase() === trimmed.toLowerCase());
  const mapped = key === undefined ? undefined : IMDB_TO_TMDB[key];
  return mapped ? ID_BY_NAME.get(mapped.toLowerCase()) : undefined;
}
