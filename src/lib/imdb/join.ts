import type { Movie } from '../data/types.ts';
import { streamTsv, textStream, type TsvStreamOptions } from './tsv-stream.ts';
import { errorMessage } from '../core/errors.ts';

/** The IMDb dumps the join understands, recognised by their header row. */
export type ImdbFileKind = 'title.ratings' | 'title.crew' | 'name.basics' | 'title.basics';

const HEADERS: Record<ImdbFileKind, string[]> = {
  'title.ratings': ['tconst', 'averageRating', 'numVotes'],
  'title.crew': ['tconst', 'directors', 'writers'],
  'name.basics': ['nconst', 'primaryName'],
  'title.basics': [
    'tconst',
    'titleType',
    'primaryTitle',
    'originalTitle',
    'isAdult',
    'startYear',
    'endYear',
    'runtimeMinutes',
  ],
};
/** Names are resolved last: they need the director ids the crew file gave. */
const ORDER: ImdbFileKind[] = ['title.ratings', 'title.basics', 'title.crew', 'name.basics'];

/** Which dump a header row belongs to, or null. */
export function imdbKindOf(header: string[]): ImdbFileKind | null {
  for (const kind of ORDER) if (HEADERS[kind].every((h, i) => header[i] === h)) return kind;
  return null;
}

export interface ImdbFileReport {
  name: string;
  kind: ImdbFileKind | null;
  rows: number;
  matched: number;
  error?: string;
}

export interface ImdbJoinResult {
  /** Movies with new IMDb fields (only those that changed). */
  updated: Movie[];
  files: ImdbFileReport[];
}

const missing = (v: string | undefined) => v === undefined || v === '\\N' || v === '';

/**
 * Joins IMDb TSV dumps (gzipped or not) onto the library's movies by imdb_id, streaming each file:
 * memory holds the movies, the matched values and the director ids still to name, never a file.
 * Sets imdbVotes (title.ratings), director (title.crew + name.basics) and runtime (title.basics).
 */
export async function joinImdbTsv(
  files: Array<{ name: string; blob: Blob }>,
  movies: readonly Movie[],
  options: TsvStreamOptions & { onFile?: (name: string) => void } = {},
): Promise<ImdbJoinResult> {
  const byImdb = new Map<string, Movie>();
  for (const m of movies) if (m.imdbId) byImdb.set(m.imdbId, m);
  const changed = new Map<string, Movie>();
  const touch = (m: Movie) => {
    let c = changed.get(m.key);
    if (!c) changed.set(m.key, (c = { ...m }));
    return c;
  };
  const directorIds = new Map<string, string[]>(); // movie key → nconsts, in credit order
  const names = new Map<string, string>();
  const kinds = await Promise.all(
    files.map(async (f) => ({ ...f, kind: await sniffKind(f.blob) })),
  );
  kinds.sort((a, b) => (a.kind ? ORDER.indexOf(a.kind) : 9) - (b.kind ? ORDER.indexOf(b.kind) : 9));
  const reports: ImdbFileReport[] = [];
  for (const f of kinds) {
    const report: ImdbFileReport = { name: f.name, kind: f.kind, rows: 0, matched: 0 };
    reports.push(report);
    if (!f.kind) {
      report.error =
        'not an IMDb dataset file (title.ratings, title.crew, name.basics or title.basics)';
      continue;
    }
    options.onFile?.(f.name);
    const wanted = new Set([...directorIds.values()].flat());
    const onRow = rowHandler(f.kind, { byImdb, touch, directorIds, names, wanted, report });
    try {
      report.rows = await streamTsv(f.blob, () => undefined, onRow, options);
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') throw e;
      report.error = errorMessage(e);
    }
  }
  for (const [key, ids] of directorIds) {
    const named = ids.map((id) => names.get(id)).filter((n): n is string => !!n);
    if (named.length)
      touch(changed.get(key) ?? movies.find((m) => m.key === key)!).director = named.join(', ');
  }
  return { updated: [...changed.values()], files: reports };
}

interface JoinCtx {
  byImdb: Map<string, Movie>;
  touch: (m: Movie) => Movie;
  directorIds: Map<string, string[]>;
  names: Map<string, string>;
  wanted: Set<string>;
  report: ImdbFileReport;
}

function rowHandler(kind: ImdbFileKind, c: JoinCtx): (row: string[]) => void {
  switch (kind) {
    case 'title.ratings':
      return (r) => {
        const m = c.byImdb.get(r[0]!);
        if (!m || missing(r[2])) return;
        c.touch(m).imdbVotes = Number(r[2]);
        c.report.matched += 1;
      };
    case 'title.basics':
      return (r) => {
        const m = c.byImdb.get(r[0]!);
        if (!m) return;
        c.report.matched += 1;
        if (!missing(r[7]) && m.runtime === undefined) c.touch(m).runtime = Number(r[7]);
      };
    case 'title.crew':
      return (r) => {
        const m = c.byImdb.get(r[0]!);
        if (!m || missing(r[1])) return;
        c.directorIds.set(m.key, r[1]!.split(','));
        c.report.matched += 1;
      };
    case 'name.basics':
      return (r) => {
        if (!c.wanted.has(r[0]!) || missing(r[1])) return;
        c.names.set(r[0]!, r[1]!);
        c.report.matched += 1;
      };
  }
}

async function sniffKind(blob: Blob): Promise<ImdbFileKind | null> {
  // Reads only up to the first newline, then drops the stream.
  const reader = (await textStream(blob)).getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel().catch(() => undefined);
  return imdbKindOf((text.split('\n')[0] ?? '').replace(/\r$/, '').split('\t'));
}
