// addons.mozilla.org's linter (web-ext lint, offline) on the built Firefox extension:
// 0 errors, 0 warnings, 0 notices. An entry in ALLOWED needs a reason a reviewer accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, DIST, requireBuild } from './util.mjs';

/** {code, file, reason}: messages we accept. Empty: every message is a failure. */
const ALLOWED = [];

function lint(dir) {
  let out;
  try {
    out = execFileSync(join(ROOT, 'node_modules', '.bin', 'web-ext'), ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (!e.stdout || !e.stdout.length) throw new Error(`web-ext lint did not run (npm ci?): ${e.message}\n${e.stderr || ''}`);
    out = e.stdout; // exit 1 when there are errors; the JSON still says which
  }
  return JSON.parse(out.toString());
}

test('every allow-list entry names a code, a file and a reason', () => {
  for (const a of ALLOWED) assert.ok(a.code && a.file && a.reason && a.reason.length > 20, JSON.stringify(a));
});

test('web-ext lint dist/firefox: 0 errors, 0 warnings, 0 notices', () => {
  requireBuild();
  const r = lint(join(DIST, 'firefox'));
  const messages = [...r.errors, ...r.warnings, ...r.notices];
  const unexpected = messages.filter((m) => !ALLOWED.some((a) => a.code === m.code && a.file === m.file));
  assert.deepEqual(unexpected.map((m) => `${m._type} ${m.code} ${m.file || ''}: ${m.message}`), []);
  assert.equal(r.summary.errors, 0);
  assert.equal(r.metadata.id, 'session-guard@session-guard.dev');
  assert.equal(r.metadata.manifestVersion, 3);
});
