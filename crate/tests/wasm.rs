//! wasm-bindgen tests in headless Chromium: the bindings convert JS values
//! correctly and the popup renders through web-sys.
#![cfg(target_arch = "wasm32")]

use session_guard::bindings;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(src: &str) -> JsValue {
    js_sys::JSON::parse(src).expect("valid JSON in test")
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |acc, k| js_sys::Reflect::get(&acc, &JsValue::from_str(k)).unwrap())
}

/// What background.js does once per instance: the label tables and the UI
/// messages (here English, as `chrome.i18n` would give them).
fn setup() {
    bindings::set_labels(include_str!("../data/kucoin-labels.tsv").into(), include_str!("../data/extra-labels.tsv").into())
        .expect("label tables accepted");
    let en = js(include_str!("../../extension/_locales/en/messages.json"));
    let messages = js_sys::Object::new();
    for k in js_sys::Object::keys(en.unchecked_ref::<js_sys::Object>()).iter() {
        let text = get(&js_sys::Reflect::get(&en, &k).unwrap(), &["message"]);
        js_sys::Reflect::set(&messages, &k, &text).unwrap();
    }
    bindings::set_messages(messages.into()).expect("messages accepted");
}

#[wasm_bindgen_test]
fn damaged_label_tables_are_refused() {
    assert!(bindings::set_labels(String::new(), String::new()).is_err());
    assert!(bindings::set_labels("key_english\tar\n".into(), "garbage".into()).is_err());
}

const SNAP: &str = r##"{"url":"https://www.kucoin.com/account/security","lang":"en","dir":"","nodes":[
 {"id":1,"parent":0,"tag":"body","text":"","attrs":[],"hidden":false},
 {"id":2,"parent":1,"tag":"table","text":"","attrs":[],"hidden":false},
 {"id":3,"parent":2,"tag":"tr","text":"","attrs":[],"hidden":false},
 {"id":4,"parent":3,"tag":"th","text":"","attrs":[],"hidden":false},{"id":5,"parent":4,"tag":"#text","text":"Login IP","attrs":[],"hidden":false},
 {"id":6,"parent":3,"tag":"th","text":"","attrs":[],"hidden":false},{"id":7,"parent":6,"tag":"#text","text":"Login Device","attrs":[],"hidden":false},
 {"id":8,"parent":3,"tag":"th","text":"","attrs":[],"hidden":false},{"id":9,"parent":8,"tag":"#text","text":"Time","attrs":[],"hidden":false},
 {"id":10,"parent":3,"tag":"th","text":"","attrs":[],"hidden":false},{"id":11,"parent":10,"tag":"#text","text":"Status","attrs":[],"hidden":false},
 {"id":12,"parent":2,"tag":"tr","text":"","attrs":[],"hidden":false},
 {"id":13,"parent":12,"tag":"td","text":"","attrs":[],"hidden":false},{"id":14,"parent":13,"tag":"#text","text":"Lagos(198.51.100.77)","attrs":[],"hidden":false},
 {"id":15,"parent":12,"tag":"td","text":"","attrs":[],"hidden":false},{"id":16,"parent":15,"tag":"#text","text":"Linux Firefox","attrs":[],"hidden":false},
 {"id":17,"parent":12,"tag":"td","text":"","attrs":[],"hidden":false},{"id":18,"parent":17,"tag":"#text","text":"7/14/2025, 03:48:12","attrs":[],"hidden":false},
 {"id":19,"parent":12,"tag":"td","text":"","attrs":[],"hidden":false},{"id":20,"parent":19,"tag":"#text","text":"Online","attrs":[],"hidden":false}
],"env":{"ua":"","brands":[],"platform":"","mobile":false,"utc_offset_minutes":0,"language":"en"}}"##;

#[wasm_bindgen_test]
fn scan_round_trips_through_js_values() {
    setup();
    let out = bindings::scan(js(SNAP), js("{}"), 1_752_500_000_000.0, 0).expect("scan");
    // the plan comes back as the JSON text the core wrote (the background passes it on as it is)
    let plan = get(&out, &["plan"]).as_string().expect("the plan as text");
    assert_eq!(get(&out, &["outcome", "plan", "marks"]).unchecked_into::<js_sys::Array>().length(), 0);
    let marks = get(&js(&plan), &["marks"]);
    let arr: js_sys::Array = marks.dyn_into().unwrap();
    // the row's mark and, on a short list, its bar (plan::BAR_ATTR)
    assert_eq!(arr.length(), 2);
    for (i, attr) in ["data-session-guard", "data-session-guard-bar"].into_iter().enumerate() {
        assert_eq!(get(&arr.get(i as u32), &["attr"]).as_string().unwrap(), attr);
        assert_eq!(get(&arr.get(i as u32), &["value"]).as_string().unwrap(), "unfamiliar");
    }
    assert_eq!(get(&out, &["outcome", "badge", "text"]).as_string().unwrap(), "1");
    // writes are plain objects chrome.storage can hold
    let scan = get(&out, &["writes", "scan"]);
    assert!(scan.is_object());
    assert!(!scan.is_instance_of::<js_sys::Map>());
    assert_eq!(get(&scan, &["summary", "unfamiliar_online"]).as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn snapshot_text_reads_like_the_object() {
    setup();
    let from_object = bindings::scan(js(SNAP), js("{}"), 1_752_500_000_000.0, 0).unwrap();
    let from_text = bindings::scan(JsValue::from_str(SNAP), js("{}"), 1_752_500_000_000.0, 0).unwrap();
    let text = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&from_text), text(&from_object));
    assert!(bindings::scan(JsValue::from_str("{not json"), js("{}"), 0.0, 0).is_err());
}

/// The content script's compact form (snapshot.rs `COMPACT`) gives the same scan as the objects.
#[wasm_bindgen_test]
fn compact_snapshot_reads_like_the_object() {
    setup();
    let from_object = bindings::scan(js(SNAP), js("{}"), 1_752_500_000_000.0, 0).unwrap();
    let compact = r#"{"url":"https://www.kucoin.com/account/security","lang":"en","dir":"","env":{"ua":"","brands":[],"platform":"","mobile":false,"utc_offset_minutes":0,"language":"en"},"n":[
 [1,0,"body"],[2,1,"table"],[3,2,"tr"],[4,3,"th"],[5,4,0,"Login IP"],[6,3,"th"],[7,6,0,"Login Device"],[8,3,"th"],[9,8,0,"Time"],
 [10,3,"th"],[11,10,0,"Status"],[12,2,"tr"],[13,12,"td"],[14,13,0,"Lagos(198.51.100.77)"],[15,12,"td"],[16,15,0,"Linux Firefox"],
 [17,12,"td"],[18,17,0,"7/14/2025, 03:48:12"],[19,12,"td"],[20,19,0,"Online"]]}"#;
    let from_compact = bindings::scan(JsValue::from_str(compact), js("{}"), 1_752_500_000_000.0, 0).unwrap();
    let text = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&from_compact), text(&from_object));
    assert!(get(&from_compact, &["plan"]).as_string().unwrap().contains(r#""id":12"#));
}

#[wasm_bindgen_test]
fn malformed_input_is_an_error_not_a_panic() {
    setup();
    assert!(bindings::scan(js(r#"{"nodes": 5}"#), js("{}"), 0.0, 0).is_err());
    assert!(bindings::act(js(r#"{"kind": "explode"}"#), js("{}"), 0.0).is_err());
    // a corrupt store is kept aside, not fatal
    let out = bindings::scan(js(SNAP), js(r#"{"schema_version": 2, "trust": "garbage"}"#), 5.0, 0).unwrap();
    let kept = get(&out, &["writes", "quarantine/5/trust"]);
    assert_eq!(kept.as_string().as_deref(), Some("garbage"));
}

#[wasm_bindgen_test]
fn popup_renders_counts_as_text() {
    setup();
    let out = bindings::scan(js(SNAP), js("{}"), 1_752_500_000_000.0, 0).unwrap();
    let stored = get(&out, &["writes"]);
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("main").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    bindings::render_popup(root.clone(), stored, 1_752_500_060_000.0).unwrap();
    let h1 = root.query_selector("header.status h1").unwrap().unwrap();
    assert_eq!(h1.text_content().unwrap(), "Review needed: 1 unfamiliar");
    let sessions = root.query_selector("[data-count=sessions]").unwrap().unwrap();
    assert_eq!(sessions.text_content().unwrap(), "1");
    // no scan yet
    bindings::render_popup(root.clone(), js("{}"), 0.0).unwrap();
    assert_eq!(root.query_selector("header.status h1").unwrap().unwrap().text_content().unwrap(), "No scan yet");
    root.remove();
}

#[wasm_bindgen_test]
fn numbers_cross_the_boundary_exactly() {
    setup();
    // stored numbers of every kind survive the trip through JSON text both ways
    let stored = r#"{"schema_version": 2, "settings": {"banner_dismissed": 0.1}, "history": [{"ip":"192.0.2.1","area":"","device":"d","time_ms":1752500000123,"first_seen":-5}]}"#;
    let out = bindings::scan(js(SNAP), js(stored), 7.0, 0).unwrap();
    // the bad settings value is kept aside as it was, and the notice names it
    assert_eq!(get(&out, &["writes", "quarantine/7/settings", "banner_dismissed"]).as_f64(), Some(0.1));
    let notices = get(&out, &["writes", "notices"]);
    let text = get(&notices, &["0", "text"]).as_string().unwrap();
    assert!(text.contains("floating point `0.1`"), "{text}");
    let history: js_sys::Array = get(&out, &["writes", "history"]).dyn_into().unwrap();
    assert!(history.length() >= 1);
    let first = history.iter().find(|h| get(h, &["ip"]).as_string().as_deref() == Some("192.0.2.1")).expect("old sighting kept");
    assert_eq!(get(&first, &["time_ms"]).as_f64(), Some(1_752_500_000_123.0));
    assert_eq!(get(&first, &["first_seen"]).as_f64(), Some(-5.0));
}
