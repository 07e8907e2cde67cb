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

// Counters for ./build.sh bench and the tests (times are performance.now() of this worker).
const stats = { bootAt: performance.now(), readyAt: 0, firstAnswerAt: 0, scans: 0, coreMs: 0, wasm: null };
const ready = init({ module_or_path: new URL('./core/session_guard_bg.wasm', import.meta.url) }).then((w) => {
  stats.readyAt = performance.now();
  stats.wasm = w.memory;
  return w;
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
  status: () => true,
};
const ALLOWED = { content: new Set(['scan', 'action']), page: new Set(['popupAction', 'status']) };

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
    lastError = `Session Guard could not save its data: ${e && e.message ? e.message : e}`;
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
  const t0 = performance.now();
  try {
    res = fn(data, Date.now());
    stats.coreMs += performance.now() - t0;
  } catch (e) {
    console.error('Session Guard core error', e);
    const msg = String(e && e.message ? e.message : e);
    // A panic (RuntimeError: unreachable) is an internal error; malformed input is the sender's.
    return { error: /unreachable|RuntimeError/.test(msg) ? 'Session Guard hit an internal error' : `Session Guard: ${msg}` };
  }
  // Answer once the writes are queued, not written: chrome.storage runs one
  // extension's calls in order (the next call's read sees them), and the page
  // need not wait for the disk and the badge before it shows the verdict.
  persist(res.writes).then(() => (lastError ? undefined : setBadge(res.outcome.badge)));
  return res.outcome;
}

async function handle(msg, sender) {
  const kind = senderKind(sender);
  if (!kind) return drop('sender');
  if (!isObj(msg) || typeof msg.type !== 'string' || !ALLOWED[kind].has(msg.type) || !SCHEMA[msg.type](msg)) {
    return drop(`schema:${isObj(msg) ? String(msg.type).slice(0, 40) : typeof msg}`);
  }
  switch (msg.type) {
    case 'scan': {
      debug.lastSnapshot = msg.snapshot;
      stats.scans++;
      const out = await run((data, now) => core.scan(msg.snapshot, data, now));
      if (!stats.firstAnswerAt) stats.firstAnswerAt = performance.now();
      if (out.error) return out;
      return { plan: out.plan, toast: out.toast, rescan: out.rescan };
    }
    case 'action':
    case 'popupAction': {
      const out = await run((data, now) => core.act(msg.action, data, now));
      if (out.error) return out;
      return { steps: out.plan.steps, toast: out.toast, rescan: out.rescan };
    }
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

// Badge on startup from what is stored.
(async () => {
  await ready;
  try {
    await setBadge(core.badge(await stored(), Date.now()));
  } catch (e) {
    console.error('Session Guard: badge', e);
  }
})();

// Diagnostics for our own tests and benchmarks (read through the service
// worker's devtools target, never exposed to pages): message and scan
// counters, timings and the last snapshot, kept in memory only and replaced on
// every scan.
const debug = { dropped, senderKind, lastSnapshot: null, stats };
globalThis.sessionGuardDebug = debug;
