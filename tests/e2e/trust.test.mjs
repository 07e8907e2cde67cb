// Familiar vs unfamiliar (issue 4): trust list, inline controls, Security Logs
// acknowledgement, first-visit banner — in Chromium with the built extension.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, storage, axe, EXCHANGE } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

async function open(path = '/account/security') {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}${path}`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  return page;
}

const loginRow = (page, text) => page.locator('#loginRecord tbody tr', { hasText: text });
const markOf = (row) => row.getAttribute('data-session-guard');

test('first visit: a banner explains the marks; nothing but this browser is presumed familiar', async () => {
  const page = await open();
  const banner = (await widgetTexts(page, 'banner')).join(' ');
  assert.match(banner, /marks each session/);
  assert.match(banner, /This is me/);
  const marks = await page.$$eval('#loginRecord tbody tr', (rows) => rows.map((r) => r.getAttribute('data-session-guard')));
  assert.deepEqual(marks, ['current', 'unfamiliar', 'unfamiliar', 'unfamiliar', 'unfamiliar']);
  const st = await storage(b.sw);
  assert.equal(st.trust.devices.length, 1);
  assert.equal(st.trust.devices[0].label, 'This browser');
  await page.close();
});

test('a page script clicking our buttons does nothing', async () => {
  const page = await open();
  const before = JSON.stringify((await storage(b.sw)).trust);
  const clicked = await page.evaluate(() => {
    let n = 0;
    for (const host of document.querySelectorAll('[data-session-guard-ui]')) {
      for (const btn of host.shadowRoot.querySelectorAll('button')) { btn.click(); n++; }
    }
    return n;
  });
  assert.ok(clicked >= 8, `clicked ${clicked} buttons`);
  await page.waitForTimeout(500);
  assert.equal(JSON.stringify((await storage(b.sw)).trust), before);
  assert.equal(await page.$$eval('[data-session-guard-dialog]', (d) => d.length), 0, 'no confirm dialog opened');
  await page.close();
});

test('"This is me" persists across reload and flips the row to familiar', async () => {
  const page = await open();
  const row = loginRow(page, 'Windows 10 Chrome');
  assert.equal(await markOf(row), 'unfamiliar');
  await row.locator('button', { hasText: 'This is me' }).click();
  // the name is typed in its own direction (an Arabic name in an English card)
  assert.equal(await row.locator('input').getAttribute('dir'), 'auto');
  await row.locator('input').fill('Work laptop');
  await row.locator('button', { hasText: 'Save' }).click();
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.textContent.includes('Windows 10 Chrome'));
    return r && r.getAttribute('data-session-guard') === 'familiar';
  }, null, { timeout: 10000 });
  await page.reload();
  await replicaReady(page);
  await waitForMarks(page, 9);
  const again = loginRow(page, 'Windows 10 Chrome');
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.textContent.includes('Windows 10 Chrome'));
    return r && r.getAttribute('data-session-guard') === 'familiar';
  }, null, { timeout: 10000 });
  assert.match(await again.textContent(), /Windows 10 Chrome/);
  const st = await storage(b.sw);
  assert.ok(st.trust.devices.some((d) => d.label === 'Work laptop'));
  // The Trusted Devices row of the same device is familiar too.
  const trusted = page.locator('tbody tr', { hasText: 'Windows 10 Chrome' }).last();
  assert.equal(await markOf(trusted), 'familiar');
  await page.close();
});

test('"Not me" persists and keeps the row flagged', async () => {
  const page = await open();
  const row = loginRow(page, 'Linux Firefox');
  await row.locator('button', { hasText: 'Not me' }).click();
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.textContent.includes('Linux Firefox'));
    const h = r && r.querySelector('[data-session-guard-ui]');
    return h && /marked this as not you/.test(h.shadowRoot.textContent);
  }, null, { timeout: 10000 });
  await page.reload();
  await replicaReady(page);
  await waitForMarks(page, 9);
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.textContent.includes('Linux Firefox'));
    const h = r && r.querySelector('[data-session-guard-ui]');
    return r.getAttribute('data-session-guard') === 'unfamiliar' && h && /marked this as not you/.test(h.shadowRoot.textContent);
  }, null, { timeout: 10000 });
  const st = await storage(b.sw);
  assert.equal(st.trust.suspects.length, 1);
  assert.equal(st.trust.suspects[0].network, '198.51.100.0/24');
  await page.close();
});

test('Security Logs: sensitive events are flagged until acknowledged', async () => {
  const page = await open();
  await page.click('#loginRecord-tab-logs');
  await page.waitForFunction(() => document.querySelectorAll('#loginRecord [data-session-guard-event]').length >= 10, null, { timeout: 10000 });
  const events = await page.$$eval('#loginRecord [data-session-guard-event]', (rows) => rows.map((r) => [r.getAttribute('data-session-guard-event'), r.cells[1].textContent]));
  const byType = Object.fromEntries(events.map(([m, t]) => [t, m]));
  assert.equal(byType['Create API'], 'flagged');
  assert.equal(byType['Login with Passkey'], 'routine');
  assert.equal(byType['Change Password'], 'flagged');
  const createApi = page.locator('#loginRecord tbody tr', { hasText: 'Create API' });
  await createApi.locator('button', { hasText: 'I did this' }).click();
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.cells[1] && x.cells[1].textContent === 'Create API');
    return r && r.getAttribute('data-session-guard-event') === 'acknowledged';
  }, null, { timeout: 10000 });
  // persists across reload
  await page.reload();
  await replicaReady(page);
  await page.click('#loginRecord-tab-logs');
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('#loginRecord tbody tr')].find((x) => x.cells[1] && x.cells[1].textContent === 'Create API');
    return r && r.getAttribute('data-session-guard-event') === 'acknowledged';
  }, null, { timeout: 10000 });
  await page.close();
});

test('hostile device names render literally and run nothing', async () => {
  b.state.overrides = { '/account/security': 'security-en-hostile.html' };
  const page = await b.context.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-session-guard-ui="reason"]').length >= 3, null, { timeout: 10000 });
  const texts = (await widgetTexts(page, 'reason')).join('\n');
  assert.match(texts, /<img src=x onerror=alert\(1\)>/);
  const injected = await page.evaluate(() => {
    let imgs = 0;
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) imgs += h.shadowRoot.querySelectorAll('img, svg, script').length;
    return imgs;
  });
  assert.equal(injected, 0);
  assert.equal(dialogs, 0);
  b.state.overrides = {};
  await page.close();
});

test('axe-core: the injected page UI has no accessibility violations (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await b.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${EXCHANGE}/account/security`);
    await replicaReady(page);
    await waitForMarks(page, 9);
    assert.deepEqual(await axe(page, { ours: true }), [], scheme);
    await page.close();
  }
});
