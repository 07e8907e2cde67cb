// The UI really is localised: Chromium in Russian shows the Russian strings
// from _locales/ru on the replica security page and in the popup (in Polish
// the Polish ones, counted by Polish rules; in Arabic right to left, with
// Arabic's six plural forms; in Hebrew, which has no file of ours, English
// left to right).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, openPopup, axe, ROOT, EXCHANGE } from './lib.mjs';

const catalog = (lang) => JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
/** A message of `messages` with its placeholders filled. */
const say = (messages) => (key, ...args) => messages[key].message.replace(/\{(\d)\}/g, (_, n) => String(args[Number(n)]));
const RU = catalog('ru');
const EN = catalog('en');
const ru = say(RU);
// A counted message in Russian: `<key>_one|few|many` by CLDR's rules (what the core picks).
const PLURAL_RU = new Intl.PluralRules('ru');
const ruCount = (key, n) => ru(`${key}_${PLURAL_RU.select(n)}`, n);

let b;
before(async () => {
  b = await launchChromium({ args: ['--lang=ru'], env: { LANGUAGE: 'ru', LANG: 'ru_RU.UTF-8' } });
});
after(async () => { await b?.close(); });

test('the browser runs in Russian', async () => {
  assert.match(await b.sw.evaluate(() => chrome.i18n.getUILanguage()), /^ru/);
  assert.equal(await b.sw.evaluate(() => chrome.i18n.getMessage('btn_logout_all')), RU.btn_logout_all.message);
});

test('summary bar on the security page and the popup headline are in Russian', async () => {
  const page = await b.context.newPage();
  await page.goto(`${EXCHANGE}/account/security`);
  await replicaReady(page);
  await waitForMarks(page, 9);
  // first visit: the banner carries the summary line
  const bar = await summaryBar(page);
  // 5 sessions, 2 unfamiliar online (the default replica scenario)
  assert.ok(bar.includes(ruCount('sessions', 5)), bar);
  // 2 takes the few form ("2 незнакомых сеанса в сети"), not the many form of 5
  assert.equal(PLURAL_RU.select(2), 'few');
  assert.ok(bar.includes(ru('summary_unfamiliar_online_few', 2)), bar);
  assert.ok(!bar.includes(ru('summary_unfamiliar_online_many', 2)), bar);
  assert.ok(!bar.includes('sessions') && !bar.includes('unfamiliar'), `no English left: ${bar}`);
  // device names (device.rs) and row reasons
  const reasons = (await widgetTexts(page, 'reason')).join(' ');
  assert.ok(reasons.includes(ru('device_on', 'Firefox', 'Linux')), reasons);
  // the Log out all devices card, from flow.rs
  const action = (await widgetTexts(page, 'action')).join(' ');
  assert.ok(action.includes(RU.btn_logout_all.message) && action.includes(RU.flow_action_text.message), action);
  assert.ok(!action.includes(EN.btn_logout_all.message), action);

  const popup = await openPopup(b.context, b.extId);
  const title = await popup.textContent('header.status h1');
  const unfamiliar = Number(title.match(/\d+/)?.[0]);
  assert.equal(title, ruCount('popup_review_title', unfamiliar), title);
  // page 1 of the replica's 3 Recent Logins pages, said in Russian
  assert.equal(await popup.textContent('.pages li[data-list="recent_logins"]'), ru('logins_page_of', 1, 3));
  assert.equal(await popup.textContent('button[data-action="logout-all"]'), RU.btn_logout_all.message);
  assert.equal(await popup.getAttribute('button[data-action="logout-all"]', 'aria-label'), RU.aria_logout_all_popup.message);
  await popup.close();
  await page.close();
});

/**
 * Chromium with `lang` as its UI language (`locale`: the LANG of its process)
 * on the replica security page, its 9 rows marked. The caller closes `c`.
 */
async function securityPageIn(lang, locale) {
  const c = await launchChromium({ args: [`--lang=${lang}`], env: { LANGUAGE: lang, LANG: `${locale}.UTF-8` } });
  try {
    assert.equal((await c.sw.evaluate(() => chrome.i18n.getUILanguage())).split('-')[0], lang);
    const page = await c.context.newPage();
    await page.goto(`${EXCHANGE}/account/security`);
    await replicaReady(page);
    await waitForMarks(page, 9);
    return { c, page };
  } catch (e) {
    await c.close();
    throw e;
  }
}

/** The summary above the Recent Logins list (in the first visit's banner, or its own bar). */
const summaryBar = async (page) => (await widgetTexts(page, 'banner')).concat(await widgetTexts(page, 'summary')).join(' ');

// Polish: Chromium picks the file, and the core counts by Polish rules, not
// Russian ones: 2 is "few", 5 and 21 "many", only 1 "one".
test('in Polish: the page summary counts by Polish rules, the popup groups its lines under Polish headings', async () => {
  const PL = catalog('pl');
  const pl = say(PL);
  const { c, page } = await securityPageIn('pl', 'pl_PL');
  try {
    const bar = await summaryBar(page);
    assert.ok(bar.includes(pl('sessions_many', 5)), bar); // "5 sesji"
    assert.ok(bar.includes(pl('summary_unfamiliar_online_few', 2)), bar); // "2 nieznane online"
    assert.ok(!bar.includes('sessions') && !bar.includes('unfamiliar'), `no English left: ${bar}`);
    const popup = await openPopup(c.context, c.extId);
    const title = await popup.textContent('header.status h1');
    const n = Number(title.match(/\d+/)?.[0]);
    const form = n === 1 ? 'one' : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? 'few' : 'many';
    assert.equal(title, pl(`popup_review_title_${form}`, n));
    assert.deepEqual(await popup.$$eval('.sessions h3', (h) => h.map((x) => x.textContent)),
      [PL.list_recent_logins.message, PL.popup_group_kucoin_trusted.message]);
    assert.equal(await popup.textContent('button[data-action="logout-all"]'), PL.btn_logout_all.message);
  } finally {
    await c.close();
  }
});

/** Direction and language of every text of ours in the page (each sits in a <bdi> in a shadow root). */
const textLanguages = (page) => page.$$eval('[data-session-guard-ui]', (hosts) =>
  hosts.flatMap((h) => [...h.shadowRoot.querySelectorAll('bdi')].map((t) => `${t.dir} ${t.lang}`)));

/** Press our "Log out all devices" (labelled `label`); the direction and title of the dialog it opens. */
async function ourDialog(page, label) {
  await page.locator('[data-session-guard-action="logout-all"] button', { hasText: label }).first().click();
  const host = page.locator('[data-session-guard-dialog]');
  await host.locator('h2').waitFor({ timeout: 10000 });
  return host.evaluate((h) => [h.shadowRoot.querySelector('dialog').dir, h.shadowRoot.querySelector('h2').textContent]);
}

// Arabic: Chromium picks _locales/ar; our texts in the (left-to-right) page
// read right to left and say they are Arabic, and counts take Arabic's forms
// (5 is "few", 2 "two"). The popup is laid out right to left.
test('in Arabic: texts right to left and counted by Arabic rules, the popup laid out right to left', async () => {
  const AR = catalog('ar');
  const ar = say(AR);
  const PLURAL_AR = new Intl.PluralRules('ar');
  const { c, page } = await securityPageIn('ar', 'ar_EG');
  try {
    const bar = await summaryBar(page);
    assert.equal(PLURAL_AR.select(5), 'few');
    assert.equal(PLURAL_AR.select(2), 'two');
    assert.ok(bar.includes(ar('sessions_few', 5)), bar);
    assert.ok(bar.includes(ar('summary_unfamiliar_online_two', 2)), bar);
    assert.ok(!bar.includes(ar('summary_unfamiliar_online_other', 2)), bar);
    assert.ok(!bar.includes('sessions') && !bar.includes('unfamiliar'), `no English left: ${bar}`);
    const action = (await widgetTexts(page, 'action')).join(' ');
    assert.ok(action.includes(AR.btn_logout_all.message), action);
    const langs = await textLanguages(page);
    assert.ok(langs.length >= 10, `${langs.length} texts`);
    assert.deepEqual([...new Set(langs)], ['rtl ar'], 'every text of ours says it is Arabic, right to left');
    // an IP keeps its left-to-right order inside the Arabic sentence (isolated: LRI … PDI),
    // the page's area name is isolated on its own (FSI … PDI)
    const reasons = (await widgetTexts(page, 'reason')).join('\n');
    assert.ok(reasons.includes('\u20662001:db8:85a3::8a2e:370:7334\u2069'), reasons);
    assert.ok(reasons.includes('\u2068Singapore\u2069'), reasons);
    // our confirmation floats above the page and holds only our texts: laid out right to left
    assert.deepEqual(await ourDialog(page, AR.btn_logout_all.message), ['rtl', AR.flow_confirm_title.message]);
    await page.locator('[data-session-guard-dialog] button', { hasText: AR.btn_cancel.message }).click();
    // the page itself stays left to right: our cards follow the page's layout
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'ltr');

    const popup = await openPopup(c.context, c.extId);
    assert.deepEqual(await popup.evaluate(() => [document.documentElement.dir, document.documentElement.lang, getComputedStyle(document.body).direction]), ['rtl', 'ar', 'rtl']);
    const title = await popup.textContent('header.status h1');
    const n = Number(title.match(/\d+/)?.[0]);
    assert.equal(title, ar(`popup_review_title_${PLURAL_AR.select(n)}`, n));
    assert.deepEqual(await popup.$$eval('.sessions h3', (h) => h.map((x) => x.textContent)),
      [AR.list_recent_logins.message, AR.popup_group_kucoin_trusted.message]);
    assert.equal(await popup.textContent('button[data-action="logout-all"]'), AR.btn_logout_all.message);
    assert.deepEqual(await axe(popup), []);
    await popup.close();
    await page.close();
  } finally {
    await c.close();
  }
});

// Hebrew has no _locales file of ours: chrome.i18n gives the English texts,
// while its `@@bidi_dir` follows the browser (rtl). Our texts must still read
// left to right and say they are English.
test('in Hebrew (no file of ours): the English texts stay left to right and say they are English', async () => {
  const { c, page } = await securityPageIn('he', 'he_IL');
  try {
    assert.equal(await c.sw.evaluate(() => chrome.i18n.getMessage('@@bidi_dir')), 'rtl', 'the browser is right to left');
    const action = (await widgetTexts(page, 'action')).join(' ');
    assert.ok(action.includes(EN.btn_logout_all.message), action);
    const langs = await textLanguages(page);
    assert.ok(langs.length >= 10, `${langs.length} texts`);
    assert.deepEqual([...new Set(langs)], ['ltr en']);
    // in a left-to-right sentence an IP stays bare: copying it copies the address alone
    const reasons = (await widgetTexts(page, 'reason')).join('\n');
    assert.ok(reasons.includes('(2001:db8:85a3::8a2e:370:7334)'), reasons);
    assert.deepEqual(await ourDialog(page, EN.btn_logout_all.message), ['ltr', EN.flow_confirm_title.message]);
    const popup = await openPopup(c.context, c.extId);
    assert.deepEqual(await popup.evaluate(() => [document.documentElement.dir, document.documentElement.lang]), ['ltr', 'en']);
    assert.equal(await popup.textContent('button[data-action="logout-all"]'), EN.btn_logout_all.message);
    await popup.close();
    await page.close();
  } finally {
    await c.close();
  }
});
