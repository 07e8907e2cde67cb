// Stored data that is corrupt, of the wrong type, from an unknown or future
// schema, or that cannot be written (quota) or read (issue 7): a clear
// message, the extension keeps working, the old data is kept aside and
// exportable — never a silent reset. Corrupts chrome.storage.local through
// the service worker, then uses the replica page and the popup like a user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, storage, badge, openPopup, EXCHANGE } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

async function scanPage() {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  return page;
}

const setStore = (items) => b.sw.evaluate(async (it) => { await chrome.storage.local.clear(); await chrome.storage.local.set(it); }, items);
const kept = (st) => Object.fromEntries(Object.entries(st).filter(([k]) => k.startsWith('quarantine/')));

/** The popup's export (the same JSON the user downloads). */
async function exportFromPopup() {
  const popup = await openPopup(b.context, b.extId);
  await popup.click('button[data-action="export"]');
  await popup.waitForFunction(() => document.getElementById('app').dataset.lastExport, null, { timeout: 5000 });
  const text = await popup.evaluate(() => document.getElementById('app').dataset.lastExport);
  const notices = await popup.textContent('.notices').catch(() => '');
  await popup.close();
  return { report: JSON.parse(text), notices };
}

test('truncated JSON and wrong types: rows still marked, a notice, the old values kept aside and exported', async () => {
  const truncated = '{"devices":[{"fingerprint":"web|windows|chrome|","label":"Laptop","first_se';
  await setStore({ schema_version: 2, trust: truncated, history: 5, acks: { until: 'yesterday', keys: 'x' }, settings: { banner_dismissed: true } });
  const page = await scanPage();
  const marks = await page.$$eval('#loginRecord tbody tr', (rows) => rows.map((r) => r.getAttribute('data-session-guard')));
  assert.deepEqual(marks, ['current', 'unfamiliar', 'unfamiliar', 'unfamiliar', 'unfamiliar']);
  const st = await storage(b.sw);
  const aside = kept(st);
  const byKey = Object.fromEntries(Object.entries(aside).map(([k, v]) => [k.split('/').pop(), v]));
  assert.deepEqual(byKey, { trust: truncated, history: 5, acks: { until: 'yesterday', keys: 'x' } });
  assert.equal(st.settings.banner_dismissed, true, 'readable keys are kept as they were');
  assert.ok(Array.isArray(st.trust.devices) && Array.isArray(st.history), 'fresh values in their place');
  const { report, notices } = await exportFromPopup();
  assert.match(notices, /trust/);
  assert.match(notices, /history/);
  assert.match(notices, /set aside/);
  const exported = Object.fromEntries(report.kept_aside.map(([k, v]) => [k, v]));
  assert.deepEqual(exported, aside);
  await page.close();
});

for (const [name, version, why] of [['a future version', 99, /newer Session Guard/], ['an unknown schema version', 'two', /schema version/], ['a fractional version', 1.5, /not valid/]]) {
  test(`a store written by ${name}: nothing overwritten before it is kept aside whole`, async () => {
    const old = { schema_version: version, trust: { devices: [{ fingerprint: 'web|windows|chrome|', label: 'Laptop', first_seen: 1, last_seen: 2 }] }, future_key: { x: [1, 2, 3] } };
    await setStore(old);
    const page = await scanPage();
    const st = await storage(b.sw);
    assert.equal(st.schema_version, 2);
    const aside = Object.values(kept(st));
    assert.equal(aside.length, 1);
    assert.deepEqual(aside[0], old, 'everything, as it was');
    const { report, notices } = await exportFromPopup();
    assert.match(notices, why);
    assert.deepEqual(report.kept_aside[0][1], old);
    assert.equal((await page.$$eval('#loginRecord [data-session-guard]', (e) => e.length)), 5, 'and it keeps working');
    await page.close();
  });
}

test('quota exceeded on write: rows still marked, the user is told, nothing stored is lost', async () => {
  await setStore({});
  let page = await scanPage(); // a normal first scan: this browser trusted
  await page.close();
  const before = await storage(b.sw);
  await b.sw.evaluate(() => {
    const local = chrome.storage.local;
    globalThis.__realSet = local.set;
    local.set = () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
  });
  try {
    page = await scanPage();
    assert.equal(await page.$$eval('#loginRecord [data-session-guard]', (e) => e.length), 5);
    const bd = await badge(b.sw);
    assert.equal(bd.text, '!');
    assert.match(bd.title, /could not save its data: QUOTA_BYTES quota exceeded/);
    const popup = await openPopup(b.context, b.extId);
    await popup.waitForSelector('[data-background-error]', { timeout: 5000 });
    assert.match(await popup.textContent('[data-background-error]'), /could not save its data/);
    await popup.close();
    assert.deepEqual(await storage(b.sw), before, 'the stored data is untouched');
    await page.close();
  } finally {
    await b.sw.evaluate(() => { chrome.storage.local.set = globalThis.__realSet; });
  }
  // Once writing works again, so does saving, and the message goes.
  page = await scanPage();
  await page.waitForTimeout(300);
  assert.notEqual((await badge(b.sw)).text, '!');
  const status = await b.sw.evaluate(() => sessionGuardDebug.handle({ type: 'status' }, { id: chrome.runtime.id, url: chrome.runtime.getURL('popup.html') }));
  assert.equal(status.lastError, '');
  await page.close();
});

test('storage that cannot be read: nothing is written over it and the user is told', async () => {
  await setStore({});
  let page = await scanPage();
  await page.close();
  const before = await storage(b.sw);
  await b.sw.evaluate(() => {
    const local = chrome.storage.local;
    globalThis.__realGet = local.get;
    globalThis.__writes = 0;
    globalThis.__realSet2 = local.set;
    local.get = () => Promise.reject(new Error('IO error: database corrupted'));
    local.set = (...a) => { globalThis.__writes++; return globalThis.__realSet2.apply(local, a); };
  });
  try {
    page = await b.context.newPage();
    await page.goto(`${EXCHANGE}/account/security`);
    await replicaReady(page);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui="toast"]')].some((h) => /could not read its saved data/.test(h.shadowRoot.textContent)), null, { timeout: 10000 });
    assert.match((await widgetTexts(page, 'toast')).join(' '), /IO error: database corrupted/);
    assert.equal(await b.sw.evaluate(() => globalThis.__writes), 0, 'no write over unreadable data');
    assert.equal((await badge(b.sw)).text, '!');
    await page.close();
  } finally {
    await b.sw.evaluate(() => { chrome.storage.local.get = globalThis.__realGet; chrome.storage.local.set = globalThis.__realSet2; });
  }
  assert.deepEqual(await storage(b.sw), before);
});
