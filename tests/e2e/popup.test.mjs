// Toolbar popup and badge (issue 6): states, trusted-device management,
// export / import / clear, checklist, accessibility (axe-core).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, storage, badge, openPopup, axe, EXCHANGE } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

async function scanSecurityPage() {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  await page.waitForTimeout(300);
  return page;
}

test('no scan yet: the popup and the badge say so', async () => {
  const popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('header.status h1'), 'No scan yet');
  assert.match(await popup.textContent('header.status p'), /Open your KuCoin security page/);
  assert.equal(await popup.getAttribute('header.status', 'data-state'), 'no-scan');
  const bd = await badge(b.sw);
  assert.equal(bd.text, '');
  assert.match(bd.title, /no scan yet/);
  assert.deepEqual(await axe(popup), []);
  await popup.close();
});

test('review needed: counts, sessions, checklist, account, accessible', async () => {
  const page = await scanSecurityPage();
  const popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.getAttribute('header.status', 'data-state'), 'review');
  assert.match(await popup.textContent('header.status h1'), /Review needed: \d+ unfamiliar/);
  assert.equal(await popup.textContent('[data-account]'), 'te***@example.com');
  const checks = await popup.$$eval('[data-check]', (li) => Object.fromEntries(li.map((l) => [l.dataset.check, l.dataset.state])));
  assert.deepEqual(checks, {
    review_sessions: 'done', no_unfamiliar_online: 'todo', password_after_suspicious: 'done', two_factor: 'done',
    anti_phishing: 'todo', restrict_ip: 'info', contact_linked: 'done', api_reviewed: 'unknown',
  });
  const sessions = await popup.$$eval('.sessions li', (li) => li.map((l) => l.dataset.verdict));
  assert.ok(sessions[0] === 'unfamiliar', 'unfamiliar first');
  // The sessions and the devices KuCoin trusts, each list under its own heading.
  assert.deepEqual(await popup.$$eval('.sessions h3', (h) => h.map((x) => [x.textContent, x.nextElementSibling.querySelectorAll('li').length])),
    [['Recent Logins', 5], ['Devices KuCoin trusts', 3]]);
  // The replica's Recent Logins is page 1 of 3: the stored report and the popup say so.
  assert.deepEqual((await storage(b.sw)).scan.pages, [{ table: 'recent_logins', current: 1, last: 3, read: [1], unverified: [] }]);
  assert.deepEqual(await popup.$$eval('.pages li', (li) => li.map((l) => [l.dataset.list, l.textContent])),
    [['recent_logins', 'Only page 1 of 3 of Recent Logins was checked.']]);
  assert.deepEqual(await axe(popup), []);
  // keyboard: every action is a real, focusable button
  const focusables = await popup.$$eval('button, a[href]', (els) => els.filter((e) => e.tabIndex >= 0).length);
  assert.ok(focusables >= 6);
  await popup.close();
  await page.close();
});

test('trusted devices: rename, forget, forget all (confirmed)', async () => {
  const page = await scanSecurityPage();
  // trust one more device from the page so the list has two
  const row = page.locator('#loginRecord tbody tr', { hasText: 'Windows 10 Chrome' });
  await row.locator('button', { hasText: 'This is me' }).click();
  await row.locator('button', { hasText: 'Save' }).click();
  await page.waitForFunction(async () => true);
  await page.waitForTimeout(500);
  const popup = await openPopup(b.context, b.extId);
  await popup.waitForFunction(() => document.querySelectorAll('.trusted li').length === 2);
  // rename
  await popup.click('.trusted li:nth-child(2) button[data-action="rename"]');
  assert.equal(await popup.getAttribute('.trusted li:nth-child(2) input', 'dir'), 'auto', 'a name in its own direction');
  await popup.fill('.trusted li:nth-child(2) input', 'Office PC');
  await popup.keyboard.press('Enter');
  await popup.waitForFunction(() => [...document.querySelectorAll('.trusted .label')].some((l) => l.textContent === 'Office PC'));
  assert.deepEqual((await storage(b.sw)).trust.devices.filter((d) => d.label === 'Office PC').map((d) => d.describe), ['Chrome on Windows 10']);
  const windowsRow = () => page.evaluate(() => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome')).getAttribute('data-session-guard'));
  assert.equal(await windowsRow(), 'familiar');
  // The popup lists the sessions to review (unfamiliar, or online): not this familiar, offline one.
  const unfamiliarBefore = await popup.$$eval('.sessions li', (li) => li.filter((l) => l.dataset.verdict === 'unfamiliar').length);
  // forget one: the open KuCoin page scans again at once, its row unfamiliar again, and so do the popup's sessions
  await popup.locator('.trusted li', { hasText: 'Office PC' }).locator('button[data-action="forget"]').click();
  await popup.waitForFunction(() => document.querySelectorAll('.trusted li').length === 1);
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome')).getAttribute('data-session-guard') === 'unfamiliar', null, { timeout: 15000 });
  await popup.waitForFunction((n) => [...document.querySelectorAll('.sessions li')].filter((l) => l.dataset.verdict === 'unfamiliar').length > n,
    unfamiliarBefore, { timeout: 15000 });
  // forget all asks first; Cancel keeps everything
  await popup.click('button[data-action="forget-all"]');
  await popup.click('.ask button:not(.danger)');
  assert.equal((await storage(b.sw)).trust.devices.length, 1);
  await popup.click('button[data-action="forget-all"]');
  await popup.click('.ask button.danger');
  // Every device forgotten; the page's scan that follows knows this browser again (its Current row).
  let devices = [];
  for (let i = 0; i < 150; i++) {
    devices = (await storage(b.sw)).trust.devices;
    if (devices.length === 1 && devices[0].this_browser) break;
    await popup.waitForTimeout(100);
  }
  assert.deepEqual(devices.map((d) => [d.describe, d.this_browser]), [['Chrome on Linux', true]]);
  assert.equal(await windowsRow(), 'unfamiliar');
  await popup.close();
  await page.close();
});

test('the popup keeps still while storage changes: same content, same elements and focus; a rename or a question is never wiped', async () => {
  // The scan stored, then no KuCoin tab: only this test writes storage (a tab would scan again
  // after the rename and store a newer scan).
  await (await scanSecurityPage()).close();
  const popup = await openPopup(b.context, b.extId);
  const sel = '.sessions button[data-action="row-trust"][data-device="Windows 10 Chrome"]';
  await popup.waitForSelector(sel);
  await popup.focus(sel);
  await popup.evaluate((s) => { document.querySelector(s).__probe = 1; }, sel);
  const write = (items) => b.sw.evaluate((it) => chrome.storage.local.set(it), items);
  const settled = () => popup.waitForTimeout(600);
  // A write that changes nothing the popup shows (an open KuCoin tab scanning
  // the same rows writes this often): the very same elements, focus kept.
  await write({ session_guard_test_unrelated: Date.now() });
  await settled();
  assert.equal(await popup.evaluate((s) => document.querySelector(s).__probe, sel), 1, 'the popup was not rebuilt');
  assert.equal(await popup.evaluate((s) => document.activeElement === document.querySelector(s), sel), true, 'focus kept');
  // A write that changes what it shows ("Last scan 5 min ago"): rebuilt, focus on the same control.
  const st = await storage(b.sw);
  await write({ scan: { ...st.scan, at: st.scan.at - 5 * 60000 } });
  await popup.waitForFunction(() => /5 min/.test(document.querySelector('header.status p').textContent), null, { timeout: 10000 });
  assert.equal(await popup.evaluate((s) => document.querySelector(s).__probe, sel), undefined, 'rebuilt');
  assert.equal(await popup.evaluate((s) => document.activeElement === document.querySelector(s), sel), true, 'focus on the same control');
  // A rename being typed survives a change; Save then ends it.
  const label = st.trust.devices[0].label;
  await popup.click('.trusted li button[data-action="rename"]');
  await popup.fill('.trusted li input', 'My laptop');
  await write({ scan: { ...st.scan, at: st.scan.at - 9 * 60000 } });
  await settled();
  assert.equal(await popup.inputValue('.trusted li input'), 'My laptop', 'the editor and its text are still there');
  await popup.keyboard.press('Enter');
  await popup.waitForFunction(() => [...document.querySelectorAll('.trusted .label')].some((l) => l.textContent === 'My laptop'), null, { timeout: 10000 });
  assert.equal(await popup.locator('.trusted li input').count(), 0, 'the editor closed');
  // (the change that waited is shown now)
  assert.match(await popup.textContent('header.status p'), /9 min/);
  // A question stays until answered; Cancel keeps everything.
  await popup.click('button[data-action="forget-all"]');
  await write({ scan: { ...st.scan, at: st.scan.at - 12 * 60000 } });
  await settled();
  assert.equal(await popup.locator('.ask').count(), 1, 'the question is still there');
  await popup.click('.ask button:not(.danger)');
  await popup.waitForFunction(() => /12 min/.test(document.querySelector('header.status p').textContent), null, { timeout: 10000 });
  assert.equal((await storage(b.sw)).trust.devices.length, 1);
  // (back as it was: the label, the scan, no test key)
  await b.sw.evaluate(() => chrome.storage.local.remove('session_guard_test_unrelated'));
  // A button held down while storage changes what the popup shows: no new rendering until
  // it is released (press and release on one button, so the click counts: here Rename).
  const rename = '.trusted li button[data-action="rename"]';
  await popup.evaluate((s) => { document.querySelector(s).__held = 1; }, rename);
  const box = await popup.locator(rename).boundingBox();
  await popup.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await popup.mouse.down();
  await write({ scan: { ...st.scan, at: st.scan.at - 15 * 60000 } });
  await settled();
  assert.equal(await popup.evaluate((s) => document.querySelector(s)?.__held, rename), 1, 'not rebuilt under the pressed button');
  await popup.mouse.up();
  await popup.waitForSelector('.trusted li input', { timeout: 5000 }); // the click opened the editor
  await popup.fill('.trusted li input', label);
  await popup.keyboard.press('Enter');
  await popup.waitForFunction((l) => [...document.querySelectorAll('.trusted .label')].some((x) => x.textContent === l), label, { timeout: 10000 });
  assert.equal((await storage(b.sw)).trust.devices[0].label, label);
  await popup.close();
});

test('export produces valid JSON with the expected counts', async () => {
  const page = await scanSecurityPage();
  const popup = await openPopup(b.context, b.extId);
  const download = popup.waitForEvent('download');
  await popup.click('button[data-action="export"]');
  const d = await download;
  assert.match(d.suggestedFilename(), /^session-guard-report-\d{4}-\d\d-\d\d\.json$/);
  const text = await popup.getAttribute('#app', 'data-last-export');
  const report = JSON.parse(text);
  assert.equal(report.format, 'session-guard-report/1');
  assert.equal(report.state.scan.summary.sessions, 5);
  assert.equal(report.state.scan.summary.unfamiliar_online, 2);
  assert.ok(report.state.history.length >= 5);
  await popup.close();
  await page.close();
});

test('import rejects a malformed file with a clear message and changes nothing; a valid one merges', async () => {
  const popup = await openPopup(b.context, b.extId);
  const before = JSON.stringify((await storage(b.sw)).trust);
  for (const [content, expect] of [
    ['{not json', /not valid JSON/],
    [JSON.stringify({ trust: { devices: 'nope' } }), /not a Session Guard trust list/],
  ]) {
    const chooser = popup.waitForEvent('filechooser');
    await popup.click('button[data-action="import"]');
    await (await chooser).setFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(content) });
    await popup.waitForFunction((re) => new RegExp(re).test(document.getElementById('message').textContent), expect.source);
    assert.equal(JSON.stringify((await storage(b.sw)).trust), before);
  }
  const good = { trust: { devices: [{ fingerprint: 'web|macos|safari|', label: 'MacBook', first_seen: 1, last_seen: 2, networks: ['192.0.2.0/24'], areas: ['amsterdam'] }] } };
  const chooser = popup.waitForEvent('filechooser');
  await popup.click('button[data-action="import"]');
  await (await chooser).setFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await popup.waitForFunction(() => /Imported 1 trusted device/.test(document.getElementById('message').textContent));
  assert.ok((await storage(b.sw)).trust.devices.some((d) => d.label === 'MacBook'));
  // No KuCoin page open to scan again: the popup says its sessions are from before the change.
  assert.deepEqual(b.context.pages().filter((p) => p.url().startsWith(EXCHANGE)).length, 0);
  await popup.waitForFunction(() => /Your trusted devices changed after this scan/.test(document.querySelector('.notices')?.textContent || ''));
  await popup.close();
});

test('protected and unreadable states; corrupt storage shows a notice and keeps the data aside', async () => {
  await b.sw.evaluate(async () => {
    const { scan } = await chrome.storage.local.get('scan');
    scan.summary = { ...scan.summary, unfamiliar: 0, unfamiliar_online: 0, trusted_by_kucoin_not_you: 0, current_mismatch: false, problems: [] };
    await chrome.storage.local.set({ scan });
  });
  // Nothing to review on page 1 of 3 of Recent Logins: not "Protected".
  let popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('header.status h1'), 'Only page 1 of 3 of Recent Logins was checked.');
  assert.equal(await popup.getAttribute('header.status', 'data-state'), 'partial');
  assert.equal(await popup.textContent('.pages li[data-list="recent_logins"]'), 'Only page 1 of 3 of Recent Logins was checked.');
  assert.deepEqual(await axe(popup), []);
  await popup.close();
  // A report as an older version stored it (no `pages`, no `trust`): loads, and with nothing known of other pages reads "Protected".
  await b.sw.evaluate(async () => {
    const { scan } = await chrome.storage.local.get('scan');
    delete scan.pages;
    delete scan.trust;
    await chrome.storage.local.set({ scan });
  });
  popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('header.status h1'), 'Protected');
  assert.equal(await popup.getAttribute('header.status', 'data-state'), 'protected');
  assert.equal(await popup.$('.pages'), null);
  assert.equal(await popup.$('.notices'), null);
  await popup.close();
  await b.sw.evaluate(() => chrome.storage.local.set({ trust: '{"devices": [trunc' }));
  popup = await openPopup(b.context, b.extId);
  assert.match(await popup.textContent('.notices'), /set aside/);
  await popup.close();
  // the next scan writes the copy aside and keeps working
  const page = await scanSecurityPage();
  const st = await storage(b.sw);
  const kept = Object.keys(st).filter((k) => k.startsWith('quarantine/'));
  assert.equal(kept.length, 1);
  assert.equal(st[kept[0]], '{"devices": [trunc');
  assert.ok(Array.isArray(st.trust.devices));
  await page.close();
});

test('clear all data asks first, then empties storage and the badge', async () => {
  const popup = await openPopup(b.context, b.extId);
  await popup.click('button[data-action="clear-all"]');
  await popup.click('.ask button.danger');
  await popup.waitForFunction(() => /deleted/.test(document.getElementById('message')?.textContent || ''));
  assert.deepEqual(await storage(b.sw), {});
  assert.equal((await badge(b.sw)).text, '');
  await popup.waitForFunction(() => document.querySelector('header.status h1')?.textContent === 'No scan yet');
  await popup.close();
});

test('This is me in the popup, on a session it lists: the page marks the row familiar and the popup drops it', async () => {
  const page = await scanSecurityPage();
  const popup = await openPopup(b.context, b.extId);
  const sel = '.sessions button[data-action="row-trust"][data-device="Windows 10 Chrome"][data-ip="203.0.113.41"]';
  assert.equal(await popup.getAttribute(sel, 'aria-label'), 'This is me: Chrome on Windows 10');
  assert.equal(await popup.locator('.sessions button[data-action="row-not-me"][data-device="Windows 10 Chrome"]').count(), 1);
  assert.equal(await popup.locator('.sessions li[data-verdict="current"] button').count(), 0, 'none on this browser');
  await popup.click(sel);
  await popup.waitForFunction(() => document.getElementById('message').textContent === 'Trusted: Chrome on Windows 10');
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')]
    .find((r) => r.textContent.includes('Windows 10 Chrome')).getAttribute('data-session-guard') === 'familiar', null, { timeout: 15000 });
  await popup.waitForFunction((q) => !document.querySelector(q), sel, { timeout: 15000 });
  assert.ok((await storage(b.sw)).trust.devices.some((d) => d.describe === 'Chrome on Windows 10'));
  await popup.close();
  await page.close();
  await b.sw.evaluate(() => chrome.storage.local.clear()); // the next test trusts the laptop from the page
});

test('several KuCoin accounts: trust lists and results are kept per account', async () => {
  const mark = (page, text) => page.evaluate((t) => [...document.querySelectorAll('#loginRecord tbody tr')].find((r) => r.textContent.includes(t))?.getAttribute('data-session-guard'), text);
  // Account A trusts the Windows laptop.
  let page = await scanSecurityPage();
  const row = page.locator('#loginRecord tbody tr', { hasText: 'Windows 10 Chrome' });
  await row.locator('button', { hasText: 'This is me' }).click();
  await row.locator('button', { hasText: 'Save' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')].find((r) => r.textContent.includes('Windows 10 Chrome'))?.getAttribute('data-session-guard') === 'familiar');
  await page.close();
  // Account B (another masked e-mail on the page): the laptop is not B's.
  b.state.transform = (_path, html) => html.replaceAll('te***@example.com', 'zz***@other.org');
  page = await scanSecurityPage();
  assert.equal(await mark(page, 'Windows 10 Chrome'), 'unfamiliar');
  let popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('[data-account]'), 'zz***@other.org');
  assert.ok(!(await popup.$$eval('.trusted .label', (l) => l.map((x) => x.textContent))).includes('Windows 10 Chrome'));
  await popup.close();
  await page.close();
  // Back to A: its trust list is intact.
  b.state.transform = null;
  page = await scanSecurityPage();
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')].find((r) => r.textContent.includes('Windows 10 Chrome'))?.getAttribute('data-session-guard') === 'familiar');
  popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('[data-account]'), 'te***@example.com');
  const st = await storage(b.sw);
  assert.deepEqual(Object.keys(st.accounts), ['zz***@other.org']);
  await popup.close();
  await page.close();
});

test('site access to KuCoin turned off: the popup and the badge say so, and the popup asks for it again', async () => {
  // Its own browser: the access is changed as the user would, on chrome://extensions.
  const c = await launchChromium();
  try {
    const settings = await c.context.newPage();
    await settings.goto('chrome://extensions/');
    const hostAccess = (how) => settings.evaluate(([id, access]) => new Promise((resolve, reject) => {
      chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: access },
        () => (chrome.runtime.lastError ? reject(new Error(chrome.runtime.lastError.message)) : resolve()));
    }), [c.extId, how]);
    const NO_ACCESS = "Session Guard can't check your KuCoin pages on its own: its access to www.kucoin.com is limited or turned off in your browser's extension settings.";
    await hostAccess('ON_CLICK');
    // (the premise: no content script runs on KuCoin now)
    const page = await c.context.newPage();
    await page.goto(`${EXCHANGE}/account/security`);
    await replicaReady(page);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-session-guard]').count(), 0);
    await c.sw.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.deepEqual(await badge(c.sw), { text: '!', title: NO_ACCESS });
    const popup = await openPopup(c.context, c.extId);
    await popup.waitForSelector('section.access[role="alert"]', { timeout: 10000 });
    assert.equal(await popup.textContent('section.access p'), NO_ACCESS);
    assert.equal(await popup.locator('section.access').count(), 1);
    const allow = popup.locator('section.access button[data-action="allow-access"]');
    assert.equal(await allow.textContent(), 'Allow access to www.kucoin.com');
    assert.deepEqual(await axe(popup), []);
    // The button asks the browser for the manifest's hosts (its prompt is the
    // browser's own: answered here by a stand-in that records the request).
    await popup.evaluate(() => {
      window.__asked = [];
      chrome.permissions.request = async (p) => { window.__asked.push(p); return true; };
    });
    await allow.click();
    await popup.waitForFunction(() => document.getElementById('message')?.textContent.startsWith('Access allowed'), null, { timeout: 10000 });
    assert.deepEqual(await popup.evaluate(() => window.__asked), [{ origins: ['https://www.kucoin.com/*'] }]);
    // Access given back (as the browser's prompt would): the popup and the badge follow at once.
    await hostAccess('ON_ALL_SITES');
    await popup.waitForFunction(() => !document.querySelector('section.access'), null, { timeout: 10000 });
    await c.sw.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    const bd = await badge(c.sw);
    assert.equal(bd.text, '');
    assert.match(bd.title, /no scan yet/);
    // and a KuCoin page loaded now is read
    await page.reload();
    await replicaReady(page);
    await waitForMarks(page, 9);
  } finally {
    await c.close();
  }
});
