//! Compiles the message keys of `extension/_locales/en/messages.json` into the
//! core (the list the background asks `chrome.i18n` for) and, for host builds
//! only (tests, CLI), the English messages. The extension's core gets every
//! message from `chrome.i18n`, which itself falls back to English, so the wasm
//! carries no copy. `_locales` stays the single source of every string.
//!
//! A counted message is a family `<base>_one`, `_few`, `_many`, `_other` (CLDR
//! plural categories); English has `<base>_one` and `<base>_other`. The core
//! gets the plain keys (`KEYS`) and the bases (`PLURALS`) and asks for the
//! forms the UI language's rules use (`i18n::keys`).
use std::{env, fs, path::Path};

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../extension/_locales/en/messages.json");
    println!("cargo:rerun-if-changed={}", src.display());
    let text = fs::read_to_string(&src).expect("extension/_locales/en/messages.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("messages.json is valid JSON");
    let mut entries: Vec<(String, String)> = json
        .as_object()
        .expect("messages.json is an object")
        .iter()
        .map(|(k, v)| (k.clone(), v["message"].as_str().expect("every message has a \"message\"").to_string()))
        .collect();
    entries.sort();
    let has = |k: &str| entries.iter().any(|(e, _)| e == k);
    let mut plurals: Vec<&str> = entries.iter().filter_map(|(k, _)| k.strip_suffix("_other")).collect();
    plurals.sort();
    for base in &plurals {
        assert!(has(&format!("{base}_one")), "{base}_other has no {base}_one in English");
    }
    let is_form = |k: &str| {
        ["_one", "_few", "_many", "_other"].iter().any(|s| k.strip_suffix(s).is_some_and(|b| plurals.contains(&b)))
    };
    let mut out = String::from("/// Message keys, sorted (counted messages are in `PLURALS`).\npub static KEYS: &[&str] = &[\n");
    for (k, _) in entries.iter().filter(|(k, _)| !is_form(k)) {
        out.push_str(&format!("    {k:?},\n"));
    }
    out.push_str("];\n/// Bases of the counted messages (`<base>_one`, `<base>_other`, …), sorted.\npub static PLURALS: &[&str] = &[\n");
    for base in &plurals {
        out.push_str(&format!("    {base:?},\n"));
    }
    out.push_str("];\n/// Every English key, sorted, and its message.\n#[cfg(not(target_arch = \"wasm32\"))]\nstatic EN: &[(&str, &str)] = &[\n");
    for (k, v) in &entries {
        out.push_str(&format!("    ({k:?}, {v:?}),\n"));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("messages.rs"), out).unwrap();
}
