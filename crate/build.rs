//! Compiles the message keys of `extension/_locales/en/messages.json` into the
//! core (the list the background asks `chrome.i18n` for) and, for host builds
//! only (tests, CLI), the English messages. The extension's core gets every
//! message from `chrome.i18n`, which itself falls back to English, so the wasm
//! carries no copy. `_locales` stays the single source of every string.
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
    let mut out = String::from("/// Message keys, sorted.\npub static KEYS: &[&str] = &[\n");
    for (k, _) in &entries {
        out.push_str(&format!("    {k:?},\n"));
    }
    out.push_str("];\n/// English messages, in the order of `KEYS`.\n#[cfg(not(target_arch = \"wasm32\"))]\nstatic EN: &[&str] = &[\n");
    for (_, v) in &entries {
        out.push_str(&format!("    {v:?},\n"));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("messages.rs"), out).unwrap();
}
