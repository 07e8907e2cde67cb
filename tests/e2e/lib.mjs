// Shared browser-test harness: launch Chromium / Firefox with the built
// extension, serve the KuCoin replica pages at their real URLs, watch every
// request, read the extension's state.
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'tests', 'fixtures', 'kucoin');
export const ROUTES = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'routes.json'), 'utf8'));
export const CHROME_EXT = join(ROOT, 'dist', 'chrome');
export const FIREFOX_EXT = join(ROOT, 'dist', 'firefox');
export const STRICT_CSP = "default-src 'self'; script-src 'self'";
export const EXCHANGE = 'https://www.kucoin.com';
/** Text that makes the test build's core panic (feature test-hooks; never in dist/). */
export const TEST_PANIC_MARKER = '__SESSION_GUARD_TEST_PANIC__';
export const TEST_CHROME_EXT = join(ROOT, 'target', 'dist-test', 'chrome');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/**
 * Resolve a request URL to a fixture file. `overrides` maps a path to a file
 * name (e.g. serve the div-grid variant at /account/security).
 */
export function fixtureFor(url, overrides = {}) {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '') || '/';
  const file = overrides[path] ?? ROUTES[path];
  if (!file) return null;
  return join(FIXTURES, file);
}

export function fixtureResponse(url, { overrides = {}, csp = STRICT_CSP, transform = null } = {}) {
  const file = fixtureFor(url, overrides);
  if (!file || !existsSync(file)) return { status: 404, contentType: 'text/plain', body: 'not found' };
  const headers = {};
  let body = readFileSync(file);
  if (extname(file) === '.html') {
    if (csp) headers['content-security-policy'] = csp;
    // Tests may rewrite a page on the fly (e.g. another signed-in account).
    if (transform) body = Buffer.from(transform(new URL(url).pathname, body.toString('utf8')));
  }
  return { status: 200, contentType: TYPES[extname(file)] || 'application/octet-stream', headers, body };
}

// ---------------------------------------------------------------- Chromium

// Headless Chromium calls itself "HeadlessChrome", which the extension rightly never
// takes for the user's own Chrome (a script logging in is what it usually means); the
// replicas show the session of a user's desktop Chrome ("Linux Chrome"), so the browser
// that plays that user sends that user's User-Agent.
let chromeUa;
function desktopChromeUa() {
  if (!chromeUa) {
    const major = /(\d+)\./.exec(execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString())?.[1] ?? '140';
    chromeUa = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
  }
  return chromeUa;
}

export async function launchChromium({ ext = CHROME_EXT, overrides = {}, csp = STRICT_CSP, extraRoutes = {}, headless = true, args = [], env } = {}) {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'sg-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless,
    ...(headless ? { userAgent: desktopChromeUa() } : {}),
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // ext: null launches the same browser without the extension (benchmark baselines)
      ...(ext ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : []),
      ...args,
    ],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const state = { overrides, csp };
  await context.route(`${EXCHANGE}/**`, (route) => {
    const r = fixtureResponse(route.request().url(), state);
    route.fulfill({ status: r.status, contentType: r.contentType, headers: r.headers, body: r.body });
  });
  for (const [pattern, body] of Object.entries(extraRoutes)) {
    await context.route(pattern, (route) => route.fulfill({ status: 200, contentType: 'text/html', body }));
  }
  let sw = null;
  let extId = null;
  if (ext) {
    sw = context.serviceWorkers()[0];
    if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 15000 });
    extId = new URL(sw.url()).host;
  }
  return {
    context, sw, extId, requests, state, dir,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Wait until the replica page has rendered its lists (page-world hook). */
export async function replicaReady(page, timeout = 10000) {
  await page.waitForFunction(() => window.__replica && window.__replica.ready && !window.__replica.busy, null, { timeout });
}

/** Rows the extension marked: [{value, text}] in document order. */
export async function markedRows(page, attr = 'data-session-guard') {
  return page.$$eval(`[${attr}]`, (els, a) => els.map((e) => ({ value: e.getAttribute(a), text: e.textContent.replace(/\s+/g, ' ').trim() })), attr);
}

export async function waitForMarks(page, n, attr = 'data-session-guard', timeout = 10000) {
  await page.waitForFunction(([a, k]) => document.querySelectorAll(`[${a}]`).length >= k, [attr, n], { timeout });
}

/** Text inside our shadow-root widgets, by kind. */
export async function widgetTexts(page, kind) {
  return page.$$eval(`[data-session-guard-ui${kind ? `="${kind}"` : ''}]`, (hosts) =>
    hosts.map((h) => (h.shadowRoot ? h.shadowRoot.textContent : '')));
}

/** axe-core's violations on `page`: the whole document, or (`ours`) only our injected UI. */
export async function axe(page, { ours = false } = {}) {
  await page.evaluate(readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  return page.evaluate(async (onlyOurs) => {
    const scope = onlyOurs ? [...document.querySelectorAll('[data-session-guard-ui]')] : document;
    const r = await window.axe.run(scope, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, ours);
}

export async function storage(sw) {
  return sw.evaluate(() => chrome.storage.local.get(null));
}

export async function badge(sw) {
  return sw.evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
}

export async function openPopup(context, extId) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extId}/popup.html`);
  await page.waitForSelector('#app header.status', { timeout: 10000 });
  return page;
}

/** Requests that are neither the routed exchange, the extension, nor data/blob URLs. */
export function foreignRequests(requests, allowed = [EXCHANGE]) {
  return requests.filter((u) => !allowed.some((a) => u.startsWith(a)) && !/^(chrome-extension|moz-extension|data|blob|about):/.test(u));
}

// ---------------------------------------------------------------- host core

let built = false;
/** Run the host CLI (`session-guard`) and parse its JSON output. */
export function hostCli(args, input) {
  if (!built) {
    execFileSync('cargo', ['build', '-q', '--features', 'cli', '--bin', 'session-guard'], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  const out = execFileSync(join(ROOT, 'target', 'debug', 'session-guard'), args, { cwd: ROOT, input, maxBuffer: 1 << 28 });
  return out.toString();
}

// ---------------------------------------------------------------- Firefox

/** The moz-extension:// host of dist/firefox in the test profiles (pref extensions.webextensions.uuids). */
export const FIREFOX_EXT_UUID = '5e55104e-9a2d-4c2b-8f00-5e5510a9e001';
const FIREFOX_EXT_ID = 'session-guard@session-guard.dev'; // tools/derive-manifest.mjs

/**
 * Firefox with dist/firefox installed (a temporary add-on, over WebDriver BiDi).
 * `extensionPages: true` lets the tests open our pages (popup.html) in a tab:
 * WebDriver BiDi refuses to navigate to moz-extension:// unless Firefox runs
 * with --remote-allow-system-access.
 */
export async function launchFirefox({ overrides = {}, csp = STRICT_CSP, extensionPages = false, env } = {}) {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    ...(env ? { env: { ...process.env, ...env } } : {}),
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    args: extensionPages ? ['--remote-allow-system-access'] : [],
    extraPrefsFirefox: {
      'extensions.webextensions.restrictedDomains': '',
      'network.dns.disableIPv6': true,
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXT_ID]: FIREFOX_EXT_UUID }),
    },
  });
  const extId = await browser.installExtension(FIREFOX_EXT);
  const requests = [];
  const state = { overrides, csp };
  async function newPage() {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      requests.push(url);
      if (url.startsWith(EXCHANGE)) {
        const r = fixtureResponse(url, state);
        req.respond({ status: r.status, contentType: r.contentType, headers: r.headers, body: r.body });
      } else if (/^https?:/.test(url)) {
        req.respond({ status: 404, contentType: 'text/plain', body: 'blocked in tests' });
      } else {
        req.continue();
      }
    });
    return page;
  }
  /**
   * One of our pages (e.g. 'popup.html') in a new tab, once loaded. Needs
   * `extensionPages`. Puppeteer loses track of the tab's navigation when it
   * moves to the extension process ("Frame detached"), so the page is polled.
   */
  async function openExtensionPage(path, timeout = 20000) {
    const page = await browser.newPage();
    const url = `moz-extension://${FIREFOX_EXT_UUID}/${path}`;
    page.goto(url).catch(() => { /* see above: the load is awaited below */ });
    await until(page, (u) => location.href === u && document.readyState === 'complete', url, timeout, `${path} loaded`);
    return page;
  }
  return { browser, extId, requests, state, newPage, openExtensionPage, close: () => browser.close() };
}

/**
 * Poll `fn(arg)` in the page until it returns a truthy value (returned).
 * Unlike waitForFunction it survives the page navigating (the evaluation then
 * fails and is tried again): for flows that move between pages.
 */
export async function until(page, fn, arg, timeout = 20000, what = 'a condition') {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    try {
      // an evaluation caught in a navigation may never answer: give up on it after 5 s
      let timer;
      const v = await Promise.race([
        page.evaluate(fn, arg),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('evaluation did not answer')), 5000); }),
      ]).finally(() => clearTimeout(timer));
      if (v) return v;
    } catch (e) {
      last = String(e && e.message).slice(0, 200);
    }
    if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The API Management fixture (tests/fixtures/kucoin/api-en.html): key name → expected mark
// (api.test.mjs, firefox-flows.test.mjs). withdraw-ops and sync-2025 can withdraw; legacy-v1 trades
// (Spot, Margin) from any IP; 3commas-link has a third-party app's IPs (info);
// tax-report is not activated (and read-only); the others are IP-restricted traders.
export const API_EXPECTED = {
  'trading-bot': 'ok',
  'withdraw-ops': 'high',
  'legacy-v1': 'high',
  '3commas-link': 'low',
  'tax-report': 'low',
  'sync-2025': 'high',
  'copy-lead': 'ok',
};
