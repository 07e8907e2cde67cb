// Session Guard popup: the core (wasm) renders the state into #app; this file
// only loads it and wires the action buttons (data-action) to the browser.
import init, * as core from './core/session_guard.js';

const api = globalThis.browser ?? globalThis.chrome;
const SECURITY_URL = 'https://www.kucoin.com/account/security';

async function render() {
  const root = document.getElementById('app');
  try {
    await init({ module_or_path: new URL('./core/session_guard_bg.wasm', import.meta.url) });
    const data = await api.storage.local.get(core.storageKeys());
    core.renderPopup(root, data, Date.now());
  } catch (e) {
    console.error('Session Guard popup', e);
    root.textContent = '';
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = 'Session Guard hit an internal error. Your data is unchanged; reopen the popup to retry.';
    root.append(p);
  }
}

async function openSecurityPage() {
  const tabs = await api.tabs.query({ url: ['https://www.kucoin.com/*'] });
  const existing = tabs.find((t) => /\/account\/security\/?$/.test(new URL(t.url || 'about:blank').pathname));
  if (existing) {
    await api.tabs.update(existing.id, { active: true });
    if (existing.windowId !== undefined) await api.windows.update(existing.windowId, { focused: true }).catch(() => {});
    // The page shows our confirmation on its next scan.
    api.tabs.sendMessage(existing.id, { type: 'rescan' }).catch(() => {});
  } else {
    await api.tabs.create({ url: SECURITY_URL });
  }
}

/** "Log out all devices": record the request, then open the page where the user confirms. */
async function startLogoutAll() {
  const res = await api.runtime.sendMessage({ type: 'popupAction', action: { kind: 'request_logout_all' } });
  if (res && res.error) throw new Error(res.error);
  await openSecurityPage();
}

document.addEventListener('click', (ev) => {
  const b = ev.target.closest && ev.target.closest('[data-action]');
  if (!b || !ev.isTrusted) return;
  if (b.dataset.action === 'open-security') openSecurityPage().catch((e) => console.error(e));
  if (b.dataset.action === 'logout-all') startLogoutAll().catch((e) => console.error(e));
});

api.storage.onChanged.addListener((_changes, area) => { if (area === 'local') render(); });
render();
