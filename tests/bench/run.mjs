// ./build.sh bench — what Session Guard costs the page and how it scales.
//
// Every timing is a distribution from repeated, interleaved runs on this
// machine in this run (medians and p95), next to a same-run baseline: the same
// page in the same browser without the extension, where a plain page script
// walks the DOM and reads every row's text. Prints one table and writes
// target/bench/results.json (+ table.md, the lines BENCHMARKS.md records).
//
//   node tests/bench/run.mjs            full run (≈ 4–6 min on 2 busy cores)
//   BENCH_QUICK=1 node tests/bench/run.mjs   fewer repetitions (smoke test)
//   BENCH_ONLY=sizes,core node tests/bench/run.mjs   some sections only
//
// Sections: sizes, core (host + wasm throughput), verdict (time to verdict +
// main-thread time), longtasks (traced, 5,000 rows), breakdown (traced, where
// the added main-thread time goes, 50 rows), storm, memory, cold,
// other (non-security page).
import { readFileSync, writeFileSync, readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launchChromium, ROOT, EXCHANGE, CHROME_EXT } from '../e2e/lib.mjs';
import { OUT, PAGES, securityPage, marketsPage, overrides } from './pages.mjs';
import { traced, mainThread, tasks, isExtUrl, breakdown, BREAKDOWN_KINDS } from './trace.mjs';

const QUICK = !!process.env.BENCH_QUICK;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (s) => !ONLY || ONLY.has(s);
const SIZES = [5, 50, 500, 5000];
const REPS = QUICK ? { 5: 3, 50: 4, 500: 2, 5000: 1 } : { 5: 12, 50: 15, 500: 8, 5000: 4 };
const KB = 1000;

mkdirSync(OUT, { recursive: true });
const results = { when: new Date().toISOString(), quick: QUICK, machine: machine() };
const rows = []; // [section, metric, budget, measured, ok|null]
const T0 = Date.now();
const log = (...a) => console.error(`  · ${((Date.now() - T0) / 1000).toFixed(0).padStart(4)} s`, ...a);

// ------------------------------------------------------------------ helpers

function machine() {
  let cpu = '';
  try {
    cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || '';
  } catch (_) { /* not Linux */ }
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch (_) { /* not Linux */ }
  return { cpu, cores: (() => { try { return readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm).length; } catch (_) { return null; } })(), loadavg: load, node: process.version };
}

function dist(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN };
  const q = (p) => v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)];
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { n: v.length, median, p95: q(0.95), min: v[0], max: v[v.length - 1] };
}
const ms = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' ms' : 'n/a');
/** A difference with its sign ("+3.1 ms", "-4.47 ms"). */
const signed = (x) => (x >= 0 ? '+' : '') + ms(x);
const md = (d) => `${ms(d.median)} (p95 ${ms(d.p95)}, n=${d.n})`;
const kb = (b) => `${(b / KB).toFixed(1)} KB`;
const pct = (x) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : 'n/a');
const sleep = (t) => new Promise((r) => setTimeout(r, t));

function row(section, metric, budget, measured, ok = null) {
  rows.push([section, metric, budget, measured, ok]);
}

async function withTimeout(p, t, what) {
  let timer;
  const to = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timeout: ${what}`)), t); });
  try {
    return await Promise.race([p, to]);
  } finally {
    clearTimeout(timer);
  }
}

/** CPU time (ms) of a browser launched with `dir` as profile and all its child processes. */
function browserCpuMs(dir) {
  const procs = new Map();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(p), { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch (_) { /* exited */ }
  }
  const roots = [];
  for (const pid of procs.keys()) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(`--user-data-dir=${dir}`) && !cmd.includes('--type=')) roots.push(pid);
    } catch (_) { /* exited */ }
  }
  const keep = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) if (!keep.has(pid) && keep.has(p.ppid)) { keep.add(pid); grew = true; }
  }
  let ticks = 0;
  for (const pid of keep) ticks += procs.get(pid).cpu;
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function metrics(cdp) {
  return Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
}

/** A devtools session on the extension's service worker (through a page session; Playwright has none for workers). */
async function swSession(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.startsWith('chrome-extension://'));
  if (!t) return null;
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
  let id = 0;
  const pending = new Map();
  const onMsg = (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    if (pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
  };
  cdp.on('Target.receivedMessageFromTarget', onMsg);
  return {
    send: (method, params = {}) => withTimeout(new Promise((r) => {
      const i = ++id;
      pending.set(i, r);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) });
    }), 10000, method),
    async close() {
      cdp.off('Target.receivedMessageFromTarget', onMsg);
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}

function sw(b) {
  const all = b.context.serviceWorkers();
  return all[all.length - 1];
}
async function swStats(b) {
  return withTimeout(sw(b).evaluate(() => {
    const s = globalThis.sessionGuardDebug.stats;
    return { bootAt: s.bootAt, readyAt: s.readyAt, firstAnswerAt: s.firstAnswerAt, scans: s.scans, coreMs: s.coreMs, wasmBytes: s.wasm ? s.wasm.buffer.byteLength : 0, timeOrigin: performance.timeOrigin };
  }), 15000, 'sw stats');
}

/** Open `path` served from generated page `file`; resolves once `until` holds in the page. */
async function load(b, path, file, { until, perf = true, timeout = 180000 } = {}) {
  b.state.overrides = overrides(path, file);
  const page = await b.context.newPage();
  const cdp = await b.context.newCDPSession(page);
  if (perf) await cdp.send('Performance.enable');
  await page.goto(`${EXCHANGE}${path}`, { timeout });
  if (until) await page.waitForFunction(until.fn, until.arg, { timeout, polling: 20 });
  return { page, cdp };
}
const marked = (n) => ({ fn: (k) => window.__bench && window.__bench.marks >= k, arg: n });
const baselineDone = { fn: () => window.__bench && window.__bench.baseline, arg: null };

// ------------------------------------------------------------------ 1. sizes

/** `gzip -9n` size (as ./build.sh prints it); zlib level 9 where there is no gzip. */
function gzipLen(path, buf) {
  try {
    return execFileSync('gzip', ['-9nc', path], { maxBuffer: 1 << 26 }).length;
  } catch (_) {
    return gzipSync(buf, { level: 9 }).length;
  }
}

function sizes() {
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const buf = readFileSync(p);
        files.push({ file: relative(CHROME_EXT, p), raw: buf.length, gzip: gzipLen(p, buf) });
      }
    }
  };
  walk(CHROME_EXT);
  const sum = (pred, k) => files.filter(pred).reduce((s, f) => s + f[k], 0);
  const isWasm = (f) => f.file.endsWith('.wasm');
  const contexts = {
    page: ['widgets.js', 'content.js'],
    background: ['background.js', 'core/session_guard.js', 'core/session_guard_bg.wasm', 'core/labels.js'],
    popup: ['popup.html', 'popup.js', 'popup.css', 'core/session_guard.js', 'core/session_guard_bg.wasm'],
  };
  const ctx = Object.fromEntries(Object.entries(contexts).map(([k, list]) => [k, {
    files: list,
    raw: sum((f) => list.includes(f.file), 'raw'),
    gzip: sum((f) => list.includes(f.file), 'gzip'),
    wasmGzip: sum((f) => list.includes(f.file) && isWasm(f), 'gzip'),
  }]));
  const wasmGzip = sum(isWasm, 'gzip');
  const wasmRaw = sum(isWasm, 'raw');
  results.sizes = { files, contexts: ctx, wasm: { raw: wasmRaw, gzip: wasmGzip } };
  row('size', 'all wasm, gzip -9n', '≤ 60.0 KB', `${kb(wasmGzip)} (${kb(wasmRaw)} raw)`, wasmGzip <= 60 * KB);
  row('size', 'page context raw (content.js + widgets.js)', '≤ 150.0 KB', `${kb(ctx.page.raw)} (${kb(ctx.page.gzip)} gzip)`, ctx.page.raw <= 150 * KB);
  row('size', 'wasm per context, gzip', '—', `background ${kb(ctx.background.wasmGzip)}, popup ${kb(ctx.popup.wasmGzip)} (same file), page 0`, null);
  // Data the core is handed rather than compiling in (reported so nothing hides outside the wasm line).
  const labels = files.find((f) => f.file === 'core/labels.js');
  if (labels) row('size', 'label tables the background hands the core (core/labels.js)', '—', `${kb(labels.gzip)} gzip (${kb(labels.raw)} raw)`, null);
  row('size', 'background context, gzip (background.js, glue, wasm, labels)', '—', `${kb(ctx.background.gzip)} (${kb(ctx.background.raw)} raw)`, null);
}

// ------------------------------------------------------------------ 5. core throughput

function coreBench(pageFiles) {
  log('core: host (cargo run --profile bench-host --features cli --example bench_core)');
  execFileSync('cargo', ['build', '-q', '--profile', 'bench-host', '--features', 'cli', '--example', 'bench_core'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const out = execFileSync(join(ROOT, 'target', 'bench-host', 'examples', 'bench_core'),
    ['--out', OUT, '--ms', QUICK ? '150' : '500', ...pageFiles.map((f) => join(PAGES, f))], { cwd: ROOT, maxBuffer: 1 << 26 }).toString();
  const host = out.trim().split('\n').map((l) => JSON.parse(l));
  return host;
}

async function wasmBench(host) {
  log('core: wasm in Node (dist/chrome/core, initSync)');
  const core = await import(join(CHROME_EXT, 'core', 'session_guard.js'));
  core.initSync({ module: readFileSync(join(CHROME_EXT, 'core', 'session_guard_bg.wasm')) });
  // what background.js does once per instance (setUpCore)
  const tables = await import(join(CHROME_EXT, 'core', 'labels.js'));
  core.setLabels(tables.kucoin, tables.extra);
  const en = JSON.parse(readFileSync(join(CHROME_EXT, '_locales', 'en', 'messages.json'), 'utf8'));
  core.setMessages(Object.fromEntries(Object.entries(en).map(([k, v]) => [k, v.message])));
  const out = [];
  for (const h of host) {
    // As the service worker passes it: the content script's JSON text, and the sender's tab.
    const snap = readFileSync(join(OUT, `${h.page}.snapshot.json`), 'utf8');
    core.scan(snap, {}, 1752500000000, 1); // warm-up
    const t = [];
    const deadline = performance.now() + (QUICK ? 300 : 1500);
    while (t.length < 5 || (performance.now() < deadline && t.length < 500)) {
      const t0 = performance.now();
      core.scan(snap, {}, 1752500000000, 1);
      t.push(performance.now() - t0);
    }
    const d = dist(t);
    out.push({ page: h.page, rows: h.rows, scan_ms: d, scan_us_per_row: (d.median * 1000) / h.rows });
  }
  return out;
}

// ------------------------------------------------------------------ 2 + 3. time to verdict, main-thread time

/**
 * The floors: extensions with the same matches and run_at as ours (and a
 * service worker, so the harness launches them like ours).
 * - `empty`: an empty content script. What the browser itself charges a page
 *   for having a content script at all.
 * - `message`: a content script that sends one message of `chars` characters
 *   (the 50-row page's snapshot) to a worker that only answers, and waits for
 *   the answer. The least any design with the core in the worker pays (the
 *   page's CSP keeps wasm out of the content script: README, "Why the core
 *   runs in the background").
 */
function floorExtension(kind, chars = 0) {
  const dir = join(OUT, `floor-${kind}-ext`);
  mkdirSync(dir, { recursive: true });
  const ours = JSON.parse(readFileSync(join(CHROME_EXT, 'manifest.json'), 'utf8'));
  const cs = ours.content_scripts[0];
  const manifest = {
    manifest_version: 3, name: `${kind} floor`, version: '1.0.0',
    host_permissions: ours.host_permissions,
    background: { service_worker: 'sw.js' },
    content_scripts: [{ matches: cs.matches, js: ['cs.js'], run_at: cs.run_at, all_frames: cs.all_frames }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  if (kind === 'message') {
    writeFileSync(join(dir, 'cs.js'), `chrome.runtime.sendMessage({ type: 'scan', snapshot: 'x'.repeat(${chars}) }).then(() => {}, () => {});\n`);
    writeFileSync(join(dir, 'sw.js'), 'chrome.runtime.onMessage.addListener((m, _s, reply) => { reply({ ok: true, n: m.snapshot.length }); });\n');
  } else {
    writeFileSync(join(dir, 'cs.js'), '');
    writeFileSync(join(dir, 'sw.js'), '');
  }
  return dir;
}

/** Characters in the 50-row page's snapshot (bench_core writes it in the core section), or an estimate. */
function snapshotChars(file) {
  const f = join(OUT, `${file.replace(/\.html$/, '')}.snapshot.json`);
  return existsSync(f) ? readFileSync(f, 'utf8').length : 65536;
}

async function verdictRuns(ext, plain, files, floors = {}) {
  const res = {};
  for (const n of SIZES) res[n] = { ext: [], plain: [], floor: [], msgFloor: [] };
  const maxReps = Math.max(...Object.values(REPS));
  for (let rep = 0; rep < maxReps; rep++) {
    for (const n of SIZES) {
      if (rep >= REPS[n]) continue;
      const order = rep % 2 ? [['plain', plain], ['ext', ext]] : [['ext', ext], ['plain', plain]];
      // the floors on the 50-row page only, interleaved with the other two
      if (floors.empty && n === 50) order.splice(rep % 3, 0, ['floor', floors.empty]);
      if (floors.message && n === 50) order.splice((rep + 2) % (order.length + 1), 0, ['msgFloor', floors.message]);
      for (const [kind, b] of order) {
        const { page, cdp } = await load(b, '/account/security', files[n], { until: kind === 'ext' ? marked(n + 4) : baselineDone });
        // let the page settle (widgets laid out, late tasks done), the same for both
        await page.waitForFunction(() => window.__bench.baseline, null, { polling: 20 });
        await sleep(n >= 5000 ? 800 : 300);
        const m = await metrics(cdp);
        const B = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return { marksAt: __bench.marksAt, firstMarkAt: __bench.firstMarkAt, marks: __bench.marks, baseline: __bench.baseline, longtasks: __bench.longtasks, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
        });
        res[n][kind].push({ ...B, taskMs: m.TaskDuration * 1000, scriptMs: m.ScriptDuration * 1000, layoutMs: m.LayoutDuration * 1000, styleMs: m.RecalcStyleDuration * 1000 });
        await page.close();
      }
    }
    log(`verdict rep ${rep + 1}/${maxReps}`);
  }
  return res;
}

function summariseVerdict(res, wake) {
  const out = {};
  for (const n of SIZES) {
    const e = res[n].ext;
    const p = res[n].plain;
    out[n] = {
      verdict: dist(e.map((r) => r.marksAt)),
      baseline: dist(p.map((r) => r.baseline.end)),
      baselineInExtRun: dist(e.map((r) => r.baseline.end)),
      taskExt: dist(e.map((r) => r.taskMs)),
      taskPlain: dist(p.map((r) => r.taskMs)),
      taskFloor: dist(res[n].floor.map((r) => r.taskMs)),
      scriptFloor: dist(res[n].floor.map((r) => r.scriptMs)),
      taskMsgFloor: dist(res[n].msgFloor.map((r) => r.taskMs)),
      scriptExt: dist(e.map((r) => r.scriptMs)),
      scriptPlain: dist(p.map((r) => r.scriptMs)),
      layoutExt: dist(e.map((r) => r.layoutMs + r.styleMs)),
      layoutPlain: dist(p.map((r) => r.layoutMs + r.styleMs)),
      longtasksObservedExt: e.map((r) => r.longtasks),
      longtasksObservedPlain: p.map((r) => r.longtasks),
    };
    const o = out[n];
    o.ratio = o.verdict.median / o.baseline.median;
    // extension latency beyond the point where the page's own script could have read the rows
    o.added = dist(e.map((r) => r.marksAt - r.baseline.end));
  }
  for (const n of SIZES) {
    const o = out[n];
    const line = `${md(o.verdict)} vs baseline ${ms(o.baseline.median)} (p95 ${ms(o.baseline.p95)}) = ${o.ratio.toFixed(2)}×`;
    if (n === 50) {
      const budget = 1.5 * o.baseline.median + (wake || 0);
      row('verdict', `page load → all rows marked, ${n} rows`, `≤ 1.5 × baseline + 1 SW wake (${ms(budget)})`, line, o.verdict.median <= budget);
    } else {
      row('verdict', `page load → all rows marked, ${n} rows`, '—', line, null);
    }
  }
  // growth: cost per added row between sizes (extension part beyond the baseline)
  const per = (a, b) => (out[b].added.median - out[a].added.median) / (b - a);
  const slopes = { '5→50': per(5, 50), '50→500': per(50, 500), '500→5000': per(500, 5000) };
  out.slopesMsPerRow = slopes;
  const linear = slopes['500→5000'] <= 2 * Math.max(slopes['50→500'], 0.001);
  row('verdict', 'growth: added ms per extra row (ext − baseline)', 'linear (500→5000 slope ≤ 2× 50→500)',
    `${(slopes['50→500'] * 1000).toFixed(0)} µs/row (50→500), ${(slopes['500→5000'] * 1000).toFixed(0)} µs/row (500→5000)`, linear);
  const o50 = out[50];
  const added = o50.taskExt.median - o50.taskPlain.median;
  o50.addedTaskMs = added;
  o50.addedTaskPct = (100 * added) / o50.taskPlain.median;
  row('main thread', 'added main-thread time, 50 rows (TaskDuration with − without)', '≤ 10% of the page\'s own',
    `${signed(added)} on ${ms(o50.taskPlain.median)} = ${pct(o50.addedTaskPct)} (split by kind: "where the added time goes")`, o50.addedTaskPct <= 10);
  if (o50.taskFloor.n) {
    const fl = o50.taskFloor.median - o50.taskPlain.median;
    o50.floorTaskMs = fl;
    row('main thread', 'floor: an empty content script (same matches/run_at), 50 rows, TaskDuration with − without', '—',
      `${signed(fl)} on ${ms(o50.taskPlain.median)} = ${pct((100 * fl) / o50.taskPlain.median)} (n=${o50.taskFloor.n})`, null);
  }
  if (o50.taskMsgFloor.n) {
    const fl = o50.taskMsgFloor.median - o50.taskPlain.median;
    o50.msgFloorTaskMs = fl;
    row('main thread', 'floor: one message of the 50-row snapshot\'s size to the worker and its answer, nothing else, TaskDuration with − without', '—',
      `${signed(fl)} on ${ms(o50.taskPlain.median)} = ${pct((100 * fl) / o50.taskPlain.median)} (n=${o50.taskMsgFloor.n})`, null);
  }
  const o5k = out[5000];
  row('main thread', 'added main-thread time, 5,000 rows', '—', `${signed(o5k.taskExt.median - o5k.taskPlain.median)} on ${ms(o5k.taskPlain.median)}`, null);
  return out;
}

// ------------------------------------------------------------------ 3. long tasks (traced)

/**
 * `reps` traced loads of the n-row security page with (`ext`) and without
 * (`plain`) the extension, interleaved; each ends `settleMs` after the rows are
 * marked (the baseline read); `each(kind, events)` gets every load's trace.
 */
async function tracedLoads(ext, plain, file, n, reps, settleMs, each) {
  for (let rep = 0; rep < reps; rep++) {
    for (const [kind, b] of rep % 2 ? [['plain', plain], ['ext', ext]] : [['ext', ext], ['plain', plain]]) {
      b.state.overrides = overrides('/account/security', file);
      const page = await b.context.newPage();
      const cdp = await b.context.newCDPSession(page);
      const { events } = await traced(cdp, async () => {
        await page.goto(`${EXCHANGE}/account/security`, { timeout: 180000 });
        await page.waitForFunction(kind === 'ext' ? marked(n + 4).fn : baselineDone.fn, kind === 'ext' ? n + 4 : null, { timeout: 180000, polling: 50 });
        await sleep(settleMs);
      });
      each(kind, events);
      await page.close();
    }
    log(`traced loads ${rep + 1}/${reps}`);
  }
}

async function longtaskRuns(ext, plain, file, n) {
  const res = { ext: [], plain: [] };
  await tracedLoads(ext, plain, file, n, QUICK ? 1 : 3, 1500, (kind, events) => {
    const t = tasks(events) || [];
    const long = t.filter((x) => x.dur > 50);
    res[kind].push({
      long: long.map((x) => ({ ms: Math.round(x.dur), ext: x.ext, byExt: x.byExt })),
      byExt: long.filter((x) => x.byExt).map((x) => Math.round(x.dur)),
      extScriptMs: t.filter((x) => x.ext).reduce((s, x) => s + x.dur, 0),
      totalMs: t.reduce((s, x) => s + x.dur, 0),
    });
  });
  const counts = res.ext.map((r) => r.byExt.length);
  const worst = Math.max(0, ...res.ext.flatMap((r) => r.byExt));
  res.summary = { countPerLoad: dist(counts), worstMs: worst, plainByExt: res.plain.map((r) => r.byExt.length) };
  row('main thread', `long tasks (> 50 ms) caused by the extension, ${n} rows (traced)`, 'none',
    `${dist(counts).median} per load (longest ${worst} ms; traced loads run slower)`, dist(counts).median === 0);
  return res;
}

// ------------------------------------------------------------------ 4. mutation storm + memory

async function stormRuns(ext, plain, file) {
  const reps = QUICK ? 1 : 5;
  const seconds = 5;
  const res = { ext: [], plain: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const [kind, b] of rep % 2 ? [['plain', plain], ['ext', ext]] : [['ext', ext], ['plain', plain]]) {
      const { page, cdp } = await load(b, '/account/security', file, { until: kind === 'ext' ? marked(54) : baselineDone });
      await sleep(500);
      const s0 = kind === 'ext' ? await swStats(b) : null;
      const m0 = await metrics(cdp);
      const c0 = browserCpuMs(b.dir);
      await page.evaluate(() => __bench.countFrames(true));
      const storm = await page.evaluate(([r, t]) => __bench.storm(r, t), [10000, seconds * 1000]);
      const frames = await page.evaluate(() => __bench.countFrames(false));
      await sleep(200); // the last scan lands
      const c1 = browserCpuMs(b.dir);
      const m1 = await metrics(cdp);
      const s1 = kind === 'ext' ? await swStats(b) : null;
      res[kind].push({
        mutations: storm.mutations, elapsedMs: storm.elapsed, frames,
        scans: s1 ? s1.scans - s0.scans : 0, coreMs: s1 ? s1.coreMs - s0.coreMs : 0,
        taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000, cpuMs: c1 - c0,
      });
      await page.close();
    }
    log(`storm rep ${rep + 1}/${reps}`);
  }
  const e = res.ext;
  const p = res.plain;
  const perFrame = Math.max(...e.map((r) => r.scans / Math.max(1, r.frames)));
  const el = dist(e.map((r) => r.elapsedMs)).median;
  // paired: each rep ran both profiles back to back, so their difference sees the same machine load
  const addedCpu = (100 * dist(e.map((r, i) => r.cpuMs - p[i].cpuMs)).median) / el;
  const addedMain = (100 * dist(e.map((r, i) => r.taskMs - p[i].taskMs)).median) / el;
  res.summary = { perFrame, addedCpuPct: addedCpu, addedMainThreadPct: addedMain, mutationsPerSec: (1000 * dist(e.map((r) => r.mutations)).median) / el };
  row('storm', `rescans per frame, ${Math.round(res.summary.mutationsPerSec)} mutations/s for ${seconds} s`, '≤ 1',
    `${perFrame.toFixed(2)} (${e.map((r) => r.scans).join(', ')} scans in ${e.map((r) => r.frames).join(', ')} frames)`, perFrame <= 1);
  row('storm', 'added CPU during the storm (whole browser, with − without, paired median)', '≤ 5% of one core',
    `${pct(addedCpu)} (page main thread ${pct(addedMain)}; core in the worker ${ms(dist(e.map((r) => r.coreMs)).median)} per 5 s)`, addedCpu <= 5);
  return res;
}

async function memoryRun(ext, file) {
  const N = QUICK ? 200 : 1000;
  const { page, cdp } = await load(ext, '/account/security', file, { until: marked(54) });
  const ctl = await swSession(cdp);
  const snapshotMem = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const m = await metrics(cdp);
    let swHeap = null;
    if (ctl) {
      await ctl.send('HeapProfiler.collectGarbage');
      const r = await ctl.send('Runtime.getHeapUsage');
      swHeap = r.result ? r.result.usedSize : null;
    }
    const st = await swStats(ext);
    return { pageHeap: heap.usedSize, nodes: m.Nodes, listeners: m.JSEventListeners, swHeap, wasmBytes: st.wasmBytes, scans: st.scans };
  };
  // rescans driven from the service worker: ask the tab to rescan, wait for the scan, repeat
  const rescans = (k) => withTimeout(sw(ext).evaluate(async (count) => {
    const [tab] = await chrome.tabs.query({ url: 'https://www.kucoin.com/*' });
    const s = globalThis.sessionGuardDebug.stats;
    for (let i = 0; i < count; i++) {
      const before = s.scans;
      await chrome.tabs.sendMessage(tab.id, { type: 'rescan' }).catch(() => {});
      while (s.scans === before) await new Promise((r) => setTimeout(r, 2));
    }
    return s.scans;
  }, k), 600000, 'rescans');
  await rescans(QUICK ? 20 : 100); // warm-up: caches, JIT, allocator high-water mark
  const before = await snapshotMem();
  const t0 = performance.now();
  await rescans(N);
  const wall = performance.now() - t0;
  await sleep(300);
  const after = await snapshotMem();
  if (ctl) await ctl.close();
  await page.close();
  const growth = {
    pageHeap: after.pageHeap - before.pageHeap,
    swHeap: after.swHeap !== null && before.swHeap !== null ? after.swHeap - before.swHeap : null,
    wasm: after.wasmBytes - before.wasmBytes,
    nodes: after.nodes - before.nodes,
  };
  const res = { rescans: after.scans - before.scans, wallMs: wall, before, after, growth };
  const tol = 64 * 1024;
  const ok = growth.pageHeap <= tol && (growth.swHeap === null || growth.swHeap <= tol) && growth.wasm === 0 && growth.nodes <= 0;
  row('storm', `memory growth across ${res.rescans} rescans (after GC)`, 'none (≤ 64 KiB heap noise)',
    `page heap ${(growth.pageHeap / 1024).toFixed(1)} KiB, SW heap ${growth.swHeap === null ? 'n/a' : (growth.swHeap / 1024).toFixed(1) + ' KiB'}, wasm memory ${growth.wasm} B, DOM nodes ${growth.nodes}`, ok);
  return res;
}

// ------------------------------------------------------------------ 6. cold start

async function coldRuns(ext, file) {
  const reps = QUICK ? 3 : 10;
  const ctlPage = await ext.context.newPage();
  const ctl = await ext.context.newCDPSession(ctlPage);
  await ctl.send('ServiceWorker.enable');
  const stopSw = async () => {
    await ctl.send('ServiceWorker.stopAllWorkers');
    for (let i = 0; i < 200; i++) {
      const { targetInfos } = await ctl.send('Target.getTargets');
      if (!targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'))) return;
      await sleep(10);
    }
    throw new Error('service worker did not stop');
  };
  const res = { cold: [], warm: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of rep % 2 ? ['warm', 'cold'] : ['cold', 'warm']) {
      if (kind === 'cold') await stopSw();
      const { page } = await load(ext, '/account/security', file, { until: marked(54), perf: false });
      const B = await page.evaluate(() => ({ marksAt: __bench.marksAt, base: __bench.baseline.end, origin: performance.timeOrigin }));
      const st = await swStats(ext);
      res[kind].push({ marksAt: B.marksAt, swStartAfterNavMs: st.timeOrigin - B.origin, ...st });
      await page.close();
    }
  }
  await ctlPage.close();
  const cold = dist(res.cold.map((r) => r.marksAt));
  const warm = dist(res.warm.map((r) => r.marksAt));
  const penalty = dist(res.cold.map((r, i) => r.marksAt - (res.warm[i] ? res.warm[i].marksAt : warm.median)));
  res.summary = {
    cold, warm, penalty,
    boot: dist(res.cold.map((r) => r.bootAt)),
    instantiate: dist(res.cold.map((r) => r.readyAt - r.bootAt)),
    firstAnswer: dist(res.cold.map((r) => r.firstAnswerAt)),
  };
  const s = res.summary;
  row('cold start', 'SW wake + wasm instantiate + first answer (cold − warm time to verdict, 50 rows)', '—', md(penalty), null);
  row('cold start', 'inside the worker: start → module run / wasm ready / first answer', '—',
    `${ms(s.boot.median)} / +${ms(s.instantiate.median)} (p95 ${ms(s.instantiate.p95)}) / ${ms(s.firstAnswer.median)} (p95 ${ms(s.firstAnswer.p95)})`, null);
  return res;
}

/**
 * Where the added main-thread time goes on the 50-row page: traced loads with
 * and without the extension, interleaved, each split into script / style /
 * layout / paint / other from the start of parsing (trace.mjs breakdown).
 * DevTools' ScriptDuration (the verdict rows) does not count the content
 * script's isolated world; the trace does. Traced loads run slower.
 */
async function breakdownRuns(ext, plain, file, n) {
  const res = { ext: [], plain: [] };
  await tracedLoads(ext, plain, file, n, QUICK ? 2 : 8, 500, (kind, events) => {
    const r = breakdown(events);
    if (r) res[kind].push(r);
  });
  const added = {};
  for (const k of ['total', ...BREAKDOWN_KINDS]) added[k] = dist(res.ext.map((r) => r[k])).median - dist(res.plain.map((r) => r[k])).median;
  res.addedMs = added;
  row('main thread', `where the added time goes, ${n} rows (traced, with − without, medians)`, '—',
    `${signed(added.total)}: ${BREAKDOWN_KINDS.map((k) => `${k} ${signed(added[k])}`).join(', ')} (n=${res.ext.length})`, null);
  return res;
}

// ------------------------------------------------------------------ 7. non-security pages

async function otherPageRuns(ext, plain, file) {
  const reps = QUICK ? 1 : 3;
  const res = { ext: [], plain: [] };
  const s0 = await swStats(ext);
  for (let rep = 0; rep < reps; rep++) {
    for (const [kind, b] of rep % 2 ? [['plain', plain], ['ext', ext]] : [['ext', ext], ['plain', plain]]) {
      b.state.overrides = overrides('/markets', file);
      const page = await b.context.newPage();
      const cdp = await b.context.newCDPSession(page);
      const { events } = await traced(cdp, async () => {
        await page.goto(`${EXCHANGE}/markets`);
        await page.waitForFunction(baselineDone.fn, null, { polling: 50 });
        await sleep(2300); // two of the content script's 1 s URL polls
      });
      const t = tasks(events) || [];
      const mt = mainThread(events);
      const extEvents = mt ? events.filter((e) => e.pid === mt.pid && e.tid === mt.tid && e.ph === 'X' && isExtUrl(e)) : [];
      // outermost extension events only
      extEvents.sort((a, b) => a.ts - b.ts);
      let total = 0;
      let end = -1;
      const parts = {};
      for (const e of extEvents) {
        if (e.ts < end) continue;
        end = e.ts + e.dur;
        total += e.dur / 1000;
        const k = `${e.name} ${String(e.args.data.url).split('/').pop()}`;
        parts[k] = (parts[k] || 0) + e.dur / 1000;
      }
      res[kind].push({ extMs: total, parts, tasks: t.length });
      await page.close();
    }
  }
  const s1 = await swStats(ext);
  // the content script's URL check itself, timed in the page with the same regex
  const src = readFileSync(join(CHROME_EXT, 'content.js'), 'utf8');
  const re = (src.match(/const RELEVANT_PATH = (\/.*\/);/) || [])[1];
  let checkNs = NaN;
  if (re) {
    const { page } = await load(plain, '/markets', file, { until: baselineDone, perf: false });
    checkNs = await page.evaluate((reSrc) => {
      const body = reSrc.slice(1, reSrc.lastIndexOf('/'));
      const r = new RegExp(body);
      const paths = ['/markets', '/trade/BTC-USDT', '/account/security', '/ru/account/api', '/'];
      let hits = 0;
      const N = 200000;
      const t0 = performance.now();
      for (let i = 0; i < N; i++) if (r.test(paths[i % paths.length])) hits++;
      return ((performance.now() - t0) * 1e6) / N + (hits < 0 ? 1 : 0);
    }, re);
    await page.close();
  }
  const extMs = dist(res.ext.map((r) => r.extMs));
  res.summary = { scansOnOtherPages: s1.scans - s0.scans, droppedBefore: null, extMs, urlCheckNs: checkNs, parts: res.ext.map((r) => r.parts) };
  row('other pages', '/markets: messages to the core (scans)', '0', String(s1.scans - s0.scans), s1.scans - s0.scans === 0);
  row('other pages', '/markets: extension main-thread time (traced: load both scripts, URL check, 2 URL polls)', '—',
    `${md(extMs)}; the URL check itself ${Number.isFinite(checkNs) ? checkNs.toFixed(0) + ' ns' : 'n/a'}`, null);
  return res;
}

// ------------------------------------------------------------------ main

async function main() {
  const t0 = Date.now();
  const files = {};
  for (const n of SIZES) files[n] = securityPage(n);
  const markets = marketsPage();

  if (want('sizes')) sizes();
  if (want('core')) {
    const hostile = securityPage(5000, { hostile: true });
    const host = coreBench([...SIZES.map((n) => files[n]), hostile]);
    const wasm = await wasmBench(host);
    results.core = { host, wasm };
    const h = host.find((x) => x.page === files[5000].replace(/\.html$/, '')) || host[host.length - 1];
    const w = wasm.find((x) => x.page === h.page);
    row('core', `host: extraction + verdicts, ${h.rows} rows`, '—', `${h.extract_assess_us_per_row.toFixed(1)} µs/row (whole scan ${h.scan_us_per_row.toFixed(1)} µs/row)`, null);
    // Device names chosen by an attacker's clients ("No data", date-times): every row read
    // (none dropped), at the plain page's cost per row, on the host and in wasm.
    const hh = host.find((x) => x.page === hostile.replace(/\.html$/, ''));
    const hw = hh && wasm.find((x) => x.page === hh.page);
    if (hh && hw) {
      const [rh, rw] = [hh.scan_us_per_row / h.scan_us_per_row, hw.scan_us_per_row / w.scan_us_per_row];
      row('core', `whole scan, ${h.rows} rows, half the devices named "No data" or a date-time`, `all ${h.rows} read; linear (≤ 2× the plain page per row)`,
        `${hh.rows} read; host ${hh.scan_us_per_row.toFixed(1)} µs/row = ${rh.toFixed(2)}×, wasm ${hw.scan_us_per_row.toFixed(1)} µs/row = ${rw.toFixed(2)}×`,
        hh.rows === h.rows && rh <= 2 && rw <= 2);
    }
    row('core', `wasm (Node): whole scan incl. JS↔wasm conversion, ${w.rows} rows`, '—', `${w.scan_us_per_row.toFixed(1)} µs/row (${ms(w.scan_ms.median)})`, null);
    for (const x of host) log(`host ${x.page}: ${x.extract_assess_us_per_row.toFixed(1)} µs/row extract+assess, ${x.scan_us_per_row.toFixed(1)} µs/row scan`);
    for (const x of wasm) log(`wasm ${x.page}: ${x.scan_us_per_row.toFixed(1)} µs/row scan`);
  }
  const browserSections = ['verdict', 'longtasks', 'breakdown', 'storm', 'memory', 'cold', 'other'].filter(want);
  if (browserSections.length) {
    const ext = await launchChromium();
    const plain = await launchChromium({ ext: null });
    try {
      let wake = null;
      if (want('cold')) {
        log('cold start');
        results.cold = await coldRuns(ext, files[50]);
        wake = results.cold.summary.penalty.median;
      }
      if (want('verdict')) {
        log('time to verdict + main-thread time');
        const floor = await launchChromium({ ext: floorExtension('empty') });
        const msgFloor = await launchChromium({ ext: floorExtension('message', snapshotChars(files[50])) });
        let raw;
        try {
          raw = await verdictRuns(ext, plain, files, { empty: floor, message: msgFloor });
        } finally {
          await floor.close();
          await msgFloor.close();
        }
        results.verdict = summariseVerdict(raw, wake);
      }
      if (want('longtasks')) {
        log('long tasks (traced)');
        results.longtasks = await longtaskRuns(ext, plain, files[5000], 5000);
      }
      if (want('breakdown')) {
        log('main-thread breakdown (traced)');
        results.breakdown = await breakdownRuns(ext, plain, files[50], 50);
      }
      if (want('storm')) {
        log('mutation storm');
        results.storm = await stormRuns(ext, plain, files[50]);
      }
      if (want('memory')) {
        log('memory across rescans');
        results.memory = await memoryRun(ext, files[50]);
      }
      if (want('other')) {
        log('non-security page');
        results.other = await otherPageRuns(ext, plain, markets);
      }
    } finally {
      await ext.close();
      await plain.close();
    }
  }
  results.seconds = (Date.now() - t0) / 1000;
  results.table = rows.map(([section, metric, budget, measured, ok]) => ({ section, metric, budget, measured, ok }));
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 1));
  const mdTable = ['| | metric | budget | measured | ok |', '|---|---|---|---|---|',
    ...rows.map(([s, m, b, v, ok]) => `| ${s} | ${m} | ${b} | ${v} | ${ok === null ? '—' : ok ? 'ok' : '**no**'} |`)].join('\n');
  writeFileSync(join(OUT, 'table.md'), mdTable + '\n');
  print();
  console.log(`\n  machine: ${results.machine.cpu} × ${results.machine.cores}, load ${results.machine.loadavg}; ${results.seconds.toFixed(0)} s${QUICK ? ' (BENCH_QUICK)' : ''}`);
  console.log(`  results: ${relative(ROOT, join(OUT, 'results.json'))}, table: ${relative(ROOT, join(OUT, 'table.md'))}`);
}

function print() {
  const w = [12, 0, 0, 0];
  const cells = rows.map(([s, m, b, v, ok]) => [s, m, b, v, ok === null ? '—' : ok ? 'ok' : 'NO']);
  const width = (i) => Math.max(...cells.map((c) => c[i].length), ['', 'metric', 'budget', 'measured', 'ok'][i].length);
  for (let i = 0; i < 5; i++) w[i] = Math.min(width(i), [12, 60, 40, 90, 3][i]);
  const fmt = (c) => c.map((x, i) => (x.length > w[i] ? x : x.padEnd(w[i]))).join('  ');
  console.log('\nSession Guard benchmarks');
  console.log(fmt(['', 'metric', 'budget', 'measured', 'ok']));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const c of cells) console.log(fmt(c));
  if (results.sizes) {
    console.log('\nshipped files (dist/chrome)            raw       gzip');
    for (const f of results.sizes.files) console.log(`  ${f.file.padEnd(34)} ${String(f.raw).padStart(8)} ${String(f.gzip).padStart(9)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
