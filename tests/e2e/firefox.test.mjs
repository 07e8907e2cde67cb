// Firefox e2e (puppeteer-core over WebDriver BiDi, Debian firefox-esr) with dist/firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, EXCHANGE, foreignRequests } from './lib.mjs';

let b;
before(async () => { b = await launchFirefox(); });
after(async () => { await b?.close(); });

async function marks(page) {
  await page.waitForFunction(() => window.__replica && window.__replica.ready, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelectorAll('#loginRecord [data-session-guard]').length >= 5, { timeout: 15000 });
  return page.$$eval('#loginRecord [data-session-guard]', (els) => els.map((e) => [e.getAttribute('data-session-guard'), e.textContent]));
}

test('Firefox: rows marked on the replica (strict CSP)', async () => {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  const rows = await marks(page);
  assert.equal(rows.length, 5);
  assert.ok(rows.some(([v, t]) => v === 'unfamiliar' && /Linux Firefox/.test(t)));
  // The replica's Current row says "Linux Chrome" while this browser is Firefox: it must be flagged, not trusted.
  assert.ok(rows.every(([v]) => v === 'current' || v === 'unfamiliar'));
  const ui = await page.$$eval('[data-session-guard-ui]', (h) => h.map((x) => x.shadowRoot && x.shadowRoot.textContent).join(' '));
  assert.match(ui, /sessions/);
  await page.close();
});

test('Firefox: a language replica (ru) is read', async () => {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/ru/account/security`);
  const rows = await marks(page);
  assert.equal(rows.length, 5);
  await page.close();
});

test('Firefox: no request of its own', async () => {
  assert.deepEqual(foreignRequests(b.requests), []);
});
