// Diagnostic, not part of the bench: compare extension builds on the N-row
// security page (ROWS, default 50; REPS, default 8), loads interleaved and
// traced. For each build, the medians of the page main thread's task time from
// the start of parsing, split into script / style / layout / paint / other
// (trace.mjs breakdown). Builds are named A..F; `none` is a browser without
// any extension (the difference to it is what a build adds).
//   A=none B=dist/chrome C=/tmp/variant node tests/bench/ab-trace.mjs
import { launchChromium, EXCHANGE } from '../e2e/lib.mjs';
import { securityPage, overrides } from './pages.mjs';
import { traced, breakdown, BREAKDOWN_KINDS } from './trace.mjs';

const n = Number(process.env.ROWS || 50);
const reps = Number(process.env.REPS || 8);
const file = securityPage(n);
const names = Object.keys(process.env).filter((k) => /^[A-F]$/.test(k)).sort();
if (!names.length) throw new Error('name the builds to compare: A=dir B=dir … (none: no extension)');
const browsers = {};
const res = {};
try {
  for (const k of names) {
    browsers[k] = await launchChromium({ ext: process.env[k] === 'none' ? null : process.env[k] });
    res[k] = [];
  }
  for (let rep = 0; rep < reps; rep++) {
    for (const k of (rep % 2 ? [...names].reverse() : names)) {
      const b = browsers[k];
      b.state.overrides = overrides('/account/security', file);
      const page = await b.context.newPage();
      const cdp = await b.context.newCDPSession(page);
      const marks = process.env[k] === 'none' ? 0 : n + 4;
      const { events } = await traced(cdp, async () => {
        await page.goto(`${EXCHANGE}/account/security`, { timeout: 180000 });
        await page.waitForFunction((m) => window.__bench && window.__bench.baseline && window.__bench.marks >= m, marks, { timeout: 180000, polling: 50 });
        await new Promise((r) => setTimeout(r, 500));
      });
      const r = breakdown(events);
      if (r) res[k].push(r);
      await page.close();
    }
  }
} finally {
  for (const b of Object.values(browsers)) await b.close();
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
for (const k of names) {
  const line = ['total', ...BREAKDOWN_KINDS].map((f) => `${f} ${med(res[k].map((r) => r[f])).toFixed(1)}`).join(', ');
  console.log(`${k} (${process.env[k]}), ms, medians of ${res[k].length}: ${line}`);
}
