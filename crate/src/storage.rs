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
pub const KEYS: &[&str] = &["schema_version", "trust", "acks", "scan", "history", "settings", "flow", "checks", "notices", "api", "account", "accounts"];
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

impl<'de> de::Deserializer<'de> for Value {
    type Error = DecodeError;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
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
            Value::Arr(a) => v.visit_seq(de::value::SeqDeserializer::new(a.into_iter())),
            Value::Obj(m) => v.visit_map(de::value::MapDeserializer::new(m.into_iter())),
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
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
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
    /// The account the top-level fields belong to (masked e-mail), "" = unknown.
    pub account: String,
    /// Other accounts seen in this browser, kept apart.
    pub accounts: BTreeMap<String, AccountData>,
}

/// One account's own data while another account is active.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    #[serde(default)]
    pub trust: TrustList,
    #[serde(default)]
    pub acks: Acks,
    #[serde(default)]
    pub scan: Option<crate::app::ScanReport>,
    #[serde(default)]
    pub history: Vec<crate::app::Seen>,
    #[serde(default)]
    pub checks: crate::flow::Checks,
    #[serde(default)]
    pub api: Option<crate::api::ApiReport>,
}

/// Keys that hold one account's data.
pub const ACCOUNT_KEYS: &[&str] = &["trust", "acks", "scan", "history", "checks", "api", "account", "accounts"];

impl State {
    /// Make `account` the active one: the current data is put away under its
    /// owner and the other account's data (or a fresh start) comes in.
    /// Returns true when something moved. An unknown current owner adopts
    /// the first account seen (no data is orphaned).
    pub fn switch_account(&mut self, account: &str) -> bool {
        if account.is_empty() || account == self.account {
            return false;
        }
        if self.account.is_empty() {
            self.account = account.to_string();
            return true;
        }
        let incoming = self.accounts.remove(account).unwrap_or_default();
        let outgoing = AccountData {
            trust: std::mem::replace(&mut self.trust, incoming.trust),
            acks: std::mem::replace(&mut self.acks, incoming.acks),
            scan: std::mem::replace(&mut self.scan, incoming.scan),
            history: std::mem::replace(&mut self.history, incoming.history),
            checks: std::mem::replace(&mut self.checks, incoming.checks),
            api: std::mem::replace(&mut self.api, incoming.api),
        };
        let old = std::mem::replace(&mut self.account, account.to_string());
        self.accounts.insert(old, outgoing);
        while self.accounts.len() > 20 {
            let first = self.accounts.keys().next().cloned().unwrap_or_default();
            self.accounts.remove(&first);
        }
        true
    }
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
                    text: crate::i18n::t("notice_key_unreadable", &[key, &crate::extract::clip(&e)]),
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
        Some(Value::Num(n)) => return recover_all(raw, now, &crate::i18n::t("notice_why_bad_version", &[&n.to_string()])),
        Some(other) => {
            return recover_all(raw, now, &crate::i18n::t("notice_why_version_type", &[other.type_name()]));
        }
    };
    if v > SCHEMA_VERSION as f64 {
        return recover_all(raw, now, &crate::i18n::t("notice_why_newer", &[&v.to_string()]));
    }
    let mut raw = raw.clone();
    if v < 2.0 {
        migrate_v1_to_v2(&mut raw, now, &mut out);
    }
    out.state.schema_version = SCHEMA_VERSION;
    // Notices first so recoveries below append to the stored ones. Notices
    // already made (migration, or unreadable notices themselves) are kept.
    let made = std::mem::take(&mut out.state.notices);
    let stored: Vec<Notice> = field(&raw, "notices", now, &mut out);
    let about_notices = std::mem::replace(&mut out.state.notices, stored);
    out.state.notices.extend(made);
    out.state.notices.extend(about_notices);
    out.state.trust = field(&raw, "trust", now, &mut out);
    out.state.acks = field(&raw, "acks", now, &mut out);
    out.state.scan = field(&raw, "scan", now, &mut out);
    out.state.history = field(&raw, "history", now, &mut out);
    out.state.settings = field(&raw, "settings", now, &mut out);
    out.state.flow = field(&raw, "flow", now, &mut out);
    out.state.checks = field(&raw, "checks", now, &mut out);
    out.state.api = field(&raw, "api", now, &mut out);
    out.state.account = field(&raw, "account", now, &mut out);
    out.state.accounts = field(&raw, "accounts", now, &mut out);
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
        text: crate::i18n::t("notice_recover_all", &[why]),
        kept_as: kept,
    });
    out.dirty = KEYS.to_vec();
    out
}

/// v1 kept trusted devices as a flat array under `trusted`.
fn migrate_v1_to_v2(raw: &mut BTreeMap<String, Value>, now: i64, out: &mut Loaded) {
    if let Some(old) = raw.remove("trusted") {
        match &old {
            // Every item must be a device object; anything else is kept aside whole.
            Value::Arr(items) if items.iter().all(|it| matches!(it, Value::Obj(_))) => {
                // A v2 `trust` next to v1 data is not overwritten unseen.
                if let Some(existing) = raw.remove("trust").filter(|v| *v != Value::Null) {
                    let kept = format!("{QUARANTINE_PREFIX}{now}/trust.before-migration");
                    out.quarantine.push((kept.clone(), existing));
                    out.state.notices.push(Notice { at: now, text: "Trusted-device data found next to old-format data was set aside before upgrading.".into(), kept_as: kept });
                }
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
                    text: crate::i18n::t("notice_old_trust", &[]),
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
    let t: TrustList = decode(inner).map_err(|e| crate::i18n::t("import_not_trust_list", &[&crate::extract::clip(&e)]))?;
    if t.devices.len() > crate::trust::MAX_DEVICES {
        return Err(crate::i18n::t("import_too_many", &[&t.devices.len().to_string(), &crate::trust::MAX_DEVICES.to_string()]));
    }
    for d in &t.devices {
        if d.fingerprint.is_empty() || d.fingerprint.len() > 200 || d.label.chars().count() > 200 {
            return Err(crate::i18n::t("import_bad_device", &[]));
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
    fn every_value_set_aside_has_its_notice() {
        // Found by the `storage` fuzz target: notices made before the stored
        // notices were read (v1 migration, unreadable notices) were dropped.
        let raw = store(serde_json::json!({"trusted": 7}));
        let l = load(&raw, 3);
        assert_eq!(l.quarantine[0].0, "quarantine/3/trusted");
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/3/trusted"), "{:?}", l.state.notices);
        let raw = store(serde_json::json!({"schema_version": 2, "notices": "garbage"}));
        let l = load(&raw, 4);
        assert_eq!(l.quarantine[0].0, "quarantine/4/notices");
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/4/notices"), "{:?}", l.state.notices);
    }

    #[test]
    fn v2_trust_next_to_v1_data_is_kept_before_migrating() {
        // Found by the `storage` fuzz target: the migration replaced it unseen.
        let raw = store(serde_json::json!({"trust": false, "trusted": [{"fingerprint": "web|windows|chrome|", "label": "L", "first_seen": 1, "last_seen": 2}]}));
        let l = load(&raw, 5);
        assert!(l.quarantine.iter().any(|(k, v)| k == "quarantine/5/trust.before-migration" && *v == Value::Bool(false)), "{:?}", l.quarantine);
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/5/trust.before-migration"));
        assert_eq!(l.state.trust.devices.len(), 1);
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
    fn accounts_are_kept_apart() {
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        assert!(s.switch_account("a***@x.com"));
        s.trust.trust(&crate::device::parse_kucoin_device("Linux Firefox"), "A's laptop", None, None, 1, false);
        assert!(s.switch_account("b***@y.com"));
        assert!(s.trust.devices.is_empty(), "B starts fresh");
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "B's PC", None, None, 2, false);
        assert!(!s.switch_account(""), "a page without an account changes nothing");
        assert!(s.switch_account("a***@x.com"));
        assert_eq!(s.trust.devices[0].label, "A's laptop");
        assert_eq!(s.accounts["b***@y.com"].trust.devices[0].label, "B's PC");
        // and it survives storage
        let l = load(&stored(&s), 3);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.accounts.len(), 1);
        assert_eq!(l.state.account, "a***@x.com");
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
}
