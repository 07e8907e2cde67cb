// Trace helpers for the bench (run.mjs) and its diagnostics (diag-trace.mjs,
// ab-trace.mjs): record a DevTools trace around a page load, find the page's
// main thread, tell the extension's tasks apart, and split main-thread time
// into script / style / layout / paint / other.
import { EXCHANGE } from '../e2e/lib.mjs';

// v8.cpu_profiler: JS stack samples, so work resumed from a promise (a microtask
// checkpoint carries no script URL in the trace) is still seen as ours.
export const TRACE_CATS = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

export async function traced(cdp, fn) {
  const events = [];
  const onData = (e) => { for (const x of e.value) events.push(x); };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: TRACE_CATS } });
  let result;
  try {
    result = await fn();
  } finally {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', onData);
  }
  return { events, result };
}

export const isExtUrl = (e) => {
  const d = (e.args && (e.args.data || e.args.beginData)) || {};
  return typeof d.url === 'string' && d.url.startsWith('chrome-extension://');
};
const RENDER = new Set(['Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'RecalculateStyles']);
const SCRIPT = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'v8.compile', 'v8.evaluateModule']);

/** The page's renderer main thread: where the document was parsed. */
export function mainThread(events) {
  const p = events.find((e) => e.name === 'ParseHTML' && e.args && e.args.beginData && String(e.args.beginData.url).startsWith(EXCHANGE));
  return p ? { pid: p.pid, tid: p.tid } : null;
}

/**
 * Times (µs, trace clock) of the main thread's JS stack samples that have an
 * extension frame anywhere on the stack (V8's sampling profiler, ~0.2 ms apart).
 */
export function extSamples(events, mt) {
  const prof = events.find((e) => e.name === 'Profile' && e.pid === mt.pid && e.tid === mt.tid);
  if (!prof) return [];
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === mt.pid && e.id === prof.id).sort((a, b) => a.ts - b.ts);
  const parent = new Map();
  const ours = new Map();
  let t = prof.args.data.startTime;
  const out = [];
  for (const c of chunks) {
    const cp = c.args.data.cpuProfile || {};
    for (const n of cp.nodes || []) {
      parent.set(n.id, n.parent);
      ours.set(n.id, typeof (n.callFrame && n.callFrame.url) === 'string' && n.callFrame.url.startsWith('chrome-extension://'));
    }
    const deltas = c.args.data.timeDeltas || [];
    (cp.samples || []).forEach((s, i) => {
      t += deltas[i] || 0;
      for (let x = s, k = 0; x !== undefined && k < 2000; x = parent.get(x), k++) {
        if (ours.get(x)) {
          out.push(t);
          break;
        }
      }
    });
  }
  return out;
}

/**
 * Top-level tasks on the page's main thread, each classified: `ext` when it
 * runs extension code (an event with a chrome-extension:// URL inside, or a JS
 * stack sample with an extension frame: promise continuations, e.g. the walk
 * resuming after a yield or a reply being applied, carry no URL), `render`
 * when it only does style/layout/paint. Render-only tasks after the first
 * extension task are the extension's too: the bench pages are static, nothing
 * else changes the DOM after load.
 */
export function tasks(events) {
  const mt = mainThread(events);
  if (!mt) return null;
  const samples = extSamples(events, mt);
  const on = events.filter((e) => e.pid === mt.pid && e.tid === mt.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const top = on.filter((e) => e.name === 'RunTask');
  const out = [];
  let j = 0;
  let extSeen = false;
  for (const t of top) {
    const end = t.ts + t.dur;
    while (j < on.length && on[j].ts < t.ts) j++;
    let ext = false;
    let script = false;
    let render = false;
    for (let k = j; k < on.length && on[k].ts <= end; k++) {
      const e = on[k];
      if (isExtUrl(e)) ext = true;
      if (SCRIPT.has(e.name)) script = true;
      if (RENDER.has(e.name)) render = true;
    }
    let lo = 0;
    let hi = samples.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (samples[mid] < t.ts) lo = mid + 1; else hi = mid; }
    if (lo < samples.length && samples[lo] <= end) ext = true; // an extension frame sampled inside
    if (ext) extSeen = true;
    out.push({ ts: t.ts, dur: t.dur / 1000, ext, byExt: ext || (extSeen && render && !script), render, script });
  }
  return out;
}

export const BREAKDOWN_KINDS = ['script', 'style', 'layout', 'paint', 'other'];
const KIND = [
  ['script', new Set([...SCRIPT, 'v8.run'])],
  ['style', new Set(['UpdateLayoutTree', 'RecalculateStyles', 'ParseAuthorStyleSheet'])],
  ['layout', new Set(['Layout'])],
  ['paint', new Set(['PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'Commit'])],
];
const kindOf = (e) => (KIND.find(([, names]) => names.has(e.name)) || [])[0];

/**
 * The page main thread's task time from the start of parsing, in ms, split by
 * what ran: an event of a kind inside another counts once, for the outer one
 * (a layout forced by script is script); what no such event covers is "other"
 * (parsing, GC outside script, IPC, the scheduler).
 */
export function breakdown(events) {
  const mt = mainThread(events);
  if (!mt) return null;
  const start = events.find((e) => e.name === 'ParseHTML' && e.pid === mt.pid && e.tid === mt.tid).ts;
  const on = events.filter((e) => e.pid === mt.pid && e.tid === mt.tid && e.ph === 'X' && e.ts + e.dur >= start).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const out = { total: 0, script: 0, style: 0, layout: 0, paint: 0, other: 0 };
  let taskEnd = -1;
  let kindEnd = -1;
  let covered = 0;
  let task = null;
  const close = () => {
    if (task) out.other += Math.max(0, task.dur / 1000 - covered);
  };
  for (const e of on) {
    if (e.name === 'RunTask' && e.ts >= taskEnd) {
      close();
      task = e;
      taskEnd = e.ts + e.dur;
      kindEnd = -1;
      covered = 0;
      out.total += e.dur / 1000;
      continue;
    }
    if (!task || e.ts >= taskEnd || e.ts < kindEnd) continue;
    const k = kindOf(e);
    if (!k) continue;
    out[k] += e.dur / 1000;
    covered += e.dur / 1000;
    kindEnd = e.ts + e.dur;
  }
  close();
  return out;
}
