/**
 * One crawl at a time per origin, and a way to tell a crawl that runs from one that died with
 * its tab: a Web Lock is held while a crawl runs and released by the browser when the tab or
 * worker goes away, however abruptly. A saved "running" crawl whose lock is free was interrupted.
 */
const CRAWL_LOCK = 'marquee-crawl';

type Locks = {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    fn: (lock: unknown) => Promise<T>,
  ): Promise<T>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
};
const locks = () => (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;

/** Runs fn holding the crawl lock; throws when another tab's crawl holds it. Without Web Locks, just runs fn. */
export async function withCrawlLock<T>(fn: () => Promise<T>): Promise<T> {
  const l = locks();
  if (!l) return fn();
  return l.request(CRAWL_LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) throw new Error('A crawl is already running in another Marquee tab.');
    return fn();
  });
}

/** Whether a crawl runs now (in this or any other tab); null when the browser cannot tell. */
export async function crawlIsRunning(): Promise<boolean | null> {
  const l = locks();
  if (!l) return null;
  const { held = [] } = await l.query();
  return held.some((h) => h.name === CRAWL_LOCK);
}
