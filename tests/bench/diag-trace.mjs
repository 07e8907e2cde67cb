// Diagnostic, not part of the bench: trace loads of the N-row security page
// (ROWS, default 5000; REPS, default 1) and print every task that runs
// extension code or is long, with what runs inside it. The trace of the last
// load goes to target/bench/trace.json (chrome://tracing, DevTools). EXT=dir: another build.
//   ROWS=50 node tests/bench/diag-trace.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, EXCHANGE } from '../e2e/lib.mjs';
import { securityPage, overrides, OUT } from './pages.mjs';

const n = Number(process.env.ROWS || 5000);
const reps = Number(process.env.REPS || 1);
const file = securityPage(n);
const CATS = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];
const b = await launchChromium(process.env.EXT ? { ext: process.env.EXT } : {});
try {
  for (let rep = 0; rep < reps; rep++) {
    b.state.overrides = overrides('/account/security', file);
    const page = await b.context.newPage();
    const cdp = await b.context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => { for (const x of e.value) events.push(x); });
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATS } });
    await page.goto(`${EXCHANGE}/account/security`, { timeout: 180000 });
    await page.waitForFunction((k) => window.__bench && window.__bench.marks >= k, n + 4, { timeout: 180000, polling: 50 });
    await new Promise((r) => setTimeout(r, n >= 5000 ? 1500 : 500));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync(join(OUT, 'trace.json'), JSON.stringify(events));
    const p = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.startsWith(EXCHANGE));
    const on = events.filter((e) => e.pid === p.pid && e.tid === p.tid && e.ph === 'X').sort((a, c) => a.ts - c.ts);
    // extension stack samples
    const prof = events.find((e) => e.name === 'Profile' && e.pid === p.pid && e.tid === p.tid);
    const samples = [];
    if (prof) {
      const parent = new Map();
      const ours = new Map();
      let t = prof.args.data.startTime;
      for (const c of events.filter((e) => e.name === 'ProfileChunk' && e.pid === p.pid && e.id === prof.id).sort((a, c2) => a.ts - c2.ts)) {
        const cp = c.args.data.cpuProfile || {};
        for (const nd of cp.nodes || []) { parent.set(nd.id, nd.parent); ours.set(nd.id, String(nd.callFrame?.url || '').startsWith('chrome-extension://')); }
        (cp.samples || []).forEach((s, i) => {
          t += (c.args.data.timeDeltas || [])[i] || 0;
          for (let x = s, k = 0; x !== undefined && k < 2000; x = parent.get(x), k++) if (ours.get(x)) { samples.push(t); break; }
        });
      }
    }
    console.log(`--- load ${rep + 1}, ${n} rows`);
    let extTotal = 0;
    let renderAfter = 0;
    let all = 0;
    let extSeen = false;
    for (const t of on.filter((e) => e.name === 'RunTask')) {
      all += t.dur / 1000;
      const inside = on.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
      const ext = inside.some((e) => String((e.args?.data || e.args?.beginData || {}).url || '').startsWith('chrome-extension://'))
        || samples.some((s) => s >= t.ts && s <= t.ts + t.dur);
      if (ext) extSeen = true;
      const script = inside.some((e) => /^(EvaluateScript|FunctionCall|TimerFire|FireAnimationFrame|RunMicrotasks|v8.compile)$/.test(e.name));
      const render = inside.some((e) => /^(UpdateLayoutTree|Layout|PrePaint|Paint)$/.test(e.name));
      if (!ext && extSeen && render && !script) renderAfter += t.dur / 1000;
      if (!ext && t.dur < 30000) continue;
      if (ext) extTotal += t.dur / 1000;
      const by = {};
      for (const e of inside) {
        if (!/^(EvaluateScript|FunctionCall|v8.compile|UpdateLayoutTree|Layout|PrePaint|Paint|RunMicrotasks|ParseHTML|MajorGC|MinorGC|FireAnimationFrame|TimerFire)$/.test(e.name)) continue;
        by[e.name] = (by[e.name] || 0) + e.dur / 1000;
      }
      const parts = Object.entries(by).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      console.log(`${ext ? 'EXT ' : '    '}${(t.dur / 1000).toFixed(1).padStart(6)} ms at ${((t.ts - p.ts) / 1000).toFixed(0).padStart(5)}: ${parts}`);
    }
    console.log(`extension tasks: ${extTotal.toFixed(1)} ms; render-only tasks after the first: ${renderAfter.toFixed(1)} ms; all tasks ${all.toFixed(1)} ms`);
    await page.close();
  }
} finally {
  await b.close();
}
