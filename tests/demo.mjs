// ./build.sh demo — run the built extension in Chromium on the bundled KuCoin
// replica pages, save screenshots to target/demo/ and print what it found.
// Headless without a display; with $DISPLAY a visible browser stays open.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, replicaReady, waitForMarks, markedRows, storage, badge, openPopup, ROOT, EXCHANGE } from './e2e/lib.mjs';

const OUT = join(ROOT, 'target', 'demo');
mkdirSync(OUT, { recursive: true });
const headed = !!process.env.DISPLAY && !process.env.CI;

const b = await launchChromium({ headless: !headed });
const report = [];
try {
  // English last: the popup then shows the English page's scan (place names as that page wrote them).
  for (const [name, path] of [['security-ar', '/ar/account/security'], ['security-ru', '/ru/account/security'], ['security-en', '/account/security']]) {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${EXCHANGE}${path}`);
    await replicaReady(page);
    await waitForMarks(page, 9);
    await page.waitForTimeout(400);
    const el = await page.$('#loginRecord');
    if (el) await el.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    const rows = await markedRows(page);
    report.push(`${path}: ${rows.length} rows marked — ${rows.map((r) => `${r.value}`).join(', ')}`);
    if (name !== 'security-en') await page.close();
  }
  const st = await storage(b.sw);
  const s = st.scan.summary;
  report.push(`last scan: ${s.sessions} sessions, ${s.online} online, ${s.unfamiliar} unfamiliar (${s.unfamiliar_online} online)`);
  // (the isolates around page text are for the browser's layout; a terminal may draw them)
  const plain = (t) => t.replace(/[\u2066-\u2069]/g, '');
  for (const r of st.scan.rows.slice(0, 6)) report.push(`  [${r.verdict}${r.severity ? `/${r.severity}` : ''}] ${plain(r.reason)}`);
  const bd = await badge(b.sw);
  report.push(`badge: "${bd.text}" — ${bd.title}`);
  const popup = await openPopup(b.context, b.extId);
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.screenshot({ path: join(OUT, 'popup.png'), fullPage: true });
  report.push(`screenshots: ${OUT}/{security-en,security-ar,security-ru,popup}.png`);
  console.log('\nSession Guard demo report');
  for (const l of report) console.log(`  ${l}`);
  if (headed) {
    console.log('\nA browser window is open: click around the replica pages. Close it to finish.');
    await new Promise((r) => b.context.on('close', r));
  }
} finally {
  if (!headed) await b.close();
}
