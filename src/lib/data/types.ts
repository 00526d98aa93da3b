/** The library's records. Plain data only: they go into IndexedDB and across threads as they are. */

/** A movie in the library. `key` is `tmdb:<id>` when the TMDb id is known, else `imdb:<tt…>`. */
export interface Movie {
  key: string;
  tmdbId?: number;
  imdbId?: string;
  title: string;
  originalTitle?: string;
  overview?: string;
  releaseDate?: string; // ISO yyyy-mm-dd as given
  year?: number;
  month?: number;
  /** TMDb genre ids (IMDb names are mapped through data/genres.ts). */
  genreIds: number[];
  popularity?: number;
  voteCount?: number;
  voteAverage?: number;
  imdbVotes?: number;
  certificate?: string;
  director?: string;
  keywords: string[];
  cast?: string[];
  numStunts?: number;
  numFx?: number;
  runtime?: number;
  budget?: number;
  originalLanguage?: string;
  adult?: boolean;
  video?: boolean;
  posterPath?: string;
  backdropPath?: string;
  /** Where the record came from (file name, or 'tmdb' for a crawl). */
  source: string;
  updatedAt: number;
}

/** A poster image stored as a Blob with its checked dimensions. */
export interface Poster {
  movieKey: string;
  blob: Blob;
  width: number;
  height: number;
  type: string; // MIME type sniffed from the bytes
  sizeBytes: number;
  /** Where it came from: the dropped file's name or the URL it was downloaded from. */
  source: string;
  addedAt: number;
}

/** A file the importer refused, with a reason a person can act on. */
export interface Rejection {
  name: string;
  reason: string;
}
