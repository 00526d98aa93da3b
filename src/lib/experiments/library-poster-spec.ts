/**
 * A posters spec on the studio's library (`data: { library: true }`): its check, and how many
 * library movies it can learn from. Used by the Train form and by the run queue in state/.
 */
import { PAPER7, type GenreGroup } from '../features/groups.ts';
import { countWithGenres, type LibraryProfile } from '../features/library-profile.ts';
import {
  posterSpecProblems,
  type PosterExperimentSpec,
  type PosterLibraryData,
} from './poster-spec.ts';

export type LibraryPosterSpec = PosterExperimentSpec<PosterLibraryData>;

/** Validates a parsed posters spec for the studio: the spec or its problems (one line each). */
export function checkPosterSpec(
  raw: unknown,
): { spec: LibraryPosterSpec; problems: [] } | { spec: null; problems: string[] } {
  const problems = posterSpecProblems(raw, 'library');
  return problems.length
    ? { spec: null, problems }
    : { spec: raw as LibraryPosterSpec, problems: [] };
}

/** Library movies a spec can learn from: with a stored poster and a genre of the chosen groups. */
export function countTrainable(
  library: LibraryProfile,
  groups: 'paper7' | readonly GenreGroup[],
): number {
  const ids = (groups === 'paper7' ? PAPER7 : groups).flatMap((g) => g.genreIds);
  return countWithGenres(library, ids, true);
}
