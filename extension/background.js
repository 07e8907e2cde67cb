// Session Guard background: loads the Rust core (wasm, extension CSP), routes
// messages, keeps storage and the badge. Chrome runs it as a module service
// worker, Firefox as a module background script.
//
// Every message is checked: it must come from this extension, content-script
// messages from a tab on the exchange's origin, and match the schema below.
// Anything else is dropped and counted.
import init, * as core from './core/session_guard.js';
import * as labelTables from './core/labels.js';

const api = globalThis.browser ?? globalThis.chrome;
const EXCHANGE_ORIGINS = new Set(['https://www.kucoin.com']);

// Counters for ./build.sh bench and the tests (times are performance.now() of this worker).
const stats = { bootAt: performance.now(), readyAt: 0, firstAnswerAt: 0, scans: 0, coreMs: 0, wasm: null };
function setUpCore() {
  // KuCoin's labels in 24 languages are data shipped next to the wasm (build.sh).
  core.setLabels(labelTables.kucoin, labelTables.extra);
  // Every UI string comes from _locales: hand the core the browser's language once.
  const messages = {};
  for (const k of core.messageKeys(api.i18n.getMessage('plural_rules')).split(' ')) messages[k] = api.i18n.getMessage(k) || '';
  core.setMessages(messages);
}
const ready = init({ module_or_path: new URL('./core/session_guard_bg.wasm', import.meta.url) }).then((w) => {
  stats.readyAt = performance.now();
  stats.wasm = w.memory;
  setUpCore();
  return w;
});

/**
 * After a trap (a Rust panic is `RuntimeError: unreachable`) the instance's
 * memory and stack are in an unknown state: throw it away and run the next
 * call on a fresh instance of the same compiled module (`__sgRestart` is
 * appended to the wasm-bindgen glue by build.sh).
 */
let restarts = 0;
function restartCore() {
  restarts++;
  core.__sgRestart();
  setUpCore();
}

const dropped = { count: 0, last: '' };
const received = {}; // accepted messages by type (tests: nothing arrives unasked)

function drop(reason) {
  dropped.count++;
  dropped.last = reason;
  return undefined;
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch (_) {
    return '';
  }
}

/**
 * Where a message comes from: 'content' (our content script in the top frame
 * of an exchange tab), 'page' (our popup or another page of ours), or null.
 * Every origin the browser reports must agree.
 */
function senderKind(sender) {
  if (!isObj(sender) || sender.id !== api.runtime.id || typeof sender.url !== 'string') return null;
  const extOrigin = originOf(api.runtime.getURL(''));
  const origin = originOf(sender.url);
  if (sender.origin !== undefined && sender.origin !== origin) return null;
  if (origin === extOrigin) {
    // Our popup, also when opened in a tab.
    return sender.tab && sender.tab.url !== undefined && originOf(sender.tab.url) !== extOrigin ? null : 'page';
  }
  if (EXCHANGE_ORIGINS.has(origin) && isObj(sender.tab) && sender.frameId === 0
    && (sender.tab.url === undefined || EXCHANGE_ORIGINS.has(originOf(sender.tab.url)))) return 'content';
  return null;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// The content script stops at MAX_NODES + 1 (the core then says "too large");
// anything bigger did not come from it.
const MAX_NODES = 400000;
// A snapshot's node list: `n` in the compact form the content script sends
// (crate/src/snapshot.rs COMPACT), `nodes` in the object form.
const nodeList = (s) => (Array.isArray(s.n) ? s.n : s.nodes);
const SCHEMA = {
  scan: (m) => isObj(m.snapshot) && Array.isArray(nodeList(m.snapshot)) && nodeList(m.snapshot).length <= MAX_NODES + 1
    && typeof m.snapshot.url === 'string' && originOf(m.snapshot.url) === [...EXCHANGE_ORIGINS][0],
  scanPart: (m) => Number.isSafeInteger(m.scan) && m.scan > 0 && Number.isSafeInteger(m.index) && m.index >= 0
    && m.index < MAX_PARTS && typeof m.part === 'string' && m.part.length <= PART_CHARS,
  action: (m) => isObj(m.action) && typeof m.action.kind === 'string',
  popupAction: (m) => isObj(m.action) && typeof m.action.kind === 'string',
  importTrust: (m) => m.data !== null && typeof m.data === 'object',
  clearAll: () => true,
  status: () => true,
};
const ALLOWED = { content: new Set(['scan', 'scanPart', 'action']), page: new Set(['popupAction', 'importTrust', 'clearAll', 'status']) };

async function stored() {
  const data = await api.storage.local.get(core.storageKeys());
  const v = data.schema_version;
  const current = core.schemaVersion();
  if (v === undefined || v === current || (Number.isInteger(v) && v >= 1 && v < current)) return data;
  // Written by a future or unknown version: the core keeps it aside whole,
  // keys this version does not know included (copies already aside excepted).
  const all = await api.storage.local.get(null);
  for (const k of Object.keys(all)) if (k.startsWith('quarantine/')) delete all[k];
  return all;
}

let lastError = ''; // storage could not be read or written
let coreError = ''; // the core trapped on the last call
const errText = (e) => String(e && e.message ? e.message : e).slice(0, 300);
const i18n = (k, fallback, subs) => {
  let m = '';
  try { m = api.i18n.getMessage(k); } catch (_) { /* reloading */ }
  m = m || fallback;
  return subs ? m.replace(/\{(\d)\}/g, (_, n) => subs[Number(n)] ?? '') : m;
};

/**
 * Write what the core changed. Copies of unreadable data (`quarantine/…`)
 * go first, in their own write: nothing is replaced before its copy is safe.
 */
async function persist(writes) {
  if (!writes || !Object.keys(writes).length) return;
  const kept = {};
  const rest = {};
  for (const [k, v] of Object.entries(writes)) (k.startsWith('quarantine/') ? kept : rest)[k] = v;
  try {
    if (Object.keys(kept).length) await api.storage.local.set(kept);
    if (Object.keys(rest).length) await api.storage.local.set(rest);
    lastError = '';
  } catch (e) {
    // Quota or a broken profile: keep working from memory, tell the user.
    lastError = i18n('save_failed', 'Session Guard could not save its data: {0}', [errText(e)]);
    await setBadge({ text: '!', color: '#c62828', title: lastError, error: true });
  }
}

// The user can turn the access to the exchange off (or to "on click") in the
// browser's extension settings: no KuCoin page is read then, and the badge
// says so instead of showing the last scan's state as if it were current.
const HOSTS = api.runtime.getManifest().host_permissions || [];
let noAccess = false;
async function checkAccess() {
  try {
    noAccess = !(await api.permissions.contains({ origins: HOSTS }));
  } catch (_) {
    noAccess = false; // no permissions API: nothing to say
  }
}

let lastBadge = ''; // what the badge shows now (this worker's calls): three browser calls per scan otherwise
async function setBadge(b) {
  if (noAccess && !b.error) { // (our own errors still shown first)
    b = { text: '!', color: '#c62828', title: i18n('no_access', "Session Guard can't check your KuCoin pages on its own: its access to www.kucoin.com is limited or turned off in your browser's extension settings.") };
  }
  const key = JSON.stringify([b.text || '', b.color || '', b.title || '']);
  if (key === lastBadge) return;
  lastBadge = key;
  try {
    await api.action.setBadgeText({ text: b.text || '' });
    if (b.color) await api.action.setBadgeBackgroundColor({ color: b.color });
    await api.action.setTitle({ title: b.title || 'Session Guard' });
  } catch (_) {
    lastBadge = ''; // best effort: try again next time
  }
}

/**
 * One message at a time reads the store, asks the core and writes: two
 * interleaved (a Cancel and a scan: both read, the Cancel writes, then the
 * scan writes what it read) would undo the first one's changes.
 */
let queue = Promise.resolve();
function serial(task) {
  const p = queue.then(task);
  queue = p.catch(() => {});
  return p;
}

function run(fn) {
  return serial(() => runNow(fn));
}

async function runNow(fn) {
  await ready;
  let data;
  try {
    data = await stored();
  } catch (e) {
    // Unreadable store: never answer from an empty one (that would be a
    // silent reset on the next write). Say so, change nothing.
    lastError = i18n('read_failed', 'Session Guard could not read its saved data: {0}. Nothing was changed.', [errText(e)]);
    await setBadge({ text: '!', color: '#c62828', title: lastError, error: true });
    return { error: lastError };
  }
  let res;
  const t0 = performance.now();
  try {
    res = fn(data, Date.now());
    stats.coreMs += performance.now() - t0;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      // A panic: console_error_panic_hook has logged the details. Start a
      // fresh instance so the next scan works, and tell the user.
      console.error('Session Guard core error', e);
      coreError = i18n('internal_error', 'Session Guard hit an internal error');
      try { restartCore(); } catch (e2) { console.error('Session Guard: restarting the core failed', e2); }
      await setBadge({ text: '!', color: '#c62828', title: coreError, error: true });
      return { error: coreError };
    }
    // Malformed input is the sender's problem, not ours.
    return { error: `Session Guard: ${errText(e)}` };
  }
  coreError = '';
  await persist(res.writes);
  if (!lastError) await setBadge(res.outcome.badge);
  await wakeAt(res.outcome.wake_at);
  // a scan's plan comes as the core's JSON text, next to the outcome
  return typeof res.plan === 'string' ? Object.assign(res.outcome, { plan: res.plan }) : res.outcome;
}

// The core says when the badge must change without a scan (the session
// check after a password change becomes overdue): one alarm.
const ALARM = 'session-guard-wake';
let lastWake = 0;
async function wakeAt(when) {
  if (!Number.isFinite(when) || when === lastWake || !api.alarms) return;
  lastWake = when;
  try {
    await api.alarms.create(ALARM, { when });
  } catch (_) {
    /* best effort: the popup still says the check is pending */
  }
}
function refreshBadge() {
  return serial(async () => { // after any write in progress, or it would set a badge from older data
    await ready;
    const data = await stored();
    const now = Date.now();
    await setBadge(core.badge(data, now));
    await wakeAt(core.wakeAt(data, now));
  });
}
if (api.alarms) {
  api.alarms.onAlarm.addListener((a) => {
    if (a && a.name === ALARM) refreshBadge().catch((e) => console.error('Session Guard: alarm', e));
  });
}

// A big page's snapshot comes in parts (content.js PART_CHARS each, one
// message per part, so no task on the page serialises megabytes), put
// together here per tab and document: in order, bounded in size, count and
// age; a part 0 starts over (the content script began another scan), and a
// scan's parts are dropped when a newer scan starts or they wait too long.
const PART_CHARS = 262144; // the content script sends at most 131072
const MAX_SNAPSHOT_CHARS = 64 * 1024 * 1024; // Chrome's limit for one message
const MAX_PARTS = Math.ceil(MAX_SNAPSHOT_CHARS / 1024);
const MAX_ASSEMBLING = 8; // tabs with a snapshot on the way at once
const PART_TTL_MS = 30000;
const assembling = new Map(); // `${tab}/${documentId}` → { scan, parts, chars, at }

const partsKey = (sender) => `${sender.tab.id}/${typeof sender.documentId === 'string' ? sender.documentId : ''}`;

function takePart(msg, sender) {
  const now = Date.now();
  for (const [k, a] of assembling) if (now - a.at > PART_TTL_MS) assembling.delete(k);
  const key = partsKey(sender);
  let a = assembling.get(key);
  if (msg.index === 0) {
    assembling.delete(key);
    if (assembling.size >= MAX_ASSEMBLING) assembling.delete(assembling.keys().next().value); // the oldest
    a = { scan: msg.scan, parts: [], chars: 0, at: now };
    assembling.set(key, a);
  }
  if (!a || a.scan !== msg.scan || a.parts.length !== msg.index || a.chars + msg.part.length > MAX_SNAPSHOT_CHARS) {
    assembling.delete(key); // out of order, a stale scan, or too big: this scan is over
    return false;
  }
  a.parts.push(msg.part);
  a.chars += msg.part.length;
  a.at = now;
  return true;
}

/** The text of a scan sent in parts, once all have arrived (and never twice). */
function assembled(ref, sender) {
  if (!isObj(ref) || !Number.isSafeInteger(ref.scan) || !Number.isSafeInteger(ref.count)) return null;
  const key = partsKey(sender);
  const a = assembling.get(key);
  if (!a || a.scan !== ref.scan) return null;
  assembling.delete(key);
  return a.parts.length === ref.count && ref.count > 0 ? a.parts.join('') : null;
}

/**
 * Our name, and the language and direction of our texts, as the _locales file
 * in use says (not `@@bidi_dir`, which follows the browser's UI language: a
 * Hebrew browser gets our English texts, written left to right). Fixed for the
 * worker's life, asked once (after a scan: the core is loaded).
 */
let words = null;
const uiWords = () => {
  if (!words) {
    const { dir, lang } = core.textLanguage(api.i18n.getUILanguage());
    words = { brand: i18n('brand', 'Session Guard'), textDir: dir, textLang: lang };
  }
  return words;
};

async function handle(msg, sender) {
  const kind = senderKind(sender);
  if (!kind) return drop('sender');
  // The content script sends its snapshot as JSON text: one string crosses the
  // messaging layer much faster than thousands of small objects; a big one
  // in parts. It is parsed here to be checked; the core is then handed the same text.
  let snapshotText = null;
  if (kind === 'content' && isObj(msg) && msg.type === 'scanPart') {
    if (!SCHEMA.scanPart(msg) || !takePart(msg, sender)) return drop('schema:scanPart');
    received.scanPart = (received.scanPart || 0) + 1;
    return { ok: true };
  }
  if (kind === 'content' && isObj(msg) && msg.type === 'scan' && msg.snapshot === undefined && msg.parts !== undefined) {
    const text = assembled(msg.parts, sender);
    if (text === null) return drop('schema:scan');
    msg = { type: 'scan', snapshot: text };
  }
  if (kind === 'content' && isObj(msg) && msg.type === 'scan' && typeof msg.snapshot === 'string') {
    try {
      snapshotText = msg.snapshot;
      msg = { type: 'scan', snapshot: JSON.parse(snapshotText) };
    } catch (_) {
      return drop('schema:scan');
    }
  }
  if (!isObj(msg) || typeof msg.type !== 'string' || !ALLOWED[kind].has(msg.type) || !SCHEMA[msg.type](msg)) {
    return drop(`schema:${isObj(msg) ? String(msg.type).slice(0, 40) : typeof msg}`);
  }
  received[msg.type] = (received[msg.type] || 0) + 1;
  // The tab is ours to say, never the page's.
  const tab = kind === 'content' && sender.tab && Number.isInteger(sender.tab.id) ? sender.tab.id : 0;
  switch (msg.type) {
    case 'scan': {
      msg.snapshot.tab = tab;
      debug.last = msg.snapshot;
      if (debug.keepSnapshots > 0) {
        debug.kept.push(msg.snapshot);
        if (debug.kept.length > debug.keepSnapshots) debug.kept.shift();
      }
      stats.scans++;
      const out = await run((data, now) => core.scan(snapshotText ?? msg.snapshot, data, now, tab));
      if (!stats.firstAnswerAt) stats.firstAnswerAt = performance.now();
      if (out.error) return out;
      // Our name as the UI language writes it: the page then asks chrome.i18n for nothing while it renders a plan.
      // The plan as the JSON text the core wrote (one string crosses to the page
      // faster than thousands of marks), passed on without a parse and stringify here.
      return { plan: out.plan, toast: out.toast, rescan: out.rescan, ...uiWords() };
    }
    case 'action':
    case 'popupAction': {
      msg.action.tab = tab;
      const out = await run((data, now) => core.act(msg.action, data, now));
      if (out.error) return out;
      return { steps: out.plan.steps, toast: out.toast, rescan: out.rescan };
    }
    case 'importTrust': {
      const out = await run((data, now) => core.importTrust(msg.data, data, now));
      if (out.error) return out;
      return { toast: out.toast };
    }
    case 'clearAll':
      await serial(async () => {
        await api.storage.local.clear();
        await setBadge(core.badge({}, Date.now()));
      });
      return { ok: true };
    case 'status':
      return { dropped: dropped.count, lastError, coreError };
  }
  return drop('type');
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  handle(msg, sender).then(
    (r) => sendResponse(r),
    (e) => sendResponse({ error: `Session Guard: ${e && e.message ? e.message : e}` }),
  );
  return true;
});

// Badge (and the alarm) on startup from what is stored, and again when the
// access to the exchange changes.
const accessChanged = () => checkAccess().then(refreshBadge).catch((e) => console.error('Session Guard: badge', e));
accessChanged();
if (api.permissions && api.permissions.onAdded) {
  api.permissions.onAdded.addListener(accessChanged);
  api.permissions.onRemoved.addListener(accessChanged);
}

// Diagnostics for our own tests (read through the service worker's devtools
// target, never exposed to pages): message counters and the last snapshot,
// kept in memory only; a test may ask to keep the last `keepSnapshots` too.
// Snapshots are kept as they arrived (the compact form) and shown to tests
// in the object form ({url, …, nodes: [{id, parent, tag, text, attrs, hidden, glued}]}).
const KEPT_ATTRS = ['id', 'class', 'role', 'type', 'name', 'title', 'alt', 'href', 'dir', 'lang', 'hidden', 'disabled',
  'data-inspector', 'data-testid', 'data-icon', 'aria-label', 'aria-selected', 'aria-checked', 'aria-current',
  'aria-expanded', 'aria-hidden', 'aria-modal']; // crate/src/snapshot.rs KEPT_ATTRS
function objectForm(s) {
  if (!isObj(s) || !Array.isArray(s.n)) return s;
  const { n, ...head } = s;
  const nodes = n.map((a) => {
    if (typeof a[2] !== 'string') return { id: a[0], parent: a[1], tag: '#text', text: a[3], attrs: [], hidden: (a[2] & 1) === 1, glued: (a[2] & 2) === 2 };
    const attrs = [];
    for (let i = 4; i + 1 < a.length; i += 2) attrs.push([typeof a[i] === 'number' ? KEPT_ATTRS[a[i]] : a[i], a[i + 1]]);
    return { id: a[0], parent: a[1], tag: a[2], text: '', attrs, hidden: a[3] === 1, glued: false };
  });
  return { ...head, nodes };
}
const debug = {
  dropped, received, senderKind, handle, last: null, kept: [], keepSnapshots: 0, refreshBadge,
  stats, assembling,
  get lastSnapshot() { return objectForm(this.last); },
  set lastSnapshot(v) { this.last = v; },
  get snapshots() { return this.kept.map(objectForm); },
  get restarts() { return restarts; },
};
globalThis.sessionGuardDebug = debug;
