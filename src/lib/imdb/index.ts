/** IMDb's public TSV dumps, streamed (gunzip → papaparse) and joined onto the library by imdb_id. */
export {
  joinImdbTsv,
  imdbKindOf,
  type ImdbFileKind,
  type ImdbFileReport,
  type ImdbJoinResult,
} from './join.ts';
export { streamTsv, textStream, isGzip, type TsvStreamOptions } from './tsv-stream.ts';
