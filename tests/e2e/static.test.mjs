// Static checks on what ships (dist/chrome, dist/firefox): permissions, CSP,
// web-accessible resources, remote URLs, dangerous sinks, page-message
// listeners, and that the test-only panic hook never ships. No browser needed.
// SECURITY.md documents every list kept here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, extname } from 'node:path';
import { ROOT, CHROME_EXT, FIREFOX_EXT, TEST_PANIC_MARKER } from './lib.mjs';

// ---- the documented lists (SECURITY.md "Permissions") ----
const ALLOWED_PERMISSIONS = ['storage', 'alarms'];
const EXCHANGE_MATCH = 'https://www.kucoin.com/*';
const ALLOWED_HOSTS = [EXCHANGE_MATCH];
const ALLOWED_MANIFEST_KEYS = new Set([
  'manifest_version', 'name', 'description', 'version', 'default_locale', 'icons', 'action', 'permissions',
  'host_permissions', 'background', 'content_scripts', 'content_security_policy', 'web_accessible_resources',
  'minimum_chrome_version', 'browser_specific_settings',
]);
// URLs that may appear in shipped files besides the exchange's; none is ever requested.
const ALLOWED_URL_PREFIXES = ['https://www.kucoin.com', 'http://www.w3.org/'];
// A documentation link inside a comment of wasm-bindgen's generated glue.
const ALLOWED_COMMENT_URLS = ['https://developer.mozilla.org/'];

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

function manifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

function cspDirectives(csp) {
  const d = new Map();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) d.set(name.toLowerCase(), values);
  }
  return d;
}

/** Problems with a manifest, as sentences (empty = fine). */
function manifestProblems(m) {
  const p = [];
  for (const k of Object.keys(m)) if (!ALLOWED_MANIFEST_KEYS.has(k)) p.push(`unexpected manifest key ${k}`);
  for (const perm of m.permissions || []) if (!ALLOWED_PERMISSIONS.includes(perm)) p.push(`permission ${perm}`);
  for (const h of m.host_permissions || []) if (!ALLOWED_HOSTS.includes(h)) p.push(`host permission ${h}`);
  for (const k of ['optional_permissions', 'optional_host_permissions', 'externally_connectable', 'content_scripts_world']) {
    if (m[k] !== undefined) p.push(`${k} present`);
  }
  if (JSON.stringify(m).includes('<all_urls>')) p.push('<all_urls>');
  if (/"\*:\/\/|"https?:\/\/\*/.test(JSON.stringify(m))) p.push('wildcard host');
  for (const cs of m.content_scripts || []) {
    for (const u of cs.matches || []) if (u !== EXCHANGE_MATCH) p.push(`content script on ${u}`);
    if (cs.all_frames) p.push('content script in all frames');
    if (cs.match_about_blank || cs.match_origin_as_fallback) p.push('content script on about:blank');
    if (cs.world && cs.world !== 'ISOLATED') p.push(`content script in world ${cs.world}`);
  }
  for (const w of m.web_accessible_resources || []) {
    for (const u of w.matches || []) if (u !== EXCHANGE_MATCH) p.push(`web-accessible to ${u}`);
    if (w.extension_ids) p.push('web-accessible to other extensions');
    if (!w.matches) p.push('web-accessible resource without matches');
  }
  const csp = m.content_security_policy;
  if (!csp || typeof csp !== 'object' || typeof csp.extension_pages !== 'string') {
    p.push('no extension_pages CSP');
  } else {
    for (const k of Object.keys(csp)) if (k !== 'extension_pages') p.push(`CSP key ${k}`);
    const d = cspDirectives(csp.extension_pages);
    const script = d.get('script-src') || d.get('default-src');
    if (!script) p.push('CSP without script-src');
    else {
      if (!script.includes("'self'")) p.push("script-src without 'self'");
      for (const s of script) if (!["'self'", "'wasm-unsafe-eval'"].includes(s)) p.push(`script-src allows ${s}`);
    }
    for (const name of ['worker-src', 'script-src-elem', 'script-src-attr']) {
      for (const s of d.get(name) || []) if (s !== "'self'" && s !== "'none'") p.push(`${name} allows ${s}`);
    }
    const obj = d.get('object-src');
    if (!obj || obj.length !== 1 || obj[0] !== "'none'") p.push(`object-src is ${obj ? obj.join(' ') : 'missing'} (want 'none')`);
  }
  return p;
}

for (const [name, dir] of [['chrome', CHROME_EXT], ['firefox', FIREFOX_EXT]]) {
  test(`${name} manifest: only the documented permissions, hosts and CSP`, () => {
    assert.deepEqual(manifestProblems(manifest(dir)), []);
  });
}

test('the manifest check itself catches each weakening', () => {
  const good = manifest(CHROME_EXT);
  assert.deepEqual(manifestProblems(good), []);
  const bad = (patch) => manifestProblems({ ...structuredClone(good), ...patch });
  assert.ok(bad({ permissions: ['storage', 'tabs'] }).length);
  assert.ok(bad({ host_permissions: ['<all_urls>'] }).length);
  assert.ok(bad({ host_permissions: ['https://*.kucoin.com/*'] }).length);
  assert.ok(bad({ content_scripts: [{ matches: ['https://*/*'], js: ['content.js'] }] }).length);
  assert.ok(bad({ web_accessible_resources: [{ resources: ['core/*'], matches: ['<all_urls>'] }] }).length);
  assert.ok(bad({ web_accessible_resources: [{ resources: ['core/*'], matches: ['https://evil.example/*'] }] }).length);
  assert.ok(bad({ externally_connectable: { matches: ['https://www.kucoin.com/*'] } }).length);
  assert.ok(bad({ content_security_policy: { extension_pages: "script-src 'self' 'unsafe-eval'; object-src 'none'" } }).length);
  assert.ok(bad({ content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" } }).length);
  assert.ok(bad({ content_security_policy: { extension_pages: "script-src 'self' https://cdn.example; object-src 'none'" } }).length);
  assert.ok(bad({ content_security_policy: { extension_pages: "object-src 'none'" } }).length);
  assert.ok(bad({ content_security_policy: undefined }).length);
});

// ---- remote URLs in shipped files ----

function urlsIn(text) {
  // scheme://host… (a host must follow: "IP:///" inside the wasm's strings is not a URL)
  return [...text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[a-z0-9[][^\s"'`<>()\\]*/gi)].map((m) => ({ url: m[0], index: m.index }));
}

const KNOWN_SCHEMES = /(?:https?|wss?|ftp|file|data|blob):\/\//i;
/** A URL found in the wasm's data with its known scheme's start, if a string before it is glued on. */
function unglued({ url, index }) {
  const at = url.search(KNOWN_SCHEMES);
  return at > 0 ? { url: url.slice(at), index: index + at } : { url, index };
}

function lineAt(text, index) {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? text.length : end);
}

function foreignUrls(dir) {
  const found = [];
  for (const f of files(dir)) {
    const buf = readFileSync(f);
    const ext = extname(f);
    // .wasm and images: printable runs only; text files as UTF-8.
    const text = ['.png', '.wasm'].includes(ext) ? buf.toString('latin1').replace(/[^\x20-\x7e]+/g, '\n') : buf.toString('utf8');
    for (const found of urlsIn(text)) {
      // The wasm's strings sit back to back with no separator ("a" then
      // "https://…" reads "ahttps://…"): there the URL starts at a known scheme.
      const { url, index } = ext === '.wasm' ? unglued(found) : found;
      if (ALLOWED_URL_PREFIXES.some((a) => url.startsWith(a))) continue;
      const line = lineAt(text, index).trim();
      if (ext === '.js' && line.startsWith('//') && ALLOWED_COMMENT_URLS.some((a) => url.startsWith(a))) continue;
      found.push(`${relative(dir, f)}: ${url}`);
    }
  }
  return found;
}

for (const [name, dir] of [['chrome', CHROME_EXT], ['firefox', FIREFOX_EXT]]) {
  test(`${name}: shipped files name no remote URL but the exchange's`, () => {
    assert.ok(files(dir).some((f) => f.endsWith('.wasm')), 'the wasm core is scanned too');
    assert.deepEqual(foreignUrls(dir), []);
  });
}

test('the URL scan finds a remote URL in code, a comment or the wasm', () => {
  assert.deepEqual(urlsIn('fetch("https://telemetry.example/x?a=1")').map((u) => u.url), ['https://telemetry.example/x?a=1']);
  assert.deepEqual(urlsIn("import('//cdn.example/x.js'); const u = `wss://relay.example`").map((u) => u.url), ['wss://relay.example']);
  // strings glued together in the wasm's data: the URL is read from its scheme on, and still checked
  assert.deepEqual(urlsIn('labelahttps://www.kucoin.com').map(unglued).map((u) => u.url), ['https://www.kucoin.com']);
  assert.deepEqual(urlsIn('labelahttps://evil.example/x').map(unglued).map((u) => u.url), ['https://evil.example/x']);
});

// ---- dangerous sinks and page messages in shipped JS ----

const OUR_JS = ['content.js', 'widgets.js', 'background.js', 'popup.js'];
const SINKS = [
  /\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /\bnew\s+Function\b/,
  /setTimeout\(\s*['"`]/, /setInterval\(\s*['"`]/, /\bimport\s*\(/, /\bfetch\s*\(/, /XMLHttpRequest/, /\bWebSocket\b/,
  /sendBeacon/, /EventSource/, /createContextualFragment/, /DOMParser/, /\.srcdoc\b/,
];
// Events the content scripts may listen to; never 'message' or custom events (the pointer
// events: a widget pressed keeps its rendering until the release, trusted presses only).
const CONTENT_EVENTS = new Set(['click', 'keydown', 'popstate', 'cancel', 'close', 'pointerdown', 'pointerup', 'pointercancel']);

/** Source with comments removed (rules must hold in code, comments may name them). */
function code(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

for (const f of OUR_JS) {
  test(`${f}: no HTML sinks, no eval, no network API`, () => {
    const src = code(readFileSync(join(CHROME_EXT, f), 'utf8'));
    for (const re of SINKS) assert.doesNotMatch(src, re, `${f} uses ${re}`);
  });
}

test('content scripts never listen to page messages or custom events', () => {
  for (const f of ['content.js', 'widgets.js']) {
    const src = code(readFileSync(join(CHROME_EXT, f), 'utf8'));
    assert.doesNotMatch(src, /\bonmessage\b|['"]message['"]|postMessage|MessageChannel|BroadcastChannel/, f);
    const names = [...src.matchAll(/addEventListener\(\s*([^,]+),/g)].map((m) => m[1].trim());
    assert.ok(names.length > 0, `${f}: listeners found`);
    for (const n of names) {
      const lit = /^['"]([a-z]+)['"]$/.exec(n);
      assert.ok(lit && CONTENT_EVENTS.has(lit[1]), `${f}: listener for ${n} (allowed: ${[...CONTENT_EVENTS].join(', ')})`);
    }
  }
});

test('the test-only panic hook is not in the shipped wasm', () => {
  for (const dir of [CHROME_EXT, FIREFOX_EXT]) {
    const wasm = readFileSync(join(dir, 'core', 'session_guard_bg.wasm'));
    assert.equal(wasm.indexOf(TEST_PANIC_MARKER), -1, `${dir}: test hook shipped`);
  }
  const testBuild = join(ROOT, 'target', 'dist-test', 'chrome', 'core', 'session_guard_bg.wasm');
  if (existsSync(testBuild)) assert.notEqual(readFileSync(testBuild).indexOf(TEST_PANIC_MARKER), -1, 'the test build carries the hook');
});

test('what ships is our source: extension/ copies, the derived manifest and the core', async () => {
  for (const dir of [CHROME_EXT, FIREFOX_EXT]) {
    for (const f of files(dir)) {
      const rel = relative(dir, f);
      if (rel === 'manifest.json') continue;
      if (rel === 'core/session_guard.js' || rel === 'core/session_guard_bg.wasm') continue; // wasm-bindgen output of crate/
      if (rel === 'core/labels.js') {
        // crate/data's label tables, verbatim, and nothing else
        const m = await import(`${f}?${Date.now()}`);
        assert.deepEqual(Object.keys(m).sort(), ['extra', 'kucoin']);
        assert.equal(m.kucoin, readFileSync(join(ROOT, 'crate', 'data', 'kucoin-labels.tsv'), 'utf8'));
        assert.equal(m.extra, readFileSync(join(ROOT, 'crate', 'data', 'extra-labels.tsv'), 'utf8'));
        continue;
      }
      const src = join(ROOT, 'extension', rel);
      assert.ok(existsSync(src), `${rel} in ${dir} is not from extension/`);
      assert.ok(readFileSync(src).equals(readFileSync(f)), `${rel} differs from extension/${rel}`);
    }
    assert.ok(!files(dir).some((f) => /node_modules/.test(f)));
  }
});

// ---- the compact snapshot's attribute indices ----

test('content.js ATTRS, background.js KEPT_ATTRS and the core\'s KEPT_ATTRS are one list, in one order', () => {
  // The compact snapshot names a kept attribute by its index in this list:
  // the content script writes it, the core reads it, the background's test
  // view (sessionGuardDebug.lastSnapshot) turns it back into a name.
  const rust = readFileSync(join(ROOT, 'crate', 'src', 'snapshot.rs'), 'utf8');
  const body = /pub const KEPT_ATTRS: &\[&str\] = &\[([^\]]*)\]/.exec(rust);
  assert.ok(body, 'KEPT_ATTRS in crate/src/snapshot.rs');
  const core = [...body[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const js = (file, name) => {
    const src = readFileSync(join(ROOT, 'extension', file), 'utf8');
    const m = new RegExp(`const ${name} = \\[([^\\]]*)\\]`).exec(src);
    assert.ok(m, `${name} in extension/${file}`);
    return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
  };
  assert.ok(core.length > 10);
  assert.deepEqual(js('content.js', 'ATTRS'), core);
  assert.deepEqual(js('background.js', 'KEPT_ATTRS'), core);
});

test('content.js INLINE and the core\'s INLINE_TAGS are one list (what a word split over elements may cross)', () => {
  // The walk marks a text glued to the one before only across these
  // elements; the core joins glued texts only across them too.
  const rust = readFileSync(join(ROOT, 'crate', 'src', 'snapshot.rs'), 'utf8');
  const body = /pub const INLINE_TAGS: &\[&str\] = &\[([^\]]*)\]/.exec(rust);
  assert.ok(body, 'INLINE_TAGS in crate/src/snapshot.rs');
  const core = [...body[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const src = readFileSync(join(ROOT, 'extension', 'content.js'), 'utf8');
  const m = /const INLINE = new Set\(\[([^\]]*)\]\)/.exec(src);
  assert.ok(m, 'INLINE in extension/content.js');
  const js = [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
  assert.ok(core.includes('span') && !core.includes('div') && !core.includes('td') && !core.includes('br'));
  assert.deepEqual(js, core);
});

test('the row bar attribute is one name in the core (BAR_ATTR), content.js and marks.css', () => {
  // The core sets it, marks.css draws it, content.js copies it to the first cell of a
  // display: contents row: a rename in one place would draw nothing, silently.
  const rust = readFileSync(join(ROOT, 'crate', 'src', 'plan.rs'), 'utf8');
  const core = /pub const BAR_ATTR: &str = "([^"]+)";/.exec(rust)?.[1];
  assert.ok(core && core.startsWith('data-session-guard'), 'BAR_ATTR in crate/src/plan.rs');
  const src = readFileSync(join(ROOT, 'extension', 'content.js'), 'utf8');
  assert.equal(/const BAR_ATTR = '([^']+)';/.exec(src)?.[1], core, 'BAR_ATTR in extension/content.js');
  const css = readFileSync(join(ROOT, 'extension', 'marks.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const names = new Set([...css.matchAll(/\[(data-session-guard[\w-]*)[\]=]/g)].map((m) => m[1]));
  assert.deepEqual([...names], [core], 'marks.css styles the bar attribute alone');
});

test('content.js sends no more zone offset entries than the core reads (ZONE_STEPS + 1 ≤ MAX_ZONE_ENTRIES)', () => {
  // More entries and the core ignores the whole offset history (times read with one offset).
  const rust = readFileSync(join(ROOT, 'crate', 'src', 'time.rs'), 'utf8');
  const max = /pub const MAX_ZONE_ENTRIES: usize = (\d+);/.exec(rust);
  const steps = /const ZONE_STEPS = (\d+);/.exec(readFileSync(join(ROOT, 'extension', 'content.js'), 'utf8'));
  assert.ok(max && steps, 'MAX_ZONE_ENTRIES in crate/src/time.rs, ZONE_STEPS in extension/content.js');
  assert.ok(Number(steps[1]) >= 24, 'about two years of 30-day steps');
  assert.ok(Number(steps[1]) + 1 <= Number(max[1]), `${steps[1]} + 1 ≤ ${max[1]}`);
});
