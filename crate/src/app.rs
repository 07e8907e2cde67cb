//! The core's two entry points, in plain Rust: a scan (snapshot → plan) and a
//! user action (button → state change). The wasm bindings convert and call
//! these; host tests call them directly.
//!
//! snapshot → extract → assess → plan; the content script applies the plan.

use crate::assess::{self, Assessment, EventMark, Severity, Verdict};
use crate::device;
use crate::extract::{self, Extraction, PageKind, Status, TableKind};
use crate::plan::{Action, Button, ButtonStyle, Confirm, Kind, Place, Plan, Step, Tone, Widget};
use crate::snapshot::Snapshot;
use crate::storage::State;
use serde::{Deserialize, Serialize};

/// Most login sightings kept in `history` (pagination accumulates here).
pub const MAX_HISTORY: usize = 1000;
/// Rows kept in the stored scan report for the popup.
pub const MAX_REPORT_ROWS: usize = 50;

/// What the popup and badge show about the last security-page scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub at: i64,
    pub url: String,
    pub lang: String,
    pub summary: assess::Summary,
    /// Verdicts, unfamiliar online first (at most `MAX_REPORT_ROWS`).
    pub rows: Vec<ReportRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub table: TableKind,
    pub verdict: Verdict,
    #[serde(default)]
    pub severity: Option<Severity>,
    pub reason: String,
    pub online: bool,
    pub describe: String,
    pub ip: String,
    pub area: String,
    #[serde(default)]
    pub time_ms: Option<i64>,
}

/// One login seen in Recent Logins (any page of it), deduplicated by
/// IP + device + time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub ip: String,
    pub area: String,
    pub device: String,
    pub time_ms: i64,
    pub first_seen: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub text: String,
    /// `#c62828` red, `#ef6c00` orange, or empty.
    pub color: String,
    pub title: String,
}

/// What a call returns: the plan for the page, which storage keys changed,
/// and the toolbar badge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub plan: Plan,
    /// Storage keys (fields of `State`) to write.
    pub writes: Vec<String>,
    pub badge: Badge,
    /// Ask the content script to scan again (after an action changed state).
    pub rescan: bool,
    /// A message for the content script's UI (errors, confirmations).
    #[serde(default)]
    pub toast: String,
}

impl Outcome {
    fn new(plan: Plan, state: &State) -> Outcome {
        Outcome { plan, writes: Vec::new(), badge: badge(state), rescan: false, toast: String::new() }
    }
    fn write(&mut self, key: &str) {
        if !self.writes.iter().any(|k| k == key) {
            self.writes.push(key.into());
        }
    }
}

/// A scan: the whole pipeline for one snapshot.
pub fn handle_scan(snap: &Snapshot, state: &mut State, now: i64) -> Outcome {
    let ex = extract::extract(snap);
    let mut plan = Plan::empty(&ex.page.to_string());
    plan.dir = if snap.dir.eq_ignore_ascii_case("rtl") || matches!(ex.lang.as_str(), "ar" | "ur") { "rtl".into() } else { "ltr".into() };
    if ex.page == PageKind::Other {
        return Outcome::new(plan, state);
    }
    plan.watch = true;
    if ex.page != PageKind::Security {
        return Outcome::new(plan, state);
    }
    let me = extract::this_browser(&snap.env);
    let a = assess::assess(&ex, &state.trust, me.as_ref(), &state.acks);
    let mut out_writes: Vec<&str> = vec!["scan"];
    if learn(&ex, &a, state, now) {
        out_writes.push("trust");
    }
    if accumulate_history(&ex, state, now) {
        out_writes.push("history");
    }
    state.scan = Some(report(snap, &ex, &a, now));
    build_plan(&ex, &a, state, &mut plan);
    let mut out = Outcome::new(plan, state);
    for k in out_writes {
        out.write(k);
    }
    out
}

/// Trust this browser on first sight; remember new networks of known devices.
fn learn(ex: &Extraction, a: &Assessment, state: &mut State, now: i64) -> bool {
    let mut changed = false;
    let Some(t) = ex.table(TableKind::RecentLogins) else { return false };
    // row → its first verdict, looked up instead of searched per record (long lists)
    let logins: Vec<&assess::RowVerdict> = a.rows.iter().filter(|v| v.table == TableKind::RecentLogins).collect();
    let rows: Vec<u32> = logins.iter().map(|v| v.row).collect();
    let index = crate::util::index_u32(&rows);
    for r in &t.records {
        let Some(v) = crate::util::first_at(&rows, &index, r.row).map(|i| logins[i]) else { continue };
        let ip = r.ip.as_ref().map(|i| i.ip);
        let area = r.ip.as_ref().and_then(|i| i.area.as_deref());
        if v.verdict == Verdict::Current && r.status == Some(Status::Current) {
            let before = state.trust.find(&r.device.fingerprint()).cloned();
            state.trust.trust(&r.device, "This browser", ip.as_ref(), area, now, true);
            changed |= before.as_ref() != state.trust.find(&r.device.fingerprint());
        } else if v.verdict == Verdict::Familiar {
            let before = state.trust.find(&r.device.fingerprint()).map(|d| (d.networks.len(), d.areas.len()));
            state.trust.seen(&r.device, ip.as_ref(), area, now);
            let after = state.trust.find(&r.device.fingerprint()).map(|d| (d.networks.len(), d.areas.len()));
            changed |= before != after;
        }
    }
    changed
}

fn accumulate_history(ex: &Extraction, state: &mut State, now: i64) -> bool {
    let Some(t) = ex.table(TableKind::RecentLogins) else { return false };
    let mut changed = false;
    // (ip, device, time) of every sighting, as one unambiguous string
    let key = |ip: &str, device: &str, time: i64| format!("{}:{ip}{device}:{time}", ip.len());
    let mut known = std::collections::BTreeSet::new();
    for s in &state.history {
        known.insert(key(&s.ip, &s.device, s.time_ms));
    }
    for r in t.records.iter().filter(|r| !r.hidden) {
        let (Some(ip), Some(time_ms)) = (r.ip.as_ref(), r.time_ms) else { continue };
        let ip_s = ip.ip.to_string();
        if known.contains(&key(&ip_s, &r.device_text, time_ms)) {
            continue;
        }
        known.insert(key(&ip_s, &extract::clip(&r.device_text), time_ms));
        state.history.push(Seen {
            ip: ip_s,
            area: ip.area.clone().unwrap_or_default(),
            device: extract::clip(&r.device_text),
            time_ms,
            first_seen: now,
        });
        changed = true;
    }
    if state.history.len() > MAX_HISTORY {
        crate::util::sort_stable_by(&mut state.history, |a, b| b.time_ms.cmp(&a.time_ms));
        state.history.truncate(MAX_HISTORY);
    }
    changed
}

fn report(snap: &Snapshot, ex: &Extraction, a: &Assessment, now: i64) -> ScanReport {
    ScanReport {
        at: now,
        url: extract::clip(&snap.url),
        lang: ex.lang.clone(),
        summary: a.summary.clone(),
        rows: a
            .rows
            .iter()
            .take(MAX_REPORT_ROWS)
            .map(|v| ReportRow {
                table: v.table,
                verdict: v.verdict,
                severity: v.severity,
                reason: extract::clip_to(&v.reason, 300),
                online: v.online,
                describe: extract::clip(&v.describe),
                ip: v.ip.clone(),
                area: extract::clip(&v.area),
                time_ms: v.time_ms,
            })
            .collect(),
    }
}

fn summary_text(s: &assess::Summary) -> (Tone, String, String) {
    if !s.readable {
        let why = s.problems.first().cloned().unwrap_or_else(|| "the list did not look as expected".into());
        return (Tone::Warn, "Session Guard can't verify this list".into(), why);
    }
    let plural = |n: u32, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut parts = vec![plural(s.sessions, "session", "sessions")];
    if s.unfamiliar_online > 0 {
        parts.push(format!("{} unfamiliar online", s.unfamiliar_online));
    } else if s.unfamiliar > 0 {
        parts.push(format!("{} unfamiliar", s.unfamiliar));
    } else {
        parts.push("all familiar".into());
    }
    if s.trusted_by_kucoin_not_you > 0 {
        parts.push(plural(s.trusted_by_kucoin_not_you, "trusted device to review", "trusted devices to review"));
    }
    if s.flagged_events > 0 {
        parts.push(plural(s.flagged_events, "security event to review", "security events to review"));
    }
    let tone = if s.unfamiliar_online > 0 || s.current_mismatch {
        Tone::Danger
    } else if s.unfamiliar > 0 || s.trusted_by_kucoin_not_you > 0 || s.flagged_events > 0 || !s.problems.is_empty() {
        Tone::Warn
    } else {
        Tone::Ok
    };
    (tone, parts.join(" · "), s.problems.join(" "))
}

fn row_action(kind: &str, v: &assess::RowVerdict, device_text: &str) -> Action {
    Action { kind: kind.into(), device_text: device_text.into(), ip: v.ip.clone(), area: v.area.clone(), ..Default::default() }
}

fn build_plan(ex: &Extraction, a: &Assessment, state: &State, plan: &mut Plan) {
    // device text of a row's first record in the first table of its kind (what
    // `ex.table(kind)` finds), looked up instead of searched per row
    let indexes: Vec<(TableKind, Vec<u32>, Vec<usize>)> = ex
        .tables
        .iter()
        .map(|t| {
            let rows: Vec<u32> = t.records.iter().map(|r| r.row).collect();
            let index = crate::util::index_u32(&rows);
            (t.kind, rows, index)
        })
        .collect();
    let device_text = |table: TableKind, row: u32| -> String {
        let Some(ti) = ex.tables.iter().position(|t| t.kind == table) else { return String::new() };
        let (_, rows, index) = &indexes[ti];
        crate::util::first_at(rows, index, row).map(|i| ex.tables[ti].records[i].device_text.clone()).unwrap_or_default()
    };
    for v in &a.rows {
        plan.mark(v.row, "data-session-guard", v.verdict.as_str());
        if v.verdict == Verdict::Current {
            continue;
        }
        let dt = device_text(v.table, v.row);
        let who = extract::clip(&v.describe);
        let mut buttons = Vec::new();
        let (tone, title) = match (v.verdict, v.severity) {
            (Verdict::Familiar, _) => (Tone::Ok, "Familiar".to_string()),
            (_, Some(Severity::High)) => (Tone::Danger, "Unfamiliar".to_string()),
            _ => (Tone::Warn, "Unfamiliar".to_string()),
        };
        if v.table == TableKind::RecentLogins {
            if v.verdict != Verdict::Familiar || v.severity.is_some() {
                buttons.push(
                    Button { prompt: Some("Name this device (optional)".into()), ..Button::new("This is me", ButtonStyle::Secondary, row_action("trust", v, &dt)) }
                        .aria(format!("This is me: {who}")),
                );
            }
            if !v.suspect {
                buttons.push(Button::new("Not me", ButtonStyle::Danger, row_action("not_me", v, &dt)).aria(format!("Not me: {who}")));
            }
        } else if v.verdict == Verdict::Unfamiliar {
            if let Some(btn) = v.remove_button {
                let mut act = row_action("remove_device", v, &dt);
                act.target = btn;
                buttons.push(Button {
                    confirm: Some(Confirm {
                        title: "Remove this trusted device?".into(),
                        text: format!("Session Guard will press KuCoin's Remove and Confirm for: {who}. The device will need security verification at its next sign-in. This does not end a session that is already signed in."),
                        steps: Vec::new(),
                        confirm_label: "Remove device".into(),
                        cancel_label: "Cancel".into(),
                    }),
                    ..Button::new("Remove", ButtonStyle::Danger, act).aria(format!("Remove trusted device: {who}"))
                });
            }
            buttons.push(
                Button { prompt: Some("Name this device (optional)".into()), ..Button::new("This is me", ButtonStyle::Secondary, row_action("trust", v, &dt)) }
                    .aria(format!("This is me: {who}")),
            );
        }
        plan.widgets.push(Widget {
            key: format!("row:{}", v.row),
            anchor: v.anchor,
            place: Place::Append,
            kind: Kind::Reason,
            tone,
            title,
            text: v.reason.clone(),
            items: Vec::new(),
            buttons,
            host_attr: None,
        });
    }
    for e in &a.events {
        let value = match e.mark {
            EventMark::Flagged => "flagged",
            EventMark::Acknowledged => "acknowledged",
            EventMark::Routine => "routine",
        };
        plan.mark(e.row, "data-session-guard-event", value);
        if e.mark == EventMark::Flagged {
            plan.widgets.push(Widget {
                key: format!("event:{}", e.row),
                anchor: e.anchor,
                place: Place::Append,
                kind: Kind::Reason,
                tone: Tone::Warn,
                title: "Sensitive change".into(),
                text: format!("{} from {} — was this you? If not, change your password and freeze the account.", extract::clip(&e.event_type), e.ip),
                items: Vec::new(),
                buttons: vec![Button::new("I did this", ButtonStyle::Secondary, Action { kind: "ack_event".into(), key: e.key.clone(), ..Default::default() })
                    .aria(format!("I did this: {}", extract::clip(&e.event_type)))],
                host_attr: None,
            });
        }
    }
    // Summary bar above Recent Logins (or at the top of the page if unreadable).
    let (tone, title, text) = summary_text(&a.summary);
    let anchor = ex
        .table(TableKind::RecentLogins)
        .map(|t| (t.container, Place::Before))
        .or_else(|| ex.controls.page_root.map(|r| (r, Place::Prepend)));
    if let Some((anchor, place)) = anchor {
        let mut items = Vec::new();
        let mut buttons = Vec::new();
        if state.trust.devices.iter().all(|d| d.this_browser) && !state.settings.banner_dismissed && a.summary.readable {
            items.push("Session Guard marks each session: green is this browser, grey is a device you confirmed, red is one you have not.".into());
            items.push("Review the rows: press \u{201c}This is me\u{201d} for your own devices and \u{201c}Not me\u{201d} for anything you don't recognise.".into());
            buttons.push(Button::new("Got it", ButtonStyle::Secondary, Action { kind: "dismiss_banner".into(), ..Default::default() }));
        }
        plan.widgets.push(Widget {
            key: "summary:recent".into(),
            anchor,
            place,
            kind: if items.is_empty() { Kind::Summary } else { Kind::Banner },
            tone,
            title,
            text,
            items,
            buttons,
            host_attr: None,
        });
    }
    if let Some(t) = ex.table(TableKind::SecurityLogs) {
        if a.summary.flagged_events > 1 {
            plan.widgets.push(Widget {
                key: "summary:events".into(),
                anchor: t.container,
                place: Place::Before,
                kind: Kind::Summary,
                tone: Tone::Warn,
                title: format!("{} sensitive changes to review", a.summary.flagged_events),
                text: String::new(),
                items: Vec::new(),
                buttons: vec![Button::new("I did all of these", ButtonStyle::Secondary, Action { kind: "ack_all".into(), ..Default::default() })],
                host_attr: None,
            });
        }
    }
}

/// A button press from our own UI (already checked `isTrusted` and, for
/// destructive actions, confirmed in our dialog).
pub fn handle_action(action: &Action, state: &mut State, now: i64) -> Result<Outcome, String> {
    let mut out = Outcome::new(Plan::empty("security"), state);
    let device = || device::parse_kucoin_device(&action.device_text);
    let ip: Option<std::net::IpAddr> = if action.ip.is_empty() { None } else { Some(crate::net::parse_ip(&action.ip).map_err(|e| format!("bad IP in action: {e}"))?) };
    let area = if action.area.is_empty() { None } else { Some(action.area.as_str()) };
    if action.device_text.len() > 2000 || action.label.chars().count() > 200 || action.key.len() > 2000 {
        return Err("action too large".into());
    }
    match action.kind.as_str() {
        "trust" => {
            let label = action.label.trim();
            let d = device();
            let label = if label.is_empty() { d.describe() } else { label.to_string() };
            state.trust.trust(&d, &label, ip.as_ref(), area, now, false);
            out.write("trust");
            out.toast = format!("Trusted: {}", extract::clip(&label));
        }
        "not_me" => {
            state.trust.mark_not_me(&device(), ip.as_ref(), area, now);
            out.write("trust");
            out.toast = "Marked as not you. Consider \u{201c}Log out all devices\u{201d}.".into();
        }
        "ack_event" => {
            if !state.acks.keys.contains(&action.key) {
                state.acks.keys.push(action.key.clone());
                if state.acks.keys.len() > 500 {
                    state.acks.keys.remove(0);
                }
            }
            out.write("acks");
        }
        "ack_all" => {
            state.acks.until = now;
            state.acks.keys.clear();
            out.write("acks");
        }
        "dismiss_banner" => {
            state.settings.banner_dismissed = true;
            out.write("settings");
        }
        "remove_device" => {
            if action.target == 0 {
                return Err("no Remove button to press".into());
            }
            state.flow = Some(crate::flow::Flow {
                kind: "remove_device".into(),
                step: "await_popconfirm".into(),
                started_at: now,
                updated_at: now,
                device_text: action.device_text.clone(),
                ip: action.ip.clone(),
                waits: 0,
                removed: 0,
                total: 1,
                error: String::new(),
            });
            out.write("flow");
            out.plan.steps.push(Step::Click { id: action.target });
            out.plan.steps.push(Step::Rescan { ms: 300 });
            out.badge = badge(state);
            return Ok(out);
        }
        other => return Err(format!("unknown action \"{}\"", extract::clip(other))),
    }
    out.badge = badge(state);
    out.rescan = true;
    Ok(out)
}

/// The toolbar badge from the stored state.
pub fn badge(state: &State) -> Badge {
    let Some(scan) = &state.scan else {
        return Badge { text: String::new(), color: String::new(), title: "Session Guard: no scan yet. Open your KuCoin security page.".into() };
    };
    let s = &scan.summary;
    if !s.readable {
        return Badge { text: "?".into(), color: "#ef6c00".into(), title: "Session Guard could not read your security page".into() };
    }
    if s.unfamiliar_online > 0 {
        return Badge {
            text: s.unfamiliar_online.to_string(),
            color: "#c62828".into(),
            title: format!("Session Guard: {} unfamiliar online session{}", s.unfamiliar_online, if s.unfamiliar_online == 1 { "" } else { "s" }),
        };
    }
    Badge {
        text: String::new(),
        color: String::new(),
        title: if s.unfamiliar > 0 {
            format!("Session Guard: {} unfamiliar session{} to review, none online", s.unfamiliar, if s.unfamiliar == 1 { "" } else { "s" })
        } else {
            "Session Guard: no unfamiliar sessions".into()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_states() {
        let mut s = State::default();
        assert_eq!(badge(&s).text, "");
        assert!(badge(&s).title.contains("no scan"));
        s.scan = Some(ScanReport { summary: assess::Summary { readable: false, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s).text, "?");
        s.scan = Some(ScanReport { summary: assess::Summary { readable: true, unfamiliar_online: 2, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s).text, "2");
        s.scan = Some(ScanReport { summary: assess::Summary { readable: true, unfamiliar: 2, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s).text, "");
    }

    #[test]
    fn actions_validate_input() {
        let mut s = State::default();
        assert!(handle_action(&Action { kind: "explode".into(), ..Default::default() }, &mut s, 1).is_err());
        assert!(handle_action(&Action { kind: "trust".into(), ip: "not an ip".into(), ..Default::default() }, &mut s, 1).is_err());
        let o = handle_action(
            &Action { kind: "trust".into(), device_text: "Linux Firefox".into(), ip: "192.0.2.88".into(), area: "Frankfurt".into(), label: "Desk".into(), ..Default::default() },
            &mut s,
            1,
        )
        .unwrap();
        assert_eq!(o.writes, vec!["trust".to_string()]);
        assert_eq!(s.trust.devices[0].label, "Desk");
        assert!(o.rescan);
    }
}
