import { TMDB_GENRES } from '$lib/data/genres.ts';
import type { GenreGroup } from '$lib/features/groups.ts';

/**
 * Genre groups from the custom picker: genre id → group number (0 = left out). Groups come in
 * number order, each named "n: Genre, Genre" with its genres in the order the picker lists them.
 */
export function customGroups(custom: Record<number, number>): GenreGroup[] {
  const byGroup = new Map<number, number[]>();
  for (const [id, gi] of Object.entries(custom)) {
    if (gi > 0) byGroup.set(gi, [...(byGroup.get(gi) ?? []), Number(id)]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a - b)
    .map(([gi, ids]) => ({
      name: `${gi}: ${ids.map((id) => TMDB_GENRES[id]).join(', ')}`,
      genreIds: ids,
    }));
}
