// Session Guard widgets: the closed set of things the content script may add
// to a page (summary, reason, banner, action, progress, result, plus our own
// confirm dialog, prompt and toast). Each lives in an open shadow root under a
// host element carrying data-session-guard-ui. Every string is set with
// textContent: page text (device names, areas) is hostile.
(() => {
  'use strict';
  // Own properties only: a page element with id="SessionGuardWidgets" shows
  // up on window as a named property and must not stop us.
  if (Object.prototype.hasOwnProperty.call(globalThis, 'SessionGuardWidgets')) return;

  // The page can clobber document members with named elements
  // (<img name="createElement">); use the prototypes' own members.
  const D = Document.prototype;
  const docRootGetter = Object.getOwnPropertyDescriptor(D, 'documentElement').get;
  const fullscreenGetter = (Object.getOwnPropertyDescriptor(D, 'fullscreenElement') || {}).get;
  const createElement = Function.prototype.call.bind(D.createElement);
  const createEl = (tag) => createElement(document, tag);
  const docRoot = () => Reflect.apply(docRootGetter, document, []);
  const fromPoint = (x, y) => Reflect.apply(D.elementFromPoint, document, [x, y]);
  const pageTopLayer = () => {
    const found = Array.from(Reflect.apply(D.querySelectorAll, document, [':modal, :popover-open']));
    const fs = fullscreenGetter ? Reflect.apply(fullscreenGetter, document, []) : null;
    if (fs) found.push(fs);
    return found;
  };

  const CSS = `
:host { all: initial; display: block; }
:host([data-inline]) { display: block; margin-top: 4px; }
/* The dock (a child of <html>, after <body>) sticks to the bottom of the window while the page scrolls, and at the
   end of the page sits below it: scrolled down, nothing of the page stays under it. */
:host([data-session-guard-ui="dock"]) { position: sticky; bottom: 0; z-index: 2147483646; max-height: 40vh;
  overflow: auto; box-shadow: 0 -2px 8px rgba(0,0,0,.2); }
* { box-sizing: border-box; }
.w { all: initial; display: block; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1b1b1f; background: #f5f7fa; border: 1px solid #c8ced8; border-inline-start: 4px solid #5c6b80;
  border-radius: 6px; padding: 6px 10px; margin: 6px 0; unicode-bidi: isolate; max-width: 100%;
  overflow-wrap: anywhere; }
.w[data-tone="ok"] { border-inline-start-color: #2e7d32; background: #f1f8f2; }
.w[data-tone="info"] { border-inline-start-color: #1565c0; background: #f0f5fc; }
.w[data-tone="warn"] { border-inline-start-color: #b26a00; background: #fff8e6; }
.w[data-tone="danger"] { border-inline-start-color: #c62828; background: #fdeeee; }
.title { font-weight: 700; margin-inline-end: 6px; }
.text, .item { unicode-bidi: isolate; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; }
ul { margin: 4px 0 0; padding-inline-start: 18px; }
.row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
button { all: initial; font: inherit; font-size: 12px; font-weight: 600; cursor: pointer; border-radius: 4px;
  padding: 3px 10px; border: 1px solid #5c6b80; background: #fff; color: #1b1b1f;
  box-sizing: border-box; min-width: 24px; min-height: 24px; overflow-wrap: anywhere; text-align: center; }
button:focus-visible { outline: 2px solid #1565c0; outline-offset: 2px; }
button.primary { background: #1565c0; border-color: #1565c0; color: #fff; }
button.danger { background: #c62828; border-color: #c62828; color: #fff; }
button:disabled { cursor: default; background: #e4e7ec; border-color: #c8ced8; color: #4a5568; }
input { font: inherit; padding: 3px 6px; border: 1px solid #5c6b80; border-radius: 4px; color: #1b1b1f; background: #fff;
  flex: 1 1 12em; width: 100%; min-width: 0; max-width: 100%; }
.brand { font-size: 11px; color: #4a5568; margin-inline-end: 6px; }
dialog.dialog { font: 14px/1.45 system-ui, sans-serif; background: #fff; color: #1b1b1f; border: 0; border-radius: 8px;
  padding: 18px 20px; max-width: 460px; width: calc(100% - 32px); box-shadow: 0 8px 32px rgba(0,0,0,.35);
  visibility: visible; opacity: 1; filter: none; transform: none; unicode-bidi: isolate; }
dialog.dialog::backdrop { background: rgba(0,0,0,.45); }
.dialog h2 { font-size: 16px; margin: 0 0 8px; }
.dialog ol { margin: 8px 0; padding-inline-start: 20px; }
.toast { position: fixed; inset: auto; inset-block-end: 16px; inset-inline-end: 16px; margin: 0; z-index: 2147483647;
  background: #1b1b1f; color: #fff; border: 0; padding: 8px 12px; border-radius: 6px; font: 13px/1.4 system-ui, sans-serif;
  max-width: 420px; unicode-bidi: isolate; }
@media (prefers-color-scheme: dark) {
  .w { color: #e8eaed; background: #22262d; border-color: #3c4350; }
  .w[data-tone="ok"] { background: #1d2a20; } .w[data-tone="info"] { background: #1c2533; }
  .w[data-tone="warn"] { background: #2d2616; } .w[data-tone="danger"] { background: #331d1d; }
  button { background: #2b3038; color: #e8eaed; border-color: #8793a6; }
  .brand { color: #aab4c3; }
  .dialog { background: #22262d; color: #e8eaed; }
  input { background: #2b3038; color: #e8eaed; }
}`;

  let sheet = null;
  let sheetRules = 0;
  /** Style a shadow root; returns what to check later: our sheet, or our <style>. */
  function style(root) {
    try {
      if (!sheet) {
        const s = new CSSStyleSheet();
        s.replaceSync(CSS);
        sheetRules = s.cssRules.length;
        sheet = s;
      }
      root.adoptedStyleSheets = [sheet];
      return { sheet };
    } catch (_) {
      const s = createEl('style');
      s.textContent = CSS;
      root.append(s);
      return { element: s };
    }
  }
  /** Is this root still styled only by us? (open shadow roots can be restyled by the page) */
  function ownStyle(root, how) {
    if (how.sheet) {
      const sheets = root.adoptedStyleSheets;
      return sheets.length === 1 && sheets[0] === how.sheet && how.sheet.cssRules.length === sheetRules;
    }
    return root.adoptedStyleSheets.length === 0 && how.element.isConnected && how.element.textContent === CSS
      && root.querySelectorAll('style, link').length === 1;
  }

  const MAX_SHOWN = 300; // characters shown inline; the full text goes to the tooltip
  // A real extension API object, never a page element named "browser";
  // looked up on the first message asked for (most pages ask for none: the
  // background sends our name with each plan).
  let api;
  /** A UI string from _locales (English fallback if the lookup fails). */
  function msg(key, fallback, subs) {
    if (api === undefined) {
      api = ['browser', 'chrome'].map((k) => globalThis[k])
        .find((v) => v && typeof v === 'object' && v.i18n && typeof v.i18n.getMessage === 'function') || null;
    }
    let m = '';
    try { m = api.i18n.getMessage(key); } catch (_) { /* extension reloaded */ }
    m = m || fallback;
    return subs ? m.replace(/\{(\d)\}/g, (_, n) => (subs[Number(n)] ?? '')) : m;
  }

  // Our sentences are in the UI language: they read in its direction even
  // where the card is laid out right to left for an RTL page (English in an
  // Arabic page keeps its "?" and "." at the end). The text sits in a <bdi>
  // of that direction inside its element, so the element itself (its margins,
  // its place in the row) still follows the card, and a page string inside
  // the sentence cannot reorder the rest.
  let textDir = 'ltr';
  let textLang = '';
  /** The direction and language tag of our texts (the background's `_locales` file in use). */
  function setTextLanguage(dir, lang) {
    textDir = dir === 'rtl' ? 'rtl' : 'ltr';
    textLang = typeof lang === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/.test(lang) ? lang : '';
  }

  function el(tag, cls, text) {
    const e = createEl(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) {
      const t = createEl('bdi');
      t.dir = textDir;
      if (textLang) t.lang = textLang;
      e.append(t);
      setText(t, String(text), e);
    }
    return e;
  }
  function setText(e, text, tip) {
    if (text.length > MAX_SHOWN) {
      e.textContent = Array.from(text).slice(0, MAX_SHOWN).join('') + '…';
      tip.title = text.length > 100000 ? text.slice(0, 100000) : text;
    } else {
      e.textContent = text;
    }
  }

  function host(kind, dir) {
    const h = createEl(kind === 'reason' ? 'span' : 'div');
    h.setAttribute('data-session-guard-ui', kind);
    if (kind === 'reason') h.setAttribute('data-inline', '');
    const root = h.attachShadow({ mode: 'open' });
    const styled = style(root);
    return { h, root, styled, dir: dir === 'rtl' ? 'rtl' : 'ltr' };
  }

  function button(b, onButton, wrap) {
    const btn = el('button', b.style, b.label);
    btn.type = 'button';
    if (b.aria_label) btn.setAttribute('aria-label', b.aria_label);
    btn.addEventListener('click', (ev) => {
      if (!ev.isTrusted) return;
      if (b.confirm) {
        confirmDialog(b.confirm, (ev2) => onButton(b, ev2));
      } else if (b.prompt) {
        promptInline(wrap, b, onButton);
      } else {
        onButton(b, ev);
      }
    });
    return btn;
  }

  function promptInline(wrap, b, onButton) {
    const row = el('div', 'row');
    const input = el('input');
    input.type = 'text';
    input.maxLength = 60;
    input.dir = 'auto'; // a name typed in Arabic reads right to left, in English left to right
    input.setAttribute('aria-label', b.prompt);
    input.placeholder = b.prompt;
    const ok = el('button', 'primary', msg('btn_save', 'Save'));
    ok.type = 'button';
    const go = (ev) => {
      if (!ev.isTrusted) return;
      onButton(b, ev, { label: input.value.slice(0, 60) });
    };
    ok.addEventListener('click', go);
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(ev); });
    row.append(input, ok);
    wrap.box.append(row);
    input.focus();
  }

  /** Render a plan widget; returns the host element. `brand`: our name as the background's chrome.i18n gave it. */
  function render(w, dir, onButton, brand) {
    const wrap = host(w.kind, dir);
    const box = el('div', 'w');
    box.dir = wrap.dir;
    box.dataset.tone = w.tone;
    box.dataset.kind = w.kind;
    wrap.box = box;
    if (w.kind === 'summary' || w.kind === 'banner' || w.kind === 'action' || w.kind === 'result' || w.kind === 'progress') {
      box.setAttribute('role', w.kind === 'progress' ? 'status' : 'region');
      box.setAttribute('aria-label', `Session Guard: ${w.title}`);
      box.append(el('span', 'brand', typeof brand === 'string' && brand ? brand : msg('brand', 'Session Guard')));
    }
    if (w.title) box.append(el('span', 'title', w.title));
    // A running step's buttons (Cancel, Retry) come right under its title: the
    // text and the list below grow with each step, and must not move Cancel
    // out from under the pointer.
    const row = w.buttons && w.buttons.length ? el('div', 'row') : null;
    if (row) for (const b of w.buttons) row.append(button(b, onButton, wrap));
    if (row && w.kind === 'progress') box.append(row);
    if (w.text) box.append(el('span', 'text', w.text));
    if (w.items && w.items.length) {
      const ul = el('ul');
      for (const it of w.items) ul.append(el('li', 'item', it));
      box.append(ul);
    }
    if (row && w.kind !== 'progress') box.append(row);
    wrap.root.append(box);
    if (w.host_attr) wrap.h.setAttribute(w.host_attr[0], w.host_attr[1]);
    // A start the user asked for elsewhere (toolbar popup): show our
    // confirmation right away; Confirm still needs a trusted click.
    const open = (w.buttons || []).find((b) => b.open && b.confirm);
    if (open) {
      setTimeout(() => {
        if (wrap.h.isConnected && !Reflect.apply(D.querySelector, document, ['[data-session-guard-dialog]'])) {
          confirmDialog(open.confirm, (ev2) => onButton(open, ev2));
        }
      }, 0);
    }
    return wrap.h;
  }

  /**
   * Our own confirmation, a modal <dialog> in the top layer (page elements
   * cannot be stacked above it with z-index). The destructive callback runs
   * only on a trusted click, and only if the dialog is still ours, unchanged,
   * visible and on top: a page that hides, covers, restyles or rewrites it
   * cannot make the user confirm blindly; the user is told instead.
   */
  const ARM_MS = 500; // Confirm stays disabled this long (a double click must not confirm)
  const IO_V2 = typeof IntersectionObserverEntry === 'function' && 'isVisible' in IntersectionObserverEntry.prototype;

  // The dialog and the toast float above the page and hold only our texts:
  // they are laid out in the direction of those texts (cards in the page's rows
  // follow the page).
  function confirmDialog(c, onConfirm) {
    const wrap = host('dialog', textDir);
    wrap.h.setAttribute('data-session-guard-dialog', '');
    const d = el('dialog', 'dialog');
    d.dir = wrap.dir;
    d.setAttribute('role', 'alertdialog');
    const h2 = el('h2', '', c.title);
    h2.id = 'sg-title';
    d.setAttribute('aria-labelledby', 'sg-title');
    d.append(h2, el('p', 'text', c.text));
    if (c.steps && c.steps.length) {
      const ol = el('ol');
      for (const s of c.steps) ol.append(el('li', 'item', s));
      d.append(ol);
    }
    const row = el('div', 'row');
    const cancel = el('button', '', c.cancel_label || msg('btn_cancel', 'Cancel'));
    const ok = el('button', 'danger', c.confirm_label || msg('btn_confirm', 'Confirm'));
    cancel.type = ok.type = 'button';
    ok.disabled = true; // armed once shown for ARM_MS and (Chromium) seen visible
    row.append(cancel, ok);
    d.append(row);
    wrap.root.append(d);
    docRoot().append(wrap.h);

    let done = false;
    let shownAt = Infinity;
    let visibleNow = !IO_V2;
    let seenVisible = !IO_V2;
    let armed = false;
    let observer = null;
    let io = null;
    const before = new Set(pageTopLayer());
    const close = () => {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      if (io) io.disconnect();
      try { if (d.open) d.close(); } catch (_) { /* gone */ }
      wrap.h.remove();
    };
    const abort = (problem) => {
      if (done) return;
      close();
      toast(msg('toast_not_continued', 'Session Guard did not continue: {0}', [problem]));
    };
    cancel.addEventListener('click', (ev) => { if (ev.isTrusted) close(); });
    d.addEventListener('cancel', () => close()); // Escape
    d.addEventListener('close', () => close());
    ok.addEventListener('click', (ev) => {
      if (!ev.isTrusted || done || !armed) return;
      const problem = tampered(wrap, d, ok, before, visibleNow);
      if (problem) {
        abort(problem);
        return;
      }
      close();
      onConfirm(ev);
    });

    try {
      d.showModal();
    } catch (_) {
      abort(msg('tamper_removed', 'the confirmation was removed by the page'));
      return wrap.h;
    }
    shownAt = performance.now();
    cancel.focus();
    // Any change to our dialog after this point is the page's doing (our
    // one change, enabling Confirm, is taken out of the records at once).
    observer = new MutationObserver(() => abort(msg('tamper_changed', 'the page changed the confirmation')));
    observer.observe(wrap.root, { subtree: true, childList: true, attributes: true, characterData: true });
    observer.observe(wrap.h, { attributes: true });
    const arm = () => {
      if (armed || done) return;
      // Timers may fire a little before performance.now() says ARM_MS passed
      // (Firefox coarsens both clocks differently): wait out the rest, or
      // Confirm would stay disabled for good.
      const rest = ARM_MS - (performance.now() - shownAt);
      if (rest > 0) {
        setTimeout(arm, Math.ceil(rest) + 1);
        return;
      }
      if (!seenVisible) return;
      armed = true;
      ok.disabled = false;
      observer.takeRecords();
    };
    setTimeout(arm, ARM_MS);
    if (IO_V2) {
      // Chromium computes real visibility (occlusion, opacity, filters, transforms).
      io = new IntersectionObserver((entries) => {
        for (const e of entries) {
          visibleNow = e.isVisible;
          if (visibleNow) {
            seenVisible = true;
            arm();
          } else if (seenVisible) abort(msg('tamper_covered', 'the confirmation was covered by the page'));
        }
      }, { trackVisibility: true, delay: 100 });
      io.observe(ok);
    }
    return wrap.h;
  }

  function tampered(wrap, d, ok, before, visibleNow) {
    const h = wrap.h;
    const hidden = msg('tamper_hidden', 'the confirmation was hidden by the page');
    const covered = msg('tamper_covered', 'the confirmation was covered by the page');
    if (!h.isConnected || !d.isConnected || !d.open) return msg('tamper_removed', 'the confirmation was removed by the page');
    if (!d.matches(':modal')) return msg('tamper_changed', 'the page changed the confirmation');
    // Our stylesheet, unchanged (the shadow root is open: the page could swap it).
    if (!ownStyle(wrap.root, wrap.styled)) return msg('tamper_changed', 'the page changed the confirmation');
    for (const cs of [getComputedStyle(h), getComputedStyle(d), getComputedStyle(ok)]) {
      if (cs.display === 'none' || cs.visibility !== 'visible' || Number(cs.opacity) < 0.9 || (cs.filter && cs.filter !== 'none')
        || cs.contentVisibility === 'hidden') return hidden;
    }
    if (typeof ok.checkVisibility === 'function'
      && !ok.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return hidden;
    const r = ok.getBoundingClientRect();
    if (r.width < 4 || r.height < 4 || r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) return hidden;
    // Page content put in the top layer after ours (popover, modal, fullscreen) sits above it.
    if (pageTopLayer().some((e) => !before.has(e))) return covered;
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (fromPoint(x, y) !== h) return covered;
    const inner = wrap.root.elementFromPoint(x, y);
    if (inner !== ok && !ok.contains(inner)) return covered;
    if (!visibleNow) return covered;
    return '';
  }

  /**
   * Our dock: at the bottom of the window (sticky), outside <body> (a child of
   * <html>), holding the cards the core places after <body> (next to a very
   * long list, where inserting into the page would restyle or relayout it).
   * The cards are its light-DOM children, shown through a <slot>.
   */
  let dockHost = null;
  function dock(brand) {
    if (dockHost && dockHost.isConnected) return dockHost;
    const wrap = host('dock', 'ltr');
    wrap.root.append(createEl('slot'));
    wrap.h.setAttribute('role', 'complementary');
    wrap.h.setAttribute('aria-label', typeof brand === 'string' && brand ? brand : msg('brand', 'Session Guard'));
    docRoot().append(wrap.h);
    dockHost = wrap.h;
    return dockHost;
  }

  let toastHost = null;
  function toast(text) {
    if (toastHost) toastHost.remove();
    const wrap = host('toast', textDir);
    const t = el('div', 'toast', text);
    t.dir = wrap.dir;
    t.setAttribute('role', 'status');
    wrap.root.append(t);
    docRoot().append(wrap.h);
    toastHost = wrap.h;
    // In the top layer, so page overlays (and our own modal dialog) do not hide it.
    try { t.popover = 'manual'; t.showPopover(); } catch (_) { t.removeAttribute('popover'); }
    setTimeout(() => { if (toastHost === wrap.h) { wrap.h.remove(); toastHost = null; } }, 6000);
  }

  Object.defineProperty(globalThis, 'SessionGuardWidgets', { value: Object.freeze({ render, confirmDialog, toast, msg, dock, setTextLanguage }) });
})();
