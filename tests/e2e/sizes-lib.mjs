// What the size tests share (Chromium: sizes.test.mjs, Firefox:
// firefox-sizes.test.mjs): the narrow layout KuCoin switches to on phones,
// hostile long strings, and the measurement of our UI against the boxes the
// page gives it. `measure` runs in the page through Playwright's or
// Puppeteer's `page.evaluate(fn, arg)` (the same call in both).
import assert from 'node:assert/strict';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './lib.mjs';

// The replica lays out like KuCoin's desktop site (a 200 px sidebar beside the
// content) at every width, so at 360 px its content column is ~90 px wide and
// overflows. KuCoin's own narrow layout drops the sidebar; this sheet (served
// from the page's origin, so the strict CSP allows it) does the same, giving
// our cards a real phone-width column to fit in.
export const NARROW_ROUTE = { '/_sizes/narrow.css': relative(FIXTURES, join(dirname(fileURLToPath(import.meta.url)), 'narrow.css')) };
export const narrow = (html) => html.replace('</head>', '<link rel="stylesheet" href="/_sizes/narrow.css">\n</head>');

// Hostile strings a page can put where we repeat it: an unbroken 150-character
// device name, a full-length IPv6 address, a long place name.
export const UNBROKEN = `Chrome${'W'.repeat(150)}`;
export const IPV6 = '2001:0db8:85a3:0000:0000:8a2e:0370:7334';
export const PLACE = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch';
export const longStrings = (html) => narrow(html
  .replaceAll('Windows 10 Chrome', `Windows 10 ${UNBROKEN}`)
  .replaceAll('Lagos(198.51.100.77)', `${PLACE}(${IPV6})`));

/**
 * Measure our UI on the page (one synchronous evaluation, so the content
 * script sees nothing of the hiding): `problems` lists every box of ours
 * outside the box it may use, every button smaller than 24×24; `withUs` and
 * `alone` are the document's scroll width with our hosts shown and hidden.
 */
export function measure(page, { hide = true } = {}) {
  return page.evaluate((hide) => {
    const TOP = new Set(['dock', 'dialog', 'toast']); // laid out against the window
    const hosts = [...document.querySelectorAll('[data-session-guard-ui]')];
    const root = document.documentElement;
    const vw = root.clientWidth;
    const problems = [];
    const name = (e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''} "${e.textContent.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
    for (const h of hosts) {
      const kind = h.getAttribute('data-session-guard-ui');
      // in the dock, a card may use the dock's width
      const box = TOP.has(kind) ? { left: 0, right: vw } : h.parentElement.getBoundingClientRect();
      // A page box narrower than a phone column (the non-responsive replica
      // squeezes its content to ~90 px at 360 px): no card fits in it; there
      // we must stay inside the window and whatever the page overflows to.
      const room = box.right - box.left >= 200 ? box : { left: Math.min(0, box.left), right: Math.max(vw, box.right) };
      for (const e of h.shadowRoot.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left < room.left - 1 || r.right > room.right + 1) {
          problems.push(`${kind} ${name(e)}: x ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(room.left)}–${Math.round(room.right)}`);
        }
        if (e.tagName === 'BUTTON' && (r.width < 24 || r.height < 24)) problems.push(`${kind} ${name(e)}: ${r.width.toFixed(1)}×${r.height.toFixed(1)} px`);
        if (TOP.has(kind) && (r.top < -1 || r.bottom > innerHeight + 1) && kind !== 'dialog') {
          problems.push(`${kind} ${name(e)}: y ${Math.round(r.top)}–${Math.round(r.bottom)} outside the window`);
        }
      }
    }
    // The page's horizontal scrollers around our hosts (a table's overflow-x:
    // auto box, the document): how far each overflows, with us and without.
    const scrollers = new Set([root]);
    for (const h of hosts) {
      for (let a = h.parentElement; a && a !== root; a = a.parentElement) {
        if (/auto|scroll|hidden|clip/.test(getComputedStyle(a).overflowX)) scrollers.add(a);
      }
    }
    const over = () => [...scrollers].map((s) => s.scrollWidth - s.clientWidth);
    const withUs = root.scrollWidth;
    // (hiding our open dialog would rightly make it close: the page changed it)
    if (!hide) return { problems, withUs, hosts: hosts.length, vw };
    const overWith = over();
    const saved = hosts.map((h) => h.style.getPropertyValue('display'));
    for (const h of hosts) h.style.setProperty('display', 'none', 'important');
    const alone = root.scrollWidth;
    const overAlone = over();
    [...scrollers].forEach((s, i) => {
      if (overWith[i] > Math.max(overAlone[i], 0) + 1) problems.push(`${s === root ? 'the document' : name(s)} overflows by ${overWith[i]} px with our UI, ${overAlone[i]} px without`);
    });
    hosts.forEach((h, i) => { if (saved[i]) h.style.setProperty('display', saved[i]); else h.style.removeProperty('display'); if (!h.getAttribute('style')) h.removeAttribute('style'); });
    return { problems, withUs, alone, hosts: hosts.length, vw };
  }, hide);
}

export function assertFits(m, what) {
  assert.ok(m.hosts >= 3, `${what}: our widgets are on the page`);
  assert.equal(m.problems.join('\n'), '', what);
  assert.ok(m.withUs <= m.alone, `${what}: the document is ${m.withUs} px wide with our UI, ${m.alone} px without`);
}

/** Pages and sizes both browsers measure: [what, path, width, height, page options]. */
export const CASES = [
  ['en, 360×640, the replica as it is', '/account/security', 360, 640, {}],
  ['en, 414×896, the replica as it is', '/account/security', 414, 896, {}],
  ['en, 360×640, narrow layout', '/account/security', 360, 640, { transform: (_p, h) => narrow(h) }],
  ['en, 640×450 (200 % zoom)', '/account/security', 640, 450, {}],
  ['en, 320×225 (400 % zoom), narrow layout', '/account/security', 320, 225, { transform: (_p, h) => narrow(h) }],
  ['ar (RTL), 360×640, the replica as it is', '/ar/account/security', 360, 640, {}],
  ['ar (RTL), 360×640, narrow layout', '/ar/account/security', 360, 640, { transform: (_p, h) => narrow(h) }],
  ['cards, 360×640, narrow layout', '/account/security', 360, 640, { overrides: { '/account/security': 'security-en-cards.html' }, transform: (_p, h) => narrow(h) }],
  ['hostile names, 360×640, narrow layout', '/account/security', 360, 640, { overrides: { '/account/security': 'security-en-hostile.html' }, transform: (_p, h) => narrow(h) }],
  ['unbroken names and IPv6, 360×640, narrow layout', '/account/security', 360, 640, { transform: (_p, h) => longStrings(h) }],
  ['unbroken names and IPv6 (RTL), 360×640', '/ar/account/security', 360, 640, { transform: (_p, h) => longStrings(h) }],
];
