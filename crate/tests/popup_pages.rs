//! A list with more pages than the one read (KuCoin's pager under Recent
//! Logins or Security Logs): the stored scan report keeps which page of how
//! many was read, and the toolbar popup says so under the counts and never
//! reads "Protected" for one page of several. Reports stored before the
//! field existed still load; a broken one never crashes the popup.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_scan, ListPages, ScanReport};
use session_guard::assess::Summary;
use session_guard::extract::TableKind;
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::popup::{self, Headline};
use session_guard::storage::{self, State, Value};

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;
const LOGINS_1_OF_3: &str = "Only page 1 of 3 of Recent Logins was checked.";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/fixtures/kucoin/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The store as the background hands it over: JSON text of every key.
fn load_text(text: &str) -> storage::Loaded {
    let Value::Obj(raw) = storage::parse_json(text).unwrap() else { panic!("an object") };
    storage::load_members(&raw, NOW)
}

/// The popup's DOM steps as markup (attributes in the order they are set).
fn markup(m: &popup::PopupModel) -> String {
    let d = popup::dom_steps(m);
    let s = |(a, b): (u32, u32)| &d.text[a as usize..b as usize];
    let (mut out, mut open) = (String::new(), Vec::new());
    for &(kind, a, b) in &d.steps {
        match kind {
            popup::OPEN => {
                out.push_str(&format!("<{}", s(a)));
                if b.0 != b.1 {
                    out.push_str(&format!(" class={:?}", s(b)));
                }
                open.push(s(a));
            }
            popup::TEXT => out.push_str(&format!(" text={:?}", s(a))),
            popup::ATTR => out.push_str(&format!(" {}={:?}", s(a), s(b))),
            _ => out.push_str(&format!("</{}>", open.pop().expect("balanced"))),
        }
    }
    assert!(open.is_empty(), "every element closed");
    out
}

/// A readable scan with nothing to review, and `pages`.
fn calm(pages: Vec<ListPages>) -> State {
    let summary = Summary { readable: true, sessions: 10, online: 1, ..Default::default() };
    State { scan: Some(ScanReport { at: NOW - 60_000, summary, pages, ..Default::default() }), ..Default::default() }
}

#[test]
fn the_stored_report_keeps_the_page_read_and_loads_back() {
    // The replica's Recent Logins has a pager: page 1 of 3.
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&snapshot_from_html(&fixture("security-en.html"), SECURITY), &mut st, NOW);
    let scan = st.scan.as_ref().unwrap();
    assert_eq!(scan.pages, vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: vec![1], unverified: Vec::new() }]);
    // As stored, and read back by the loader: the same state, nothing set aside.
    let text = storage::to_json(&st);
    assert!(text.contains(r#""pages":[{"table":"recent_logins","current":1,"last":3,"read":[1],"unverified":[]}]"#), "{text}");
    let l = load_text(&text);
    assert!(l.quarantine.is_empty() && l.state.notices.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);
    // The popup built from what was stored says it.
    let m = popup::model(&l.state, NOW);
    assert_eq!(m.pages, vec![(TableKind::RecentLogins, LOGINS_1_OF_3.to_string())]);
    // (the replica has unfamiliar sessions: still "Review needed", the page note beside it)
    assert_eq!(m.headline, Headline::ReviewNeeded);
}

#[test]
fn a_report_stored_before_the_pages_field_still_loads() {
    // state-before-pages.json: the whole store as this schema version wrote
    // it before reports kept their pages (a scan of a page with a pager).
    let text = std::fs::read_to_string(format!("{}/tests/data/json/state-before-pages.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert!(!text.contains("\"pages\""));
    let l = load_text(&text);
    assert!(l.quarantine.is_empty() && l.dirty.is_empty(), "{:?} {:?}", l.dirty, l.state.notices);
    let scan = l.state.scan.as_ref().expect("the old scan report");
    assert!(scan.pages.is_empty());
    assert_eq!((scan.summary.sessions, scan.rows.len()), (5, 9));
    // The popup reads it as before: no page note (nothing is known of pages).
    let m = popup::model(&l.state, NOW);
    assert!(m.pages.is_empty());
    assert_eq!(m.headline, Headline::ReviewNeeded);
    // The scan key alone, as an older version stored it (no "pages" member).
    let mut st = calm(Vec::new());
    st.schema_version = storage::SCHEMA_VERSION;
    let old = storage::to_json(&st).replace(",\"pages\":[]", "");
    assert!(!old.contains("pages"));
    let l = load_text(&old);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);
    assert_eq!(popup::model(&l.state, NOW).headline, Headline::Protected);
}

#[test]
fn broken_pages_in_a_stored_report_never_crash_the_popup() {
    let mut st = calm(vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: Vec::new(), unverified: Vec::new() }]);
    st.schema_version = storage::SCHEMA_VERSION;
    let good = storage::to_json(&st);
    let field = r#""pages":[{"table":"recent_logins","current":1,"last":3,"read":[],"unverified":[]}]"#;
    assert!(good.contains(field));
    for bad in [
        r#""pages":"x""#,
        r#""pages":{}"#,
        r#""pages":[null]"#,
        r#""pages":[{"table":"nope","current":1,"last":3}]"#,
        r#""pages":[{"table":"recent_logins","current":-1,"last":3}]"#,
        r#""pages":[{"table":"recent_logins","current":1,"last":1e300}]"#,
        r#""pages":[{"table":"recent_logins","last":3}]"#,
    ] {
        let l = load_text(&good.replace(field, bad));
        // The report is set aside (with a notice), never half-read; the popup still builds.
        assert_eq!(l.quarantine.len(), 1, "{bad}");
        assert!(l.quarantine[0].0.ends_with("/scan"), "{bad}");
        assert!(l.state.scan.is_none(), "{bad}");
        let m = popup::model(&l.state, NOW);
        assert_eq!(m.headline, Headline::NoScan, "{bad}");
        assert!(m.notices.iter().any(|n| n.contains("scan")), "{bad}: {:?}", m.notices);
        markup(&m);
    }
    // Odd values that decode: no note where nothing is missing, "the page shown" where the page is unknown.
    for (table, current, last, note) in [
        (TableKind::RecentLogins, 1, 1, None),
        (TableKind::RecentLogins, 0, 0, None),
        // (Trusted Devices with pages: one of them is not the list, never "Protected")
        (TableKind::TrustedDevices, 1, 3, Some("Only page 1 of 3 of Trusted Devices was checked.")),
        (TableKind::RecentLogins, 7, 3, Some("Only the page shown of Recent Logins was checked (3 pages).")),
        (TableKind::SecurityLogs, u32::MAX, u32::MAX, Some("Only page 4294967295 of 4294967295 of Security Logs was checked.")),
    ] {
        let m = popup::model(&calm(vec![ListPages { table, current, last, read: Vec::new(), unverified: Vec::new() }]), NOW);
        assert_eq!(m.pages.first().map(|p| p.1.as_str()), note, "{table:?} {current} {last}");
        assert_eq!(m.headline == Headline::Protected, note.is_none(), "{table:?} {current} {last}");
    }
}

#[test]
fn the_popup_says_which_page_was_checked_and_never_protected_for_one_page_of_several() {
    // One page of three of Recent Logins, nothing to review on it.
    let st = calm(vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: Vec::new(), unverified: Vec::new() }]);
    let m = popup::model(&st, NOW);
    assert_eq!(m.headline, Headline::Partial);
    assert_eq!(m.title, LOGINS_1_OF_3);
    assert_eq!(m.subtitle, "Last scan 1 min ago");
    let html = markup(&m);
    assert!(html.starts_with(&format!(r#"<header class="status" data-state="partial"<h1 class="title" text="{LOGINS_1_OF_3}"</h1>"#)), "{html}");
    // under the list's counts
    assert!(
        html.contains(&format!(r#"<dd text="0" data-count="unfamiliar"</dd></div></dl><ul class="pages"<li text="{LOGINS_1_OF_3}" data-list="recent_logins"</li></ul>"#)),
        "{html}"
    );
    assert!(!html.contains("Protected"), "{html}");
    // Both lists; the Security Logs note is the one the page shows.
    let st = calm(vec![ListPages { table: TableKind::RecentLogins, current: 2, last: 3, read: Vec::new(), unverified: Vec::new() }, ListPages { table: TableKind::SecurityLogs, current: 0, last: 4, read: Vec::new(), unverified: Vec::new() }]);
    let m = popup::model(&st, NOW);
    assert_eq!(m.headline, Headline::Partial);
    assert_eq!(
        m.pages,
        vec![
            (TableKind::RecentLogins, "Only page 2 of 3 of Recent Logins was checked.".to_string()),
            (TableKind::SecurityLogs, "Only the page shown of Security Logs was checked (4 pages).".to_string()),
        ]
    );
    assert!(markup(&m).contains(r#"<li text="Only the page shown of Security Logs was checked (4 pages)." data-list="security_logs"</li></ul>"#));
    // Something to review outranks the page note in the title; the note stays.
    let mut st = st;
    st.scan.as_mut().unwrap().summary.unfamiliar = 2;
    let m = popup::model(&st, NOW);
    assert_eq!((m.headline, m.title.as_str()), (Headline::ReviewNeeded, "Review needed: 2 unfamiliar"));
    assert_eq!(m.pages.len(), 2);
    // A single page: "Protected", no note.
    let m = popup::model(&calm(Vec::new()), NOW);
    assert_eq!((m.headline, m.title.as_str()), (Headline::Protected, "Protected"));
    assert!(!markup(&m).contains("class=\"pages\""));
}

#[test]
fn the_badge_tooltip_says_one_page_was_checked_not_no_unfamiliar_sessions() {
    let b = session_guard::app::badge(&calm(vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: Vec::new(), unverified: Vec::new() }]), NOW);
    assert_eq!((b.text.as_str(), b.title.as_str()), ("", "Session Guard: Only page 1 of 3 of Recent Logins was checked."));
    assert_eq!(session_guard::app::badge(&calm(Vec::new()), NOW).title, "Session Guard: no unfamiliar sessions");
    // Sessions to review say that first.
    let mut st = calm(vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: Vec::new(), unverified: Vec::new() }]);
    st.scan.as_mut().unwrap().summary.unfamiliar = 2;
    assert_eq!(session_guard::app::badge(&st, NOW).title, "Session Guard: 2 unfamiliar sessions to review, none online");
}

#[test]
fn the_page_summary_says_which_page_of_recent_logins_was_checked_as_the_popup_does() {
    let summary = |html: &str| {
        let out = handle_scan(&snapshot_from_html(html, SECURITY), &mut State::default(), NOW);
        out.plan.widgets.into_iter().find(|w| w.key == "summary:recent").expect("the summary above Recent Logins")
    };
    let with = summary(&fixture("security-en.html"));
    assert_eq!(with.items.last().map(String::as_str), Some(LOGINS_1_OF_3), "{:?}", with.items);
    // Without KuCoin's pager (one page): no such note.
    let html = fixture("security-en.html");
    let a = html.find("<div class=\"KuxPagination-root").unwrap();
    let b = a + html[a..].find("</div>").unwrap() + "</div>".len();
    let without = summary(&format!("{}{}", &html[..a], &html[b..]));
    assert!(!without.items.iter().any(|i| i.contains("Recent Logins was checked")), "{:?}", without.items);
}

#[test]
fn the_popup_offers_check_the_other_pages_while_recent_logins_has_pages_not_read() {
    const BUTTON: &str = r#"<button text="Check the other pages" type="button" data-action="check-pages"</button>"#;
    let logins = |read: Vec<u32>, last: u32| ListPages { table: TableKind::RecentLogins, current: 1, last, read, unverified: Vec::new() };
    // Page 1 of 3 read: the button, right under the note.
    let m = popup::model(&calm(vec![logins(vec![1], 3)]), NOW);
    assert!(m.check_pages);
    assert!(markup(&m).contains(&format!(r#"data-list="recent_logins"</li></ul>{BUTTON}"#)), "{}", markup(&m));
    // Pages 1–2 of 3: still.
    assert!(popup::model(&calm(vec![logins(vec![1, 2], 3)]), NOW).check_pages);
    // Every page read, a run going, only Security Logs with pages, a list too long to step through: none.
    let mut running = calm(vec![logins(vec![1], 3)]);
    running.scan.as_mut().unwrap().paging = Some(Default::default());
    let security_logs = ListPages { table: TableKind::SecurityLogs, current: 1, last: 4, read: Vec::new(), unverified: Vec::new() };
    for (st, why) in [
        (calm(vec![logins(vec![1, 2, 3], 3)]), "every page read"),
        (running, "a run going"),
        (calm(vec![security_logs]), "Security Logs"),
        (calm(vec![logins(vec![1], session_guard::app::MAX_READ_PAGES + 1)]), "too many pages"),
    ] {
        let m = popup::model(&st, NOW);
        assert!(!m.check_pages, "{why}");
        assert!(!markup(&m).contains("check-pages"), "{why}");
    }
    // A run that failed (the page could not be opened): offered again, as on the page.
    let mut failed = calm(vec![logins(vec![1], 3)]);
    failed.scan.as_mut().unwrap().paging = Some(session_guard::check::Paging { failure: "Page 2 did not open.".into(), ..Default::default() });
    assert!(popup::model(&failed, NOW).check_pages);
    // The button's action, as the popup sends it (no tab: any KuCoin tab that scans drives the run).
    let mut st = calm(vec![logins(vec![1], 3)]);
    let act = session_guard::plan::Action { kind: "check_all_pages".into(), ..Default::default() };
    let out = session_guard::app::handle_action(&act, &mut st, NOW).unwrap();
    assert!(out.writes.contains(&"scan".to_string()));
    assert_eq!(st.scan.as_ref().unwrap().paging.as_ref().map(|p| p.tab), Some(0));
    assert!(!popup::model(&st, NOW).check_pages, "the run is going");
}

#[test]
fn the_popup_says_when_the_trust_list_changed_after_the_scan_it_shows() {
    const CHANGED: &str = "Your trusted devices changed after this scan: open your KuCoin security page to see the sessions as they stand now.";
    let page = snapshot_from_html(&fixture("security-en.html"), SECURITY);
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&page, &mut st, NOW);
    assert!(!popup::model(&st, NOW).notices.iter().any(|n| n == CHANGED), "the scan and the list agree");
    let act = |kind: &str, key: &str| session_guard::plan::Action { kind: kind.into(), key: key.into(), label: "Work laptop".into(), ..Default::default() };
    let fp = st.trust.devices[0].fingerprint.clone();
    // A rename changes no verdict: nothing to say.
    session_guard::app::handle_action(&act("rename_device", &fp), &mut st, NOW).unwrap();
    assert!(!popup::model(&st, NOW).notices.iter().any(|n| n == CHANGED));
    // Forgotten in the popup, no page scanned since: said, under the popup's notices.
    session_guard::app::handle_action(&act("forget_device", &fp), &mut st, NOW).unwrap();
    let m = popup::model(&st, NOW);
    assert!(m.notices.iter().any(|n| n == CHANGED), "{:?}", m.notices);
    assert!(markup(&m).contains(&format!(r#"<li text="{CHANGED}"</li>"#)), "{}", markup(&m));
    // The page scanned again: the scan is of this list, nothing to say.
    handle_scan(&page, &mut st, NOW + 1000);
    assert!(!popup::model(&st, NOW).notices.iter().any(|n| n == CHANGED));
    // Stored and read back: the same (the report's `trust`); a report stored before the field says nothing.
    let l = load_text(&storage::to_json(&st));
    assert_eq!(l.state, st);
    let mut old = st.clone();
    old.scan.as_mut().unwrap().trust.clear();
    old.trust = Default::default();
    assert!(!popup::model(&old, NOW).notices.iter().any(|n| n == CHANGED));
}

#[test]
fn the_popup_offers_this_is_me_and_not_me_on_the_unfamiliar_sessions_it_lists() {
    let page = snapshot_from_html(&fixture("security-en.html"), SECURITY);
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&page, &mut st, NOW);
    let m = popup::model(&st, NOW);
    // Unfamiliar Recent Logins rows carry the page's device text, IP and area; Trusted Devices rows and this browser none.
    let with: Vec<(&str, &str, &str)> = m.sessions.iter().filter(|s| !s.device.is_empty()).map(|s| (s.device.as_str(), s.ip.as_str(), s.area.as_str())).collect();
    assert_eq!(
        with,
        vec![
            ("Linux Firefox", "198.51.100.77", "Lagos"),
            ("iOS 17.5 iPhone", "2001:db8:85a3::8a2e:370:7334", "Singapore"),
            ("Windows 10 Chrome", "203.0.113.41", "Singapore"),
            ("Android 14 KuCoin App", "192.0.2.146", "Frankfurt"),
        ]
    );
    assert!(m.sessions.iter().filter(|s| s.detail.starts_with("KuCoin trusts this device") || s.verdict == "current").all(|s| s.device.is_empty()));
    let html = markup(&m);
    assert!(
        html.contains(r#"<span class="row"<button text="This is me" type="button" data-action="row-trust" aria-label="This is me: Chrome on Windows 10" data-device="Windows 10 Chrome" data-ip="203.0.113.41" data-area="Singapore"</button><button text="Not me" type="button" data-action="row-not-me" aria-label="Not me: Chrome on Windows 10" data-device="Windows 10 Chrome" data-ip="203.0.113.41" data-area="Singapore"</button></span>"#),
        "{html}"
    );
    // What the popup's This is me sends, as the page's button does: the row is familiar at the next scan, and off the list.
    let s = m.sessions.iter().find(|s| s.device == "Windows 10 Chrome").unwrap();
    let act = session_guard::plan::Action { kind: "trust".into(), device_text: s.device.clone(), ip: s.ip.clone(), area: s.area.clone(), ..Default::default() };
    let out = session_guard::app::handle_action(&act, &mut st, NOW).unwrap();
    assert_eq!(out.toast, "Trusted: Chrome on Windows 10");
    handle_scan(&page, &mut st, NOW + 1000);
    let m = popup::model(&st, NOW + 1000);
    assert!(!m.sessions.iter().any(|s| s.device == "Windows 10 Chrome"), "{:?}", m.sessions);
}

#[test]
fn the_popup_lists_sessions_and_the_devices_kucoin_trusts_under_their_own_headings() {
    // The replica: 5 Recent Logins rows (4 unfamiliar, this browser) and 4
    // Trusted Devices rows (3 unfamiliar), sorted by severity together.
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    handle_scan(&snapshot_from_html(&fixture("security-en.html"), SECURITY), &mut st, NOW);
    let m = popup::model(&st, NOW);
    let lists: Vec<TableKind> = m.sessions.iter().map(|s| s.list).collect();
    assert_eq!(lists.iter().filter(|&&l| l == TableKind::RecentLogins).count(), 5, "{:?}", m.sessions);
    assert_eq!(lists.iter().filter(|&&l| l == TableKind::TrustedDevices).count(), 3, "{:?}", m.sessions);
    // (interleaved in the model, which keeps the report's order)
    assert!(lists.windows(2).any(|w| w[0] == TableKind::TrustedDevices && w[1] == TableKind::RecentLogins), "{lists:?}");
    // Rendered: one heading and one list per KuCoin list, Recent Logins first,
    // each line under the heading of its list, in the model's order within it.
    let html = markup(&m);
    let section = &html[html.find(r#"<section class="sessions""#).unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    let groups: Vec<&str> = section.split("<h3").skip(1).collect();
    assert_eq!(groups.len(), 2, "{section}");
    assert!(groups[0].starts_with(r#" text="Recent Logins"</h3><ul"#), "{}", groups[0]);
    assert!(groups[1].starts_with(r#" text="Devices KuCoin trusts"</h3><ul"#), "{}", groups[1]);
    let details = |g: &str| g.split(r#"<span class="detail" text=""#).skip(1).map(|d| d[..d.find('"').unwrap()].to_string()).collect::<Vec<_>>();
    // (as `markup` writes a text: Debug-quoted, the isolates around an area or an IP escaped)
    let want = |l: TableKind| m.sessions.iter().filter(|s| s.list == l).map(|s| format!("{:?}", s.detail).trim_matches('"').to_string()).collect::<Vec<_>>();
    assert_eq!(details(groups[0]), want(TableKind::RecentLogins));
    assert_eq!(details(groups[1]), want(TableKind::TrustedDevices));
    assert!(details(groups[1]).iter().all(|d| d.starts_with("KuCoin trusts this device")), "{}", groups[1]);
    assert!(!details(groups[0]).iter().any(|d| d.starts_with("KuCoin trusts this device")), "{}", groups[0]);
    // A list with no line gets no heading.
    let mut only = m.clone();
    only.sessions.retain(|s| s.list == TableKind::RecentLogins);
    let html = markup(&only);
    assert_eq!(html.matches("<h3").count(), 1, "{html}");
    assert!(!html.contains("Devices KuCoin trusts"), "{html}");
}

#[test]
fn recent_logins_back_on_one_page_drops_its_note_of_pages() {
    // Page 1 of 3 read; then, in the same page load, Recent Logins without
    // its pager (sessions ended: one page left, its rows as before or fewer).
    let paged = fixture("security-en.html");
    let a = paged.find("<div class=\"KuxPagination-root").unwrap();
    let b = a + paged[a..].find("</div>").unwrap() + "</div>".len();
    let one_page = format!("{}{}", &paged[..a], &paged[b..]);
    let tbody = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
    let rows_at = one_page.find(tbody).unwrap() + tbody.len();
    let third_row = rows_at + one_page[rows_at..].match_indices("<tr ").nth(2).unwrap().0;
    let rows_end = rows_at + one_page[rows_at..].find("</tbody>").unwrap();
    let fewer = format!("{}{}", &one_page[..third_row], &one_page[rows_end..]);
    for (html, what) in [(&one_page, "the same rows"), (&fewer, "two rows left")] {
        let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
        let snap = |html: &str| {
            let mut s = snapshot_from_html(html, SECURITY);
            s.page_id = "d".into();
            s
        };
        handle_scan(&snap(&paged), &mut st, NOW);
        assert_eq!(popup::model(&st, NOW).pages, vec![(TableKind::RecentLogins, LOGINS_1_OF_3.to_string())]);
        let out = handle_scan(&snap(html), &mut st, NOW + 1000);
        let scan = st.scan.as_ref().unwrap();
        assert!(scan.pages.iter().all(|l| l.table != TableKind::RecentLogins), "{what}: {:?}", scan.pages);
        assert!(popup::model(&st, NOW + 1000).pages.is_empty(), "{what}");
        assert!(!session_guard::app::badge(&st, NOW + 1000).title.contains("Only page"), "{what}");
        assert!(!out.plan.widgets.iter().any(|w| w.items.iter().any(|i| i.contains("of Recent Logins"))), "{what}");
    }
    // (KuCoin loading the list, no rows nor pager yet: the note as last read stays)
    let loading = format!("{}{}", &one_page[..rows_at], &one_page[rows_end..]);
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    for (html, t) in [(&paged, NOW), (&loading, NOW + 1000)] {
        let mut s = snapshot_from_html(html, SECURITY);
        s.page_id = "d".into();
        handle_scan(&s, &mut st, t);
    }
    assert_eq!(popup::model(&st, NOW + 1000).pages, vec![(TableKind::RecentLogins, LOGINS_1_OF_3.to_string())]);
}
