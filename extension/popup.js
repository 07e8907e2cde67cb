// Session Guard popup: the core (wasm) renders the state into #app; this file
// loads it and wires the buttons (data-action) to the browser and the
// background. All texts come from _locales; page-derived text is set with
// textContent by the core.
import init, * as core from './core/session_guard.js';

const api = globalThis.browser ?? globalThis.chrome;
const EXCHANGE = 'https://www.kucoin.com';
const SECURITY_URL = `${EXCHANGE}/account/security`;
/** The exchange's hosts as the manifest asks for them (match patterns): its tabs, its access. */
const ORIGINS = api.runtime.getManifest().host_permissions || [];
const msg = (k, fallback, subs) => {
  let m = api.i18n.getMessage(k) || fallback;
  if (subs) m = m.replace(/\{(\d)\}/g, (_, n) => subs[Number(n)] ?? '');
  return m;
};

// The static "Loading…" in popup.html, in the UI language.
for (const e of document.querySelectorAll('.loading')) e.textContent = msg('popup_loading', 'Loading…');

let ready = null;
async function loadCore() {
  if (!ready) {
    ready = init({ module_or_path: new URL('./core/session_guard_bg.wasm', import.meta.url) }).then(() => {
      const messages = {};
      for (const k of core.messageKeys(api.i18n.getMessage('plural_rules')).split(' ')) messages[k] = api.i18n.getMessage(k) || '';
      core.setMessages(messages);
      // the popup laid out and marked as the _locales file in use (Arabic, Urdu: right to left)
      const { dir, lang } = core.textLanguage(api.i18n.getUILanguage());
      document.documentElement.dir = dir;
      document.documentElement.lang = lang;
    });
  }
  return ready;
}

let lastMessage = '';
let shown = null; // what the last render put in #app, as it rendered it (a detached copy)
let renders = 0;
let deferred = false;
const BUSY = '.ask, li input:not([data-done])'; // the user is answering or typing in #app
// A button pressed and not yet released: replacing it now would lose the click
// (its mousedown and mouseup on two different nodes), so a render waits.
let pressing = false;

/**
 * Render the stored state into #app. Storage changes each time an open KuCoin
 * tab scans, so this runs often while the popup is open: it builds the new
 * content aside and leaves the popup alone when nothing visible changed (no
 * lost focus, no button moving under the pointer), and waits while the user
 * is in the middle of something (a Confirm / Cancel question, a rename).
 */
async function render() {
  const root = document.getElementById('app');
  const seq = ++renders;
  try {
    if (pressing || root.querySelector(BUSY)) {
      deferred = true; // (rendered once that is answered, or the button released)
      return;
    }
    await loadCore();
    const data = await api.storage.local.get(core.storageKeys());
    const next = document.createElement('main');
    core.renderPopup(next, data, Date.now());
    await showBackgroundProblems(next);
    if (!(await hasAccess())) showNoAccess(next);
    if (seq !== renders || pressing || root.querySelector(BUSY)) {
      deferred = deferred || seq === renders;
      return; // a newer render is on its way, or the user started something meanwhile
    }
    if (shown && next.isEqualNode(shown)) return;
    shown = next.cloneNode(true);
    const focus = document.activeElement && root.contains(document.activeElement) ? sameControl(document.activeElement) : null;
    root.replaceChildren(...next.childNodes);
    if (lastMessage) say(lastMessage);
    const again = focus && root.querySelector(focus);
    if (again) again.focus();
  } catch (e) {
    console.error('Session Guard popup', e);
    shown = null;
    root.textContent = '';
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = msg('popup_error', 'Session Guard hit an internal error. Your data is unchanged; reopen the popup to retry.');
    root.append(p);
  }
}

/** After a question or a rename: the render that waited for it. */
function renderDeferred() {
  if (!deferred) return;
  deferred = false;
  render();
}

/** A selector for the same control in a new rendering (its action and the data it acts on). */
function sameControl(e) {
  const b = e.closest('[data-action]');
  if (!b) return null;
  let sel = `[data-action="${CSS.escape(b.dataset.action)}"]`;
  for (const k of ['fingerprint', 'device', 'ip', 'area']) {
    if (b.dataset[k] !== undefined) sel += `[data-${k}="${CSS.escape(b.dataset[k])}"]`;
  }
  return sel;
}

/**
 * What went wrong in the background that storage does not show: the core hit
 * an internal error (a panic), or storage could not be read or written.
 */
async function showBackgroundProblems(root) {
  let st = null;
  try { st = await api.runtime.sendMessage({ type: 'status' }); } catch (_) { return; }
  for (const text of [st && st.coreError, st && st.lastError]) {
    if (!text || typeof text !== 'string') continue;
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.dataset.backgroundError = '';
    p.textContent = text;
    root.prepend(p);
  }
}

// The user can turn the access to ORIGINS off, or to "on click", in the
// browser's extension settings: then no KuCoin page is read, and the popup
// must say so rather than show an old scan (or none) as if the pages were
// being checked.
async function hasAccess() {
  try {
    return await api.permissions.contains({ origins: ORIGINS });
  } catch (_) {
    return true; // no permissions API: nothing to say
  }
}

function showNoAccess(root) {
  const box = document.createElement('section');
  box.className = 'access';
  box.setAttribute('role', 'alert');
  const p = document.createElement('p');
  p.textContent = msg('no_access', "Session Guard can't check your KuCoin pages on its own: its access to www.kucoin.com is limited or turned off in your browser's extension settings.");
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'primary';
  b.dataset.action = 'allow-access';
  b.textContent = msg('btn_allow_access', 'Allow access to www.kucoin.com');
  box.append(p, b);
  root.prepend(box);
}

/**
 * The browser asks the user (the request must come straight from the click:
 * no await before it). Content scripts reach KuCoin tabs loaded after this.
 */
async function allowAccess() {
  const granted = await api.permissions.request({ origins: ORIGINS });
  if (granted) say(msg('access_allowed', 'Access allowed. Reload your KuCoin page to check it.'));
  await render();
}

function say(text) {
  lastMessage = text;
  const m = document.getElementById('message');
  if (m) m.textContent = text;
}

/** Ask in the popup itself (no window.confirm); resolves true on Confirm. */
function ask(question) {
  return new Promise((resolve) => {
    const box = document.createElement('div');
    box.className = 'ask';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-label', question);
    const p = document.createElement('p');
    p.textContent = question;
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'danger';
    yes.textContent = msg('btn_confirm', 'Confirm');
    const no = document.createElement('button');
    no.type = 'button';
    no.textContent = msg('btn_cancel', 'Cancel');
    const done = (v) => (ev) => { if (ev.isTrusted) { box.remove(); resolve(v); renderDeferred(); } };
    yes.addEventListener('click', done(true));
    no.addEventListener('click', done(false));
    box.append(p, no, yes);
    document.getElementById('app').append(box);
    no.focus();
  });
}

async function send(message) {
  const res = await api.runtime.sendMessage(message);
  if (res && res.error) throw new Error(res.error);
  return res || {};
}

/** The open tabs on the exchange. */
const exchangeTabs = () => api.tabs.query({ url: ORIGINS });
/** Ask a tab's content script to scan now (it checks that the message is ours). */
const askRescan = (tab) => { api.tabs.sendMessage(tab.id, { type: 'rescan' }).catch(() => {}); };

async function openTab(url) {
  const u = new URL(url, EXCHANGE);
  if (u.origin !== EXCHANGE) return; // only the exchange
  const tabs = await exchangeTabs();
  // (a language prefix of 2-3 letters: /vi, /fil, /zh-hant, /zh_CN; content.js RELEVANT_PATH)
  const same = tabs.find((t) => t.url && new URL(t.url).pathname.replace(/^\/[a-z]{2,3}(?:[-_][A-Za-z]+)?(?=\/account)/, '') === u.pathname);
  if (same) {
    await api.tabs.update(same.id, { active: true });
    if (same.windowId !== undefined) await api.windows.update(same.windowId, { focused: true }).catch(() => {});
    // The page shows a pending confirmation (Log out all devices) on its next scan.
    askRescan(same);
  } else {
    await api.tabs.create({ url: u.href });
  }
}

function renameInline(button) {
  shown = null; // #app no longer shows what was rendered: the next render replaces it
  const li = button.closest('li');
  const label = li.querySelector('.label');
  const input = document.createElement('input');
  input.type = 'text';
  input.maxLength = 60;
  input.dir = 'auto'; // the name in its own direction (an Arabic name in an English popup, or the reverse)
  input.value = label.textContent;
  input.setAttribute('aria-label', button.getAttribute('aria-label') || msg('btn_rename', 'Rename'));
  const save = document.createElement('button');
  save.type = 'button';
  save.textContent = msg('btn_save', 'Save');
  const commit = async (ev) => {
    if (!ev.isTrusted) return;
    input.dataset.done = ''; // renders may replace the editor from now on
    try {
      await trustAction({ kind: 'rename_device', key: button.dataset.fingerprint, label: input.value.slice(0, 60) });
    } catch (e) { say(e.message); }
    deferred = true; // the editor closes even if nothing changed
    renderDeferred();
  };
  save.addEventListener('click', commit);
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') commit(ev); });
  label.replaceWith(input);
  button.replaceWith(save);
  input.focus();
  input.select();
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function exportReport() {
  await loadCore();
  const all = await api.storage.local.get(null);
  const report = core.exportReport(all, Date.now());
  const text = JSON.stringify(report, null, 2);
  document.getElementById('app').dataset.lastExport = text.length > 5e6 ? '' : text; // for tests
  download(`session-guard-report-${new Date().toISOString().slice(0, 10)}.json`, text);
  say(msg('exported', 'Report saved.'));
}

function importFile() {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'application/json,.json';
  input.id = 'import-file';
  input.hidden = true;
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.remove();
    if (!file) return;
    let data;
    try {
      data = JSON.parse(await file.text());
    } catch (_) {
      say(msg('import_not_json', 'This file is not valid JSON.'));
      return;
    }
    try {
      const res = await send({ type: 'importTrust', data });
      await rescanExchangeTabs();
      say(res.toast || '');
    } catch (e) {
      say(e.message);
    }
  });
  document.body.append(input);
  input.click();
}

/**
 * The trust list changed here (forget, rename, import): the open KuCoin
 * pages scan again, so their row marks, and the sessions this popup lists from
 * their last scan, follow it at once rather than at the page's next change.
 */
async function rescanExchangeTabs() {
  let tabs = [];
  try {
    tabs = await exchangeTabs();
  } catch (_) { return; }
  for (const t of tabs) askRescan(t);
}

/**
 * This is me / Not me on a session the popup lists: the row's device text,
 * IP and area as the page showed them (the core's data on the button), as
 * the page's own buttons send them; the message says what was saved.
 */
async function rowAction(b, kind) {
  const res = await trustAction({ kind, device_text: b.dataset.device || '', ip: b.dataset.ip || '', area: b.dataset.area || '' });
  say(res.toast || '');
}

/** A popup action on the trust list, then the pages scanned again. */
async function trustAction(action) {
  const res = await send({ type: 'popupAction', action });
  await rescanExchangeTabs();
  return res;
}

/**
 * "Check the other pages" (the page summary's button, from here): record the
 * run, then open the security page on Recent Logins, where it steps through
 * KuCoin's pager (page numbers only) one page a scan.
 */
async function checkOtherPages() {
  await send({ type: 'popupAction', action: { kind: 'check_all_pages' } });
  await openTab(`${SECURITY_URL}?showLoginRecord=1`);
}

/** "Log out all devices": record the request, then open the page where the user confirms. */
async function startLogoutAll() {
  await send({ type: 'popupAction', action: { kind: 'request_logout_all' } });
  await openTab(SECURITY_URL);
}

async function onAction(b) {
  const fp = b.dataset.fingerprint;
  switch (b.dataset.action) {
    case 'allow-access': return allowAccess();
    case 'open-security': return openTab(SECURITY_URL);
    case 'logout-all': return startLogoutAll();
    case 'check-pages': return checkOtherPages();
    case 'row-trust': return rowAction(b, 'trust');
    case 'row-not-me': return rowAction(b, 'not_me');
    case 'open-link': return openTab(b.getAttribute('href'));
    case 'rename': return renameInline(b);
    case 'forget': return trustAction({ kind: 'forget_device', key: fp });
    case 'forget-all':
      if (await ask(msg('confirm_forget_all', 'Forget every trusted device?'))) await trustAction({ kind: 'forget_all' });
      return undefined;
    case 'export': return exportReport();
    case 'import': return importFile();
    case 'clear-all':
      if (await ask(msg('confirm_clear_all', 'Delete everything Session Guard stored?'))) {
        await send({ type: 'clearAll' });
        say(msg('cleared', 'All Session Guard data was deleted.'));
      }
      return undefined;
    default: return undefined;
  }
}

document.addEventListener('pointerdown', () => { pressing = true; }, true);
for (const type of ['pointerup', 'pointercancel']) {
  // (after the click this release makes: the render waited for it comes next)
  document.addEventListener(type, () => { pressing = false; setTimeout(renderDeferred, 0); }, true);
}

document.addEventListener('click', (ev) => {
  const b = ev.target.closest && ev.target.closest('[data-action]');
  if (!b || !ev.isTrusted) return;
  ev.preventDefault();
  onAction(b).catch((e) => say(e && e.message ? e.message : String(e)));
});

api.storage.onChanged.addListener((_changes, area) => { if (area === 'local') render(); });
if (api.permissions && api.permissions.onAdded) {
  api.permissions.onAdded.addListener(() => render());
  api.permissions.onRemoved.addListener(() => render());
}
render();
