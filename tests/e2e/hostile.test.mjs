// Hostile pages (issue 7) in Chromium with the built extension: injected
// markup stays text, spoofed rows are never familiar, clobbering elements do
// not switch us off, page messages are ignored, other senders are dropped,
// and the page cannot click, hide, cover or rewrite our confirmation.
// SECURITY.md lists what each test proves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, storage, badge, openPopup, EXCHANGE, STRICT_CSP } from './lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

/** Open a replica file at the real security URL and wait for our marks. */
async function openAs(file, { marks = 9, csp = STRICT_CSP, path = '/account/security' } = {}) {
  b.state.overrides = file ? { [path]: file } : {};
  b.state.csp = csp;
  const page = await b.context.newPage();
  page.dialogs = 0;
  page.on('dialog', (d) => { page.dialogs++; d.dismiss().catch(() => {}); });
  await page.goto(`${EXCHANGE}${path}`);
  await replicaReady(page);
  if (marks) await waitForMarks(page, marks);
  return page;
}

function reset() {
  b.state.overrides = {};
  b.state.csp = STRICT_CSP;
}

/** Run `fn` in the service worker's debug view (tests only, never pages). */
const debugState = () => b.sw.evaluate(() => ({ received: { ...sessionGuardDebug.received }, dropped: sessionGuardDebug.dropped.count }));

/** Every Recent Logins row: its classes, text and our mark. */
const loginRows = (page) => page.$$eval('#loginRecord tbody tr', (rows) => rows.map((r) => ({
  cls: `${r.className} ${[...r.cells].map((c) => c.className).join(' ')}`,
  text: r.textContent.replace(/\s+/g, ' ').trim(),
  mark: r.getAttribute('data-session-guard'),
})));

/** Wait until the next scan after `since` (received.scan count) has been answered. */
async function nextScan(page, since) {
  await b.sw.evaluate((n) => new Promise((r) => { const t = setInterval(() => { if ((sessionGuardDebug.received.scan || 0) > n) { clearInterval(t); r(); } }, 20); }), since);
  await page.waitForTimeout(150); // the reply is applied on the page's next frame
}

/** Make the page scan once more now that it has settled, and wait for the answer. */
async function settle(page) {
  await page.waitForTimeout(300);
  const n = (await debugState()).received.scan || 0;
  await page.evaluate(() => { const i = document.createElement('i'); document.getElementById('__next').append(i); });
  await nextScan(page, n);
}

// ------------------------------------------------------------- 1. injection

test('injected markup, javascript: URLs, bidi controls, zero-width, 100 KB and lone surrogates stay inert text', async () => {
  // No page CSP here: if anything rendered page text as markup it would run.
  const page = await openAs('security-en-inject.html', { csp: null });
  // Run-time strings: a 100 KB device name (with U+202E) and lone UTF-16 surrogates.
  const huge = 'Windows 10 Chrome ' + 'A\u202e'.repeat(50000);
  const before = (await debugState()).received.scan || 0;
  await page.evaluate((h) => {
    const textNode = (el) => [...el.childNodes].find((n) => n.nodeType === 3 && n.data.trim());
    // Trusted Devices rows (the last cell holds KuCoin's Remove button).
    const dev = [...document.querySelectorAll('tr')].filter((r) => r.cells.length === 4 && /Remove/.test(r.cells[3].textContent));
    textNode(dev[1].cells[0]).data = h; // 100 KB
    textNode(dev[2].cells[0]).data = '\ud800\udfff\ud800 x \udc00'; // unpaired surrogates
  }, huge);
  await nextScan(page, before);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui="reason"]')].some((h) => h.shadowRoot.textContent.includes('\ufffd')), null, { timeout: 10000 });

  // Nothing ran, nothing opened.
  assert.equal(await page.evaluate(() => window.__sgCanary), undefined, 'canary set');
  assert.equal(page.dialogs, 0);
  // Our UI holds only the elements widgets.js makes: no img, svg, script, iframe, a.
  const tags = await page.evaluate(() => {
    const seen = new Set();
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) for (const e of h.shadowRoot.querySelectorAll('*')) seen.add(e.localName);
    return [...seen].sort();
  });
  for (const t of tags) assert.ok(['bdi', 'button', 'div', 'input', 'li', 'ol', 'p', 'span', 'ul', 'h2', 'dialog', 'style'].includes(t), `unexpected <${t}> in our UI`);
  // The payloads are shown literally.
  const texts = (await widgetTexts(page)).join('\n');
  assert.ok(texts.includes(`"><img src=x onerror="window.__sgCanary='img'">`), 'img payload shown as text');
  assert.ok(texts.includes(`<iframe src="javascript:window.__sgCanary='iframe'">`), 'iframe payload shown as text');
  // Every row is still read and marked (page text is data, not structure).
  const rows = await loginRows(page);
  assert.equal(rows.filter((r) => r.mark).length, 5);
  assert.ok(rows.some((r) => r.mark === 'unfamiliar' && r.text.includes('And\u200broid')), 'zero-width text kept and marked');

  // Bidi: every element holding page text is isolated; a device name quoted in a sentence
  // comes without its U+202E and inside FSI … PDI, so it cannot reorder the sentence.
  const bidi = await page.evaluate(() => {
    const out = [];
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) {
      for (const e of h.shadowRoot.querySelectorAll('.text, .item')) {
        out.push([getComputedStyle(e).unicodeBidi, e.textContent.includes('\u202e'), e.textContent.includes('\u2068A A') || e.textContent.includes('\u2068Windows 10 Chrome AA')]);
      }
    }
    return out;
  });
  assert.ok(bidi.length >= 5 && bidi.every(([ub]) => ub === 'isolate'), JSON.stringify(bidi.filter(([ub]) => ub !== 'isolate')));
  assert.ok(bidi.every(([, rlo]) => !rlo), 'no U+202E of the page in our texts');
  assert.ok(bidi.some(([, , fsi]) => fsi), 'the U+202E name is among them, isolated');

  // Long text: at most 300 characters inline, the full value in the tooltip.
  const long = await page.evaluate(() => {
    for (const h of document.querySelectorAll('[data-session-guard-ui="reason"]')) {
      const t = h.shadowRoot.querySelector('.text');
      if (t && t.title && t.title.includes('device as shown')) return { shown: [...t.textContent].length, tail: t.textContent.slice(-1), title: t.title };
    }
    return null;
  });
  assert.ok(long, 'a reason with a tooltip');
  assert.equal(long.shown, 301);
  assert.equal(long.tail, '…');
  assert.ok(long.title.includes('\u2068Windows 10 Chrome ' + 'A'.repeat(4000)), 'the tooltip holds the long name far beyond the inline part (isolated, its U+202E dropped)');
  // Lone surrogates arrive as U+FFFD, the row is still assessed.
  assert.ok(texts.includes('\ufffd'));

  // Control: the same payload as markup does run in this page (so the canary works).
  await page.evaluate(() => { const d = document.createElement('div'); d.innerHTML = `<img src=x onerror="window.__sgCanary='control'">`; document.body.append(d); });
  await page.waitForFunction(() => window.__sgCanary === 'control', null, { timeout: 5000 });
  await page.close();
  reset();
});

test('API key names with markup, bidi controls and 100 KB stay inert text on API Management', async () => {
  b.state.csp = null;
  const page = await b.context.newPage();
  page.dialogs = 0;
  page.on('dialog', (d) => { page.dialogs++; d.dismiss().catch(() => {}); });
  await page.goto(`${EXCHANGE}/account/api`);
  await replicaReady(page);
  await waitForMarks(page, 7, 'data-session-guard-api');
  const before = (await debugState()).received.scan || 0;
  const evil = `<img src=x onerror="window.__sgCanary='api'">\u202egnp.exe ${'B'.repeat(100000)}`;
  await page.evaluate((name) => {
    // withdraw-ops: a key the audit always talks about (Withdrawal permission)
    const el = [...document.querySelectorAll('#__next span')].find((s) => s.textContent === 'withdraw-ops');
    el.textContent = name;
  }, evil);
  await nextScan(page, before);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-session-guard-ui]')].some((h) => h.shadowRoot.textContent.includes('<img src=x')), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__sgCanary), undefined);
  assert.equal(page.dialogs, 0);
  const inUi = await page.evaluate(() => {
    let n = 0;
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) n += h.shadowRoot.querySelectorAll('img, svg, script, iframe, a').length;
    return n;
  });
  assert.equal(inUi, 0);
  // Still audited: the card keeps its mark.
  assert.equal(await page.$$eval('[data-session-guard-api]', (els) => els.length), 7);
  await page.close();
  reset();
});

// ------------------------------------------------------------- 2. spoofing

test('spoofed rows: duplicated, display:none, off-screen and zero-size copies of a trusted device are not familiar', async () => {
  // The user trusts the Windows laptop first (a trusted click in our UI).
  let page = await openAs(null);
  const row = page.locator('#loginRecord tbody tr', { hasText: 'Windows 10 Chrome' });
  await row.locator('button', { hasText: 'This is me' }).click();
  await row.locator('button', { hasText: 'Save' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#loginRecord tbody tr')].some((r) => r.textContent.includes('Windows 10 Chrome') && r.getAttribute('data-session-guard') === 'familiar'), null, { timeout: 10000 });
  await page.close();

  page = await openAs('security-en-spoof-rows.html', { marks: 14 });
  const rows = await loginRows(page);
  assert.equal(rows.length, 10);
  const windows = rows.filter((r) => r.text.includes('Windows 10 Chrome'));
  assert.equal(windows.length, 5);
  const plain = windows.filter((r) => !r.cls.includes('sg-spoof'));
  assert.equal(plain[0].mark, 'familiar', 'the visible original');
  assert.equal(plain[1].mark, 'unfamiliar', 'the exact duplicate');
  for (const kind of ['sg-spoof-hidden', 'sg-spoof-offscreen', 'sg-spoof-zero']) {
    const r = windows.find((x) => x.cls.includes(kind));
    assert.equal(r.mark, 'unfamiliar', kind);
  }
  const fakeCurrent = rows.find((r) => r.cls.includes('sg-spoof-hidden') && r.text.includes('Linux Chrome'));
  assert.equal(fakeCurrent.mark, 'unfamiliar', 'a hidden "Current" row is not this browser');
  assert.equal(rows.filter((r) => r.mark === 'current').length, 1);
  // The browser saw what the user cannot: the snapshot flags those rows' text as hidden.
  const hiddenRows = await b.sw.evaluate(() => {
    const s = sessionGuardDebug.lastSnapshot;
    const byId = new Map(s.nodes.map((n) => [n.id, n]));
    const up = (n) => { for (let x = n; x; x = byId.get(x.parent)) if (x.hidden) return true; return false; };
    return s.nodes.filter((n) => n.tag === '#text' && /^Windows 10 Chrome$/.test(n.text) && up(n)).length;
  });
  assert.equal(hiddenRows, 3);
  // Eight unfamiliar rows and one familiar: the five most urgent get a reason under the row,
  // the summary above the list names the others (app.rs MAX_INLINE_REASONS).
  const reasons = (await widgetTexts(page, 'reason')).join('\n');
  const summary = (await widgetTexts(page, 'summary')).join('\n');
  assert.match(`${reasons}\n${summary}`, /Duplicated row on the page/);
  assert.match(summary, /3 more unfamiliar sessions are marked in the list without an explanation/);
  const st = await storage(b.sw);
  assert.equal(st.trust.devices.length, 2, 'nothing learned from hidden rows');
  await page.close();
  reset();
});

test('a session row outside the lists, or a second "Recent Logins" list, means can\'t verify', async () => {
  for (const file of ['security-en-spoof-tables.html', 'security-en-spoof-outside.html']) {
    const page = await openAs(file, { marks: 0 });
    await settle(page); // the real list has loaded (while it loads, the other one is the only candidate)
    const summary = (await widgetTexts(page, 'summary')).concat(await widgetTexts(page, 'banner')).join(' ');
    assert.match(summary, /can't verify/, file);
    assert.match(summary, /Two Recent Logins lists/, file);
    // No row of the session lists (the real one, the fake one, the lone row) is vouched for.
    const marks = await page.$$eval('[data-session-guard]', (els) => els.filter((e) => !e.closest('section') || /fake/.test(e.closest('section').className) || e.closest('#loginRecord')).map((e) => e.getAttribute('data-session-guard')));
    assert.ok(marks.every((m) => m === 'unfamiliar'), `${file}: ${JSON.stringify(marks)}`);
    assert.equal(await page.$$eval('#loginRecord tbody tr[data-session-guard]', (els) => els.length), 0, file);
    assert.equal((await badge(b.sw)).text, '?', file);
    const popup = await openPopup(b.context, b.extId);
    assert.match(await popup.textContent('header.status h1'), /Could not read/);
    await popup.close();
    await page.close();
  }
  reset();
});

test('a "Current" row that is not this browser is flagged and not learned', async () => {
  await b.sw.evaluate(() => chrome.storage.local.clear());
  const page = await openAs('security-en-spoof-current.html', { marks: 9 });
  const rows = await loginRows(page);
  const edge = rows.find((r) => r.text.includes('Windows 10 Edge'));
  assert.equal(edge.mark, 'unfamiliar');
  const reasons = (await widgetTexts(page, 'reason')).join('\n');
  assert.match(reasons, /does not look like this browser/);
  const st = await storage(b.sw);
  assert.ok(st.scan.summary.current_mismatch);
  assert.ok(!st.trust.devices.some((d) => /edge/i.test(d.fingerprint)), JSON.stringify(st.trust.devices));
  await page.close();
  reset();
});

test('elements whose id or name clobber globals and DOM members change nothing', async () => {
  const page = await openAs('security-en-clobber.html', { marks: 9 });
  // The page's own view of the clobbering (so the test is not vacuous).
  assert.equal(await page.evaluate(() => window.browser instanceof HTMLElement && window.__sessionGuardContent instanceof HTMLElement), true);
  assert.equal(await page.evaluate(() => document.getElementById('clobber-form').childNodes instanceof HTMLInputElement), true);
  const rows = await loginRows(page);
  assert.deepEqual(rows.map((r) => r.mark), ['current', 'unfamiliar', 'unfamiliar', 'unfamiliar', 'unfamiliar']);
  // Now clobber document members too, then make the core send new widgets.
  await page.evaluate(() => {
    for (const n of ['createElement', 'body', 'documentElement', 'elementFromPoint', 'querySelectorAll']) {
      const img = Document.prototype.createElement.call(document, 'img');
      img.name = n;
      img.alt = '';
      document.getElementById('__next').append(img);
    }
  });
  assert.equal(await page.evaluate(() => document.body instanceof HTMLImageElement && typeof document.createElement !== 'function'), true);
  // From here on the page's own document.querySelectorAll is gone too: use the prototype's.
  const inPage = (fn, arg) => page.evaluate(fn, arg);
  const before = (await debugState()).received.scan || 0;
  await inPage(() => {
    const Q = (s) => Document.prototype.querySelectorAll.call(document, s);
    const td = [...Q('#loginRecord tbody tr')][3].cells[1];
    [...td.childNodes].find((n) => n.nodeType === 3).data = 'Windows 11 Edge';
  });
  await nextScan(page, before);
  await page.waitForFunction(() => {
    const Q = (s) => Document.prototype.querySelectorAll.call(document, s);
    return [...Q('[data-session-guard-ui="reason"]')].some((h) => h.shadowRoot.textContent.includes('Edge'));
  }, null, { timeout: 10000 });
  // Our confirm dialog still opens and closes (it uses document members too).
  const at = await inPage(() => {
    const Q = (s) => Document.prototype.querySelectorAll.call(document, s);
    for (const h of Q('[data-session-guard-ui="reason"]')) {
      const btn = [...h.shadowRoot.querySelectorAll('button')].find((x) => x.textContent === 'Remove');
      if (btn) { btn.scrollIntoView({ block: 'center' }); const r = btn.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }
    }
    return null;
  });
  assert.ok(at, 'a Remove button of ours');
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => {
    const h = Document.prototype.querySelector.call(document, '[data-session-guard-dialog]');
    return h && h.shadowRoot.querySelector('dialog[open]');
  }, null, { timeout: 5000 });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !Document.prototype.querySelector.call(document, '[data-session-guard-dialog]'), null, { timeout: 5000 });
  await page.close();
  reset();
});

// ------------------------------------------------------------- 3. messages

test('window.postMessage and DOM CustomEvents reach nothing', async () => {
  const page = await openAs(null);
  await page.waitForTimeout(500); // settled: no scan pending
  const marksBefore = (await loginRows(page)).map((r) => r.mark);
  const d0 = await debugState();
  await page.evaluate(() => {
    const forged = [
      { type: 'scan', snapshot: { url: location.href, nodes: [] } },
      { type: 'action', action: { kind: 'trust', device_text: 'Linux Firefox', ip: '198.51.100.77', label: 'mine' } },
      { type: 'plan', plan: { marks: [{ id: 1, attr: 'data-session-guard', value: 'familiar' }], widgets: [], steps: [] } },
      { type: 'rescan' }, 'scan', { source: 'session-guard', type: 'action', action: { kind: 'dismiss_banner' } },
    ];
    for (const m of forged) { window.postMessage(m, '*'); window.top.postMessage(m, '*'); }
    const names = ['session-guard', 'sessionguard', 'sg:scan', 'scan', 'action', 'message', 'rescan', 'click'];
    for (const n of names) {
      for (const target of [window, document, document.documentElement, document.querySelector('[data-session-guard-ui]')]) {
        target.dispatchEvent(new CustomEvent(n, { detail: forged[1], bubbles: true, composed: true }));
      }
    }
    const ch = new MessageChannel();
    window.postMessage({ type: 'port' }, '*', [ch.port2]);
    ch.port1.postMessage({ type: 'action', action: { kind: 'trust' } });
  });
  // The page cannot even address us: no externally_connectable, so no chrome.runtime here.
  const direct = await page.evaluate(async (id) => {
    try {
      if (!globalThis.chrome || !chrome.runtime || !chrome.runtime.sendMessage) return 'no runtime';
      await chrome.runtime.sendMessage(id, { type: 'scan', snapshot: { url: location.href, nodes: [] } });
      return 'sent';
    } catch (e) { return `refused: ${e.message}`; }
  }, b.extId);
  assert.notEqual(direct, 'sent');
  // One real mutation, so one real scan: it must be the only message that arrives.
  await page.evaluate(() => document.body.append(document.createElement('i')));
  await nextScan(page, d0.received.scan || 0);
  const d1 = await debugState();
  assert.equal((d1.received.scan || 0) - (d0.received.scan || 0), 1, JSON.stringify(d1));
  assert.equal(d1.received.action || 0, d0.received.action || 0);
  assert.equal(d1.dropped, d0.dropped, 'nothing even tried');
  assert.deepEqual((await loginRows(page)).map((r) => r.mark), marksBefore);
  const st = await storage(b.sw);
  assert.ok(!st.trust.devices.some((d) => d.label === 'mine'));
  await page.close();
  reset();
});

test('the background drops malformed messages from our own pages and counts them', async () => {
  const popup = await openPopup(b.context, b.extId);
  const storeBefore = JSON.stringify(await storage(b.sw));
  const d0 = await debugState();
  const replies = await popup.evaluate(async () => {
    const bad = [
      'scan', 42, null, [], {}, { type: 'nope' }, { type: 5 }, { type: 'constructor' }, { type: '__proto__' },
      { type: 'scan', snapshot: { url: 'https://www.kucoin.com/account/security', nodes: [] } }, // pages may not scan
      { type: 'action', action: { kind: 'trust' } }, // nor send content-script actions
      { type: 'popupAction' }, { type: 'popupAction', action: 'trust' }, { type: 'popupAction', action: { kind: 7 } },
      { type: 'importTrust', data: null }, { type: 'importTrust', data: 'x' },
    ];
    const out = [];
    for (const m of bad) {
      try { out.push({ reply: await chrome.runtime.sendMessage(m) }); } catch (e) { out.push({ threw: String(e) }); }
    }
    return out;
  });
  const sent = replies.filter((r) => !('threw' in r));
  assert.ok(sent.length >= 14, JSON.stringify(replies));
  assert.ok(sent.every((r) => r.reply === undefined || r.reply === null), JSON.stringify(replies));
  const d1 = await debugState();
  assert.equal(d1.dropped - d0.dropped, sent.length);
  for (const t of ['scan', 'action', 'popupAction', 'importTrust']) assert.equal(d1.received[t], d0.received[t], `${t} handled`);
  assert.equal(JSON.stringify(await storage(b.sw)), storeBefore);
  // The popup's status query shows the count.
  const status = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
  assert.equal(status.dropped, d1.dropped);
  await popup.close();
});

test('senders: only our content script in the top frame of the exchange, or our own pages', async () => {
  const verdicts = await b.sw.evaluate(() => {
    const id = chrome.runtime.id;
    const ext = chrome.runtime.getURL('popup.html');
    const ku = 'https://www.kucoin.com/account/security';
    const tab = (url) => ({ id: 7, url });
    const cases = {
      content: { id, url: ku, origin: 'https://www.kucoin.com', frameId: 0, tab: tab(ku) },
      popup: { id, url: ext, origin: new URL(ext).origin },
      popupInTab: { id, url: ext, tab: tab(ext), frameId: 0 },
      otherExtension: { id: 'abcdefghijklmnopabcdefghijklmnop', url: ku, frameId: 0, tab: tab(ku) },
      subframe: { id, url: ku, frameId: 3, tab: tab(ku) },
      noFrameId: { id, url: ku, tab: tab(ku) },
      otherSite: { id, url: 'https://evil.example/account/security', frameId: 0, tab: tab('https://evil.example/') },
      lookalike: { id, url: 'https://www.kucoin.com.evil.example/account/security', frameId: 0, tab: tab('https://www.kucoin.com.evil.example/') },
      plainHttp: { id, url: 'http://www.kucoin.com/account/security', frameId: 0, tab: tab('http://www.kucoin.com/') },
      originMismatch: { id, url: ku, origin: 'https://evil.example', frameId: 0, tab: tab(ku) },
      tabElsewhere: { id, url: ku, frameId: 0, tab: tab('https://evil.example/') },
      noTab: { id, url: ku, frameId: 0 },
      noUrl: { id, frameId: 0, tab: tab(ku) },
      extPageInForeignTab: { id, url: ext, tab: tab('https://evil.example/') },
      notAnObject: 'sender',
    };
    return Object.fromEntries(Object.entries(cases).map(([k, s]) => [k, sessionGuardDebug.senderKind(s)]));
  });
  assert.deepEqual(verdicts, {
    content: 'content', popup: 'page', popupInTab: 'page', otherExtension: null, subframe: null, noFrameId: null,
    otherSite: null, lookalike: null, plainHttp: null, originMismatch: null, tabElsewhere: null, noTab: null, noUrl: null,
    extPageInForeignTab: null, notAnObject: null,
  });
  // From a wrong sender even a well-formed scan is dropped; an oversized snapshot from the right one too.
  const res = await b.sw.evaluate(async () => {
    const ku = 'https://www.kucoin.com/account/security';
    const good = { id: chrome.runtime.id, url: ku, frameId: 0, tab: { id: 1, url: ku } };
    const d0 = sessionGuardDebug.dropped.count;
    const r1 = await sessionGuardDebug.handle({ type: 'scan', snapshot: { url: ku, nodes: [] } }, { ...good, frameId: 2 });
    const r2 = await sessionGuardDebug.handle({ type: 'scan', snapshot: { url: ku, nodes: new Array(400002).fill(0) } }, good);
    const r3 = await sessionGuardDebug.handle({ type: 'scan', snapshot: { url: 'https://evil.example/account/security', nodes: [] } }, good);
    const r4 = await sessionGuardDebug.handle({ type: 'popupAction', action: { kind: 'forget_all' } }, good); // not for content scripts
    // The content script sends its snapshot as JSON text: unparsable text, or text of a bad snapshot, is dropped too.
    const r5 = await sessionGuardDebug.handle({ type: 'scan', snapshot: '{"url":' }, good);
    const r6 = await sessionGuardDebug.handle({ type: 'scan', snapshot: JSON.stringify({ url: 'https://evil.example/account/security', nodes: [] }) }, good);
    return { replies: [r1, r2, r3, r4, r5, r6], dropped: sessionGuardDebug.dropped.count - d0, last: sessionGuardDebug.dropped.last };
  });
  assert.deepEqual(res.replies, [undefined, undefined, undefined, undefined, undefined, undefined]);
  assert.equal(res.dropped, 6);
});

// ------------------------------------------------------------- 4. UI tampering

const ourButton = (page, label) => page.locator('[data-session-guard-ui="reason"]').locator('button', { hasText: label });

/** Open our Remove confirmation for the unfamiliar trusted device (Linux Firefox). */
async function openRemoveDialog(page) {
  await ourButton(page, /^Remove$/).first().click();
  await page.waitForFunction(() => { const h = document.querySelector('[data-session-guard-dialog]'); return h && h.shadowRoot.querySelector('dialog[open]'); }, null, { timeout: 5000 });
  // Armed: Confirm is disabled for the first 500 ms (and, in Chromium, until seen visible).
  await page.waitForFunction(() => !document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').disabled, null, { timeout: 5000 });
  return page.evaluate(() => {
    const h = document.querySelector('[data-session-guard-dialog]');
    const ok = h.shadowRoot.querySelector('button.danger');
    const r = ok.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
}

const removeRan = (page) => page.evaluate(() => window.__replica.log.some((e) => e.type === 'popconfirm' || e.type === 'remove'));
const toastText = async (page) => (await widgetTexts(page, 'toast')).join(' ');

async function freshSecurityPage() {
  const page = await openAs(null);
  await page.evaluate(() => window.__replica.resetState());
  return page;
}

test('page scripts cannot press our buttons: click(), dispatchEvent and keyboard events are ignored', async () => {
  const page = await freshSecurityPage();
  const before = JSON.stringify(await storage(b.sw));
  const n = await page.evaluate(() => {
    let k = 0;
    for (const h of document.querySelectorAll('[data-session-guard-ui]')) {
      for (const btn of h.shadowRoot.querySelectorAll('button')) {
        btn.click();
        btn.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 5, clientY: 5 }));
        btn.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        btn.focus();
        btn.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        k++;
      }
    }
    return k;
  });
  assert.ok(n >= 8, `${n} buttons`);
  await page.waitForTimeout(500);
  assert.equal(await page.$$eval('[data-session-guard-dialog]', (d) => d.length), 0, 'no dialog opened');
  assert.equal(await removeRan(page), false);
  assert.equal(JSON.stringify(await storage(b.sw)), before);
  // A page-made click on Confirm inside an open dialog is ignored too.
  await openRemoveDialog(page);
  await page.evaluate(() => document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').click());
  await page.waitForTimeout(300);
  assert.equal(await removeRan(page), false);
  assert.equal(await page.$$eval('[data-session-guard-dialog]', (d) => d.length), 1, 'still open, waiting for the user');
  await page.close();
});

test('Confirm starts disabled (a double click cannot confirm) and is enabled once shown', async () => {
  const page = await freshSecurityPage();
  await page.evaluate(() => {
    window.__confirmAtInsert = null;
    new MutationObserver((recs) => {
      for (const r of recs) for (const n of r.addedNodes) {
        if (n.nodeType === 1 && n.hasAttribute('data-session-guard-dialog')) window.__confirmAtInsert = n.shadowRoot.querySelector('button.danger').disabled;
      }
    }).observe(document.documentElement, { childList: true });
  });
  await openRemoveDialog(page); // waits until it is enabled
  assert.equal(await page.evaluate(() => window.__confirmAtInsert), true);
  await page.keyboard.press('Escape');
  await page.close();
});

const TAMPER = {
  'covered by a page popover in the top layer (clicks pass through it)': () => {
    const p = document.createElement('div');
    p.popover = 'manual';
    p.textContent = 'Your session is safe. Click the red button to continue.';
    Object.assign(p.style, { inset: '0', width: '100vw', height: '100vh', margin: '0', background: '#fff', pointerEvents: 'none', border: '0' });
    document.body.append(p);
    p.showPopover();
  },
  'made transparent through its host element': () => { document.querySelector('[data-session-guard-dialog]').style.opacity = '0.02'; },
  'restyled by a page stylesheet (no change to our elements)': () => {
    const s = new CSSStyleSheet();
    s.replaceSync('[data-session-guard-dialog] { opacity: 0.03 !important; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
  },
  'text rewritten inside its open shadow root': () => {
    const r = document.querySelector('[data-session-guard-dialog]').shadowRoot;
    r.querySelector('h2').textContent = 'Claim your reward';
  },
  'our stylesheet swapped for the page\'s': () => {
    const r = document.querySelector('[data-session-guard-dialog]').shadowRoot;
    const s = new CSSStyleSheet();
    s.replaceSync('dialog { opacity: 0.01; }');
    r.adoptedStyleSheets = [s];
  },
};

for (const [how, tamper] of Object.entries(TAMPER)) {
  test(`confirmation ${how}: the destructive step does not run and the user is told`, async () => {
    const page = await freshSecurityPage();
    const at = await openRemoveDialog(page);
    await page.evaluate(tamper);
    await page.waitForTimeout(300);
    // A real, trusted click where Confirm is, unless the dialog already gave up (and said so).
    if (await page.$('[data-session-guard-dialog]')) await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.querySelector('[data-session-guard-ui="toast"]'), null, { timeout: 5000 });
    assert.match(await toastText(page), /Session Guard did not continue: the (confirmation was (covered|hidden)|page changed the confirmation)/);
    await page.waitForTimeout(500);
    assert.equal(await removeRan(page), false, 'KuCoin\'s Remove was not pressed');
    assert.equal(await page.$$eval('[data-session-guard-dialog]', (d) => d.length), 0, 'the dialog is gone');
    await page.close();
  });
}

test('a page element at the maximum z-index cannot cover the confirmation (top layer); untouched, Confirm runs', async () => {
  const page = await freshSecurityPage();
  const at = await openRemoveDialog(page);
  await page.evaluate(() => {
    const c = document.createElement('div');
    c.id = 'cover';
    Object.assign(c.style, { position: 'fixed', inset: '0', zIndex: '2147483647', background: '#fff' });
    document.body.append(c);
  });
  await page.waitForTimeout(300);
  // What the user sees at Confirm is still our dialog, so the click is the user's decision.
  assert.equal(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y).hasAttribute('data-session-guard-dialog'), at), true);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => window.__replica.log.some((e) => e.type === 'popconfirm'), null, { timeout: 5000 });
  assert.equal(await page.$$eval('[data-session-guard-dialog]', (d) => d.length), 0);
  await page.evaluate(() => window.__replica.resetState());
  await page.close();
});
