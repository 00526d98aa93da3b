import { describe, expect, it } from 'vitest';
import { customGroups } from './custom-groups.ts';

describe('customGroups', () => {
  it('groups genres by their number, in number order, and leaves out group 0', () => {
    // 28 Action, 12 Adventure, 35 Comedy, 18 Drama, 99 Documentary.
    const groups = customGroups({ 28: 2, 12: 2, 35: 1, 18: 0, 99: 3 });
    expect(groups).toEqual([
      { name: '1: Comedy', genreIds: [35] },
      { name: '2: Adventure, Action', genreIds: [12, 28] },
      { name: '3: Documentary', genreIds: [99] },
    ]);
  });

  it('gives no groups when every genre is left out', () => {
    expect(customGroups({ 28: 0, 35: 0 })).toEqual([]);
  });
});
