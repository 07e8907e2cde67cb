//! KuCoin's security page shows Security Logs and Recent Logins as two tabs
//! of one panel. With Security Logs open the sessions are not on screen:
//! that is not an unreadable page, and it must not replace what was read of
//! the sessions (the popup and badge would say "could not read").
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::handle_scan;
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Kind, Tone};
use session_guard::snapshot::Snapshot;
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;

fn fixture() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap()
}

/// The replica with its Security Logs tab open: the panel holds the logs
/// table (the replica's template) instead of Recent Logins and its pager.
fn logs_tab() -> Snapshot {
    let html = fixture();
    let tpl = "<template data-replica=\"panel\" data-tab=\"logs\">";
    let a = html.find(tpl).unwrap() + tpl.len();
    let logs = &html[a..a + html[a..].find("</template>").unwrap()];
    let panel = html.find("<div role=\"tabpanel\" id=\"loginRecord-panel\"").unwrap();
    let open_end = panel + html[panel..].find('>').unwrap() + 1;
    let section = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    // the panel's content ends with the pager, then closes the panel and its parent
    let page = format!("{}{logs}</div></div>\n{}", &html[..open_end], &html[section..]);
    snapshot_from_html(&page, SECURITY)
}

#[test]
fn the_security_logs_tab_keeps_what_was_read_of_the_sessions() {
    let mut state = State::default();
    let first = handle_scan(&snapshot_from_html(&fixture(), SECURITY), &mut state, NOW);
    assert!(first.writes.contains(&"scan".to_string()));
    let before = state.scan.clone().unwrap();
    assert!(before.summary.readable && before.summary.sessions == 5, "{:?}", before.summary);

    let out = handle_scan(&logs_tab(), &mut state, NOW + 5 * 60_000);
    // the logs were read (their events are marked) …
    assert!(out.plan.marks.iter().any(|m| m.attr == "data-session-guard-event"), "logs tab read");
    // … and the sessions' reading stays, with its time
    assert!(!out.writes.contains(&"scan".to_string()), "{:?}", out.writes);
    assert_eq!(state.scan.as_ref(), Some(&before));
    assert_eq!(out.badge.text, first.badge.text, "badge unchanged");
    assert_ne!(out.badge.text, "?");
    // the page says where the sessions are, not "can't verify"
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    assert_eq!((s.kind, s.tone), (Kind::Summary, Tone::Info));
    assert_eq!(s.title, "Your sessions are on the Recent Logins tab");
    assert_eq!(s.text, "Session Guard checks them there. Last read 5 min ago.");
}

#[test]
fn the_security_logs_tab_first_says_where_to_look() {
    let mut state = State::default();
    let out = handle_scan(&logs_tab(), &mut state, NOW);
    assert!(state.scan.is_none(), "nothing read of the sessions yet: no scan stored");
    assert_ne!(out.badge.text, "?");
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    assert_eq!(s.text, "Open the Recent Logins tab: Session Guard checks your sessions there.");
    assert!(!s.title.contains("can't verify"));
}

#[test]
fn a_page_without_either_list_is_still_unreadable() {
    // Not the other tab: no Security Logs either. That stays "can't verify".
    let html = fixture();
    let panel = html.find("<div role=\"tabpanel\" id=\"loginRecord-panel\"").unwrap();
    let open_end = panel + html[panel..].find('>').unwrap() + 1;
    let section = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    let page = format!("{}</div></div>\n{}", &html[..open_end], &html[section..]);
    let mut state = State::default();
    let out = handle_scan(&snapshot_from_html(&page, SECURITY), &mut state, NOW);
    assert!(!state.scan.as_ref().unwrap().summary.readable);
    assert_eq!(out.badge.text, "?");
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    assert_eq!(s.title, "Session Guard can't verify this list");
}

/// Recent Logins in a language we have no labels for (column labels and
/// status words unknown, dates readable) may look like a log by its shape.
/// That is not "the Security Logs tab": the page must not keep an older
/// reading (maybe "all good") as if the sessions were elsewhere.
#[test]
fn an_unlabelled_list_read_as_logs_by_shape_is_not_the_other_tab() {
    let mut state = State::default();
    handle_scan(&snapshot_from_html(&fixture(), SECURITY), &mut state, NOW);
    let html = fixture()
        .replace(">Login IP<", ">Zqx Vel<")
        .replace(">Login Device<", ">Zqx Brom<")
        .replace(">Time<", ">Wuu<")
        .replace(">Status<", ">Plim<")
        .replace(">Current<", ">Karu<")
        .replace(">Online<", ">Veda<")
        .replace(">Offline<", ">Nodo<")
        .replace(">Trusted Device<", ">Zqx Tor<")
        .replace(">Recent Activity<", ">Wuu Sel<")
        .replace(">Remove Device<", ">Fro<")
        .replace("lang=\"en\"", "lang=\"xx\"");
    let out = handle_scan(&snapshot_from_html(&html, SECURITY), &mut state, NOW + 60_000);
    let shape_logs = out.plan.marks.iter().any(|m| m.attr == "data-session-guard-event");
    let summary = out.plan.widgets.iter().find(|w| w.key == "summary:recent");
    assert!(
        summary.is_none_or(|s| s.title != "Your sessions are on the Recent Logins tab"),
        "shape-only logs read as the other tab (events marked: {shape_logs}): {summary:?}"
    );
    let scan = state.scan.as_ref().unwrap();
    assert!(!(scan.summary.readable && scan.summary.unfamiliar_online == 0 && out.badge.text.is_empty()), "all good: {:?} {:?}", scan.summary, out.badge);
}
