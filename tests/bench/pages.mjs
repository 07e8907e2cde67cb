// Benchmark pages: the English security replica with N Recent Logins rows,
// generated into target/bench/pages/ and served at the real URL through the
// e2e harness's route overrides. Static (no replica.js): the rows are in the
// markup, so "page load → all rows marked" measures the extension, not the
// replica's simulated XHR delay.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES, ROOT } from '../e2e/lib.mjs';

export const OUT = join(ROOT, 'target', 'bench');
export const PAGES = join(OUT, 'pages');
const HERE = join(ROOT, 'tests', 'bench');

const AREAS = ['Singapore', 'Lagos', 'Frankfurt', 'Tokyo', 'Hong Kong', 'Amsterdam', 'São Paulo', 'Toronto'];
const DEVICES = [
  ['kucoin web', 'Linux Firefox'], ['iphone app', 'iOS 17.5 iPhone'], ['kucoin web', 'Windows 10 Chrome'],
  ['android app', 'Android 14 KuCoin App'], ['kucoin web', 'macOS Firefox'], ['kucoin web', 'macOS Safari'],
  ['kucoin web', 'Windows 11 Edge'], ['android app', 'Android 13 KuCoin App'],
];
const STATUS = { Current: 'css-0huylpk', Online: 'css-01n8gow', Offline: 'css-1rjuu1i' };
const START = Date.UTC(2025, 6, 14, 9, 21, 37);
const pad = (n) => String(n).padStart(2, '0');
const when = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

/**
 * Row i of a generated Recent Logins list: distinct IP (198.18.0.0/15, the benchmarking range) and time.
 * `hostile`: the device names an attacker's clients choose, every other one "No data" (KuCoin's
 * empty-list text) and every fourth a date-time (a row with two), the shapes that were once
 * quadratic in the core.
 */
function row(i, hostile = false) {
  const cell = (inner) => `<td class="KuxTable-cell css-0nthq5q">${inner}</td>`;
  let icon, device, status;
  if (i === 0) {
    [icon, device, status] = ['kucoin web', 'Linux Chrome', 'Current'];
  } else {
    [icon, device] = DEVICES[i % DEVICES.length];
    status = i < 3 ? 'Online' : 'Offline';
    if (hostile && i % 2 === 0) device = i % 4 === 0 ? when(START - i * 1000) : 'No data';
  }
  const ip = `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
  const area = AREAS[i % AREAS.length];
  const t = START - i * 37 * 60 * 1000 - (i % 60) * 1000;
  const key = (0x6874cc217ce15398 + i * 7919).toString(16).padStart(24, '0').slice(-24);
  return `<tr class="KuxTable-row css-0jxnag4" data-row-key="${key}">${cell(`${area}(${ip})`)}` +
    `${cell(`<span class="css-0niqyd2 icon" data-icon="${icon}"></span>${device}`)}${cell(when(t))}` +
    `${cell(`<span class="${STATUS[status]}">${status}</span>`)}</tr>`;
}

/** The replica with `n` login rows; returns the file name written under PAGES. */
export function securityPage(n, { hostile = false } = {}) {
  let html = readFileSync(join(FIXTURES, 'security-en.html'), 'utf8');
  html = html.replace(/<script src="\/_replica\/replica\.js" defer><\/script>\n/, '')
    .replace(/<meta name="replica" content="[^"]*">\n/, '')
    .replace('</title>', '</title>\n<script src="/_bench/probe.js"></script>\n<script src="/_bench/baseline.js" defer></script>');
  const open = '<tbody class="KuxTable-tbody css-1yf51zv">';
  const a = html.indexOf(open) + open.length;
  const b = html.indexOf('</tbody>', a);
  if (a < open.length || b < 0) throw new Error('security-en.html: Recent Logins tbody not found');
  const rows = Array.from({ length: n }, (_, i) => row(i, hostile)).join('\n');
  // An unrelated live node for the mutation storm (a price ticker outside the lists).
  html = html.slice(0, a) + '\n' + rows + html.slice(b).replace('</body>', '<div id="bench-ticker" class="css-ticker"><span>0</span></div>\n</body>');
  if (!html.includes('/_bench/probe.js')) throw new Error('probe not inserted');
  mkdirSync(PAGES, { recursive: true });
  const name = `security-${hostile ? 'hostile-' : ''}${n}.html`;
  writeFileSync(join(PAGES, name), html);
  return name;
}

/** /markets with the probe (non-security page). */
export function marketsPage() {
  let html = readFileSync(join(FIXTURES, 'markets.html'), 'utf8');
  html = html.replace('</title>', '</title>\n<script src="/_bench/probe.js"></script>\n<script src="/_bench/baseline.js" defer></script>');
  mkdirSync(PAGES, { recursive: true });
  writeFileSync(join(PAGES, 'markets.html'), html);
  return 'markets.html';
}

/** Route overrides for the harness: paths → files relative to the fixtures dir. */
export function overrides(path, pageFile) {
  const rel = (f) => relative(FIXTURES, f);
  return {
    [path]: rel(join(PAGES, pageFile)),
    '/_bench/probe.js': rel(join(HERE, 'page', 'probe.js')),
    '/_bench/baseline.js': rel(join(HERE, 'page', 'baseline.js')),
  };
}
