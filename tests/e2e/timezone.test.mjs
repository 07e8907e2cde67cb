// A time zone with summer time (Europe/Berlin): the content script sends the
// zone's offset history, and the core reads each local time on the page with
// the offset of its instant, not today's (a July login read in December is
// CEST, a December one read in July is CET).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, storage, EXCHANGE } from './lib.mjs';

let b;
before(async () => {
  b = await launchChromium({ env: { TZ: 'Europe/Berlin' } });
});
after(async () => { await b?.close(); });

test('the snapshot env carries the zone\'s offset changes, each to the minute', async () => {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'Europe/Berlin');
  await waitForMarks(page, 9);
  const env = await b.sw.evaluate(() => sessionGuardDebug.lastSnapshot.env);
  const list = env.utc_offset_changes;
  assert.ok(Array.isArray(list), JSON.stringify(env));
  // ~2 years back: the window's start and 4 or 5 changes between CET and CEST
  assert.ok(list.length >= 5 && list.length <= 6, JSON.stringify(list));
  assert.ok(list.every(([m, o]) => Number.isInteger(m) && [60, 120].includes(o)), JSON.stringify(list));
  assert.ok(list.every((x, i) => i === 0 || (x[0] > list[i - 1][0] && x[1] !== list[i - 1][1])), 'sorted, each a change');
  assert.equal(list.at(-1)[1], env.utc_offset_minutes, 'ends in the offset now');
  const days = (Date.now() / 60000 - list[0][0]) / 1440;
  assert.ok(days > 700 && days < 800, `window of ${days} days`);
  // every change at 01:00 UTC (EU rule), where the browser's own offset changes
  const offsets = await page.evaluate((ms) => ms.map((m) => [-new Date(m * 60000 - 60000).getTimezoneOffset(), -new Date(m * 60000).getTimezoneOffset()]), list.slice(1).map((x) => x[0]));
  list.slice(1).forEach(([m, o], i) => {
    assert.equal(new Date(m * 60000).toISOString().slice(11), '01:00:00.000Z', JSON.stringify(list));
    assert.equal(offsets[i][1], o);
    assert.notEqual(offsets[i][0], o);
  });
  await page.close();
});

test('a July and a December login land at their own offsets in the session history', async () => {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  // page 3 of Recent Logins lists the December 2024 logins
  await page.click('#loginRecord .KuxPagination-root button:has-text("3")');
  await page.waitForFunction(() => window.__replica.ready && !window.__replica.busy);
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')].every((r) => r.hasAttribute('data-session-guard')), null, { timeout: 10000 });
  const want = {
    // "7/14/2025, 09:21:37" (page 1, this browser's session): CEST, UTC+2
    'Linux Chrome': Date.UTC(2025, 6, 14, 7, 21, 37),
    // "12/31/2024, 22:31:09" (page 3): CET, UTC+1
    'macOS Safari': Date.UTC(2024, 11, 31, 21, 31, 9),
  };
  let seen = [];
  for (let i = 0; i < 50; i++) {
    seen = (await storage(b.sw)).history || [];
    if (Object.entries(want).every(([d, t]) => seen.some((h) => h.device === d && h.time_ms === t))) break;
    await page.waitForTimeout(100);
  }
  const times = JSON.stringify(seen.map((h) => [h.device, new Date(h.time_ms).toISOString()]));
  for (const [device, t] of Object.entries(want)) {
    assert.ok(seen.some((h) => h.device === device && h.time_ms === t), `${device} at ${new Date(t).toISOString()}: ${times}`);
  }
  await page.close();
});
