// Regenerate the toolbar / store icons from the one SVG, with headless Chromium.
//
//   node tools/make-icons.mjs                  writes extension/icons/icon-{16,32,48,128}.png
//   node tools/make-icons.mjs --preview x.png  also writes a contact sheet (8x, pixelated) to check crispness
//
// The SVG is rendered as an <img> at each size (not scaled down from 128), so its
// `@media (max-width: 24px)` rules can simplify the 16 px icon. Needs playwright-core
// (npm test tooling) and /usr/bin/chromium. The PNGs are committed; run this after
// editing icon.svg and look at the preview.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ICONS = join(ROOT, 'extension', 'icons');
const SIZES = [16, 32, 48, 128];
const args = process.argv.slice(2);
const preview = args[0] === '--preview' ? args[1] : null;

const svg = readFileSync(join(ICONS, 'icon.svg'));
const svgUrl = `data:image/svg+xml;base64,${svg.toString('base64')}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'] });
try {
  const pngs = {};
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: Math.max(size, 64), height: Math.max(size, 64) }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent"><img id="i" src="${svgUrl}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.waitForFunction(() => document.getElementById('i').complete);
    pngs[size] = await page.screenshot({ clip: { x: 0, y: 0, width: size, height: size }, omitBackground: true });
    writeFileSync(join(ICONS, `icon-${size}.png`), pngs[size]);
    await page.close();
    console.log(`icons/icon-${size}.png  ${pngs[size].length} B`);
  }
  if (preview) {
    const img = (s, scale) => `<img src="data:image/png;base64,${pngs[s].toString('base64')}" width="${s * scale}" height="${s * scale}" style="image-rendering:pixelated;margin:8px;vertical-align:top">`;
    const row = (bg) => `<div style="background:${bg};padding:8px">${SIZES.map((s) => img(s, 1)).join('')}${[16, 32, 48].map((s) => img(s, s === 16 ? 8 : s === 32 ? 4 : 3)).join('')}${img(128, 1)}</div>`;
    const page = await browser.newPage({ viewport: { width: 900, height: 400 } });
    await page.setContent(`<!doctype html><body style="margin:0">${row('#ffffff')}${row('#202124')}</body>`);
    writeFileSync(preview, await page.screenshot({ fullPage: true }));
    console.log(`preview: ${preview}`);
  }
} finally {
  await browser.close();
}
