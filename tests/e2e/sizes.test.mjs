// Session Guard's UI at sizes the other e2e files never use (they all run at
// 1280×900): split-screen and phone widths (320–414 px; Firefox for Android
// runs extensions), 200 % and 400 % browser zoom (a 1280×900 window at 200 %
// lays out like a 640×450 viewport, at 400 % like 320×225), right-to-left pages,
// the card layout, hostile long strings (unbroken names, IPv6), the dock of a
// long list, our confirmation dialog, the progress card and the popup.
//
// Everything is measured from the page: for each of our shadow hosts
// ([data-session-guard-ui]) every box inside its shadow root must stay in
// the box the page gave the host (its parent; the window for the dock, the
// dialog and the toast), the document must not get wider than it is with
// our hosts hidden (the replica itself overflows at phone widths: we may add
// nothing to that), and our buttons must be at least 24×24 CSS px. The page
// cases and the measurement are shared with Firefox (sizes-lib.mjs,
// firefox-sizes.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, replicaReady, waitForMarks, storage, until, EXCHANGE } from './lib.mjs';
import { securityPage, overrides as benchOverrides } from '../bench/pages.mjs';
import { NARROW_ROUTE, CASES, PLACE, UNBROKEN, IPV6, longStrings, narrow, measure, assertFits } from './sizes-lib.mjs';

let b;
before(async () => { b = await launchChromium(); });
after(async () => { await b?.close(); });

function setPage({ overrides = {}, transform = null } = {}) {
  b.state.overrides = { ...NARROW_ROUTE, ...overrides };
  b.state.transform = transform;
}

/** A security page at `width`×`height`, marked. */
async function openAt(path, width, height, opts = {}) {
  setPage(opts);
  const page = await b.context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`${EXCHANGE}${path}`);
  if (opts.static) await waitForMarks(page, opts.marks ?? 9, 'data-session-guard', 20000);
  else {
    await replicaReady(page);
    await waitForMarks(page, opts.marks ?? 9);
  }
  // the reasons, the summary and the action card are in
  await page.waitForFunction(() => document.querySelectorAll('[data-session-guard-ui="reason"]').length >= 3
    && document.querySelector('[data-session-guard-action="logout-all"]'), null, { timeout: 10000 });
  await page.waitForTimeout(300);
  return page;
}

test('summary, cards and inline reasons stay inside the page\'s boxes at phone widths, zoomed, RTL, with hostile strings', async () => {
  const failed = [];
  for (const [what, path, w, h, opts] of CASES) {
    const page = await openAt(path, w, h, opts);
    try { assertFits(await measure(page), what); } catch (e) { failed.push(e.message); }
    await page.close();
  }
  setPage();
  assert.equal(failed.join('\n\n'), '');
});

test('"This is me": the name field and Save fit a phone-width row', async () => {
  for (const [what, path, opts] of [
    ['en, narrow layout', '/account/security', { transform: (_p, h) => narrow(h) }],
    ['unbroken names (RTL)', '/ar/account/security', { transform: (_p, h) => longStrings(h) }],
  ]) {
    const page = await openAt(path, 360, 640, opts);
    const reason = page.locator('[data-session-guard-ui="reason"]', { has: page.locator('button', { hasText: /This is me|هذا أنا/ }) }).first();
    await reason.locator('button').first().click();
    await reason.locator('input').waitFor();
    const m = await measure(page);
    assertFits(m, what);
    const input = await reason.locator('input').boundingBox();
    assert.ok(input.width >= 60, `${what}: the name field is ${input.width} px wide`);
    await page.close();
  }
  setPage();
});

/** Our Log-out-all confirmation, open and armed; returns its measurements. */
async function openConfirmation(page) {
  await page.locator('[data-session-guard-action="logout-all"] button.danger').first().click();
  const dialog = page.locator('[data-session-guard-dialog]');
  await dialog.locator('dialog[open]').waitFor({ timeout: 10000 });
  await page.waitForFunction(() => !document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('button.danger').disabled, null, { timeout: 5000 });
  return dialog;
}

test('the Log-out-all confirmation fits the window and scrolls to Confirm at 360×640, 320×225, RTL and with long names', async () => {
  for (const [what, path, w, h, opts] of [
    ['en 360×640', '/account/security', 360, 640, {}],
    ['en 320×225 (400 % zoom)', '/account/security', 320, 225, {}],
    ['ar 360×640', '/ar/account/security', 360, 640, {}],
    ['unbroken names 360×640', '/account/security', 360, 640, { transform: (_p, x) => longStrings(x) }],
  ]) {
    const page = await openAt(path, w, h, opts);
    const dialog = await openConfirmation(page);
    const m = await page.evaluate(() => {
      const d = document.querySelector('[data-session-guard-dialog]').shadowRoot.querySelector('dialog');
      const r = d.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, iw: document.documentElement.clientWidth, ih: innerHeight,
        hscroll: d.scrollWidth - d.clientWidth, vscroll: d.scrollHeight - d.clientHeight, overflowY: getComputedStyle(d).overflowY };
    });
    assert.ok(m.left >= 0 && m.top >= 0 && m.right <= m.iw && m.bottom <= m.ih, `${what}: the dialog ${JSON.stringify(m)} is inside the window`);
    assert.ok(m.hscroll <= 0, `${what}: nothing in the dialog is wider than it (${m.hscroll} px)`);
    if (m.vscroll > 0) assert.match(m.overflowY, /auto|scroll/, `${what}: the taller dialog scrolls`);
    // Confirm: scrolled to inside the dialog, then a real click target (Playwright's actionability checks; no click)
    const ok = dialog.locator('button.danger');
    await ok.scrollIntoViewIfNeeded();
    await ok.click({ trial: true, timeout: 5000 });
    const box = await ok.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= m.ih && box.x >= 0 && box.x + box.width <= m.iw, `${what}: Confirm in the window ${JSON.stringify(box)}`);
    assert.ok(box.width >= 24 && box.height >= 24, `${what}: Confirm is ${box.width}×${box.height}`);
    const all = await measure(page, { hide: false });
    assert.equal(all.problems.join('\n'), '', what);
    await dialog.locator('button', { hasText: /Cancel|إلغاء/ }).first().click();
    await page.close();
  }
  setPage();
});

test('the dock of a long list stays in the window and leaves every control of the page reachable (360×640)', async () => {
  const file = securityPage(150); // > 100 rows: everything of ours goes into the dock
  const page = await openAt('/account/security', 360, 640, { overrides: benchOverrides('/account/security', file), transform: (_p, h) => narrow(h), static: true, marks: 150 });
  await page.waitForFunction(() => {
    const d = document.querySelector('[data-session-guard-ui="dock"]');
    return d && d.querySelector('[data-session-guard-ui="reason"]');
  }, null, { timeout: 10000 });
  const m = await measure(page);
  assertFits(m, 'dock');
  const dock = await page.evaluate(() => {
    const r = document.querySelector('[data-session-guard-ui="dock"]').getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height, ih: innerHeight };
  });
  assert.ok(dock.height <= dock.ih * 0.4 + 1, `the dock takes at most 40 % of the window: ${JSON.stringify(dock)}`);
  // at the top of the long page: docked at the bottom of the window, in it
  assert.ok(dock.bottom <= dock.ih + 1 && dock.bottom >= dock.ih - 1 && dock.top >= 0, `the dock sits at the bottom of the window: ${JSON.stringify(dock)}`);
  // Every control of the page can be scrolled to where the dock does not cover it.
  const covered = await page.evaluate(async () => {
    const dockHost = document.querySelector('[data-session-guard-ui="dock"]');
    const out = [];
    const controls = [...document.body.querySelectorAll('button, a[href], input, [role="button"], [role="tab"]')]
      .filter((e) => !e.closest('[data-session-guard-ui]') && e.getClientRects().length && e.checkVisibility());
    for (const e of controls) {
      e.scrollIntoView({ block: 'end', inline: 'nearest' }); // as low as it goes: where the dock is
      await new Promise((r) => requestAnimationFrame(() => r()));
      const r = e.getBoundingClientRect();
      const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (at === dockHost || (at && at.closest && at.closest('[data-session-guard-ui="dock"]'))) {
        // covered where scrolling leaves it: is there a scroll position where it is not?
        e.scrollIntoView({ block: 'start', inline: 'nearest' });
        await new Promise((res) => requestAnimationFrame(() => res()));
        const r2 = e.getBoundingClientRect();
        const at2 = document.elementFromPoint(r2.left + r2.width / 2, r2.top + r2.height / 2);
        if (at2 === dockHost || (at2 && at2.closest && at2.closest('[data-session-guard-ui="dock"]'))) out.push(`${e.tagName} "${e.textContent.trim().slice(0, 30)}" at y ${Math.round(r2.top)}`);
      }
    }
    return { covered: out, controls: controls.length };
  });
  assert.ok(covered.controls >= 10, `controls found: ${covered.controls}`);
  assert.deepEqual(covered.covered, [], 'controls the dock covers wherever the page is scrolled');
  await page.close();
  setPage();
});

test('the progress card of Log out all devices fits at 360 px with long device names', async () => {
  setPage({ transform: (_p, h) => longStrings(h) });
  const page = await b.context.newPage();
  await page.setViewportSize({ width: 360, height: 640 });
  // slow KuCoin down so that step 1 stays on screen while its list grows
  await page.goto(`${EXCHANGE}/account/security?scenario=reset&delay=1200`);
  // the delay is kept in the replica's state: reset it even when this test fails, or every
  // later test in this file runs on a slow replica and times out too
  try {
    await replicaReady(page, 20000);
    await waitForMarks(page, 9, 'data-session-guard', 20000);
    await page.locator('[data-session-guard-action="logout-all"] button.danger').first().click();
    await page.locator('[data-session-guard-dialog] button.danger:not([disabled])').click({ timeout: 10000 });
    // a removed device with a long name listed in the card
    await until(page, ([place, unbroken]) => {
      const h = document.querySelector('[data-session-guard-flow="devices"]');
      return h && [...h.shadowRoot.querySelectorAll('li')].some((li) => li.textContent.includes(place) || li.textContent.includes(unbroken));
    }, [PLACE, 'W'.repeat(40)], 30000, 'a long-named device listed as removed in the progress card');
    const m = await measure(page);
    assert.equal(m.problems.join('\n'), '');
    assert.ok(m.withUs <= m.alone, `${m.withUs} > ${m.alone}`);
    await page.locator('[data-session-guard-flow="devices"] button', { hasText: 'Cancel' }).click();
    await until(page, () => !document.querySelector('[data-session-guard-flow]'), undefined, 15000, 'the run cancelled');
  } finally {
    await page.evaluate(() => __replica.resetState()).catch(() => {});
    await page.close();
    setPage();
  }
});

test('popup at 320 px with long hostile device names: no horizontal overflow, buttons reachable', async () => {
  // a scan of a page with long names, and trusted devices named like that
  const page = await openAt('/account/security', 1280, 900, { transform: (_p, h) => longStrings(h) });
  await page.close();
  setPage();
  await b.sw.evaluate(async ([name, ip]) => {
    const { trust } = await chrome.storage.local.get('trust');
    trust.devices.push(
      { fingerprint: `web|windows|chrome|${name}`, label: name.slice(0, 60), first_seen: 1, last_seen: 2, networks: [`${ip}/128`], areas: [name] },
      { fingerprint: 'web|linux|firefox|', label: `${'Ｗ'.repeat(30)} ${ip}`, first_seen: 1, last_seen: 2, networks: ['2001:db8:85a3::/48'], areas: ['llanfairpwllgwyngyll'] });
    await chrome.storage.local.set({ trust });
  }, [UNBROKEN, IPV6]);
  // In the toolbar the popup is as wide as its content needs (Chromium sizes it
  // from the page's min-content width): still 360 px.
  {
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extId}/popup.html`);
    await popup.waitForSelector('#app header.status', { timeout: 10000 });
    const w = await popup.evaluate(() => { document.documentElement.style.width = 'min-content'; return document.body.getBoundingClientRect().width; });
    assert.equal(w, 360, 'the toolbar popup is 360 px wide');
    await popup.close();
  }
  for (const [w, h] of [[320, 600], [360, 640]]) {
    const popup = await b.context.newPage();
    await popup.setViewportSize({ width: w, height: h });
    await popup.goto(`chrome-extension://${b.extId}/popup.html`);
    await popup.waitForSelector('#app header.status', { timeout: 10000 });
    await popup.waitForFunction(() => document.querySelectorAll('.trusted li').length >= 2);
    const m = await popup.evaluate(() => {
      const root = document.documentElement;
      const vw = root.clientWidth;
      const problems = [];
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left < -1 || r.right > vw + 1) problems.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.slice(0, 30)}": x ${Math.round(r.left)}–${Math.round(r.right)}`);
        if (e.tagName === 'BUTTON' && (r.width < 24 || r.height < 24)) problems.push(`button "${e.textContent}" ${r.width}×${r.height}`);
      }
      return { problems: problems.slice(0, 20), scrollWidth: root.scrollWidth, vw, text: document.body.textContent };
    });
    assert.ok(m.text.includes('W'.repeat(40)) || m.text.includes('Ｗ'.repeat(30)), 'the long names are in the popup');
    assert.equal(m.problems.join('\n'), '', `popup ${w}px`);
    assert.ok(m.scrollWidth <= m.vw, `popup ${w}px: document ${m.scrollWidth} px wide in a ${m.vw} px window`);
    // the rename field of a long-named device fits too
    await popup.click('.trusted li:nth-child(1) button[data-action="rename"]');
    const m2 = await popup.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(m2 <= m.vw, `popup ${w}px with the rename field: ${m2} px`);
    await popup.close();
  }
  assert.ok((await storage(b.sw)).trust.devices.length >= 2);
});
