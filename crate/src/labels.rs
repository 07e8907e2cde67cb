//! KuCoin's own UI labels in its 24 languages.
//!
//! Generated from data, not scattered through the code: `data/kucoin-labels.tsv`
//! (one row per English key, one column per UI language) is compiled in and
//! indexed once. Matching is exact after normalisation (case, white space,
//! trailing colon, bidi and zero-width marks), because a substring match would
//! let a device named "Current Chrome" pass for a status.

use std::collections::HashMap;
use std::sync::OnceLock;

const TSV: &str = include_str!("../data/kucoin-labels.tsv");
/// Labels KuCoin has no translation row for (other services' "log out all"
/// controls, see `flow`; API Management fields and chips, see `api`). Same
/// format. These are our own translations, not confirmed KuCoin strings;
/// an empty cell falls back to matching any language.
const EXTRA_TSV: &str = include_str!("../data/extra-labels.tsv");

/// Column keys of the session tables.
pub mod key {
    pub const LOGIN_IP: &str = "Login IP";
    pub const LOGIN_DEVICE: &str = "Login Device";
    pub const TIME: &str = "Time";
    pub const STATUS: &str = "Status";
    pub const TYPE: &str = "Type";
    pub const TRUSTED_DEVICE: &str = "Trusted Device";
    pub const RECENT_ACTIVITY: &str = "Recent Activity";
    pub const REMOVE_DEVICE: &str = "Remove Device";
    pub const CURRENT: &str = "Current";
    pub const ONLINE: &str = "Online";
    pub const OFFLINE: &str = "Offline";
    pub const NO_DATA: &str = "No data";
    pub const REMOVE: &str = "Remove";
    pub const CONFIRM: &str = "Confirm";
    pub const CANCEL: &str = "Cancel";
    pub const RECENT_LOGINS: &str = "Recent Logins";
    pub const SECURITY_LOGS: &str = "Security Logs";
    pub const TRUSTED_DEVICES: &str = "Trusted Devices and IP Addresses";
    pub const SECURITY_SETTINGS: &str = "Security Settings";
    pub const CHANGE: &str = "Change";
    pub const GOOGLE_VERIFICATION: &str = "Google Verification";
    pub const ANTI_PHISHING: &str = "Anti-Phishing Code";
    pub const RESTRICT_LOGIN_IP: &str = "Restrict Login IP";
}

/// Column header keys, in the order the tables show them.
pub const COLUMN_KEYS: &[&str] = &[
    key::LOGIN_IP,
    key::LOGIN_DEVICE,
    key::TIME,
    key::STATUS,
    key::TYPE,
    key::TRUSTED_DEVICE,
    key::RECENT_ACTIVITY,
    key::REMOVE_DEVICE,
];
pub const STATUS_KEYS: &[&str] = &[key::CURRENT, key::ONLINE, key::OFFLINE];

pub struct Labels {
    /// UI languages in column order (`ar`, `bn`, … `zh_CN`).
    pub langs: Vec<&'static str>,
    /// key → label per language (same order as `langs`).
    by_key: HashMap<&'static str, Vec<&'static str>>,
    /// normalised label → [(key, language index)].
    by_text: HashMap<String, Vec<(&'static str, usize)>>,
}

fn parse(into: &mut Labels, tsv: &'static str) {
    let mut lines = tsv.lines();
    let header: Vec<&'static str> = lines.next().unwrap_or("").split('\t').skip(1).collect();
    if into.langs.is_empty() {
        into.langs = header.clone();
    }
    for line in lines {
        let mut cols = line.split('\t');
        let Some(k) = cols.next().filter(|k| !k.is_empty()) else { continue };
        let mut row = vec![""; into.langs.len()];
        for (lang, v) in header.iter().zip(cols) {
            if let Some(li) = into.langs.iter().position(|l| l == lang) {
                row[li] = v;
                if !v.is_empty() {
                    into.by_text.entry(normalize(v)).or_default().push((k, li));
                }
            }
        }
        into.by_key.insert(k, row);
    }
}

pub fn labels() -> &'static Labels {
    static L: OnceLock<Labels> = OnceLock::new();
    L.get_or_init(|| {
        let mut l = Labels { langs: Vec::new(), by_key: HashMap::new(), by_text: HashMap::new() };
        parse(&mut l, TSV);
        parse(&mut l, EXTRA_TSV);
        l
    })
}

/// Lower-case, collapse white space, drop bidi / zero-width marks and a
/// trailing colon. Cheap enough to run on every text piece of a page.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if matches!(ch, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}') {
            continue;
        }
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in ch.to_lowercase() {
            out.push(l);
        }
    }
    while out.ends_with(':') || out.ends_with('：') {
        out.pop();
        while out.ends_with(' ') {
            out.pop();
        }
    }
    out
}

/// Map a page's language hint (URL prefix, `<html lang>`) to a KuCoin UI
/// language code, or `None` when we cannot tell.
pub fn ui_lang(hint: &str) -> Option<&'static str> {
    let h = hint.trim().replace('-', "_").to_ascii_lowercase();
    if h.is_empty() {
        return None;
    }
    let langs = &labels().langs;
    if let Some(l) = langs.iter().find(|l| l.replace('-', "_").to_ascii_lowercase() == h) {
        return Some(l);
    }
    match h.as_str() {
        "zh_tw" | "zh_hk" | "zh_mo" | "zh_hant" | "zh_hant_tw" | "zh_hant_hk" => return langs.iter().copied().find(|l| *l == "zh-hant"),
        "zh" | "zh_hans" | "zh_cn" | "zh_sg" | "zh_hans_cn" => return langs.iter().copied().find(|l| *l == "zh_CN"),
        "tl" => return langs.iter().copied().find(|l| *l == "fil"),
        _ => {}
    }
    let base = h.split('_').next().unwrap_or("");
    langs.iter().copied().find(|l| *l == base)
}

/// The label of `key` in UI language `lang` (falls back to English).
pub fn label(key: &str, lang: &str) -> Option<&'static str> {
    let l = labels();
    let row = l.by_key.get(key)?;
    let li = l.langs.iter().position(|x| *x == lang);
    let en = l.langs.iter().position(|x| *x == "en");
    li.and_then(|i| row.get(i).copied().filter(|s| !s.is_empty()))
        .or_else(|| en.and_then(|i| row.get(i).copied()))
}

/// Which of `candidates` does `text` name?
///
/// With a known page language, that language's labels decide (in Russian
/// "Онлайн" is *Current* while in Ukrainian it may be *Online*). Without one,
/// or when the page language has no match, any language may match, but only
/// if every language that knows the text agrees on one key.
pub fn match_key(text: &str, lang: Option<&str>, candidates: &[&'static str]) -> Option<&'static str> {
    if text.len() > 200 {
        return None;
    }
    let l = labels();
    let hits = l.by_text.get(&normalize(text))?;
    let hits: Vec<&(&'static str, usize)> = hits.iter().filter(|(k, _)| candidates.contains(k)).collect();
    if let Some(lang) = lang {
        if let Some(li) = l.langs.iter().position(|x| *x == lang) {
            let mine: Vec<&'static str> = hits.iter().filter(|(_, i)| *i == li).map(|(k, _)| *k).collect();
            if let Some(first) = mine.first() {
                return if mine.iter().all(|k| k == first) { Some(first) } else { None };
            }
        }
    }
    let first = hits.first()?.0;
    if hits.iter().all(|(k, _)| *k == first) {
        Some(first)
    } else {
        None
    }
}

/// Is `text` exactly (after normalisation) the label of one of `keys`, in
/// any language? Unlike `match_key` this does not need the keys to be told
/// apart: several of them may share one translation ("Log out of all
/// devices" / "Log out all devices").
pub fn is_label(text: &str, keys: &[&str]) -> bool {
    if text.len() > 400 {
        return false;
    }
    labels().by_text.get(&normalize(text)).is_some_and(|hits| hits.iter().any(|(k, _)| keys.contains(k)))
}

/// Does `text` contain the label of `key` in any language? (For dialog texts
/// that carry more words around the label.)
pub fn contains_label(text: &str, key: &str) -> bool {
    let l = labels();
    let Some(row) = l.by_key.get(key) else { return false };
    let t = normalize(text);
    row.iter().filter(|s| !s.is_empty()).any(|s| t.contains(&normalize(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_loads_all_languages() {
        let l = labels();
        assert_eq!(l.langs.len(), 24, "{:?}", l.langs);
        assert!(l.langs.contains(&"zh_CN") && l.langs.contains(&"ar"));
        for k in COLUMN_KEYS.iter().chain(STATUS_KEYS) {
            for lang in &l.langs {
                assert!(label(k, lang).is_some_and(|s| !s.is_empty()), "{k} in {lang}");
            }
        }
    }

    #[test]
    fn russian_current_trap() {
        assert_eq!(match_key("Онлайн", Some("ru"), STATUS_KEYS), Some(key::CURRENT));
        assert_eq!(match_key("В сети", Some("ru"), STATUS_KEYS), Some(key::ONLINE));
        assert_eq!(match_key("Current", Some("en"), STATUS_KEYS), Some(key::CURRENT));
        // page in Russian but English word shown: fall back to all languages
        assert_eq!(match_key("Offline", Some("ru"), STATUS_KEYS), Some(key::OFFLINE));
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("  Login\u{a0}IP : "), "login ip");
        assert_eq!(normalize("\u{200f}Status"), "status");
        assert_eq!(match_key("Login Apparaat:", Some("nl"), COLUMN_KEYS), Some(key::LOGIN_DEVICE));
        assert_eq!(match_key("LOGIN IP", None, COLUMN_KEYS), Some(key::LOGIN_IP));
        assert_eq!(match_key("Current Chrome", Some("en"), STATUS_KEYS), None);
    }

    #[test]
    fn extra_labels_cover_every_language() {
        let l = labels();
        let extra: Vec<&str> = EXTRA_TSV.lines().skip(1).filter_map(|line| line.split('\t').next()).filter(|k| !k.is_empty()).collect();
        assert!(extra.len() >= 8, "{extra:?}");
        for k in &extra {
            let row = l.by_key.get(k).unwrap();
            for (i, lang) in l.langs.iter().enumerate() {
                assert!(!row[i].is_empty(), "extra label \"{k}\" has no {lang} translation");
                assert!(is_label(row[i], &[k]), "{k} in {lang}");
            }
        }
        assert!(is_label("  LOG OUT ALL DEVICES ", &["Log out all devices"]));
        assert!(is_label("Выйти на всех устройствах", &["Log out all devices", "Sign out of all devices"]));
        assert!(!is_label("Log out all devices now", &["Log out all devices"]));
    }

    #[test]
    fn ui_lang_hints() {
        assert_eq!(ui_lang("zh-CN"), Some("zh_CN"));
        assert_eq!(ui_lang("zh_CN"), Some("zh_CN"));
        assert_eq!(ui_lang("zh-TW"), Some("zh-hant"));
        assert_eq!(ui_lang("zh-hant"), Some("zh-hant"));
        assert_eq!(ui_lang("pt-BR"), Some("pt"));
        assert_eq!(ui_lang("en-US"), Some("en"));
        assert_eq!(ui_lang("vi"), Some("vi"));
        assert_eq!(ui_lang("xx"), None);
        assert_eq!(ui_lang(""), None);
    }

    #[test]
    fn every_language_reads_its_own_headers() {
        let l = labels();
        for lang in &l.langs {
            for k in COLUMN_KEYS {
                let text = label(k, lang).unwrap();
                let got = match_key(text, Some(lang), COLUMN_KEYS);
                // Some languages use one word for two columns (e.g. "Login IP"
                // equals "Login Device"?) — then the match must be None, never wrong.
                assert!(got.is_none() || got == Some(k) || label(got.unwrap(), lang) == Some(text), "{lang}: {text}");
            }
        }
    }
}
