//! The events the Security Logs tab flags are kept in the store (`acks.flagged`):
//! that tab replaces Recent Logins, and the popup (its count, its lines, its
//! "Password changed after the last suspicious event") must know them after
//! the Recent Logins tab was read, or when it opens later.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_action, handle_scan};
use session_guard::assess::FLAGGED_KEEP_MS;
use session_guard::extract::TableKind;
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::Action;
use session_guard::popup::{self, CheckState, Headline, PopupModel};
use session_guard::snapshot::Snapshot;
use session_guard::storage::{self, State};

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;
const MIN: i64 = 60_000;

fn fixture() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap()
}

/// The replica with its Security Logs tab open (as in other_tab.rs); `edit`
/// changes the logs table's markup first.
fn logs_tab(edit: impl Fn(&str) -> String) -> Snapshot {
    let html = fixture();
    let tpl = "<template data-replica=\"panel\" data-tab=\"logs\">";
    let a = html.find(tpl).unwrap() + tpl.len();
    let logs = edit(&html[a..a + html[a..].find("</template>").unwrap()]);
    let panel = html.find("<div role=\"tabpanel\" id=\"loginRecord-panel\"").unwrap();
    let open_end = panel + html[panel..].find('>').unwrap() + 1;
    let section = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    let page = format!("{}{logs}</div></div>\n{}", &html[..open_end], &html[section..]);
    snapshot_from_html(&page, SECURITY)
}

fn logins_tab() -> Snapshot {
    snapshot_from_html(&fixture(), SECURITY)
}

/// The replica's own log row for the user's password change (KuCoin logs it
/// at 09:40:55), put first in the list.
fn with_change_event(logs: &str) -> String {
    let html = fixture();
    let tpl = "<template data-replica=\"prepend\" data-list=\"logs\" data-when=\"passwordChanged\">\n";
    let a = html.find(tpl).unwrap() + tpl.len();
    let row = &html[a..a + html[a..].find("</template>").unwrap()];
    let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
    logs.replacen(body, &format!("{body}{row}\n"), 1)
}

fn count(m: &PopupModel, id: &str) -> Option<String> {
    m.counts.iter().find(|(k, _, _)| k == id).map(|(_, _, v)| v.clone())
}

fn password_item(state: &State, now: i64) -> CheckState {
    popup::checklist(state, now).into_iter().find(|c| c.id == "password_after_suspicious").unwrap().state
}

/// The store as written, read back (the popup opening later).
fn reloaded(state: &State) -> State {
    let storage::Value::Obj(raw) = storage::parse_json(&storage::to_json(state)).unwrap() else { panic!() };
    let l = storage::load_members(&raw, NOW);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    l.state
}

/// The summary above Recent Logins counts the remembered events too (the
/// Security Logs tab is not on screen): "9 security events to review", and
/// once they are acknowledged, not.
#[test]
fn the_page_summary_counts_the_remembered_events() {
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(|l| l.to_string()), &mut state, NOW);
    let n = state.acks.pending().len();
    assert!(n > 1, "{n}");
    let bar = |state: &mut State| {
        let out = handle_scan(&logins_tab(), state, NOW + MIN);
        out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary").title.clone()
    };
    let text = bar(&mut state);
    assert!(text.contains(&format!("{n} security events to review")), "{text}");
    state.acks.keys = state.acks.pending().iter().map(|e| e.key.clone()).collect();
    let text = bar(&mut state);
    assert!(!text.contains("security events"), "{text}");
}

/// Security Logs first, then Recent Logins: the scan report is the sessions',
/// and the events flagged on the logs tab are still counted and listed.
fn logs_then_logins() -> State {
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let out = handle_scan(&logs_tab(|l| l.to_string()), &mut state, NOW);
    assert!(out.writes.contains(&"acks".to_string()), "{:?}", out.writes);
    handle_scan(&logins_tab(), &mut state, NOW + MIN);
    assert!(state.scan.as_ref().unwrap().summary.readable);
    assert_eq!(state.scan.as_ref().unwrap().summary.flagged_events, 0, "Recent Logins shows no events");
    state
}

#[test]
fn the_popup_counts_and_lists_the_events_flagged_on_the_other_tab() {
    let state = logs_then_logins();
    // every sensitive type on the replica's page ("Login with Passkey" is routine)
    assert_eq!(state.acks.flagged.len(), 9, "{:#?}", state.acks.flagged);
    let newest = &state.acks.flagged[0];
    assert_eq!((newest.event_type.as_str(), newest.ip.as_str(), newest.area.as_str()), ("Trusted Device", "203.0.113.24", "Singapore"));
    assert!(state.acks.flagged.windows(2).all(|w| w[0].time_ms >= w[1].time_ms), "newest first");
    for state in [state.clone(), reloaded(&state)] {
        let m = popup::model(&state, NOW + 2 * MIN);
        assert_eq!(count(&m, "events").as_deref(), Some("9"), "{:?}", m.counts);
        assert_eq!(m.counts.iter().find(|c| c.0 == "events").unwrap().1, "Sensitive changes");
        let lines: Vec<_> = m.sessions.iter().filter(|s| s.list == TableKind::SecurityLogs).collect();
        assert_eq!(lines.len(), 9);
        assert_eq!(lines[0].verdict, "flagged");
        assert!(lines[0].title.starts_with("Sensitive change · "), "{}", lines[0].title);
        assert!(lines[0].detail.contains("Trusted Device") && lines[0].detail.contains("203.0.113.24"), "{}", lines[0].detail);
        // the sessions are reviewed too, and never "Protected" with events to review
        assert!(m.sessions.iter().any(|s| s.list == TableKind::RecentLogins));
        assert_ne!(m.headline, Headline::Protected);
        assert_eq!(password_item(&state, NOW), CheckState::Todo, "flagged events, no password change");
    }
}

#[test]
fn a_password_change_after_the_newest_flagged_event_counts_one_before_does_not() {
    let mut state = logs_then_logins();
    let newest = state.acks.flagged[0].time_ms.unwrap();
    state.checks.password_changed_at = Some(newest - 10 * MIN);
    assert_eq!(password_item(&state, NOW), CheckState::Todo, "changed before the event");
    state.checks.password_changed_at = Some(newest + 10 * MIN);
    assert_eq!(password_item(&state, NOW), CheckState::Done, "changed after the event");
    // the same through the store
    assert_eq!(password_item(&reloaded(&state), NOW), CheckState::Done);
}

#[test]
fn the_password_change_is_not_its_own_suspicious_event() {
    // The user changed the password at 09:40:50 (as the computer saw it);
    // KuCoin logged "Change Password" at 09:40:55: that event is the change.
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(with_change_event), &mut state, NOW);
    handle_scan(&logins_tab(), &mut state, NOW + MIN);
    let change = state.acks.flagged[0].clone();
    assert_eq!(change.event_type, "Change Password");
    assert!(change.time_ms > state.acks.flagged[1].time_ms);
    state.checks.password_changed_at = change.time_ms.map(|t| t - 5_000);
    assert_eq!(password_item(&state, NOW), CheckState::Done);
    // a change recorded long before that event is not it: the event is suspicious
    state.checks.password_changed_at = change.time_ms.map(|t| t - 60 * MIN);
    assert_eq!(password_item(&state, NOW), CheckState::Todo);
}

#[test]
fn acknowledged_events_are_not_counted() {
    let mut state = logs_then_logins();
    let first = state.acks.flagged[0].key.clone();
    handle_action(&Action { kind: "ack_event".into(), key: first.clone(), ..Default::default() }, &mut state, NOW + 2 * MIN).unwrap();
    assert!(!state.acks.flagged.iter().any(|e| e.key == first), "the acknowledged event is not kept");
    let m = popup::model(&state, NOW + 3 * MIN);
    assert_eq!(count(&m, "events").as_deref(), Some("8"));
    // the next flagged event is now the newest: a change between the two counts
    let second = state.acks.flagged[0].time_ms.unwrap();
    state.checks.password_changed_at = Some(second + MIN);
    assert_eq!(password_item(&state, NOW), CheckState::Done);
    state.checks.password_changed_at = None;
    // "I did all": none left, nothing suspicious recorded
    let mut keys = String::new();
    for e in &state.acks.flagged {
        keys.push_str(&e.key);
        keys.push('\n');
    }
    handle_action(&Action { kind: "ack_all".into(), key: keys, ..Default::default() }, &mut state, NOW + 4 * MIN).unwrap();
    let m = popup::model(&state, NOW + 5 * MIN);
    assert_eq!(count(&m, "events"), None);
    assert!(!m.sessions.iter().any(|s| s.list == TableKind::SecurityLogs));
    assert_eq!(password_item(&state, NOW), CheckState::Done);
    // and a scan of the logs tab again does not bring them back
    handle_scan(&logs_tab(|l| l.to_string()), &mut state, NOW + 6 * MIN);
    assert!(state.acks.flagged.is_empty(), "{:?}", state.acks.flagged);
}

#[test]
fn an_event_no_longer_on_the_page_stays_until_acknowledged_or_too_old() {
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(|l| l.to_string()), &mut state, NOW);
    let gone = state.acks.flagged.iter().find(|e| e.event_type == "Create API").unwrap().clone();
    // the page read again without that row (a newer page pushed it to page 2)
    let without = |l: &str| {
        let a = l.find("<tr class=\"KuxTable-row css-0jxnag4\" data-row-key=\"68747f08f257bb0e41a1f0ae\">").unwrap();
        let b = a + l[a..].find("</tr>").unwrap() + "</tr>".len();
        format!("{}{}", &l[..a], &l[b..])
    };
    handle_scan(&logs_tab(without), &mut state, NOW + MIN);
    assert!(state.acks.flagged.contains(&gone), "paged out: kept");
    assert_eq!(count(&popup::model(&state, NOW + MIN), "events").as_deref(), Some("9"));
    // once its time is more than FLAGGED_KEEP_MS ago it goes (an event still
    // on the page stays whatever its age: the page flags it too)
    let late = gone.time_ms.unwrap() + FLAGGED_KEEP_MS + MIN;
    let out = handle_scan(&logs_tab(without), &mut state, late);
    assert!(out.writes.contains(&"acks".to_string()));
    assert!(!state.acks.flagged.contains(&gone));
    assert_eq!(state.acks.flagged.len(), 8);
}

#[test]
fn stores_from_before_read_without_flagged_events() {
    let raw = storage::parse_json(r#"{"schema_version":2,"acks":{"until":0,"keys":["create api|1|198.51.100.77"]}}"#).unwrap();
    let storage::Value::Obj(raw) = raw else { panic!() };
    let l = storage::load_members(&raw, NOW);
    assert!(l.quarantine.is_empty() && l.dirty.is_empty(), "{:?}", l.state.notices);
    assert!(l.state.acks.flagged.is_empty());
    assert_eq!(l.state.acks.keys.len(), 1);
}

#[test]
fn hostile_event_text_is_clipped_in_the_store() {
    let long = format!("Create API {}", "x".repeat(350));
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(|l| l.replacen(">Create API<", &format!(">{long}<"), 1)), &mut state, NOW);
    let e = state.acks.flagged.iter().find(|e| e.event_type.starts_with("Create API")).expect("flagged");
    assert!(e.event_type.chars().count() <= 61 && e.key.chars().count() <= 301, "{} {}", e.event_type.len(), e.key.len());
    // still acknowledged by the key the page's button carries
    let full = session_guard::assess::assess(
        &session_guard::extract::extract(&logs_tab(|l| l.replacen(">Create API<", &format!(">{long}<"), 1))),
        &Default::default(),
        None,
        &Default::default(),
    )
    .events
    .into_iter()
    .find(|v| v.event_type.starts_with("Create API"))
    .unwrap()
    .key;
    assert!(full.chars().count() > 300, "{}", full.len());
    state.acks.keys.push(full);
    assert!(!state.acks.pending().iter().any(|p| p.event_type.starts_with("Create API")));
}

#[test]
fn each_account_keeps_its_own_events() {
    let mut state = logs_then_logins();
    assert_eq!(state.acks.flagged.len(), 9);
    state.switch_account("ot***@example.com");
    assert!(state.acks.flagged.is_empty());
    assert_eq!(count(&popup::model(&state, NOW), "events"), None);
    let back = state.accounts.iter().next().unwrap().0.clone();
    state.switch_account(&back);
    assert_eq!(state.acks.flagged.len(), 9);
}

#[test]
fn only_the_newest_flagged_events_are_kept() {
    // 60 "Create API" rows, one a minute: the newest 50 are kept, newest first
    let mut rows = String::new();
    for i in 0..60 {
        rows.push_str(&format!(
            "<tr class=\"KuxTable-row css-0jxnag4\"><td class=\"KuxTable-cell css-0nthq5q\">Lagos(198.51.100.77)</td><td class=\"KuxTable-cell css-0nthq5q\">Create API</td><td class=\"KuxTable-cell css-0nthq5q\">7/13/2025, {:02}:{:02}:00</td></tr>\n",
            10 + i / 60,
            59 - i % 60
        ));
    }
    let page = |l: &str| {
        let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
        let a = l.find(body).unwrap() + body.len();
        let b = l.find("</tbody>").unwrap();
        format!("{}{rows}{}", &l[..a], &l[b..])
    };
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(page), &mut state, NOW);
    let f = &state.acks.flagged;
    assert_eq!(f.len(), session_guard::assess::MAX_FLAGGED);
    assert_eq!(f[0].time_ms.unwrap() - f[49].time_ms.unwrap(), 49 * MIN, "the newest 50");
    assert!(f.windows(2).all(|w| w[0].time_ms > w[1].time_ms));
    assert_eq!(count(&popup::model(&state, NOW), "events").as_deref(), Some("50"));
}

/// The user's own change acknowledged ("I did this" on its Change Password
/// event): a Change Password event minutes after the change, not
/// acknowledged, is not taken for the user's (KuCoin logs one per change),
/// so the password was not changed after it, and the checklist never says
/// "No suspicious event recorded" while it is counted.
#[test]
fn an_acknowledged_own_change_does_not_excuse_another_change_event() {
    let rows = |l: &str| {
        let row = |ip: &str, time: &str| format!("<tr class=\"KuxTable-row css-0jxnag4\"><td class=\"KuxTable-cell css-0nthq5q\">{ip}</td><td class=\"KuxTable-cell css-0nthq5q\">Change Password</td><td class=\"KuxTable-cell css-0nthq5q\">{time}</td></tr>\n");
        let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
        let a = l.find(body).unwrap() + body.len();
        let b = l.find("</tbody>").unwrap();
        // an intruder's change at 10:09, the user's (logged by KuCoin) at 10:00:05
        format!("{}{}{}{}", &l[..a], row("Lagos(198.51.100.77)", "7/14/2025, 10:09:00"), row("Singapore(203.0.113.24)", "7/14/2025, 10:00:05"), &l[b..])
    };
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(rows), &mut state, NOW);
    assert_eq!(state.acks.flagged.len(), 2);
    let mine = state.acks.flagged.iter().find(|e| e.ip == "203.0.113.24").unwrap().clone();
    state.checks.password_changed_at = mine.time_ms.map(|t| t - 5_000);
    assert_eq!(password_item(&state, NOW), CheckState::Todo, "the intruder's change came after the user's");
    handle_action(&Action { kind: "ack_event".into(), key: mine.key.clone(), ..Default::default() }, &mut state, NOW + MIN).unwrap();
    assert_eq!(count(&popup::model(&state, NOW + MIN), "events").as_deref(), Some("1"));
    let item = popup::checklist(&state, NOW + MIN).into_iter().find(|c| c.id == "password_after_suspicious").unwrap();
    assert_eq!(item.state, CheckState::Todo, "{:?}", item.detail);
    // the user's own change event not acknowledged still is the change
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(rows), &mut state, NOW);
    let theirs = state.acks.flagged.iter().find(|e| e.ip == "198.51.100.77").unwrap().clone();
    state.checks.password_changed_at = theirs.time_ms.map(|t| t + 5_000);
    assert_eq!(password_item(&state, NOW), CheckState::Done, "changed after both");
}

/// A Security Logs row for `event` from `ip` at `time` (KuCoin's markup),
/// put first in the list.
fn with_row(logs: &str, ip: &str, event: &str, time: &str) -> String {
    let row = format!("<tr class=\"KuxTable-row css-0jxnag4\"><td class=\"KuxTable-cell css-0nthq5q\">{ip}</td><td class=\"KuxTable-cell css-0nthq5q\">{event}</td><td class=\"KuxTable-cell css-0nthq5q\">{time}</td></tr>\n");
    let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
    logs.replacen(body, &format!("{body}{row}"), 1)
}

/// A sensitive event whose time cannot be read ("Just now") is still
/// flagged on the page and remembered, by a key that does not hold the time
/// (its text changes: "2 minutes ago"), until acknowledged; and while it is,
/// "Password changed after the last suspicious event" is never done: the
/// change may have come before it.
#[test]
fn a_flagged_event_whose_time_cannot_be_read_is_remembered_until_acknowledged() {
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let page = |time: &'static str| move |l: &str| with_row(l, "Lagos(198.51.100.77)", "Change Password", time);
    let out = handle_scan(&logs_tab(page("Just now")), &mut state, NOW);
    // the row stays one we cannot read, and is flagged with its "I did this"
    let ex = session_guard::extract::extract(&logs_tab(page("Just now")));
    let u = &ex.table(TableKind::SecurityLogs).unwrap().unreadable;
    assert!(u.len() == 1 && u[0].reason.starts_with("unreadable time \"Just now\""), "{u:?}");
    let button = out.plan.widgets.iter().flat_map(|w| &w.buttons).find(|b| b.action.kind == "ack_event" && b.action.key.starts_with("change password|?|")).expect("I did this");
    let key = button.action.key.clone();
    assert_eq!(state.acks.flagged.len(), 10, "{:#?}", state.acks.flagged);
    let e = &state.acks.flagged[0];
    assert_eq!((e.event_type.as_str(), e.ip.as_str(), e.area.as_str(), e.time_ms, e.key.as_str()), ("Change Password", "198.51.100.77", "Lagos", None, key.as_str()));
    // read again later, its time shown another way: the same event
    handle_scan(&logs_tab(page("2 minutes ago")), &mut state, NOW + 2 * MIN);
    assert_eq!(state.acks.flagged.len(), 10);
    handle_scan(&logins_tab(), &mut state, NOW + 3 * MIN);
    let newest_dated = state.acks.flagged.iter().filter_map(|e| e.time_ms).max().unwrap();
    for state in [state.clone(), reloaded(&state)] {
        let m = popup::model(&state, NOW + 4 * MIN);
        assert_eq!(count(&m, "events").as_deref(), Some("10"));
        let line = m.sessions.iter().find(|s| s.list == TableKind::SecurityLogs).unwrap();
        assert_eq!(line.title, "Sensitive change", "no time said");
        assert!(line.detail.contains("Change Password") && line.detail.contains("198.51.100.77"), "{}", line.detail);
        assert_eq!(password_item(&state, NOW), CheckState::Todo, "no change recorded");
        let mut changed = state.clone();
        changed.checks.password_changed_at = Some(newest_dated + 10 * MIN);
        assert_eq!(password_item(&changed, NOW), CheckState::Unknown, "after every dated event, maybe not after this one");
        changed.checks.password_changed_at = Some(newest_dated - 10 * MIN);
        assert_eq!(password_item(&changed, NOW), CheckState::Todo, "before a dated one");
    }
    // the row read later with its date (KuCoin's "Just now" turned into one):
    // that event, flagged by its own key, in place of the undated one
    let mut later = state.clone();
    handle_scan(&logs_tab(page("7/14/2025, 09:50:00")), &mut later, NOW + 30 * MIN);
    assert!(!later.acks.flagged.iter().any(|e| e.key == key), "{:#?}", later.acks.flagged);
    assert!(later.acks.flagged.iter().any(|e| e.event_type == "Change Password" && e.ip == "198.51.100.77" && e.time_ms.is_some()));
    assert_eq!(later.acks.flagged.len(), 10);
    // another page without the row: kept (no age known to expire it)
    handle_scan(&logs_tab(|l| l.to_string()), &mut state, NOW + 400 * 86_400_000);
    assert!(state.acks.flagged.iter().any(|e| e.key == key));
    // acknowledged: gone, and the change after every other event counts
    handle_action(&Action { kind: "ack_event".into(), key: key.clone(), ..Default::default() }, &mut state, NOW + 5 * MIN).unwrap();
    assert!(!state.acks.flagged.iter().any(|e| e.key == key));
    state.checks.password_changed_at = Some(newest_dated + 10 * MIN);
    assert_eq!(password_item(&state, NOW), CheckState::Done);
}

/// Only that event on the page: never "No suspicious event recorded".
#[test]
fn an_undated_flagged_event_alone_is_a_suspicious_event() {
    let only = |l: &str| {
        let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
        let a = l.find(body).unwrap() + body.len();
        let b = l.find("</tbody>").unwrap();
        with_row(&format!("{}{}", &l[..a], &l[b..]), "Lagos(198.51.100.77)", "Create API", "Yesterday 08:08")
    };
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(only), &mut state, NOW);
    handle_scan(&logins_tab(), &mut state, NOW + MIN);
    assert_eq!(state.acks.pending().len(), 1);
    let item = popup::checklist(&state, NOW).into_iter().find(|c| c.id == "password_after_suspicious").unwrap();
    assert_eq!(item.state, CheckState::Todo, "{:?}", item.detail);
    state.checks.password_changed_at = Some(NOW);
    assert_eq!(password_item(&state, NOW), CheckState::Unknown);
}

/// A store written before `acks.keys` acknowledged by time only
/// (`acks.until`): the user's own Change Password event at or before it is
/// acknowledged, so another Change Password event minutes later, after it,
/// is not taken for the user's change.
#[test]
fn an_own_change_acknowledged_in_an_older_store_does_not_excuse_another_change_event() {
    let rows = |l: &str| {
        let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
        let a = l.find(body).unwrap() + body.len();
        let b = l.find("</tbody>").unwrap();
        let l = format!("{}{}", &l[..a], &l[b..]);
        // the user's change logged at 10:00:05, an intruder's at 10:09
        with_row(&with_row(&l, "Singapore(203.0.113.24)", "Change Password", "7/14/2025, 10:00:05"), "Lagos(198.51.100.77)", "Change Password", "7/14/2025, 10:09:00")
    };
    // the times as this page reads them
    let mut probe = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&logs_tab(rows), &mut probe, NOW);
    let time = |ip: &str| probe.acks.flagged.iter().find(|e| e.ip == ip).unwrap().time_ms.unwrap();
    let (mine, theirs) = (time("203.0.113.24"), time("198.51.100.77"));
    assert_eq!(theirs - mine, 535_000);
    // the older store: "I did all" up to the user's own event
    let raw = storage::parse_json(&format!(r#"{{"schema_version":2,"acks":{{"until":{mine}}},"checks":{{"password_changed_at":{}}}}}"#, mine - 5_000)).unwrap();
    let storage::Value::Obj(raw) = raw else { panic!() };
    let l = storage::load_members(&raw, NOW);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    let mut state = l.state;
    assert_eq!((state.acks.until, state.acks.keys.len()), (mine, 0));
    handle_scan(&logs_tab(rows), &mut state, NOW);
    assert_eq!(state.acks.pending().len(), 1, "the user's own event is acknowledged");
    assert_eq!(state.acks.newest_pending(state.checks.password_changed_at), Some(theirs));
    assert_eq!(password_item(&state, NOW), CheckState::Todo, "the intruder's change came after the user's");
    // an `until` long before the change plays no part: the pending event nearest to it is the user's
    let mut old = state.clone();
    old.acks.until = mine - 60 * MIN;
    old.acks.flagged.clear();
    handle_scan(&logs_tab(rows), &mut old, NOW);
    old.checks.password_changed_at = Some(theirs + 5_000);
    assert_eq!(password_item(&old, NOW), CheckState::Done, "changed after both");
}

/// Only `rows` (IP, type, time) in the list, and KuCoin's pager under it
/// showing page `at` of 3.
fn only_rows<'a>(rows: &'a [(&'a str, &'a str, &'a str)], at: u32) -> impl Fn(&str) -> String + 'a {
    move |l: &str| {
        let body = "<tbody class=\"KuxTable-tbody css-0x129m6\">\n";
        let a = l.find(body).unwrap() + body.len();
        let b = l.find("</tbody>").unwrap();
        let mut l = format!("{}{}", &l[..a], &l[b..]);
        for (ip, event, time) in rows.iter().rev() {
            l = with_row(&l, ip, event, time);
        }
        let mut pager = String::from("<div class=\"KuxPagination-root css-19fwuly\"><button type=\"button\" class=\"KuxPagination-prev css-0ghgadt\"></button>");
        for p in 1..=3 {
            let active = if p == at { " KuxPagination-item-active\" aria-current=\"page" } else { "" };
            pager.push_str(&format!("<button type=\"button\" class=\"KuxPagination-item css-0dq8pmv{active}\">{p}</button>"));
        }
        pager.push_str("<button type=\"button\" class=\"KuxPagination-next css-0ghgadt\"></button></div>");
        let end = "</tbody></table></div>";
        let at = l.find(end).unwrap() + end.len();
        l.insert_str(at, &pager);
        l
    }
}

/// A list of two events, the newest "Just now": two events (that one
/// flagged from its own address), never one record of both rows with the
/// other's address and time (the list's body taken for a row: its one
/// date-time is the other row's).
#[test]
fn an_undated_event_beside_one_dated_event_is_not_merged_into_it() {
    let rows = [("Lagos(198.51.100.77)", "Create API", "Just now"), ("Singapore(203.0.113.24)", "Login with Passkey", "7/14/2025, 09:00:00")];
    let snap = logs_tab(only_rows(&rows, 1));
    let ex = session_guard::extract::extract(&snap);
    let t = ex.table(TableKind::SecurityLogs).unwrap();
    let read: Vec<_> = t.records.iter().map(|r| (r.event_type.as_str(), r.ip_text.as_str())).collect();
    assert_eq!(read, vec![("Login with Passkey", "Singapore(203.0.113.24)")]);
    assert_eq!(t.unreadable.len(), 1);
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&snap, &mut state, NOW);
    let f: Vec<_> = state.acks.flagged.iter().map(|e| (e.event_type.as_str(), e.ip.as_str(), e.time_ms)).collect();
    assert_eq!(f, vec![("Create API", "198.51.100.77", None)]);
}

/// The same, both events from one address (the intruder signed in where the
/// user is, or the user twice): still two events, never one record of both
/// (an address compared by value would take the dated row's for the
/// undated one's own); and so with the dated row's time cell repeating its
/// address under the date-time (one row, read whole).
#[test]
fn an_undated_event_beside_a_dated_one_from_the_same_address_is_not_merged_into_it() {
    for time in ["7/14/2025, 09:00:00", "7/14/2025, 09:00:00<div>203.0.113.24</div>"] {
        let rows = [("Singapore(203.0.113.24)", "Create API", "Just now"), ("Singapore(203.0.113.24)", "Login with Passkey", time)];
        let snap = logs_tab(only_rows(&rows, 1));
        let ex = session_guard::extract::extract(&snap);
        let t = ex.table(TableKind::SecurityLogs).unwrap();
        let read: Vec<_> = t.records.iter().map(|r| (r.event_type.as_str(), r.ip_text.as_str(), r.time_ms.is_some())).collect();
        assert_eq!(read, vec![("Login with Passkey", "Singapore(203.0.113.24)", true)], "{time}");
        assert_eq!(t.unreadable.len(), 1, "{time}: {:?}", t.unreadable);
        assert!(t.unreadable[0].reason.starts_with("unreadable time \"Just now\""), "{time}: {:?}", t.unreadable);
        let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
        handle_scan(&snap, &mut state, NOW);
        let f: Vec<_> = state.acks.flagged.iter().map(|e| (e.event_type.as_str(), e.ip.as_str(), e.time_ms)).collect();
        assert_eq!(f, vec![("Create API", "203.0.113.24", None)], "{time}");
    }
}

/// An undated event flagged on page 1 ("Just now"), then page 2 read, where
/// an older event of that type from that address is: that older one is not
/// the undated one dated, so the undated one stays (unacknowledged), and a
/// password change between the two is "Not verified", never done.
#[test]
fn an_older_event_of_the_same_kind_on_page_2_does_not_stand_for_an_undated_one() {
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let passkey = ("Singapore(203.0.113.24)", "Login with Passkey", "7/14/2025, 09:00:00");
    let page_1 = [("Lagos(198.51.100.77)", "Create API", "Just now"), passkey, passkey];
    handle_scan(&logs_tab(only_rows(&page_1, 1)), &mut state, NOW);
    assert!(state.acks.undated_pending());
    let page_2 = [("Lagos(198.51.100.77)", "Create API", "7/13/2025, 07:00:00")];
    handle_scan(&logs_tab(only_rows(&page_2, 2)), &mut state, NOW + MIN);
    assert!(state.acks.undated_pending(), "{:#?}", state.acks.flagged);
    let older = state.acks.flagged.iter().find_map(|e| e.time_ms).unwrap();
    state.checks.password_changed_at = Some(older + 60 * MIN);
    assert_eq!(password_item(&state, NOW + MIN), CheckState::Unknown);
    // (page 1 read again with that event dated: it, by its own key, in its place)
    let dated = [("Lagos(198.51.100.77)", "Create API", "7/14/2025, 10:00:00"), passkey, passkey];
    handle_scan(&logs_tab(only_rows(&dated, 1)), &mut state, NOW + 2 * MIN);
    assert!(!state.acks.undated_pending(), "{:#?}", state.acks.flagged);
    assert_eq!(password_item(&state, NOW + 2 * MIN), CheckState::Todo, "the change came before the dated event");
}
