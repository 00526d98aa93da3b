import { describe, expect, it } from 'vitest';
import { yieldToEvents } from './yield.ts';

describe('yieldToEvents', () => {
  it('lets a queued macrotask run before it resolves (a microtask would not)', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('queued task'), 0);
    await yieldToEvents();
    order.push('after yield');
    expect(order).toEqual(['queued task', 'after yield']);
  });
});
