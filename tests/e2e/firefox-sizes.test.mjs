// Firefox (puppeteer-core over WebDriver BiDi, dist/firefox): our UI at phone
// widths, zoomed, right to left and with hostile long strings — the cases and
// the measurement of sizes.test.mjs (tests/e2e/sizes-lib.mjs), since Gecko
// lays out flex rows, sticky boxes, shadow roots and `overflow-wrap: anywhere`
// on its own — and the dock of a long list; then a time zone with summer time
// (Europe/Berlin) as timezone.test.mjs checks it in Chromium.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, until, EXCHANGE } from './lib.mjs';
import { securityPage, overrides as benchOverrides } from '../bench/pages.mjs';
import { NARROW_ROUTE, CASES, narrow, measure, assertFits } from './sizes-lib.mjs';

const browsers = [];
after(async () => { for (const b of browsers) await b.close().catch(() => {}); });
async function firefox(opts) {
  const b = await launchFirefox(opts);
  browsers.push(b);
  return b;
}
let main = null; // the one the size tests share
const mainFirefox = async () => (main ??= await firefox());

/** A security page at `width`×`height` with our rows, reasons and action card in. */
async function openAt(b, path, width, height, { overrides = {}, transform = null, marks = 9 } = {}) {
  b.state.overrides = { ...NARROW_ROUTE, ...overrides };
  b.state.transform = transform;
  const page = await b.newPage();
  await page.setViewport({ width, height });
  await page.goto(`${EXCHANGE}${path}`);
  await until(page, (n) => document.querySelectorAll('[data-session-guard]').length >= n
    && document.querySelectorAll('[data-session-guard-ui="reason"]').length >= 3
    && !!document.querySelector('[data-session-guard-action="logout-all"]'), marks, 20000, `${path} marked at ${width}×${height}`);
  await new Promise((r) => setTimeout(r, 300));
  return page;
}

test('Firefox: summary, cards and inline reasons stay inside the page\'s boxes at phone widths, zoomed, RTL, with hostile strings', async () => {
  const b = await mainFirefox();
  const failed = [];
  for (const [what, path, w, h, opts] of CASES) {
    const page = await openAt(b, path, w, h, opts);
    try { assertFits(await measure(page), what); } catch (e) { failed.push(e.message); }
    await page.close();
  }
  assert.equal(failed.join('\n\n'), '');
});

test('Firefox: the dock of a long list sticks to the bottom of the window, fits, and leaves the page\'s last controls free', async () => {
  const b = await mainFirefox();
  const file = securityPage(150); // > 100 rows: everything of ours goes into the dock
  const page = await openAt(b, '/account/security', 360, 640, { overrides: benchOverrides('/account/security', file), transform: (_p, h) => narrow(h), marks: 150 });
  await until(page, () => {
    const d = document.querySelector('[data-session-guard-ui="dock"]');
    return !!(d && d.querySelector('[data-session-guard-ui="reason"]'));
  }, undefined, 10000, 'the dock with the reasons');
  assertFits(await measure(page), 'dock');
  const dockBox = () => page.evaluate(() => {
    const r = document.querySelector('[data-session-guard-ui="dock"]').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height, ih: innerHeight };
  });
  const top = await dockBox();
  assert.ok(top.height <= top.ih * 0.4 + 1, `the dock takes at most 40 % of the window: ${JSON.stringify(top)}`);
  assert.ok(Math.abs(top.bottom - top.ih) <= 1 && top.top >= 0, `at the top of the page the dock sits at the bottom of the window: ${JSON.stringify(top)}`);
  // Halfway down: still there (sticky, not at the end of the document).
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  const mid = await dockBox();
  assert.ok(Math.abs(mid.bottom - mid.ih) <= 1, `halfway down the dock is at the bottom of the window: ${JSON.stringify(mid)}`);
  // At the end: below the page's last controls, none of them under it.
  const end = await page.evaluate(async () => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const dock = document.querySelector('[data-session-guard-ui="dock"]');
    const controls = [...document.body.querySelectorAll('button, a[href], [role="button"]')]
      .filter((e) => !e.closest('[data-session-guard-ui]') && e.getClientRects().length && e.checkVisibility());
    const covered = [];
    let inView = 0;
    for (const e of controls) {
      const r = e.getBoundingClientRect();
      if (r.bottom <= 0 || r.top >= innerHeight) continue;
      inView++;
      const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (at === dock || (at && at.closest && at.closest('[data-session-guard-ui="dock"]'))) covered.push(`${e.tagName} "${e.textContent.trim().slice(0, 30)}"`);
    }
    return { covered, inView };
  });
  assert.ok(end.inView >= 1, 'some of the page\'s controls are in view at its end');
  assert.deepEqual(end.covered, [], 'the page\'s last controls under the dock');
  await page.close();
  b.state.overrides = {};
  b.state.transform = null;
});

test('Firefox, Europe/Berlin: a July and a December login land at their own offsets in the session history', async () => {
  const b = await firefox({ env: { TZ: 'Europe/Berlin' }, extensionPages: true });
  b.state.overrides = {};
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security?scenario=reset`);
  await until(page, () => window.__replica && window.__replica.ready && document.querySelectorAll('[data-session-guard]').length >= 9,
    undefined, 20000, 'the security page marked');
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'Europe/Berlin');
  // page 3 of Recent Logins lists the December 2024 logins (a click in the page's own world: the replica's pager)
  await page.evaluate(() => [...document.querySelectorAll('#loginRecord .KuxPagination-root button')].find((x) => x.textContent.trim() === '3').click());
  await until(page, () => window.__replica.ready && !window.__replica.busy
    && [...document.querySelectorAll('#loginRecord tbody tr')].every((r) => r.hasAttribute('data-session-guard'))
    && /12\/31\/2024/.test(document.querySelector('#loginRecord').textContent), undefined, 15000, 'page 3 marked');
  const want = {
    // "7/14/2025, 09:21:37" (page 1, the Current row): CEST, UTC+2
    'Linux Chrome': Date.UTC(2025, 6, 14, 7, 21, 37),
    // "12/31/2024, 22:31:09" (page 3): CET, UTC+1
    'macOS Safari': Date.UTC(2024, 11, 31, 21, 31, 9),
  };
  const store = await b.openExtensionPage('popup.html');
  let seen = [];
  for (let i = 0; i < 50; i++) {
    seen = (await store.evaluate(() => browser.storage.local.get('history'))).history || [];
    if (Object.entries(want).every(([d, t]) => seen.some((h) => h.device === d && h.time_ms === t))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const times = JSON.stringify(seen.map((h) => [h.device, new Date(h.time_ms).toISOString()]));
  for (const [device, t] of Object.entries(want)) {
    assert.ok(seen.some((h) => h.device === device && h.time_ms === t), `${device} at ${new Date(t).toISOString()}: ${times}`);
  }
  await store.close();
  await page.close();
});
