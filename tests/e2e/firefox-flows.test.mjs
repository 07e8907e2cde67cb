// Firefox e2e for the multi-page features (puppeteer-core over WebDriver BiDi,
// Debian firefox-esr, dist/firefox): the popup, the API-key audit and a full
// "Log out all devices" run with the session check after the password change.
// One browser for the file, in this order (the profile's state carries over).
//
// Clicks on our buttons are page.mouse clicks at the button's centre: BiDi
// input.performActions, so the page sees isTrusted events like a user's.
// Extension storage is read in our own popup.html opened in a tab (Firefox
// has no service-worker target to evaluate in).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, until, EXCHANGE, foreignRequests, API_EXPECTED } from './lib.mjs';

const SECRET = 'Zq7-Secret-Pw-93XkT';
const CODE = '493817';

let b;
let probe; // an extension page (popup.html in a tab) to read storage from
before(async () => {
  b = await launchFirefox({ extensionPages: true });
  // KuCoin names this browser by its User-Agent; the replica's sessions of "this
  // browser" (Current, its trusted device, the sign-in after a password change)
  // say Linux Chrome, so here they say Linux Firefox. Otherwise the extension
  // rightly flags KuCoin's Current session as not this browser.
  b.state.transform = (path, html) => (path.endsWith('/account/security') ? html.replaceAll('Linux Chrome', 'Linux Firefox') : html);
});
after(async () => { await b?.close(); });

/** The badge once its text is `want` (the background sets it just after it stores a scan). */
async function badgeUntil(want, timeout = 20000) {
  await storage();
  const t0 = Date.now();
  for (;;) {
    const bd = await probe.evaluate(async () => ({ text: await browser.action.getBadgeText({}), title: await browser.action.getTitle({}) }));
    if (bd.text === want) return bd;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for the badge "${want}": ${JSON.stringify(bd)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const storage = async () => {
  if (!probe) probe = await b.openExtensionPage('popup.html');
  return probe.evaluate(() => browser.storage.local.get(null));
};

async function storageUntil(pred, what, timeout = 30000) {
  const t0 = Date.now();
  for (;;) {
    const st = await storage();
    if (pred(st)) return st;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}: flow=${JSON.stringify(st.flow)} checks=${JSON.stringify(st.checks)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The popup, freshly opened (it renders from storage once loaded). */
async function openPopup() {
  const popup = await b.openExtensionPage('popup.html');
  await until(popup, () => !!document.querySelector('#app header.status'), undefined, 15000, 'the popup rendered');
  return popup;
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

const onPath = (page, path, timeout = 30000) => until(page,
  (p) => location.pathname === p && window.__replica && window.__replica.ready && !window.__replica.busy,
  path, timeout, `${path} loaded and ready`);

/**
 * Centre of the first button of ours whose text includes `label`, inside a
 * host matching `hostSel` (scrolled into view), once it exists and is enabled.
 */
async function ourButton(page, hostSel, label, timeout = 20000) {
  return until(page, ([h, l]) => {
    for (const host of document.querySelectorAll(h)) {
      const btn = host.shadowRoot && [...host.shadowRoot.querySelectorAll('button')].find((x) => x.textContent.includes(l));
      if (!btn || btn.disabled) continue;
      btn.scrollIntoView({ block: 'center' });
      const r = btn.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, [hostSel, label], timeout, `our "${label}" button in ${hostSel}`);
}

async function clickOurs(page, hostSel, label) {
  const c = await ourButton(page, hostSel, label);
  await page.mouse.click(c.x, c.y);
}

/** Shadow-root text of the first host matching `sel` whose text matches `re`. */
const widgetText = (page, sel, re, timeout = 20000) => until(page, ([s, src]) => {
  const h = [...document.querySelectorAll(s)].find((x) => x.shadowRoot && new RegExp(src).test(x.shadowRoot.textContent));
  return h ? h.shadowRoot.textContent : null;
}, [sel, re.source], timeout, `${sel} saying ${re}`);

/** The replica's security page (state reset), once its 9 rows are marked. */
async function openMarkedSecurity() {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security?scenario=reset`);
  await until(page, () => window.__replica && window.__replica.ready && document.querySelectorAll('[data-session-guard]').length >= 9,
    undefined, 20000, 'the security page marked');
  return page;
}

/** The text of our confirmation dialog once it is open. */
const ourDialog = (page, what) => until(page, () => {
  const h = document.querySelector('[data-session-guard-dialog]');
  return h && h.shadowRoot.querySelector('dialog[open]') ? h.shadowRoot.textContent : null;
}, undefined, 20000, what);

/** The session check card's state and text once its state is one of `accept`. */
const checkCard = (page, accept, what) => until(page, (ok) => {
  const h = document.querySelector('[data-session-guard-check]');
  const v = h && h.getAttribute('data-session-guard-check');
  return v && ok.includes(v) ? [v, h.shadowRoot.textContent] : null;
}, accept, 30000, what);

test('Firefox popup: before any scan it says so', async () => {
  const popup = await openPopup();
  assert.equal(await popup.$eval('header.status', (e) => e.dataset.state), 'no-scan');
  assert.equal(await text(popup, 'header.status h1'), 'No scan yet');
  assert.match(await text(popup, 'header.status p'), /Open your KuCoin security page/);
  await popup.close();
});

test('Firefox: API Management keys audited, summary above the list, count in the popup', async () => {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/api`);
  const names = Object.keys(API_EXPECTED);
  const marks = await until(page, (n) => {
    const els = [...document.querySelectorAll('[data-session-guard-api]')];
    if (els.length < n.length) return null;
    return els.map((e) => [e.getAttribute('data-session-guard-api'), e.textContent]);
  }, names, 20000, 'seven marked key cards');
  const byName = {};
  for (const [value, t] of marks) {
    const hit = names.filter((n) => t.includes(n));
    assert.equal(hit.length, 1, `a marked element holds one key: ${t.slice(0, 80)}`);
    byName[hit[0]] = value;
  }
  assert.deepEqual(byName, API_EXPECTED);
  const summary = await widgetText(page, '[data-session-guard-ui="summary"]', /API keys/);
  assert.match(summary, /7 API keys · 3 high risk · 2 to note/);
  assert.match(summary, /Not reviewed yet/);
  assert.ok(await page.$eval('[data-session-guard-ui="summary"]', (h) =>
    !!(h.compareDocumentPosition(document.querySelector('[data-session-guard-api]')) & Node.DOCUMENT_POSITION_FOLLOWING)), 'the summary is above the list');
  const reason = await page.$$eval('[data-session-guard-api]', (cards) => {
    const host = cards.find((c) => c.textContent.includes('withdraw-ops')).querySelector('[data-session-guard-ui="reason"]');
    return host ? host.shadowRoot.textContent : null;
  });
  assert.match(reason, /High risk: \u2068withdraw-ops\u2069.*Can withdraw your funds/);
  const st = await storageUntil((s) => s.api && s.api.keys === 7, 'the audit stored');
  assert.equal(st.api.high, 3);
  const popup = await openPopup();
  assert.equal(await text(popup, '[data-count="api"]'), '7 · 3 high risk');
  await popup.close();
  await page.close();
});

test('Firefox: "Log out all devices" started from the popup asks on the security tab, runs only after Start there', async () => {
  const page = await openMarkedSecurity();
  // The badge and the popup after the scan (as in Chromium: tests/e2e/chromium.test.mjs).
  const st = await storageUntil((s) => s.scan && s.scan.summary && s.scan.summary.sessions === 5, 'the scan stored');
  assert.equal(st.scan.summary.unfamiliar_online, 2);
  const bd = await badgeUntil('2');
  assert.match(bd.title, /2 unfamiliar online sessions/);
  const popup = await openPopup();
  const counts = await popup.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [e.dataset.count, e.textContent])));
  assert.deepEqual(counts, { sessions: '5', online: '3', unfamiliar: '4', api: '7 · 3 high risk' });
  assert.match(await text(popup, 'header.status h1'), /Review needed/);
  await clickPopup(popup, '[data-action="logout-all"]', 'the popup\'s Log out all devices');
  await storageUntil((s) => s.flow && s.flow.stage === 'requested', 'the request stored');
  // The popup found the open security tab (tabs.query / tabs.update / a rescan message) rather than opening another.
  const dialog = await ourDialog(page, 'our dialog on the security tab');
  assert.match(dialog, /Log out all devices\?/);
  const pages = (await b.browser.pages()).map((p) => p.url()).filter((u) => u.startsWith(`${EXCHANGE}/account/security`));
  assert.equal(pages.length, 1, `one security tab: ${pages}`);
  assert.deepEqual(await page.evaluate(() => __replica.log.filter((e) => e.type === 'popconfirm').length), 0, 'nothing before Start');
  await page.bringToFront();
  // KuCoin slowed down, so that the run is still removing devices when Cancel is pressed
  // (at the replica's usual speed a busy machine saw it finish first); the next test's
  // `scenario=reset` resets it
  await page.evaluate(() => __replica.setState({ delay: 1500 }));
  await clickOurs(page, '[data-session-guard-dialog]', 'Start');
  await until(page, () => (__replica.state().removedDevices || []).length >= 1, undefined, 30000, 'a device removed');
  // Cancel while the run goes on: one click. The card grows a "Removed: …"
  // line per device; its buttons sit above that list, so Cancel stays put.
  await clickOurs(page, '[data-session-guard-flow]', 'Cancel');
  await storageUntil((s) => !s.flow, 'the run cancelled', 15000);
  await popup.close();
  await page.close();
});

/** Click the popup's button `sel` at its centre (a trusted click). */
async function clickPopup(popup, sel, what) {
  // The popup renders again when an open KuCoin tab's scan changes what it shows, and a
  // new rendering may move the button: click once #app has been still for 400 ms, at the
  // centre of the element meant (the one there), as a user would after looking.
  await popup.evaluate(() => {
    window.__sgQuietSince = performance.now();
    if (!window.__sgQuiet) {
      window.__sgQuiet = new MutationObserver(() => { window.__sgQuietSince = performance.now(); });
      window.__sgQuiet.observe(document.getElementById('app'), { childList: true, subtree: true });
    }
  });
  const at = await until(popup, (q) => {
    const e = document.querySelector(q);
    if (!e || performance.now() - window.__sgQuietSince < 400) return null;
    e.scrollIntoView({ block: 'center' });
    const r = e.getBoundingClientRect();
    const p = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    const hit = document.elementFromPoint(p.x, p.y);
    return hit && hit.closest(q) === e ? p : null;
  }, sel, 15000, what);
  await popup.mouse.click(at.x, at.y);
}

test('Firefox: forgetting a device in the popup rescans the security tab; the popup\'s Check the other pages steps through its pager; its This is me marks the row', async () => {
  const page = await openMarkedSecurity();
  const logins = (st) => ((st.scan && st.scan.pages) || []).find((l) => l.table === 'recent_logins');
  await storageUntil((s) => logins(s) && logins(s).read.length === 1 && !s.scan.paging, 'page 1 read in this page load');
  let popup = await openPopup();
  // Forget this browser in the popup: the security tab scans again and knows it again (a new first sighting).
  const before = Date.now();
  await clickPopup(popup, '.trusted li [data-action="forget"]', 'the popup\'s Forget');
  const again = await storageUntil((s) => s.trust && s.trust.devices.length === 1 && s.trust.devices[0].first_seen >= before, 'this browser trusted again by the page\'s rescan');
  assert.ok(again.trust.devices[0].this_browser);
  await popup.close();
  popup = await openPopup();
  assert.equal(await text(popup, '.pages li'), 'Only page 1 of 3 of Recent Logins was checked.');
  await clickPopup(popup, '[data-action="check-pages"]', 'the popup\'s Check the other pages');
  const st = await storageUntil((s) => logins(s) && logins(s).read.length === 3 && !s.scan.paging, 'pages 2 and 3 read');
  assert.deepEqual(logins(st).read, [1, 2, 3]);
  await until(page, () => {
    const cur = document.querySelector('#loginRecord [aria-current="page"]');
    return cur && cur.textContent === '1' && __replica.ready && !__replica.busy;
  }, undefined, 20000, 'back on page 1');
  assert.deepEqual(await page.evaluate(() => __replica.log.filter((e) => e.type === 'render' && e.list === 'logins').map((e) => e.page).slice(-3)), [2, 3, 1]);
  await popup.close();
  popup = await openPopup();
  await until(popup, () => document.querySelector('.pages li')?.textContent === 'All 3 pages of Recent Logins were checked.', undefined, 15000, 'all pages in the popup');
  assert.equal(await popup.$$eval('[data-action="check-pages"]', (e) => e.length), 0);
  // This is me on a session the popup lists: the security tab marks its row familiar.
  await until(page, () => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome'))?.getAttribute('data-session-guard') === 'unfamiliar', undefined, 15000, 'page 1 marked again');
  await clickPopup(popup, '.sessions [data-action="row-trust"][data-device="Windows 10 Chrome"][data-ip="203.0.113.41"]', 'the popup\'s This is me');
  await until(popup, () => document.getElementById('message')?.textContent === 'Trusted: Chrome on Windows 10', undefined, 15000, 'the popup saying what it saved');
  // (a toolbar popup opens over the visible page; here it is a tab of its own, in front of the page)
  await page.bringToFront();
  await until(page, () => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome'))?.getAttribute('data-session-guard') === 'familiar', undefined, 15000, 'the Windows row familiar');
  await popup.close();
  // … and forgotten again (the runs below start from this browser alone).
  popup = await openPopup();
  await clickPopup(popup, '.trusted li:not(:first-child) [data-action="forget"]', 'the popup\'s Forget');
  await page.bringToFront();
  await until(page, () => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome'))?.getAttribute('data-session-guard') === 'unfamiliar', undefined, 15000, 'the Windows row unfamiliar again');
  assert.deepEqual((await storage()).trust.devices.map((d) => d.this_browser), [true]);
  await popup.close();
  await page.close();
});

test('Firefox: "Log out all devices" full run, password changed by the user, "All other sessions ended"', async () => {
  const page = await openMarkedSecurity();
  assert.equal((await storage()).flow ?? null, null);

  // Our action, our dialog (it lists the steps), Start: trusted clicks.
  await clickOurs(page, '[data-session-guard-action="logout-all"]', 'Log out all devices');
  const dialog = await ourDialog(page, 'our dialog');
  assert.match(dialog, /Remove every other device from Trusted Devices and IP Addresses \(3 listed now\)/);
  assert.match(dialog, /24 h/);
  assert.deepEqual(await page.evaluate(() => __replica.log.filter((e) => e.type === 'popconfirm').length), 0, 'nothing pressed before Start');
  await clickOurs(page, '[data-session-guard-dialog]', 'Start');

  // Step 1 on KuCoin's page: each device's Remove, then its pop-confirm's
  // Confirm (the replica records a removal only from that Confirm), then
  // KuCoin's Change Login Password page is opened for the user.
  const step1 = await until(page, () => {
    if (location.pathname === '/account/security/updatepwd') return window.__replica && window.__replica.ready && !window.__replica.busy && 'done';
    const stopped = document.querySelector('[data-session-guard-flow="stopped"]');
    return stopped ? `stopped: ${stopped.shadowRoot.textContent}` : null;
  }, undefined, 45000, 'step 1 done and the password page open');
  assert.equal(step1, 'done');
  assert.deepEqual((await page.evaluate(() => __replica.state().removedDevices)).sort(), [1, 2, 3]);
  let st = await storageUntil((s) => s.flow && s.flow.stage === 'password', 'step 3');
  assert.equal(st.flow.removed.length, 3, JSON.stringify(st.flow.removed));
  assert.ok(st.flow.removed.some((n) => /\u2068Linux Firefox\u2069 from \u2068Lagos\u2069/.test(n)), JSON.stringify(st.flow.removed));
  assert.equal(st.flow.failure, null);
  await widgetText(page, '[data-session-guard-flow="password"]', /step 3 of 3/);

  // Step 3, by "the user": KuCoin's own dialogs and form, typed by the test.
  await page.click('#updatepwd-ask-dialog .KuxModalFooter-root button:last-child');
  await page.waitForSelector('#updatepwd-email-code', { timeout: 15000 });
  await page.type('#updatepwd-email-code', CODE);
  await page.click('#updatepwd-verify button[type="submit"]');
  await page.waitForSelector('#updatepwd-new', { timeout: 15000 });
  await page.type('#updatepwd-new', SECRET);
  await page.type('#updatepwd-confirm', SECRET);
  await page.click('#updatepwd-form button[type="submit"]');
  await onPath(page, '/ucenter/signin');
  await widgetText(page, '[data-session-guard-flow="signin"]', /sign in again/i);
  await storageUntil((s) => s.checks && s.checks.password_changed_at > 0, 'the password change recorded');

  await page.type('#signin-account', 'te***@example.com');
  await page.type('#signin-password', SECRET);
  await page.click('#signin-form button[type="submit"]');
  await onPath(page, '/account/security');
  // "pending" until the replica's Recent Logins (loaded after the page) lists the new sign-in;
  // then "incomplete": Recent Logins has 3 pages and only page 1 was read.
  const first = await checkCard(page, ['passed', 'failed', 'incomplete'], 'the session check\'s first result');
  assert.equal(first[0], 'incomplete', first[1]);
  assert.match(first[1], /Not verified: Recent Logins pages 2–3 of 3/);
  // "Check the other pages" (a trusted click) steps KuCoin's pager: pages 2 and 3, then back to 1.
  await clickOurs(page, '[data-session-guard-check]', 'Check the other pages');
  const check = await checkCard(page, ['passed', 'failed'], 'the session check over every page');
  assert.equal(check[0], 'passed', check[1]);
  assert.match(check[1], /All other sessions ended — checked \d{4}-\d\d-\d\d \d\d:\d\d/);
  assert.doesNotMatch(check[1], /Recent Logins page/);
  assert.deepEqual((await page.evaluate(() => __replica.state().removedDevices)).sort(), [1, 2, 3]);
  st = await storage();
  assert.equal(st.flow ?? null, null, 'the run ended');
  assert.ok(!JSON.stringify(st).includes(SECRET) && !JSON.stringify(st).includes(CODE), 'storage carries the secret');
  assert.equal(st.checks.last.passed, true);
  assert.deepEqual(st.checks.last.survivors, []);
  assert.deepEqual(st.checks.last.pages_seen, [1, 2, 3]);
  await badgeUntil(''); // no unfamiliar session online, no pending or failed check ("!")
  // Security Logs tab: the Change Password event is verified too.
  await page.click('#loginRecord-tab-logs');
  await storageUntil((s) => s.checks.last && s.checks.last.event_seen === true, 'the Change Password event seen');

  // The popup says the same.
  const popup = await openPopup();
  assert.match(await text(popup, '.check[data-check="passed"] h2'), /All other sessions ended — checked/);
  await popup.close();
  await page.close();
});

test('Firefox: one stored item nested deeper than the core reads is set aside alone; the trusted devices keep working', async () => {
  // Firefox's storage holds what Chrome's refuses (Chrome stops at ~128 levels): 300 levels
  // under "api", as another version or a sync could leave it
  const before = (await storage()).trust.devices.map((d) => d.fingerprint).sort();
  assert.ok(before.length >= 1, 'trusted devices from the tests before');
  await probe.evaluate(() => browser.storage.local.set({ api: JSON.parse('[{"k":'.repeat(150) + '1' + '}]'.repeat(150)) }));
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  // (the copy is written first, on its own; the fresh value after it)
  const st = await storageUntil((s) => Object.keys(s).some((k) => k.startsWith('quarantine/') && k.endsWith('/api')) && !Array.isArray(s.api), 'the item set aside and replaced');
  const key = Object.keys(st).find((k) => k.startsWith('quarantine/') && k.endsWith('/api'));
  assert.equal(await probe.evaluate(async (k) => {
    const s = await browser.storage.local.get(k);
    return s[k] === JSON.stringify(JSON.parse('[{"k":'.repeat(150) + '1' + '}]'.repeat(150)));
  }, key), true, 'its JSON text, kept aside as it was');
  assert.deepEqual(st.trust.devices.map((d) => d.fingerprint).sort(), before, 'the trusted devices are all still there');
  assert.equal(st.api, null, 'a fresh value in its place');
  await until(page, () => document.querySelectorAll('[data-session-guard]').length > 0, undefined, 20000, 'the rows marked');
  const popup = await openPopup();
  const notices = await text(popup, '.notices');
  assert.match(notices, /api/);
  assert.match(notices, /nested too deeply/);
  await popup.close();
  await page.close();
});

test('Firefox flows: no request of their own', async () => {
  assert.deepEqual(foreignRequests(b.requests), []);
});

// Last: it takes the access away, and only the browser's own prompt gives it back.
test('Firefox: access to KuCoin taken away: the badge and the popup say so, and the popup asks for it again', async () => {
  await storage();
  const NO_ACCESS = "Session Guard can't check your KuCoin pages on its own: its access to www.kucoin.com is limited or turned off in your browser's extension settings.";
  assert.equal(await probe.evaluate(() => browser.permissions.remove({ origins: ['https://www.kucoin.com/*'] })), true);
  // (the badge may already show "!" for the sessions to review: wait for its title)
  const bd = await until(probe, async (want) => {
    const now = { text: await browser.action.getBadgeText({}), title: await browser.action.getTitle({}) };
    return now.title === want && now;
  }, NO_ACCESS, 15000, 'the badge saying access is off');
  assert.equal(bd.text, '!');
  const popup = await openPopup();
  await until(popup, () => !!document.querySelector('section.access[role="alert"] button[data-action="allow-access"]'), undefined, 15000, 'the access notice');
  assert.equal(await text(popup, 'section.access p'), NO_ACCESS);
  // The button asks for the manifest's hosts (a stand-in answers for the browser's prompt).
  await popup.evaluate(() => {
    window.__asked = [];
    browser.permissions.request = async (p) => { window.__asked.push(p); return true; };
  });
  await popup.click('section.access button[data-action="allow-access"]');
  await until(popup, () => (document.getElementById('message')?.textContent || '').startsWith('Access allowed'), undefined, 15000, 'the message');
  assert.deepEqual(await popup.evaluate(() => window.__asked), [{ origins: ['https://www.kucoin.com/*'] }]);
  await popup.close();
});
