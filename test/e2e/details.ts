import { expect } from 'vitest';
import type { Locator } from 'playwright-core';

/**
 * Opens the `<details>` a summary belongs to, and makes sure it stays open. A single click is not
 * enough on a page still filling in: cards above it (library size, model status) grow as their
 * data arrives, so the click can land beside the summary after Playwright's checks (CI saw a
 * closed "Advanced" section and every later step of the crawl journey fail with it).
 */
export async function openDetails(summary: Locator): Promise<void> {
  const details = summary.locator('xpath=ancestor::details[1]');
  const isOpen = () => details.evaluate((d) => (d as HTMLDetailsElement).open);
  await expect
    .poll(
      async () => {
        if (!(await isOpen())) await summary.click();
        return isOpen();
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
}
