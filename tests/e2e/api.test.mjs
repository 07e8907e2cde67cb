// API-key audit (issue 6): /account/api in Chromium with the built extension.
// The replica has 7 keys of different shapes (tests/fixtures/README.md); the
// expected verdicts follow from its data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, markedRows, waitForMarks, storage, openPopup, foreignRequests, ROUTES, EXCHANGE, API_EXPECTED } from './lib.mjs';

const ATTR = 'data-session-guard-api';
const EXPECTED = API_EXPECTED;
const NAMES = Object.keys(EXPECTED);

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

async function openApi() {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/api`);
  await replicaReady(page);
  await waitForMarks(page, NAMES.length, ATTR);
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-session-guard-ui="summary"]');
    return s && /7 API keys/.test(s.shadowRoot.textContent);
  }, null, { timeout: 10000 });
  return page;
}

/** name → mark value, from the marked elements (each holds exactly one key name). */
async function marksByName(page) {
  const rows = await markedRows(page, ATTR);
  const out = {};
  for (const r of rows) {
    const names = NAMES.filter((n) => r.text.includes(n));
    assert.equal(names.length, 1, `a marked element holds one key: ${r.text.slice(0, 80)}`);
    out[names[0]] = r.value;
  }
  return out;
}

/** Inline reason text inside the card of key `name`. */
async function reasonOf(page, name) {
  return page.$$eval(`[${ATTR}]`, (cards, n) => {
    const card = cards.find((c) => c.textContent.includes(n));
    const host = card && card.querySelector('[data-session-guard-ui="reason"]');
    return host ? host.shadowRoot.textContent : null;
  }, name);
}

test('every key card is marked with its most severe finding', async () => {
  const page = await openApi();
  assert.deepEqual(await marksByName(page), EXPECTED);
  // Every card KuCoin shows is one we recognised: 7 cards, 7 marks.
  const cards = await page.$$eval(`[${ATTR}]`, (els) => els.length);
  assert.equal(cards, 7);
  await page.close();
});

test('inline reasons sit in each flagged card and say why', async () => {
  const page = await openApi();
  assert.match(await reasonOf(page, 'withdraw-ops'), /High risk: \u2068withdraw-ops\u2069.*Can withdraw your funds.*Delete button/);
  assert.match(await reasonOf(page, 'sync-2025'), /Can withdraw your funds/);
  assert.match(await reasonOf(page, 'legacy-v1'), /Spot Trading, Margin Trading\) from any IP address/);
  assert.match(await reasonOf(page, '3commas-link'), /Note: \u20683commas-link\u2069.*third-party app/);
  assert.match(await reasonOf(page, 'tax-report'), /Not activated/);
  assert.equal(await reasonOf(page, 'trading-bot'), null);
  assert.equal(await reasonOf(page, 'copy-lead'), null);
  const summary = await page.$eval('[data-session-guard-ui="summary"]', (h) => h.shadowRoot.textContent);
  assert.match(summary, /7 API keys · 3 high risk · 2 to note/);
  assert.match(summary, /Not reviewed yet/);
  // The summary sits above the list, before the first card.
  const above = await page.$eval('[data-session-guard-ui="summary"]', (h, a) => {
    const first = document.querySelector(`[${a}]`);
    return !!(h.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING);
  }, ATTR);
  assert.ok(above);
  await page.close();
});

test('the popup shows the API key count', async () => {
  const page = await openApi();
  const st = await storage(b.sw);
  assert.equal(st.api.keys, 7);
  assert.equal(st.api.high, 3);
  assert.equal(st.api.low, 2);
  const popup = await openPopup(b.context, b.extId);
  assert.equal(await popup.textContent('[data-count="api"]'), '7 · 3 high risk');
  await popup.close();
  await page.close();
});

test('"I reviewed these keys" is stored; a key missing from the review is flagged as new', async () => {
  const page = await openApi();
  await page.locator('[data-session-guard-ui="summary"] button', { hasText: 'I reviewed these keys' }).click();
  await page.waitForFunction(() => /Last reviewed/.test(document.querySelector('[data-session-guard-ui="summary"]').shadowRoot.textContent), null, { timeout: 10000 });
  let st = await storage(b.sw);
  assert.ok(st.api.reviewed_at > 0);
  assert.equal(st.api.reviewed.length, 7);
  assert.deepEqual(await marksByName(page), EXPECTED, 'a review changes no verdict by itself');
  // Pretend copy-lead was created after that review.
  const copyLead = st.api.lines.find((l) => l.name === 'copy-lead').fingerprint;
  await b.sw.evaluate(async (fp) => {
    const { api } = await chrome.storage.local.get('api');
    api.reviewed = api.reviewed.filter((f) => f !== fp);
    await chrome.storage.local.set({ api });
  }, copyLead);
  await page.reload();
  await replicaReady(page);
  await page.waitForFunction((a) => {
    const card = [...document.querySelectorAll(`[${a}]`)].find((c) => c.textContent.includes('copy-lead'));
    return card && card.getAttribute(a) === 'medium';
  }, ATTR, { timeout: 10000 });
  assert.match(await reasonOf(page, 'copy-lead'), /New since your last review/);
  st = await storage(b.sw);
  assert.equal(st.api.medium, 1);
  await page.close();
});

test('Security Logs "Create API" tells where sync-2025 came from', async () => {
  const sec = await b.context.newPage();
  await sec.goto(`${EXCHANGE}/account/security`);
  await replicaReady(sec);
  await sec.click('#loginRecord-tab-logs');
  await sec.waitForFunction(() => document.querySelectorAll('#loginRecord [data-session-guard-event]').length >= 10, null, { timeout: 10000 });
  let created = [];
  for (let i = 0; i < 50 && created.length === 0; i++) {
    created = ((await storage(b.sw)).api || {}).created || [];
    if (!created.length) await sec.waitForTimeout(100);
  }
  assert.deepEqual(created.map((e) => [e.ip, e.area]), [['198.51.100.77', 'Lagos']]);
  await sec.close();
  // Reset the review so sync-2025 counts as not yet reviewed.
  await b.sw.evaluate(async () => {
    const { api } = await chrome.storage.local.get('api');
    api.reviewed_at = 0;
    api.reviewed = [];
    await chrome.storage.local.set({ api });
  });
  const page = await openApi();
  const reason = await reasonOf(page, 'sync-2025');
  assert.match(reason, /Created 2025-07-14 \d\d:52 from \u2068Lagos\u2069 \(approx\.\) \(198\.51\.100\.77\)/);
  assert.equal((await marksByName(page))['sync-2025'], 'high');
  await page.close();
});

test('no request of its own: only the routed replica files were fetched', async () => {
  assert.deepEqual(foreignRequests(b.requests), []);
  const exchange = b.requests.filter((u) => u.startsWith(EXCHANGE)).map((u) => new URL(u).pathname.replace(/\/+$/, '') || '/');
  const unknown = exchange.filter((p) => !(p in ROUTES));
  assert.deepEqual([...new Set(unknown)], []);
  const own = b.requests.filter((u) => /^chrome-extension:/.test(u));
  assert.ok(own.every((u) => u.startsWith(`chrome-extension://${b.extId}/`)), JSON.stringify(own));
});
