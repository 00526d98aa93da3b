import type { FilmMergeReport } from '../data/film-merge.ts';
import type { Rejection } from '../data/types.ts';

/** What a CSV import reports back to the UI. */
export interface CsvImportSummary {
  name: string;
  rows: number;
  movieCount: number;
  duplicates: number;
  rejected: { row: number; reason: string }[];
  encoding: string;
  shape: string;
  columns: string[];
  added: number;
  updated: number;
  unchanged: number;
  /** Records that joined a film the library already had under another key (data/film-merge.ts). */
  films?: FilmMergeReport;
}

/** What a poster import reports back to the UI. */
export interface PosterImportSummary {
  added: number;
  replaced: number;
  unchanged: number;
  unmatched: number;
  rejected: Rejection[];
}
