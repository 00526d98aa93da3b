import type { Page } from 'playwright-core';
import { basename } from 'node:path';

/**
 * Waits until Predict can take files (model loaded), picks one poster through its file input and
 * returns the probabilities of that poster's newest result card.
 */
export async function predictPoster(page: Page, poster: string): Promise<number[]> {
  await page
    .locator('[data-testid=predict-file]:not([disabled])')
    .waitFor({ state: 'attached', timeout: 120_000 });
  await page.getByTestId('predict-file').setInputFiles(poster);
  // Results are kept across drops, newest first: the first card of that name is this drop's.
  const card = page
    .locator(`[data-testid=predict-result][data-file="${basename(poster)}"]`)
    .first();
  await card.waitFor({ timeout: 60_000 });
  return JSON.parse((await card.getAttribute('data-probabilities'))!) as number[];
}
