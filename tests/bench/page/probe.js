// Benchmark probe, a plain page script (loaded first in <head>, never part of
// the extension). Records when rows get marked, long tasks, frames, and runs
// the mutation storm. Read from Node with page.evaluate(() => window.__bench).
(() => {
  'use strict';
  const B = (window.__bench = { marks: 0, marksAt: 0, firstMarkAt: 0, longtasks: [], frames: 0, baseline: null });

  // Rows newly marked by the extension (attribute added, not re-set).
  new MutationObserver((records) => {
    let added = 0;
    for (const r of records) if (r.oldValue === null && r.target.hasAttribute('data-session-guard')) added++;
    if (!added) return;
    const now = performance.now();
    if (!B.marks) B.firstMarkAt = now;
    B.marks += added;
    B.marksAt = now;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-session-guard'], attributeOldValue: true });

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push([Math.round(e.startTime * 10) / 10, Math.round(e.duration * 10) / 10]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (_) {
    B.longtasks = null; // not supported
  }

  let counting = false;
  function frame() {
    if (!counting) return;
    B.frames++;
    requestAnimationFrame(frame);
  }
  B.countFrames = (on) => {
    if (on && !counting) {
      counting = true;
      B.frames = 0;
      requestAnimationFrame(frame);
    }
    if (!on) counting = false;
    return B.frames;
  };

  /** Mutate an unrelated node `rate` times a second for `ms`: text of a ticker, outside the lists. */
  B.storm = (rate, ms) =>
    new Promise((resolve) => {
      const box = document.getElementById('bench-ticker') || document.body.appendChild(document.createElement('div'));
      const span = box.querySelector('span') || box.appendChild(document.createElement('span'));
      const text = span.firstChild || span.appendChild(document.createTextNode('0'));
      const other = box.appendChild(document.createElement('b'));
      const t0 = performance.now();
      let done = 0;
      const timer = setInterval(() => {
        const el = performance.now() - t0;
        const due = Math.min(Math.floor((el * rate) / 1000), Math.floor((ms * rate) / 1000));
        while (done < due) {
          done++;
          // alternate character-data and child-list changes
          if (done & 1) text.data = String(done);
          else other.textContent = String(done);
        }
        if (el >= ms) {
          clearInterval(timer);
          resolve({ mutations: done, elapsed: performance.now() - t0 });
        }
      }, 4);
    });
})();
