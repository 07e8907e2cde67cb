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

/// Ant Design's fixed header (`scroll.y`) over an empty list: the header is a
/// table of its own and "No data" sits in the body table's placeholder row,
/// one level further from the header than in a plain table. The list is
/// empty, not loading: a Trusted Devices list emptied by "Log out all
/// devices" must read as done (`rendered`), not "still listed" until a timeout.
#[test]
fn antd_fixed_header_empty_lists_are_empty() {
    for (name, kind) in [("antd-fixed-empty-trusted-ja.html", TableKind::TrustedDevices), ("antd-fixed-empty-logs-ar.html", TableKind::SecurityLogs)] {
        // (not under layouts/: every page there holds the two sessions)
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/empty-lists/");
        let html = std::fs::read_to_string(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = extract(&snapshot_from_html(&html, SECURITY));
        let t = e.table(kind).unwrap_or_else(|| panic!("{name}: {:?}", e.problems));
        assert!(t.empty && t.records.is_empty() && t.unreadable.is_empty(), "{name}: {t:?}");
        assert!(session_guard::extract::rendered(Some(t)).is_some(), "{name}");
        assert!(!e.problems.iter().any(|p| p.contains("no rows yet")), "{name}: {:?}", e.problems);
    }
}

/// A Trusted Devices row in Ant Design's table and, in a portal at the end of
/// `<body>`, the pop-confirm its Remove opened as Ant Design renders it:
/// Cancel first, then its own default `okText` in the page language ("OK",
/// "确定" spaced out as "确 定" like every two-character Chinese button label,
/// "Đồng ý", "ঠিক" …), or KuCoin's "Confirm" spaced the same way.
fn antd_popconfirm_page(lang: &str, dir: &str, question: &str, cancel: &str, ok: &str) -> String {
    format!(
        r#"<html lang="{lang}" dir="{dir}"><body><div data-inspector="account_security_page">
<div class="ant-table-wrapper"><div class="ant-table"><div class="ant-table-container"><div class="ant-table-content"><table><thead class="ant-table-thead"><tr><th class="ant-table-cell">Trusted Device</th><th class="ant-table-cell">Login IP</th><th class="ant-table-cell">Recent Activity</th><th class="ant-table-cell">Remove Device</th></tr></thead>
<tbody class="ant-table-tbody"><tr data-row-key="b" class="ant-table-row ant-table-row-level-0"><td class="ant-table-cell">Linux Firefox</td><td class="ant-table-cell">Lagos(198.51.100.77)</td><td class="ant-table-cell">7/13/2025, 22:01:02</td><td class="ant-table-cell"><button type="button" class="ant-btn ant-btn-link ant-popover-open"><span>Remove</span></button></td></tr></tbody></table></div></div></div></div>
</div>
<div style="position: absolute; top: 0px; left: 0px; width: 100%;"><div><div class="ant-popover ant-popconfirm ant-popover-placement-top" style="left: 812px; top: 402px; transform-origin: 50% 90px;"><div class="ant-popover-content"><div class="ant-popover-arrow"><span class="ant-popover-arrow-content"></span></div><div class="ant-popover-inner" role="tooltip"><div class="ant-popover-inner-content"><div class="ant-popover-message"><span role="img" aria-label="exclamation-circle" class="anticon anticon-exclamation-circle"><svg viewBox="64 64 896 896"></svg></span><div class="ant-popover-message-title">{question}</div></div><div class="ant-popover-buttons"><button type="button" class="ant-btn ant-btn-sm"><span>{cancel}</span></button><button type="button" class="ant-btn ant-btn-primary ant-btn-sm"><span>{ok}</span></button></div></div></div></div></div></div></div>
</body></html>"#
    )
}

/// The id of the first element whose class list holds `class`.
fn by_class(snap: &session_guard::snapshot::Snapshot, class: &str) -> u32 {
    snap.nodes.iter().find(|n| n.attr("class").is_some_and(|c| c.split(' ').any(|w| w == class))).map(|n| n.id).unwrap()
}

#[test]
fn antd_popconfirm_is_confirmed_with_its_ok_and_never_its_cancel() {
    use session_guard::probe::{confirm_candidates, Probe};
    use session_guard::snapshot::Tree;
    for (lang, dir, q, cancel, ok) in [
        ("en", "ltr", "Are you sure to remove the device?", "Cancel", "OK"),
        ("zh-CN", "ltr", "您确认要移除此设备吗?", "取 消", "确 定"),
        ("zh-TW", "ltr", "您確認要移除此設備嗎?", "取 消", "確 認"),
        ("ru", "ltr", "Вы действительно хотите удалить устройство?", "Отмена", "OK"),
        ("vi", "ltr", "Bạn có chắc chắn sẽ gỡ thiết bị này?", "Hủy", "Đồng ý"),
        ("ar", "rtl", "هل أنت متأكد من إزالة الجهاز؟", "إلغاء", "تأكيد"),
        ("bn", "ltr", "আপনি কি ডিভাইসটি সরানোর বিষয়ে নিশ্চিত?", "বাতিল", "ঠিক"),
        ("ja", "ltr", "本当にデバイスを削除しますか？", "キャンセル", "OK"),
    ] {
        let snap = snapshot_from_html(&antd_popconfirm_page(lang, dir, q, cancel, ok), SECURITY);
        let tree = Tree::new(&snap).unwrap();
        let p = Probe::new(&tree);
        let (ok_id, cancel_id) = (by_class(&snap, "ant-btn-primary"), by_class(&snap, "ant-btn-sm"));
        assert_eq!(p.remove_popconfirm(&[]), Some(ok_id), "{lang}: {ok}");
        // An OK already on screen when Remove was pressed is not this pop-confirm's answer.
        assert!(p.confirm_buttons().contains(&ok_id) && confirm_candidates(&snap).contains(&ok_id), "{lang}");
        assert_eq!(p.remove_popconfirm(&[ok_id]), None, "{lang}");
        assert!(!p.confirm_buttons().contains(&cancel_id), "{lang}");
    }
    // Buttons that say neither Confirm nor OK: nothing is pressed.
    for other in ["Delete account", "删 除", "Remove all"] {
        let snap = snapshot_from_html(&antd_popconfirm_page("en", "ltr", "Are you sure to remove the device?", "Cancel", other), SECURITY);
        let tree = Tree::new(&snap).unwrap();
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), None, "{other}");
    }
}

/// Every page with the sessions' (and devices') times shown as "Just now",
/// in whatever shape the page writes them: a date-time on one line, split
/// over two elements, over two lines.
fn undated(html: &str) -> String {
    let mut h = html.to_string();
    for (m, d, t) in [("07", "14", "09:21:37"), ("07", "13", "22:01:02")] {
        let us = format!("{}/{d}/2025, {t}", m.trim_start_matches('0'));
        for old in [us, format!("2025/{m}/{d} {t}"), format!("<span>2025/{m}/{d}</span> <span>{t}</span>"), format!("<span>2025/{m}/{d}</span><br><span>{t}</span>"), format!("<div>2025-{m}-{d}</div><div>{t}</div>")] {
            h = h.replace(&old, "Just now");
        }
    }
    assert!(!h.contains("09:21:37") && !h.contains("22:01:02"), "a time left: {h}");
    h
}

/// Every row of a list with a time we cannot read ("Just now") is what one
/// such row beside dated ones is: a row we cannot read, with its reason, and
/// "can't verify"; never "no rows yet" (a list still loading) or "could not
/// find the list", in every layout (the header in a table of its own, cards,
/// the IPs a trusted device used listed under its row or card).
#[test]
fn every_layout_with_no_time_read_is_rows_we_cannot_read() {
    let mut failures = Vec::new();
    for &name in PAGES {
        // (no labels, and no row dated: nothing there says what the cards are)
        if name == "cards-unlabelled-datetime-split.html" {
            continue;
        }
        let html = undated(&page(name));
        let e = extract(&snapshot_from_html(&html, SECURITY));
        let kinds: &[TableKind] = if name.starts_with("trusted-") { &[TableKind::RecentLogins, TableKind::TrustedDevices] } else { &[TableKind::RecentLogins] };
        for &kind in kinds {
            let why: Option<Vec<&str>> = e.table(kind).filter(|t| t.records.is_empty()).map(|t| t.unreadable.iter().map(|u| u.reason.as_str()).collect());
            // (the page whose Time column we cannot name: "no time")
            let ok = why.as_ref().is_some_and(|w| w.len() == 2 && w.iter().all(|w| w.starts_with("unreadable time \"Just now\"") || (name == "header-unknown-time.html" && *w == "no time")));
            if !ok {
                failures.push(format!("{name} {kind:?}: {why:?} {:?}", e.problems));
            }
        }
        let mut state = State::default();
        handle_scan(&snapshot_from_html(&html, SECURITY), &mut state, 1_752_500_000_000);
        let s = &state.scan.as_ref().unwrap().summary;
        if s.readable || s.problems.iter().any(|p| p.contains("no rows yet") || p.contains("Could not find") || p.contains("Two ")) {
            failures.push(format!("{name}: readable {} {:?}", s.readable, s.problems));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A one-row list (one trusted device, one login) whose only date-time is
/// read, beside addresses with none: the IPs its expanded row or the list
/// after its card shows "Just now", or the other list's row "Just now". That
/// date-time is its row's: the row is read and the others are rows we cannot
/// read, never the whole table, the cards or the page taken for one row we
/// cannot read (the device lost from review, Recent Logins "not found").
#[test]
fn a_lone_dated_row_beside_undated_addresses_is_read() {
    const LOGIN: &str = r#"<tr><td>Singapore(203.0.113.24)</td><td>Windows 10 Chrome</td><td>7/14/2025, 09:21:37</td><td>Current</td></tr>"#;
    const LAGOS: &str = r#"<tr><td>Lagos(198.51.100.77)</td><td>Linux Firefox</td><td>7/13/2025, 22:01:02</td><td>Online</td></tr>"#;
    const DEVICE: &str = r#"<tr><td>Windows 10 Chrome</td><td>Singapore(203.0.113.24)</td><td>7/14/2025, 09:21:37</td><td><button type="button">Remove</button></td></tr>"#;
    const EXPANDED: &str = r#"<tr class="KuxTable-expandedRow"><td colspan="4"><ul><li><span>Singapore(203.0.113.25)</span><span>Just now</span></li></ul></td></tr>"#;
    const UNDATED: &str = r#"<tr><td>Linux Firefox</td><td>Lagos(198.51.100.77)</td><td>Just now</td><td><button type="button">Remove</button></td></tr>"#;
    let logins = |rows: &str| format!("<div><h3>Recent Logins</h3><table><thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table></div>");
    let devices = |rows: &str| format!("<section><h3>Trusted Devices and IP Addresses</h3><table><thead><tr><th>Trusted Device</th><th>Login IP</th><th>Recent Activity</th><th>Remove Device</th></tr></thead><tbody>{rows}</tbody></table></section>");
    let card = r#"<div class="cards"><div class="card"><div class="head"><span>Windows 10 Chrome</span></div><div class="line"><span class="label">Login IP</span><span class="value">Singapore(203.0.113.24)</span></div><div class="line"><span class="label">Recent Activity</span><span class="value">2025/07/14 09:21:37</span></div><button type="button">Remove</button></div>
<div class="ips"><ul><li><span>Singapore(203.0.113.24)</span><span>Just now</span></li><li><span>Singapore(203.0.113.25)</span><span>Just now</span></li></ul></div></div>"#;
    let cases = [
        // the device's expanded row, its IP "Just now" (a row we cannot read, as before)
        ("expanded row", format!("{}{}", logins(&format!("{LOGIN}{LAGOS}")), devices(&format!("{DEVICE}{EXPANDED}"))), TableKind::TrustedDevices, 1, 1),
        // one login, one trusted device "Just now"
        ("other list", format!("{}{}", logins(LOGIN), devices(UNDATED)), TableKind::RecentLogins, 1, 0),
        ("other list", format!("{}{}", logins(LOGIN), devices(UNDATED)), TableKind::TrustedDevices, 0, 1),
        // a card, then the IPs it used "Just now"
        ("card", format!("<h3>Trusted Devices and IP Addresses</h3>{card}{}", logins(&format!("{LOGIN}{LAGOS}"))), TableKind::TrustedDevices, 1, 0),
        ("card", format!("<h3>Trusted Devices and IP Addresses</h3>{card}{}", logins(&format!("{LOGIN}{LAGOS}"))), TableKind::RecentLogins, 2, 0),
    ];
    let mut failures = Vec::new();
    for (name, body, kind, read, unread) in cases {
        let html = format!(r#"<html lang="en"><body><div data-inspector="account_security_page">{body}</div></body></html>"#);
        let e = extract(&snapshot_from_html(&html, SECURITY));
        let got = e.table(kind).map(|t| (t.records.len(), t.unreadable.len(), t.records.first().and_then(|r| r.ip.as_ref()).map(|i| i.ip.to_string())));
        let want = Some((read, unread, (read > 0).then(|| "203.0.113.24".to_string())));
        if got != want {
            failures.push(format!("{name} {kind:?}: got {got:?}, want {want:?} ({:?})", e.problems));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "No data" in a row's cell after its address (a device's Recent Activity)
/// is no empty list: the rows are ones we cannot read and the page says
/// "can't verify", never "Protected" (also with the IPs each device used
/// listed under its row, once read as rows of their own).
#[test]
fn no_data_in_a_row_is_not_an_empty_list() {
    for sublist in [false, true] {
        let ips = if sublist { r#"<tr class="expanded"><td colspan="4"><ul><li><span>Singapore(203.0.113.24)</span><span>7/10/2025, 10:11:12</span></li><li><span>Singapore(203.0.113.25)</span><span>7/10/2025, 10:11:12</span></li></ul></td></tr>"# } else { "" };
        let html = format!(
            r#"<html lang="en"><body><div data-inspector="account_security_page">
<h3>Recent Logins</h3><table><thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th></tr></thead><tbody>
<tr><td>Singapore(203.0.113.24)</td><td>Windows 10 Chrome</td><td>7/14/2025, 09:21:37</td><td>Current</td></tr></tbody></table>
<h3>Trusted Devices and IP Addresses</h3><table><thead><tr><th>Trusted Device</th><th>Login IP</th><th>Recent Activity</th><th>Remove Device</th></tr></thead><tbody>
<tr><td>Windows 10 Chrome</td><td>Singapore(203.0.113.24)</td><td>No data</td><td><button type="button">Remove</button></td></tr>{ips}
<tr><td>Linux Firefox</td><td>Lagos(198.51.100.77)</td><td>No data</td><td><button type="button">Remove</button></td></tr>
</tbody></table></div></body></html>"#
        );
        let mut snap = snapshot_from_html(&html, SECURITY);
        snap.env.ua = WINDOWS_CHROME.into();
        let e = extract(&snap);
        let t = e.table(TableKind::TrustedDevices).unwrap_or_else(|| panic!("sub-list {sublist}: {:?}", e.problems));
        assert!(!t.empty && t.unreadable.len() == 2, "sub-list {sublist}: {t:?}");
        let mut state = State::default();
        handle_scan(&snap, &mut state, 1_752_500_000_000);
        let m = session_guard::popup::model(&state, 1_752_500_000_000);
        assert_ne!(m.headline, session_guard::popup::Headline::Protected, "sub-list {sublist}: {}", m.title);
    }
}

/// Ant Design's empty text in a page language, as its locale files have it
/// (`Empty.description`, and `Table.emptyText` where that differs): most are
/// another wording than KuCoin's own "No data" in that language.
const ANTD_EMPTY: &[(&str, &str, &str)] = &[
    ("ja", "ja", "データがありません"),
    ("vi", "vi", "Trống"),
    ("uk", "uk", "Даних немає"),
    ("zh-TW", "zh-hant", "無此資料"),
    ("hi", "hi", "कोई आकड़ा उपलब्ध नहीं है"),
    ("hi", "hi", "कोई जानकारी नहीं"),
    ("es", "es", "No hay datos"),
    ("pt", "pt", "Não há dados"),
    ("pt", "pt", "Sem conteúdo"),
    ("bn", "bn", "কোনও ডেটা নেই"),
    ("ur", "ur", "کوئی ڈیٹا نہیں"),
    ("nl", "nl", "Geen data"),
    ("tr", "tr", "Veri Yok"),
    ("zh-CN", "zh_CN", "暂无数据"),
    ("en", "en", "No data"),
];

/// `key` in KuCoin's UI language `ui`.
fn lbl(key: &str, ui: &str) -> &'static str {
    session_guard::labels::label(key, ui).unwrap_or_else(|| panic!("{key} in {ui}"))
}

/// One of Ant Design's tables, headed by `keys` in language `ui`: `body` its
/// rows, or (None) its empty placeholder saying `empty` (`ant-empty`). With
/// `fixed`, the fixed header (`scroll.y`): header and body two tables.
fn antd_table(ui: &str, keys: &[&str], body: Option<&str>, empty: &str, fixed: bool) -> String {
    let mut head = String::new();
    for k in keys {
        head += &format!(r#"<th class="ant-table-cell">{}</th>"#, lbl(k, ui));
    }
    let placeholder = format!(
        r#"<tr class="ant-table-placeholder"><td colspan="{}" class="ant-table-cell"><div class="ant-empty ant-empty-normal"><div class="ant-empty-image"><svg class="ant-empty-img-simple" width="64" height="41"></svg></div><div class="ant-empty-description">{empty}</div></div></td></tr>"#,
        keys.len()
    );
    let rows = body.map_or(placeholder, String::from);
    let class = if body.is_some() { "ant-table" } else { "ant-table ant-table-empty" };
    let inner = if fixed {
        format!(
            r#"<div class="ant-table-header" style="overflow: hidden;"><table style="table-layout: fixed;"><thead class="ant-table-thead"><tr>{head}<th class="ant-table-cell ant-table-cell-scrollbar"></th></tr></thead></table></div>
<div class="ant-table-body" style="overflow-y: scroll; max-height: 300px;"><table style="table-layout: fixed;"><tbody class="ant-table-tbody"><tr aria-hidden="true" class="ant-table-measure-row" style="height: 0px; font-size: 0px;"><td style="padding: 0px; border: 0px; height: 0px;"><div style="height: 0px; overflow: hidden;">&nbsp;</div></td></tr>
{rows}</tbody></table></div>"#
        )
    } else {
        format!(r#"<div class="ant-table-content"><table style="table-layout: auto;"><thead class="ant-table-thead"><tr>{head}</tr></thead><tbody class="ant-table-tbody">{rows}</tbody></table></div>"#)
    };
    let fixed_class = if fixed { " ant-table-fixed-header" } else { "" };
    format!(r#"<div class="ant-table-wrapper"><div class="ant-spin-nested-loading"><div class="ant-spin-container"><div class="{class}{fixed_class}"><div class="ant-table-container">{inner}</div></div></div></div></div>"#)
}

/// The security page of the Ant Design generation in language `ui`: the
/// Recent Logins tab and the Trusted Devices list, each given as a table.
fn antd_security_page(html_lang: &str, ui: &str, logins: &str, trusted: &str, after: &str) -> String {
    let dir = if matches!(ui, "ar" | "ur") { "rtl" } else { "ltr" };
    format!(
        r#"<html lang="{html_lang}" dir="{dir}"><body><div data-inspector="account_security_page"><div id="loginRecord">
<div class="ant-tabs ant-tabs-top"><div role="tablist" class="ant-tabs-nav"><div class="ant-tabs-nav-wrap"><div class="ant-tabs-nav-list"><div class="ant-tabs-tab"><div role="tab" aria-selected="false" class="ant-tabs-tab-btn" tabindex="-1">{}</div></div><div class="ant-tabs-tab ant-tabs-tab-active"><div role="tab" aria-selected="true" class="ant-tabs-tab-btn" tabindex="0">{}</div></div></div></div></div>
<div class="ant-tabs-content-holder"><div class="ant-tabs-content ant-tabs-content-top"><div role="tabpanel" class="ant-tabs-tabpane ant-tabs-tabpane-active">
{logins}
</div></div></div></div></div>
<h3>{}</h3>
{trusted}
</div>{after}</body></html>"#,
        lbl("Security Logs", ui),
        lbl("Recent Logins", ui),
        lbl("Trusted Devices and IP Addresses", ui)
    )
}

const LOGIN_KEYS: &[&str] = &["Login IP", "Login Device", "Time", "Status"];
const TRUSTED_KEYS: &[&str] = &["Trusted Device", "Login IP", "Recent Activity", "Remove Device"];

/// KuCoin's older Ant Design generation shows an empty list with Ant Design's
/// own empty text in the page language, often not KuCoin's "No data" there
/// ("データがありません" where KuCoin says "データなし"). It is an empty list,
/// not one still loading: a Trusted Devices list emptied by "Log out all
/// devices" reads as done (`rendered`), not "did not finish loading", and an
/// empty Recent Logins is not "no rows yet". Plain and fixed-header tables.
#[test]
fn antd_empty_text_in_the_page_language_is_an_empty_list() {
    for &(html_lang, ui, text) in ANTD_EMPTY {
        for fixed in [false, true] {
            let page = antd_security_page(html_lang, ui, &antd_table(ui, LOGIN_KEYS, None, text, fixed), &antd_table(ui, TRUSTED_KEYS, None, text, fixed), "");
            let e = extract(&snapshot_from_html(&page, SECURITY));
            for kind in [TableKind::RecentLogins, TableKind::TrustedDevices] {
                let t = e.table(kind).unwrap_or_else(|| panic!("{ui} {text} fixed {fixed} {kind:?}: {:?}", e.problems));
                assert!(t.empty && t.records.is_empty() && t.unreadable.is_empty(), "{ui} {text} fixed {fixed}: {t:?}");
                assert!(session_guard::extract::rendered(Some(t)).is_some(), "{ui} {text} fixed {fixed} {kind:?}");
            }
            assert!(!e.problems.iter().any(|p| p.contains("no rows yet")), "{ui} {text} fixed {fixed}: {:?}", e.problems);
        }
    }
}

/// Ant Design's empty text where it does not stand for the list: in a row's
/// cell after its address (a device's Recent Activity), or in another
/// component's empty state on the page (a select's dropdown, beside the list
/// in its panel). A list with rows is never read as empty for it: the rows
/// are read (or are rows we cannot read), never skipped as an empty list.
#[test]
fn antd_empty_text_beside_rows_is_not_an_empty_list() {
    for &(html_lang, ui, text) in &ANTD_EMPTY[..4] {
        for fixed in [false, true] {
            // A device whose Recent Activity says it: rows we cannot read.
            let cell = |area: &str, ip: &str, dev: &str| {
                format!(r#"<tr class="ant-table-row"><td class="ant-table-cell">{dev}</td><td class="ant-table-cell">{area}({ip})</td><td class="ant-table-cell">{text}</td><td class="ant-table-cell"><button type="button" class="ant-btn ant-btn-link"><span>{}</span></button></td></tr>"#, lbl("Remove", ui))
            };
            let rows = cell("Singapore", "203.0.113.24", "Windows 10 Chrome") + &cell("Lagos", "198.51.100.77", "Linux Firefox");
            let page = antd_security_page(html_lang, ui, &antd_table(ui, LOGIN_KEYS, None, text, fixed), &antd_table(ui, TRUSTED_KEYS, Some(&rows), text, fixed), "");
            let mut snap = snapshot_from_html(&page, SECURITY);
            snap.env.ua = WINDOWS_CHROME.into();
            let e = extract(&snap);
            let t = e.table(TableKind::TrustedDevices).unwrap_or_else(|| panic!("{ui} fixed {fixed}: {:?}", e.problems));
            assert!(!t.empty && t.unreadable.len() == 2, "{ui} fixed {fixed}: {t:?}");
            let mut state = State::default();
            handle_scan(&snap, &mut state, 1_752_500_000_000);
            let m = session_guard::popup::model(&state, 1_752_500_000_000);
            assert_ne!(m.headline, session_guard::popup::Headline::Protected, "{ui} fixed {fixed}: {}", m.title);
        }
    }
    // Rows we read, and the text in an empty dropdown in the list's panel and
    // in a portal at the end of the page: the rows, not an empty list.
    for &(_, _, text) in &ANTD_EMPTY[..4] {
        for fixed in [false, true] {
            let rows = r#"<tr class="ant-table-row"><td class="ant-table-cell">Singapore(203.0.113.24)</td><td class="ant-table-cell">Windows 10 Chrome</td><td class="ant-table-cell">7/14/2025, 09:21:37</td><td class="ant-table-cell">Current</td></tr>
<tr class="ant-table-row"><td class="ant-table-cell">Lagos(198.51.100.77)</td><td class="ant-table-cell">Linux Firefox</td><td class="ant-table-cell">7/13/2025, 22:01:02</td><td class="ant-table-cell">Online</td></tr>"#;
            let dropdown = format!(r#"<div class="ant-select-dropdown"><div class="ant-select-item-empty"><div class="ant-empty ant-empty-normal ant-empty-small"><div class="ant-empty-description">{text}</div></div></div></div>"#);
            let logins = antd_table("en", LOGIN_KEYS, Some(rows), text, fixed) + &dropdown;
            let page = antd_security_page("en", "en", &logins, &antd_table("en", TRUSTED_KEYS, None, "No data", fixed), &dropdown);
            let e = extract(&snapshot_from_html(&page, SECURITY));
            let t = e.table(TableKind::RecentLogins).unwrap_or_else(|| panic!("{text} fixed {fixed}: {:?}", e.problems));
            assert!(!t.empty && t.records.len() == 2, "{text} fixed {fixed}: {t:?}");
        }
    }
}
