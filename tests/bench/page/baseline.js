// The same-run baseline: what a plain page script pays to walk the same DOM
// and read every row's text (runs deferred, right after parsing).
(() => {
  'use strict';
  const t0 = performance.now();
  let nodes = 0;
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = w.currentNode; n; n = w.nextNode()) nodes++;
  let rows = 0;
  let chars = 0;
  for (const tr of document.querySelectorAll('tr')) {
    rows++;
    chars += tr.textContent.length;
  }
  window.__bench.baseline = { start: t0, end: performance.now(), nodes, rows, chars };
})();
