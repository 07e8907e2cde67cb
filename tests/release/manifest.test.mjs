// manifest.json is the one source; the browser manifests are derived from it and
// compared with checked-in expectations (tests/release/expected/manifest.<browser>.json).
// After an intended manifest change: UPDATE_GOLDEN=1 node --test tests/release/manifest.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, DIST, EXPECTED, BROWSERS, readJson, readText, requireBuild, decodePng } from './util.mjs';

const derive = (browser, base = join(ROOT, 'manifest.json')) =>
  execFileSync('node', [join(ROOT, 'tools', 'derive-manifest.mjs'), browser, base]).toString();

for (const b of BROWSERS) {
  test(`derived ${b} manifest equals tests/release/expected/manifest.${b}.json`, () => {
    const got = derive(b);
    const file = join(EXPECTED, `manifest.${b}.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, got);
    assert.deepEqual(JSON.parse(got), JSON.parse(readFileSync(file, 'utf8')));
    assert.equal(got, readFileSync(file, 'utf8'), 'same bytes (formatting) too');
  });

  test(`dist/${b}/manifest.json is the derived manifest`, () => {
    requireBuild();
    assert.deepEqual(readJson('dist', b, 'manifest.json'), JSON.parse(readFileSync(join(EXPECTED, `manifest.${b}.json`), 'utf8')));
  });
}

test('name, version, description, icons and permissions come only from manifest.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-manifest-'));
  try {
    const base = readJson('manifest.json');
    const changed = {
      ...base,
      name: 'Other name', version: '9.8.7', description: 'Other description',
      icons: { 16: 'x-16.png', 128: 'x-128.png' },
      permissions: [...base.permissions, 'alarms'],
      host_permissions: ['https://example.org/*'],
    };
    const path = join(dir, 'manifest.json');
    writeFileSync(path, JSON.stringify(changed));
    for (const b of BROWSERS) {
      const m = JSON.parse(derive(b, path));
      for (const k of ['name', 'version', 'description', 'icons', 'permissions', 'host_permissions', 'action', 'content_scripts', 'default_locale', 'content_security_policy']) {
        assert.deepEqual(m[k], changed[k], `${b}: ${k} follows the base manifest`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('permissions stay minimal: storage and the exchange origin only, no <all_urls>', () => {
  for (const b of BROWSERS) {
    const m = JSON.parse(readFileSync(join(EXPECTED, `manifest.${b}.json`), 'utf8'));
    const text = JSON.stringify(m);
    assert.ok(!text.includes('<all_urls>') && !/"\*:\/\/\*\//.test(text), `${b}: no all-sites pattern`);
    for (const h of m.host_permissions) assert.equal(h, 'https://www.kucoin.com/*', `${b}: host permission ${h}`);
    for (const cs of m.content_scripts) for (const u of cs.matches) assert.equal(u, 'https://www.kucoin.com/*');
    assert.ok(!m.web_accessible_resources || m.web_accessible_resources.length === 0, `${b}: nothing web-accessible`);
    assert.ok(!('optional_permissions' in m) && !('optional_host_permissions' in m));
  }
});

test('README documents every permission and host permission, and no others', () => {
  const m = readJson('manifest.json');
  const readme = readText('README.md');
  const section = readme.slice(readme.indexOf('## Permissions'));
  const table = section.slice(0, section.indexOf('\n## ') > 0 ? section.indexOf('\n## ') : undefined);
  const rows = [...table.matchAll(/^\| (host )?`([^`]+)` \|/gm)].map((r) => (r[1] ? 'host ' : '') + r[2]);
  const declared = [...m.permissions, ...m.host_permissions.map((h) => `host ${h}`)];
  assert.deepEqual([...rows].sort(), [...declared].sort());
});

test('icons: 16/32/48/128 PNGs of the declared sizes, crisp, made from icons/icon.svg, SVG not shipped', () => {
  requireBuild();
  const m = readJson('manifest.json');
  assert.deepEqual(Object.keys(m.icons).sort((a, b) => a - b), ['16', '32', '48', '128']);
  assert.ok(existsSync(join(ROOT, 'extension', 'icons', 'icon.svg')), 'the one source SVG is committed');
  assert.match(readText('tools', 'make-icons.mjs'), /icon\.svg/);
  for (const [size, rel] of [...Object.entries(m.icons), ...Object.entries(m.action.default_icon)]) {
    for (const b of BROWSERS) {
      const png = decodePng(readFileSync(join(DIST, b, rel)));
      assert.equal(png.width, Number(size), `${b}/${rel} width`);
      assert.equal(png.height, Number(size), `${b}/${rel} height`);
    }
  }
  for (const b of BROWSERS) assert.ok(!existsSync(join(DIST, b, 'icons', 'icon.svg')), `${b}: icon.svg is not shipped`);
  // Crisp: the lock body (x 40–88, y 56–96 of the 128-unit SVG) sits on whole pixels at
  // every size, so its left and right edge columns are pure white next to pure shield blue.
  const same = (got, want, what) => assert.deepEqual(got, want, what);
  for (const size of [16, 32, 48, 128]) {
    const png = decodePng(readFileSync(join(ROOT, 'extension', m.icons[size])));
    const k = size / 128;
    const [left, right, top, bottom] = [40 * k, 88 * k, 56 * k, 96 * k];
    for (const u of [64, 80, 88]) { // rows through the middle of the body, clear of the rounded corners
      const y = Math.floor(u * k - 0.5);
      if (y < top + 1 || y >= bottom - 1) continue;
      same(png.px(left, y), [255, 255, 255, 255], `${size}px: body's left column at row ${y} is white`);
      same(png.px(left - 1, y), [0x15, 0x65, 0xc0, 255], `${size}px: shield left of the body at row ${y}`);
      same(png.px(right - 1, y), [255, 255, 255, 255], `${size}px: body's right column at row ${y} is white`);
      same(png.px(right, y), [0x1e, 0x88, 0xe5, 255], `${size}px: shield right of the body at row ${y}`);
    }
    same(png.px(0, 0)[3], 0, `${size}px: transparent corner`);
    same(png.px(size - 1, size - 1)[3], 0, `${size}px: transparent corner`);
  }
});
