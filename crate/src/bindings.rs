//! wasm-bindgen exports for the background and the popup. Convert and
//! delegate: no decisions here. One coarse call per scan.

use crate::app::{self, Outcome};
use crate::plan::Action;
use crate::snapshot::Snapshot;
use crate::storage::{self, Loaded, Value};
use crate::json::{FromJson, ToJson};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn json(v: &dyn ToJson) -> String {
    crate::json::to_text(v)
}

/// Rust → JS as JSON text parsed by the engine: plain objects (not Maps), so
/// chrome.storage and messaging accept them, and one call instead of one per field.
fn to_js(v: &dyn ToJson) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&json(v))
}

fn malformed(what: &str, e: &str) -> JsValue {
    JsValue::from_str(&format!("malformed {what}: {e}"))
}

/// JS value → JSON text through `JSON.stringify`: one string crosses into the
/// wasm instead of one call per field, and the core's own small JSON reader
/// (`json.rs`) replaces a generic deserializer (size and speed; see BENCHMARKS.md).
fn js_text(v: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = js_sys::JSON::stringify(v).map_err(|_| malformed(what, "not JSON data"))?;
    text.as_string().ok_or_else(|| malformed(what, "not JSON data"))
}

fn from_js_value(v: JsValue, what: &str) -> Result<Value, JsValue> {
    crate::json::parse(&js_text(&v, what)?).map_err(|e| malformed(what, &e))
}

fn from_js<T: FromJson>(v: JsValue, what: &str) -> Result<T, JsValue> {
    from_text(&js_text(&v, what)?, what)
}

/// JSON text → `T` (text that crossed as a string is not stringified again).
fn from_text<T: FromJson>(text: &str, what: &str) -> Result<T, JsValue> {
    let v = crate::json::parse(text).map_err(|e| malformed(what, &e))?;
    T::from_json(&v).map_err(|e| malformed(what, &e.to_string()))
}

/// The stored items (`chrome.storage.local.get` result) as (key, value)
/// members: all in one text, or, when that cannot be read (one item nested
/// too deeply, or one `JSON.stringify` refuses), item by item
/// (`storage::read_members`), so the other items stay readable.
fn members(stored: &JsValue) -> Result<storage::Members, JsValue> {
    if stored.is_undefined() || stored.is_null() {
        return Ok(storage::Members::default());
    }
    let whole = js_text(stored, "stored data").map_err(|_| "not JSON data".to_string());
    let each = || {
        let mut items = Vec::new();
        if let Some(obj) = stored.dyn_ref::<js_sys::Object>() {
            for k in js_sys::Object::keys(obj).iter() {
                let Some(key) = k.as_string() else { continue };
                let text = js_sys::Reflect::get(stored, &k)
                    .ok()
                    .and_then(|v| js_sys::JSON::stringify(&v).ok())
                    .and_then(|t| t.as_string())
                    .ok_or_else(|| "not JSON data".to_string());
                items.push((key, text));
            }
        }
        items
    };
    storage::read_members(whole, each).map_err(|e| malformed("stored data", &e))
}

fn load(stored: &JsValue, now: i64) -> Result<Loaded, JsValue> {
    Ok(storage::load_stored(&members(stored)?, now))
}

/// Items that could not be read as JSON, copied aside as the browser stored
/// them (`Loaded::copy_as_is`) into the reply's writes.
fn copy_as_is(res: &JsValue, stored: &JsValue, copies: &[(String, String)]) -> Result<(), JsValue> {
    if copies.is_empty() {
        return Ok(());
    }
    let writes = js_sys::Reflect::get(res, &JsValue::from_str("writes"))?;
    for (kept, key) in copies {
        let v = js_sys::Reflect::get(stored, &JsValue::from_str(key))?;
        js_sys::Reflect::set(&writes, &JsValue::from_str(kept), &v)?;
    }
    Ok(())
}

fn reply(stored: &JsValue, loaded: Loaded, state: &storage::State, outcome: Outcome) -> Result<JsValue, JsValue> {
    let copies = loaded.copy_as_is.clone();
    let res = reply_text(loaded, state, outcome)?;
    copy_as_is(&res, stored, &copies)?;
    Ok(res)
}

fn reply_text(loaded: Loaded, state: &storage::State, mut outcome: Outcome) -> Result<JsValue, JsValue> {
    for k in &loaded.dirty {
        if !outcome.writes.iter().any(|w| w == k) {
            outcome.writes.push(k.to_string());
        }
    }
    // {"outcome": …, "writes": {copies of bad data first, then the changed state keys}}
    let mut writes: Vec<String> = Vec::new();
    for (k, v) in &loaded.quarantine {
        writes.push(format!("{}:{}", json(k), json(v)));
    }
    let fields = storage::to_json_only(state, Some(&outcome.writes));
    let inner = fields.strip_prefix('{').and_then(|f| f.strip_suffix('}')).unwrap_or("");
    if !inner.is_empty() {
        writes.push(inner.to_string());
    }
    to_js_text(&format!("{{\"outcome\":{},\"writes\":{{{}}}}}", json(&outcome), crate::util::join(&writes, ",")))
}

fn to_js_text(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

/// Message keys the core uses, separated by spaces; the caller looks each up
/// with `chrome.i18n`. `lang`: the UI language's `plural_rules` message
/// (which forms of the counted messages to ask for).
#[wasm_bindgen(js_name = messageKeys)]
pub fn message_keys(lang: String) -> String {
    crate::i18n::keys(&lang)
}

/// The direction and the `lang` of the messages installed (`setMessages`):
/// `{dir: "ltr" | "rtl", lang}`; `uiLanguage` is `chrome.i18n.getUILanguage()`.
#[wasm_bindgen(js_name = textLanguage)]
pub fn text_language(ui_language: String) -> Result<JsValue, JsValue> {
    let (dir, lang) = crate::i18n::text_language(&ui_language);
    let out = js_sys::Object::new();
    js_sys::Reflect::set(&out, &"dir".into(), &dir.into())?;
    js_sys::Reflect::set(&out, &"lang".into(), &lang.into())?;
    Ok(out.into())
}

/// Install the UI-language messages (`{key: message}`, from `chrome.i18n`).
#[wasm_bindgen(js_name = setMessages)]
pub fn set_messages(messages: JsValue) -> Result<(), JsValue> {
    let v = from_js_value(messages, "messages")?;
    let mut m = Vec::new();
    for (k, x) in crate::json::obj(&v).map_err(|e| malformed("messages", &e.to_string()))? {
        let text = String::from_json(x).map_err(|e| malformed("messages", &e.at(k).to_string()))?;
        m.push((k.clone(), text));
    }
    crate::i18n::set_catalog(m);
    Ok(())
}

/// Install KuCoin's label tables (`core/labels.js`, generated by build.sh
/// from `crate/data/*.tsv`): once per instance, before the first scan.
#[wasm_bindgen(js_name = setLabels)]
pub fn set_labels(kucoin: String, extra: String) -> Result<(), JsValue> {
    crate::labels::install(kucoin, extra).map_err(|e| JsValue::from_str(&e))
}

/// Scans without the label tables would quietly read pages by shape only.
fn labels_ready() -> Result<(), JsValue> {
    if crate::labels::installed() {
        Ok(())
    } else {
        Err(JsValue::from_str("the core has no label tables (setLabels was not called)"))
    }
}

/// Storage keys the background must read before calling the core.
#[wasm_bindgen(js_name = storageKeys)]
pub fn storage_keys() -> Vec<JsValue> {
    let mut out = Vec::new();
    for k in storage::KEYS {
        out.push(JsValue::from_str(k));
    }
    for k in storage::LEGACY_KEYS {
        out.push(JsValue::from_str(k));
    }
    out
}

/// The schema this core writes. A store with another, unreadable version is
/// read whole (every key) so it can be kept aside whole.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    storage::SCHEMA_VERSION
}

/// snapshot + stored values → `{outcome: {writes, badge, rescan, toast, …}, writes: {key: value}, plan: "…"}`.
///
/// `snapshot` may be the content script's JSON text as it arrived (compact or
/// object form; the background then only checks its header, with no stringify
/// back); `tab` (not 0) is the sender's tab, which the background knows and
/// the page does not. The plan is the JSON text the core wrote, for the
/// background to pass to the page as it is (thousands of marks at 5,000 rows:
/// no parse and stringify in between); `outcome.plan` is then an empty plan.
#[wasm_bindgen(js_name = scan)]
pub fn scan(snapshot: JsValue, stored: JsValue, now: f64, tab: u32) -> Result<JsValue, JsValue> {
    labels_ready()?;
    let mut snap: Snapshot = match snapshot.as_string() {
        Some(text) => from_text(&text, "snapshot")?,
        None => from_js(snapshot, "snapshot")?,
    };
    if tab != 0 {
        snap.tab = i64::from(tab);
    }
    // Words split across text nodes read whole (`handle_scan` would copy the snapshot for it).
    crate::snapshot::join_glued(&mut snap);
    #[cfg(feature = "test-hooks")]
    test_hooks::maybe_panic(&snap);
    let now = now as i64;
    let mut loaded = load(&stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let mut out = app::handle_scan(&snap, &mut state, now);
    let plan = json(&std::mem::replace(&mut out.plan, crate::plan::Plan::placeholder()));
    let res = reply(&stored, loaded, &state, out)?;
    js_sys::Reflect::set(&res, &JsValue::from_str("plan"), &JsValue::from_str(&plan))?;
    Ok(res)
}

/// A trusted click on one of our buttons.
#[wasm_bindgen(js_name = act)]
pub fn act(action: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    labels_ready()?;
    let action: Action = from_js(action, "action")?;
    let now = now as i64;
    let mut loaded = load(&stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let out = app::handle_action(&action, &mut state, now).map_err(|e| JsValue::from_str(&e))?;
    reply(&stored, loaded, &state, out)
}

/// "Import trusted devices": a parsed JSON file → validated merge.
#[wasm_bindgen(js_name = importTrust)]
pub fn import_trust(data: JsValue, stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let v = from_js_value(data, "file")?;
    let now = now as i64;
    let mut loaded = load(&stored, now)?;
    let mut state = std::mem::take(&mut loaded.state);
    let out = app::handle_import(&v, &mut state, now).map_err(|e| JsValue::from_str(&e))?;
    reply(&stored, loaded, &state, out)
}

/// "Export report": everything stored (including data kept aside) as one object.
#[wasm_bindgen(js_name = exportReport)]
pub fn export_report(stored_all: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let raw = members(&stored_all)?;
    let loaded = storage::load_stored(&raw, now as i64);
    to_js(&app::export_report(&loaded.state, storage::kept_aside(&raw, &loaded), now as i64))
}

/// Badge for the stored state (startup, storage changes).
#[wasm_bindgen(js_name = badge)]
pub fn badge(stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let loaded = load(&stored, now as i64)?;
    to_js(&app::badge(&loaded.state, now as i64))
}

/// When the badge must be recomputed without a scan (Unix ms), or undefined.
#[wasm_bindgen(js_name = wakeAt)]
pub fn wake_at(stored: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let loaded = load(&stored, now as i64)?;
    Ok(loaded.state.checks.wake_at(now as i64).map(|t| JsValue::from_f64(t as f64)).unwrap_or(JsValue::UNDEFINED))
}

/// Build the popup into `root`.
#[wasm_bindgen(js_name = renderPopup)]
pub fn render_popup(root: web_sys::Element, stored: JsValue, now: f64) -> Result<(), JsValue> {
    let loaded = load(&stored, now as i64)?;
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
