//! UI strings. Every string a person reads comes from `extension/_locales`
//! (`chrome.i18n`): the background and the popup hand the core the messages
//! of the browser's UI language once (`set_catalog`); `chrome.i18n` fills
//! what a language lacks with English. Host builds (tests, CLI) have English
//! from `_locales/en/messages.json` compiled in (build.rs); the wasm does not.
//! Placeholders are `{0}`, `{1}`, … (chrome.i18n leaves them alone).
//! A counted message is a family `<key>_zero`, `_one`, `_two`, `_few`, `_many`,
//! `_other` (CLDR plural categories); each file names its rules in `plural_rules`
//! and carries only the forms whole numbers reach in its language (English
//! one and other; Arabic all six). Its `text_dir` says which way it is written.

use std::sync::RwLock;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// (key, message) sorted by key; `None` until the messages arrive.
static CATALOG: RwLock<Option<Vec<(String, String)>>> = RwLock::new(None);

/// The message keys to look up for a UI language whose `plural_rules`
/// message is `lang`, separated by spaces: every plain key, and of each
/// counted message the forms `lang` uses (so `chrome.i18n` is never asked
/// for a key its files lack).
pub fn keys(lang: &str) -> String {
    let mut out = String::new();
    for k in KEYS {
        out.push_str(k);
        out.push(' ');
    }
    for base in PLURALS {
        for form in forms(lang) {
            out.push_str(base);
            out.push('_');
            out.push_str(form);
            out.push(' ');
        }
    }
    out.pop();
    out
}

/// The forms (CLDR cardinal plural categories) whole numbers take in `lang`:
/// what a `_locales` file of that language carries of a counted message.
pub fn forms(lang: &str) -> &'static [&'static str] {
    match lang {
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        "ru" | "uk" | "pl" => &["one", "few", "many"],
        "id" | "ja" | "ko" | "ms" | "th" | "vi" | "zh" => &["other"],
        _ => &["one", "other"],
    }
}

/// CLDR cardinal plural category of the whole number `n` in `lang` (the
/// `plural_rules` message of a `_locales` file: ar bn de en es fil fr hi id it ja
/// ko ms nl pl pt ru th tr uk ur vi zh; anything else, Urdu too, counts like English).
/// Arabic: 0 zero, 1 one, 2 two, 3–10 and 103–110 few, 11–99 and 111–199 many,
/// 100–102 and 200–202 other. Filipino: one unless the last digit is 4, 6 or 9. Russian and
/// Ukrainian: 1, 21, 101 one; 2–4, 22–24 few; 0, 5–20, 25–30, 111 many.
/// Polish: only 1 is one; 2–4, 22–24 few; the rest (21 too) many. French,
/// Portuguese, Hindi and Bengali: 0 and 1 one. (CLDR also gives them and Italian "many"
/// for exact millions; no count here gets there, and a message without
/// that form would show `_other` anyway.)
pub fn category(lang: &str, n: u32) -> &'static str {
    let (d, h) = (n % 10, n % 100);
    let few = (2..=4).contains(&d) && !(12..=14).contains(&h);
    match lang {
        "ar" if n <= 2 => ["zero", "one", "two"][n as usize],
        "ar" if (3..=10).contains(&h) => "few",
        "ar" if h >= 11 => "many",
        "ar" => "other",
        "fil" if matches!(d, 4 | 6 | 9) => "other",
        "fil" => "one",
        "ru" | "uk" if d == 1 && h != 11 => "one",
        "pl" if n == 1 => "one",
        "ru" | "uk" | "pl" if few => "few",
        "ru" | "uk" | "pl" => "many",
        "id" | "ja" | "ko" | "ms" | "th" | "vi" | "zh" => "other",
        "bn" | "fr" | "hi" | "pt" if n <= 1 => "one",
        "bn" | "fr" | "hi" | "pt" => "other",
        _ if n == 1 => "one",
        _ => "other",
    }
}

/// The language tag (`lang` attribute) of our texts: the browser's UI language
/// (`chrome.i18n.getUILanguage()`) when the `_locales` file in use is of that
/// language, its region kept (zh-TW, pt-BR), else the file's own language,
/// `rules` (its `plural_rules`: `chrome.i18n` fell back to it, mostly English).
/// Without this a page or popup in Hebrew would say English text is Hebrew.
pub fn text_lang(ui_language: &str, rules: &str) -> String {
    let rules = if (2..=3).contains(&rules.len()) && rules.bytes().all(|b| b.is_ascii_lowercase()) { rules } else { "en" };
    let tag = ui_language.replace('_', "-");
    let well_formed = !tag.is_empty() && tag.len() <= 35 && tag.split('-').all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    match tag.split('-').next() {
        Some(primary) if well_formed && primary.eq_ignore_ascii_case(rules) => tag,
        _ => rules.to_string(),
    }
}

/// Whether the messages in use are written right to left (their `text_dir`).
pub fn rtl() -> bool {
    with_catalog(|c| message(c, "text_dir") == Some("rtl"))
}

/// The direction and the `lang` of the messages in use (`text_lang` with
/// their `plural_rules`): what the widgets and the popup mark our texts with.
pub fn text_language(ui_language: &str) -> (&'static str, String) {
    let lang = with_catalog(|c| text_lang(ui_language, message(c, "plural_rules").unwrap_or("en")));
    (if rtl() { "rtl" } else { "ltr" }, lang)
}

/// The messages as the core keeps them: sorted by key, empty values left out.
fn catalog(messages: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut m: Vec<(String, String)> = Vec::new();
    for (k, v) in messages {
        if !v.is_empty() {
            m.push((k, v));
        }
    }
    crate::util::sort_stable_by(&mut m, |a, b| a.0.cmp(&b.0));
    m
}

/// Install the messages of the UI language (empty values are ignored).
pub fn set_catalog(messages: impl IntoIterator<Item = (String, String)>) {
    let m = catalog(messages);
    if let Ok(mut c) = CATALOG.write() {
        *c = if m.is_empty() { None } else { Some(m) };
    }
}

/// The English message of `key` (host builds; the wasm gets it from `chrome.i18n`).
pub fn english(key: &str) -> Option<&'static str> {
    #[cfg(not(target_arch = "wasm32"))]
    return EN.binary_search_by(|(k, _)| k.cmp(&key)).ok().map(|i| EN[i].1);
    #[cfg(target_arch = "wasm32")]
    {
        let _ = key;
        None
    }
}

/// The message of `key` in catalog `c`, else in English (host builds).
fn message<'a>(c: Option<&'a [(String, String)]>, key: &str) -> Option<&'a str> {
    c.and_then(|c| c.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok().map(|i| c[i].1.as_str())).or_else(|| english(key))
}

fn with_catalog<R>(f: impl FnOnce(Option<&[(String, String)]>) -> R) -> R {
    let guard = CATALOG.read().ok();
    f(guard.as_ref().and_then(|g| g.as_deref()))
}

/// The message for `key` with `{n}` replaced by `args[n]`. A missing key
/// shows as the key itself (a visible bug, never a crash).
pub fn t(key: &str, args: &[&str]) -> String {
    with_catalog(|c| fill(message(c, key).unwrap_or(key), args))
}

fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(crate::util::str_to(rest, i));
        let after = crate::util::str_from(rest, i + 1);
        match after.find('}') {
            Some(j) if j > 0 && j <= 2 && crate::util::str_to(after, j).bytes().all(|b| b.is_ascii_digit()) => {
                let n: usize = crate::util::str_to(after, j).parse().unwrap_or(usize::MAX);
                out.push_str(args.get(n).copied().unwrap_or(""));
                rest = crate::util::str_from(after, j + 1);
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A counted message: `<key>_<category>` for `n` under the catalog's
/// `plural_rules` ("1 session", "22 сеанса"), `{0}` = n. A form the
/// language lacks falls back to `_other`, then `_many`.
pub fn plural(key: &str, n: u32) -> String {
    with_catalog(|c| plural_in(c, key, n))
}

fn plural_in(c: Option<&[(String, String)]>, key: &str, n: u32) -> String {
    let lang = message(c, "plural_rules").unwrap_or("en");
    let mut k = String::with_capacity(key.len() + 6);
    let mut found = None;
    for form in [category(lang, n), "other", "many"] {
        k.clear();
        k.push_str(key);
        k.push('_');
        k.push_str(form);
        found = message(c, &k);
        if found.is_some() {
            break;
        }
    }
    fill(found.unwrap_or(key), &[&crate::util::num(n as u64)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn english_is_compiled_in_and_sorted() {
        assert!(KEYS.windows(2).all(|w| w[0] < w[1]));
        assert!(PLURALS.windows(2).all(|w| w[0] < w[1]));
        assert!(EN.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(KEYS.len() + 2 * PLURALS.len(), EN.len(), "English carries every plain key and one/other of each counted message");
        assert_eq!(english("extName"), Some("Session Guard"));
        assert_eq!(english("plural_rules"), Some("en"));
        assert_eq!(english("sessions_other"), Some("{0} sessions"));
        assert_eq!(t("no_such_key", &[]), "no_such_key");
        assert!(PLURALS.contains(&"sessions") && !KEYS.contains(&"sessions_one") && KEYS.contains(&"import_too_many"));
    }

    #[test]
    fn placeholders() {
        assert_eq!(fill("{0} of {1}", &["2", "4"]), "2 of 4");
        assert_eq!(fill("{1} {0} {5}", &["a", "b"]), "b a ");
        assert_eq!(fill("{x} {} {", &["a"]), "{x} {} {");
        // page text inside args is never re-expanded
        assert_eq!(fill("{0}!", &["{1}"]), "{1}!");
        assert_eq!(plural("sessions", 1), "1 session");
        assert_eq!(plural("sessions", 5), "5 sessions");
        assert_eq!(plural("sessions", 0), "0 sessions");
    }

    /// crate/tests/data/plural_categories.tsv: CLDR's category of sample whole numbers per
    /// language (tests/release/docs.test.mjs checks the same table against Intl.PluralRules).
    fn cldr_table() -> Vec<(String, u32, String)> {
        let text = include_str!("../tests/data/plural_categories.tsv");
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let head: Vec<u32> = lines.next().unwrap().split('\t').skip(1).map(|n| n.parse().unwrap()).collect();
        let mut out = Vec::new();
        for line in lines {
            let mut cells = line.split('\t');
            let lang = cells.next().unwrap();
            for (n, c) in head.iter().zip(cells) {
                out.push((lang.to_string(), *n, c.to_string()));
            }
        }
        out
    }

    #[test]
    fn categories_follow_cldr_for_every_ui_language() {
        let table = cldr_table();
        let langs: BTreeSet<&str> = table.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(langs.into_iter().collect::<Vec<_>>(), ["ar", "bn", "de", "en", "es", "fil", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru", "th", "tr", "uk", "ur", "vi", "zh"]);
        for n in [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111] {
            assert!(table.iter().any(|(l, m, _)| l == "ru" && *m == n), "the table has {n}");
        }
        for (lang, n, want) in &table {
            assert_eq!(category(lang, *n), want, "{lang} {n}");
        }
        // the forms a language carries are exactly the categories its whole numbers reach
        for lang in ["ar", "bn", "de", "en", "es", "fil", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru", "th", "tr", "uk", "ur", "vi", "zh", "xx"] {
            let reached: BTreeSet<&str> = (0..=1000u32).chain([u32::MAX, 1_000_001]).map(|n| category(lang, n)).collect();
            let forms: BTreeSet<&str> = forms(lang).iter().copied().collect();
            assert_eq!(reached, forms, "{lang}");
        }
        assert_eq!(category("xx", 1), "one", "an unknown language counts like English");
    }

    #[test]
    fn the_text_language_is_the_ui_language_only_when_the_file_is_in_it() {
        assert_eq!(text_lang("zh-TW", "zh"), "zh-TW");
        assert_eq!(text_lang("pt_BR", "pt"), "pt-BR");
        assert_eq!(text_lang("ar", "ar"), "ar");
        // a UI language without a file of ours: chrome.i18n gave English
        assert_eq!(text_lang("he", "en"), "en");
        assert_eq!(text_lang("fa-IR", "en"), "en");
        assert_eq!(text_lang("", "en"), "en");
        assert_eq!(text_lang("en\" onload=x", "en"), "en", "not a language tag");
        assert_eq!(text_lang("de", "<b>"), "en", "a broken plural_rules");
    }

    #[test]
    fn arabic_counts_take_six_forms() {
        let ar = catalog(["zero", "one", "two", "few", "many", "other"].iter().map(|f| (format!("x_{f}"), format!("{{0}} {f}"))).chain([("plural_rules".to_string(), "ar".to_string())]));
        let got: Vec<String> = [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111, 200, 1000].iter().map(|&n| plural_in(Some(&ar), "x", n)).collect();
        assert_eq!(got, ["0 zero", "1 one", "2 two", "3 few", "10 few", "11 many", "99 many", "100 other", "102 other", "103 few", "111 many", "200 other", "1000 other"]);
        assert_eq!(keys("ar").split(' ').filter(|k| k.starts_with("sessions_")).collect::<Vec<_>>(), ["sessions_zero", "sessions_one", "sessions_two", "sessions_few", "sessions_many", "sessions_other"]);
    }

    fn locale(dir: &str) -> serde_json::Map<String, serde_json::Value> {
        let path = format!("{}/../extension/_locales/{dir}/messages.json", env!("CARGO_MANIFEST_DIR"));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        json.as_object().unwrap().clone()
    }

    fn locale_dirs() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../extension/_locales");
        let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    #[test]
    fn every_shipped_locale_has_exactly_the_keys_its_plural_rules_ask_for() {
        let mut locales = 0;
        for dir in locale_dirs() {
            let m = locale(&dir);
            let lang = m["plural_rules"]["message"].as_str().unwrap();
            assert_eq!(lang, dir.split('_').next().unwrap(), "{dir}: plural_rules names the file's language");
            // not translated: the direction the language is written in
            let rtl = ["ar", "fa", "he", "ur"].contains(&lang);
            assert_eq!(m["text_dir"]["message"].as_str(), Some(if rtl { "rtl" } else { "ltr" }), "{dir}: text_dir");
            let want: BTreeSet<String> = keys(lang).split(' ').map(String::from).collect();
            let have: BTreeSet<String> = m.keys().cloned().collect();
            let missing: Vec<&String> = want.difference(&have).collect();
            let extra: Vec<&String> = have.difference(&want).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{dir} ({lang}): missing {missing:?}, not asked for {extra:?}");
            locales += 1;
        }
        assert!(locales >= 12, "{locales} locales");
    }

    #[test]
    fn every_locale_has_the_same_placeholders_as_english() {
        for dir in locale_dirs() {
            for (k, v) in locale(&dir) {
                // a counted form has the placeholders of the English `_other`
                let base = ["_zero", "_one", "_two", "_few", "_many", "_other"].iter().find_map(|s| k.strip_suffix(s).filter(|b| PLURALS.contains(b)));
                let en_key = base.map(|b| format!("{b}_other")).unwrap_or_else(|| k.clone());
                let en = english(&en_key).unwrap_or_else(|| panic!("{dir}: key {k} not in English"));
                let msg = v["message"].as_str().unwrap();
                for n in 0..10 {
                    let ph = format!("{{{n}}}");
                    assert_eq!(en.contains(&ph), msg.contains(&ph), "{dir}: {k} placeholder {ph}");
                }
            }
        }
    }

    fn catalog_of(dir: &str) -> Vec<(String, String)> {
        catalog(locale(dir).into_iter().map(|(k, v)| (k, v["message"].as_str().unwrap().to_string())))
    }

    #[test]
    fn russian_counts_take_one_few_many() {
        let ru = catalog_of("ru");
        let c = Some(ru.as_slice());
        let got: Vec<String> = [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111].iter().map(|&n| plural_in(c, "sessions", n)).collect();
        assert_eq!(
            got,
            ["0 сеансов", "1 сеанс", "2 сеанса", "3 сеанса", "5 сеансов", "11 сеансов", "21 сеанс", "22 сеанса", "25 сеансов", "101 сеанс", "111 сеансов"]
        );
        assert_eq!(plural_in(c, "summary_unfamiliar_online", 2), "2 незнакомых сеанса в сети");
        assert_eq!(plural_in(c, "summary_unfamiliar_online", 12), "12 незнакомых сеансов в сети");
        assert_eq!(plural_in(c, "summary_trusted_review", 21), "21 доверенное устройство для проверки");
        assert_eq!(plural_in(c, "api_keys", 3), "3 API-ключа");
        assert_eq!(plural_in(c, "badge_unfamiliar_online", 2), "Session Guard: 2 незнакомых сеанса в сети");
        assert_eq!(plural_in(c, "import_done", 24), "Импортировано 24 доверенных устройства.");
        assert_eq!(plural_in(c, "pwcheck_trusted_unreadable", 1), "Не удалось прочитать 1 строку доверенных устройств");
    }

    #[test]
    fn polish_ukrainian_and_hindi_counts_follow_their_own_rules() {
        // Polish: only 1 is "one" (21 is "many"); Ukrainian counts like Russian (21 is "one").
        let count = |dir: &str, key: &str| {
            let c = catalog_of(dir);
            [0, 1, 2, 5, 12, 21, 22, 25, 101, 112].iter().map(|&n| plural_in(Some(&c), key, n)).collect::<Vec<_>>()
        };
        assert_eq!(
            count("pl", "sessions"),
            ["0 sesji", "1 sesja", "2 sesje", "5 sesji", "12 sesji", "21 sesji", "22 sesje", "25 sesji", "101 sesji", "112 sesji"]
        );
        assert_eq!(
            count("uk", "sessions"),
            ["0 сеансів", "1 сеанс", "2 сеанси", "5 сеансів", "12 сеансів", "21 сеанс", "22 сеанси", "25 сеансів", "101 сеанс", "112 сеансів"]
        );
        // Hindi: 0 and 1 take the one form, as in French
        assert_eq!(count("hi", "api_keys")[..3], ["0 API कुंजी", "1 API कुंजी", "2 API कुंजियां"]);
        // one form whatever the number
        assert_eq!(count("id", "sessions")[1..3], ["1 sesi", "2 sesi"]);
        assert_eq!(count("ms", "sessions")[1..3], ["1 sesi", "2 sesi"]);
        assert_eq!(count("it", "sessions")[..3], ["0 sessioni", "1 sessione", "2 sessioni"]);
    }

    #[test]
    fn zero_is_one_in_french_and_portuguese_and_asian_languages_have_one_form() {
        let fr = catalog_of("fr");
        assert_eq!(plural_in(Some(&fr), "api_keys", 0), "0 clé API");
        assert_eq!(plural_in(Some(&fr), "api_keys", 2), "2 clés API");
        let pt = catalog_of("pt_BR");
        assert_eq!(plural_in(Some(&pt), "sessions", 0), "0 sessão");
        assert_eq!(plural_in(Some(&pt), "import_done", 0), "0 dispositivo confiável importado.");
        let en = catalog_of("en");
        assert_eq!(plural_in(Some(&en), "sessions", 0), "0 sessions");
        assert_eq!(plural_in(Some(&en), "import_done", 0), "Imported 0 trusted devices.");
        assert_eq!(plural_in(Some(&en), "import_done", 1), "Imported 1 trusted device.");
        let ja = catalog_of("ja");
        assert_eq!(plural_in(Some(&ja), "sessions", 1), "1件のセッション");
        assert_eq!(plural_in(Some(&ja), "sessions", 2), "2件のセッション");
    }

    #[test]
    fn a_missing_form_falls_back_to_other_then_many() {
        let m = |pairs: &[(&str, &str)]| catalog(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        // Russian without its few form: the many form, not the key
        let ru = m(&[("plural_rules", "ru"), ("x_one", "{0} one"), ("x_many", "{0} many")]);
        assert_eq!(plural_in(Some(&ru), "x", 3), "3 many");
        assert_eq!(plural_in(Some(&ru), "x", 21), "21 one");
        // French: CLDR's "many" (millions) is not asked for, "other" is
        let fr = m(&[("plural_rules", "fr"), ("x_one", "{0} one"), ("x_other", "{0} other")]);
        assert_eq!(plural_in(Some(&fr), "x", 1_000_000), "1000000 other");
        // a catalog without plural_rules counts like English
        let none = m(&[("x_one", "{0} one"), ("x_other", "{0} other")]);
        assert_eq!(plural_in(Some(&none), "x", 0), "0 other");
        assert_eq!(plural_in(Some(&none), "x", 1), "1 one");
    }

    #[test]
    fn keys_ask_for_the_forms_of_the_language() {
        let asked = |lang: &str| keys(lang).split(' ').filter(|k| k.starts_with("sessions_")).map(String::from).collect::<Vec<_>>();
        assert!(keys("en").split(' ').all(|k| !k.is_empty() && english(k).is_some()), "English has every key asked for");
        assert_eq!(asked("ru"), ["sessions_one", "sessions_few", "sessions_many"]);
        assert_eq!(asked("ja"), ["sessions_other"]);
        assert_eq!(asked("fr"), ["sessions_one", "sessions_other"]);
        assert_eq!(asked(""), ["sessions_one", "sessions_other"]);
    }
}
