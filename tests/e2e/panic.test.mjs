// A panic in the core (issue 7): never breaks the page, the user is told (page
// toast + popup), console_error_panic_hook's detail is in the console, and the
// next scan works on a fresh wasm instance. Runs the test build
// (target/dist-test/chrome, feature test-hooks: a page showing
// TEST_PANIC_MARKER makes the core panic); dist/ never has that hook
// (static.test.mjs checks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, openPopup, EXCHANGE, TEST_CHROME_EXT, TEST_PANIC_MARKER } from './lib.mjs';

let b;
before(async () => {
  assert.ok(existsSync(TEST_CHROME_EXT), `${TEST_CHROME_EXT} is missing: run ./build.sh test-dist`);
  b = await launchChromium({ ext: TEST_CHROME_EXT });
  // Everything the background logs with console.error, as the developer would see it.
  await b.sw.evaluate(() => {
    globalThis.__errors = [];
    const orig = console.error.bind(console);
    console.error = (...a) => { globalThis.__errors.push(a.map((x) => (x && x.stack) || String(x)).join(' ')); orig(...a); };
  });
});
after(async () => { await b?.close(); });

const scans = () => b.sw.evaluate(() => sessionGuardDebug.received.scan || 0);
const afterScan = (n) => b.sw.evaluate((k) => new Promise((r) => { const t = setInterval(() => { if ((sessionGuardDebug.received.scan || 0) > k) { clearInterval(t); r(); } }, 20); }), n);

test('a panic in the core leaves the page working, tells the user, logs the panic and recovers', async () => {
  const page = await b.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);

  for (let round = 1; round <= 2; round++) {
    const restarts = await b.sw.evaluate(() => sessionGuardDebug.restarts);
    await page.evaluate(() => document.querySelectorAll('[data-session-guard-ui="toast"]').forEach((h) => h.remove()));
    // The page shows the marker text: the next scan panics inside the core.
    await page.evaluate((m) => { const p = document.createElement('p'); p.id = 'sg-panic'; p.textContent = m; document.getElementById('__next').append(p); }, TEST_PANIC_MARKER);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui="toast"]')].some((h) => /internal error/.test(h.shadowRoot.textContent)), null, { timeout: 10000 });
    assert.match((await widgetTexts(page, 'toast')).join(' '), /Session Guard hit an internal error/);
    assert.ok(await b.sw.evaluate(() => sessionGuardDebug.restarts) > restarts, 'a fresh core instance');
    const errors = await b.sw.evaluate(() => globalThis.__errors.join('\n'));
    assert.match(errors, /panicked at .*bindings\.rs/s, 'console_error_panic_hook names where');
    assert.match(errors, /deliberate panic/);
    assert.match(errors, /RuntimeError: unreachable/);

    // The popup says so too.
    const popup = await openPopup(b.context, b.extId);
    await popup.waitForSelector('[data-background-error]', { timeout: 5000 });
    assert.match(await popup.textContent('[data-background-error]'), /internal error/);
    await popup.close();

    // The page itself keeps working: its own scripts and controls.
    await page.click('#loginRecord .KuxPagination-root button:has-text("2")');
    await page.waitForFunction(() => window.__replica.log.filter((e) => e.type === 'render' && e.page === 2).length > 0 && !window.__replica.busy, null, { timeout: 10000 });

    // Without the marker the next scan works again, on the fresh instance.
    const n = await scans();
    await page.evaluate(() => document.getElementById('sg-panic').remove());
    await afterScan(n);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#loginRecord tbody tr')];
      return rows.length === 5 && rows.every((r) => r.hasAttribute('data-session-guard'));
    }, null, { timeout: 10000 });
    await page.click('#loginRecord .KuxPagination-root button:has-text("1")');
    await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')].some((r) => r.getAttribute('data-session-guard') === 'current'), null, { timeout: 10000 });
    const status = await b.sw.evaluate(async () => (await sessionGuardDebug.handle({ type: 'status' }, { id: chrome.runtime.id, url: chrome.runtime.getURL('popup.html') })));
    assert.equal(status.coreError, '', 'cleared by the next good call');
  }
  assert.deepEqual(pageErrors, []);
  await page.close();
});
