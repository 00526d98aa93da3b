import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('writes the first entry at once and everything queued meanwhile in the next write', async () => {
    const writes: number[][] = [];
    const g = new GroupCommit<number>(async (e) => {
      writes.push(e);
      await new Promise((r) => setTimeout(r, 10));
    });
    await Promise.all([1, 2, 3, 4].map((n) => g.add(n)));
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects the entries of a failed write only', async () => {
    const g = new GroupCommit<number>(async (e) => {
      if (e.includes(2)) throw new Error('quota');
    });
    const results = await Promise.allSettled([g.add(1), g.add(2), g.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(g.add(4)).resolves.toBeUndefined();
  });
});
