// Firefox e2e (puppeteer-core over WebDriver BiDi, Debian firefox-esr) with dist/firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, EXCHANGE, foreignRequests, STRICT_CSP } from './lib.mjs';

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
  // The marks are drawn (extension/marks.css, a content-script sheet): a bar on each row's first cell.
  const bars = await page.$$eval('#loginRecord [data-session-guard]', (els) => els.map((e) => [e.getAttribute('data-session-guard'), getComputedStyle(e.firstElementChild).boxShadow]));
  for (const [v, shadow] of bars) {
    assert.match(shadow, v === 'current' ? /rgb\(46, 125, 50\) 3px 0px 0px 0px inset/ : /rgb\(198, 40, 40\) 5px 0px 0px 0px inset/, `${v}: ${shadow}`);
  }
  await page.close();
});

test('Firefox: a language replica (ru) is read', async () => {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/ru/account/security`);
  const rows = await marks(page);
  assert.equal(rows.length, 5);
  await page.close();
});

test('Firefox: CSS-grid rows with display: contents are read as shown, their bars drawn on the first cell', async () => {
  // As in chromium.test.mjs: checkVisibility is false for a row without a box in Firefox too.
  const GRID = '#loginRecord [role="table"] { display: grid; grid-template-columns: repeat(4, auto); } '
    + '#loginRecord [role="rowgroup"], #loginRecord [role="row"] { display: contents; } '
    + '#loginRecord [role="cell"], #loginRecord [role="columnheader"] { display: block; }';
  b.state.csp = null; // the inline <style>
  b.state.overrides = { '/account/security': 'security-en-grid.html' };
  b.state.transform = (path, html) => (path.endsWith('/account/security') ? html.replace('</head>', `<style id="grid">${GRID}</style></head>`) : html);
  const rows = '#loginRecord .css-1onrd6q > [role="row"]';
  try {
    const page = await b.newPage();
    await page.goto(`${EXCHANGE}/account/security`);
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel}[data-session-guard]`).length === 5, { timeout: 15000 }, rows);
    const seen = await page.$$eval(rows, (els) => els.map((r) => {
      const c = r.firstElementChild;
      return [getComputedStyle(r).display, r.checkVisibility(), r.getAttribute('data-session-guard'),
        r.getAttribute('data-session-guard-bar'), c.getAttribute('data-session-guard-bar'), getComputedStyle(c).boxShadow];
    }));
    assert.equal(seen.length, 5);
    assert.ok(seen.every(([d, v, m]) => d === 'contents' && v === false && m), `rows without a box, each marked: ${JSON.stringify(seen)}`);
    // Firefox is not the replica's "Linux Chrome", so every row is flagged either way. Read as shown: KuCoin's Current row is this browser's question ("does not look like this
    // browser"); a row read as hidden would be "Hidden row on the page" instead.
    const ui = await page.$$eval('[data-session-guard-ui]', (h) => h.map((x) => x.shadowRoot && x.shadowRoot.textContent).join(' | '));
    assert.match(ui, /5 sessions/);
    assert.match(ui, /KuCoin marks a session as Current that does not look like this browser/);
    assert.doesNotMatch(ui, /Hidden row/);
    for (const [, , m, row, cell, shadow] of seen) {
      assert.equal(cell, row, `the bar copied to the first cell: ${JSON.stringify(seen)}`);
      assert.match(shadow, m === 'current' ? /rgb\(46, 125, 50\) 3px 0px 0px 0px inset/ : /rgb\(198, 40, 40\) 5px 0px 0px 0px inset/, `${m}: ${shadow}`);
    }
    await page.close();
  } finally {
    b.state.transform = null;
    b.state.csp = STRICT_CSP;
    b.state.overrides = {};
  }
});

test('Firefox: no request of its own', async () => {
  assert.deepEqual(foreignRequests(b.requests), []);
});

// Hostile pages (issue 7), where Firefox differs: no IntersectionObserver v2,
// Xray wrappers around the page's DOM in content scripts.
test('Firefox: elements whose id or name clobber globals and DOM members change nothing', async () => {
  b.state.overrides = { '/account/security': 'security-en-clobber.html' };
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  const rows = await marks(page);
  assert.equal(rows.length, 5);
  assert.equal(await page.evaluate(() => window.browser instanceof HTMLElement), true, 'the clobbering is real');
  b.state.overrides = {};
  await page.close();
});

test('Firefox: a confirmation the page restyles does not run and the user is told', async () => {
  const page = await b.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await marks(page);
  await page.evaluate(() => window.__replica.resetState());
  const center = (sel) => page.evaluate((s) => {
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) {
      const btn = [...h.shadowRoot.querySelectorAll('button')].find((x) => x.matches(s.css) && x.textContent === s.text);
      if (btn) { btn.scrollIntoView({ block: 'center' }); const r = btn.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }
    }
    return null;
  }, sel);
  const remove = await center({ css: 'button', text: 'Remove' });
  assert.ok(remove, 'our Remove button');
  await page.mouse.click(remove.x, remove.y);
  await page.waitForFunction(() => { const h = document.querySelector('[data-session-guard-dialog]'); return h && h.shadowRoot.querySelector('dialog[open]'); }, { timeout: 5000 });
  await page.waitForFunction(() => !document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').disabled, { timeout: 5000 }); // armed
  const ok = await page.evaluate(() => { const r = document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; });
  // A page stylesheet (no change to our elements) makes it nearly transparent.
  await page.evaluate(() => {
    const s = new CSSStyleSheet();
    s.replaceSync('[data-session-guard-dialog] { opacity: 0.03 !important; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
  });
  await page.mouse.click(ok.x, ok.y);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui="toast"]')].some((h) => /did not continue/.test(h.shadowRoot.textContent)), { timeout: 5000 });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.evaluate(() => window.__replica.log.some((e) => e.type === 'popconfirm')), false, "KuCoin's Remove was not pressed");
  // Control: untouched, the same trusted click confirms.
  await page.reload();
  await marks(page);
  const again = await center({ css: 'button', text: 'Remove' });
  await page.mouse.click(again.x, again.y);
  await page.waitForFunction(() => { const h = document.querySelector('[data-session-guard-dialog]'); return h && h.shadowRoot.querySelector('dialog[open]'); }, { timeout: 5000 });
  await page.waitForFunction(() => !document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').disabled, { timeout: 5000 });
  const ok2 = await page.evaluate(() => { const r = document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; });
  await page.mouse.click(ok2.x, ok2.y);
  await page.waitForFunction(() => window.__replica.log.some((e) => e.type === 'popconfirm'), { timeout: 5000 });
  await page.evaluate(() => window.__replica.resetState());
  await page.close();
});
