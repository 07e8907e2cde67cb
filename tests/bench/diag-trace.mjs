// Diagnostic, not part of the bench: trace loads of the N-row security page
// (ROWS, default 5000; REPS, default 1) and print every task that runs
// extension code or is long, with what runs inside it. The trace of the last
// load goes to target/bench/trace.json (chrome://tracing, DevTools). EXT=dir: another build.
//   ROWS=50 node tests/bench/diag-trace.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, EXCHANGE } from '../e2e/lib.mjs';
import { securityPage, overrides, OUT } from './pages.mjs';
import { traced, mainThread, tasks } from './trace.mjs';

const n = Number(process.env.ROWS || 5000);
const reps = Number(process.env.REPS || 1);
const file = securityPage(n);
const b = await launchChromium(process.env.EXT ? { ext: process.env.EXT } : {});
try {
  for (let rep = 0; rep < reps; rep++) {
    b.state.overrides = overrides('/account/security', file);
    const page = await b.context.newPage();
    const cdp = await b.context.newCDPSession(page);
    const { events } = await traced(cdp, async () => {
      await page.goto(`${EXCHANGE}/account/security`, { timeout: 180000 });
      await page.waitForFunction((k) => window.__bench && window.__bench.marks >= k, n + 4, { timeout: 180000, polling: 50 });
      await new Promise((r) => setTimeout(r, n >= 5000 ? 1500 : 500));
    });
    writeFileSync(join(OUT, 'trace.json'), JSON.stringify(events));
    const p = mainThread(events);
    const on = events.filter((e) => e.pid === p.pid && e.tid === p.tid && e.ph === 'X').sort((a, c) => a.ts - c.ts);
    const parsed = on.find((e) => e.name === 'ParseHTML').ts;
    console.log(`--- load ${rep + 1}, ${n} rows`);
    let extTotal = 0;
    let renderAfter = 0;
    let all = 0;
    for (const t of tasks(events)) {
      all += t.dur;
      if (t.byExt && !t.ext) renderAfter += t.dur;
      if (!t.ext && t.dur < 30) continue;
      if (t.ext) extTotal += t.dur;
      const inside = on.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur * 1000 && e.name !== 'RunTask');
      const by = {};
      for (const e of inside) {
        if (!/^(EvaluateScript|FunctionCall|v8.compile|UpdateLayoutTree|Layout|PrePaint|Paint|RunMicrotasks|ParseHTML|MajorGC|MinorGC|FireAnimationFrame|TimerFire)$/.test(e.name)) continue;
        by[e.name] = (by[e.name] || 0) + e.dur / 1000;
      }
      const parts = Object.entries(by).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      console.log(`${t.ext ? 'EXT ' : '    '}${t.dur.toFixed(1).padStart(6)} ms at ${((t.ts - parsed) / 1000).toFixed(0).padStart(5)}: ${parts}`);
    }
    console.log(`extension tasks: ${extTotal.toFixed(1)} ms; render-only tasks after the first: ${renderAfter.toFixed(1)} ms; all tasks ${all.toFixed(1)} ms`);
    await page.close();
  }
} finally {
  await b.close();
}
