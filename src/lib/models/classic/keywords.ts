/**
 * The CS109b "keyword analysis" inputs: a sparse 0/1 movie × keyword matrix and genre-group
 * labels, built from a TMDb-5000-style CSV whose `keywords` and `genres` cells are JSON lists
 * of {"id", "name"}.
 */
import Papa from 'papaparse';
import { PAPER7, type GenreGroup } from '../../features/groups.ts';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import { sparseFromLists, type SparseBinaryMatrix } from './matrix.ts';

/** Keyword indicators, group labels and the names of both axes. */
export interface KeywordDataset {
  x: SparseBinaryMatrix;
  labels: LabelMatrix;
  /** Column names of x (keyword names), in first-seen order. */
  keywords: string[];
  /** Column names of labels. */
  groups: string[];
  titles: string[];
  /** Movies left out: no keyword, or (unless keepUnlabelled) no genre in any group. */
  dropped: number;
}

interface IdName {
  id: number;
  name: string;
}

function parseIdNames(cell: string | undefined): IdName[] {
  if (!cell || cell.trim() === '') return [];
  try {
    const v: unknown = JSON.parse(cell);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (o): o is IdName =>
        typeof o === 'object' && o !== null && typeof (o as IdName).name === 'string',
    );
  } catch {
    return [];
  }
}

/** Options of keywordDatasetFromTmdb5000. */
export interface KeywordDatasetOptions {
  /** Label columns (default: the paper's 7 groups). */
  groups?: readonly GenreGroup[];
  /** Keywords seen in fewer kept movies are left out (default 1: all). */
  minCount?: number;
  /** Keep movies that are in no group, as all-zero label rows (default false, as the paper). */
  keepUnlabelled?: boolean;
}

/** Builds the dataset from CSV text; movies without keywords are always left out (they carry no signal). */
export function keywordDatasetFromTmdb5000(
  csvText: string,
  options: KeywordDatasetOptions = {},
): KeywordDataset {
  const { groups = PAPER7, minCount = 1, keepUnlabelled = false } = options;
  const parsed = Papa.parse<Record<string, string>>(csvText, {
    header: true,
    skipEmptyLines: true,
  });
  const groupOf = new Map<number, number[]>();
  groups.forEach((g, gi) =>
    g.genreIds.forEach((id) => groupOf.set(id, [...(groupOf.get(id) ?? []), gi])),
  );
  const kept: { keywords: string[]; groups: Set<number>; title: string }[] = [];
  let dropped = 0;
  for (const row of parsed.data) {
    const keywords = [
      ...new Set(parseIdNames(row.keywords).map((k) => k.name.trim().toLowerCase())),
    ];
    const gs = new Set(parseIdNames(row.genres).flatMap((g) => groupOf.get(Number(g.id)) ?? []));
    if (keywords.length === 0 || (gs.size === 0 && !keepUnlabelled)) dropped++;
    else kept.push({ keywords, groups: gs, title: row.title ?? '' });
  }
  const counts = new Map<string, number>();
  for (const m of kept) for (const k of m.keywords) counts.set(k, (counts.get(k) ?? 0) + 1);
  const column = new Map<string, number>();
  for (const [k, c] of counts) if (c >= minCount) column.set(k, column.size);
  const lists = kept.map((m) => m.keywords.flatMap((k) => column.get(k) ?? []));
  const labels: LabelMatrix = {
    rows: kept.length,
    cols: groups.length,
    data: new Uint8Array(kept.length * groups.length),
  };
  kept.forEach((m, r) => m.groups.forEach((gi) => (labels.data[r * groups.length + gi] = 1)));
  return {
    x: sparseFromLists(lists, column.size),
    labels,
    keywords: [...column.keys()],
    groups: groups.map((g) => g.name),
    titles: kept.map((m) => m.title),
    dropped,
  };
}
