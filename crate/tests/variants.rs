//! Plausible variants of KuCoin's security page that the replicas do not
//! have, as small edits of tests/fixtures/kucoin/security-*.html: masked
//! addresses, relative and partial times, other Login IP cell shapes, a
//! status shown as an icon, rows with nothing we read. Every row is read
//! right or reported unreadable with the text we could not read; never a
//! wrong reading, never a dropped row, never "all good".
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::handle_scan;
use session_guard::extract::{extract, Extraction, Status, TableKind, Unreadable};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";
const TD: &str = "<td class=\"KuxTable-cell css-0nthq5q\">";

/// A replica page with each `(old, new)` applied to the first `old` (after
/// `TD`, the opening of a table cell, when `old` starts with '>'), or to every
/// one when `old` starts with '*'.
fn edited(page: &str, edits: &[(&str, &str)]) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/");
    let mut html = std::fs::read_to_string(format!("{p}{page}")).unwrap_or_else(|e| panic!("{page}: {e}"));
    for &(old, new) in edits {
        let (old, new, all) = match (old.strip_prefix('>'), old.strip_prefix('*')) {
            (Some(o), _) => (format!("{TD}{o}"), format!("{TD}{new}"), false),
            (_, Some(o)) => (o.to_string(), new.to_string(), true),
            _ => (old.to_string(), new.to_string(), false),
        };
        assert!(html.contains(&old), "{page}: no {old:?}");
        html = if all { html.replace(&old, &new) } else { html.replacen(&old, &new, 1) };
    }
    html
}

fn read(html: &str, url: &str) -> Extraction {
    extract(&snapshot_from_html(html, url))
}

/// Recent Logins: (ip, time ms, status) of the rows read, and the reasons of the rows not read.
fn logins(e: &Extraction) -> (Vec<(String, Option<i64>, Option<Status>)>, Vec<String>) {
    let t = e.table(TableKind::RecentLogins).unwrap_or_else(|| panic!("no Recent Logins: {:?}", e.problems));
    let rows = t.records.iter().map(|r| (r.ip.as_ref().unwrap().ip.to_string(), r.time_ms, r.status)).collect();
    (rows, reasons(&t.unreadable))
}

fn reasons(u: &[Unreadable]) -> Vec<String> {
    u.iter().map(|u| u.reason.clone()).collect()
}

/// The summary a scan of the page gives: (readable, unreadable rows).
fn scan(html: &str) -> (bool, u32) {
    let mut state = State::default();
    handle_scan(&snapshot_from_html(html, SECURITY), &mut state, 1_752_500_000_000);
    let s = &state.scan.as_ref().unwrap().summary;
    (s.readable, s.unreadable_rows)
}

#[test]
fn masked_addresses_are_cant_verify_and_say_what_the_cell_shows() {
    let html = edited(
        "security-en.html",
        &[(">Singapore(203.0.113.24)", "Singapore(203.0.*.*)"), (">Lagos(198.51.100.77)", "Lagos(198.51.***.77)"), (">Singapore(2001:db8:85a3::8a2e:370:7334)", "Singapore(2001:db8:****::1)")],
    );
    let (rows, why) = logins(&read(&html, SECURITY));
    assert_eq!(rows.len(), 2, "only the two unmasked rows are read: {rows:?}");
    assert_eq!(
        why,
        ["unreadable Login IP \"Singapore(203.0.*.*)\"", "unreadable Login IP \"Lagos(198.51.***.77)\"", "unreadable Login IP \"Singapore(2001:db8:****::1)\""]
    );
    assert_eq!(scan(&html), (false, 3));
}

#[test]
fn a_row_with_a_masked_address_and_a_relative_time_is_not_dropped() {
    // Neither an address nor a date-time we read: before, no row was found there at all.
    let html = edited("security-en.html", &[(">Singapore(203.0.113.24)", "Singapore(203.0.*.*)"), (">7/14/2025, 09:21:37", "Just now")]);
    let (rows, why) = logins(&read(&html, SECURITY));
    assert_eq!(rows.len(), 4);
    assert_eq!(why, ["unreadable Login IP \"Singapore(203.0.*.*)\""]);
    assert_eq!(scan(&html), (false, 1));
}

#[test]
fn a_list_of_only_rows_we_cannot_read_is_those_rows_not_an_empty_list() {
    let mut html = edited("security-en.html", &[]);
    // only Recent Logins' tbody: up to the Trusted Devices section
    let cut = html.find("Trusted Devices and IP Addresses").unwrap();
    let (head, tail) = html.split_at(cut);
    let mut head = head.to_string();
    for (ip, masked) in [("(203.0.113.24)", "(203.0.*.*)"), ("(198.51.100.77)", "(198.51.*.*)"), ("(203.0.113.41)", "(203.0.*.*)"), ("(192.0.2.146)", "(192.0.*.*)"), ("(2001:db8:85a3::8a2e:370:7334)", "(2001:db8:****::1)")] {
        head = head.replace(ip, masked);
    }
    for t in ["7/14/2025, 09:21:37", "7/14/2025, 03:48:12", "7/13/2025, 22:10:05", "7/12/2025, 18:02:44", "7/11/2025, 00:15:09"] {
        head = head.replacen(t, "Just now", 1);
    }
    html = format!("{head}{tail}");
    let e = read(&html, SECURITY);
    assert!(e.problems.is_empty(), "not \"no rows yet\": {:?}", e.problems);
    let (rows, why) = logins(&e);
    assert!(rows.is_empty());
    assert_eq!(why.len(), 5, "{why:?}");
    assert!(why.iter().all(|w| w.starts_with("unreadable Login IP \"") && w.contains('*')), "{why:?}");
    assert!(!e.table(TableKind::RecentLogins).unwrap().empty);
    assert_eq!(scan(&html), (false, 5));
}

/// Trusted Devices with every device's Recent Activity "Just now" (the IPs
/// each device used still dated, in its hidden expanded row or under its
/// card): four devices we cannot read, as one such device beside dated ones
/// is, never the expanded rows taken for lists of their own ("Two Security
/// Logs lists") or for the devices. Table and card layouts.
#[test]
fn trusted_devices_with_no_time_read_are_devices_we_cannot_read() {
    for (page, cell) in [("security-en.html", TD), ("security-en-cards.html", "<span class=\"css-1tn4w31\">")] {
        let html = edited(page, &[]);
        let cut = html.find("Trusted Devices and IP Addresses").unwrap();
        let mut tail = html[cut..].to_string();
        for t in ["7/14/2025, 09:21:37", "7/12/2025, 18:02:44", "7/13/2025, 22:10:05", "7/14/2025, 03:48:12"] {
            let old = format!("{cell}{t}<");
            assert!(tail.contains(&old), "{page}: {t}");
            tail = tail.replacen(&old, &format!("{cell}Just now<"), 1);
        }
        let html = format!("{}{tail}", &html[..cut]);
        let e = read(&html, SECURITY);
        assert!(e.problems.is_empty(), "{page}: {:?}", e.problems);
        let t = e.table(TableKind::TrustedDevices).unwrap();
        assert!(t.records.is_empty(), "{page}: {:?}", t.records);
        assert_eq!(reasons(&t.unreadable), vec!["unreadable time \"Just now\" (language en)"; 4], "{page}");
        assert!(e.table(TableKind::SecurityLogs).is_none(), "{page}");
        assert_eq!(logins(&e).0.len(), 5, "{page}: Recent Logins still read");
        assert_eq!(scan(&html), (true, 4), "{page}");
    }
}

/// A time cell that repeats the row's own address under the date-time
/// (`<td>7/14/2025, 09:21:37<div>203.0.113.24</div></td>`): one row, read as
/// any other, not a list of two rows (the time taken for another address's
/// row's, "more than one Login IP"). In a table, an ARIA grid, and the same
/// in Trusted Devices.
#[test]
fn a_time_cell_repeating_the_rows_own_address_is_one_row() {
    const T: i64 = 1_752_484_897_000; // 2025-07-14 09:21:37 UTC
    let time = "7/14/2025, 09:21:37";
    let with_ip = format!("{time}<div>203.0.113.24</div>");
    for (page, cell, nth) in [
        ("security-en.html", TD, 0),
        ("security-en-grid.html", "<div class=\"css-0j7lshx\" role=\"cell\">", 0),
        ("security-en.html", TD, 1),
    ] {
        let mut html = edited(page, &[]);
        let old = format!("{cell}{time}<");
        let at = html.match_indices(&old).nth(nth).unwrap_or_else(|| panic!("{page}: {old}")).0 + cell.len();
        html.replace_range(at..at + time.len(), &with_ip);
        let e = read(&html, SECURITY);
        assert!(e.problems.is_empty(), "{page} {nth}: {:?}", e.problems);
        let (rows, why) = logins(&e);
        assert!(why.is_empty(), "{page} {nth}: {why:?}");
        assert_eq!(rows.len(), 5, "{page} {nth}");
        assert_eq!(rows[0], ("203.0.113.24".to_string(), Some(T), Some(Status::Current)), "{page} {nth}");
        let t = e.table(TableKind::TrustedDevices).unwrap();
        assert!(t.unreadable.is_empty(), "{page} {nth}: {:?}", t.unreadable);
        assert_eq!(t.records.len(), 4, "{page} {nth}");
        assert_eq!((t.records[0].ip_text.as_str(), t.records[0].time_ms), ("Singapore(203.0.113.24)", Some(T)), "{page} {nth}");
        assert_eq!(scan(&html), (true, 0), "{page} {nth}");
    }
}

#[test]
fn relative_and_partial_times_are_cant_verify_with_the_text() {
    for (page, url, old, new) in [
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "Just now"),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "5 minutes ago"),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "Today 09:21"),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "Yesterday 22:10"),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "7/14/2025, 09:21"),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "2025-07-14T09:21:37+08:00"),
        ("security-de.html", "https://www.kucoin.com/de/account/security", ">14.7.2025, 09:21:37", "Heute 09:21"),
        ("security-zh_CN.html", "https://www.kucoin.com/zh_CN/account/security", ">2025/7/14 09:21:37", "刚刚"),
    ] {
        let (rows, why) = logins(&read(&edited(page, &[(old, new)]), url));
        assert_eq!(rows.len(), 4, "{new}: {rows:?}");
        assert_eq!(why.len(), 1, "{new}");
        assert!(why[0].starts_with("unreadable time \"") && why[0].contains(new), "{new}: {why:?}");
    }
}

#[test]
fn other_time_shapes_read_to_the_same_instant() {
    const T: i64 = 1_752_484_897_000; // 2025-07-14 09:21:37 UTC
    for (page, url, old, new, want, tz) in [
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "2025-07-14T09:21:37Z", T, 480),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "2025-07-14 17:21:37", T, 480),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "7/14/2025, 9:21:37 PM", T + 12 * 3_600_000, 0),
        ("security-en.html", SECURITY, ">7/14/2025, 09:21:37", "7/14/2025, 12:21:37 AM", T - 9 * 3_600_000, 0),
        ("security-zh_CN.html", "https://www.kucoin.com/zh_CN/account/security", ">2025/7/14 09:21:37", "2025/7/14 下午9:21:37", T + 12 * 3_600_000, 0),
    ] {
        let mut s = snapshot_from_html(&edited(page, &[(old, new)]), url);
        s.env.utc_offset_minutes = tz;
        let (rows, why) = logins(&extract(&s));
        assert!(why.is_empty(), "{new}: {why:?}");
        assert_eq!(rows[0].1, Some(want), "{new}");
    }
}

#[test]
fn login_ip_cell_shapes() {
    for (cell, want) in [
        ("Hong Kong (SAR)(203.0.113.24)", Some("203.0.113.24")),
        ("203.0.113.24", Some("203.0.113.24")),
        ("203.0.113.24(Singapore)", Some("203.0.113.24")),
        ("Singapore（203.0.113.24）", Some("203.0.113.24")),
        ("Singapore(::ffff:203.0.113.24)", Some("203.0.113.24")),
        ("Singapore<br>(203.0.113.24)", Some("203.0.113.24")),
        // not an address we can read whole: said so, with the text
        ("Singapore(203.0.113.24:443)", None),
        ("Singapore([2001:db8::1]:443)", None),
        ("Singapore 203.0.113.24", None),
        ("Singapore(203.0.113.2…", None),
        ("Singapore(203.0.113.x)", None),
        // cut short, no ellipsis: not "203.0.113.2"
        ("Singapore(203.0.113.2", None),
        // two addresses: neither is the login's
        ("Singapore(203.0.113.24)(198.51.100.1)", None),
    ] {
        let (rows, why) = logins(&read(&edited("security-en.html", &[(">Singapore(203.0.113.24)", cell)]), SECURITY));
        match want {
            Some(ip) => {
                assert!(why.is_empty(), "{cell}: {why:?}");
                assert_eq!(rows[0].0, ip, "{cell}");
            }
            None => {
                assert_eq!(rows.len(), 4, "{cell}: {rows:?}");
                assert_eq!(why, [format!("unreadable Login IP \"{}\"", cell.replace("<br>", ""))], "{cell}");
            }
        }
    }
}

#[test]
fn a_status_shown_as_an_icon_reads_its_aria_label_or_title() {
    let icons = |attr: &str| {
        let on = format!("<span class=\"css-01n8gow dot\" {attr}=\"Online\"></span>");
        let off = format!("<span class=\"css-1rjuu1i dot\" {attr}=\"Offline\"></span>");
        let cur = format!("<span class=\"css-0huylpk dot\" {attr}=\"Current\"></span>");
        edited("security-en.html", &[("*<span class=\"css-01n8gow\">Online</span>", &on), ("*<span class=\"css-1rjuu1i\">Offline</span>", &off), ("<span class=\"css-0huylpk\">Current</span>", &cur)])
    };
    for attr in ["aria-label", "title"] {
        let (rows, why) = logins(&read(&icons(attr), SECURITY));
        assert!(why.is_empty(), "{attr}: {why:?}");
        let st: Vec<Option<Status>> = rows.iter().map(|r| r.2).collect();
        assert_eq!(st, [Some(Status::Current), Some(Status::Online), Some(Status::Online), Some(Status::Offline), Some(Status::Offline)], "{attr}");
    }
    // Two names that disagree, a name that is no status, no name: not read.
    let html = edited(
        "security-en.html",
        &[
            ("<span class=\"css-0huylpk\">Current</span>", "<i title=\"Online\"></i><i title=\"Offline\"></i>"),
            ("<span class=\"css-01n8gow\">Online</span>", "<i aria-label=\"Verified\"></i>"),
            ("<span class=\"css-01n8gow\">Online</span>", "<i class=\"dot\"></i>"),
        ],
    );
    let (rows, why) = logins(&read(&html, SECURITY));
    assert_eq!(rows.len(), 2);
    assert_eq!(why, ["unknown status \"Offline\"", "unknown status \"Verified\"", "no status"]);
}

#[test]
fn security_logs_rows_we_cannot_read_are_reported() {
    // The Security Logs tab shown in place of Recent Logins.
    let html = edited("security-en.html", &[]);
    let (open, close) = ("<template data-replica=\"panel\" data-tab=\"logs\">", "</template>");
    let a = html.find(open).unwrap() + open.len();
    let logs = &html[a..a + html[a..].find(close).unwrap()];
    let logs = logs.replacen("Lagos(198.51.100.77)", "Lagos(198.51.*.*)", 1).replacen("5/3/2025, 08:08:08", "Yesterday 08:08", 1);
    let p = html.find("<div role=\"tabpanel\" id=\"loginRecord-panel\"").unwrap();
    let p = p + html[p..].find('>').unwrap() + 1;
    let q = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    let html = format!("{}{logs}</div></div>{}", &html[..p], &html[q..]);
    let e = read(&html, SECURITY);
    let t = e.table(TableKind::SecurityLogs).unwrap();
    assert_eq!(t.records.len(), 8);
    assert_eq!(reasons(&t.unreadable), ["unreadable Login IP \"Lagos(198.51.*.*)\"", "unreadable time \"Yesterday 08:08\" (language en)"]);
}

#[test]
fn the_same_list_twice_with_one_copy_hidden_reads_the_shown_copy() {
    let html = edited("security-en.html", &[]);
    let a = html.find("<div class=\"KuxTable-root css-0loa5m5\">").unwrap();
    let b = a + html[a..].find("</table></div></div>").unwrap() + "</table></div></div>".len();
    let copy = html[a..b].replacen("<div class=\"KuxTable-root css-0loa5m5\">", "<div class=\"KuxTable-root css-m0b1le\" style=\"display:none\">", 1);
    // the hidden copy after the shown one, or before it
    for (page, shown_first) in [(format!("{}{copy}{}", &html[..b], &html[b..]), true), (format!("{}{copy}{}", &html[..a], &html[a..]), false)] {
        let e = read(&page, SECURITY);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        let t = e.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 5);
        assert!(t.unreadable.is_empty() && t.records.iter().all(|r| !r.hidden), "shown first: {shown_first}");
        assert_eq!(scan(&page), (true, 0));
    }
    // A hidden copy that differs (one row changed, one row fewer): which one is real is unknown.
    for other in [copy.replacen("Lagos(198.51.100.77)", "Lagos(198.51.100.78)", 1), {
        let r = copy.rfind("<tr class=\"KuxTable-row").unwrap();
        format!("{}{}", &copy[..r], &copy[r + copy[r..].find("</tr>").unwrap() + 5..])
    }] {
        let page = format!("{}{other}{}", &html[..b], &html[b..]);
        let e = read(&page, SECURITY);
        assert!(e.problems.iter().any(|p| p.contains("Two Recent Logins lists")), "{:?}", e.problems);
        assert!(e.table(TableKind::RecentLogins).unwrap().records.is_empty());
        assert!(!scan(&page).0);
    }
}

#[test]
fn a_card_we_cannot_read_does_not_become_the_header_of_the_others() {
    // Mobile cards (security-en-cards.html): label and value in each field. A first card
    // without an address we read used to be taken for a header row, and every other card was
    // then read by its position ("unknown status "Status Online"" on all five).
    const V: &str = "<span class=\"css-1tn4w31\">";
    let card = |edits: &[(&str, &str)]| {
        let edits: Vec<(String, String)> = edits.iter().map(|(o, n)| (format!("{V}{o}"), format!("{V}{n}"))).collect();
        let edits: Vec<(&str, &str)> = edits.iter().map(|(o, n)| (o.as_str(), n.as_str())).collect();
        let (rows, why) = logins(&read(&edited("security-en-cards.html", &edits), SECURITY));
        (rows.into_iter().map(|r| r.0).collect::<Vec<_>>(), why)
    };
    let others = ["198.51.100.77", "2001:db8:85a3::8a2e:370:7334", "203.0.113.41", "192.0.2.146"];
    for (edits, why) in [
        (&[("Singapore(203.0.113.24)", "Singapore(203.0.*.*)")][..], "unreadable Login IP \"Singapore(203.0.*.*)\""),
        (&[("7/14/2025, 09:21:37", "Just now")][..], "unreadable time \"Just now\" (language en)"),
        // neither: not left out
        (&[("Singapore(203.0.113.24)", "Singapore(203.0.*.*)"), ("7/14/2025, 09:21:37", "Just now")][..], "unreadable Login IP \"Singapore(203.0.*.*)\""),
        // cut short: not "203.0.113.2"
        (&[("Singapore(203.0.113.24)", "Singapore(203.0.113.2")][..], "unreadable Login IP \"Singapore(203.0.113.2\""),
    ] {
        assert_eq!(card(edits), (others.map(String::from).to_vec(), vec![why.to_string()]), "{edits:?}");
    }
    // Every card masked: those five rows, not "could not find the Recent Logins list".
    let mut html = edited("security-en-cards.html", &[]);
    let cut = html.find("Trusted Devices and IP Addresses").unwrap();
    let mut head = html[..cut].to_string();
    for (ip, masked) in [("(203.0.113.24)", "(203.0.*.*)"), ("(198.51.100.77)", "(198.51.*.*)"), ("(203.0.113.41)", "(203.0.*.*)"), ("(192.0.2.146)", "(192.0.*.*)"), ("(2001:db8:85a3::8a2e:370:7334)", "(2001:db8:****::1)")] {
        head = head.replace(ip, masked);
    }
    html = format!("{head}{}", &html[cut..]);
    let e = read(&html, SECURITY);
    assert!(e.problems.is_empty(), "{:?}", e.problems);
    let (rows, why) = logins(&e);
    assert!(rows.is_empty());
    assert_eq!(why.len(), 5, "{why:?}");
    assert!(why.iter().all(|w| w.starts_with("unreadable Login IP \"") && w.contains('*')), "{why:?}");
    assert_eq!(e.table(TableKind::TrustedDevices).map(|t| t.records.len()), Some(4), "the trusted devices still read");
    assert_eq!(scan(&html), (false, 5));
    // A status icon named by its title, in a card.
    let html = edited("security-en-cards.html", &[("<span class=\"css-1wxfun5\">Current</span>", "<span class=\"css-1wxfun5\" title=\"Current\"></span>")]);
    let (rows, why) = logins(&read(&html, SECURITY));
    assert!(why.is_empty(), "{why:?}");
    assert_eq!(rows[0].2, Some(Status::Current));
}

#[test]
fn a_header_with_an_info_glyph_or_a_hidden_tooltip_per_column_is_still_the_header() {
    // (A card's fields hold a label and a value; a header cell may hold its label and an "i",
    // a sort arrow or a tooltip not shown. Those do not make the header a card.)
    for extra in ["<span class=\"tip\">i</span>", "<span class=\"sort\">⇅</span>", "<span class=\"tip\" hidden>What this column shows</span>"] {
        let mut edits = Vec::new();
        let cells: Vec<(String, String)> = ["Login IP", "Login Device", "Time", "Status"]
            .iter()
            .map(|h| (format!("<th class=\"KuxTable-headCell css-0mpjbdu\">{h}</th>"), format!("<th class=\"KuxTable-headCell css-0mpjbdu\">{h}{extra}</th>")))
            .collect();
        for (o, n) in &cells {
            edits.push((o.as_str(), n.as_str()));
        }
        let e = read(&edited("security-en.html", &edits), SECURITY);
        let t = e.table(TableKind::RecentLogins).unwrap();
        assert_eq!((t.by.as_str(), t.records.len(), t.unreadable.len()), ("labels", 5, 0), "{extra}");
    }
}

/// Trusted Devices: (ip, time ms, status, has a Remove control) of the rows read, and the reasons of the rows not read.
fn trusted(e: &Extraction) -> (Vec<(String, Option<i64>, Option<Status>, bool)>, Vec<String>) {
    let t = e.table(TableKind::TrustedDevices).unwrap_or_else(|| panic!("no Trusted Devices: {:?}", e.problems));
    let rows = t.records.iter().map(|r| (r.ip.as_ref().unwrap().ip.to_string(), r.time_ms, r.status, r.remove_button.is_some())).collect();
    (rows, reasons(&t.unreadable))
}

const LINUX_CHROME: &str = "Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span></td>";
const IPS_USED: &str = "<ul class=\"css-1dwuddu\"><li class=\"css-1gnrxth\"><span class=\"css-0povdf9\">Singapore(203.0.113.24)</span><span class=\"css-1atmk1b\">7/14/2025, 09:21:37</span></li><li class=\"css-1gnrxth\"><span class=\"css-0povdf9\">Singapore(203.0.113.41)</span><span class=\"css-1atmk1b\">7/10/2025, 10:11:12</span></li></ul>";

#[test]
fn a_trusted_device_row_showing_the_ips_it_used_is_never_left_out() {
    // Expanded ("+") into the row after it: the four devices read as before.
    let html = edited("security-en.html", &[(" id=\"trusted-device-ips-1\" hidden>", " id=\"trusted-device-ips-1\">")]);
    let (rows, why) = trusted(&read(&html, SECURITY));
    assert_eq!((rows.len(), why.len()), (4, 0), "{why:?}");
    assert_eq!(scan(&html), (true, 0));
    // The list inside the row (in its device cell, or in a cell of its own): before, the row
    // was found nowhere and the three others read as the whole list.
    let in_cell = format!("Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span>{IPS_USED}</td>");
    let own_cell = format!("{LINUX_CHROME}<td class=\"KuxTable-cell\" colspan=\"4\">{IPS_USED}</td>");
    for (old, new) in [(LINUX_CHROME, in_cell), ("Remove</button></td></tr>", format!("Remove</button></td><td class=\"KuxTable-cell\">{IPS_USED}</td></tr>")), (LINUX_CHROME, own_cell)] {
        let html = edited("security-en.html", &[(old, &new)]);
        let (rows, why) = trusted(&read(&html, SECURITY));
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["203.0.113.41", "2001:db8:85a3::8a2e:370:7334", "198.51.100.77"], "{new}");
        assert_eq!(why, ["row shows more than one Login IP"], "{new}");
        // (counted and told; "readable" is Recent Logins')
        assert_eq!(scan(&html), (true, 1), "{new}");
    }
}

#[test]
fn several_addresses_in_one_login_ip_cell_are_not_read_as_one_of_them() {
    // Before: the first (<br>, one element each) or the last (", ") was taken as the login's.
    const CELL: &str = "Singapore(203.0.113.41)</td><td class=\"KuxTable-cell css-0nthq5q\">7/12/2025, 18:02:44</td><td class=\"KuxTable-cell css-0nthq5q\"><button";
    for (cell, shown) in [
        ("Singapore(203.0.113.41)<br>Tokyo(198.51.100.5)", "Singapore(203.0.113.41) Tokyo(198.51.100.5)"),
        ("<div>Singapore(203.0.113.41)</div><div>Tokyo(198.51.100.5)</div>", "Singapore(203.0.113.41) Tokyo(198.51.100.5)"),
        ("Singapore(203.0.113.41), Tokyo(198.51.100.5)", "Singapore(203.0.113.41), Tokyo(198.51.100.5)"),
        ("Singapore(203.0.113.41)、Tokyo（198.51.100.5）", "Singapore(203.0.113.41)、Tokyo（198.51.100.5）"),
    ] {
        let html = edited("security-en.html", &[(CELL, &CELL.replacen("Singapore(203.0.113.41)", cell, 1))]);
        let (rows, why) = trusted(&read(&html, SECURITY));
        assert_eq!(rows.len(), 3, "{cell}");
        assert_eq!(why, [format!("unreadable Login IP \"{shown}\"")], "{cell}");
    }
    // The same address twice (a tooltip copy) is that address.
    let html = edited("security-en.html", &[(CELL, &CELL.replacen("Singapore(203.0.113.41)", "Singapore(203.0.113.41)<span class=\"tip\">203.0.113.41</span>", 1))]);
    let (rows, why) = trusted(&read(&html, SECURITY));
    assert!(why.is_empty(), "{why:?}");
    assert_eq!(rows[1].0, "203.0.113.41");
    // Recent Logins alike.
    let (rows, why) = logins(&read(&edited("security-en.html", &[(">Singapore(203.0.113.24)", "Singapore(203.0.113.24), Tokyo(198.51.100.5)")]), SECURITY));
    assert_eq!(rows.len(), 4);
    assert_eq!(why, ["unreadable Login IP \"Singapore(203.0.113.24), Tokyo(198.51.100.5)\""]);
}

#[test]
fn a_current_chip_shown_as_an_icon_marks_this_browsers_trusted_device() {
    for chip in ["<span class=\"KuxTag-root css-0it3wti\" title=\"Current\"><svg></svg></span>", "<i class=\"css-0it3wti\" aria-label=\"Current\"></i>"] {
        let html = edited("security-en.html", &[("<span class=\"KuxTag-root css-0it3wti\">Current</span>", chip)]);
        let (rows, why) = trusted(&read(&html, SECURITY));
        assert!(why.is_empty(), "{why:?}");
        assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [Some(Status::Current), None, None, None], "{chip}");
    }
    // An icon named otherwise (the expand button, the device icon) is no status.
    let html = edited("security-en.html", &[("aria-controls=\"trusted-device-ips-2\"", "aria-controls=\"trusted-device-ips-2\" aria-label=\"Expand row\" title=\"kucoin web\"")]);
    let (rows, why) = trusted(&read(&html, SECURITY));
    assert!(why.is_empty(), "{why:?}");
    assert_eq!(rows[1].2, None);
}

#[test]
fn trusted_devices_remove_icons_empty_activity_and_no_data() {
    // (Found right before: kept so they stay right.) A Remove icon named only by aria-label or title.
    const BTN: &str = "*<button type=\"button\" class=\"KuxButton-root KuxButton-text css-07ca0tj\">Remove</button>";
    for attr in ["aria-label", "title"] {
        let icon = format!("<button type=\"button\" class=\"KuxButton-root css-07ca0tj\" {attr}=\"Remove\"><svg></svg></button>");
        let (rows, why) = trusted(&read(&edited("security-en.html", &[(BTN, &icon)]), SECURITY));
        assert!(why.is_empty() && rows.len() == 4 && rows.iter().all(|r| r.3), "{attr}: {rows:?} {why:?}");
    }
    // No Recent Activity: that row, unreadable, said so.
    for (t, want) in [("", "no time"), ("--", "unreadable time \"--\" (language en)")] {
        let html = edited("security-en.html", &[("7/12/2025, 18:02:44</td><td class=\"KuxTable-cell css-0nthq5q\"><button", &format!("{t}</td><td class=\"KuxTable-cell css-0nthq5q\"><button"))]);
        let (rows, why) = trusted(&read(&html, SECURITY));
        assert_eq!((rows.len(), why), (3, vec![want.to_string()]));
    }
    // "No data": no trusted devices is a list read whole.
    let html = edited("security-en.html", &[]);
    let (open, close) = ("<template data-replica=\"empty\" data-list=\"devices\">", "</template>");
    let a = html.find(open).unwrap() + open.len();
    let empty = &html[a..a + html[a..].find(close).unwrap()];
    let b = html.find("<tbody class=\"KuxTable-tbody css-1ww89m0\">").unwrap() + "<tbody class=\"KuxTable-tbody css-1ww89m0\">".len();
    let c = b + html[b..].find("</tbody>").unwrap();
    let html = format!("{}{empty}{}", &html[..b], &html[c..]);
    let e = read(&html, SECURITY);
    let t = e.table(TableKind::TrustedDevices).unwrap();
    assert!(t.empty && t.records.is_empty() && t.unreadable.is_empty() && e.problems.is_empty(), "{:?}", e.problems);
    assert_eq!(scan(&html), (true, 0));
}

/// security-en.html with KuCoin's 2FA prompt in place of the Trusted Devices table
/// (`prompt` is the HTML between the section's title and its end), 2FA off.
fn needs_2fa_page(prompt: &str) -> String {
    let html = edited("security-en.html", &[("data-inspector=\"editG2FABtn\">Change<", "data-inspector=\"editG2FABtn\">Configure<")]);
    let a = html.find("<h2 class=\"css-1fymir6\">Trusted Devices and IP Addresses</h2>").unwrap();
    let a = a + html[a..].find("</h2>").unwrap() + "</h2>".len();
    let b = a + html[a..].find("</section>").unwrap();
    format!("{}{prompt}{}", &html[..a], &html[b..])
}

const PROMPT_2FA: &str = "Enable 2FA using Google Authenticator or SMS verification before managing devices.";

#[test]
fn the_2fa_prompt_in_place_of_trusted_devices_is_its_own_state() {
    for prompt in [
        format!("<div class=\"css-1ab2fa\"><p class=\"css-0x1\">{PROMPT_2FA}</p></div>"),
        // the words over elements (a link in them)
        "<div class=\"css-1ab2fa\"><a href=\"/account/security/g2fa\">Enable 2FA</a> using Google Authenticator or SMS verification before managing devices.</div>".to_string(),
    ] {
        let html = needs_2fa_page(&prompt);
        let e = read(&html, SECURITY);
        assert!(e.table(TableKind::TrustedDevices).is_none(), "{prompt}");
        assert!(e.settings.trusted_needs_2fa && e.controls.needs_2fa_prompt.is_some(), "{prompt}");
        assert_eq!(e.settings.google_2fa, Some(false));
        // The scan: a note beside the prompt, an item in the summary, never "ok".
        let mut state = State::default();
        let out = handle_scan(&snapshot_from_html(&html, SECURITY), &mut state, 1_752_500_000_000);
        let note = out.plan.widgets.iter().find(|w| w.key == "trusted:needs_2fa").expect("a note beside the prompt");
        assert_eq!(Some(note.anchor), e.controls.needs_2fa_prompt);
        assert_eq!(note.title, "Trusted devices can't be managed until 2FA is on");
        let summary = out.plan.widgets.iter().find(|w| w.key == "summary:recent").unwrap();
        assert!(summary.items.iter().any(|i| i == "Trusted devices can't be managed until 2FA is on"), "{:?}", summary.items);
        assert_ne!(summary.tone, session_guard::plan::Tone::Ok);
        // The popup: the 2FA item says why; with no session to review, the
        // title says it (not "Protected").
        let m = session_guard::popup::model(&state, 1_752_500_000_000);
        assert_eq!(m.title, "Review needed: 4 unfamiliar");
        let mut calm = state.clone();
        calm.scan.as_mut().unwrap().summary.unfamiliar = 0;
        calm.scan.as_mut().unwrap().summary.unfamiliar_online = 0;
        assert_eq!(session_guard::popup::model(&calm, 1_752_500_000_000).title, "Trusted devices can't be managed until 2FA is on");
        calm.scan.as_mut().unwrap().settings.trusted_needs_2fa = false;
        // (the replica's Recent Logins has 3 pages: one read is not "Protected")
        assert_eq!(session_guard::popup::model(&calm, 1_752_500_000_000).title, "Only page 1 of 3 of Recent Logins was checked.");
        calm.scan.as_mut().unwrap().pages.clear();
        assert_eq!(session_guard::popup::model(&calm, 1_752_500_000_000).title, "Protected");
        assert!(m.problems.iter().any(|p| p == "Trusted devices can't be managed until 2FA is on"), "{:?}", m.problems);
        let item = m.checklist.iter().find(|c| c.id == "two_factor").unwrap();
        assert_eq!((item.detail.as_str(), item.state), ("Trusted devices can't be managed until 2FA is on", session_guard::popup::CheckState::Todo));
    }
}

#[test]
fn the_2fa_prompt_is_not_read_from_a_device_name_or_a_list() {
    // The page as it is: no prompt.
    let e = read(&edited("security-en.html", &[]), SECURITY);
    assert!(!e.settings.trusted_needs_2fa && e.controls.needs_2fa_prompt.is_none());
    // A trusted device named like the prompt is a row of the list, the list is read.
    let html = edited("security-en.html", &[("Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span>", &format!("{PROMPT_2FA}<span class=\"KuxTag-root css-0it3wti\">Current</span>"))]);
    let e = read(&html, SECURITY);
    assert!(!e.settings.trusted_needs_2fa, "a device name is not the prompt");
    assert_eq!(trusted(&e).0.len(), 4);
    // More words than the prompt, or only some of them: not it.
    for p in ["Enable 2FA", &format!("{PROMPT_2FA} Or not.")] {
        let e = read(&needs_2fa_page(&format!("<p>{p}</p>")), SECURITY);
        assert!(!e.settings.trusted_needs_2fa, "{p}");
    }
}

const CHIP: &str = "<span class=\"KuxTag-root css-0it3wti\">Current</span>";

#[test]
fn a_current_chip_in_any_cell_of_the_row_marks_this_browser() {
    // Trusted Devices: the chip beside the time (Recent Activity), beside the address, or in
    // the Remove cell, instead of beside the device name.
    const TD_ROW: &str = "Linux Chrome<span class=\"KuxTag-root css-0it3wti\">Current</span></td><td class=\"KuxTable-cell css-0nthq5q\">Singapore(203.0.113.24)</td><td class=\"KuxTable-cell css-0nthq5q\">7/14/2025, 09:21:37</td><td class=\"KuxTable-cell css-0nthq5q\"><button";
    for (name, moved) in [
        ("time", TD_ROW.replacen(CHIP, "", 1).replacen("09:21:37</td>", &format!("09:21:37{CHIP}</td>"), 1)),
        ("time, chip first", TD_ROW.replacen(CHIP, "", 1).replacen(">7/14/2025, 09:21:37", &format!(">{CHIP}<span>7/14/2025, 09:21:37</span>"), 1)),
        ("address", TD_ROW.replacen(CHIP, "", 1).replacen("(203.0.113.24)</td>", &format!("(203.0.113.24){CHIP}</td>"), 1)),
        ("remove", TD_ROW.replacen(CHIP, "", 1).replacen("<button", &format!("{CHIP}<button"), 1)),
        ("icon beside the time", TD_ROW.replacen(CHIP, "", 1).replacen("09:21:37</td>", "09:21:37<i class=\"css-0it3wti\" aria-label=\"Current\"></i></td>", 1)),
    ] {
        let html = edited("security-en.html", &[(TD_ROW, &moved)]);
        let e = read(&html, SECURITY);
        let (rows, why) = trusted(&e);
        assert!(why.is_empty(), "{name}: {why:?}");
        assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [Some(Status::Current), None, None, None], "{name}");
        let r = &e.table(TableKind::TrustedDevices).unwrap().records[0];
        assert_eq!((r.device_text.as_str(), r.ip.as_ref().unwrap().area.as_deref(), r.time_ms.is_some()), ("Linux Chrome", Some("Singapore"), true), "{name}");
    }
    // The word in a cell's own text is no chip: a device named so, an address cell saying so.
    for (name, edit) in [
        ("device name", TD_ROW.replacen(&format!("Linux Chrome{CHIP}"), "Linux Chrome Current", 1)),
        ("device name alone", TD_ROW.replacen(&format!("Linux Chrome{CHIP}"), "Current", 1)),
    ] {
        let (rows, _) = trusted(&read(&edited("security-en.html", &[(TD_ROW, &edit)]), SECURITY));
        assert!(rows.iter().all(|r| r.2.is_none()), "{name}: {rows:?}");
    }
    // Recent Logins without its Status word: the chip beside the time or the device is the status
    // (the device text is the device's alone); a chip that says otherwise than the Status cell is
    // not read as either.
    const RL_ROW: &str = "Linux Chrome</td><td class=\"KuxTable-cell css-0nthq5q\">7/14/2025, 09:21:37</td><td class=\"KuxTable-cell css-0nthq5q\"><span class=\"css-0huylpk\">Current</span></td>";
    for (name, edit) in [
        ("time", RL_ROW.replacen("09:21:37</td>", &format!("09:21:37{CHIP}</td>"), 1).replacen("<span class=\"css-0huylpk\">Current</span>", "", 1)),
        ("device", RL_ROW.replacen("Linux Chrome</td>", &format!("Linux Chrome{CHIP}</td>"), 1).replacen("<span class=\"css-0huylpk\">Current</span>", "", 1)),
    ] {
        let e = read(&edited("security-en.html", &[(RL_ROW, &edit)]), SECURITY);
        let (rows, why) = logins(&e);
        assert!(why.is_empty(), "{name}: {why:?}");
        assert_eq!(rows[0].2, Some(Status::Current), "{name}");
        assert_eq!(e.table(TableKind::RecentLogins).unwrap().records[0].device_text, "Linux Chrome", "{name}");
    }
    // Cards: the chip under "Recent Activity" or "Login IP" instead of "Trusted Device".
    let cards = edited("security-en-cards.html", &[("Linux Chrome<span class=\"KuxTag-root css-12fl505\">Current</span>", "Linux Chrome")]);
    let at = cards.find("Trusted Devices and IP Addresses</h2>").unwrap();
    for (name, value) in [("activity", "7/14/2025, 09:21:37</span>"), ("address", "Singapore(203.0.113.24)</span>")] {
        let chip = value.replacen("</span>", "<span class=\"KuxTag-root css-12fl505\">Current</span></span>", 1);
        let html = format!("{}{}", &cards[..at], cards[at..].replacen(value, &chip, 1));
        let (rows, why) = trusted(&read(&html, SECURITY));
        assert!(why.is_empty(), "cards, {name}: {why:?}");
        assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [Some(Status::Current), None, None, None], "cards, {name}");
    }
    let edit = RL_ROW.replacen("09:21:37</td>", "09:21:37<span class=\"KuxTag-root\">Offline</span></td>", 1);
    let (rows, why) = logins(&read(&edited("security-en.html", &[(RL_ROW, &edit)]), SECURITY));
    assert_eq!((rows.len(), why), (4, vec!["row shows more than one status".to_string()]));
}

#[test]
fn a_current_chip_in_a_card_field_marks_the_row_but_a_device_named_so_does_not() {
    // Recent Logins cards: the chip after the device's name, or beside the address or the time,
    // is the row's status (it agrees with the Status field), never part of the device text or area.
    const RL_DEVICE: &str = "data-icon=\"kucoin web\"></span>Linux Chrome</span></div>";
    const CARD_CHIP: &str = "<span class=\"KuxTag-root css-12fl505\">Current</span>";
    for (name, edit) in [
        ("device", (RL_DEVICE, RL_DEVICE.replacen("Linux Chrome</span>", &format!("Linux Chrome{CARD_CHIP}</span>"), 1))),
        ("address", ("Singapore(203.0.113.24)</span></div>", format!("Singapore(203.0.113.24){CARD_CHIP}</span></div>"))),
        ("time", ("7/14/2025, 09:21:37</span></div>", format!("7/14/2025, 09:21:37{CARD_CHIP}</span></div>"))),
    ] {
        let e = read(&edited("security-en-cards.html", &[(edit.0, &edit.1)]), SECURITY);
        let (rows, why) = logins(&e);
        assert!(why.is_empty(), "{name}: {why:?}");
        assert_eq!(rows[0].2, Some(Status::Current), "{name}");
        let r = &e.table(TableKind::RecentLogins).unwrap().records[0];
        assert_eq!((r.device_text.as_str(), r.ip.as_ref().unwrap().area.as_deref()), ("Linux Chrome", Some("Singapore")), "{name}");
    }
    // ... and so is a chip before the device's name in its field, in any language the label
    // tables know; on Trusted Devices cards too, where the chip is the only status.
    const TD_DEVICE: &str = "data-icon=\"kucoin web\"></span>Linux Chrome<span class=\"KuxTag-root css-12fl505\">Current</span></span>";
    for word in ["Current", "Aktuell", "Hiện tại", "当前在线"] {
        let chip = format!("<span class=\"KuxTag-root css-12fl505\">{word}</span>");
        let before = RL_DEVICE.replacen("></span>Linux", &format!("></span>{chip}Linux"), 1);
        let e = read(&edited("security-en-cards.html", &[(RL_DEVICE, &before)]), SECURITY);
        let (rows, why) = logins(&e);
        assert!(why.is_empty(), "{word}: {why:?}");
        assert_eq!((rows[0].2, e.table(TableKind::RecentLogins).unwrap().records[0].device_text.as_str()), (Some(Status::Current), "Linux Chrome"), "{word}");
        let html = edited("security-en-cards.html", &[(TD_DEVICE, &format!("data-icon=\"kucoin web\"></span>{chip}Linux Chrome</span>"))]);
        let e = read(&html, SECURITY);
        let (rows, why) = trusted(&e);
        assert!(why.is_empty(), "{word}: {why:?}");
        assert_eq!(rows[0].2, Some(Status::Current), "{word}: {rows:?}");
        assert!(rows[1..].iter().all(|r| r.2.is_none()), "{word}: {rows:?}");
        assert_eq!(e.table(TableKind::TrustedDevices).unwrap().records[0].device_text, "Linux Chrome", "{word}");
    }
    // Trusted Devices cards: a device whose whole name is "Current" (in an element of its own,
    // the name is the signing-in client's to choose) is no chip: that row is not this browser's.
    let named = edited("security-en-cards.html", &[(
        "data-icon=\"kucoin web\"></span>Linux Chrome<span class=\"KuxTag-root css-12fl505\">Current</span></span>",
        "data-icon=\"kucoin web\"></span><span class=\"css-0name\">Current</span></span>",
    )]);
    let (rows, why) = trusted(&read(&named, SECURITY));
    assert!(why.is_empty(), "{why:?}");
    assert!(rows.iter().all(|r| r.2.is_none()), "{rows:?}");
    // Nor is a name "Current" before the name's other words in the same element, nor one whose
    // field goes on with a button only ("Remove") or with the next field's label.
    for (what, value) in [
        ("same element", "<span class=\"css-0name\">Current<b> Linux Chrome</b></span>"),
        ("button after", "<span class=\"css-0name\">Current</span><button type=\"button\">Remove</button>"),
        ("text then element", "Current<span class=\"css-0name\">Linux Chrome</span>"),
    ] {
        let html = edited("security-en-cards.html", &[(
            "data-icon=\"kucoin web\"></span>Linux Chrome<span class=\"KuxTag-root css-12fl505\">Current</span></span>",
            &format!("data-icon=\"kucoin web\"></span>{value}</span>"),
        )]);
        let e = read(&html, SECURITY);
        let (rows, why) = trusted(&e);
        assert!(why.is_empty(), "{what}: {why:?}");
        assert!(rows.iter().all(|r| r.2.is_none()), "{what}: {rows:?}");
        assert!(e.table(TableKind::TrustedDevices).unwrap().records[0].device_text.starts_with("Current"), "{what}");
    }
}

/// security-en.html with its Security Logs tab shown (in place of Recent Logins), `edit` applied to the logs.
fn logs_tab(edit: &dyn Fn(&str) -> String) -> String {
    let html = edited("security-en.html", &[]);
    let (open, close) = ("<template data-replica=\"panel\" data-tab=\"logs\">", "</template>");
    let a = html.find(open).unwrap() + open.len();
    let logs = edit(&html[a..a + html[a..].find(close).unwrap()]);
    let p = html.find("<div role=\"tabpanel\" id=\"loginRecord-panel\"").unwrap();
    let p = p + html[p..].find('>').unwrap() + 1;
    let q = html.find("<section class=\"css-1qcqkrh\">").unwrap();
    format!("{}{logs}</div></div>{}", &html[..p], &html[q..])
}

const LOGS_TD: &str = "<td class=\"KuxTable-cell css-0nthq5q\">";

#[test]
fn a_security_logs_event_with_no_ip_recorded_is_read_and_flagged_only_when_sensitive() {
    use session_guard::assess::EventMark;
    for shown in ["-", "", "—", " -- ", "N/A"] {
        // "Login with Passkey" (routine) and "Create API" (sensitive) with no address.
        let html = logs_tab(&|logs: &str| {
            logs.replacen(&format!("{LOGS_TD}Singapore(203.0.113.41)</td>{LOGS_TD}Login with Passkey"), &format!("{LOGS_TD}{shown}</td>{LOGS_TD}Login with Passkey"), 1)
                .replacen(&format!("{LOGS_TD}Lagos(198.51.100.77)</td>{LOGS_TD}Create API"), &format!("{LOGS_TD}{shown}</td>{LOGS_TD}Create API"), 1)
        });
        let e = read(&html, SECURITY);
        let t = e.table(TableKind::SecurityLogs).unwrap();
        assert!(t.unreadable.is_empty(), "{shown:?}: {:?}", t.unreadable);
        assert_eq!(t.records.len(), 10, "{shown:?}");
        // in page order
        let types: Vec<&str> = t.records.iter().map(|r| r.event_type.as_str()).collect();
        assert_eq!(&types[..5], ["Trusted Device", "Create API", "Trusted Device", "Modify API", "Login with Passkey"], "{shown:?}");
        assert!(t.records[4].ip.is_none() && t.records[1].ip.is_none());
        let mut state = State::default();
        let out = handle_scan(&snapshot_from_html(&html, SECURITY), &mut state, 1_752_500_000_000);
        let a = session_guard::assess::assess(&e, &state.trust, None, &state.acks);
        assert_eq!(a.summary.unreadable_rows, 0, "{shown:?}");
        assert!(!a.summary.problems.iter().any(|p| p.contains("could not be read")), "{shown:?}: {:?}", a.summary.problems);
        let mark = |row: u32| a.events.iter().find(|v| v.row == row).unwrap().mark;
        assert_eq!(mark(t.records[4].row), EventMark::Routine, "{shown:?}");
        assert_eq!(mark(t.records[1].row), EventMark::Flagged, "{shown:?}");
        let w = out.plan.widgets.iter().find(|w| w.key == format!("event:{}", t.records[1].row)).expect("the sensitive event's reason");
        assert_eq!(w.text, "Create API, with no IP recorded — was this you? If not, change your password and freeze the account.");
        assert!(!out.plan.widgets.iter().any(|w| w.key == format!("event:{}", t.records[4].row)));
    }
    // A masked or cut address is still one we cannot read.
    for (cell, why) in [("203.0.*.*", "unreadable Login IP \"203.0.*.*\""), ("-(203.0.113", "unreadable Login IP \"-(203.0.113\""), ("unknown", "unreadable Login IP \"unknown\"")] {
        let html = logs_tab(&|logs: &str| logs.replacen(&format!("{LOGS_TD}Singapore(203.0.113.41)</td>{LOGS_TD}Login with Passkey"), &format!("{LOGS_TD}{cell}</td>{LOGS_TD}Login with Passkey"), 1));
        let e = read(&html, SECURITY);
        let t = e.table(TableKind::SecurityLogs).unwrap();
        assert_eq!((t.records.len(), reasons(&t.unreadable)), (9, vec![why.to_string()]), "{cell}");
    }
    // Every event without an address: the list is those events (no "no rows yet").
    let html = logs_tab(&|logs: &str| {
        let mut out = String::new();
        for (i, part) in logs.split(LOGS_TD).enumerate() {
            if i > 0 {
                out.push_str(LOGS_TD);
            }
            let ip_cell = part.find("</td>").is_some_and(|e| part[..e].contains('('));
            out.push_str(&if ip_cell && i > 0 { format!("-{}", &part[part.find("</td>").unwrap()..]) } else { part.to_string() });
        }
        out
    });
    let e = read(&html, SECURITY);
    let t = e.table(TableKind::SecurityLogs).unwrap();
    assert_eq!((t.records.len(), t.unreadable.len()), (10, 0), "{:?} {:?}", t.unreadable, e.problems);
    assert!(t.records.iter().all(|r| r.ip.is_none()));
}

const LOGS_PAGER: &str = "<div class=\"KuxPagination-root css-19fwuly\"><button type=\"button\" class=\"KuxPagination-prev css-0ghgadt\" disabled></button><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv KuxPagination-item-active\" aria-current=\"page\">1</button><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv\">2</button><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv\">3</button><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv\">4</button><button type=\"button\" class=\"KuxPagination-next css-0ghgadt\"></button></div>";

#[test]
fn a_paginated_security_logs_list_says_only_the_page_shown_was_checked() {
    let with = |pager: &str| {
        let pager = pager.to_string();
        logs_tab(&move |logs: &str| logs.replacen("</tbody></table></div>", &format!("</tbody></table></div>{pager}"), 1))
    };
    let scan_with = |html: &str, acked: bool| {
        let mut state = State::default();
        if acked {
            state.acks.until = i64::MAX;
        }
        let out = handle_scan(&snapshot_from_html(html, SECURITY), &mut state, 1_752_500_000_000);
        out.plan.widgets.into_iter().find(|w| w.key == "summary:events")
    };
    // The pager read as Recent Logins' is.
    let html = with(LOGS_PAGER);
    let e = read(&html, SECURITY);
    let p = e.table(TableKind::SecurityLogs).unwrap().pager.clone().expect("the Security Logs pager");
    assert_eq!((p.current, p.last, p.numbers.len()), (1, 4, 4));
    // Flagged events: their summary says which page was checked.
    let w = scan_with(&html, false).unwrap();
    assert_eq!(w.title, "9 sensitive changes to review");
    assert_eq!(w.text, "Only page 1 of 4 of Security Logs was checked. Events on the other pages were not checked: open them to check them too.");
    // None left to review: the page note alone, never silence that reads as "all checked".
    let w = scan_with(&html, true).expect("the page note");
    assert_eq!((w.title.as_str(), w.tone), ("Only page 1 of 4 of Security Logs was checked.", session_guard::plan::Tone::Info));
    assert!(w.buttons.is_empty());
    // A pager that marks no page shown.
    let html = with(&LOGS_PAGER.replacen(" KuxPagination-item-active\" aria-current=\"page\"", "\"", 1).replacen(">1</button>", " aria-label=\"1\">1</button>", 1));
    let w = scan_with(&html, true).expect("the page note");
    assert_eq!(w.title, "Only the page shown of Security Logs was checked (4 pages).");
    // One page only, or no pager: nothing about pages.
    let one = "<div class=\"KuxPagination-root\"><button type=\"button\" class=\"KuxPagination-item KuxPagination-item-active\" aria-current=\"page\">1</button></div>";
    for html in [with(one), logs_tab(&|l: &str| l.to_string())] {
        assert!(scan_with(&html, true).is_none());
        assert!(!scan_with(&html, false).unwrap().text.contains("page"));
    }
}

#[test]
fn the_2fa_prompt_in_the_trusted_devices_table_body_is_that_state_not_a_list_still_loading() {
    // The table's header kept, KuCoin's words where its rows would be (as its "No data" is).
    let html = edited("security-en.html", &[("data-inspector=\"editG2FABtn\">Change<", "data-inspector=\"editG2FABtn\">Configure<")]);
    let b = html.find("<tbody class=\"KuxTable-tbody css-1ww89m0\">").unwrap() + "<tbody class=\"KuxTable-tbody css-1ww89m0\">".len();
    let c = b + html[b..].find("</tbody>").unwrap();
    let row = format!("<tr class=\"KuxTable-placeholder\"><td class=\"KuxTable-cell\" colspan=\"4\"><div class=\"KuxEmpty-description\">{PROMPT_2FA}</div></td></tr>");
    let html = format!("{}{row}{}", &html[..b], &html[c..]);
    let e = read(&html, SECURITY);
    assert!(e.settings.trusted_needs_2fa);
    assert!(e.table(TableKind::TrustedDevices).is_none());
    assert!(!e.problems.iter().any(|p| p.contains("Trusted Devices")), "{:?}", e.problems);
}

#[test]
fn security_logs_cards_with_no_ip_recorded_are_read_when_no_card_has_an_address() {
    // Mobile cards (security-en-cards.html) with the Security Logs tab open: label and value in
    // each field, and not one card with an address (events KuCoin recorded no IP for). No list
    // is found by its addresses; the cards are still the events, not "no IP" rows.
    use session_guard::assess::EventMark;
    let html = edited("security-en-cards.html", &[]);
    let a = html.find("<div class=\"css-1i19frt\">").unwrap();
    let b = a + html[a..].find("<div class=\"KuxPagination-root").unwrap();
    let field = |label: &str, value: &str| format!("<div class=\"css-0a04ii3\"><span class=\"css-12p35iq\">{label}</span><span class=\"css-1tn4w31\">{value}</span></div>");
    let cards: String = [("-", "Login with Passkey", "7/8/2025, 19:00:45"), ("—", "Create API", "7/10/2025, 10:11:12"), ("", "Trusted Device", "7/14/2025, 09:21:40")]
        .iter()
        .map(|(ip, kind, time)| format!("<div class=\"css-0i844i9\">{}{}{}</div>", field("Login IP", ip), field("Type", kind), field("Time", time)))
        .collect();
    let page = format!("{}<div class=\"css-1i19frt\">{cards}</div>{}", &html[..a], &html[b..])
        .replacen("aria-selected=\"false\" aria-controls=\"loginRecord-panel\">Security Logs", "aria-selected=\"true\" aria-controls=\"loginRecord-panel\">Security Logs", 1)
        .replacen("aria-selected=\"true\" aria-controls=\"loginRecord-panel\">Recent Logins", "aria-selected=\"false\" aria-controls=\"loginRecord-panel\">Recent Logins", 1);
    let e = read(&page, SECURITY);
    let t = e.table(TableKind::SecurityLogs).unwrap_or_else(|| panic!("no Security Logs: {:?}", e.problems));
    assert!(t.unreadable.is_empty(), "{:?}", t.unreadable);
    let types: Vec<&str> = t.records.iter().map(|r| r.event_type.as_str()).collect();
    assert_eq!(types, ["Login with Passkey", "Create API", "Trusted Device"], "{t:?} {:?}", e.problems);
    assert!(t.records.iter().all(|r| r.ip.is_none() && r.time_ms.is_some()));
    let state = State::default();
    let a = session_guard::assess::assess(&e, &state.trust, None, &state.acks);
    assert_eq!(a.summary.unreadable_rows, 0);
    let mark = |row: u32| a.events.iter().find(|v| v.row == row).unwrap().mark;
    assert_eq!(mark(t.records[0].row), EventMark::Routine);
    assert_eq!(mark(t.records[1].row), EventMark::Flagged);
    // With addresses, the cards are a list found by them: "Trusted Device" is still the type.
    let with_ips = page.replacen(">-</span>", ">Singapore(203.0.113.24)</span>", 1).replacen(">—</span>", ">Lagos(198.51.100.77)</span>", 1).replacen("\"></span></div><div class=\"css-0a04ii3\"><span class=\"css-12p35iq\">Type", "\">Singapore(203.0.113.41)</span></div><div class=\"css-0a04ii3\"><span class=\"css-12p35iq\">Type", 1);
    let e2 = read(&with_ips, SECURITY);
    let t = e2.table(TableKind::SecurityLogs).cloned().unwrap_or_else(|| panic!("{:?} {:?}", e2.tables, e2.problems));
    assert!(t.unreadable.is_empty(), "{:?}", t.unreadable);
    let read_back: Vec<(String, &str)> = t.records.iter().map(|r| (r.ip.as_ref().unwrap().ip.to_string(), r.event_type.as_str())).collect();
    assert_eq!(read_back, [("203.0.113.24".to_string(), "Login with Passkey"), ("198.51.100.77".into(), "Create API"), ("203.0.113.41".into(), "Trusted Device")]);
    // A masked address in such a card is still one we cannot read.
    let masked = page.replacen(">-</span>", ">203.0.*.*</span>", 1);
    let t = read(&masked, SECURITY).table(TableKind::SecurityLogs).cloned().unwrap();
    assert_eq!((t.records.len(), reasons(&t.unreadable)), (2, vec!["unreadable Login IP \"203.0.*.*\"".to_string()]));
}

/// The popup reads the stored report, not the page: a paginated Security
/// Logs list is kept there as one page of several and said in the popup too.
#[test]
fn a_paginated_security_logs_list_is_one_page_in_the_stored_report_and_the_popup() {
    use session_guard::app::ListPages;
    // The report is written when the sessions are on screen: Recent Logins
    // (page 1 of 3 in the replica) with Security Logs below it.
    let both = |pager: &str| {
        let html = edited("security-en.html", &[]);
        let (open, close) = ("<template data-replica=\"panel\" data-tab=\"logs\">", "</template>");
        let a = html.find(open).unwrap() + open.len();
        let logs = html[a..a + html[a..].find(close).unwrap()].replacen("</tbody></table></div>", &format!("</tbody></table></div>{pager}"), 1);
        let q = html.find("<section class=\"css-1qcqkrh\">").unwrap();
        format!("{}<div>{logs}</div>{}", &html[..q], &html[q..])
    };
    let scan = |html: &str| {
        let mut state = State::default();
        handle_scan(&snapshot_from_html(html, SECURITY), &mut state, 1_752_500_000_000);
        state
    };
    let state = scan(&both(LOGS_PAGER));
    let report = state.scan.as_ref().unwrap();
    assert_eq!(report.summary.flagged_events, 9, "{:?}", report.summary.problems);
    assert_eq!(
        report.pages,
        vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: vec![1], unverified: Vec::new() }, ListPages { table: TableKind::SecurityLogs, current: 1, last: 4, read: Vec::new(), unverified: Vec::new() }]
    );
    let m = session_guard::popup::model(&state, 1_752_500_000_000);
    assert_eq!(m.pages[1], (TableKind::SecurityLogs, "Only page 1 of 4 of Security Logs was checked.".to_string()));
    // Without its pager: Recent Logins' only.
    let state = scan(&both(""));
    assert_eq!(state.scan.as_ref().unwrap().pages, vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: vec![1], unverified: Vec::new() }]);
    assert_eq!(session_guard::popup::model(&state, 1_752_500_000_000).pages.len(), 1);
}

/// "I did all" acknowledges the events flagged on the page shown, by key:
/// never an older one on a page not yet opened (before, every event up to the
/// click was), nor one logged after it.
#[test]
fn i_did_all_acknowledges_the_events_shown_only() {
    use session_guard::assess::EventMark;
    const NOW: i64 = 1_752_500_000_000;
    let flagged = |html: &str, state: &State| {
        let e = read(html, SECURITY);
        let a = session_guard::assess::assess(&e, &state.trust, None, &state.acks);
        let t = e.table(TableKind::SecurityLogs).unwrap();
        let mut out = Vec::new();
        for r in &t.records {
            if a.events.iter().any(|v| v.row == r.row && v.mark == EventMark::Flagged) {
                out.push(format!("{} {}", r.event_type, r.time_text));
            }
        }
        out
    };
    let page1 = logs_tab(&|logs: &str| logs.to_string());
    let mut state = State::default();
    let before = flagged(&page1, &state);
    assert!(before.len() > 1, "{before:?}");
    let out = handle_scan(&snapshot_from_html(&page1, SECURITY), &mut state, NOW);
    let all = out.plan.widgets.iter().flat_map(|w| w.buttons.iter()).find(|b| b.action.kind == "ack_all").expect("I did all").action.clone();
    session_guard::app::handle_action(&all, &mut state, NOW + 1_000).unwrap();
    assert_eq!(flagged(&page1, &state), Vec::<String>::new(), "every event shown acknowledged");
    // Page 2 (older, not seen at the click) and an event logged since: still flagged.
    let page2 = logs_tab(&|logs: &str| logs.replacen("7/14/2025, 03:52:40", "6/01/2025, 03:52:40", 1).replacen("6/20/2025, 14:14:14", "7/14/2025, 13:00:00", 1));
    assert_eq!(flagged(&page2, &state), vec!["Create API 6/01/2025, 03:52:40".to_string(), "Change Google Verification 7/14/2025, 13:00:00".to_string()]);
}
