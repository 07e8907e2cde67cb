//! Hostile pages on the host: the spoofing and injection replicas
//! (tests/fixtures/kucoin/security-en-{spoof-*,inject,clobber}.html) through
//! the whole scan. The core fails closed: rows the user cannot see or that
//! repeat others are never familiar, two candidate lists mean "can't verify",
//! a false Current is warned about, page text stays text.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_scan, ReportRow};
use session_guard::assess::Verdict;
use session_guard::device::parse_kucoin_device;
use session_guard::extract::{extract, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Kind, Tone};
use session_guard::snapshot::Snapshot;
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;
/// This browser: Chrome on Linux, like the replica's Current row.
const LINUX_CHROME_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

fn fixture(name: &str) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/");
    std::fs::read_to_string(format!("{p}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The snapshot the browser would send: the host parser plus what layout
/// reveals (the replica.css spoof classes) and this browser's identity.
fn browser_snap(name: &str) -> Snapshot {
    let mut s = snapshot_from_html(&fixture(name), SECURITY);
    s.env.ua = LINUX_CHROME_UA.into();
    let class_of = |s: &Snapshot, i: usize| s.nodes[i].attr("class").unwrap_or("").to_string();
    let parents: std::collections::HashMap<u32, usize> = s.nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    for i in 0..s.nodes.len() {
        let c = class_of(&s, i);
        if c.contains("sg-spoof-hidden") {
            s.nodes[i].hidden = true; // display:none: checkVisibility()
        }
        if c.contains("sg-spoof-zero") {
            s.nodes[i].hidden = true; // 0×0 text-bearing cell
        }
    }
    // Off-screen row: the row box is "visible", its text-bearing cells are not.
    for i in 0..s.nodes.len() {
        let n = &s.nodes[i];
        if n.is_text() {
            continue;
        }
        let mut p = parents.get(&n.parent).copied();
        let mut off = false;
        while let Some(pi) = p {
            if class_of(&s, pi).contains("sg-spoof-offscreen") {
                off = true;
                break;
            }
            p = parents.get(&s.nodes[pi].parent).copied();
        }
        let has_text = s.nodes.iter().any(|c| c.parent == n.id && c.is_text());
        if off && has_text {
            s.nodes[i].hidden = true;
        }
    }
    s
}

/// A user who already trusts their Windows laptop and this browser.
fn trusting_state() -> State {
    let mut st = State::default();
    let ip = "203.0.113.41".parse().unwrap();
    st.trust.trust(&parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&ip), Some("Singapore"), 1, false);
    let ip = "203.0.113.24".parse().unwrap();
    st.trust.trust(&parse_kucoin_device("Linux Chrome"), "This browser", Some(&ip), Some("Singapore"), 1, true);
    st
}

fn row_values(out: &session_guard::app::Outcome) -> Vec<(u32, String)> {
    out.plan.marks.iter().filter(|m| m.attr == "data-session-guard").map(|m| (m.id, m.value.clone())).collect()
}

#[test]
fn hidden_and_duplicated_rows_are_never_familiar() {
    let snap = browser_snap("security-en-spoof-rows.html");
    let ex = extract(&snap);
    let logins = ex.table(TableKind::RecentLogins).expect("Recent Logins");
    assert_eq!(logins.records.len(), 10, "{:?}", logins.unreadable);
    let windows: Vec<_> = logins.records.iter().filter(|r| r.device_text == "Windows 10 Chrome").collect();
    assert_eq!(windows.len(), 5, "the original, a duplicate, hidden, off-screen, zero-size");
    assert_eq!(windows.iter().filter(|r| r.hidden).count(), 3, "display:none, off-screen and 0×0 rows are hidden");

    let mut st = trusting_state();
    let trust_before = st.trust.clone();
    let out = handle_scan(&snap, &mut st, NOW);
    let scan = st.scan.as_ref().unwrap();
    let windows_rows: Vec<_> = scan.rows.iter().filter(|r| r.table == TableKind::RecentLogins && r.describe.contains("Windows")).collect();
    assert_eq!(windows_rows.len(), 5);
    assert_eq!(windows_rows.iter().filter(|r| r.verdict == Verdict::Familiar).count(), 1, "only the visible original is familiar: {windows_rows:#?}");
    assert_eq!(windows_rows.iter().filter(|r| r.reason.starts_with("Hidden row")).count(), 3);
    assert_eq!(windows_rows.iter().filter(|r| r.reason.starts_with("Duplicated row")).count(), 1);
    // The hidden "Current" Linux Chrome row is not this browser and teaches nothing.
    let currents = row_values(&out).iter().filter(|(_, v)| v == "current").count();
    assert_eq!(currents, 2, "the visible Current row and the Trusted Devices chip");
    assert_eq!(st.trust.devices.len(), trust_before.devices.len());
    assert!(st.trust.suspects.is_empty());
    assert!(scan.summary.unfamiliar >= 5, "{:?}", scan.summary);
}

#[test]
fn a_row_outside_the_lists_is_never_trusted() {
    let snap = browser_snap("security-en-spoof-outside.html");
    let mut st = trusting_state();
    let out = handle_scan(&snap, &mut st, NOW);
    let summary = &st.scan.as_ref().unwrap().summary;
    // Either a second session list (can't verify) or an unclassified one: never "all good".
    assert!(!summary.readable || !summary.problems.is_empty(), "{summary:?}");
    let ex = extract(&snap);
    let outside_ids: Vec<u32> = ex
        .tables
        .iter()
        .flat_map(|t| t.records.iter().map(|r| r.row).chain(t.unreadable.iter().map(|u| u.row)))
        .filter(|id| snap.nodes.iter().any(|n| n.id == *id && n.attr("class").is_some_and(|c| c.contains("css-") && n.tag == "div")))
        .collect();
    for (id, v) in row_values(&out) {
        if outside_ids.contains(&id) {
            assert_eq!(v, "unfamiliar", "outside row {id}");
        }
    }
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    assert_ne!(bar.tone, Tone::Ok, "{bar:?}");
}

#[test]
fn a_second_recent_logins_list_means_cant_verify() {
    let snap = browser_snap("security-en-spoof-tables.html");
    let mut st = trusting_state();
    let out = handle_scan(&snap, &mut st, NOW);
    let summary = &st.scan.as_ref().unwrap().summary;
    assert!(!summary.readable);
    assert!(summary.problems.iter().any(|p| p.contains("Two Recent Logins lists")), "{:?}", summary.problems);
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    assert!(bar.title.contains("can't verify"), "{}", bar.title);
    // Neither list's rows get a verdict while it is unknown which one is real.
    let logins = extract(&snap).table(TableKind::RecentLogins).unwrap().clone();
    assert!(logins.records.is_empty());
    assert_eq!(logins.unreadable.len(), 9, "4 fake + 5 real rows");
    let marked: Vec<u32> = row_values(&out).iter().map(|(id, _)| *id).collect();
    assert!(logins.unreadable.iter().all(|u| !marked.contains(&u.row)), "{marked:?}");
    assert_eq!(session_guard::app::badge(&st, NOW).text, "?");
}

#[test]
fn a_current_row_that_is_not_this_browser_is_warned_and_not_learned() {
    let snap = browser_snap("security-en-spoof-current.html");
    let mut st = State::default();
    let out = handle_scan(&snap, &mut st, NOW);
    let scan = st.scan.as_ref().unwrap();
    assert!(scan.summary.current_mismatch);
    let row = scan.rows.iter().find(|r| r.table == TableKind::RecentLogins && r.describe.contains("Edge")).unwrap();
    assert_eq!(row.verdict, Verdict::Unfamiliar);
    assert!(row.reason.contains("does not look like this browser"), "{}", row.reason);
    assert!(st.trust.devices.iter().all(|d| !d.fingerprint.contains("edge")), "{:?}", st.trust.devices);
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").unwrap();
    assert_eq!(bar.tone, Tone::Danger);
}

#[test]
fn injected_markup_stays_literal_text() {
    let snap = browser_snap("security-en-inject.html");
    let ex = extract(&snap);
    let logins = ex.table(TableKind::RecentLogins).unwrap();
    assert!(logins.unreadable.is_empty(), "{:?}", logins.unreadable);
    assert_eq!(logins.records.len(), 5);
    let dev = &logins.records[1].device_text;
    assert!(dev.contains("<img src=x onerror=\"window.__sgCanary='img'\">") && dev.contains("<svg onload="), "{dev}");
    assert_eq!(logins.records[2].ip.as_ref().unwrap().area.as_deref(), Some("<script>window.__sgCanary='script'</script>"));
    assert!(logins.records[3].device_text.contains('\u{202e}'));
    // The plan carries the strings as plain text (the content script sets textContent).
    let mut st = State::default();
    let out = handle_scan(&snap, &mut st, NOW);
    let texts: String = out.plan.widgets.iter().map(|w| format!("{} {} {}", w.title, w.text, w.items.join(" "))).collect();
    assert!(texts.contains("<img src=x onerror="), "{texts}");
    // (the banner's own buttons only: "Got it" and, KuCoin's pager being there, "Check the other pages")
    assert!(out.plan.widgets.iter().all(|w| w.kind != Kind::Banner || w.buttons.iter().all(|b| matches!(b.action.kind.as_str(), "dismiss_banner" | "check_all_pages"))));
    // Every row is still assessed: the strings are data, not structure.
    assert_eq!(row_values(&out).len(), 9);
}

#[test]
fn clobbering_elements_do_not_change_what_is_read() {
    let a = extract(&browser_snap("security-en-clobber.html"));
    let b = extract(&browser_snap("security-en.html"));
    assert_eq!(a.problems, b.problems);
    let rows = |e: &session_guard::extract::Extraction, k| e.table(k).map(|t| t.records.iter().map(|r| (r.ip_text.clone(), r.device_text.clone(), r.status)).collect::<Vec<_>>());
    for k in [TableKind::RecentLogins, TableKind::TrustedDevices, TableKind::SecurityLogs] {
        assert_eq!(rows(&a, k), rows(&b, k));
    }
}

#[test]
fn a_100_kb_device_name_is_clipped_shown_in_full_as_tooltip_and_can_be_marked_not_me() {
    let mut snap = browser_snap("security-en.html");
    let huge = format!("Linux Firefox {}", "\u{202e}W".repeat(50_000));
    let n = snap.nodes.iter_mut().find(|n| n.is_text() && n.text == "Linux Firefox").unwrap();
    n.text = huge.clone();
    let mut st = State::default();
    let out = handle_scan(&snap, &mut st, NOW);
    let w = out.plan.widgets.iter().find(|w| w.text.contains("device as shown")).expect("reason with the device as shown");
    assert!(w.text.chars().count() < 11_000, "bounded: {}", w.text.chars().count());
    // (its right-to-left overrides dropped: they would reorder the sentence around it)
    let far: String = huge.chars().filter(|&c| c != '\u{202e}').take(5000).collect();
    assert!(w.text.contains(&far), "the tooltip text holds the device name far beyond what is shown inline");
    assert!(!w.text.contains('\u{202e}'));
    let not_me = w.buttons.iter().find(|b| b.action.kind == "not_me").expect("Not me");
    assert!(not_me.action.device_text.len() <= 2000);
    let res = session_guard::app::handle_action(&not_me.action, &mut st, NOW + 1);
    assert!(res.is_ok(), "{res:?}");
    assert_eq!(st.trust.suspects.len(), 1);
}

/// `html` as the Japanese security page, read by a browser whose User-Agent is `ua`.
fn ja_page(html: &str, ua: &str) -> Snapshot {
    let mut snap = snapshot_from_html(html, "https://www.kucoin.com/ja/account/security");
    snap.env.ua = ua.into();
    snap
}

/// `snap` scanned with nothing stored: the report's Recent Logins rows of
/// the Lagos address and of this browser's (Singapore) address, and the state.
fn lagos_and_mine(snap: &Snapshot) -> (ReportRow, ReportRow, State) {
    let mut st = State::default();
    handle_scan(snap, &mut st, NOW);
    let scan = st.scan.as_ref().unwrap();
    let row = |ip: &str| scan.rows.iter().find(|r| r.table == TableKind::RecentLogins && r.ip == ip).unwrap().clone();
    (row("198.51.100.77"), row("203.0.113.24"), st)
}

/// The Japanese replica with the Lagos row (Online, one word with Current in
/// Japanese) made the newest and its device cell `device`.
fn ja_with_newest_lagos(device: &str) -> String {
    let html = fixture("security-ja.html");
    let row = html.find("ラゴス(198.51.100.77)").unwrap();
    let (head, tail) = html.split_at(row);
    let tail = tail.replacen("Linux Firefox", device, 1).replacen("2025/7/14 3:48:12", "2025/7/14 10:48:12", 1);
    format!("{head}{tail}")
}

/// In Japanese (and Dutch) Current and Online are one word: a row is taken for
/// the current session from it only when its device text names a browser. The
/// device text is the attacker's client's to choose: naming no browser ("Linux",
/// "現在", "オンライン") must not make their newer row pass for this browser's.
#[test]
fn an_ambiguous_current_word_needs_a_browser_named_in_the_row() {
    for device in ["Linux", "現在", "オンライン", "Linux オンライン"] {
        for with_ua in [true, false] {
            let mut snap = snapshot_from_html(&ja_with_newest_lagos(device), "https://www.kucoin.com/ja/account/security");
            if with_ua {
                snap.env.ua = LINUX_CHROME_UA.into();
            }
            let ex = extract(&snap);
            let t = ex.table(TableKind::RecentLogins).expect("Recent Logins");
            let lagos = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "198.51.100.77")).expect("the Lagos row");
            assert_ne!(lagos.status, Some(session_guard::extract::Status::Current), "{device:?} (ua {with_ua}): {:?}", lagos.device);
            let mine = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "203.0.113.24")).expect("this browser's row");
            assert_eq!(mine.status, Some(session_guard::extract::Status::Current), "{device:?} (ua {with_ua})");
            if with_ua {
                let mut st = State::default();
                handle_scan(&snap, &mut st, NOW);
                let scan = st.scan.as_ref().unwrap();
                let v = scan.rows.iter().find(|r| r.table == TableKind::RecentLogins && r.ip == "198.51.100.77").unwrap();
                assert_eq!(v.verdict, Verdict::Unfamiliar, "{device:?}: {}", v.reason);
                assert!(!st.trust.devices.iter().any(|d| d.networks.iter().any(|n| n.contains("198.51.100"))), "{device:?}: {:?}", st.trust.devices);
            }
        }
    }
    // A row naming this browser still is Current by the ambiguous word.
    let snap = ja_page(&ja_with_newest_lagos("Linux Chrome"), LINUX_CHROME_UA);
    let ex = extract(&snap);
    let t = ex.table(TableKind::RecentLogins).unwrap();
    let lagos = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "198.51.100.77")).unwrap();
    assert_eq!(lagos.status, Some(session_guard::extract::Status::Current));
}

/// ua-parser-js names a HeadlessChrome/ client "Chrome Headless" (an attacker's
/// script, the usual reason for one to sign in): its newer row, under the word
/// Japanese shares for Current and Online, is neither this browser nor trusted.
#[test]
fn an_ambiguous_current_word_is_not_taken_by_a_chrome_headless_row() {
    for device in ["Linux Chrome Headless", "Linux Chromium Headless", "Linux Chrome Headless 156.0.7339.207"] {
        let (v, mine, st) = lagos_and_mine(&ja_page(&ja_with_newest_lagos(device), LINUX_CHROME_UA));
        assert_eq!(v.verdict, Verdict::Unfamiliar, "{device:?}: {}", v.reason);
        assert_eq!(mine.verdict, Verdict::Current, "{device:?}");
        assert!(!st.trust.devices.iter().any(|d| d.networks.iter().any(|n| n.contains("198.51.100"))), "{device:?}: {:?}", st.trust.devices);
    }
}

/// A device name with right-to-left overrides, quoted in our sentences: its
/// controls dropped, the name isolated (FSI … PDI), so it cannot reorder them.
#[test]
fn a_device_name_with_bidi_overrides_is_isolated_in_sentences() {
    let mut snap = browser_snap("security-en.html");
    let name = "\u{202e}xoferiF\u{202c} \u{2067}xuniL";
    for n in snap.nodes.iter_mut().filter(|n| n.is_text() && n.text == "Linux Firefox") {
        n.text = name.into();
    }
    let mut st = State::default();
    let out = handle_scan(&snap, &mut st, NOW);
    let scan = st.scan.as_ref().unwrap();
    let row = scan.rows.iter().find(|r| r.table == TableKind::RecentLogins && r.ip == "198.51.100.77").unwrap();
    assert!(row.reason.contains("\"\u{2068}xoferiF xuniL\u{2069}\""), "{:?}", row.reason);
    let mut texts: Vec<&str> = out.plan.widgets.iter().map(|w| w.text.as_str()).collect();
    texts.extend(scan.rows.iter().map(|r| r.reason.as_str()));
    for t in texts {
        assert!(!t.chars().any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2067}')), "a bidi control of the page in {t:?}");
        // our left-to-right isolates (LRI) hold an IP address and nothing else
        for after in t.split('\u{2066}').skip(1) {
            let ip = &after[..after.find('\u{2069}').expect("LRI closed")];
            assert!(!ip.is_empty() && ip.parse::<std::net::IpAddr>().is_ok(), "LRI around {ip:?} in {t:?}");
        }
        let (open, close) = (t.matches(['\u{2066}', '\u{2068}']).count(), t.matches('\u{2069}').count());
        assert_eq!(open, close, "isolates paired in {t:?}");
    }
}

/// `name` for the Lagos device (Linux Firefox) in both lists of a replica.
fn lagos_named(page: &str, name: &str) -> Snapshot {
    let mut s = snapshot_from_html(&fixture(page).replace("Linux Firefox", name), SECURITY);
    s.env.ua = LINUX_CHROME_UA.into();
    s
}

/// A device name is the signing-in client's to choose; one that reads as a
/// date-time ("7/14/2025, 09:21:37", "2025-07-14 09:21:37") gives its row a
/// second date-time. That row is read (by the header's cells) or can't be
/// verified, in every layout; never left out, the list then "all familiar".
#[test]
fn a_device_named_like_a_date_time_is_never_left_out() {
    for page in ["security-en.html", "security-en-grid.html", "security-en-native.html", "security-en-cards.html"] {
        for name in ["7/14/2025, 09:21:37", "2025-07-14 09:21:37", "Time: 7/14/2025, 09:21:37"] {
            let snap = lagos_named(page, name);
            let ex = extract(&snap);
            for (kind, rows) in [(TableKind::RecentLogins, 5), (TableKind::TrustedDevices, 4)] {
                let t = ex.table(kind).unwrap_or_else(|| panic!("{page} {name:?}: {kind:?}"));
                assert_eq!(t.records.len() + t.unreadable.len(), rows, "{page} {name:?} {kind:?}: {:?}", t.unreadable);
                let lagos = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "198.51.100.77"));
                // (the layouts with a header row read it: its own time, the name as shown)
                if !page.contains("cards") && !name.starts_with("Time") {
                    let r = lagos.unwrap_or_else(|| panic!("{page} {name:?} {kind:?}: {:?}", t.unreadable));
                    assert_eq!((r.device_text.as_str(), r.time_ms), (name, Some(1_752_464_892_000)), "{page} {kind:?}");
                }
            }
            // A user who trusts every device the page showed before: not "all familiar".
            let mut st = trusting_state();
            st.trust.trust(&parse_kucoin_device("Linux Firefox"), "Old laptop", Some(&"198.51.100.77".parse().unwrap()), Some("Lagos"), 1, false);
            st.trust.trust(&parse_kucoin_device("iOS 17.5 iPhone"), "Phone", Some(&"2001:db8:85a3::8a2e:370:7334".parse().unwrap()), Some("Singapore"), 1, false);
            st.trust.trust(&parse_kucoin_device("Android 14 KuCoin App"), "Tablet", Some(&"192.0.2.146".parse().unwrap()), Some("Frankfurt"), 1, false);
            let out = handle_scan(&snap, &mut st, NOW);
            let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
            assert_ne!(bar.tone, Tone::Ok, "{page} {name:?}: {}", bar.title);
        }
    }
}

/// React writes `{system} {device}` as texts of one element ("Linux" "Current"):
/// a device whose name part is a status word, inside a wrapper of the cell or the
/// card field (or with no labels at all, in a language we do not know), is that
/// name, not KuCoin's "Current" chip: their trusted device is never "This browser".
#[test]
fn a_status_word_in_a_device_name_is_no_current_chip() {
    let wrapped = |html: String| {
        html.replace(
            "<span class=\"css-0niqyd2 icon\" data-icon=\"kucoin web\"></span>Linux<!-- --> <!-- -->",
            "<div class=\"css-0name\"><span class=\"css-0niqyd2 icon\" data-icon=\"kucoin web\"></span>Linux<!-- --> <!-- -->",
        )
        .replace("<!-- --> <!-- -->Current</td>", "<!-- --> <!-- -->Current</div></td>")
        .replace("<!-- --> <!-- -->Online</td>", "<!-- --> <!-- -->Online</div></td>")
    };
    // an unknown language: no label read, the rows read by their shape (ISO dates: no order to guess)
    let unknown = |html: String| {
        let mut h = html.replace("<html lang=\"en\"", "<html lang=\"kk\"");
        for (a, b) in [
            (">Login IP<", ">Кіру IP<"), (">Login Device<", ">Кіру құрылғысы<"), (">Time<", ">Уақыт<"), (">Status<", ">Күйі<"),
            (">Trusted Device<", ">Сенімді құрылғы<"), (">Recent Activity<", ">Соңғы белсенділік<"), (">Remove Device<", ">Құрылғыны жою<"),
            (">Current<", ">Ағымдағы<"), (">Online<", ">Желіде<"), (">Offline<", ">Желіден тыс<"), (">Remove<", ">Жою<"),
            ("7/14/2025, 03:48:12", "2025-07-14 03:48:12"), ("7/14/2025, 09:21:37", "2025-07-14 09:21:37"),
            ("7/12/2025, 18:02:44", "2025-07-12 18:02:44"), ("7/13/2025, 22:10:05", "2025-07-13 22:10:05"), ("7/11/2025, 00:15:09", "2025-07-11 00:15:09"),
        ] {
            h = h.replace(a, b);
        }
        h
    };
    for word in ["Current", "Online"] {
        let name = format!("Linux<!-- --> <!-- -->{word}");
        let named = |en: String| {
            let at = en.find("Trusted Devices and IP Addresses").unwrap();
            format!("{}{}", &en[..at], en[at..].replacen("Linux Firefox", &name, 1))
        };
        let table = named(fixture("security-en.html"));
        let cards = fixture("security-en-cards.html");
        let at = cards.find("Trusted Devices and IP Addresses").unwrap();
        for (what, html, url) in [
            ("table cell wrapper", wrapped(table.clone()), SECURITY),
            ("card field", format!("{}{}", &cards[..at], cards[at..].replacen("Linux Firefox", &name, 1)), SECURITY),
            ("unknown language", named(unknown(fixture("security-en.html"))), "https://www.kucoin.com/kk/account/security"),
        ] {
            let mut snap = snapshot_from_html(&html, url);
            snap.env.ua = LINUX_CHROME_UA.into();
            let ex = extract(&snap);
            let t = ex.table(TableKind::TrustedDevices).unwrap_or_else(|| panic!("{word} {what}: {:?}", ex.problems));
            let lagos = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "198.51.100.77"));
            let lagos = lagos.unwrap_or_else(|| panic!("{word} {what}: {:?}", t.unreadable));
            assert_eq!((lagos.status, lagos.device_text.as_str()), (None, format!("Linux {word}").as_str()), "{word} {what}");
            let mut st = State::default();
            handle_scan(&snap, &mut st, NOW);
            let v = st.scan.as_ref().unwrap().rows.iter().find(|r| r.table == TableKind::TrustedDevices && r.ip == "198.51.100.77").unwrap();
            assert_eq!(v.verdict, Verdict::Unfamiliar, "{word} {what}: {}", v.reason);
        }
    }
}

/// Trusted Devices shows a status only as a chip: in a column whose header we
/// cannot name (a new "Location" column), a cell whose whole text is a status
/// word (an area) marks no row Current (which the Log-out-all run would skip).
#[test]
fn a_status_word_as_a_whole_cell_of_an_unnamed_trusted_devices_column_is_no_chip() {
    let en = fixture("security-en.html");
    let at = en.find("Trusted Devices and IP Addresses</h2>").unwrap();
    let (head, td) = en.split_at(at);
    const TH: &str = "<th class=\"KuxTable-headCell css-0mpjbdu\">Login IP</th>";
    let td = td.replacen(TH, &format!("<th class=\"KuxTable-headCell css-0mpjbdu\">Location</th>{TH}"), 1);
    let mut out = String::new();
    let mut rest = td.as_str();
    // "<td …>Lagos(198.51.100.77)</td>" → "<td …>Lagos</td><td …>198.51.100.77</td>" (the Lagos area: "Online")
    const TD: &str = "<td class=\"KuxTable-cell css-0nthq5q\">";
    while let Some(i) = rest.find(TD) {
        let cell = &rest[i + TD.len()..];
        let end = cell.find("</td>").unwrap();
        let text = &cell[..end];
        out.push_str(&rest[..i]);
        match (text.find('('), text.ends_with(')') && !text.contains('<')) {
            (Some(o), true) => {
                let area = if &text[..o] == "Lagos" { "Online" } else { &text[..o] };
                out.push_str(&format!("{TD}{area}</td>{TD}{}</td>", &text[o + 1..text.len() - 1]));
            }
            _ => out.push_str(&format!("{TD}{text}</td>")),
        }
        rest = &cell[end + 5..];
    }
    out.push_str(rest);
    let mut snap = snapshot_from_html(&format!("{head}{out}"), SECURITY);
    snap.env.ua = LINUX_CHROME_UA.into();
    let ex = extract(&snap);
    let t = ex.table(TableKind::TrustedDevices).expect("Trusted Devices");
    assert!(t.unreadable.is_empty(), "{:?}", t.unreadable);
    let lagos = t.records.iter().find(|r| r.ip.as_ref().is_some_and(|i| i.ip.to_string() == "198.51.100.77")).expect("Lagos row");
    assert_eq!(lagos.status, None, "{lagos:?}");
}

/// This browser's User-Agent read only in part (Firefox on FreeBSD: no OS we
/// name) cannot vouch for an OS: under the word Japanese shares for Current and
/// Online, a newer "Windows 10 Firefox" row is not taken for this browser's;
/// its own "FreeBSD Firefox" row is.
#[test]
fn an_ambiguous_current_word_is_not_taken_by_a_row_naming_an_os_this_browser_cannot_tell() {
    const FREEBSD_FIREFOX_UA: &str = "Mozilla/5.0 (X11; FreeBSD amd64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let html = ja_with_newest_lagos("Windows 10 Firefox").replacen("</span>Linux Chrome</td>", "</span>FreeBSD Firefox</td>", 1);
    let (v, mine, st) = lagos_and_mine(&ja_page(&html, FREEBSD_FIREFOX_UA));
    assert_eq!(v.verdict, Verdict::Unfamiliar, "{}", v.reason);
    assert_eq!(mine.verdict, Verdict::Current, "{}", mine.reason);
    assert!(!st.trust.devices.iter().any(|d| d.networks.iter().any(|n| n.contains("198.51.100"))), "{:?}", st.trust.devices);
}

/// Under the word Japanese shares for Current and Online, a phone browser's
/// row names no browser (KuCoin lists "iOS 18.3 iPhone", as for the app), so
/// no row can be confirmed as this browser: the page says so (a problem: not
/// "all familiar"), and no row is taken for it.
#[test]
fn no_row_confirmed_as_this_browser_under_the_ambiguous_word_is_said() {
    const IPHONE_SAFARI_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Mobile/15E148 Safari/604.1";
    let said = session_guard::i18n::t("problem_current_unconfirmed", &[]);
    let html = ja_with_newest_lagos("Windows 10 Chrome").replacen("</span>Linux Chrome</td>", "</span>iOS 18.3 iPhone</td>", 1);
    let snap = ja_page(&html, IPHONE_SAFARI_UA);
    let ex = extract(&snap);
    assert!(ex.problems.contains(&said), "{:?}", ex.problems);
    assert!(!ex.table(TableKind::RecentLogins).unwrap().records.iter().any(|r| r.status == Some(session_guard::extract::Status::Current)));
    let mut st = State::default();
    handle_scan(&snap, &mut st, NOW);
    assert!(st.scan.as_ref().unwrap().summary.problems.contains(&said));
    // A row that is this browser's: nothing to say.
    let snap = ja_page(&ja_with_newest_lagos("Windows 10 Chrome"), LINUX_CHROME_UA);
    assert!(!extract(&snap).problems.contains(&said));
}
