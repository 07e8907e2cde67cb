// One version: manifest.json is the source; crate/Cargo.toml, Cargo.lock and the newest
// CHANGELOG.md entry must carry the same one, and build.sh refuses to build otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readText, version } from './util.mjs';

const FILES = ['manifest.json', 'crate/Cargo.toml', 'Cargo.lock', 'CHANGELOG.md', 'build.sh'];

function versions(root) {
  const t = (f) => readFileSync(join(root, f), 'utf8');
  return {
    manifest: JSON.parse(t('manifest.json')).version,
    crate: t('crate/Cargo.toml').match(/^\[package\][^[]*?\nversion = "([^"]+)"/m)?.[1],
    lock: t('Cargo.lock').match(/^name = "session-guard"\nversion = "([^"]+)"/m)?.[1],
    changelog: t('CHANGELOG.md').match(/^## (\d+\.\d+\.\d+)\b/m)?.[1],
  };
}

function copy(dir) {
  for (const f of FILES) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
}

test('manifest.json, crate/Cargo.toml, Cargo.lock and CHANGELOG.md carry one version', () => {
  const v = versions(ROOT);
  assert.match(v.manifest, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(v, { manifest: v.manifest, crate: v.manifest, lock: v.manifest, changelog: v.manifest });
  assert.equal(version(), v.manifest);
});

test('build.sh refuses to build or archive when the crate version differs from manifest.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-version-'));
  try {
    copy(dir);
    const toml = join(dir, 'crate', 'Cargo.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace(/^version = "[^"]+"/m, 'version = "99.0.0"'));
    for (const cmd of [[], ['source-zip']]) {
      const r = spawnSync('bash', [join(dir, 'build.sh'), ...cmd], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(r.status, 0, `build.sh ${cmd.join(' ')} must fail`);
      assert.match(r.stderr, /version mismatch: manifest\.json \d+\.\d+\.\d+, crate\/Cargo\.toml 99\.0\.0/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tools/set-version.mjs sets every place at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-version-'));
  try {
    copy(dir);
    execFileSync('node', [join(ROOT, 'tools', 'set-version.mjs'), '7.8.9', '--root', dir]);
    assert.deepEqual(versions(dir), { manifest: '7.8.9', crate: '7.8.9', lock: '7.8.9', changelog: '7.8.9' });
    // nothing else in the files changed
    const before = readText('manifest.json');
    assert.equal(readFileSync(join(dir, 'manifest.json'), 'utf8'), before.replace(`"version": "${version()}"`, '"version": "7.8.9"'));
    assert.equal(spawnSync('node', [join(ROOT, 'tools', 'set-version.mjs'), '1.2', '--root', dir]).status, 2, 'rejects a malformed version');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
