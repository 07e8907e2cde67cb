//! The stored state: versioned schema, migrations, validation, recovery.
//!
//! `chrome.storage.local` holds one key per concern. The background reads
//! them all, the bindings turn them into `Value`s (the core's JSON tree,
//! `json.rs`; no serde in the wasm) and this module decides: migrate, decode, or keep
//! a corrupt value aside under `quarantine/<time>/<key>` and tell the user.
//! One item the JSON reader cannot read at all (too deep) is one such value,
//! not an unreadable store (`read_members`).
//! Nothing is ever silently reset and nothing stored is ever overwritten
//! before a copy of it is safe.

use crate::json::{FromJson, ToJson};
use std::collections::BTreeMap;


/// Current schema. History:
/// - 1: `trusted` (flat array of devices), `scan`.
/// - 2: `trust` {devices, suspects}, `acks`, `history`, `settings`, `flow`, `checks`.
///   Fields added since within 2 default when absent, so older records load
///   as they are (and older builds skip members they do not know): e.g.
///   `scan.pages` (the lists of which one page of several was read), and
///   with it `scan.pages[].read`, `scan.doc`, `scan.logins`, `scan.view_page`,
///   `scan.paging` (the Recent Logins pages read in one page load, and the
///   page summary's "Check the other pages" run), `acks.flagged` (the
///   Security Logs events flagged and not acknowledged), `scan.devices`,
///   `scan.devices_page` (the Trusted Devices pages read in one page load),
///   `scan.devices_over` (those shown but not kept: too many devices),
///   `scan.pages[].unverified`, `scan.logins[].unread`, `scan.devices[].unread`
///   (pages read with rows that could not be read: not checked),
///   `flow.pages_clear`, `flow.page_target`, `flow.page_sig` (Log out all
///   devices stepping through the Trusted Devices pages), `flow.seen_rows`,
///   `flow.seen_unread` (a single Remove: the list when its row was last read).
pub const SCHEMA_VERSION: u32 = 2;

/// Keys this version reads and writes.
pub const KEYS: &[&str] = &["schema_version", "trust", "acks", "scan", "history", "settings", "flow", "checks", "notices", "api", "account", "accounts"];
/// Legacy keys migrations read.
pub const LEGACY_KEYS: &[&str] = &["trusted"];
pub const QUARANTINE_PREFIX: &str = "quarantine/";

/// A dynamic value as stored (what `JSON.parse` gives): the core's JSON tree.
pub use crate::json::Json as Value;
pub use crate::json::{fmt_float, parse_float, DecodeError};

pub fn decode<T: FromJson>(v: &Value) -> Result<T, String> {
    crate::json::decode(v)
}

/// Parse JSON text into a `Value`.
pub fn parse_json(text: &str) -> Result<Value, String> {
    crate::json::parse(text)
}

/// Decode JSON text into `T`.
pub fn from_json_text<T: FromJson>(text: &str) -> Result<T, String> {
    crate::json::from_text(text)
}

/// `v` as JSON text.
pub fn to_json(v: &dyn ToJson) -> String {
    crate::json::to_text(v)
}

/// `v` as JSON text, keeping only the top-level struct fields named in `only`.
pub fn to_json_only(v: &dyn ToJson, only: Option<&[String]>) -> String {
    crate::json::to_text_only(v, only)
}

// ---- The state ----

use crate::assess::Acks;
use crate::trust::TrustList;

/// Everything stored, typed. Field names are the storage keys.
#[derive(Debug, Clone, Default, PartialEq)]
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
    pub accounts: crate::util::Keyed<AccountData>,
}
crate::json_struct!(State { schema_version, trust, acks, scan, history, settings, flow, checks, notices, api, account, accounts });

/// One account's own data while another account is active.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountData {
    pub trust: TrustList,
    pub acks: Acks,
    pub scan: Option<crate::app::ScanReport>,
    pub history: Vec<crate::app::Seen>,
    pub checks: crate::flow::Checks,
    pub api: Option<crate::api::ApiReport>,
}
crate::json_struct!(AccountData { trust: default, acks: default, scan: default, history: default, checks: default, api: default });

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
        // At most MAX_ACCOUNTS put away: the one used longest ago goes (not the
        // first by name, which could be an account in daily use).
        while self.accounts.len() > MAX_ACCOUNTS {
            let mut oldest: Option<(&String, i64)> = None;
            for (k, d) in self.accounts.iter() {
                if oldest.is_none_or(|(_, t)| last_used(d) < t) {
                    oldest = Some((k, last_used(d)));
                }
            }
            let Some((k, _)) = oldest else { break };
            let k = k.clone();
            self.accounts.remove(&k);
        }
        true
    }
}

/// Most accounts whose data is kept besides the active one.
pub const MAX_ACCOUNTS: usize = 20;

/// When an account's data was last used: its last scan, its last API page
/// reading, the last sighting of one of its devices.
fn last_used(d: &AccountData) -> i64 {
    let mut t = d.scan.as_ref().map_or(0, |s| s.at).max(d.api.as_ref().map_or(0, |a| a.at));
    for dev in &d.trust.devices {
        t = t.max(dev.last_seen);
    }
    t
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub banner_dismissed: bool,
}
crate::json_struct!(Settings { banner_dismissed: default });

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub at: i64,
    pub text: String,
    /// Storage key where the old data was kept, if any.
    pub kept_as: String,
}
crate::json_struct!(Notice { at, text, kept_as: default });

/// A stored item that could not be read as JSON: nested deeper than the
/// parser goes (`json::MAX_DEPTH`), or a value `JSON.stringify` refuses (a
/// BigInt or a cycle, which Firefox's storage can hold). Written by another
/// version, a sync or an import, never by us.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub key: String,
    /// Its JSON text as stringified, if it could be (kept aside as a string).
    pub text: Option<String>,
    pub why: String,
}

/// The stored items as read: those that parsed, and those that did not.
#[derive(Debug, Default)]
pub struct Members {
    pub ok: Vec<(String, Value)>,
    pub unreadable: Vec<Unreadable>,
}

/// Read the stored items from the JSON text of them all (`whole`: one
/// stringify, one parse, the usual case) and, only when that fails, from
/// each item's own text (`each`: key and its stringify result), so one bad
/// item is one unreadable key instead of an unreadable store, which only
/// "Delete everything" would get out of. `each` giving nothing (not an
/// object) keeps the first error.
pub fn read_members(whole: Result<String, String>, each: impl FnOnce() -> Vec<(String, Result<String, String>)>) -> Result<Members, String> {
    let e = match whole.and_then(|t| parse_json(&t)) {
        Ok(Value::Obj(ok)) => return Ok(Members { ok, unreadable: Vec::new() }),
        Ok(other) => return Err(format!("expected an object, found {}", other.type_name())),
        Err(e) => e,
    };
    let items = each();
    if items.is_empty() {
        return Err(e);
    }
    let mut out = Members::default();
    for (key, text) in items {
        match text {
            Ok(t) => match parse_json(&t) {
                Ok(v) => out.ok.push((key, v)),
                Err(why) => out.unreadable.push(Unreadable { key, text: Some(t), why }),
            },
            Err(why) => out.unreadable.push(Unreadable { key, text: None, why }),
        }
    }
    Ok(out)
}

/// Result of reading the store.
#[derive(Debug, Default)]
pub struct Loaded {
    pub state: State,
    /// (key, value) to write before anything else: copies of bad data.
    pub quarantine: Vec<(String, Value)>,
    /// (copy's key, stored key): unreadable items with no JSON text, to be
    /// copied aside as the browser stored them (by the bindings, which hold
    /// the stored object), before anything else is written.
    pub copy_as_is: Vec<(String, String)>,
    /// Keys that must be (re)written because a migration or recovery changed them.
    pub dirty: Vec<&'static str>,
}

/// Decode stored member `key` into `slot` (which holds its default); an
/// unreadable value is set aside and the slot keeps its default. One copy
/// for every key, through `Slot`, instead of one per field type.
#[inline(never)]
fn load_field(raw: &[(String, Value)], key: &'static str, now: i64, slot: &mut dyn crate::json::ResetSlot, out: &mut Loaded) {
    match crate::json::member(raw, key) {
        None | Some(Value::Null) => {}
        Some(v) => {
            if let Err(e) = slot.set(v) {
                slot.reset();
                set_aside(v, key, &e.to_string(), now, out);
            }
        }
    }
}

/// Keep an unreadable stored value aside under `quarantine/<now>/<key>`, with a notice.
#[inline(never)]
fn set_aside(v: &Value, key: &'static str, why: &str, now: i64, out: &mut Loaded) {
    let kept = format!("{QUARANTINE_PREFIX}{now}/{key}");
    out.quarantine.push((kept.clone(), v.clone()));
    out.state.notices.push(Notice {
        at: now,
        text: crate::i18n::t("notice_key_unreadable", &[key, &crate::extract::clip(why)]),
        kept_as: kept,
    });
    out.dirty.push(key);
}

/// `set_aside` for a stored item that could not be read as JSON: its text is
/// kept as a string (the parser could not read it back as a value); with no
/// text, the bindings copy the stored item itself (`copy_as_is`). The key is
/// then rewritten like any unreadable one, after its copy.
#[inline(never)]
fn set_aside_unreadable(u: &Unreadable, key: &'static str, now: i64, out: &mut Loaded) {
    set_aside(&Value::Str(u.text.clone().unwrap_or_default()), key, &u.why, now, out);
    if u.text.is_none() {
        if let Some((kept, _)) = out.quarantine.pop() {
            out.copy_as_is.push((kept, u.key.clone()));
        }
    }
}

/// The unreadable stored item `key`, if any.
fn unreadable<'a>(bad: &'a [Unreadable], key: &str) -> Option<&'a Unreadable> {
    bad.iter().rev().find(|u| u.key == key)
}

/// Read the whole store: migrate old schemas, keep bad values aside.
pub fn load(raw: &BTreeMap<String, Value>, now: i64) -> Loaded {
    let members: Vec<(String, Value)> = raw.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    load_members(&members, now)
}

/// `load` for the store as the members of a JSON object (what the bindings
/// parse; no map type in the wasm). Of repeated keys the last counts.
pub fn load_members(raw: &[(String, Value)], now: i64) -> Loaded {
    load_with(raw, &[], now)
}

/// `load` for the store as `read_members` read it: an unreadable item this
/// version reads is kept aside (as a corrupt value is) and the other keys load.
pub fn load_stored(m: &Members, now: i64) -> Loaded {
    load_with(&m.ok, &m.unreadable, now)
}

fn load_with(raw: &[(String, Value)], bad: &[Unreadable], now: i64) -> Loaded {
    let mut out = Loaded::default();
    let version = crate::json::member(raw, "schema_version");
    let ours = |k: &str| k != "schema_version" && !k.starts_with(QUARANTINE_PREFIX);
    let has_data = raw.iter().any(|(k, _)| ours(k)) || bad.iter().any(|u| ours(&u.key));
    if let Some(u) = unreadable(bad, "schema_version") {
        let kind = match u.text.as_deref().and_then(|t| t.bytes().next()) {
            Some(b'[') => "a list",
            Some(b'{') => "an object",
            _ => "unreadable",
        };
        return recover_all(raw, bad, now, &crate::i18n::t("notice_why_version_type", &[kind]));
    }
    let v = match version {
        None if !has_data => SCHEMA_VERSION as f64,
        None => 1.0,
        Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 1.0 => *n,
        Some(Value::Num(n)) => {
            let mut shown = String::new();
            fmt_float(*n, &mut shown);
            return recover_all(raw, bad, now, &crate::i18n::t("notice_why_bad_version", &[&shown]));
        }
        Some(other) => {
            return recover_all(raw, bad, now, &crate::i18n::t("notice_why_version_type", &[other.type_name()]));
        }
    };
    if v > SCHEMA_VERSION as f64 {
        let mut shown = String::new();
        fmt_float(v, &mut shown);
        return recover_all(raw, bad, now, &crate::i18n::t("notice_why_newer", &[&shown]));
    }
    let mut raw = raw.to_vec();
    if v < 2.0 {
        migrate_v1_to_v2(&mut raw, now, &mut out);
        if let Some(u) = unreadable(bad, "trusted") {
            set_aside_unreadable(u, "trusted", now, &mut out);
            out.dirty.push("trust");
        }
    }
    // Notices first so recoveries below append to the stored ones. Notices
    // already made (migration, or unreadable notices themselves) are kept.
    let mut st = State { schema_version: SCHEMA_VERSION, ..State::default() };
    let mut made = std::mem::take(&mut out.state.notices);
    load_field(&raw, "notices", now, &mut st.notices, &mut out);
    if let Some(u) = unreadable(bad, "notices") {
        set_aside_unreadable(u, "notices", now, &mut out);
    }
    let mut about_notices = std::mem::replace(&mut out.state.notices, std::mem::take(&mut st.notices));
    out.state.notices.append(&mut made);
    out.state.notices.append(&mut about_notices);
    let slots: [(&'static str, &mut dyn crate::json::ResetSlot); 10] = [
        ("trust", &mut st.trust),
        ("acks", &mut st.acks),
        ("scan", &mut st.scan),
        ("history", &mut st.history),
        ("settings", &mut st.settings),
        ("flow", &mut st.flow),
        ("checks", &mut st.checks),
        ("api", &mut st.api),
        ("account", &mut st.account),
        ("accounts", &mut st.accounts),
    ];
    for (key, slot) in slots {
        load_field(&raw, key, now, slot, &mut out);
        if let Some(u) = unreadable(bad, key) {
            slot.reset();
            set_aside_unreadable(u, key, now, &mut out);
        }
    }
    st.notices = std::mem::take(&mut out.state.notices);
    out.state = st;
    // Fingerprints an older version keyed otherwise (a maker before the model):
    // the other accounts' lists too, which a scan switches in and classifies
    // with before the next reading.
    if out.state.trust.rekey() && !out.dirty.contains(&"trust") {
        out.dirty.push("trust");
    }
    let mut others = false;
    for d in out.state.accounts.values_mut() {
        others |= d.trust.rekey();
    }
    if others && !out.dirty.contains(&"accounts") {
        out.dirty.push("accounts");
    }
    if out.state.notices.len() > 20 {
        let cut = out.state.notices.len() - 20;
        let all = std::mem::take(&mut out.state.notices);
        for (i, n) in all.into_iter().enumerate() {
            if i >= cut {
                out.state.notices.push(n);
            }
        }
    }
    if version.is_none() || v < SCHEMA_VERSION as f64 {
        out.dirty.push("schema_version");
    }
    if !out.dirty.is_empty() {
        out.dirty.push("notices");
    }
    out
}

/// What "Export report" lists as kept aside: the stored copies (an
/// unreadable one as its text), and the copies this reading made that the
/// next write stores (the data a notice says was set aside is in the report
/// even before that write; one copied as the browser holds it, no JSON text,
/// as `null`, which is how it reads once stored), in key order.
pub fn kept_aside(raw: &Members, loaded: &Loaded) -> Vec<(String, Value)> {
    let mut kept: Vec<(String, Value)> = Vec::new();
    for (k, v) in raw.ok.iter().chain(&loaded.quarantine) {
        if k.starts_with(QUARANTINE_PREFIX) {
            kept.push((k.clone(), v.clone()));
        }
    }
    for (k, _) in &loaded.copy_as_is {
        kept.push((k.clone(), Value::Null));
    }
    for u in &raw.unreadable {
        if u.key.starts_with(QUARANTINE_PREFIX) {
            kept.push((u.key.clone(), u.text.clone().map_or(Value::Null, Value::Str)));
        }
    }
    crate::util::sort_stable_by(&mut kept, |a, b| a.0.cmp(&b.0));
    kept
}

/// Keep everything aside and start fresh (unknown or future schema).
fn recover_all(raw: &[(String, Value)], bad: &[Unreadable], now: i64, why: &str) -> Loaded {
    let mut out = Loaded::default();
    let kept = format!("{QUARANTINE_PREFIX}{now}/all");
    let mut data = Vec::new();
    for (k, v) in raw {
        if !k.starts_with(QUARANTINE_PREFIX) {
            data.push((k.clone(), v.clone()));
        }
    }
    // Items that could not be read as JSON: their text, or a copy of their own
    // beside the whole one ("all.<key>": an item named "all" must not replace it).
    for u in bad.iter().filter(|u| !u.key.starts_with(QUARANTINE_PREFIX)) {
        match &u.text {
            Some(t) => data.push((u.key.clone(), Value::Str(t.clone()))),
            None => out.copy_as_is.push((format!("{kept}.{}", u.key), u.key.clone())),
        }
    }
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

/// Remove member `key` (every copy), giving the last one's value.
fn remove(raw: &mut Vec<(String, Value)>, key: &str) -> Option<Value> {
    let mut last = None;
    let mut i = 0;
    while i < raw.len() {
        if raw[i].0 == key {
            last = Some(raw.remove(i).1);
        } else {
            i += 1;
        }
    }
    last
}

/// v1 kept trusted devices as a flat array under `trusted`.
fn migrate_v1_to_v2(raw: &mut Vec<(String, Value)>, now: i64, out: &mut Loaded) {
    if let Some(old) = remove(raw, "trusted") {
        match &old {
            // Every item must be a device object; anything else is kept aside whole.
            Value::Arr(items) if items.iter().all(|it| matches!(it, Value::Obj(_))) => {
                // A v2 `trust` next to v1 data is not overwritten unseen.
                if let Some(existing) = remove(raw, "trust").filter(|v| *v != Value::Null) {
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
                    for (k, v) in [("describe", Value::Str(String::new())), ("this_browser", Value::Bool(false))] {
                        if !m.iter().any(|(mk, _)| mk == k) {
                            m.push((k.to_string(), v));
                        }
                    }
                    devices.push(Value::Obj(m));
                }
                let t = vec![("devices".to_string(), Value::Arr(devices)), ("suspects".to_string(), Value::Arr(Vec::new()))];
                remove(raw, "trust");
                raw.push(("trust".into(), Value::Obj(t)));
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

/// Longest text (bytes) an imported description, area or network may have:
/// ours are a few dozen; a file's megabytes would only bloat the store.
const MAX_IMPORT_TEXT: usize = 2000;

/// Validate an imported trust list (popup "Import trusted devices"): a trust
/// list, `{"trust": …}`, or the popup's own "Export report" (its
/// `state.trust`, so an export imports back whole). Within the bounds the
/// list itself keeps (`trust::MAX_DEVICES` devices and "Not me" rows,
/// `MAX_NETWORKS` networks and areas a device), so a file cannot make the
/// store, and every scan reading it, grow without end.
pub fn import_trust(v: &Value) -> Result<TrustList, String> {
    use crate::trust::{MAX_DEVICES, MAX_NETWORKS};
    let inner = v.get("trust").or_else(|| v.get("state").and_then(|s| s.get("trust"))).unwrap_or(v);
    let not_list = |e: &str| crate::i18n::t("import_not_trust_list", &[&crate::extract::clip(e)]);
    // Both lists may be absent (they default), but an object with neither is
    // some other file: "Imported 0 trusted devices" would hide that.
    if matches!(inner, Value::Obj(_)) && inner.get("devices").is_none() && inner.get("suspects").is_none() {
        return Err(not_list("missing field `devices`"));
    }
    let mut t: TrustList = decode(inner).map_err(|e| not_list(&e))?;
    for n in [t.devices.len(), t.suspects.len()] {
        if n > MAX_DEVICES {
            return Err(crate::i18n::t("import_too_many", &[&crate::util::num(n as u64), &crate::util::num(MAX_DEVICES as u64)]));
        }
    }
    let bad_key = |fp: &str| fp.is_empty() || fp.len() > 200;
    let long = |s: &String| s.len() > MAX_IMPORT_TEXT;
    for d in &t.devices {
        if bad_key(&d.fingerprint) || crate::util::char_count(&d.label) > 200 || long(&d.describe)
            || d.networks.len() > MAX_NETWORKS || d.areas.len() > MAX_NETWORKS || d.networks.iter().chain(&d.areas).any(long)
        {
            return Err(crate::i18n::t("import_bad_device", &[]));
        }
    }
    for s in &t.suspects {
        if bad_key(&s.fingerprint) || long(&s.network) || long(&s.describe) || long(&s.area) {
            return Err(crate::i18n::t("import_bad_device", &[]));
        }
    }
    // (a file exported by an older version: its fingerprints keyed as ours)
    t.rekey();
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
    /// Objects with their members sorted by key (serde_json's order).
    fn sorted(v: Value) -> Value {
        match v {
            Value::Arr(a) => Value::Arr(a.into_iter().map(sorted).collect()),
            Value::Obj(m) => Value::Obj(m.into_iter().map(|(k, v)| (k, sorted(v))).collect::<BTreeMap<_, _>>().into_iter().collect()),
            v => v,
        }
    }
    pub fn store(j: serde_json::Value) -> BTreeMap<String, Value> {
        match from_json(&j) {
            Value::Obj(m) => m.into_iter().collect(),
            _ => panic!(),
        }
    }
    /// Round-trip a State through the stored form.
    pub fn stored(s: &State) -> BTreeMap<String, Value> {
        match parse_json(&to_json(s)).unwrap() {
            Value::Obj(m) => m.into_iter().collect(),
            _ => panic!(),
        }
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

    /// Items as the bindings read them: all at once, then one by one.
    fn read(items: &[(&str, Result<&str, &str>)]) -> Result<Members, String> {
        let whole = items.iter().map(|(k, t)| t.map(|t| format!("{}:{t}", to_json(&k.to_string())))).collect::<Result<Vec<_>, _>>();
        let whole = whole.map(|w| format!("{{{}}}", w.join(","))).map_err(String::from);
        read_members(whole, || items.iter().map(|(k, t)| (k.to_string(), t.map(String::from).map_err(String::from))).collect())
    }
    fn deep(levels: usize) -> String {
        "[".repeat(levels) + &"]".repeat(levels)
    }
    const DEVICE: &str = r#"{"devices":[{"fingerprint":"web|linux|firefox|","label":"Desk","first_seen":1,"last_seen":2}]}"#;

    /// Each kind of stored item that cannot be read as JSON is one key kept
    /// aside, whatever the key: the rest loads (and a store read whole needs
    /// no item-by-item reading).
    #[test]
    fn unreadable_items_are_kept_aside_one_by_one() {
        let d = deep(300);
        // readable whole: no second reading
        let m = read(&[("schema_version", Ok("2")), ("trust", Ok(DEVICE))]).unwrap();
        assert!(m.unreadable.is_empty());
        assert_eq!(m.ok.len(), 2);
        // not an object, or nothing to read one by one: an error as before
        assert!(read_members(Ok("[1]".into()), Vec::new).unwrap_err().contains("expected an object"));
        assert!(read_members(Ok(d.clone()), Vec::new).unwrap_err().contains("nested too deeply"));
        for key in ["trust", "acks", "scan", "history", "settings", "flow", "checks", "api", "account", "accounts", "notices"] {
            let items = [("schema_version", Ok("2")), ("settings", Ok(r#"{"banner_dismissed":true}"#)), ("trust", Ok(DEVICE)), (key, Ok(d.as_str()))];
            let l = load_stored(&read(&items).unwrap(), 7);
            let kept = format!("quarantine/7/{key}");
            assert_eq!(l.quarantine, vec![(kept.clone(), Value::Str(d.clone()))], "{key}");
            assert!(l.state.notices.iter().any(|n| n.kept_as == kept && n.text.contains(key)), "{key}: {:?}", l.state.notices);
            assert!(l.dirty.contains(&key) && l.dirty.contains(&"notices"), "{key}");
            if key != "trust" {
                assert_eq!(l.state.trust.devices.len(), 1, "{key}");
            }
            if key != "settings" {
                assert!(l.state.settings.banner_dismissed, "{key}");
            }
        }
        // a value JSON.stringify refuses (a BigInt in Firefox's storage): no
        // text, so the stored item itself is copied (by the bindings)
        let l = load_stored(&read(&[("schema_version", Ok("2")), ("trust", Ok(DEVICE)), ("checks", Err("not JSON data"))]).unwrap(), 8);
        assert!(l.quarantine.is_empty());
        assert_eq!(l.copy_as_is, vec![("quarantine/8/checks".to_string(), "checks".to_string())]);
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/8/checks"));
        assert!(l.dirty.contains(&"checks"));
        assert_eq!(l.state.trust.devices.len(), 1);
        // v1 data whose old list is unreadable: set aside, the store upgraded
        let l = load_stored(&read(&[("trusted", Ok(d.as_str())), ("settings", Ok(r#"{"banner_dismissed":true}"#))]).unwrap(), 9);
        assert_eq!(l.quarantine, vec![("quarantine/9/trusted".to_string(), Value::Str(d.clone()))]);
        assert!(l.dirty.contains(&"schema_version") && l.state.settings.banner_dismissed);
        // ...and read no more once upgraded
        let l = load_stored(&read(&[("schema_version", Ok("2")), ("trusted", Ok(d.as_str()))]).unwrap(), 9);
        assert!(l.quarantine.is_empty() && l.state.notices.is_empty());
        // an unreadable schema version, or a newer one next to an unreadable
        // item: everything kept aside, the unreadable item as its text
        for items in [vec![("schema_version", Ok(d.as_str())), ("trust", Ok(DEVICE))], vec![("schema_version", Ok("99")), ("trust", Ok(DEVICE)), ("future", Ok(d.as_str()))]] {
            let l = load_stored(&read(&items).unwrap(), 10);
            assert_eq!(l.quarantine.len(), 1);
            let all = &l.quarantine[0].1;
            assert!(all.get("trust").is_some(), "{items:?}");
            assert!(all.get("schema_version").filter(|v| **v != Value::Num(99.0)).or(all.get("future")) == Some(&Value::Str(d.clone())), "{items:?}");
            assert!(l.state.notices[0].text.contains("schema"), "{}", l.state.notices[0].text);
        }
        // unknown items and copies already aside are not ours to read
        let l = load_stored(&read(&[("schema_version", Ok("2")), ("other", Ok(d.as_str())), ("quarantine/1/trust", Ok(d.as_str()))]).unwrap(), 11);
        assert!(l.quarantine.is_empty() && l.state.notices.is_empty());
    }

    /// Kept aside whole (a newer schema), an item with no JSON text is copied
    /// beside the whole copy, never onto it: not even an item named "all".
    #[test]
    fn a_copy_as_is_never_replaces_the_whole_copy() {
        let m = read(&[("schema_version", Ok("99")), ("trust", Ok(DEVICE)), ("all", Err("not JSON data")), ("checks", Err("not JSON data"))]).unwrap();
        let l = load_stored(&m, 5);
        assert_eq!(l.quarantine.len(), 1);
        assert!(l.quarantine[0].1.get("trust").is_some());
        let whole = &l.quarantine[0].0;
        assert_eq!(whole, "quarantine/5/all");
        assert_eq!(l.copy_as_is, vec![("quarantine/5/all.all".to_string(), "all".to_string()), ("quarantine/5/all.checks".to_string(), "checks".to_string())]);
        assert!(l.copy_as_is.iter().all(|(k, _)| k != whole && k.starts_with(QUARANTINE_PREFIX)));
    }

    /// "Export report" lists the copies stored (an unreadable one as its
    /// text) and those the reading just made, before any write stores them.
    #[test]
    fn export_lists_every_copy_kept_aside() {
        let d = deep(300);
        let m = read(&[("schema_version", Ok("2")), ("api", Ok(d.as_str())), ("checks", Err("not JSON data")), ("quarantine/1/trust", Ok("5")), ("quarantine/2/x", Ok(d.as_str())), ("quarantine/3/y", Err("not JSON data"))]).unwrap();
        let l = load_stored(&m, 4);
        let kept = kept_aside(&m, &l);
        let names: Vec<&str> = kept.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["quarantine/1/trust", "quarantine/2/x", "quarantine/3/y", "quarantine/4/api", "quarantine/4/checks"]);
        assert_eq!(kept[1].1, Value::Str(d.clone()));
        assert_eq!(kept[3].1, Value::Str(d));
        // (no JSON text: copied by the browser itself, listed as it will read)
        assert_eq!(l.copy_as_is, vec![("quarantine/4/checks".to_string(), "checks".to_string())]);
        assert_eq!(kept[4].1, Value::Null);
    }

    /// Other values that are not what we wrote: lone surrogates (JS strings
    /// may hold them; they read as U+FFFD), huge numbers, NaN (which JS
    /// stores as null), a list where an object belongs. Each is read, or is
    /// one key kept aside as it was; the others keep working.
    #[test]
    fn other_odd_values_are_read_or_kept_aside_alone() {
        let dev = |f: &str| format!(r#"{{"devices":[{{"fingerprint":"web|linux|firefox|","label":"Desk","first_seen":1,"last_seen":{f}}}]}}"#);
        let surrogates = r#"{"devices":[{"fingerprint":"web|linux|firefox|\ud800","label":"\udc00Me\ud83d","first_seen":1,"last_seen":2}]}"#;
        let m = read(&[("schema_version", Ok("2")), ("trust", Ok(surrogates))]).unwrap();
        let l = load_stored(&m, 1);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.trust.devices[0].label, "\u{fffd}Me\u{fffd}");
        for (key, bad) in [("trust", dev("1e308")), ("trust", dev("null")), ("trust", "[]".to_string()), ("settings", "[]".to_string()), ("checks", "[1]".to_string())] {
            let good_trust = dev("2");
            let mut items = vec![("schema_version", Ok("2")), ("settings", Ok(r#"{"banner_dismissed":true}"#)), ("trust", Ok(good_trust.as_str()))];
            items.retain(|(k, _)| *k != key);
            items.push((key, Ok(bad.as_str())));
            let m = read(&items).unwrap();
            assert!(m.unreadable.is_empty(), "{key}: {bad}");
            let l = load_stored(&m, 2);
            let kept = format!("quarantine/2/{key}");
            assert_eq!(l.quarantine.len(), 1, "{key}: {bad}");
            assert_eq!(l.quarantine[0].0, kept, "{key}: {bad}");
            assert_eq!(l.quarantine[0].1, parse_json(&bad).unwrap(), "{key}: kept as it was");
            assert!(l.state.notices.iter().any(|n| n.kept_as == kept), "{key}: {bad}");
            if key != "trust" {
                assert_eq!(l.state.trust.devices.len(), 1, "{key}: {bad}");
            }
            if key != "settings" {
                assert!(l.state.settings.banner_dismissed, "{key}: {bad}");
            }
        }
        // NaN as a whole item is stored as null: nothing to keep, the default
        let l = load_stored(&read(&[("schema_version", Ok("2")), ("settings", Ok("null")), ("trust", Ok(DEVICE))]).unwrap(), 3);
        assert!(l.quarantine.is_empty() && l.state.notices.is_empty());
        assert_eq!(l.state.trust.devices.len(), 1);
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
        assert!(l.quarantine[0].1.get("whatever").is_some());
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

    /// A phone trusted (or marked "Not me") as "Samsung SM-S918B" by an older version
    /// is the same phone when its row now reads "SM-S918B": stored and imported
    /// fingerprints are keyed as `DeviceInfo::fingerprint` keys them now.
    #[test]
    fn older_fingerprints_with_a_makers_name_are_rekeyed() {
        let device = crate::device::parse_kucoin_device("Android 14 KuCoin App SM-S918B");
        let other = crate::device::parse_kucoin_device("Android 14 KuCoin App Xiaomi 2201123G");
        let trust = serde_json::json!({
            "devices": [
                {"fingerprint": "app|android|kucoin app|samsung sm-s918b", "label": "Phone", "networks": ["203.0.113.0/24"], "areas": ["singapore"], "first_seen": 5, "last_seen": 6},
                {"fingerprint": "app|android|kucoin app|sm-s918b", "label": "Phone again", "networks": ["198.51.100.0/24"], "areas": ["singapore"], "first_seen": 1, "last_seen": 9},
                {"fingerprint": "web|windows|chrome|", "label": "Laptop", "first_seen": 1, "last_seen": 2}
            ],
            "suspects": [{"fingerprint": "app|android|kucoin app|xiaomi 2201123g", "network": "", "marked_at": 3}]
        });
        let raw = store(serde_json::json!({"schema_version": SCHEMA_VERSION, "trust": trust.clone()}));
        let l = load(&raw, 10);
        assert!(l.dirty.contains(&"trust"), "{:?}", l.dirty);
        let t = &l.state.trust;
        assert_eq!(t.devices.len(), 2, "the two entries of one phone are one: {:?}", t.devices);
        let phone = t.find(&device.fingerprint()).expect("the phone is found by its row");
        assert_eq!((phone.label.as_str(), phone.first_seen, phone.last_seen), ("Phone", 1, 9));
        assert_eq!(phone.networks, ["203.0.113.0/24", "198.51.100.0/24"]);
        let ip: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        assert!(matches!(t.classify(&device, Some(&ip), Some("Singapore")), crate::trust::Match::Known(_)));
        assert!(matches!(t.classify(&other, Some(&ip), Some("Singapore")), crate::trust::Match::Suspect(_)));
        // Keyed already: nothing to write.
        let again = load(&stored(&l.state), 11);
        assert!(!again.dirty.contains(&"trust"), "{:?}", again.dirty);
        // An imported file from an older version too.
        let imported = import_trust(&from_json(&trust)).unwrap();
        assert!(imported.find(&device.fingerprint()).is_some());
        assert_eq!(imported.suspects[0].fingerprint, other.fingerprint());
    }

    /// Another account's trust list, stored by an older version, is re-keyed
    /// too: the scan that switches to that account finds its phone.
    #[test]
    fn other_accounts_fingerprints_are_rekeyed() {
        let phone = crate::device::parse_kucoin_device("Android 14 KuCoin App SM-S918B");
        let old = serde_json::json!({"devices": [{"fingerprint": "app|android|kucoin app|samsung sm-s918b", "label": "Phone", "networks": ["203.0.113.0/24"], "first_seen": 1, "last_seen": 2}]});
        let raw = store(serde_json::json!({"schema_version": SCHEMA_VERSION, "account": "a***@x.com", "accounts": {"b***@y.com": {"trust": old}}}));
        let l = load(&raw, 10);
        assert!(l.dirty.contains(&"accounts"), "{:?}", l.dirty);
        let mut st = l.state;
        assert!(st.switch_account("b***@y.com"));
        let ip: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        assert!(matches!(st.trust.classify(&phone, Some(&ip), None), crate::trust::Match::Known(_)));
        let again = load(&stored(&st), 11);
        assert!(!again.dirty.contains(&"accounts"), "{:?}", again.dirty);
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

    /// The bindings' path (object members, in any order, maybe repeated)
    /// reads a store exactly as `load` does.
    #[test]
    fn members_load_like_the_map() {
        for j in [
            serde_json::json!({"schema_version": 2, "trust": {"devices": "oops"}, "settings": {"banner_dismissed": true}, "quarantine/1/x": 5}),
            serde_json::json!({"trust": false, "trusted": [{"fingerprint": "web|windows|chrome|", "label": "L", "first_seen": 1, "last_seen": 2}]}),
            serde_json::json!({"schema_version": 1, "trusted": 7, "history": 5}),
            serde_json::json!({"schema_version": 99, "trust": {"devices": []}, "whatever": 1}),
            serde_json::json!({"schema_version": 2.5, "acks": {"until": "x"}}),
            serde_json::json!({}),
        ] {
            let raw = store(j.clone());
            let mut members: Vec<(String, Value)> = raw.iter().map(|(k, v)| (k.clone(), v.clone())).rev().collect();
            let a = load(&raw, 9);
            let b = load_members(&members, 9);
            assert_eq!(a.state, b.state, "{j}");
            assert_eq!(a.dirty, b.dirty, "{j}");
            assert_eq!(a.quarantine.len(), b.quarantine.len(), "{j}");
            for ((ka, va), (kb, vb)) in a.quarantine.iter().zip(&b.quarantine) {
                assert_eq!(ka, kb);
                assert_eq!(to_json(va), to_json(vb), "{j}");
            }
            // of repeated keys the last counts
            if let Some((k, _)) = members.first().cloned() {
                members.insert(0, (k, Value::Str("earlier, ignored".into())));
                assert_eq!(load_members(&members, 9).state, b.state, "{j}");
            }
        }
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

    /// A 22nd account puts away the one used longest ago, whatever its name.
    #[test]
    fn the_account_used_longest_ago_goes() {
        let mut s = State::default();
        let mut at = 1_000;
        // 21 accounts: "a@x" (first by name), "z@x", "m00@x" … "m18@x", used in that order
        for name in ["a@x", "z@x"].into_iter().map(String::from).chain((0..19).map(|i| format!("m{i:02}@x"))) {
            s.switch_account(&name);
            s.scan = Some(crate::app::ScanReport { at, ..Default::default() });
            at += 1_000;
        }
        assert_eq!(s.accounts.len(), MAX_ACCOUNTS);
        // "a@x" used again, then a 22nd account
        s.switch_account("a@x");
        assert_eq!(s.scan.as_ref().map(|r| r.at), Some(1_000));
        s.scan = Some(crate::app::ScanReport { at, ..Default::default() });
        s.switch_account("new@x");
        assert_eq!(s.accounts.len(), MAX_ACCOUNTS);
        assert_eq!(s.accounts.get("a@x").and_then(|d| d.scan.as_ref()).map(|r| r.at), Some(at), "the account in use stays");
        assert!(s.accounts.get("z@x").is_none(), "the one used longest ago goes");
    }

    /// The popup's "Export report" imports back whole; another JSON object
    /// is not taken for an empty trust list.
    #[test]
    fn export_report_imports_back() {
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), 7, false);
        s.trust.mark_not_me(&crate::device::parse_kucoin_device("Linux Firefox"), Some(&"192.0.2.8".parse().unwrap()), Some("Lagos"), 8);
        let report = parse_json(&to_json(&crate::app::export_report(&s, Vec::new(), 9))).unwrap();
        let mut fresh = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        let out = crate::app::handle_import(&report, &mut fresh, 10).unwrap();
        assert_eq!(fresh.trust, s.trust, "{}", out.toast);
        for other in [serde_json::json!({"hello": "world"}), serde_json::json!({"state": {}}), serde_json::json!({})] {
            let e = import_trust(&from_json(&other)).unwrap_err();
            assert!(e.contains("not a Session Guard trust list"), "{other}: {e}");
        }
        // lists given as such, or empty, still import
        assert!(import_trust(&from_json(&serde_json::json!({"devices": []}))).is_ok());
        assert!(import_trust(&from_json(&serde_json::json!({"trust": {"suspects": []}}))).is_ok());
    }

    /// An imported file stays within the list's own bounds: no store (and no
    /// scan reading it) that grows with the file, and no quadratic merge.
    #[test]
    fn import_is_bounded() {
        use crate::trust::{MAX_DEVICES, MAX_NETWORKS};
        let suspects = |n: usize, from: usize| (from..from + n).map(|i| serde_json::json!({"fingerprint": format!("f{i}"), "marked_at": i})).collect::<Vec<_>>();
        let e = import_trust(&from_json(&serde_json::json!({"suspects": suspects(MAX_DEVICES + 1, 0)}))).unwrap_err();
        assert!(e.contains("Too many"), "{e}");
        let dev = |nets: usize| serde_json::json!({"devices": [{"fingerprint": "web|linux|firefox|", "label": "L", "first_seen": 1, "last_seen": 1,
            "networks": (0..nets).map(|i| format!("10.{i}.0.0/24")).collect::<Vec<_>>()}]});
        assert!(import_trust(&from_json(&dev(MAX_NETWORKS))).is_ok());
        assert!(import_trust(&from_json(&dev(MAX_NETWORKS + 1))).is_err());
        let huge = serde_json::json!({"devices": [{"fingerprint": "web|linux|firefox|", "label": "L", "describe": "x".repeat(1 << 20), "first_seen": 1, "last_seen": 1}]});
        assert!(import_trust(&from_json(&huge)).is_err());
        assert!(import_trust(&from_json(&serde_json::json!({"suspects": [{"fingerprint": "", "marked_at": 1}]}))).is_err());
        // a full list of "Not me" rows and a full file: the newest MAX_DEVICES kept
        let mut s = State::default();
        crate::app::handle_import(&from_json(&serde_json::json!({"suspects": suspects(MAX_DEVICES, 0)})), &mut s, 1).unwrap();
        crate::app::handle_import(&from_json(&serde_json::json!({"suspects": suspects(MAX_DEVICES, 1000)})), &mut s, 2).unwrap();
        assert_eq!(s.trust.suspects.len(), MAX_DEVICES);
        assert_eq!(s.trust.suspects[0].fingerprint, "f1000");
    }

    /// Decode `j` as `T`: a value must re-encode and decode to itself; an
    /// error is returned (never a panic).
    fn same<T: FromJson + ToJson + PartialEq + std::fmt::Debug>(j: serde_json::Value) -> Option<String> {
        let v = from_json(&j);
        match decode::<T>(&v) {
            Ok(t) => {
                let back: T = from_json_text(&to_json(&t)).unwrap_or_else(|e| panic!("{e}: {j}"));
                assert_eq!(back, t, "{j}");
                None
            }
            Err(e) => Some(e),
        }
    }

    /// Every stored key as written, with its fields (and the fields of its
    /// first row or device) replaced by values of every other type: each
    /// decodes to a value that round-trips, or fails with a message naming
    /// the bad field.
    #[test]
    fn broken_stored_values_fail_clearly_or_round_trip() {
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
        let good: serde_json::Value = serde_json::from_str(&to_json(&s)).unwrap();
        for (key, val) in good.as_object().unwrap() {
            // every stored key as written, and with every field replaced by odd values
            let mut variants = vec![val.clone()];
            let mut named: Vec<(serde_json::Value, String)> = Vec::new();
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
                        named.push((json!(c), f.clone()));
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
            for (v, f) in named {
                let e = match key.as_str() {
                    "trust" => same::<TrustList>(v),
                    "acks" => same::<crate::assess::Acks>(v),
                    "scan" => same::<Option<crate::app::ScanReport>>(v),
                    "settings" => same::<Settings>(v),
                    "flow" => same::<Option<crate::flow::Flow>>(v),
                    "checks" => same::<crate::flow::Checks>(v),
                    "api" => same::<Option<crate::api::ApiReport>>(v),
                    "accounts" => same::<crate::util::Keyed<AccountData>>(v),
                    other => panic!("stored object {other}: add it here"),
                };
                if let Some(e) = e {
                    assert!(e.starts_with(&f), "{key}.{f}: {e}");
                    assert!(e.contains("expected") || e.contains("missing field"), "{key}.{f}: {e}");
                }
            }
            for v in variants {
                let err = |e: Option<String>| {
                    // a field replaced by a wrong value is named in the error
                    if let Some(e) = e {
                        assert!(!e.is_empty());
                    }
                };
                match key.as_str() {
                    "schema_version" => err(same::<u32>(v)),
                    "trust" => err(same::<TrustList>(v)),
                    "acks" => err(same::<crate::assess::Acks>(v)),
                    "scan" => err(same::<Option<crate::app::ScanReport>>(v)),
                    "history" => err(same::<Vec<crate::app::Seen>>(v)),
                    "settings" => err(same::<Settings>(v)),
                    "flow" => err(same::<Option<crate::flow::Flow>>(v)),
                    "checks" => err(same::<crate::flow::Checks>(v)),
                    "notices" => err(same::<Vec<Notice>>(v)),
                    "api" => err(same::<Option<crate::api::ApiReport>>(v)),
                    "account" => err(same::<String>(v)),
                    "accounts" => err(same::<crate::util::Keyed<AccountData>>(v)),
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

    #[test]
    fn json_parser_matches_serde_json() {
        let mut texts: Vec<String> = [
            r#"{"a":[1,-2,3.5,-0,0.1,1e21,1.7976931348623157e308,5e-324,2.2250738585072014e-308,9007199254740993]}"#,
            r#"["\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r", "é😀", "", {}, [], [[]], null, true, false]"#,
            r#"  { "k" : { "n" : [ 1 , 2 ] } , "s" : "x" }  "#,
            r#"{"schema_version":2,"trust":{"devices":[{"fingerprint":"web|linux|chrome|","label":"This browser","first_seen":1752500000000,"last_seen":1752500000000}]}}"#,
            "0", "-1", "1E5", "1e+5", "1.5E-3", "0.30000000000000004", "4.35", "1234567.891", "-9.87654321e-7", "123456789012345680000",
            "1.00000000000000000000001", "0.000000000000000000000000000001", "100000000000000000000000000000000000000000e-30",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // pseudo-random doubles printed the way JavaScript and serde print them
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                texts.push(serde_json::to_string(&f).unwrap());
            }
            let g = (x % 10_000_000) as f64 / [1.0, 10.0, 100.0, 1000.0, 1e6][(x % 5) as usize];
            texts.push(serde_json::to_string(&g).unwrap());
        }
        for t in &texts {
            // numbers: Rust's parser (correctly rounded, like JavaScript's; serde_json's default is not)
            let want = match t.parse::<f64>() {
                Ok(f) => Value::Num(f),
                Err(_) => from_json(&serde_json::from_str::<serde_json::Value>(t).unwrap()),
            };
            let got = sorted(parse_json(t).unwrap_or_else(|e| panic!("{t}: {e}")));
            match (&want, &got) {
                (Value::Num(a), Value::Num(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{t}"),
                _ => assert_eq!(want, got, "{t}"),
            }
        }
        // lone surrogates become U+FFFD (as JS strings do when they enter Rust)
        assert_eq!(parse_json(r#""a\ud800b\udc00""#).unwrap(), Value::Str("a\u{fffd}b\u{fffd}".into()));
        // malformed input is an error, never a panic
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "\"\\x\"", "\"abc", "tru", "[1 2]", "{\"a\":1}x", "\"\u{1}\"", "\"\\u12\""] {
            assert!(parse_json(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse_json(&deep).is_err());
    }

    /// A `default` field left out keeps the placeholder the decoder starts
    /// from: it must be the type's `Default`, as with serde's `default`.
    #[test]
    fn placeholders_are_the_defaults() {
        fn same<T: FromJson + Default + PartialEq + std::fmt::Debug>() {
            assert_eq!(T::placeholder(), T::default(), "{}", std::any::type_name::<T>());
        }
        same::<State>();
        same::<AccountData>();
        same::<Settings>();
        same::<TrustList>();
        same::<crate::assess::Acks>();
        same::<crate::assess::Summary>();
        same::<crate::assess::Assessment>();
        same::<crate::app::ScanReport>();
        same::<crate::app::Badge>();
        same::<crate::extract::SecuritySettings>();
        same::<crate::extract::Controls>();
        same::<crate::flow::Checks>();
        same::<crate::check::CheckResult>();
        same::<crate::flow::Target>();
        same::<crate::flow::Phase>();
        same::<crate::api::ApiReport>();
        same::<crate::api::ApiPage>();
        same::<crate::snapshot::Snapshot>();
        same::<crate::snapshot::Node>();
        same::<crate::snapshot::BrowserEnv>();
        same::<crate::plan::Action>();
        same::<crate::device::DeviceInfo>();
        same::<Option<crate::flow::Flow>>();
        same::<Vec<Notice>>();
        same::<crate::util::Keyed<AccountData>>();
        same::<(String, String)>();
        same::<String>();
        same::<i64>();
        same::<bool>();
    }

    #[test]
    fn json_writer_output_is_valid_json() {
        use crate::app::handle_scan;
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en-hostile.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        let mut st = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        let out = handle_scan(&snap, &mut st, 1_752_500_000_000);
        st.notices.push(Notice { at: -5, text: "quote \" back\\slash \u{1} \u{1f} \n\t\r é 😀 \u{2028}".into(), kept_as: String::new() });
        // serde_json reads it as the same tree the core's parser does
        for text in [to_json(&st), to_json(&out), to_json(&snap)] {
            let theirs: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(from_json(&theirs), sorted(parse_json(&text).unwrap()));
        }
        let back: State = from_json_text(&to_json(&st)).unwrap();
        assert_eq!(back, st);
        let back: crate::snapshot::Snapshot = from_json_text(&to_json(&snap)).unwrap();
        assert_eq!(back, snap);
        // only some top-level fields
        let keys = vec!["scan".to_string(), "notices".to_string()];
        let all = parse_json(&to_json(&st)).unwrap();
        let only = parse_json(&to_json_only(&st, Some(&keys))).unwrap();
        let Value::Obj(only) = &only else { panic!() };
        assert_eq!(only.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["scan", "notices"]);
        assert_eq!(only[0].1, *all.get("scan").unwrap());
        assert_eq!(only[1].1, *all.get("notices").unwrap());
        // stored values round-trip, numbers included
        let v = from_json(&serde_json::json!({"a": [1, -2, 0.5, 1e300, -7.25e-9, 9007199254740991u64, null, true, "x\u{7f}"], "b": {}}));
        let back = parse_json(&to_json(&v)).unwrap();
        assert_eq!(back, v);
        assert_eq!(to_json(&Value::Num(f64::NAN)), "null");
        assert_eq!(to_json(&Value::Num(-3.0)), "-3");
        assert_eq!(to_json(&Value::Num(-0.0)), "-0");
        assert_eq!(to_json(&i64::MIN), "-9223372036854775808");
        assert_eq!(to_json(&u64::MAX), "18446744073709551615");
    }

    #[test]
    fn snapshots_and_actions_decode_or_fail_clearly() {
        use crate::snapshot::Snapshot;
        for (t, want) in [
            (r#"{"url":"u","nodes":[{"id":1,"parent":0,"tag":"p","attrs":[["a","b","extra"]],"hidden":false,"x":[1,{"y":null}]}],"env":{"mobile":true,"brands":[["B","1"]]}}"#, Ok(())),
            (r#"{"url":"u","nodes":[{"id":-1,"parent":0,"tag":"p"}]}"#, Err("nodes[0].id: invalid value: integer `-1`, expected u32")),
            (r#"{"url":"u","nodes":[{"id":1.5,"parent":0,"tag":"p"}]}"#, Err("nodes[0].id: invalid type: floating point `1.5`, expected u32")),
            (r#"{"url":"u","nodes":[{"id":1,"parent":0,"tag":7}]}"#, Err("nodes[0].tag: invalid type: integer `7`, expected a string")),
            (r#"{"url":"u","nodes":{}}"#, Err("nodes: invalid type: an object, expected a list")),
            (r#"{"nodes":[]}"#, Err("missing field `url`")),
            (r#"[]"#, Err("invalid type: a list, expected an object")),
            (r#"{"url":"u","nodes":[],"env":{"utc_offset_minutes":99999999999}}"#, Err("env.utc_offset_minutes: invalid value: integer `99999999999`, expected i32")),
            (r#"{"url":"u","nodes":[[1,0,"p","",[],false]]}"#, Err("nodes[0]: invalid type: a list, expected an object")),
            (r#"{"url":"u","nodes":[]} x"#, Err("bad JSON at byte 23: trailing characters")),
        ] {
            assert_eq!(from_json_text::<Snapshot>(t).map(|_| ()), want.map_err(String::from), "{t}");
        }
        let a = from_json_text::<crate::plan::Action>(r#"{"kind":"trust","target":3,"label":"Me\u00e9"}"#).unwrap();
        assert_eq!(a.kind, "trust");
        assert_eq!(a.label, "Meé");
        assert_eq!(a.target, 3);
        assert!(from_json_text::<crate::plan::Action>(r#"{"kind":"trust"} x"#).is_err());
    }
}
