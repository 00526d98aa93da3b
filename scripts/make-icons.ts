/**
 * `npm run make-icons`: renders public/favicon.svg into the PNG icons the web app manifest and iOS
 * want (public/icons/): 192 and 512 px ("any": the rounded tile as drawn), a 512 px maskable one
 * (full-bleed background, the mark inside the central 80 % safe zone, so any mask shape keeps it
 * whole) and a 180 px apple-touch-icon (opaque: iOS fills transparency with black). Rendered by
 * the system Chromium (test/chromium.ts), so the PNGs are exactly the SVG as browsers draw it; no
 * image library needed. The PNGs are committed; rerun after changing the SVG.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'public/icons');
const BACKGROUND = '#14161c';

/** name, size in px, how much of the square the SVG fills (1 = all), opaque background or not. */
export const ICONS = [
  { name: 'icon-192.png', size: 192, scale: 1, opaque: false },
  { name: 'icon-512.png', size: 512, scale: 1, opaque: false },
  { name: 'icon-maskable-512.png', size: 512, scale: 0.8, opaque: true },
  { name: 'apple-touch-icon.png', size: 180, scale: 1, opaque: true },
] as const;

async function main(): Promise<void> {
  const svg = readFileSync(join(ROOT, 'public/favicon.svg'), 'utf8');
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
      const inner = Math.round(icon.size * icon.scale);
      const pad = (icon.size - inner) / 2;
      await page.setContent(
        `<html><body style="margin:0;background:${icon.opaque ? BACKGROUND : 'transparent'}">` +
          `<div style="position:absolute;left:${pad}px;top:${pad}px;width:${inner}px;height:${inner}px">` +
          svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `) +
          `</div></body></html>`,
      );
      writeFileSync(
        join(OUT, icon.name),
        await page.screenshot({ omitBackground: !icon.opaque, type: 'png' }),
      );
      await page.close();
      console.log(`wrote public/icons/${icon.name}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
