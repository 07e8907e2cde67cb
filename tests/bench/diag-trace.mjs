// Diagnostic (not part of the bench): trace one load of the 5,000-row page and
// print every task over 20 ms with what runs inside it.
import { writeFileSync } from 'node:fs';
import { launchChromium, EXCHANGE } from '../e2e/lib.mjs';
import { securityPage, overrides } from './pages.mjs';
const n = Number(process.env.ROWS || 5000);
const file = securityPage(n);
const b = await launchChromium();
try {
  b.state.overrides = overrides('/account/security', file);
  const page = await b.context.newPage();
  const cdp = await b.context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const x of e.value) events.push(x); });
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] } });
  await page.goto(`${EXCHANGE}/account/security`, { timeout: 180000 });
  await page.waitForFunction((k) => window.__bench && window.__bench.marks >= k, n + 4, { timeout: 180000, polling: 50 });
  await new Promise((r) => setTimeout(r, 1500));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  writeFileSync('/tmp/pc/trace.json', JSON.stringify(events));
  const p = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.startsWith(EXCHANGE));
  const on = events.filter((e) => e.pid === p.pid && e.tid === p.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  for (const t of on.filter((e) => e.name === 'RunTask' && e.dur > 20000)) {
    const inside = on.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.dur > 1000);
    console.log(`task ${(t.dur / 1000).toFixed(1)} ms at ${((t.ts - p.ts) / 1000).toFixed(0)}`);
    for (const e of inside.slice(0, 25)) {
      const d = e.args?.data || e.args?.beginData || {};
      console.log(`   ${e.name} ${(e.dur / 1000).toFixed(1)} ${d.url || d.functionName || d.type || ''}`);
    }
  }
} finally {
  await b.close();
}
