//! The stored state: versioned schema, migrations, validation, recovery.
//!
//! `chrome.storage.local` holds one key per concern. The background reads
//! them all, the bindings turn them into `Value`s (a plain dynamic value, no
//! `serde_json` in the wasm) and this module decides: migrate, decode, or keep
//! a corrupt value aside under `quarantine/<time>/<key>` and tell the user.
//! Nothing is ever silently reset and nothing stored is ever overwritten
//! before a copy of it is safe.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current schema. History:
/// - 1: `trusted` (flat array of devices), `scan`.
/// - 2: `trust` {devices, suspects}, `acks`, `history`, `settings`, `flow`, `checks`.
pub const SCHEMA_VERSION: u32 = 2;

/// Keys this version reads and writes.
pub const KEYS: &[&str] = &["schema_version", "trust", "acks", "scan", "history", "settings", "flow", "checks", "notices", "api"];
/// Legacy keys migrations read.
pub const LEGACY_KEYS: &[&str] = &["trusted"];
pub const QUARANTINE_PREFIX: &str = "quarantine/";

/// A dynamic value as stored (what `JSON.parse` or structured clone gives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(BTreeMap<String, Value>),
}

impl Value {
    pub fn get(&self, k: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.get(k),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "a list",
            Value::Obj(_) => "an object",
        }
    }
}

// ---- Value as a serde Deserializer, so typed structs decode from it. ----

#[derive(Debug)]
pub struct DecodeError(pub String);
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DecodeError {}
impl de::Error for DecodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DecodeError(msg.to_string())
    }
}

impl<'de> IntoDeserializer<'de, DecodeError> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

// Each `deserialize_*` handles only the shape its type can take and reports
// anything else exactly as `deserialize_any` + the visitor would (same
// `Unexpected`, same message). Routing everything through `deserialize_any`
// instantiated every branch (sequences, maps, numbers) for every visitor and
// was most of the core's size; this is the same behaviour in far less code.

impl Value {
    /// What `deserialize_any` would have shown the visitor (for error messages).
    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Num(n) => match num_kind(*n) {
                Num::U(u) => de::Unexpected::Unsigned(u),
                Num::I(i) => de::Unexpected::Signed(i),
                Num::F(f) => de::Unexpected::Float(f),
            },
            Value::Str(s) => de::Unexpected::Str(s),
            Value::Arr(_) => de::Unexpected::Seq,
            Value::Obj(_) => de::Unexpected::Map,
        }
    }
    fn invalid<'de, V: Visitor<'de>, T>(&self, v: &V) -> Result<T, DecodeError> {
        Err(de::Error::invalid_type(self.unexpected(), v))
    }
}

enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// Integers travel as `u64` / `i64` (stored times and counts), the rest as `f64`.
fn num_kind(n: f64) -> Num {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        if n >= 0.0 {
            Num::U(n as u64)
        } else {
            Num::I(n as i64)
        }
    } else {
        Num::F(n)
    }
}

fn visit_num<'de, V: Visitor<'de>>(n: f64, v: V) -> Result<V::Value, DecodeError> {
    match num_kind(n) {
        Num::U(u) => v.visit_u64(u),
        Num::I(i) => v.visit_i64(i),
        Num::F(f) => v.visit_f64(f),
    }
}

macro_rules! lean_num {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self {
                Value::Num(n) => visit_num(n, v),
                other => other.invalid(&v),
            }
        }
    )*};
}

macro_rules! lean_str {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self {
                Value::Str(s) => v.visit_string(s),
                other => other.invalid(&v),
            }
        }
    )*};
}

macro_rules! lean_seq {
    ($($m:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $m<V: Visitor<'de>>(self, $($arg: $ty,)* v: V) -> Result<V::Value, DecodeError> {
            $(let _ = $arg;)*
            match self {
                Value::Arr(a) => visit_arr(a, v),
                other => other.invalid(&v),
            }
        }
    )*};
}

fn visit_arr<'de, V: Visitor<'de>>(a: Vec<Value>, v: V) -> Result<V::Value, DecodeError> {
    // No `end()`: like before, a visitor may leave trailing elements unread.
    v.visit_seq(de::value::SeqDeserializer::new(a.into_iter()))
}

fn visit_obj<'de, V: Visitor<'de>>(m: BTreeMap<String, Value>, v: V) -> Result<V::Value, DecodeError> {
    v.visit_map(de::value::MapDeserializer::new(m.into_iter()))
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = DecodeError;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(b),
            Value::Num(n) => visit_num(n, v),
            Value::Str(s) => v.visit_string(s),
            Value::Arr(a) => visit_arr(a, v),
            Value::Obj(m) => visit_obj(m, v),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_none(),
            other => v.visit_some(other),
        }
    }
    fn deserialize_enum<V: Visitor<'de>>(self, _n: &'static str, _vs: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Str(s) => v.visit_enum(s.into_deserializer()),
            other => Err(DecodeError(format!("expected a name, found {}", other.type_name()))),
        }
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Bool(b) => v.visit_bool(b),
            other => other.invalid(&v),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_unit(),
            other => other.invalid(&v),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _n: &'static str, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(v)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _n: &'static str, v: V) -> Result<V::Value, DecodeError> {
        // Derived newtypes have no `visit_newtype_struct` path through
        // `deserialize_any`; keep what it did: the visitor sees the inner value.
        self.deserialize_any(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Obj(m) => visit_obj(m, v),
            other => other.invalid(&v),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _n: &'static str, _f: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Obj(m) => visit_obj(m, v),
            Value::Arr(a) => visit_arr(a, v),
            other => other.invalid(&v),
        }
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        // `IgnoredAny` accepts anything; nothing to look at.
        drop(self);
        v.visit_unit()
    }
    lean_num! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 }
    lean_str! { deserialize_char deserialize_str deserialize_string deserialize_identifier }
    lean_seq! { deserialize_seq() deserialize_tuple(_len: usize) deserialize_tuple_struct(_n: &'static str, _len: usize) }
    serde::forward_to_deserialize_any! { bytes byte_buf }
}

pub fn decode<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    T::deserialize(v.clone()).map_err(|e| e.0)
}

// ---- The state ----

use crate::assess::Acks;
use crate::trust::TrustList;

/// Everything stored, typed. Field names are the storage keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub schema_version: u32,
    pub trust: TrustList,
    pub acks: Acks,
    pub scan: Option<crate::app::ScanReport>,
    pub history: Vec<crate::app::Seen>,
    pub settings: Settings,
    pub flow: Option<crate::flow::Flow>,
    pub checks: crate::flow::Checks,
    /// Messages for the user about stored data (recoveries), newest last.
    pub notices: Vec<Notice>,
    pub api: Option<crate::api::ApiReport>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub banner_dismissed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub at: i64,
    pub text: String,
    /// Storage key where the old data was kept, if any.
    #[serde(default)]
    pub kept_as: String,
}

/// Result of reading the store.
#[derive(Debug, Default)]
pub struct Loaded {
    pub state: State,
    /// (key, value) to write before anything else: copies of bad data.
    pub quarantine: Vec<(String, Value)>,
    /// Keys that must be (re)written because a migration or recovery changed them.
    pub dirty: Vec<&'static str>,
}

fn field<T: DeserializeOwned + Default>(
    raw: &BTreeMap<String, Value>,
    key: &'static str,
    now: i64,
    out: &mut Loaded,
) -> T {
    match raw.get(key) {
        None | Some(Value::Null) => T::default(),
        Some(v) => match decode::<T>(v) {
            Ok(t) => t,
            Err(e) => {
                let kept = format!("{QUARANTINE_PREFIX}{now}/{key}");
                out.quarantine.push((kept.clone(), v.clone()));
                out.state.notices.push(Notice {
                    at: now,
                    text: format!("Stored {key} data was unreadable ({}) and was set aside; starting fresh for it.", crate::extract::clip(&e)),
                    kept_as: kept,
                });
                out.dirty.push(key);
                T::default()
            }
        },
    }
}

/// Read the whole store: migrate old schemas, keep bad values aside.
pub fn load(raw: &BTreeMap<String, Value>, now: i64) -> Loaded {
    let mut out = Loaded::default();
    let version = raw.get("schema_version");
    let has_data = raw.keys().any(|k| k != "schema_version" && !k.starts_with(QUARANTINE_PREFIX));
    let v = match version {
        None if !has_data => SCHEMA_VERSION as f64,
        None => 1.0,
        Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 1.0 => *n,
        Some(other) => {
            return recover_all(raw, now, &format!("its schema version is {}", other.type_name()));
        }
    };
    if v > SCHEMA_VERSION as f64 {
        return recover_all(raw, now, &format!("it was written by a newer Session Guard (schema {v})"));
    }
    let mut raw = raw.clone();
    if v < 2.0 {
        migrate_v1_to_v2(&mut raw, now, &mut out);
    }
    out.state.schema_version = SCHEMA_VERSION;
    // Notices first so recoveries below append to the stored ones.
    out.state.notices = field(&raw, "notices", now, &mut out);
    out.state.trust = field(&raw, "trust", now, &mut out);
    out.state.acks = field(&raw, "acks", now, &mut out);
    out.state.scan = field(&raw, "scan", now, &mut out);
    out.state.history = field(&raw, "history", now, &mut out);
    out.state.settings = field(&raw, "settings", now, &mut out);
    out.state.flow = field(&raw, "flow", now, &mut out);
    out.state.checks = field(&raw, "checks", now, &mut out);
    out.state.api = field(&raw, "api", now, &mut out);
    if out.state.notices.len() > 20 {
        let cut = out.state.notices.len() - 20;
        out.state.notices.drain(..cut);
    }
    if version.is_none() || v < SCHEMA_VERSION as f64 {
        out.dirty.push("schema_version");
    }
    if !out.dirty.is_empty() {
        out.dirty.push("notices");
    }
    out
}

/// Keep everything aside and start fresh (unknown or future schema).
fn recover_all(raw: &BTreeMap<String, Value>, now: i64, why: &str) -> Loaded {
    let mut out = Loaded::default();
    let kept = format!("{QUARANTINE_PREFIX}{now}/all");
    let data: BTreeMap<String, Value> = raw
        .iter()
        .filter(|(k, _)| !k.starts_with(QUARANTINE_PREFIX))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.quarantine.push((kept.clone(), Value::Obj(data)));
    out.state.schema_version = SCHEMA_VERSION;
    out.state.notices.push(Notice {
        at: now,
        text: format!("Your stored Session Guard data could not be used because {why}. It was kept aside (export it from the popup); starting fresh."),
        kept_as: kept,
    });
    out.dirty = KEYS.to_vec();
    out
}

/// v1 kept trusted devices as a flat array under `trusted`.
fn migrate_v1_to_v2(raw: &mut BTreeMap<String, Value>, now: i64, out: &mut Loaded) {
    if let Some(old) = raw.remove("trusted") {
        match &old {
            Value::Arr(items) => {
                let mut devices = Vec::new();
                for it in items {
                    let mut m = match it {
                        Value::Obj(m) => m.clone(),
                        _ => continue,
                    };
                    m.entry("describe".into()).or_insert(Value::Str(String::new()));
                    m.entry("this_browser".into()).or_insert(Value::Bool(false));
                    devices.push(Value::Obj(m));
                }
                let mut t = BTreeMap::new();
                t.insert("devices".to_string(), Value::Arr(devices));
                t.insert("suspects".to_string(), Value::Arr(Vec::new()));
                raw.insert("trust".into(), Value::Obj(t));
            }
            _ => {
                let kept = format!("{QUARANTINE_PREFIX}{now}/trusted");
                out.quarantine.push((kept.clone(), old.clone()));
                out.state.notices.push(Notice {
                    at: now,
                    text: "Old trusted-device data was unreadable and was set aside.".into(),
                    kept_as: kept,
                });
            }
        }
        out.dirty.push("trust");
    }
    // v1 `scan` had the same shape minus fields that default; keep it.
}

/// Validate an imported trust list (popup "Import trusted devices").
pub fn import_trust(v: &Value) -> Result<TrustList, String> {
    let inner = v.get("trust").unwrap_or(v);
    let t: TrustList = decode(inner).map_err(|e| format!("This file is not a Session Guard trust list: {}", crate::extract::clip(&e)))?;
    if t.devices.len() > crate::trust::MAX_DEVICES {
        return Err(format!("Too many devices in the file ({} > {})", t.devices.len(), crate::trust::MAX_DEVICES));
    }
    for d in &t.devices {
        if d.fingerprint.is_empty() || d.fingerprint.len() > 200 || d.label.chars().count() > 200 {
            return Err("A device in the file has an empty or oversized fingerprint or label".into());
        }
    }
    Ok(t)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// serde_json::Value → Value (host tests only).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(a) => Value::Arr(a.iter().map(from_json).collect()),
            serde_json::Value::Object(m) => Value::Obj(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
        }
    }
    pub fn store(j: serde_json::Value) -> BTreeMap<String, Value> {
        match from_json(&j) {
            Value::Obj(m) => m,
            _ => panic!(),
        }
    }
    /// Round-trip a State through the stored form.
    pub fn stored(s: &State) -> BTreeMap<String, Value> {
        store(serde_json::to_value(s).unwrap())
    }

    #[test]
    fn fresh_store() {
        let l = load(&BTreeMap::new(), 5);
        assert_eq!(l.state.schema_version, SCHEMA_VERSION);
        assert!(l.quarantine.is_empty());
        assert!(l.state.notices.is_empty());
    }

    #[test]
    fn round_trip() {
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), 7, false);
        s.settings.banner_dismissed = true;
        let l = load(&stored(&s), 9);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.trust, s.trust);
        assert!(l.state.settings.banner_dismissed);
    }

    #[test]
    fn corrupt_key_is_kept_aside_not_lost() {
        let raw = store(serde_json::json!({"schema_version": 2, "trust": {"devices": "oops"}, "settings": {"banner_dismissed": true}}));
        let l = load(&raw, 42);
        assert_eq!(l.quarantine.len(), 1);
        assert_eq!(l.quarantine[0].0, "quarantine/42/trust");
        assert_eq!(l.quarantine[0].1, raw["trust"]);
        assert!(l.state.settings.banner_dismissed, "other keys survive");
        assert_eq!(l.state.notices.len(), 1);
        assert!(l.state.notices[0].text.contains("trust"));
        assert!(l.dirty.contains(&"trust"));
    }

    #[test]
    fn future_version_is_not_overwritten_silently() {
        let raw = store(serde_json::json!({"schema_version": 99, "trust": {"devices": []}, "whatever": 1}));
        let l = load(&raw, 1);
        assert_eq!(l.quarantine.len(), 1);
        assert!(l.state.notices[0].text.contains("newer"));
        let Value::Obj(kept) = &l.quarantine[0].1 else { panic!() };
        assert!(kept.contains_key("whatever"));
        let raw = store(serde_json::json!({"schema_version": "two"}));
        assert_eq!(load(&raw, 1).quarantine.len(), 1);
    }

    #[test]
    fn migrates_v1() {
        let raw = store(serde_json::json!({
            "schema_version": 1,
            "trusted": [{"fingerprint": "web|windows|chrome|", "label": "Laptop", "networks": ["203.0.113.0/24"], "areas": ["singapore"], "first_seen": 1, "last_seen": 2}]
        }));
        let l = load(&raw, 3);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.trust.devices.len(), 1);
        assert_eq!(l.state.trust.devices[0].label, "Laptop");
        assert!(l.dirty.contains(&"trust") && l.dirty.contains(&"schema_version"));
        // unversioned data = v1
        let raw = store(serde_json::json!({"trusted": []}));
        assert_eq!(load(&raw, 3).state.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn wrong_types_everywhere_never_panic() {
        for j in [
            serde_json::json!({"schema_version": 2, "trust": 5, "acks": [], "scan": "x", "history": {}, "settings": null, "flow": 3, "checks": true}),
            serde_json::json!({"schema_version": -1}),
            serde_json::json!({"schema_version": 2.5}),
            serde_json::json!({"schema_version": 2, "trust": {"devices": [{"fingerprint": 1}]}}),
        ] {
            let l = load(&store(j), 1);
            assert_eq!(l.state.schema_version, SCHEMA_VERSION);
        }
    }

    #[test]
    fn import_validation() {
        let ok = from_json(&serde_json::json!({"trust": {"devices": [{"fingerprint": "web|linux|firefox|", "label": "Me", "first_seen": 1, "last_seen": 1}]}}));
        assert_eq!(import_trust(&ok).unwrap().devices.len(), 1);
        let bad = from_json(&serde_json::json!({"devices": "nope"}));
        assert!(import_trust(&bad).unwrap_err().contains("not a Session Guard trust list"));
        let bad = from_json(&serde_json::json!([1, 2]));
        assert!(import_trust(&bad).is_err());
    }

    /// The old decoder: everything through `deserialize_any`. The lean
    /// `deserialize_*` methods must give the same values and the same errors.
    struct Any(Value);
    impl<'de> de::Deserializer<'de> for Any {
        type Error = DecodeError;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.0 {
                Value::Null => v.visit_unit(),
                Value::Bool(b) => v.visit_bool(b),
                Value::Num(n) => {
                    if n.fract() == 0.0 && n.abs() < 9.0e15 {
                        if n >= 0.0 {
                            v.visit_u64(n as u64)
                        } else {
                            v.visit_i64(n as i64)
                        }
                    } else {
                        v.visit_f64(n)
                    }
                }
                Value::Str(s) => v.visit_string(s),
                Value::Arr(a) => v.visit_seq(de::value::SeqDeserializer::new(a.into_iter().map(Any))),
                Value::Obj(m) => v.visit_map(de::value::MapDeserializer::new(m.into_iter().map(|(k, v)| (k, Any(v))))),
            }
        }
        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.0 {
                Value::Null => v.visit_none(),
                other => v.visit_some(Any(other)),
            }
        }
        fn deserialize_enum<V: Visitor<'de>>(self, n: &'static str, vs: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
            self.0.deserialize_enum(n, vs, v)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple
            tuple_struct map struct identifier ignored_any
        }
    }
    impl<'de> IntoDeserializer<'de, DecodeError> for Any {
        type Deserializer = Any;
        fn into_deserializer(self) -> Any {
            self
        }
    }

    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(j: serde_json::Value) {
        let v = from_json(&j);
        let lean = decode::<T>(&v);
        let old = T::deserialize(Any(v)).map_err(|e| e.0);
        assert_eq!(lean, old, "{j}");
    }

    #[test]
    fn lean_decoder_equals_deserialize_any() {
        use serde_json::json;
        let odd = [json!(null), json!(true), json!(7), json!(-7), json!(1.5), json!(1e300), json!("x"), json!([]), json!([1, "a"]), json!({}), json!({"a": 1})];
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), 7, false);
        // a real scan fills scan, history and the rest
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        crate::app::handle_scan(&snap, &mut s, 1_752_500_000_000);
        assert!(s.scan.is_some() && !s.history.is_empty());
        s.notices.push(Notice { at: 1, text: "n".into(), kept_as: "k".into() });
        let good = serde_json::to_value(&s).unwrap();
        for (key, val) in good.as_object().unwrap() {
            // every stored key as written, and with every field replaced by odd values
            let mut variants = vec![val.clone()];
            variants.extend(odd.iter().cloned());
            // first element of every list, broken the same ways
            let first = val.get("rows").or(Some(val)).and_then(|v| v.get(0)).and_then(|v| v.as_object()).cloned();
            if let Some(row) = first {
                for f in row.keys() {
                    for o in &odd {
                        let mut r = row.clone();
                        r.insert(f.clone(), o.clone());
                        let mut whole = val.clone();
                        match whole.get_mut("rows") {
                            Some(rows) => rows[0] = json!(r),
                            None => whole[0] = json!(r),
                        }
                        variants.push(whole);
                    }
                }
            }
            if let Some(obj) = val.as_object() {
                for f in obj.keys() {
                    for o in &odd {
                        let mut c = obj.clone();
                        c.insert(f.clone(), o.clone());
                        variants.push(json!(c));
                    }
                }
            }
            if let Some(dev) = val.get("devices").and_then(|d| d.get(0)).and_then(|d| d.as_object()) {
                for f in dev.keys() {
                    for o in &odd {
                        let mut d = dev.clone();
                        d.insert(f.clone(), o.clone());
                        variants.push(json!({"devices": [d], "suspects": []}));
                        let mut d = dev.clone();
                        d.remove(f);
                        variants.push(json!({"devices": [d]}));
                    }
                }
                variants.push(json!({"devices": [["fp", "label", "", [], [], 1, 2, false, "extra"]]}));
            }
            for v in variants {
                match key.as_str() {
                    "schema_version" => same::<u32>(v),
                    "trust" => same::<TrustList>(v),
                    "acks" => same::<crate::assess::Acks>(v),
                    "scan" => same::<Option<crate::app::ScanReport>>(v),
                    "history" => same::<Vec<crate::app::Seen>>(v),
                    "settings" => same::<Settings>(v),
                    "flow" => same::<Option<crate::flow::Flow>>(v),
                    "checks" => same::<crate::flow::Checks>(v),
                    "notices" => same::<Vec<Notice>>(v),
                    "api" => same::<Option<crate::api::ApiReport>>(v),
                    other => panic!("new stored key {other}: add it here"),
                }
            }
        }
        // tuples and strings of odd shapes
        for o in odd {
            same::<(String, String)>(o.clone());
            same::<Vec<(String, String)>>(json!([o.clone(), ["a", "b", "c"]]));
            same::<String>(o.clone());
            same::<i64>(o.clone());
            same::<bool>(o);
        }
    }
}
