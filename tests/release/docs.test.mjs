// Store listing and user documents: localised name/description, PRIVACY.md covering every
// storage key, README install/update/uninstall/FAQ, screenshots that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readText, readJson } from './util.mjs';

const LOCALES = join(ROOT, 'extension', '_locales');
const STORE_LANGS = ['ar', 'bn', 'de', 'en', 'es', 'fil', 'fr', 'hi', 'id', 'it', 'ja', 'ko', 'ms', 'nl', 'pl', 'pt_BR', 'ru', 'th', 'tr', 'uk', 'ur', 'vi', 'zh_CN', 'zh_TW'];
const STORE_KEYS = ['actionTitle', 'extDescription', 'extName'];
// Chrome Web Store: name ≤ 75, description ≤ 132 characters; addons.mozilla.org: name ≤ 50.
const LIMITS = { extName: 50, extDescription: 132, actionTitle: 75 };

test('store name, description and button title in every store language', () => {
  assert.deepEqual(readdirSync(LOCALES).sort(), STORE_LANGS);
  const en = readJson('extension', '_locales', 'en', 'messages.json');
  const seen = new Map();
  for (const lang of STORE_LANGS) {
    const m = readJson('extension', '_locales', lang, 'messages.json');
    for (const k of Object.keys(m)) assert.ok(k in en || k in pluralForms(en), `${lang}: "${k}" is not in the default locale (en)`);
    for (const k of STORE_KEYS) {
      const text = m[k]?.message;
      assert.equal(typeof text, 'string', `${lang}: ${k}`);
      assert.equal(text, text.trim(), `${lang}: ${k} has no stray spaces`);
      assert.ok([...text].length <= LIMITS[k], `${lang}: ${k} is ${[...text].length} characters (limit ${LIMITS[k]})`);
      assert.ok(!/[<>]|__MSG_|\$/.test(text), `${lang}: ${k} is plain text`);
    }
    assert.equal(m.extName.message, 'Session Guard', `${lang}: the name is the brand, not translated`);
    assert.match(m.extDescription.message, /KuCoin/, `${lang}: description names the exchange`);
    assert.ok(m.actionTitle.message.startsWith('Session Guard'), `${lang}: button title starts with the name`);
    if (lang !== 'en') {
      assert.notEqual(m.extDescription.message, en.extDescription.message, `${lang}: description is translated`);
      assert.notEqual(m.actionTitle.message, en.actionTitle.message, `${lang}: button title is translated`);
    }
    for (const k of ['extDescription', 'actionTitle']) {
      assert.ok(!seen.has(m[k].message), `${lang}: ${k} is the same as ${seen.get(m[k].message)}'s`);
      seen.set(m[k].message, lang);
    }
  }
  // a few script checks: the translation is in the language's script
  const script = { ar: /[\u0600-\u06ff]/, ur: /[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]/, ru: /[а-я]/, uk: /[іїєґ]/, hi: /[\u0900-\u097f]/, bn: /[\u0980-\u09ff]/, th: /[\u0e00-\u0e7f]/, pl: /[ąćęłńóśźż]/, ja: /[\u3040-\u30ff]/, ko: /[\uac00-\ud7af]/, zh_CN: /[会话设备]/, zh_TW: /[階設備帳]/ };
  for (const [lang, re] of Object.entries(script)) assert.match(readJson('extension', '_locales', lang, 'messages.json').extDescription.message, re, lang);
  const manifest = readJson('manifest.json');
  assert.equal(manifest.default_locale, 'en');
  assert.equal(manifest.name, '__MSG_extName__');
  assert.equal(manifest.description, '__MSG_extDescription__');
  assert.equal(manifest.action.default_title, '__MSG_actionTitle__');
});

// Counted messages: `<base>_zero`, `_one`, `_two`, `_few`, `_many`, `_other`, CLDR plural categories (English has
// `_one` and `_other` of each). A locale carries exactly the forms whole numbers reach in its language.
const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];
const bases = (en) => Object.keys(en).filter((k) => k.endsWith('_other')).map((k) => k.slice(0, -'_other'.length));
function pluralForms(en) {
  const out = {};
  for (const b of bases(en)) for (const c of CATEGORIES) out[`${b}_${c}`] = b;
  return out;
}
// The browsers' own rules (the JS side's, should it ever count): Intl.PluralRules of the store language.
const intlLocale = (dir) => dir.replace('_', '-');
// Whole numbers up to 1,000 reach every category a count here can (CLDR's French, Spanish and
// Portuguese "many" is for exact millions: no count gets there; the core asks for `_other` then).
const reached = (dir) => {
  const r = new Intl.PluralRules(intlLocale(dir));
  return new Set(Array.from({ length: 1001 }, (_, n) => r.select(n)));
};

test('every locale carries exactly the plural forms its language needs, and the core counts like the browsers', () => {
  const en = readJson('extension', '_locales', 'en', 'messages.json');
  const forms = pluralForms(en);
  assert.ok(bases(en).length >= 19, 'counted messages: sessions, badge titles, summaries, …');
  for (const b of bases(en)) assert.ok(`${b}_one` in en, `en: ${b}_other without ${b}_one`);
  for (const k of Object.keys(en)) if (!(k.endsWith('_one') || k.endsWith('_other'))) assert.ok(!(k in forms), `en: "${k}" looks like a plural form`);
  for (const dir of STORE_LANGS) {
    const m = readJson('extension', '_locales', dir, 'messages.json');
    assert.equal(m.plural_rules.message, dir.split('_')[0], `${dir}: plural_rules`);
    const need = reached(dir);
    for (const b of bases(en)) {
      const have = CATEGORIES.filter((c) => `${b}_${c}` in m);
      assert.deepEqual(have, CATEGORIES.filter((c) => need.has(c)), `${dir}: forms of ${b}`);
    }
  }
  // the core's rules (crate/src/i18n.rs, checked by cargo test against the same table) are the browsers'
  const rows = readText('crate', 'tests', 'data', 'plural_categories.tsv').split('\n').filter((l) => l && !l.startsWith('#'));
  const numbers = rows[0].split('\t').slice(1).map(Number);
  for (const n of [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111]) assert.ok(numbers.includes(n), `the table has ${n}`);
  const langs = rows.slice(1).map((row) => {
    const [lang, ...cats] = row.split('\t');
    const dir = STORE_LANGS.find((d) => d.split('_')[0] === lang);
    assert.ok(dir, `${lang} is a store language`);
    const r = new Intl.PluralRules(intlLocale(dir));
    numbers.forEach((n, i) => assert.equal(cats[i], r.select(n), `${lang} ${n}`));
    return lang;
  });
  assert.deepEqual(new Set(langs), new Set(STORE_LANGS.map((d) => d.split('_')[0])));
});

test('PRIVACY.md explains every storage key, where it lives, how long, how to delete, no data leaves', () => {
  const privacy = readText('PRIVACY.md');
  const storage = readText('crate', 'src', 'storage.rs');
  const keys = JSON.parse(`[${storage.match(/pub const KEYS: &\[&str\] = &\[([^\]]*)\]/)[1]}]`);
  const prefix = storage.match(/pub const QUARANTINE_PREFIX: &str = "([^"]+)"/)[1];
  assert.ok(keys.length >= 5);
  for (const k of keys) assert.match(privacy, new RegExp(`^\\| \`${k}\` \\|`, 'm'), `PRIVACY.md has a row for the storage key "${k}"`);
  assert.ok(privacy.includes(`| \`${prefix}`), `PRIVACY.md explains ${prefix}…`);
  for (const phrase of [/sends nothing/i, /storage\.local/, /how long/i, /delete/i, /Remove/, /password/i, /no network requests/i]) assert.match(privacy, phrase);
});

test('README: install from the zips, load unpacked, update, uninstall, screenshots, FAQ', () => {
  const readme = readText('README.md');
  for (const heading of ['## Install', '## Screenshots', '## FAQ']) assert.ok(readme.includes(`\n${heading}\n`), heading);
  for (const phrase of ['**From the zips**', '*Load unpacked*', '**Update**', '**Uninstall**', 'Load Temporary Add-on', '**Does it log me out by itself?** No.', '**Does it see my password?** No.']) {
    assert.ok(readme.includes(phrase), `README mentions ${phrase}`);
  }
  for (const m of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.ok(existsSync(join(ROOT, m[1])), `screenshot ${m[1]} exists`);
  assert.ok([...readme.matchAll(/!\[[^\]]*\]\(docs\/screenshots\//g)].length >= 2, 'at least two screenshots');
  for (const m of readme.matchAll(/\]\(([A-Z]+\.md)\)/g)) assert.ok(existsSync(join(ROOT, m[1])), `${m[1]} exists`);
});

test('BUILDING.md: offline build from the lockfiles with the pinned tool versions', () => {
  const building = readText('BUILDING.md');
  const bindgen = readText('crate', 'Cargo.toml').match(/^wasm-bindgen = "=([\d.]+)"/m)[1];
  const binaryen = readJson('package.json').devDependencies.binaryen;
  assert.ok(building.includes(`wasm-bindgen-cli --version ${bindgen}`), `BUILDING.md pins wasm-bindgen-cli ${bindgen}`);
  assert.ok(building.includes(`binaryen\` ${binaryen}`), `BUILDING.md names binaryen ${binaryen}`);
  for (const phrase of ['cargo fetch --locked', 'npm ci', 'CARGO_NET_OFFLINE=true ./build.sh', 'SOURCE_DATE_EPOCH', 'sha256sum']) assert.ok(building.includes(phrase), phrase);
  assert.ok(existsSync(join(ROOT, 'CHANGELOG.md')));
  assert.match(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n/);
});
