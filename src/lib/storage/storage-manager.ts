/** The browser's StorageManager (usage, quota, persistence), reached softly: any failure gives null/false. */

/** Usage and quota for this origin as the browser reports them; null where it gives nothing. */
export interface StorageEstimate {
  usageBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
}

function manager(): StorageManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/** Reads usage/quota (window and worker) and whether storage is persistent (null when unknown). */
export async function storageEstimate(): Promise<StorageEstimate> {
  const sm = manager();
  let usageBytes: number | null = null;
  let quotaBytes: number | null = null;
  let persisted: boolean | null = null;
  try {
    const e = await sm?.estimate();
    usageBytes = e?.usage ?? null;
    quotaBytes = e?.quota ?? null;
  } catch {
    // Unsupported or denied: leave as unknown.
  }
  try {
    // persisted() exists in workers too, but not in every browser.
    if (typeof sm?.persisted === 'function') persisted = await sm.persisted();
  } catch {
    persisted = null;
  }
  return { usageBytes, quotaBytes, persisted };
}

/** Asks the browser not to evict this site's data; false when refused or unavailable (e.g. in a worker). */
export async function requestPersistence(): Promise<boolean> {
  const sm = manager();
  try {
    return typeof sm?.persist === 'function' ? await sm.persist() : false;
  } catch {
    return false;
  }
}
