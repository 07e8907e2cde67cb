// Session Guard background: loads the Rust core (wasm, extension CSP), routes
// messages, keeps storage and the badge. Chrome runs it as a module service
// worker, Firefox as a module background script.
//
// Every message is checked: it must come from this extension, content-script
// messages from a tab on the exchange's origin, and match the schema below.
// Anything else is dropped and counted.
import init, * as core from './core/session_guard.js';

const api = globalThis.browser ?? globalThis.chrome;
const EXCHANGE_ORIGINS = new Set(['https://www.kucoin.com']);

const ready = init({ module_or_path: new URL('./core/session_guard_bg.wasm', import.meta.url) }).then(() => {
  // Every UI string comes from _locales: hand the core the browser's language once.
  const messages = {};
  for (const k of core.messageKeys()) messages[k] = api.i18n.getMessage(k) || '';
  core.setMessages(messages);
});
const dropped = { count: 0, last: '' };

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

/** Where a message comes from: 'content' (exchange tab), 'page' (our popup), or null. */
function senderKind(sender) {
  if (!sender || sender.id !== api.runtime.id) return null;
  const extBase = api.runtime.getURL('');
  if (sender.tab) {
    const url = sender.url || sender.tab.url || '';
    if (EXCHANGE_ORIGINS.has(originOf(url)) && (sender.frameId === 0 || sender.frameId === undefined)) return 'content';
    if (url.startsWith(extBase)) return 'page';
    return null;
  }
  if (typeof sender.url === 'string' && sender.url.startsWith(extBase)) return 'page';
  return null;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const SCHEMA = {
  scan: (m) => isObj(m.snapshot) && Array.isArray(m.snapshot.nodes) && typeof m.snapshot.url === 'string',
  action: (m) => isObj(m.action) && typeof m.action.kind === 'string',
  popupAction: (m) => isObj(m.action) && typeof m.action.kind === 'string',
  importTrust: (m) => m.data !== null && typeof m.data === 'object',
  clearAll: () => true,
  status: () => true,
};
const ALLOWED = { content: new Set(['scan', 'action']), page: new Set(['popupAction', 'importTrust', 'clearAll', 'status']) };

async function stored() {
  return api.storage.local.get(core.storageKeys());
}

let lastError = '';
async function persist(writes) {
  if (!writes || !Object.keys(writes).length) return;
  try {
    await api.storage.local.set(writes);
    lastError = '';
  } catch (e) {
    // Quota or a broken profile: keep working from memory, tell the user.
    lastError = (api.i18n.getMessage('error_save') || 'Session Guard could not save its data: {0}').replace('{0}', () => String(e && e.message ? e.message : e));
    await setBadge({ text: '!', color: '#c62828', title: lastError });
  }
}

async function setBadge(b) {
  try {
    await api.action.setBadgeText({ text: b.text || '' });
    if (b.color) await api.action.setBadgeBackgroundColor({ color: b.color });
    await api.action.setTitle({ title: b.title || 'Session Guard' });
  } catch (_) {
    /* badge is best effort */
  }
}

async function run(fn) {
  await ready;
  const data = await stored();
  let res;
  try {
    res = fn(data, Date.now());
  } catch (e) {
    console.error('Session Guard core error', e);
    const msg = String(e && e.message ? e.message : e);
    // A panic (RuntimeError: unreachable) is an internal error; malformed input is the sender's.
    return { error: /unreachable|RuntimeError/.test(msg) ? api.i18n.getMessage('internal_error') || 'Session Guard hit an internal error' : `Session Guard: ${msg}` };
  }
  await persist(res.writes);
  if (!lastError) await setBadge(res.outcome.badge);
  await wakeAt(res.outcome.wake_at);
  return res.outcome;
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
async function refreshBadge() {
  await ready;
  const data = await stored();
  const now = Date.now();
  await setBadge(core.badge(data, now));
  await wakeAt(core.wakeAt(data, now));
}
if (api.alarms) {
  api.alarms.onAlarm.addListener((a) => {
    if (a && a.name === ALARM) refreshBadge().catch((e) => console.error('Session Guard: alarm', e));
  });
}

async function handle(msg, sender) {
  const kind = senderKind(sender);
  if (!kind) return drop('sender');
  if (!isObj(msg) || typeof msg.type !== 'string' || !ALLOWED[kind].has(msg.type) || !SCHEMA[msg.type](msg)) {
    return drop(`schema:${isObj(msg) ? String(msg.type).slice(0, 40) : typeof msg}`);
  }
  // The tab is ours to say, never the page's.
  const tab = kind === 'content' && sender.tab && Number.isInteger(sender.tab.id) ? sender.tab.id : 0;
  switch (msg.type) {
    case 'scan': {
      msg.snapshot.tab = tab;
      debug.lastSnapshot = msg.snapshot;
      if (debug.keepSnapshots > 0) {
        debug.snapshots.push(msg.snapshot);
        if (debug.snapshots.length > debug.keepSnapshots) debug.snapshots.shift();
      }
      const out = await run((data, now) => core.scan(msg.snapshot, data, now));
      if (out.error) return out;
      return { plan: out.plan, toast: out.toast, rescan: out.rescan };
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
      await api.storage.local.clear();
      await setBadge(core.badge({}, Date.now()));
      return { ok: true };
    case 'status':
      return { dropped: dropped.count, lastError };
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

// Badge (and the alarm) on startup from what is stored.
refreshBadge().catch((e) => console.error('Session Guard: badge', e));

// Diagnostics for our own tests (read through the service worker's devtools
// target, never exposed to pages): message counters and the last snapshot,
// kept in memory only; a test may ask to keep the last `keepSnapshots` too.
const debug = { dropped, senderKind, lastSnapshot: null, snapshots: [], keepSnapshots: 0, refreshBadge };
globalThis.sessionGuardDebug = debug;
