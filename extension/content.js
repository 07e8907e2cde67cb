// Session Guard content script: photograph the page, send it to the core,
// apply the plan that comes back. It knows nothing about exchanges and makes
// no decisions: the Rust core (background, extension CSP) does.
//
// Rules kept here: no innerHTML (widgets.js renders text only), no <script>
// in the page, no window.postMessage / CustomEvent listeners, page input
// values never read, our buttons act only on isTrusted clicks.
(() => {
  'use strict';
  if (globalThis.__sessionGuardContent) return; // injected twice (reload)
  globalThis.__sessionGuardContent = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const W = globalThis.SessionGuardWidgets;

  // Cheap pre-filter so pages that cannot hold session lists cost one regex
  // test and a 1 s URL poll (SPA navigation), nothing more. The core decides
  // the rest.
  const RELEVANT_PATH = /^\/(?:[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?\/)?(?:account|ucenter)(?:\/|$)/;

  // Keep in sync with KEPT_ATTRS / SKIPPED_TAGS in crate/src/snapshot.rs
  // (the snapshot-equivalence browser test compares both).
  const ATTRS = ['id', 'class', 'role', 'type', 'name', 'title', 'alt', 'href', 'dir', 'lang', 'hidden', 'disabled',
    'data-inspector', 'data-testid', 'data-icon', 'aria-label', 'aria-selected', 'aria-checked', 'aria-current',
    'aria-expanded', 'aria-hidden', 'aria-modal'];
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'textarea', 'iframe']);
  const WS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  const MAX_TEXT = 131072;
  const UI_ATTR = 'data-session-guard-ui';

  let nextId = 1;
  const idOf = new WeakMap(); // Node → stable id
  let byId = new Map(); // id → Node, rebuilt per snapshot

  function stableId(node) {
    let id = idOf.get(node);
    if (id === undefined) {
      id = nextId++;
      idOf.set(node, id);
    }
    return id;
  }

  function collapse(s) {
    const t = s.replace(WS, ' ').trim();
    if (t.length <= MAX_TEXT) return t;
    return Array.from(t).slice(0, MAX_TEXT).join('');
  }

  function isHidden(el) {
    if (el.hasAttribute('hidden')) return true;
    if (typeof el.checkVisibility === 'function') {
      if (!el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true })) return true;
    } else {
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
    }
    return false;
  }

  /** Off-screen or zero-size boxes around text: tricks to show rows nobody sees. */
  function isInvisibleBox(el) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return true;
    const x = r.right + window.scrollX;
    const y = r.bottom + window.scrollY;
    return x <= 0 || y <= 0;
  }

  function env() {
    const ua = navigator.userAgentData;
    return {
      ua: navigator.userAgent,
      brands: ua && Array.isArray(ua.brands) ? ua.brands.map((b) => [String(b.brand), String(b.version)]) : [],
      platform: ua ? String(ua.platform || '') : '',
      mobile: ua ? !!ua.mobile : false,
      utc_offset_minutes: -new Date().getTimezoneOffset(),
      language: navigator.language || '',
    };
  }

  const ATTR_POS = new Map(ATTRS.map((a, i) => [a, i]));
  /** Kept attributes in ATTRS order; the first of a name wins, as getAttribute does. */
  function keptAttrs(el) {
    const out = [];
    const list = el.attributes;
    let last = -1;
    let sorted = true;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const k = ATTR_POS.get(a.name);
      if (k === undefined || out.some((x) => x[2] === k)) continue;
      const v = a.value;
      out.push([a.name, v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v, k]);
      if (k < last) sorted = false;
      last = k;
    }
    if (!sorted) out.sort((x, y) => x[2] - y[2]);
    for (const x of out) x.length = 2;
    return out;
  }

  // A big page is walked in slices so the page keeps its frames (no long
  // task); a page that changes meanwhile is marked dirty and scanned again.
  const SLICE_MS = 8;
  const pause = () =>
    globalThis.scheduler && typeof globalThis.scheduler.yield === 'function'
      ? globalThis.scheduler.yield()
      : new Promise((r) => setTimeout(r, 0));

  /** Pre-order walk of <body> into the flat node list the core reads. */
  async function snapshot() {
    const nodes = [];
    const ids = new Map();
    const body = document.body;
    if (!body) return null;
    // pending nodes, their parents' ids and whether a parent is hidden (parallel stacks)
    const stack = [body];
    const parents = [0];
    const hiddenUp = [false];
    let sliceStart = performance.now();
    let n = 0;
    while (stack.length) {
      if ((++n & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
        await pause();
        sliceStart = performance.now();
      }
      const node = stack.pop();
      const parent = parents.pop();
      const parentHidden = hiddenUp.pop();
      if (node.nodeType === 3) {
        const text = collapse(node.data);
        if (!text) continue;
        const id = stableId(node);
        ids.set(id, node);
        nodes.push({ id, parent, tag: '#text', text, attrs: [], hidden: false });
        continue;
      }
      if (node.nodeType !== 1) continue;
      const tag = node.localName;
      if (SKIP.has(tag) || node.hasAttribute(UI_ATTR)) continue;
      const id = stableId(node);
      ids.set(id, node);
      const attrs = node.hasAttributes() ? keptAttrs(node) : [];
      let hidden = false;
      if (!parentHidden) {
        hidden = isHidden(node);
        if (!hidden) {
          for (let c = node.firstChild; c; c = c.nextSibling) {
            if (c.nodeType === 3 && c.data.trim()) {
              hidden = isInvisibleBox(node);
              break;
            }
          }
        }
      }
      nodes.push({ id, parent, tag, text: '', attrs, hidden });
      if (tag === 'svg' || node.isContentEditable) continue;
      const h = parentHidden || hidden;
      for (let c = node.lastChild; c; c = c.previousSibling) {
        stack.push(c);
        parents.push(id);
        hiddenUp.push(h);
      }
    }
    byId = ids; // the plan for this snapshot refers to these nodes
    const root = document.documentElement;
    return { url: location.href, lang: root.lang || '', dir: root.dir || '', nodes, env: env() };
  }

  // ---- applying plans ----
  const marked = new Map(); // Element → Set(attr)
  const widgets = new Map(); // key → { host, sig }
  let plan = null;

  function placeHost(host, anchor, place) {
    const ok =
      (place === 'before' && anchor.previousSibling === host) ||
      (place === 'after' && anchor.nextSibling === host) ||
      (place === 'prepend' && anchor.firstChild === host) ||
      (place === 'append' && host.parentNode === anchor);
    if (ok) return false;
    if (place === 'before') anchor.before(host);
    else if (place === 'after') anchor.after(host);
    else if (place === 'prepend') anchor.prepend(host);
    else anchor.append(host);
    return true;
  }

  /** Make the page match plan `p`; returns whether anything on it changed. */
  function apply(p) {
    plan = p;
    let changes = 0;
    const want = new Map();
    for (const m of p.marks) {
      const el = byId.get(m.id);
      if (!el || el.nodeType !== 1) continue;
      if (el.getAttribute(m.attr) !== m.value) {
        el.setAttribute(m.attr, m.value);
        changes++;
      }
      if (!want.has(el)) want.set(el, new Set());
      want.get(el).add(m.attr);
    }
    for (const [el, attrs] of marked) {
      const keep = want.get(el);
      for (const a of attrs) {
        if (!keep || !keep.has(a)) {
          el.removeAttribute(a);
          changes++;
        }
      }
    }
    marked.clear();
    for (const [el, attrs] of want) marked.set(el, attrs);

    const live = new Set();
    for (const w of p.widgets) {
      const anchor = byId.get(w.anchor);
      if (!anchor || anchor.nodeType !== 1 || !anchor.isConnected) continue;
      live.add(w.key);
      const sig = JSON.stringify(w) + p.dir;
      let entry = widgets.get(w.key);
      if (!entry || entry.sig !== sig || !entry.host.isConnected) {
        if (entry) entry.host.remove();
        const host = W.render(w, p.dir, onButton);
        entry = { host, sig };
        widgets.set(w.key, entry);
        changes++;
      }
      if (placeHost(entry.host, anchor, w.place)) changes++;
    }
    for (const [key, entry] of widgets) {
      if (!live.has(key)) {
        entry.host.remove();
        widgets.delete(key);
        changes++;
      }
    }
    for (const step of p.steps || []) runStep(step);
    return changes > 0;
  }

  function runStep(step) {
    if (step.op === 'click') {
      const el = byId.get(step.id);
      if (el && el.isConnected && el.nodeType === 1) el.click();
    } else if (step.op === 'rescan') {
      setTimeout(() => schedule(true), Math.min(step.ms, 10000));
    } else if (step.op === 'navigate') {
      if (typeof step.path === 'string' && step.path.startsWith('/') && !step.path.startsWith('//')) {
        location.assign(step.path);
      }
    }
  }

  async function onButton(button, ev, extra) {
    if (!ev || !ev.isTrusted) return; // page scripts cannot press our buttons
    const action = Object.assign({}, button.action, extra || {});
    let res;
    try {
      res = await api.runtime.sendMessage({ type: 'action', action });
    } catch (e) {
      W.toast(`Session Guard: ${e && e.message ? e.message : e}`, plan ? plan.dir : 'ltr');
      return;
    }
    handleReply(res);
  }

  /** Returns whether a plan in the reply changed the page. */
  function handleReply(res) {
    if (!res) return false;
    if (res.error) {
      W.toast(res.error, plan ? plan.dir : 'ltr');
      return false;
    }
    if (res.toast) W.toast(res.toast, res.plan ? res.plan.dir : plan ? plan.dir : 'ltr');
    const changed = res.plan ? apply(res.plan) : false; // a scan: the whole desired state
    if (Array.isArray(res.steps)) for (const s of res.steps) runStep(s); // an action's steps
    if (res.rescan) schedule(true);
    if (res.plan && !res.plan.watch) stopObserving();
    return changed;
  }

  // ---- scanning: observe cheaply, work on the next frame ----
  let dirty = false;
  let inFlight = false;
  let timer = 0;
  let lastCost = 0;
  let idleScans = 0; // scans in a row that changed nothing on the page
  let lastScanEnd = 0;
  let observer = null;

  function relevant(node) {
    // Ignore our own hosts and their insides.
    for (let n = node; n; n = n.parentNode) {
      if (n.nodeType === 1 && n.hasAttribute(UI_ATTR)) return false;
      if (n.nodeType === 11) return false; // inside a shadow root (ours)
    }
    return true;
  }

  function onMutations(records) {
    if (dirty) return;
    for (const r of records) {
      if (r.type === 'childList') {
        let ours = true;
        for (const n of r.addedNodes) if (!(n.nodeType === 1 && n.hasAttribute(UI_ATTR))) ours = false;
        for (const n of r.removedNodes) if (!(n.nodeType === 1 && n.hasAttribute(UI_ATTR))) ours = false;
        if (ours) continue;
      }
      if (!relevant(r.target)) continue;
      schedule(false);
      return;
    }
  }

  let urgent = false; // a rescan was asked for (action, popup): no back-off
  let pending = 0; // which schedule() the pending timer belongs to
  function schedule(now) {
    dirty = true;
    if (now) urgent = true;
    if (inFlight) return;
    if (timer) {
      if (!now) return;
      clearTimeout(timer); // an asked-for rescan does not wait out a back-off
    }
    // At most one scan per frame, spaced by twice the last scan's cost; a page
    // that keeps mutating without changing anything for us (tickers, clocks)
    // is scanned less and less often, up to 1 s apart, until it goes quiet.
    if (performance.now() - lastScanEnd > 1000) idleScans = 0;
    const backoff = 2 << Math.min(idleScans, 5); // 2× … 64× the last cost
    const wait = urgent ? 0 : Math.min(1000, Math.max(16, lastCost * backoff));
    urgent = false;
    const me = ++pending;
    // A scan is coming and will read the DOM as it is then: stop recording
    // mutations until it starts (a busy page makes thousands a second).
    if (observer) observer.disconnect();
    timer = setTimeout(() => {
      requestAnimationFrame(() => {
        if (me !== pending) return; // superseded
        timer = 0;
        scan();
      });
    }, wait);
  }

  async function scan() {
    if (observer) listen(); // changes from here on need another scan
    if (!dirty || inFlight) return;
    dirty = false;
    if (!RELEVANT_PATH.test(location.pathname)) return;
    inFlight = true;
    const t0 = performance.now();
    try {
      const snap = await snapshot();
      if (!snap) return;
      const res = await api.runtime.sendMessage({ type: 'scan', snapshot: snap });
      idleScans = handleReply(res) ? 0 : idleScans + 1;
    } catch (e) {
      // Extension reloaded or background unavailable: stay quiet, keep the page working.
      if (String(e).includes('Extension context invalidated')) stopObserving();
    } finally {
      lastScanEnd = performance.now();
      lastCost = lastScanEnd - t0;
      inFlight = false;
      if (dirty) schedule(false);
    }
  }

  function startObserving() {
    if (observer) return;
    observer = new MutationObserver(onMutations);
    listen();
  }
  function listen() {
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['hidden', 'style', 'aria-selected', 'aria-current'],
    });
  }
  function stopObserving() {
    if (observer) observer.disconnect();
    observer = null;
  }

  // SPA navigation: KuCoin changes routes without reloading.
  let lastHref = location.href;
  function onUrlMaybeChanged() {
    if (location.href === lastHref) return;
    lastHref = location.href;
    checkPage();
  }
  function checkPage() {
    if (RELEVANT_PATH.test(location.pathname)) {
      startObserving();
      schedule(true);
    } else {
      stopObserving();
      if (widgets.size || marked.size) apply({ marks: [], widgets: [], steps: [], dir: 'ltr', page: 'other', watch: false });
    }
  }
  setInterval(onUrlMaybeChanged, 1000);
  window.addEventListener('popstate', onUrlMaybeChanged);

  // The popup can ask this tab to scan now (e.g. "Log out all devices").
  api.runtime.onMessage.addListener((msg, sender) => {
    if (!sender || sender.id !== api.runtime.id || !msg || typeof msg !== 'object') return;
    if (msg.type === 'rescan') schedule(true);
  });

  checkPage();
})();
