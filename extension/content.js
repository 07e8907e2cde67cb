// Session Guard content script: photograph the page, send it to the core,
// apply the plan that comes back. It knows nothing about exchanges and makes
// no decisions: the Rust core (background, extension CSP) does.
//
// Rules kept here: page text is set as text only (widgets.js), no <script>
// in the page, no window.postMessage / CustomEvent listeners, page input
// values never read, our buttons act only on isTrusted clicks.
(() => {
  'use strict';
  // The page can put elements on window by id/name (<div id="browser">) and
  // override document and <form> members by name (<img name="body">,
  // <input name="childNodes">). Own properties and the prototypes' members
  // only, so no page markup can switch us off or feed us its own objects.
  const own = (k) => Object.prototype.hasOwnProperty.call(globalThis, k);
  if (own('__sessionGuardContent')) return; // injected twice (reload)
  Object.defineProperty(globalThis, '__sessionGuardContent', { value: true });

  const api = ['browser', 'chrome'].map((k) => globalThis[k]).find((v) => v && typeof v === 'object' && v.runtime
    && typeof v.runtime.sendMessage === 'function' && typeof v.runtime.id === 'string');
  const W = own('SessionGuardWidgets') ? globalThis.SessionGuardWidgets : null;
  if (!api || !W) return;

  // getter(obj) / method(obj, ...args) with the prototype's own function
  // (bound call: no argument array per call; the walk makes thousands).
  const callOf = (f) => Function.prototype.call.bind(f);
  const get = (proto, name) => callOf(Object.getOwnPropertyDescriptor(proto, name).get);
  const method = (proto, name) => callOf(proto[name]);
  const nodeType = get(Node.prototype, 'nodeType');
  const firstChild = get(Node.prototype, 'firstChild');
  const nextSibling = get(Node.prototype, 'nextSibling');
  const previousSibling = get(Node.prototype, 'previousSibling');
  const lastChild = get(Node.prototype, 'lastChild');
  const firstElementChild = get(Element.prototype, 'firstElementChild');
  const parentNode = get(Node.prototype, 'parentNode');
  const contains = method(Node.prototype, 'contains');
  const isConnected = get(Node.prototype, 'isConnected');
  const textData = get(CharacterData.prototype, 'data');
  const localName = get(Element.prototype, 'localName');
  const editableGetter = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'isContentEditable').get;
  const editable = callOf(editableGetter);
  const isEditable = (el) => el instanceof HTMLElement && editable(el);
  const getAttr = method(Element.prototype, 'getAttribute');
  const hasAttrs = method(Element.prototype, 'hasAttributes');
  const attrNames = method(Element.prototype, 'getAttributeNames');
  const hasAttr = method(Element.prototype, 'hasAttribute');
  const setAttr = method(Element.prototype, 'setAttribute');
  const removeAttr = method(Element.prototype, 'removeAttribute');
  const rectOf = method(Element.prototype, 'getBoundingClientRect');
  const checkVis = Element.prototype.checkVisibility ? method(Element.prototype, 'checkVisibility') : null;
  const clickEl = method(HTMLElement.prototype, 'click');
  const insertBefore = method(Element.prototype, 'before');
  const insertAfter = method(Element.prototype, 'after');
  const prependTo = method(Element.prototype, 'prepend');
  const appendTo = method(Element.prototype, 'append');
  const docBody = get(Document.prototype, 'body');
  const docRoot = get(Document.prototype, 'documentElement');

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
  // Keep in sync with INLINE_TAGS in crate/src/snapshot.rs (static.test.mjs compares them).
  const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins',
    'kbd', 'label', 'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var',
    'wbr']);
  const WS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  const MAX_TEXT = 131072;
  const UI_ATTR = 'data-session-guard-ui';
  // The row bar marks.css draws (crate/src/plan.rs BAR_ATTR; static.test.mjs compares them).
  const BAR_ATTR = 'data-session-guard-bar';

  // One id per document: the core's flows notice a reload or navigation.
  const PAGE_ID = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : String(Math.random()).slice(2);
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

  function capped(t) {
    if (t.length <= MAX_TEXT) return t;
    return Array.from(t).slice(0, MAX_TEXT).join('');
  }

  // A word split over text nodes ("Chr" + "ome", <span>Chr</span><span>ome</span>)
  // is sent as texts "glued" to the one before (crate/src/snapshot.rs
  // Node::glued): no white space at the join, and only element edges that
  // leave no gap on screen between them.
  /** An inline box with no margin or padding at its sides (a flex or grid item is a block). */
  function flows(el) {
    if (!INLINE.has(localName(el))) return false;
    const cs = getComputedStyle(el);
    return (cs.display === 'inline' || cs.display === 'contents') && !parseFloat(cs.marginLeft) && !parseFloat(cs.marginRight)
      && !parseFloat(cs.paddingLeft) && !parseFloat(cs.paddingRight);
  }
  /** The elements the last text is in, up to the one holding `node` too, all flow. */
  function flowsUpTo(last, node) {
    for (let a = parentNode(last); a; a = parentNode(a)) {
      if (contains(a, node)) return true;
      if (!flows(a)) return false;
    }
    return false;
  }
  const isMark = (c) => (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069)
    || c === 0x061c || c === 0xfeff;
  /**
   * White space at the start (step 1) or the end (step -1) of `r` (white space
   * already made ' '), past invisible marks (crate/src/snapshot.rs edge_space).
   */
  function spaceAt(r, step) {
    for (let i = step > 0 ? 0 : r.length - 1; i >= 0 && i < r.length; i += step) {
      const c = r.charCodeAt(i);
      if (c === 32) return true;
      if (!isMark(c)) return false;
    }
    return false;
  }

  const VIS_OPTS = Object.freeze({ visibilityProperty: true, checkVisibilityCSS: true });
  /** `display: contents` (CSS-grid ARIA rows whose cells are the grid items): no box of its own. */
  const isContents = (el) => getComputedStyle(el).display === 'contents';
  function isHidden(el) {
    if (hasAttr(el, 'hidden')) return true;
    if (checkVis) {
      // checkVisibility is false for a box-less element; its children decide (the rare
      // case alone pays for the computed style). An ancestor's display: none is its own.
      if (!checkVis(el, VIS_OPTS) && !isContents(el)) return true;
    } else {
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
    }
    return false;
  }

  /** Off-screen or zero-size boxes around text: tricks to show rows nobody sees. */
  function isInvisibleBox(el) {
    const r = rectOf(el);
    if (r.width === 0 && r.height === 0) {
      // display: contents: its text lies in the nearest box around it
      const up = isContents(el) ? parentNode(el) : null;
      return !up || nodeType(up) !== 1 || isInvisibleBox(up);
    }
    const x = r.right + window.scrollX;
    const y = r.bottom + window.scrollY;
    return x <= 0 || y <= 0;
  }

  // Client hints say more than the frozen User-Agent (Windows 10 vs 11, the
  // phone model); they are asked once, asynchronously, when a page that may
  // hold session lists is first seen, and used when ready.
  let hints = null;
  let hintsAsked = false;
  function askHints() {
    if (hintsAsked) return;
    hintsAsked = true;
    try {
      const uad = navigator.userAgentData;
      if (uad && typeof uad.getHighEntropyValues === 'function') {
        uad.getHighEntropyValues(['platformVersion', 'model', 'fullVersionList']).then((h) => { hints = h; }, () => {});
      }
    } catch (_) { /* not available */ }
  }

  // The zone's offsets over the last ~2 years, for reading the page's local
  // times with the offset of their instant (DST; crate/src/time.rs
  // OffsetChanges): [[utc_minute, offset], …], each offset (local − UTC,
  // minutes) in effect from its minute on, the first entry the window's
  // start. Sampled every 30 days back, each change found to the minute by
  // bisection: ZONE_STEPS + 1 samples and ~16 per change, once an hour.
  // ZONE_STEPS + 1 ≤ the core's MAX_ZONE_ENTRIES (static.test.mjs).
  const ZONE_STEPS = 25;
  let zoneCache = null;
  function offsetChanges(current) {
    const now = Math.floor(Date.now() / 60000);
    if (zoneCache && now - zoneCache.at < 60 && zoneCache.current === current) return zoneCache.list;
    const off = (m) => -new Date(m * 60000).getTimezoneOffset();
    const STEP = 30 * 1440;
    const list = [];
    let hi = now;
    let hiOff = off(hi);
    for (let i = 0; i < ZONE_STEPS; i++) {
      const start = hi - STEP;
      const startOff = off(start);
      if (startOff !== hiOff) {
        let lo = start;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (off(mid) === startOff) lo = mid; else hi = mid;
        }
        list.push([hi, off(hi)]);
      }
      hi = start;
      hiOff = startOff;
    }
    list.push([hi, hiOff]);
    list.reverse();
    zoneCache = { at: now, current, list };
    return list;
  }

  function env() {
    const ua = navigator.userAgentData;
    const offset = -new Date().getTimezoneOffset();
    const list = hints && Array.isArray(hints.fullVersionList) ? hints.fullVersionList : ua && Array.isArray(ua.brands) ? ua.brands : [];
    return {
      ua: navigator.userAgent,
      brands: list.map((b) => [String(b.brand), String(b.version)]),
      platform: ua ? String(ua.platform || '') : '',
      platform_version: hints && hints.platformVersion ? String(hints.platformVersion) : '',
      model: hints && hints.model ? String(hints.model) : '',
      mobile: ua ? !!ua.mobile : false,
      utc_offset_minutes: offset,
      language: navigator.language || '',
      utc_offset_changes: offsetChanges(offset),
    };
  }

  // More nodes than the core reads (crate/src/snapshot.rs MAX_NODES): stop
  // there, the core reports the page as too large to verify.
  const MAX_NODES = 400000;

  const ATTR_POS = new Map(ATTRS.map((a, i) => [a, i]));
  /**
   * Kept attributes in ATTRS order, from the element's own names (usually
   * 1-3; no Attr nodes made), as the compact form's `,k,"value"` pairs (k:
   * index in ATTRS); of a repeated name the first wins, as getAttribute's does.
   */
  function keptAttrs(el) {
    const names = attrNames(el);
    let out = null;
    let last = -1;
    let sorted = true;
    for (let i = 0; i < names.length; i++) {
      const k = ATTR_POS.get(names[i]);
      if (k === undefined || (out && out.some((x) => x[0] === k))) continue;
      const v = getAttr(el, names[i]);
      if (v === null) continue;
      (out || (out = [])).push([k, v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v]);
      if (k < last) sorted = false;
      last = k;
    }
    if (!out) return '';
    if (!sorted) out.sort((x, y) => x[0] - y[0]);
    let s = '';
    for (const [k, v] of out) s += `,${k},${JSON.stringify(v)}`;
    return s;
  }

  // A big page is walked in slices so it keeps its frames (no long task); a
  // page that changes meanwhile is marked dirty and scanned again. Only the
  // browser's own scheduler (a page element named "scheduler" is not one).
  // 24 ms: well under a long task (50 ms) even when a cold node or the part
  // joins overshoot it, and a usual security page (~1,500 nodes, 10-17 ms
  // cold) is walked in one slice: with 8 ms slices its yields cost each
  // first scan ~30 ms of frames before the rows were marked.
  const SLICE_MS = 24;
  const sched = own('scheduler') && typeof Scheduler === 'function' && globalThis.scheduler instanceof Scheduler
    && typeof Scheduler.prototype.yield === 'function' ? globalThis.scheduler : null;
  const schedYield = sched ? Scheduler.prototype.yield : null;
  const pause = () => (schedYield ? Reflect.apply(schedYield, sched, []) : new Promise((r) => setTimeout(r, 0)));

  // The snapshot crosses to the background in parts of at most PART_CHARS
  // characters (≤ ~256 KB), each message its own task: no task on the page
  // joins or serialises megabytes (a 5,000-row page is ~2.5 MB).
  const PART_CHARS = 131072;
  const tagJson = new Map(); // tag → its JSON string

  /**
   * Pre-order walk of <body> into the flat node list the core reads, as JSON
   * text in the core's compact form (crate/src/snapshot.rs `COMPACT`: one list
   * per node, defaults omitted): each node is written as it is read, within
   * the walk's slices, and joined into parts of about PART_CHARS as it goes.
   * Returns the text's parts (one for most pages); their concatenation is the
   * snapshot.
   */
  async function snapshot() {
    // The walk starts in a task of its own: never on top of the frame that
    // scheduled it (a scan is asked for from requestAnimationFrame).
    await pause();
    const parts = []; // joined runs of nodes, each about PART_CHARS
    let run = []; // JSON text of the nodes since the last part
    let runChars = 0;
    let count = 0;
    const ids = new Map(); // becomes byId once the walk is complete
    const body = docBody(document);
    if (!body) return null;
    // pending nodes, their parents' ids and whether a parent is hidden (parallel stacks)
    const stack = [body];
    const parents = [0];
    const hiddenUp = [false];
    let sliceStart = performance.now();
    let n = 0;
    // The last text ended without white space and only flowing element
    // edges were met since (`glued`, see flows).
    let touch = false;
    let lastText = null;
    const add = (json) => {
      run.push(json);
      count++;
      runChars += json.length + 1;
      if (runChars >= PART_CHARS) {
        parts.push(run.join(','));
        run = [];
        runChars = 0;
      }
    };
    while (stack.length) {
      if (count > MAX_NODES) break; // the core reports the page as too large
      // (checked every 32 nodes: the first walk runs cold, ~10-100 µs a node)
      if ((++n & 31) === 0 && performance.now() - sliceStart > SLICE_MS) {
        await pause();
        sliceStart = performance.now();
      }
      const node = stack.pop();
      const parent = parents.pop();
      const parentHidden = hiddenUp.pop();
      const type = nodeType(node);
      if (type === 3) {
        const r = textData(node).replace(WS, ' ');
        const text = capped(r.trim());
        if (!text) {
          touch = false;
          continue;
        }
        const glued = touch && !spaceAt(r, 1) && flowsUpTo(lastText, node);
        touch = !spaceAt(r, -1);
        lastText = node;
        const id = stableId(node);
        if (ids.has(id)) continue; // moved by the page during a pause: once only
        ids.set(id, node);
        add(`[${id},${parent},${glued ? 2 : 0},${JSON.stringify(text)}]`);
        continue;
      }
      if (type !== 1) continue;
      const tag = localName(node);
      if (SKIP.has(tag) || hasAttr(node, UI_ATTR)) {
        touch = false;
        continue;
      }
      if (touch && !flows(node)) touch = false;
      const id = stableId(node);
      if (ids.has(id)) continue;
      ids.set(id, node);
      const attrs = hasAttrs(node) ? keptAttrs(node) : '';
      let hidden = false;
      if (!parentHidden) {
        hidden = isHidden(node);
        if (!hidden) {
          for (let c = firstChild(node); c; c = nextSibling(c)) {
            if (nodeType(c) === 3 && textData(c).trim()) {
              hidden = isInvisibleBox(node);
              break;
            }
          }
        }
      }
      let t = tagJson.get(tag);
      if (t === undefined) {
        t = JSON.stringify(tag);
        if (tagJson.size < 512) tagJson.set(tag, t);
      }
      add(hidden || attrs ? `[${id},${parent},${t},${hidden ? 1 : 0}${attrs}]` : `[${id},${parent},${t}]`);
      if (tag === 'svg' || isEditable(node)) {
        touch = false;
        continue;
      }
      const h = parentHidden || hidden;
      for (let c = lastChild(node); c; c = previousSibling(c)) {
        stack.push(c);
        parents.push(id);
        hiddenUp.push(h);
      }
    }
    if (run.length) parts.push(run.join(','));
    byId = ids; // the plan for this snapshot refers to these nodes
    const root = docRoot(document);
    const head = JSON.stringify({
      url: location.href, lang: (root && getAttr(root, 'lang')) || '', dir: (root && getAttr(root, 'dir')) || '', env: env(),
      page_id: PAGE_ID,
    });
    return { head: `${head.slice(0, -1)},"n":[`, parts };
  }

  /**
   * The snapshot's text is head + parts joined by commas + "]}". Cut into
   * pieces of at most PART_CHARS (never inside a surrogate pair), one at a
   * time as they are sent.
   */
  function* pieces({ head, parts }) {
    let cur = head;
    for (let i = 0; i < parts.length; i++) {
      cur += (i ? ',' : '') + parts[i];
      while (cur.length > PART_CHARS) {
        let cut = PART_CHARS;
        const c = cur.charCodeAt(cut - 1);
        if (c >= 0xd800 && c < 0xdc00) cut--;
        yield cur.slice(0, cut);
        cur = cur.slice(cut);
      }
    }
    yield `${cur}]}`;
  }

  /** Send a snapshot; resolves to the background's reply to the scan. */
  let scanSeq = 0;
  async function sendSnapshot(snap) {
    let chars = snap.head.length + 2;
    for (const p of snap.parts) chars += p.length + 1;
    if (chars <= PART_CHARS) return api.runtime.sendMessage({ type: 'scan', snapshot: pieces(snap).next().value });
    // Parts one message (and one task) at a time; the background puts them
    // together (in order, bounded) and drops a scan's parts once another starts.
    const scan = ++scanSeq;
    let index = 0;
    for (const part of pieces(snap)) {
      const ok = await api.runtime.sendMessage({ type: 'scanPart', scan, index, part });
      if (!ok || ok.ok !== true) return null;
      index++;
    }
    return api.runtime.sendMessage({ type: 'scan', parts: { scan, count: index } });
  }

  // ---- applying plans ----
  const marked = new Map(); // Element → Set(attr)
  const widgets = new Map(); // key → { host, sig }
  // The widget a pointer is pressed in (a trusted press): its new rendering waits
  // for the release. Replacing it between press and release would lose the click
  // (down and up on two different nodes): "Cancel" on the progress card of a run,
  // which renders anew with each device removed, most of all.
  let pressed = null;
  addEventListener('pointerdown', (ev) => {
    if (!ev.isTrusted) return;
    const path = ev.composedPath();
    for (const [, e] of widgets) if (path.includes(e.host)) pressed = e.host;
  }, true);
  const released = () => {
    if (!pressed) return;
    pressed = null;
    setTimeout(() => schedule(NOW), 0); // (after the click this release makes)
  };
  addEventListener('pointerup', released, true);
  addEventListener('pointercancel', released, true);
  let plan = null;
  let brand = ''; // from the background's reply (its chrome.i18n), for W.render

  const isOurs = (n) => n && nodeType(n) === 1 && hasAttr(n, UI_ATTR);
  /** Is `host` in the run of our hosts that starts at `from` (several widgets may share one anchor)? */
  function inRun(from, step, host) {
    for (let n = from; isOurs(n); n = step(n)) if (n === host) return true;
    return false;
  }

  function placeHost(host, anchor, place) {
    if (place === 'after' && anchor === docBody(document)) {
      // after <body>: into our dock at the bottom of the window (widgets.js)
      const d = W.dock(brand);
      if (parentNode(host) === d) return false;
      appendTo(d, host);
      return true;
    }
    const ok =
      (place === 'before' && inRun(previousSibling(anchor), previousSibling, host)) ||
      (place === 'after' && inRun(nextSibling(anchor), nextSibling, host)) ||
      (place === 'prepend' && inRun(firstChild(anchor), nextSibling, host)) ||
      (place === 'append' && parentNode(host) === anchor);
    if (ok) return false;
    if (place === 'before') insertBefore(anchor, host);
    else if (place === 'after') insertAfter(anchor, host);
    else if (place === 'prepend') prependTo(anchor, host);
    else appendTo(anchor, host);
    return true;
  }

  /** Make the page match plan `p`; returns whether anything on it changed. */
  function apply(p) {
    plan = p;
    let changes = 0;
    const want = new Map();
    const mark = (el, attr, value) => {
      if (getAttr(el, attr) !== value) {
        setAttr(el, attr, value);
        changes++;
      }
      if (!want.has(el)) want.set(el, new Set());
      want.get(el).add(attr);
    };
    // A display: contents row has no box to draw its bar on: the bar goes on its first
    // cell too (marks.css draws it on any element but a <tr>). One computed style per
    // list (the rows' parent), read before the list's first bar is set.
    const boxless = new Map(); // list → its rows are display: contents
    for (const m of p.marks) {
      const el = byId.get(m.id);
      if (!el || nodeType(el) !== 1) continue;
      if (m.attr === BAR_ATTR) {
        const list = parentNode(el);
        let contents = boxless.get(list);
        if (contents === undefined) {
          contents = isContents(el);
          boxless.set(list, contents);
        }
        const cell = contents ? firstElementChild(el) : null;
        if (cell) mark(cell, BAR_ATTR, m.value);
      }
      mark(el, m.attr, m.value);
    }
    for (const [el, attrs] of marked) {
      const keep = want.get(el);
      for (const a of attrs) {
        if (!keep || !keep.has(a)) {
          removeAttr(el, a);
          changes++;
        }
      }
    }
    marked.clear();
    for (const [el, attrs] of want) marked.set(el, attrs);

    const live = new Set();
    for (const w of p.widgets) {
      const anchor = byId.get(w.anchor);
      if (!anchor || nodeType(anchor) !== 1 || !isConnected(anchor)) continue;
      live.add(w.key);
      const sig = JSON.stringify(w) + p.dir + brand;
      let entry = widgets.get(w.key);
      const held = entry && entry.host === pressed && entry.host.isConnected;
      if (!held && (!entry || entry.sig !== sig || !entry.host.isConnected)) {
        if (entry) entry.host.remove();
        const host = W.render(w, p.dir, onButton, brand);
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
    watchLists();
    for (const step of p.steps || []) runStep(step);
    return changes > 0;
  }

  function runStep(step) {
    if (step.op === 'click') {
      const el = byId.get(step.id);
      if (el && isConnected(el) && nodeType(el) === 1 && el instanceof HTMLElement) clickEl(el);
    } else if (step.op === 'rescan') {
      setTimeout(() => schedule(NOW), Math.min(step.ms, 10000));
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
      W.toast(`Session Guard: ${e && e.message ? e.message : e}`);
      return;
    }
    handleReply(res);
  }

  /** Returns whether a plan in the reply changed the page. */
  function handleReply(res) {
    if (!res) return false;
    if (typeof res.plan === 'string') {
      // a scan's plan comes as JSON text (thousands of marks cross faster as one string)
      try {
        res = Object.assign({}, res, { plan: JSON.parse(res.plan) });
      } catch (_) {
        return false;
      }
    }
    if (typeof res.textDir === 'string') W.setTextLanguage(res.textDir, res.textLang);
    if (res.error) {
      W.toast(res.error);
      return false;
    }
    if (res.toast) W.toast(res.toast);
    if (typeof res.brand === 'string') brand = res.brand.slice(0, 100);
    const changed = res.plan ? apply(res.plan) : false; // a scan: the whole desired state
    if (Array.isArray(res.steps)) for (const s of res.steps) runStep(s); // an action's steps
    if (res.rescan) schedule(NOW);
    if (res.plan && !res.plan.watch) stopObserving();
    return changed;
  }

  // ---- scanning: observe cheaply, work on the next frame ----
  // A page that keeps mutating without changing anything for us (tickers,
  // clocks: changes less than QUIET_MS after the last scan) is scanned less and
  // less often, up to 1 s apart (2 s once the lists are marked), and the page-wide
  // observer stops recording while a scan is scheduled. Changes in or around
  // the lists we marked are watched on their own and scanned as promptly as
  // ever; an asked-for rescan (action, popup) never waits.
  // Once the lists are marked, text that changes in place elsewhere (a price, a
  // clock, a counter: character data, or text nodes swapped for text nodes)
  // waits TEXT_MS: it adds no list, row, dialog or button. The page-wide
  // observer keeps recording meanwhile, so an element that appears (a dialog, a
  // second list) is still scanned within the IDLE back-off.
  const NOW = 0; // asked for: next frame
  const PROMPT = 1; // the lists we marked changed: next frame after twice the last scan's cost
  const IDLE = 2; // somewhere else on the page: backed off while scans change nothing
  const TEXT = 3; // only text changed in place, outside the marked lists
  const QUIET_MS = 250; // a change after this long without one is scanned promptly (a dialog opening)
  const TEXT_MS = 10000;
  let dirty = false;
  let inFlight = false;
  let timer = 0;
  let timerDue = 0; // when the pending timer fires (performance.now())
  let pending = 0; // which schedule() the pending timer belongs to
  let pendingHow = NOW; // the kind of the pending timer's scan
  let queued = TEXT; // the most urgent schedule() seen during a scan in flight
  let lastCost = 0;
  let idleScans = 0; // scans in a row that changed nothing on the page
  let lastScanEnd = 0;
  let observer = null;
  let watcher = null; // on the lists we marked

  function relevant(node) {
    // Ignore our own hosts and their insides.
    for (let n = node; n; n = parentNode(n)) {
      const type = nodeType(n);
      if (type === 1 && hasAttr(n, UI_ATTR)) return false;
      if (type === 11) return false; // inside a shadow root (ours)
    }
    return true;
  }

  /** Only text changed: character data, or a child list whose added and removed nodes are all text. */
  function textOnly(r) {
    if (r.type === 'characterData') return true;
    if (r.type !== 'childList') return false;
    for (const n of r.addedNodes) if (nodeType(n) !== 3) return false;
    for (const n of r.removedNodes) if (nodeType(n) !== 3) return false;
    return true;
  }

  /**
   * What these records change on the page, leaving out our own widgets: IDLE
   * (elements or attributes), TEXT (only text, in place) or 0 (nothing of the
   * page's). With `textKnown`, text-only records are not looked at further.
   */
  function pageChange(records, textKnown) {
    let change = 0;
    for (const r of records) {
      const text = textOnly(r);
      if (text && (textKnown || change)) continue;
      if (r.type === 'childList') {
        let ours = true;
        for (const n of r.addedNodes) if (!(nodeType(n) === 1 && hasAttr(n, UI_ATTR))) ours = false;
        for (const n of r.removedNodes) if (!(nodeType(n) === 1 && hasAttr(n, UI_ATTR))) ours = false;
        if (ours) continue;
      }
      if (!relevant(r.target)) continue;
      if (!text) return IDLE;
      change = TEXT;
    }
    return change;
  }

  function onMutations(records) {
    if (dirty && (inFlight ? queued : pendingHow) !== TEXT) return; // a scan that reads it all is coming
    const change = pageChange(records, dirty); // dirty here: a TEXT scan is coming, text is known
    if (!change) return;
    schedule(change === TEXT && !marked.size ? IDLE : change);
  }
  function onListMutations(records) {
    if (pageChange(records, false)) schedule(PROMPT);
  }

  function schedule(how) {
    dirty = true;
    if (inFlight) {
      queued = Math.min(queued, how);
      return;
    }
    if (performance.now() - lastScanEnd > QUIET_MS) idleScans = 0; // not a busy page (or no longer)
    const backoff = how === IDLE ? 2 << Math.min(2 * idleScans, 5) : 2; // 2×, 8×, 32×, 64× the last cost
    // Once the lists are marked (and watched on their own), changes elsewhere may wait up to 2 s.
    const cap = how === IDLE && marked.size ? 2000 : 1000;
    const wait = how === NOW ? 0 : how === TEXT ? TEXT_MS : Math.min(cap, Math.max(16, lastCost * backoff));
    const due = performance.now() + wait;
    if (timer) {
      if (due >= timerDue) return;
      clearTimeout(timer); // a more urgent scan does not wait out a back-off
    }
    const me = ++pending;
    timerDue = due;
    pendingHow = how;
    // A scan is coming and will read the DOM as it is then: stop recording
    // page-wide mutations until it starts (a busy page makes thousands a
    // second). A TEXT scan keeps recording elements that appear meanwhile, but
    // not character data: the browser then makes no record for a ticker's text.
    if (observer) {
      if (how !== TEXT) observer.disconnect();
      else observer.observe(docRoot(document), WATCHED_NO_TEXT);
    }
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
    queued = TEXT;
    const t0 = performance.now();
    try {
      const snap = await snapshot();
      if (!snap) return;
      const res = await sendSnapshot(snap);
      idleScans = handleReply(res) ? 0 : idleScans + 1;
    } catch (e) {
      // Extension reloaded or background unavailable: stay quiet, keep the page working.
      if (String(e).includes('Extension context invalidated')) stopObserving();
    } finally {
      lastScanEnd = performance.now();
      lastCost = lastScanEnd - t0;
      inFlight = false;
      if (dirty) schedule(queued);
    }
  }

  function startObserving() {
    if (observer) return;
    observer = new MutationObserver(onMutations);
    listen();
  }
  const WATCHED = {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['hidden', 'style', 'aria-selected', 'aria-current'],
  };
  const WATCHED_NO_TEXT = { ...WATCHED, characterData: false };
  function listen() {
    observer.observe(docRoot(document), WATCHED);
  }
  /** Watch the lists holding the rows we marked (two levels up: the table or list container). */
  function watchLists() {
    if (watcher) watcher.disconnect();
    if (!observer || !marked.size) return;
    if (!watcher) watcher = new MutationObserver(onListMutations);
    const seen = new Set();
    for (const el of marked.keys()) {
      const p = parentNode(el);
      if (!p || seen.has(p)) continue;
      seen.add(p);
      const area = parentNode(p) || p;
      if (nodeType(area) === 1) watcher.observe(area, WATCHED);
    }
  }
  function stopObserving() {
    if (observer) observer.disconnect();
    observer = null;
    if (watcher) watcher.disconnect();
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
      askHints();
      startObserving();
      schedule(NOW);
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
    if (msg.type === 'rescan') schedule(NOW);
  });

  checkPage();
})();
