// Reproducible packages: the same source gives byte-identical zips, wherever and
// however often it is built, and nothing of the build machine ends up inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync, statSync, symlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, DIST, BROWSERS, sha256, zipName, zipEntries, requireBuild, isGitCheckout, version } from './util.mjs';

const EPOCH = Number(process.env.SOURCE_DATE_EPOCH || 1767225600);
const STAMP = (() => { const d = new Date(EPOCH * 1000); return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds() & ~1]; })();
const notGit = !isGitCheckout() && 'not a git checkout (source-zip lists files with git ls-files)';

function filesUnder(dir) {
  const out = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk(join(d, e.name)) : out.push(relative(dir, join(d, e.name)))); };
  walk(dir);
  return out.sort();
}

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26, ...opts }).toString();
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${e.status}):\n${String(e.stdout).slice(-3000)}\n${String(e.stderr).slice(-3000)}`);
  }
}

function withTemp(prefix, fn) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('packing twice gives byte-identical zips, equal to the ones in dist/', () => {
  requireBuild();
  withTemp('sg-pack-', (tmp) => {
    for (const n of ['a', 'b']) run('./build.sh', ['assemble', join(tmp, n)]);
    for (const b of BROWSERS) {
      const a = sha256(join(tmp, 'a', zipName(b)));
      assert.equal(sha256(join(tmp, 'b', zipName(b))), a, `${b}: second pack differs`);
      assert.equal(sha256(join(DIST, zipName(b))), a, `${b}: dist/${zipName(b)} is not what the sources pack to (stale dist? run ./build.sh)`);
    }
  });
});

test('zips: every shipped file, sorted, fixed timestamp and mode, deflated', () => {
  requireBuild();
  for (const b of BROWSERS) {
    const entries = zipEntries(join(DIST, zipName(b)));
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, filesUnder(join(DIST, b)), `${b}: the zip holds exactly dist/${b}`);
    assert.deepEqual(names, [...names].sort(), `${b}: entries sorted`);
    for (const e of entries) {
      assert.deepEqual(e.date_time, STAMP, `${b}/${e.name}: timestamp is SOURCE_DATE_EPOCH`);
      assert.equal(e.mode, 0o644, `${b}/${e.name}: mode 644`);
      assert.equal(e.compress_type, 8, `${b}/${e.name}: deflated`);
    }
    assert.ok(names.includes('core/session_guard_bg.wasm') && names.includes('manifest.json'));
    assert.ok(!names.some((n) => n.endsWith('.svg') || n.startsWith('.') || n.includes('/.')), `${b}: no sources or dot files`);
  }
});

test('no host paths in the shipped files (wasm, JS, everything)', () => {
  requireBuild();
  const needles = ['/root/', '/home/', '.cargo/registry', '.rustup/', realpathSync(ROOT), ROOT, homedir() + '/'].filter((n) => n.length > 2);
  for (const b of BROWSERS) {
    for (const f of filesUnder(join(DIST, b))) {
      const text = readFileSync(join(DIST, b, f)).toString('latin1');
      for (const n of new Set(needles)) assert.ok(!text.includes(n), `${b}/${f} contains the host path "${n}"`);
    }
  }
  // and the remapped names are what build.sh promises
  const wasm = readFileSync(join(DIST, 'chrome', 'core', 'session_guard_bg.wasm')).toString('latin1');
  assert.match(wasm, /\/crates\/[a-z0-9_-]+-\d+\.\d+\.\d+\/src\//, 'crates.io sources remapped to /crates');
});

test('source-zip: every file under version control and nothing else, build.sh runnable, reproducible', { skip: notGit }, () => {
  const file = join(DIST, `session-guard-${version()}-source.zip`);
  run('./build.sh', ['source-zip']);
  const first = sha256(file);
  run('./build.sh', ['source-zip']);
  assert.equal(sha256(file), first, 'second source archive differs');
  const tracked = run('git', ['ls-files', '-z']).split('\0').filter((f) => f && statSync(join(ROOT, f), { throwIfNoEntry: false })?.isFile()).sort();
  const entries = zipEntries(file);
  assert.deepEqual(entries.map((e) => e.name), tracked);
  for (const need of ['BUILDING.md', 'build.sh', 'Cargo.lock', 'package-lock.json', 'manifest.json', 'crate/Cargo.toml', 'tools/pack.py', 'tools/derive-manifest.mjs']) {
    assert.ok(entries.some((e) => e.name === need), `${need} in the source archive`);
  }
  assert.equal(entries.find((e) => e.name === 'build.sh').mode, 0o755, 'build.sh stays executable');
  assert.ok(!entries.some((e) => /^(dist|target|node_modules)\//.test(e.name)), 'no build output or npm code');
});

test('Cargo.lock and package-lock.json are complete: the build resolves offline and locked', () => {
  run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline', '--no-deps']);
  run('cargo', ['tree', '--locked', '--offline', '-q', '--target', 'wasm32-unknown-unknown', '-p', 'session-guard', '-e', 'normal']);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(lock.packages[''].devDependencies, pkg.devDependencies, 'package-lock.json matches package.json');
  assert.ok(lock.packages['node_modules/binaryen']?.integrity, 'wasm-opt (binaryen) pinned with an integrity hash');
});

// The expensive one (about 1–2 minutes on 2 cores): unpack the source archive in another
// directory, build it there offline with an empty Cargo target directory, compare.
test('a clean build of the source archive elsewhere, offline, gives byte-identical zips', { skip: notGit }, () => {
  requireBuild();
  const src = join(DIST, `session-guard-${version()}-source.zip`);
  run('./build.sh', ['source-zip']);
  withTemp('sg-rebuild-', (tmp) => {
    const dir = join(tmp, 'elsewhere');
    run('unzip', ['-q', src, '-d', dir]);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules')); // npm tools only; build.sh never reinstalls through a link
    const env = { ...process.env, CARGO_NET_OFFLINE: 'true' };
    delete env.CARGO_TARGET_DIR;
    let log;
    try {
      log = run('./build.sh', [], { cwd: dir, env });
    } finally {
      if (log) writeFileSync(join(tmp, 'build.log'), log);
    }
    for (const b of BROWSERS) {
      assert.equal(sha256(join(dir, 'dist', zipName(b))), sha256(join(DIST, zipName(b))),
        `${b}: rebuilt zip differs (untracked files in extension/? stale dist? host paths in the wasm?)`);
    }
  });
});
