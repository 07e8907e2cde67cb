//! Every shipped `_locales` file through whole scans, as the extension runs
//! them: the core gets the file's messages the way the background asks
//! `chrome.i18n` for them (the keys `i18n::keys` names for its
//! `plural_rules`, English where the file lacks one, empty where English
//! lacks it too), then reads KuCoin's security page in the same language,
//! starts "Log out all devices", reads the API page and builds the popup.
//! Every text a person would see (cards, reasons, buttons, our dialog, the
//! badge, the popup) must have no message key left in it (a message the core
//! cannot find shows as its key) and no unfilled placeholder.
//!
//! The catalog is process-wide, so this binary holds this one test.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use session_guard::app::{handle_action, handle_scan, Outcome};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::i18n;
use session_guard::plan::Action;
use session_guard::popup;
use session_guard::storage::State;

const NOW: i64 = 1_752_500_000_000;
/// This browser: Chrome on Linux, like the replicas' Current row.
const LINUX_CHROME_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn messages(dir: &str) -> BTreeMap<String, String> {
    let v: serde_json::Value = serde_json::from_str(&read(&format!("extension/_locales/{dir}/messages.json"))).unwrap();
    v.as_object().unwrap().iter().map(|(k, m)| (k.clone(), m["message"].as_str().unwrap().to_string())).collect()
}

/// KuCoin's security replica in the language of `_locales/<dir>`, and its URL.
fn security_page(dir: &str) -> (String, String) {
    let (file, prefix) = match dir {
        "en" => ("en", ""),
        "pt_BR" => ("pt", "pt"),
        "zh_TW" => ("zh-hant", "zh-hant"),
        d => (d, d),
    };
    let url = if prefix.is_empty() { "https://www.kucoin.com/account/security".to_string() } else { format!("https://www.kucoin.com/{prefix}/account/security") };
    (read(&format!("tests/fixtures/kucoin/security-{file}.html")), url)
}

fn scan(html: &str, url: &str, state: &mut State) -> Outcome {
    let mut snap = snapshot_from_html(html, url);
    snap.env.ua = LINUX_CHROME_UA.into();
    handle_scan(&snap, state, NOW)
}

/// What a person reads of an outcome: its cards (titles, texts, lines),
/// their buttons and our dialogs, the badge's title and the toast.
fn texts(out: &Outcome, into: &mut Vec<String>) {
    for w in &out.plan.widgets {
        into.extend([w.title.clone(), w.text.clone()]);
        into.extend(w.items.iter().cloned());
        for b in &w.buttons {
            into.extend([b.label.clone(), b.aria_label.clone()]);
            into.extend(b.prompt.iter().cloned());
            if let Some(c) = &b.confirm {
                into.extend([c.title.clone(), c.text.clone(), c.confirm_label.clone(), c.cancel_label.clone()]);
                into.extend(c.steps.iter().cloned());
            }
        }
    }
    into.extend([out.badge.title.clone(), out.toast.clone()]);
}

#[test]
fn every_locale_shows_its_texts_with_no_key_and_no_placeholder_left() {
    let dirs: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(format!("{}/../extension/_locales", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert!(dirs.len() >= 24, "{dirs:?}");
    let en = messages("en");
    let api_html = read("tests/fixtures/kucoin/api-en.html");
    for dir in &dirs {
        let own = messages(dir);
        let rules = own["plural_rules"].clone();
        // as the background builds it from chrome.i18n.getMessage
        let asked = i18n::keys(&rules);
        let catalog: Vec<(String, String)> = asked
            .split(' ')
            .map(|k| (k.to_string(), own.get(k).or_else(|| en.get(k)).cloned().unwrap_or_default()))
            .collect();
        i18n::set_catalog(catalog);
        // what the widgets and the popup are marked with (the browser's language is this file's)
        let ui = dir.replace('_', "-");
        assert_eq!(i18n::text_language(&ui), (own["text_dir"].as_str(), ui.clone()), "{dir}");

        let mut shown = Vec::new();
        let mut state = State::default();
        let (html, url) = security_page(dir);
        let first = scan(&html, &url, &mut state);
        assert!(first.plan.widgets.len() >= 5, "{dir}: {} widgets", first.plan.widgets.len());
        texts(&first, &mut shown);
        // a second scan (the banner dismissed view, the summary bar) and the Log-out-all run
        texts(&scan(&html, &url, &mut state), &mut shown);
        let start = handle_action(&Action { kind: "logout_all".into(), ..Default::default() }, &mut state, NOW).unwrap_or_else(|e| panic!("{dir}: {e}"));
        texts(&start, &mut shown);
        let during = scan(&html, &url, &mut state);
        assert!(during.plan.widgets.iter().any(|w| w.key.starts_with("flow:")), "{dir}: the run's progress card");
        texts(&during, &mut shown);
        texts(&scan(&api_html, "https://www.kucoin.com/account/api", &mut state), &mut shown);
        let dom = popup::dom_steps(&popup::model(&state, NOW));
        for &(kind, (a, b), (c, d)) in &dom.steps {
            if kind == popup::TEXT || (kind == popup::ATTR && matches!(&dom.text[a as usize..b as usize], "aria-label" | "title")) {
                let (x, y) = if kind == popup::TEXT { (a, b) } else { (c, d) };
                shown.push(dom.text[x as usize..y as usize].to_string());
            }
        }

        shown.retain(|t| !t.is_empty());
        assert!(shown.len() >= 60, "{dir}: {} texts", shown.len());
        for t in &shown {
            for n in 0..10 {
                assert!(!t.contains(&format!("{{{n}}}")), "{dir}: placeholder left in {t:?}");
            }
            // a message the core cannot find shows as its key: snake_case (no text here has one)
            for w in t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                let key_like = w.contains('_') && w.starts_with(|c: char| c.is_ascii_lowercase()) && w.split('_').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
                assert!(!key_like, "{dir}: message key {w:?} shown in {t:?}");
            }
        }
        // and it is this file's language, not English (for each file but English's own)
        if dir != "en" {
            let title = &first.plan.widgets.iter().find(|w| w.key == "action:logout-all").expect("the Log-out-all card").title;
            assert_eq!(title, &own["btn_logout_all"], "{dir}");
        }
    }
}
