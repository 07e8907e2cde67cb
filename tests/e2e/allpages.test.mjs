// "Check the other pages" on the summary above Recent Logins, in Chromium
// with the built extension, on the English replica (12 logins on 3 pages;
// its own script implements KuCoin's pager). After our button's trusted
// click, Session Guard steps through the pager (2, 3, back to 1) and the
// stored report and the popup speak of every page read in that page load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, storage, openPopup, EXCHANGE } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

/** Wait until the stored state satisfies `pred` (polled; the run takes a few scans). */
async function stored(pred, what, timeout = 20000) {
  const t0 = Date.now();
  for (;;) {
    const st = await storage(b.sw);
    if (pred(st)) return st;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(st.scan && { pages: st.scan.pages, paging: st.scan.paging })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pages of Recent Logins the replica rendered in this document, in order. */
const loginPages = (page) => page.evaluate(() => __replica.log.filter((e) => e.type === 'render' && e.list === 'logins').map((e) => e.page));

/** Text of our widgets (shadow roots) that hold `needle`. */
const summaryText = (page, needle) => page.evaluate((n) => [...document.querySelectorAll('[data-session-guard-ui]')]
  .map((h) => (h.shadowRoot ? h.shadowRoot.textContent : '')).filter((t) => t.includes(n)).join('\n'), needle);

const recentLogins = (st) => (st.scan?.pages ?? []).find((l) => l.table === 'recent_logins');

/**
 * A run of "Check the other pages" on `page` (page 1 shown when it started):
 * pages 2 and 3 read, KuCoin's pager back on page 1, where the user was, and
 * that page read again (the popup shows the stored report).
 */
async function theRunEnds(page, what) {
  const st = await stored((s) => recentLogins(s)?.read?.length === 3 && !s.scan.paging, what);
  assert.deepEqual(recentLogins(st).read, [1, 2, 3]);
  await page.waitForFunction(() => {
    const cur = document.querySelector('#loginRecord [aria-current="page"]');
    return cur && cur.textContent === '1' && __replica.ready && !__replica.busy;
  }, null, { timeout: 15000 });
  assert.deepEqual((await loginPages(page)).slice(1), [2, 3, 1]);
  await stored((s) => s.scan?.summary?.readable && s.scan.view_page === 1 && recentLogins(s)?.read?.length === 3, 'page 1 read again');
}

test('"Check the other pages" above Recent Logins steps through KuCoin\'s pager; the popup then speaks of all 3 pages', async () => {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  await stored((st) => recentLogins(st)?.read?.length === 1, 'page 1 read');
  let popup = await openPopup(b.context, b.extId);
  assert.deepEqual(await popup.$$eval('.pages li', (li) => li.map((l) => l.textContent)), ['Only page 1 of 3 of Recent Logins was checked.']);
  assert.equal(await popup.textContent('[data-count="sessions"]'), '5');
  await popup.close();
  assert.deepEqual(await loginPages(page), [1], 'nothing pressed on KuCoin\'s pager before our button');

  // The user's click (trusted, through Playwright) on our summary's button.
  await page.locator('[data-session-guard-ui] button', { hasText: 'Check the other pages' }).click();
  await theRunEnds(page, 'pages 2 and 3 read');

  popup = await openPopup(b.context, b.extId);
  assert.deepEqual(await popup.$$eval('.pages li', (li) => li.map((l) => l.textContent)), ['All 3 pages of Recent Logins were checked.']);
  assert.notEqual(await popup.getAttribute('header.status', 'data-state'), 'partial');
  assert.match(await popup.textContent('header.status h1'), /Review needed/);
  assert.equal(await popup.textContent('[data-count="sessions"]'), '12');
  const sessions = await popup.$$eval('.sessions li', (li) => li.map((l) => l.textContent).join('\n'));
  assert.match(sessions, /Tokyo[^\n]*\(Recent Logins page 2\)/);
  assert.match(sessions, /Amsterdam[^\n]*\(Recent Logins page 3\)/);
  await popup.close();

  // The page's summary says it too, and names what the other pages hold.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui]')]
    .some((h) => h.shadowRoot && h.shadowRoot.textContent.includes('All 3 pages of Recent Logins were checked.')), null, { timeout: 10000 });
  const text = await summaryText(page, 'All 3 pages of Recent Logins were checked.');
  assert.match(text, /unfamiliar sessions on other pages of Recent Logins:/);
  assert.match(text, /Tokyo[^\n]*\(Recent Logins page 2\)/);
  assert.doesNotMatch(text, /Check the other pages/);
});

test('"Check the other pages" from the popup: it opens the security page, which steps through the pager', async () => {
  for (const p of b.context.pages()) await p.close();
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  // A new page load: only page 1 read (the first test's pages do not carry over).
  await stored((st) => recentLogins(st)?.read?.length === 1 && !st.scan.paging, 'page 1 read in this page load');
  let popup = await openPopup(b.context, b.extId);
  const button = popup.locator('button[data-action="check-pages"]');
  assert.equal(await button.textContent(), 'Check the other pages');
  assert.deepEqual(await loginPages(page), [1]);
  await button.click();
  // The popup's trusted click: the security tab is asked to scan, and the run steps through 2, 3, back to 1.
  await theRunEnds(page, 'pages 2 and 3 read from the popup\'s click');
  await popup.close();
  popup = await openPopup(b.context, b.extId);
  assert.deepEqual(await popup.$$eval('.pages li', (li) => li.map((l) => l.textContent)), ['All 3 pages of Recent Logins were checked.']);
  assert.equal(await popup.locator('button[data-action="check-pages"]').count(), 0, 'every page read: no button');
  await popup.close();
  await page.close();
});
