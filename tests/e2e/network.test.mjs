// Zero requests of its own (issue 7): every replica page (each file in
// routes.json, at its real URL) is opened with the extension working on it,
// and every request the browser makes — pages, the content script, the
// service worker — is watched. A page may load itself and its /_replica/
// assets; the extension only its own packaged files. Anything else fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { extname } from 'node:path';
import { launchChromium, replicaReady, ROUTES, EXCHANGE } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

const scans = () => b.sw.evaluate(() => sessionGuardDebug.received.scan || 0);

/**
 * One visit per replica page file: its first route, except that the
 * /_replica/en-* variants are served at the real security URL (where the
 * content script works).
 */
function pages() {
  const seen = new Set();
  const out = [];
  for (const [path, file] of Object.entries(ROUTES)) {
    if (extname(file) !== '.html' || seen.has(file)) continue;
    seen.add(file);
    out.push(path.startsWith('/_replica/') ? { path: '/account/security', file } : { path });
  }
  return out;
}

test('on every replica page the extension requests nothing but its own files', async () => {
  const list = pages();
  assert.ok(list.length >= 35, `${list.length} pages`);
  const problems = [];
  let scanned = 0;
  const page = await b.context.newPage();
  for (const { path, file } of list) {
    b.state.overrides = file ? { [path]: file } : {};
    const url = `${EXCHANGE}${path}?delay=20`; // the replica's simulated XHRs, shortened
    const from = b.requests.length;
    const n = await scans();
    await page.goto(url);
    await replicaReady(page).catch(() => {}); // sign-in redirects never become ready
    // Pages the content script reads: wait for the core's answer to be applied.
    if (/\/(account|ucenter)(\/|$)/.test(path)) {
      const ok = await b.sw.evaluate((k) => new Promise((r) => {
        const t = setInterval(() => { if ((sessionGuardDebug.received.scan || 0) > k) { clearInterval(t); r(true); } }, 20);
        setTimeout(() => { clearInterval(t); r(false); }, 10000);
      }), n);
      if (ok) scanned++;
      else problems.push(`${path} (${file || 'default'}): never scanned`);
    }
    await page.waitForTimeout(100);
    for (const u of b.requests.slice(from)) {
      if (u === url || u.startsWith(`${EXCHANGE}/_replica/`)) continue; // the page and its assets
      if (u.startsWith(`chrome-extension://${b.extId}/`)) continue; // our packaged files
      problems.push(`${path} (${file || 'default'}): ${u}`);
    }
  }
  b.state.overrides = {};
  await page.close();
  assert.ok(scanned >= 30, `${scanned} pages scanned`);
  assert.deepEqual(problems, []);
  // And the extension's own files are only ever what it ships.
  const own = b.requests.filter((u) => u.startsWith('chrome-extension://'));
  assert.ok(own.every((u) => u.startsWith(`chrome-extension://${b.extId}/`)), JSON.stringify(own));
});

test('the request watch sees the service worker and the page alike (so the test above can fail)', async () => {
  const from = b.requests.length;
  await b.sw.evaluate(() => fetch('https://www.kucoin.com/_probe-from-worker').catch(() => {}));
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/markets`);
  await page.evaluate(() => fetch('/_probe-from-page').catch(() => {}));
  await page.waitForTimeout(200);
  await page.close();
  const seen = b.requests.slice(from);
  assert.ok(seen.includes(`${EXCHANGE}/_probe-from-worker`), JSON.stringify(seen));
  assert.ok(seen.includes(`${EXCHANGE}/_probe-from-page`), JSON.stringify(seen));
});
