import { describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import { DEFAULT_NET } from '$lib/crawl/setup.ts';
import type { NetSettings } from '$lib/crawl/state.ts';
import ApiKeysCard from './ApiKeysCard.svelte';

/** The crawl UI state, with a load() the test finishes when it wants (the real one waits on IndexedDB and the crawl worker). */
const crawl = vi.hoisted(() => {
  let finish: () => void = () => undefined;
  return {
    net: {} as NetSettings,
    hasKey: { tmdb: false, omdb: false },
    load: () => new Promise<void>((r) => (finish = r)),
    finishLoad: (net: NetSettings) => {
      crawl.net = net;
      finish();
    },
    saveNet: vi.fn(async (_net: NetSettings) => undefined),
    checkKeys: vi.fn(),
    forgetKey: vi.fn(),
  };
});
vi.mock('$lib/ui/library/crawl.svelte.ts', () => ({ crawl }));

describe('ApiKeysCard', () => {
  it('keeps a rate typed while the saved settings are loading: Save stores it with the saved hosts', async () => {
    const saved: NetSettings = { ...DEFAULT_NET, ratePerSec: 8, tmdbBase: 'http://mirror.test/3' };
    const host = document.createElement('div');
    document.body.append(host);
    const app = mount(ApiKeysCard, { target: host });
    flushSync();
    try {
      await page.getByText('Advanced: rate limit and API hosts').click();
      const rate = page.getByTestId('net-rate');
      // The saved settings land 3 s from now; typing starts at once, as the bench's Playwright did.
      const loaded = new Promise((r) => setTimeout(r, 3000)).then(() => crawl.finishLoad(saved));
      // Until then the fields take no typing: a value typed then was overwritten when the load
      // finished, and Save stored the defaults (the crawl bench's crawls at 4 req/s).
      await expect.element(rate, { timeout: 2500 }).toBeDisabled();
      await expect.element(page.getByTestId('save-net'), { timeout: 2500 }).toBeDisabled();
      await rate.fill('40', { timeout: 10_000 }); // waits until the field is enabled
      await loaded;
      await page.getByTestId('net-concurrency').fill('5');
      await page.getByTestId('save-net').click();
      await expect.poll(() => crawl.saveNet.mock.calls.length).toBe(1);
      expect(crawl.saveNet.mock.calls[0]![0]).toMatchObject({
        ratePerSec: 40,
        concurrency: 5,
        tmdbBase: 'http://mirror.test/3',
      });
    } finally {
      unmount(app);
      host.remove();
    }
  });
});
