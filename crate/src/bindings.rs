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

/// Storage keys the background must read before calling the core.
#[wasm_bindgen(js_name = storageKeys)]
pub fn storage_keys() -> Vec<JsValue> {
    storage::KEYS.iter().chain(storage::LEGACY_KEYS).map(|k| JsValue::from_str(k)).collect()
}

/// snapshot + stored values → `{outcome: {plan, writes, badge, rescan, toast}, writes: {key: value}}`.
#[wasm_bindgen(js_name = scan)]
pub fn scan(snapshot: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let snap: Snapshot = from_js(snapshot, "snapshot")?;
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

/// Badge for the stored state (startup, storage changes).
#[wasm_bindgen(js_name = badge)]
pub fn badge(stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let loaded = load(stored, now as i64)?;
    to_js(&app::badge(&loaded.state))
}

/// Build the popup into `root`.
#[wasm_bindgen(js_name = renderPopup)]
pub fn render_popup(root: web_sys::Element, stored: JsValue, now: f64) -> Result<(), JsValue> {
    let loaded = load(stored, now as i64)?;
    crate::popup::dom::render(&root, &crate::popup::model(&loaded.state, now as i64))
}
