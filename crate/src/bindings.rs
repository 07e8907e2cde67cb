//! wasm-bindgen exports for the background and the popup. Convert and
//! delegate: no decisions here. One coarse call per scan.

use crate::app::{self, Outcome};
use crate::plan::Action;
use crate::snapshot::Snapshot;
use crate::storage::{self, Loaded, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String, JsValue> {
    storage::to_json(v).map_err(|e| JsValue::from_str(&e))
}

/// Rust → JS as JSON text parsed by the engine: plain objects (not Maps), so
/// chrome.storage and messaging accept them, and one call instead of one per field.
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&json(v)?)
}

fn malformed(what: &str, e: &str) -> JsValue {
    JsValue::from_str(&format!("malformed {what}: {e}"))
}

/// JS value → `T` through `JSON.stringify`: one string crosses into the wasm
/// instead of one call per field, and one small JSON reader replaces a generic
/// deserializer for JS values (size and speed; see BENCHMARKS.md).
fn from_js<T: serde::de::DeserializeOwned>(v: JsValue, what: &str) -> Result<T, JsValue> {
    let text = js_sys::JSON::stringify(&v).map_err(|_| malformed(what, "not JSON data"))?;
    let text = text.as_string().ok_or_else(|| malformed(what, "not JSON data"))?;
    storage::from_json_text(&text).map_err(|e| malformed(what, &e))
}

fn load(stored: JsValue, now: i64) -> Result<Loaded, JsValue> {
    let raw: BTreeMap<String, Value> = if stored.is_undefined() || stored.is_null() {
        BTreeMap::new()
    } else {
        match from_js::<Value>(stored, "stored data")? {
            Value::Obj(m) => m,
            other => return Err(malformed("stored data", &format!("expected an object, found {}", other.type_name()))),
        }
    };
    Ok(storage::load(&raw, now))
}

fn reply(loaded: Loaded, state: &storage::State, mut outcome: Outcome) -> Result<JsValue, JsValue> {
    for k in &loaded.dirty {
        if !outcome.writes.iter().any(|w| w == k) {
            outcome.writes.push(k.to_string());
        }
    }
    // {"outcome": …, "writes": {copies of bad data first, then the changed state keys}}
    let mut writes: Vec<String> = Vec::new();
    for (k, v) in &loaded.quarantine {
        writes.push(format!("{}:{}", json(k.as_str())?, json(v)?));
    }
    let fields = storage::to_json_only(state, Some(&outcome.writes)).map_err(|e| JsValue::from_str(&e))?;
    let inner = fields.strip_prefix('{').and_then(|f| f.strip_suffix('}')).unwrap_or("");
    if !inner.is_empty() {
        writes.push(inner.to_string());
    }
    to_js_text(&format!("{{\"outcome\":{},\"writes\":{{{}}}}}", json(&outcome)?, writes.join(",")))
}

fn to_js_text(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

/// Message keys the core uses; the caller looks each up with `chrome.i18n`.
#[wasm_bindgen(js_name = messageKeys)]
pub fn message_keys() -> Vec<JsValue> {
    crate::i18n::keys().map(JsValue::from_str).collect()
}

/// Install the UI-language messages (`{key: message}`); English is built in.
#[wasm_bindgen(js_name = setMessages)]
pub fn set_messages(messages: JsValue) -> Result<(), JsValue> {
    let m: std::collections::HashMap<String, String> = from_js(messages, "messages")?;
    crate::i18n::set_catalog(m);
    Ok(())
}

/// Storage keys the background must read before calling the core.
#[wasm_bindgen(js_name = storageKeys)]
pub fn storage_keys() -> Vec<JsValue> {
    storage::KEYS.iter().chain(storage::LEGACY_KEYS).map(|k| JsValue::from_str(k)).collect()
}

/// The schema this core writes. A store with another, unreadable version is
/// read whole (every key) so it can be kept aside whole.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    storage::SCHEMA_VERSION
}

/// snapshot + stored values → `{outcome: {plan, writes, badge, rescan, toast}, writes: {key: value}}`.
#[wasm_bindgen(js_name = scan)]
pub fn scan(snapshot: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let snap: Snapshot = from_js(snapshot, "snapshot")?;
    #[cfg(feature = "test-hooks")]
    test_hooks::maybe_panic(&snap);
    let now = now as i64;
    let mut loaded = load(stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let out = app::handle_scan(&snap, &mut state, now);
    reply(loaded, &state, out)
}

/// A trusted click on one of our buttons.
#[wasm_bindgen(js_name = act)]
pub fn act(action: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let action: Action = from_js(action, "action")?;
    let now = now as i64;
    let mut loaded = load(stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let out = app::handle_action(&action, &mut state, now).map_err(|e| JsValue::from_str(&e))?;
    reply(loaded, &state, out)
}

/// "Import trusted devices": a parsed JSON file → validated merge.
#[wasm_bindgen(js_name = importTrust)]
pub fn import_trust(data: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let v: Value = from_js(data, "file")?;
    let now = now as i64;
    let mut loaded = load(stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let out = app::handle_import(&v, &mut state, now).map_err(|e| JsValue::from_str(&e))?;
    reply(loaded, &state, out)
}

/// "Export report": everything stored (including data kept aside) as one object.
#[wasm_bindgen(js_name = exportReport)]
pub fn export_report(stored_all: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let raw: BTreeMap<String, Value> = from_js(stored_all, "stored data")?;
    let kept: Vec<(String, Value)> = raw.iter().filter(|(k, _)| k.starts_with(storage::QUARANTINE_PREFIX)).map(|(k, v)| (k.clone(), v.clone())).collect();
    let loaded = storage::load(&raw, now as i64);
    to_js(&app::export_report(&loaded.state, kept, now as i64))
}

/// Badge for the stored state (startup, storage changes).
#[wasm_bindgen(js_name = badge)]
pub fn badge(stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let loaded = load(stored, now as i64)?;
    to_js(&app::badge(&loaded.state, now as i64))
}

/// When the badge must be recomputed without a scan (Unix ms), or undefined.
#[wasm_bindgen(js_name = wakeAt)]
pub fn wake_at(stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let loaded = load(stored, now as i64)?;
    Ok(loaded.state.checks.wake_at(now as i64).map(|t| JsValue::from_f64(t as f64)).unwrap_or(JsValue::UNDEFINED))
}

/// Build the popup into `root`.
#[wasm_bindgen(js_name = renderPopup)]
pub fn render_popup(root: web_sys::Element, stored: JsValue, now: f64) -> Result<(), JsValue> {
    let loaded = load(stored, now as i64)?;
    crate::popup::dom::render(&root, &crate::popup::model(&loaded.state, now as i64))
}

/// Test builds only (feature `test-hooks`, built into target/dist-test, never
/// into dist/): a page showing this exact text makes the core panic, so the
/// browser tests can prove a panic never breaks the page and the next scan
/// works on a fresh instance.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    pub const TEST_PANIC_MARKER: &str = "__SESSION_GUARD_TEST_PANIC__";

    pub fn maybe_panic(snap: &crate::snapshot::Snapshot) {
        if snap.nodes.iter().any(|n| n.text == TEST_PANIC_MARKER) {
            panic!("Session Guard test hook: deliberate panic (test build only)");
        }
    }
}
