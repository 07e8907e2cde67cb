//! Trusted Devices split into pages by KuCoin's pager: the page read is not
//! the whole list. As with Recent Logins, the stored report keeps the rows
//! of each Trusted Devices page read in one page load (same `page_id`), so
//! the count of devices to review, the popup and the page summary include a
//! device KuCoin trusts on page 2 while page 1 is shown; while page 2 was
//! not read nothing says "all familiar"; a page read again replaces its
//! rows (a device gone from it is gone from the count). Driven on the
//! English replica, its Trusted Devices list given a pager of 2 pages.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_scan, Outcome};
use session_guard::extract::{self, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Tone, Widget};
use session_guard::popup::{self, Headline};
use session_guard::storage::{self, State};

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;
const ONLY_1_OF_2: &str = "Only page 1 of 2 of Trusted Devices was checked.";
const ALL_2: &str = "All 2 pages of Trusted Devices were checked.";
const ON_PAGE_2: &str = "(Trusted Devices page 2)";
/// A device on page 2 that the user never trusted.
const STRANGER: (&str, &str) = ("Windows 11 Edge", "Moscow(203.0.113.99)");
/// A device on page 2 the user knows (trusted along with page 1's).
const KNOWN: (&str, &str) = ("macOS Safari", "Amsterdam(192.0.2.8)");

fn fixture() -> String {
    std::fs::read_to_string(format!("{}/../tests/fixtures/kucoin/security-en.html", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A Trusted Devices row as KuCoin renders it (no expanded IPs).
fn device_row(device: &str, ip: &str, time: &str) -> String {
    format!(
        "<tr class=\"KuxTable-row css-0jxnag4\"><td class=\"KuxTable-cell css-0nthq5q\"><span class=\"css-0niqyd2 icon\" data-icon=\"kucoin web\"></span>{device}</td><td class=\"KuxTable-cell css-0nthq5q\">{ip}</td><td class=\"KuxTable-cell css-0nthq5q\">{time}</td><td class=\"KuxTable-cell css-0nthq5q\"><button type=\"button\" class=\"KuxButton-root KuxButton-text css-07ca0tj\">Remove</button></td></tr>"
    )
}

/// KuCoin's pager (its kit: prev, numbers, next), page `at` of `pages` shown.
fn pager(at: u32, pages: u32) -> String {
    let mut s = String::from("<div class=\"KuxPagination-root css-19fwuly\"><button type=\"button\" class=\"KuxPagination-prev css-0ghgadt\"></button>");
    for n in 1..=pages {
        if n == at {
            s.push_str(&format!("<button type=\"button\" class=\"KuxPagination-item css-0dq8pmv KuxPagination-item-active\" aria-current=\"page\">{n}</button>"));
        } else {
            s.push_str(&format!("<button type=\"button\" class=\"KuxPagination-item css-0dq8pmv\">{n}</button>"));
        }
    }
    s.push_str("<button type=\"button\" class=\"KuxPagination-next css-0ghgadt\"></button></div>");
    s
}

/// The replica with Recent Logins on one page (its pager taken away: only
/// Trusted Devices is paged here) and Trusted Devices showing `rows` (the
/// replica's own rows when `None`) under a pager at `at` of 2 (none: `at` 0).
fn page(at: u32, rows: Option<&str>) -> String {
    let mut html = fixture();
    let a = html.find("<div class=\"KuxPagination-root").unwrap();
    let b = a + html[a..].find("</div>").unwrap() + "</div>".len();
    html.replace_range(a..b, "");
    let tbody = "<tbody class=\"KuxTable-tbody css-1ww89m0\">";
    let s = html.find(tbody).unwrap() + tbody.len();
    let e = s + html[s..].find("</tbody>").unwrap();
    if let Some(rows) = rows {
        html.replace_range(s..e, rows);
    }
    if at > 0 {
        let end = html.find("</section>").unwrap();
        html.insert_str(end, &pager(at, 2));
    }
    html
}

/// Page 2 of Trusted Devices: `devices` (device, IP).
fn page_2(devices: &[(&str, &str)]) -> String {
    let mut rows = String::new();
    for (d, ip) in devices {
        rows.push_str(&device_row(d, ip, "6/30/2025, 10:00:00"));
    }
    page(2, Some(&rows))
}

fn snap(html: &str, doc: &str) -> session_guard::snapshot::Snapshot {
    let mut s = snapshot_from_html(html, SECURITY);
    s.page_id = doc.into();
    s.tab = 7;
    s
}

fn scan(st: &mut State, html: &str, doc: &str, now: i64) -> Outcome {
    handle_scan(&snap(html, doc), st, now)
}

/// Every device and network on the replica's page 1 (both lists) and `KNOWN`
/// trusted, as if the user had said "This is me" for each.
fn trusting() -> State {
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let mut extra = page(0, None);
    extra = extra.replace("</tbody></table></div></div></section>", &format!("{}</tbody></table></div></div></section>", device_row(KNOWN.0, KNOWN.1, "6/30/2025, 10:00:00")));
    let ex = extract::extract(&snap(&extra, "setup"));
    for t in &ex.tables {
        for r in &t.records {
            let ip = r.ip.as_ref().map(|i| i.ip);
            let area = r.ip.as_ref().and_then(|i| i.area.clone());
            st.trust.trust(&r.device, "mine", ip.as_ref(), area.as_deref(), NOW, false);
        }
    }
    st
}

fn summary(out: &Outcome) -> &Widget {
    out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("the summary above Recent Logins")
}

fn to_review(st: &State) -> u32 {
    st.scan.as_ref().unwrap().summary.trusted_by_kucoin_not_you
}

#[test]
fn the_pager_under_trusted_devices_is_found() {
    let ex = extract::extract(&snap(&page(1, None), "d"));
    let p = ex.table(TableKind::TrustedDevices).unwrap().pager.as_ref().expect("the page control under Trusted Devices");
    assert_eq!((p.current, p.last, p.numbers.as_slice()), (1, 2, &[1, 2][..]));
    // Recent Logins (no pager of its own here) does not take the one under Trusted Devices.
    assert!(ex.table(TableKind::RecentLogins).unwrap().pager.is_none());
    // Page 2 emptied by Remove ("No data"), its pager still there.
    let empty = page(2, Some("<tr class=\"KuxTable-placeholder\"><td colspan=\"4\"><div class=\"KuxEmpty-root\"><div class=\"KuxEmpty-description css-1nyd6or\">No data</div></div></td></tr>"));
    let ex = extract::extract(&snap(&empty, "d"));
    let t = ex.table(TableKind::TrustedDevices).unwrap();
    assert!(t.empty && t.records.is_empty(), "{t:?}");
    assert_eq!(t.pager.as_ref().map(|p| (p.current, p.last)), Some((2, 2)));
}

#[test]
fn page_one_alone_is_never_all_familiar() {
    // Control: the same page without a pager is all familiar.
    let mut st = trusting();
    let out = scan(&mut st, &page(0, None), "d0", NOW);
    let w = summary(&out);
    assert_eq!((w.tone, w.title.contains("all familiar")), (Tone::Ok, true), "{}", w.title);
    assert_eq!(popup::model(&st, NOW).headline, Headline::Protected);

    // With the pager: page 2 not read.
    let mut st = trusting();
    let out = scan(&mut st, &page(1, None), "d1", NOW);
    let w = summary(&out);
    assert!(!w.title.contains("all familiar"), "{}", w.title);
    assert!(w.title.contains("other Trusted Devices pages not checked"), "{}", w.title);
    assert_eq!(w.tone, Tone::Warn);
    assert!(w.items.iter().any(|i| i == ONLY_1_OF_2), "{:?}", w.items);
    let m = popup::model(&st, NOW);
    assert_eq!(m.headline, Headline::Partial);
    assert_eq!(m.title, ONLY_1_OF_2);
    assert_eq!(m.pages, vec![(TableKind::TrustedDevices, ONLY_1_OF_2.to_string())]);
    assert!(out.badge.title.contains(ONLY_1_OF_2), "{}", out.badge.title);
    let report = st.scan.as_ref().unwrap();
    assert_eq!((report.devices_page, report.devices.len()), (1, 1));
}

#[test]
fn a_device_on_page_2_counts_while_page_1_is_shown_and_goes_when_page_2_no_longer_lists_it() {
    let mut st = trusting();
    let mut t = NOW;
    scan(&mut st, &page(1, None), "d1", t);
    assert_eq!(to_review(&st), 0);
    // The user opens page 2 (KuCoin's pager): a device they never trusted.
    t += 1000;
    let out = scan(&mut st, &page_2(&[STRANGER, KNOWN]), "d1", t);
    assert_eq!(to_review(&st), 1);
    assert!(summary(&out).title.contains("1 trusted device to review"), "{}", summary(&out).title);
    // Back on page 1: page 2's device still counts, named with its page.
    t += 1000;
    let out = scan(&mut st, &page(1, None), "d1", t);
    assert_eq!(to_review(&st), 1, "page 2's device counts with page 1's");
    let w = summary(&out);
    // ("all familiar" there is Recent Logins', as for a device on screen)
    assert!(w.title.contains("1 trusted device to review"), "{}", w.title);
    assert_eq!(w.tone, Tone::Warn);
    assert!(w.items.iter().any(|i| i.contains("Moscow") && i.ends_with(ON_PAGE_2)), "{:?}", w.items);
    assert!(w.items.iter().any(|i| i == ALL_2), "{:?}", w.items);
    let m = popup::model(&st, t);
    assert_eq!(m.headline, Headline::ReviewNeeded);
    let line = m.sessions.iter().find(|s| s.list == TableKind::TrustedDevices).expect("page 2's device in the popup");
    assert!(line.detail.contains("Moscow") && line.detail.ends_with(ON_PAGE_2), "{}", line.detail);
    assert_eq!(m.pages, vec![(TableKind::TrustedDevices, ALL_2.to_string())]);

    // Trusted from the popup ("This is me" elsewhere): page 2's row is decided again.
    let mut trusted = st.clone();
    let dev = session_guard::device::parse_kucoin_device(STRANGER.0);
    let ip: std::net::IpAddr = "203.0.113.99".parse().unwrap();
    trusted.trust.trust(&dev, "work laptop", Some(&ip), Some("Moscow"), t, false);
    scan(&mut trusted, &page(1, None), "d1", t + 500);
    assert_eq!(to_review(&trusted), 0, "decided again with the trust list as it is now");

    // The device removed on page 2 (read again without it): gone from the count.
    t += 1000;
    scan(&mut st, &page_2(&[KNOWN]), "d1", t);
    t += 1000;
    let out = scan(&mut st, &page(1, None), "d1", t);
    assert_eq!(to_review(&st), 0);
    let w = summary(&out);
    assert!(!w.items.iter().any(|i| i.ends_with(ON_PAGE_2)), "{:?}", w.items);
    assert!(w.title.contains("all familiar"), "every page read, all familiar: {}", w.title);
    assert_eq!(popup::model(&st, t).headline, Headline::Protected);

    // A new page load starts over: page 2 unread again.
    t += 1000;
    let out = scan(&mut st, &page(1, None), "d2", t);
    assert!(!summary(&out).title.contains("all familiar"));
    assert_eq!(st.scan.as_ref().unwrap().devices.len(), 1);
}

#[test]
fn the_pager_moving_before_the_rows_does_not_pass_page_1_for_page_2() {
    let mut st = trusting();
    scan(&mut st, &page(1, None), "d1", NOW);
    // The pager says 2, the rows are still page 1's (KuCoin loading page 2).
    let html = page(2, None);
    let out = scan(&mut st, &html, "d1", NOW + 300);
    let report = st.scan.as_ref().unwrap();
    assert_eq!(report.devices_page, 0, "not read as page 2");
    assert_eq!(report.devices.iter().map(|p| p.page).collect::<Vec<_>>(), vec![1]);
    assert!(!summary(&out).title.contains("all familiar"), "{}", summary(&out).title);
}

#[test]
fn stored_reports_with_trusted_pages_load_back() {
    let mut st = trusting();
    scan(&mut st, &page(1, None), "d1", NOW);
    scan(&mut st, &page_2(&[STRANGER]), "d1", NOW + 1000);
    let text = storage::to_json(st.scan.as_ref().unwrap());
    let back: session_guard::app::ScanReport = storage::from_json_text(&text).unwrap();
    assert_eq!(&back, st.scan.as_ref().unwrap());
    assert_eq!(back.devices.iter().map(|p| p.page).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn the_session_check_never_passes_trusted_devices_on_page_1_of_2() {
    // After a password change, Trusted Devices page 1 lists only this
    // browser, KuCoin's pager offers page 2: more devices are trusted there.
    let only_me = device_row("Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span>", "Singapore(203.0.113.24)", "7/14/2025, 09:21:37");
    let issues = |at: u32| {
        let html = page(at, Some(&only_me));
        let ex = extract::extract(&snap(&html, "d"));
        let current = ex.table(TableKind::RecentLogins).unwrap().records.iter().find(|r| r.status == Some(extract::Status::Current)).unwrap().time_ms.unwrap();
        let mut st = trusting();
        st.checks.password_changed_at = Some(NOW);
        st.checks.baseline_ms = Some(current - 60_000);
        scan(&mut st, &html, "d", NOW + 1000);
        st.checks.last.as_ref().expect("the check ran").trusted_issues.clone().expect("Trusted Devices read")
    };
    assert_eq!(issues(0), Vec::<String>::new(), "one page: only this browser");
    let paged = issues(1);
    assert_eq!(paged, vec!["Trusted Devices has 2 pages: the pages not shown list more devices that KuCoin still trusts".to_string()]);
}

/// The replica, Recent Logins on one page, Trusted Devices showing `devices`
/// (the replica's Current row first) under a pager at `at` of `pages`.
fn paged(at: u32, pages: u32, devices: &[(&str, &str)]) -> String {
    let mut rows = device_row("Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span>", "Singapore(203.0.113.24)", "7/14/2025, 09:21:37");
    if at != 1 {
        rows.clear();
    }
    for (d, ip) in devices {
        rows.push_str(&device_row(d, ip, "6/30/2025, 10:00:00"));
    }
    let mut html = page(0, Some(&rows));
    let end = html.find("</section>").unwrap();
    html.insert_str(end, &pager(at, pages));
    html
}

#[test]
fn a_removal_that_moves_a_device_up_from_a_page_cut_off_does_not_lose_it() {
    // Two devices a page (and this browser on page 1); all three pages read:
    // the stranger on page 3 counts.
    const EDGE: (&str, &str) = ("Windows 10 Edge", "Amsterdam(192.0.2.10)");
    const FIREFOX: (&str, &str) = ("Windows 10 Firefox", "Amsterdam(192.0.2.9)");
    let mut st = trusting();
    for (d, ip) in [EDGE, FIREFOX] {
        let dev = session_guard::device::parse_kucoin_device(d);
        let ip: std::net::IpAddr = ip[ip.find('(').unwrap() + 1..ip.len() - 1].parse().unwrap();
        st.trust.trust(&dev, "mine", Some(&ip), Some("Amsterdam"), NOW, false);
    }
    let mut t = NOW;
    scan(&mut st, &paged(1, 3, &[KNOWN]), "d", t);
    t += 1000;
    scan(&mut st, &paged(2, 3, &[FIREFOX, EDGE]), "d", t);
    t += 1000;
    scan(&mut st, &paged(3, 3, &[STRANGER]), "d", t);
    t += 1000;
    scan(&mut st, &paged(1, 3, &[KNOWN]), "d", t);
    assert_eq!(to_review(&st), 1);
    // The user removes KNOWN on page 1; KuCoin fetches the list again: page 1
    // [this browser, Firefox], page 2 [Edge, the stranger], 2 pages.
    t += 1000;
    let out = scan(&mut st, &paged(1, 2, &[FIREFOX]), "d", t);
    let w = summary(&out);
    assert!(!w.title.contains("all familiar"), "{}", w.title);
    assert!(!w.items.iter().any(|i| i == ALL_2), "page 2 as read before no longer is page 2: {:?}", w.items);
    assert!(w.items.iter().any(|i| i == ONLY_1_OF_2), "{:?}", w.items);
    assert_ne!(popup::model(&st, t).headline, Headline::Protected);
    // Page 2 read again: the stranger is there, and counts.
    t += 1000;
    scan(&mut st, &paged(2, 2, &[EDGE, STRANGER]), "d", t);
    t += 1000;
    let out = scan(&mut st, &paged(1, 2, &[FIREFOX]), "d", t);
    assert_eq!(to_review(&st), 1);
    assert!(summary(&out).items.iter().any(|i| i == ALL_2), "{:?}", summary(&out).items);
}

#[test]
fn a_page_emptied_by_remove_and_refilled_from_the_next_is_read_not_taken_for_the_next() {
    // Two devices a page, 4 pages; page 2 lists two devices the user never
    // trusted. Removing both there moves page 3's rows onto page 2 (and page
    // 4's onto 3): those rows are page 2 now, and the removed devices no
    // longer count.
    const U1: (&str, &str) = ("Windows 11 Edge", "Moscow(203.0.113.91)");
    const U2: (&str, &str) = ("Windows 11 Edge", "Moscow(203.0.113.92)");
    // (page 3: KNOWN at two times)
    let known_twice = |at: u32, pages: u32| paged(at, pages, &[KNOWN, KNOWN]).replacen("6/30/2025, 10:00:00", "6/29/2025, 10:00:00", 1);
    let mut st = trusting();
    let mut t = NOW;
    for html in [paged(1, 4, &[KNOWN]), paged(2, 4, &[U1, U2]), known_twice(3, 4), paged(4, 4, &[KNOWN]), paged(2, 4, &[U1, U2])] {
        scan(&mut st, &html, "d", t);
        t += 1000;
    }
    assert_eq!(to_review(&st), 2);
    // U1 removed, then U2.
    scan(&mut st, &paged(2, 3, &[U2, KNOWN]), "d", t);
    t += 1000;
    let out = scan(&mut st, &known_twice(2, 3), "d", t);
    assert_eq!(st.scan.as_ref().unwrap().devices_page, 2, "read as page 2");
    assert_eq!(to_review(&st), 0, "{:?}", summary(&out).items);
    assert!(!summary(&out).items.iter().any(|i| i.ends_with(ON_PAGE_2)), "{:?}", summary(&out).items);
}

/// `html` with the Trusted Devices section moved above Recent Logins' tabs.
fn trusted_first(html: &str) -> String {
    let s = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    let e = s + html[s..].find("</section>").unwrap() + "</section>".len();
    let section = html[s..e].to_string();
    let mut h = html.to_string();
    h.replace_range(s..e, "");
    let at = h.find("<div id=\"loginRecord\"").unwrap();
    h.insert_str(at, &section);
    h
}

/// `html` with the table of the list whose rows follow `tbody_marker` replaced
/// by KuCoin's spinner (the list loading: no header, no rows yet).
fn loading(html: &str, tbody_marker: &str) -> String {
    let t = html.find(tbody_marker).unwrap();
    let s = html[..t].rfind("<div class=\"KuxTable-root").unwrap();
    let close = "</tbody></table></div></div>";
    let e = t + html[t..].find(close).unwrap() + close.len();
    let mut h = html.to_string();
    h.replace_range(s..e, "<div class=\"KuxSpin-root\" aria-busy=\"true\"></div>");
    h
}

#[test]
fn the_pager_of_a_list_still_loading_below_is_not_taken_for_the_list_above() {
    const LOGINS_TBODY: &str = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
    const DEVICES_TBODY: &str = "<tbody class=\"KuxTable-tbody css-1ww89m0\">";
    let pager_of = |html: &str, kind: TableKind| {
        let ex = extract::extract(&snap(html, "d"));
        ex.table(kind).unwrap_or_else(|| panic!("{kind:?} read")).pager.as_ref().map(|p| (p.current, p.last))
    };
    // Trusted Devices above Recent Logins; Recent Logins loading, its pager (1 of 3) shown.
    let html = loading(&trusted_first(&fixture()), LOGINS_TBODY);
    assert!(extract::extract(&snap(&html, "d")).table(TableKind::RecentLogins).is_none(), "Recent Logins still loading");
    assert_eq!(pager_of(&html, TableKind::TrustedDevices), None, "Recent Logins' pager is not Trusted Devices'");
    let mut st = trusting();
    let out = scan(&mut st, &html, "d", NOW);
    assert!(st.scan.as_ref().unwrap().pages.iter().all(|l| l.table != TableKind::TrustedDevices), "{:?}", st.scan.as_ref().unwrap().pages);
    assert!(!out.plan.widgets.iter().any(|w| w.items.iter().any(|i| i.contains("of Trusted Devices"))), "no page note of Trusted Devices");
    // (control: Trusted Devices' own pager, above Recent Logins, is still found)
    let own = loading(&trusted_first(&page(1, None)), LOGINS_TBODY);
    assert_eq!(pager_of(&own, TableKind::TrustedDevices), Some((1, 2)));
    // The page's order: Recent Logins (no pager of its own) above Trusted
    // Devices loading under its title, its pager (1 of 2) shown.
    let html = loading(&page(1, None), DEVICES_TBODY);
    assert_eq!(pager_of(&html, TableKind::RecentLogins), None, "Trusted Devices' pager is not Recent Logins'");
    // (control: Recent Logins' own pager, with Trusted Devices' below)
    let html = loading(&fixture(), DEVICES_TBODY);
    assert_eq!(pager_of(&html, TableKind::RecentLogins), Some((1, 3)));
}

/// `n` devices the user never trusted, each on its own network.
fn strangers(n: usize) -> String {
    let mut rows = String::new();
    for i in 0..n {
        rows.push_str(&device_row(STRANGER.0, &format!("Moscow(198.18.{}.{})", i / 200, 1 + i % 200), "6/30/2025, 10:00:00"));
    }
    rows
}

#[test]
fn every_device_of_a_long_trusted_devices_page_counts_from_another_page() {
    // Page 2 lists 25 devices the user never trusted: all 25 count while page 1 is shown.
    let mut st = trusting();
    scan(&mut st, &page(1, None), "d", NOW);
    scan(&mut st, &page(2, Some(&strangers(25))), "d", NOW + 1000);
    assert_eq!(to_review(&st), 25);
    let out = scan(&mut st, &page(1, None), "d", NOW + 2000);
    assert_eq!(to_review(&st), 25, "none of page 2's devices dropped");
    assert_eq!(st.scan.as_ref().unwrap().devices[1].rows.len(), 25);
    assert!(summary(&out).title.contains("25 trusted devices to review"), "{}", summary(&out).title);
}

#[test]
fn a_trusted_devices_page_past_the_rows_kept_is_not_counted_read() {
    // Page 2 lists more devices than are kept over all pages: it is not
    // kept, so the list is never "all checked" nor page 1 "all familiar".
    let many = page(2, Some(&strangers(session_guard::app::MAX_DEVICE_ROWS + 1)));
    let mut st = trusting();
    scan(&mut st, &page(1, None), "d", NOW);
    scan(&mut st, &many, "d", NOW + 1000);
    let report = st.scan.as_ref().unwrap();
    assert_eq!((report.devices_page, report.devices.iter().map(|p| p.page).collect::<Vec<_>>()), (0, vec![1]));
    let out = scan(&mut st, &page(1, None), "d", NOW + 2000);
    let w = summary(&out);
    assert!(!w.title.contains("all familiar"), "{}", w.title);
    assert!(w.items.iter().any(|i| i == ONLY_1_OF_2), "{:?}", w.items);
    assert_eq!(popup::model(&st, NOW + 2000).headline, Headline::Partial);
}

/// The same, and it says why: the page summary and the popup, beside the
/// note of the pages checked, say the list has more devices than are kept,
/// as long as that page is unread (on page 2 shown, on page 1 again after
/// it); never "all checked". Page 2 read again with fewer devices (some
/// removed): kept, and the why goes.
#[test]
fn a_trusted_devices_page_past_the_rows_kept_says_why_it_was_not_read() {
    const TOO_MANY: &str = "Some Trusted Devices pages were not read: the list has more devices than Session Guard can check (at most 1000). Remove the devices you don't use with KuCoin's Remove buttons, then open those pages again.";
    let many = page(2, Some(&strangers(session_guard::app::MAX_DEVICE_ROWS + 1)));
    let mut st = trusting();
    scan(&mut st, &page(1, None), "d", NOW);
    for (html, at) in [(&many, NOW + 1000), (&page(1, None), NOW + 2000)] {
        let out = scan(&mut st, html, "d", at);
        let w = summary(&out);
        assert!(w.items.iter().any(|i| i == TOO_MANY), "{:?}", w.items);
        assert!(!w.items.iter().any(|i| i == ALL_2), "{:?}", w.items);
        let m = popup::model(&st, at);
        let notes: Vec<&str> = m.pages.iter().map(|(_, n)| n.as_str()).collect();
        // (on page 2: "Only page 2 of 2 …", the page shown; then page 1's)
        assert!(notes.len() == 2 && notes[0].starts_with("Only page ") && notes[1] == TOO_MANY, "{notes:?}");
        // (page 2's strangers on screen: review needed; page 1 again: partial)
        assert!(matches!(m.headline, Headline::Partial | Headline::ReviewNeeded), "{:?}", m.headline);
    }
    // (a store from before it: no such pages, nothing said)
    let mut old = st.clone();
    old.scan.as_mut().unwrap().devices_over.clear();
    assert!(!popup::model(&old, NOW + 2000).pages.iter().any(|(_, n)| n == TOO_MANY));
    // page 2 with fewer devices now: read, and nothing left unread to explain
    let out = scan(&mut st, &page(2, Some(&strangers(25))), "d", NOW + 3000);
    assert!(summary(&out).items.iter().any(|i| i == ALL_2), "{:?}", summary(&out).items);
    assert!(!summary(&out).items.iter().any(|i| i == TOO_MANY));
    assert_eq!(st.scan.as_ref().unwrap().devices_over, Vec::<u32>::new());
    let m = popup::model(&st, NOW + 3000);
    assert!(!m.pages.iter().any(|(_, n)| n == TOO_MANY), "{:?}", m.pages);
}

/// Two trusted devices, one of them with a Recent Activity KuCoin shows no
/// date-time for ("--"): two devices, the second one we cannot read, never
/// one device made of both rows (the list's body taken for a row: its one
/// date-time is the other device's).
#[test]
fn a_device_without_a_date_time_beside_one_with_is_not_merged_into_it() {
    let rows = format!("{}{}", device_row(STRANGER.0, STRANGER.1, "--"), device_row(KNOWN.0, KNOWN.1, "6/30/2025, 10:00:00"));
    let ex = extract::extract(&snap(&page(0, Some(&rows)), "d"));
    let t = ex.table(TableKind::TrustedDevices).expect("Trusted Devices read");
    let read: Vec<_> = t.records.iter().map(|r| (r.device_text.as_str(), r.ip_text.as_str())).collect();
    assert_eq!(read, vec![KNOWN], "{:?}", t.unreadable);
    assert_eq!(t.unreadable.len(), 1, "the device without a date-time: one we cannot read");
}

/// A Trusted Devices row expanded (KuCoin's `KuxTable-expandedRow` under it)
/// to the addresses the device used, here `ips` (area(IP), time).
fn expanded_row(ips: &[(&str, &str)]) -> String {
    let mut s = String::from("<tr class=\"KuxTable-expandedRow css-0km01bm\"><td class=\"KuxTable-cell css-0sc9qv8\" colspan=\"4\"><ul class=\"css-1dwuddu\">");
    for (ip, time) in ips {
        s.push_str(&format!("<li class=\"css-1gnrxth\"><span class=\"css-0povdf9\">{ip}</span><span class=\"css-1atmk1b\">{time}</span></li>"));
    }
    s.push_str("</ul></td></tr>");
    s
}

/// Most devices are used from one address: every row expanded then lists one
/// (area(IP), time) each. Those sub-rows pair with one another and were
/// grouped with the list's rows, each "a row we cannot read (no device)":
/// three devices read as six rows and the list "can't verify". They are
/// their device's, as an expanded row listing two addresses always was.
#[test]
fn devices_expanded_to_one_address_each_are_one_row_each() {
    const DEVICES: [(&str, &str, &str); 3] = [
        ("Windows 10 Chrome", "Singapore(203.0.113.41)", "7/12/2025, 18:02:44"),
        ("Linux Firefox", "Lagos(198.51.100.77)", "7/14/2025, 03:48:12"),
        ("macOS Safari", "Amsterdam(192.0.2.8)", "6/30/2025, 10:00:00"),
    ];
    let devices = DEVICES;
    // each with its own address; then one listing an older one; then one listing two
    let shapes: [&dyn Fn(usize) -> Vec<(&'static str, &'static str)>; 3] = [
        &|i| vec![(DEVICES[i].1, DEVICES[i].2)],
        &|i| if i == 1 { vec![("Lagos(198.51.100.99)", "6/1/2025, 10:00:00")] } else { vec![(DEVICES[i].1, DEVICES[i].2)] },
        &|i| if i == 0 { vec![(DEVICES[i].1, DEVICES[i].2), ("Tokyo(198.51.100.5)", "6/13/2025, 16:20:31")] } else { vec![(DEVICES[i].1, DEVICES[i].2)] },
    ];
    for (n, shape) in shapes.iter().enumerate() {
        let mut rows = String::new();
        for (i, (d, ip, time)) in devices.iter().enumerate() {
            rows.push_str(&device_row(d, ip, time));
            rows.push_str(&expanded_row(&shape(i)));
        }
        let html = page(0, Some(&rows));
        let ex = extract::extract(&snap(&html, "d"));
        let t = ex.table(TableKind::TrustedDevices).unwrap();
        let got: Vec<(&str, String)> = t.records.iter().map(|r| (r.device_text.as_str(), r.ip.as_ref().unwrap().ip.to_string())).collect();
        assert_eq!(
            got,
            [("Windows 10 Chrome", "203.0.113.41".to_string()), ("Linux Firefox", "198.51.100.77".to_string()), ("macOS Safari", "192.0.2.8".to_string())],
            "shape {n}"
        );
        assert!(t.unreadable.is_empty(), "shape {n}: {:?}", t.unreadable);
        assert!(ex.problems.is_empty(), "shape {n}: {:?}", ex.problems);
        let mut st = State::default();
        scan(&mut st, &html, "d", NOW);
        let s = &st.scan.as_ref().unwrap().summary;
        assert_eq!((s.readable, s.unreadable_rows, s.trusted_by_kucoin_not_you), (true, 0, 3), "shape {n}: {:?}", s.problems);
    }
}

/// A Trusted Devices row we cannot read (an address KuCoin masked) may be a
/// device KuCoin trusts that the user does not know: as with a page of the
/// list not read, the summary never says "all familiar" over it, but how
/// many rows could not be read.
#[test]
fn a_trusted_devices_row_we_cannot_read_is_never_all_familiar() {
    let close = "</tbody></table></div></div></section>";
    let html = page(0, None).replace(close, &format!("{}{close}", device_row("Linux Firefox", "Lagos(198.51.*.*)", "7/14/2025, 03:48:12")));
    let ex = extract::extract(&snap(&html, "d"));
    assert_eq!(ex.table(TableKind::TrustedDevices).unwrap().unreadable.len(), 1);
    let mut st = trusting();
    let out = scan(&mut st, &html, "d1", NOW);
    let w = summary(&out);
    assert!(!w.title.contains("all familiar"), "{}", w.title);
    assert!(w.title.contains("1 Trusted Devices row could not be read"), "{}", w.title);
    assert_eq!(w.tone, Tone::Warn);
    assert_ne!(popup::model(&st, NOW).headline, Headline::Protected);
}

#[test]
fn a_trusted_devices_page_read_with_a_row_we_cannot_read_is_not_checked_until_read_again_whole() {
    let mut st = trusting();
    let mut t = NOW;
    // Page 2: a device the user knows, and a row whose IP can't be read.
    let known = device_row(KNOWN.0, KNOWN.1, "6/30/2025, 10:00:00");
    let unreadable = device_row("Linux Firefox", "Lagos(198.51.*.*)", "7/14/2025, 03:48:12");
    scan(&mut st, &page(1, None), "d1", t);
    t += 1000;
    scan(&mut st, &page(2, Some(&format!("{known}{unreadable}"))), "d1", t);
    t += 1000;
    let out = scan(&mut st, &page(1, None), "d1", t);
    let line = "1 Trusted Devices row could not be read (Trusted Devices page 2)";
    let w = summary(&out);
    assert!(!w.items.iter().any(|i| i == ALL_2), "{:?}", w.items);
    assert!(w.items.iter().any(|i| i == line), "{:?}", w.items);
    assert!(!w.title.contains("all familiar"), "{}", w.title);
    assert_eq!(w.tone, Tone::Warn);
    let m = popup::model(&st, t);
    assert_ne!(m.headline, Headline::Protected);
    assert!(m.pages.contains(&(TableKind::TrustedDevices, line.to_string())), "{:?}", m.pages);
    assert!(!m.pages.iter().any(|(_, n)| n == ALL_2), "{:?}", m.pages);
    // Page 2 read again whole: every page checked.
    t += 1000;
    scan(&mut st, &page_2(&[KNOWN]), "d1", t);
    t += 1000;
    let out = scan(&mut st, &page(1, None), "d1", t);
    assert!(summary(&out).items.iter().any(|i| i == ALL_2), "{:?}", summary(&out).items);
    let m = popup::model(&st, t);
    assert_eq!((m.headline, m.pages.clone()), (Headline::Protected, vec![(TableKind::TrustedDevices, ALL_2.to_string())]));
}
