import type { SortKey } from './table.ts';

/**
 * The Library table's search, sort and filters. Module state rather than the component's, so they
 * survive opening a movie and coming back (the table is unmounted meanwhile).
 */
export const tableView = $state({
  search: '',
  sort: 'popularity' as SortKey,
  descending: true,
  onlyWithPoster: false,
  /** Rating sort: movies with fewer votes than this go after the others (0 = plain rating order). */
  minVotes: 50,
  scrollTop: 0,
});
