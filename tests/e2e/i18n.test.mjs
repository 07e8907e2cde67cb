// The UI really is localised: Chromium in Russian shows the Russian strings
// from _locales/ru on the replica security page and in the popup (and in
// Polish the Polish ones, counted by Polish rules).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, replicaReady, waitForMarks, widgetTexts, openPopup, ROOT, EXCHANGE } from './lib.mjs';

const catalog = (lang) => JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
const RU = catalog('ru');
const EN = catalog('en');
const ru = (key, ...args) => RU[key].message.replace(/\{(\d)\}/g, (_, n) => String(args[Number(n)]));
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
  const bar = (await widgetTexts(page, 'banner')).concat(await widgetTexts(page, 'summary')).join(' ');
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

// Polish: Chromium picks the file, and the core counts by Polish rules, not
// Russian ones: 2 is "few", 5 and 21 "many", only 1 "one".
test('in Polish: the page summary counts by Polish rules, the popup groups its lines under Polish headings', async () => {
  const PL = catalog('pl');
  const pl = (key, ...args) => PL[key].message.replace(/\{(\d)\}/g, (_, n) => String(args[Number(n)]));
  const c = await launchChromium({ args: ['--lang=pl'], env: { LANGUAGE: 'pl', LANG: 'pl_PL.UTF-8' } });
  try {
    assert.match(await c.sw.evaluate(() => chrome.i18n.getUILanguage()), /^pl/);
    const page = await c.context.newPage();
    await page.goto(`${EXCHANGE}/account/security`);
    await replicaReady(page);
    await waitForMarks(page, 9);
    const bar = (await widgetTexts(page, 'banner')).concat(await widgetTexts(page, 'summary')).join(' ');
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
