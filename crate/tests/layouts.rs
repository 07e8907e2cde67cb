//! Layouts the replica pages do not have, as small pages under
//! tests/data/layouts/: Ant Design's fixed-header table (header and body are two
//! tables, the header has a scrollbar gutter cell and the body a measure row; with
//! an extra column too),
//! extra and reordered columns, a virtualised KuxTable div grid whose header sits
//! far from the rows, mobile cards with separate label / value elements (colon
//! labels, area and address on two lines), date and time on two lines (with and
//! without labels: the time half is not device text), a header we cannot name. Every page holds the same two Recent Logins sessions.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::handle_scan;
use session_guard::assess::Verdict;
use session_guard::extract::{extract, Status, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";
/// This browser: Chrome on Windows, like the pages' Current row.
const WINDOWS_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

fn page(name: &str) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/layouts/");
    std::fs::read_to_string(format!("{p}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The two sessions: Singapore Windows 10 Chrome Current at
/// 2025-07-14 09:21:37 UTC, Lagos Linux Firefox Online at 2025-07-13 22:01:02 UTC.
const PAGES: &[&str] = &[
    "antd-fixed.html",
    "antd-fixed-extra-column.html",
    "reorder.html",
    "virtual.html",
    "header-unknown-time.html",
    "cards-datetime-split.html",
    "cards-unlabelled-datetime-split.html",
    "cards-colon-label-zh.html",
    "cards-label-value-text.html",
    "cards-label-value-text-zh.html",
    "table-header-in-body.html",
    "table-ip-then-area.html",
    "trusted-antd-expanded.html",
    "trusted-cards.html",
    "cards-area-split.html",
    "table-lines-split.html",
];

#[test]
fn every_layout_reads_both_sessions() {
    let mut failures = Vec::new();
    for &name in PAGES {
        let e = extract(&snapshot_from_html(&page(name), SECURITY));
        let Some(t) = e.table(TableKind::RecentLogins) else {
            failures.push(format!("{name}: no Recent Logins ({:?})", e.problems));
            continue;
        };
        let got: Vec<(String, Option<String>, String, Option<i64>, Option<Status>)> = t
            .records
            .iter()
            .map(|r| {
                let ip = r.ip.as_ref();
                (ip.map(|i| i.ip.to_string()).unwrap_or_default(), ip.and_then(|i| i.area.clone()), r.device_text.clone(), r.time_ms, r.status)
            })
            .collect();
        let area = |a: &str, zh: &str| Some(if name.ends_with("-zh.html") { zh } else { a }.to_string());
        let want = vec![
            ("203.0.113.24".to_string(), area("Singapore", "新加坡"), "Windows 10 Chrome".to_string(), Some(1_752_484_897_000), Some(Status::Current)),
            ("198.51.100.77".to_string(), area("Lagos", "拉各斯"), "Linux Firefox".to_string(), Some(1_752_444_062_000), Some(Status::Online)),
        ];
        if got != want || !t.unreadable.is_empty() || !e.problems.is_empty() {
            failures.push(format!("{name}:\n   got  {got:?}\n   want {want:?}\n   unreadable {:?} problems {:?}", t.unreadable, e.problems));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_layout_gets_its_verdicts() {
    for &name in PAGES {
        let mut snap = snapshot_from_html(&page(name), SECURITY);
        snap.env.ua = WINDOWS_CHROME.into();
        let mut state = State::default();
        let out = handle_scan(&snap, &mut state, 1_752_500_000_000);
        let scan = state.scan.as_ref().unwrap();
        assert!(scan.summary.readable, "{name}: {:?}", scan.summary.problems);
        let verdict = |ip: &str| scan.rows.iter().find(|r| r.ip == ip).map(|r| r.verdict);
        assert_eq!(verdict("203.0.113.24"), Some(Verdict::Current), "{name}");
        assert_eq!(verdict("198.51.100.77"), Some(Verdict::Unfamiliar), "{name}");
        assert_eq!(out.badge.text, "1", "{name}: one unfamiliar online session");
        let marks = out.plan.marks.iter().filter(|m| m.attr == "data-session-guard").count();
        let rows = if name.starts_with("trusted-") { 4 } else { 2 };
        assert_eq!(marks, rows, "{name}: every row marked");
    }
}

#[test]
fn trusted_devices_layouts() {
    for name in ["trusted-antd-expanded.html", "trusted-cards.html"] {
        let e = extract(&snapshot_from_html(&page(name), SECURITY));
        let t = e.table(TableKind::TrustedDevices).unwrap_or_else(|| panic!("{name}: {:?}", e.problems));
        assert!(t.unreadable.is_empty(), "{name}: {:?}", t.unreadable);
        let got: Vec<(String, &str, Option<Status>, bool)> =
            t.records.iter().map(|r| (r.ip.as_ref().unwrap().ip.to_string(), r.device_text.as_str(), r.status, r.remove_button.is_some())).collect();
        assert_eq!(
            got,
            [("203.0.113.24".to_string(), "Windows 10 Chrome", Some(Status::Current), true), ("198.51.100.77".to_string(), "Linux Firefox", None, true)],
            "{name}"
        );
    }
}
