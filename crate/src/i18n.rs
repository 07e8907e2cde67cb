//! UI strings. Every string a person reads comes from `extension/_locales`
//! (`chrome.i18n`): the background and the popup hand the core the messages
//! of the browser's UI language once (`set_catalog`); `chrome.i18n` fills
//! what a language lacks with English. Host builds (tests, CLI) have English
//! from `_locales/en/messages.json` compiled in (build.rs); the wasm does not.
//! Placeholders are `{0}`, `{1}`, … (chrome.i18n leaves them alone).

use std::sync::RwLock;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// (key, message) sorted by key; `None` until the messages arrive.
static CATALOG: RwLock<Option<Vec<(String, String)>>> = RwLock::new(None);

/// Every key the core may ask for (what the background looks up).
pub fn keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter().copied()
}

/// Install the messages of the UI language (empty values are ignored).
pub fn set_catalog(messages: impl IntoIterator<Item = (String, String)>) {
    let mut m: Vec<(String, String)> = Vec::new();
    for (k, v) in messages {
        if !v.is_empty() {
            m.push((k, v));
        }
    }
    crate::util::sort_stable_by(&mut m, |a, b| a.0.cmp(&b.0));
    if let Ok(mut c) = CATALOG.write() {
        *c = if m.is_empty() { None } else { Some(m) };
    }
}

/// The English message of `key` (host builds; the wasm gets it from `chrome.i18n`).
pub fn english(key: &str) -> Option<&'static str> {
    #[cfg(not(target_arch = "wasm32"))]
    return KEYS.binary_search(&key).ok().map(|i| EN[i]);
    #[cfg(target_arch = "wasm32")]
    {
        let _ = key;
        None
    }
}

/// The message for `key` with `{n}` replaced by `args[n]`. A missing key
/// shows as the key itself (a visible bug, never a crash).
pub fn t(key: &str, args: &[&str]) -> String {
    let guard = CATALOG.read().ok();
    let localized = guard.as_ref().and_then(|g| g.as_ref()).and_then(|c| {
        let i = c.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(c[i].1.as_str())
    });
    let template = localized.or_else(|| english(key)).unwrap_or(key);
    fill(template, args)
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

/// "1 session" / "5 sessions" from `<key>_one` / `<key>_many`.
pub fn plural(key: &str, n: u32) -> String {
    let k = if n == 1 { format!("{key}_one") } else { format!("{key}_many") };
    t(&k, &[&n.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_compiled_in_and_sorted() {
        assert!(KEYS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KEYS.len(), EN.len());
        assert_eq!(english("extName"), Some("Session Guard"));
        assert_eq!(t("no_such_key", &[]), "no_such_key");
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
    }

    #[test]
    fn every_shipped_locale_translates_every_key() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../extension/_locales");
        let mut locales = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path().join("messages.json");
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let missing: Vec<&str> = KEYS.iter().copied().filter(|k| json.get(*k).is_none()).collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", path.display());
            locales += 1;
        }
        assert!(locales >= 12, "{locales} locales");
    }

    #[test]
    fn every_locale_has_the_same_placeholders_as_english() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../extension/_locales");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path().join("messages.json");
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for (k, v) in json.as_object().unwrap() {
                let en = english(k).unwrap_or_else(|| panic!("{}: key {k} not in English", path.display()));
                let msg = v["message"].as_str().unwrap();
                for n in 0..10 {
                    let ph = format!("{{{n}}}");
                    assert_eq!(en.contains(&ph), msg.contains(&ph), "{}: {k} placeholder {ph}", path.display());
                }
            }
        }
    }
}
