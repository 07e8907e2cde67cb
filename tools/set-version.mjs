// Set the release version. manifest.json is the source; the crate (crate/Cargo.toml and
// its Cargo.lock entry) must carry the same version, and CHANGELOG.md gets a heading for it.
//
//   node tools/set-version.mjs 0.2.0 [--root DIR]
//
// `./build.sh` refuses to build when manifest.json and crate/Cargo.toml disagree, and
// tests/release/version.test.mjs fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const version = args[0];
const rootAt = args.indexOf('--root');
const ROOT = rootAt >= 0 ? args[rootAt + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
// Chrome and Firefox both accept 1–4 dot-separated integers; keep to semver's three.
if (!/^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/.test(version || '')) {
  console.error('usage: node tools/set-version.mjs X.Y.Z [--root DIR]');
  process.exit(2);
}

function edit(rel, pattern, replacement) {
  const path = join(ROOT, rel);
  const text = readFileSync(path, 'utf8');
  if (!pattern.test(text)) throw new Error(`${rel}: no version found (${pattern})`);
  writeFileSync(path, text.replace(pattern, replacement));
}

edit('manifest.json', /^(\s*"version":\s*")[^"]*(")/m, `$1${version}$2`);
edit('crate/Cargo.toml', /^(\[package\][^[]*?\nversion = ")[^"]*(")/m, `$1${version}$2`);
edit('Cargo.lock', /^(name = "session-guard"\nversion = ")[^"]*(")/m, `$1${version}$2`);
const changelog = join(ROOT, 'CHANGELOG.md');
const log = readFileSync(changelog, 'utf8');
if (!new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm').test(log)) {
  writeFileSync(changelog, log.replace(/^## /m, `## ${version} — unreleased\n\n- \n\n## `));
}
console.log(`version ${version}: manifest.json, crate/Cargo.toml, Cargo.lock, CHANGELOG.md`);
