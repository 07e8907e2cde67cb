// How a scan crosses between the page and the background: the snapshot in the
// core's compact form, in parts on a big page (each message small, put
// together in the background: in order, per tab and document, bounded, a stale
// scan's parts dropped), and the plan back as the JSON text the core wrote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { launchChromium, waitForMarks, FIXTURES, EXCHANGE } from './lib.mjs';
import { securityPage, PAGES } from '../bench/pages.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

const counts = () => b.sw.evaluate(() => ({
  scans: sessionGuardDebug.stats.scans, parts: sessionGuardDebug.received.scanPart || 0, dropped: sessionGuardDebug.dropped.count,
}));

test('a big page: the snapshot crosses in parts of at most 128 K characters, and every row is marked', async () => {
  // 600 Recent Logins rows: ~300 KB of snapshot
  b.state.overrides = { '/account/security': relative(FIXTURES, `${PAGES}/${securityPage(600)}`) };
  await b.sw.evaluate(() => {
    globalThis.__partSizes = [];
    chrome.runtime.onMessage.addListener((m) => { if (m && m.type === 'scanPart') globalThis.__partSizes.push(m.part.length); });
  });
  const c0 = await counts();
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await waitForMarks(page, 604, 'data-session-guard', 60000);
  const c1 = await counts();
  const sizes = await b.sw.evaluate(() => globalThis.__partSizes);
  assert.ok(c1.parts - c0.parts >= 3, `parts: ${c1.parts - c0.parts}`);
  assert.ok(sizes.every((n) => n <= 131072), JSON.stringify(sizes));
  assert.equal(c1.dropped, c0.dropped, 'nothing dropped');
  // what the core read is the whole page: all 600 rows' texts, in the object view of the compact form
  const seen = await b.sw.evaluate(() => {
    const s = sessionGuardDebug.lastSnapshot;
    return { rows: s.nodes.filter((n) => n.tag === 'tr').length, last: s.nodes.some((n) => n.text === 'Toronto(198.18.2.87)') };
  });
  assert.ok(seen.rows >= 601, JSON.stringify(seen));
  assert.ok(seen.last, 'the last row (599) arrived');
  assert.equal(await b.sw.evaluate(() => sessionGuardDebug.assembling.size), 0, 'nothing left over');
  await page.close();
  b.state.overrides = {};
});

test('parts: in order, from our content script only, per tab; a new scan drops the old one\'s parts', async () => {
  const r = await b.sw.evaluate(async () => {
    const ku = 'https://www.kucoin.com/account/security';
    const good = { id: chrome.runtime.id, url: ku, origin: 'https://www.kucoin.com', frameId: 0, tab: { id: 41, url: ku }, documentId: 'D1' };
    const other = { ...good, tab: { id: 42, url: ku } };
    const h = sessionGuardDebug.handle;
    const snap = JSON.stringify({ url: ku, lang: 'en', n: [[1, 0, 'body'], [2, 1, 'p'], [3, 2, 0, 'hello']] });
    const cut = (k) => [snap.slice(0, k), snap.slice(k, 2 * k), snap.slice(2 * k)];
    const [p0, p1, p2] = cut(20);
    const d0 = sessionGuardDebug.dropped.count;
    const out = {};
    const part = (scan, index, p, s = good) => h({ type: 'scanPart', scan, index, part: p }, s);
    const finish = (scan, count, s = good) => h({ type: 'scan', parts: { scan, count } }, s);
    // in order → a scan of the whole text
    out.inOrder = [await part(1, 0, p0), await part(1, 1, p1), await part(1, 2, p2)];
    out.whole = await finish(1, 3);
    out.wholeText = sessionGuardDebug.lastSnapshot.nodes.map((n) => n.text).join('');
    // once only
    out.again = await finish(1, 3);
    // out of order: dropped, and the scan is over
    out.skip = [await part(2, 0, p0), await part(2, 2, p2), await part(2, 1, p1)];
    out.skipped = await finish(2, 3);
    // a new scan (part 0) drops the older one's parts
    out.stale = [await part(3, 0, p0), await part(3, 1, p1), await part(4, 0, p0), await part(3, 2, p2)];
    out.staleScan = await finish(3, 3);
    // fewer parts than said
    out.short = [await part(5, 0, p0), await part(5, 1, p1)];
    out.shortScan = await finish(5, 3);
    // other tabs' parts do not mix with this one's
    out.tabs = [await part(6, 0, p0), await part(6, 0, p0, other), await part(6, 1, p1), await part(6, 2, 'garbage', other), await part(6, 2, p2)];
    out.tabScan = await finish(6, 3);
    // the wrong sender (a subframe), malformed parts, an oversized part
    out.bad = [
      await part(7, 0, p0, { ...good, frameId: 2 }),
      await h({ type: 'scanPart', scan: 0, index: 0, part: p0 }, good),
      await h({ type: 'scanPart', scan: 7, index: -1, part: p0 }, good),
      await h({ type: 'scanPart', scan: 7, index: 0, part: 5 }, good),
      await h({ type: 'scanPart', scan: 7, index: 0, part: 'x'.repeat(262145) }, good),
    ];
    // a scan whose parts add up to more than the bound: dropped at the part that crosses it
    const big = 'x'.repeat(262144);
    let over = null;
    for (let i = 0; i < 260 && over === null; i++) {
      const res = await part(8, i, big);
      if (!res) over = i;
    }
    out.over = over;
    out.overScan = await finish(8, over);
    out.dropped = sessionGuardDebug.dropped.count - d0;
    out.left = sessionGuardDebug.assembling.size;
    return out;
  });
  const ok = { ok: true };
  assert.deepEqual(r.inOrder, [ok, ok, ok]);
  assert.equal(typeof r.whole.plan, 'string');
  assert.equal(r.wholeText, 'hello');
  assert.equal(r.again, undefined);
  assert.deepEqual(r.skip, [ok, undefined, undefined]);
  assert.equal(r.skipped, undefined);
  assert.deepEqual(r.stale, [ok, ok, ok, undefined]);
  assert.equal(r.staleScan, undefined);
  assert.deepEqual(r.short, [ok, ok]);
  assert.equal(r.shortScan, undefined);
  assert.deepEqual(r.tabs, [ok, ok, ok, undefined, ok]);
  assert.equal(typeof r.tabScan.plan, 'string');
  assert.deepEqual(r.bad, [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(r.over, 256, '64 Mi characters at most');
  assert.equal(r.overScan, undefined);
  // again, skip ×3 (two parts, the scan), stale ×2 (the part, the scan), short, tabs, bad ×5, over ×2 (the part, the scan)
  assert.equal(r.dropped, 1 + 3 + 2 + 1 + 1 + 5 + 2);
  assert.equal(r.left, 0, 'no parts left over');
});

test('the plan crosses to the page as the core\'s JSON text, with no parse and stringify in the background', async () => {
  const r = await b.sw.evaluate(async () => {
    const ku = 'https://www.kucoin.com/account/security';
    const good = { id: chrome.runtime.id, url: ku, origin: 'https://www.kucoin.com', frameId: 0, tab: { id: 43, url: ku } };
    const snap = JSON.stringify({
      url: ku, lang: 'en', n: [[1, 0, 'body'], [2, 1, 'table'], [3, 2, 'tr'], [4, 3, 'th'], [5, 4, 0, 'Login IP'], [6, 3, 'th'],
        [7, 6, 0, 'Login Device'], [8, 3, 'th'], [9, 8, 0, 'Time'], [10, 3, 'th'], [11, 10, 0, 'Status'], [12, 2, 'tr'], [13, 12, 'td'],
        [14, 13, 0, 'Lagos(198.51.100.77)'], [15, 12, 'td'], [16, 15, 0, 'Linux Firefox'], [17, 12, 'td'], [18, 17, 0, '7/14/2025, 03:48:12'],
        [19, 12, 'td'], [20, 19, 0, 'Online']],
    });
    const { stringify, parse } = JSON;
    let plansWritten = 0;
    let plansRead = 0;
    JSON.stringify = function (v, ...rest) {
      if (v && typeof v === 'object' && Array.isArray(v.marks)) plansWritten++;
      return Reflect.apply(stringify, this, [v, ...rest]);
    };
    JSON.parse = function (t, ...rest) {
      if (typeof t === 'string' && t.includes('"marks":[{')) plansRead++; // (the outcome next to it has an empty plan)
      return Reflect.apply(parse, this, [t, ...rest]);
    };
    let reply;
    try {
      reply = await sessionGuardDebug.handle({ type: 'scan', snapshot: snap }, good);
    } finally {
      JSON.stringify = stringify;
      JSON.parse = parse;
    }
    return { plan: reply.plan, plansWritten, plansRead };
  });
  assert.equal(typeof r.plan, 'string');
  assert.equal(r.plansWritten, 0, 'the background wrote the plan again');
  assert.equal(r.plansRead, 0, 'the background read the plan');
  const plan = JSON.parse(r.plan);
  assert.deepEqual(plan.marks.map((m) => [m.id, m.attr, m.value]), [[12, 'data-session-guard', 'unfamiliar'], [12, 'data-session-guard-bar', 'unfamiliar']]);
});
