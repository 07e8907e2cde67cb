//! The inline-widget rule (issue #8): every session row is marked, at most
//! `MAX_INLINE_REASONS` rows per list get a reason widget under them (the most
//! urgent first), and the summary above Recent Logins names the unfamiliar
//! rows left without one, so none goes unmentioned.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_scan, MAX_INLINE_REASONS, MAX_ROWS_WITH_INLINE};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Kind, Widget};
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";

/// The English replica with `n` Recent Logins rows (row 0 this browser, rows 1
/// and 2 online, the rest offline; distinct IPs), like the benchmark pages.
fn page(n: usize) -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap();
    let open = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
    let a = html.find(open).unwrap() + open.len();
    let b = a + html[a..].find("</tbody>").unwrap();
    let devices = ["Linux Firefox", "iOS 17.5 iPhone", "Windows 10 Chrome", "Android 14 KuCoin App", "macOS Safari"];
    let mut rows = String::new();
    for i in 0..n {
        let (device, status, class) = match i {
            0 => ("Linux Chrome", "Current", "css-0huylpk"),
            1 | 2 => (devices[i % devices.len()], "Online", "css-01n8gow"),
            _ => (devices[i % devices.len()], "Offline", "css-1rjuu1i"),
        };
        let cell = |inner: &str| format!("<td class=\"KuxTable-cell css-0nthq5q\">{inner}</td>");
        rows.push_str(&format!(
            "<tr class=\"KuxTable-row css-0jxnag4\" data-row-key=\"k{i}\">{}{}{}{}</tr>\n",
            cell(&format!("Lagos(198.18.{}.{})", i >> 8, i & 255)),
            cell(&format!("<span class=\"css-0niqyd2 icon\" data-icon=\"kucoin web\"></span>{device}")),
            cell(&format!("7/{}/2025, 09:{:02}:00", 14 - (i / 60).min(13), i % 60)),
            cell(&format!("<span class=\"{class}\">{status}</span>")),
        ));
    }
    format!("{}\n{rows}{}", &html[..a], &html[b..])
}

fn reasons(ws: &[Widget]) -> Vec<&Widget> {
    ws.iter().filter(|w| w.kind == Kind::Reason).collect()
}

#[test]
fn a_long_list_gets_a_few_inline_reasons_and_a_summary_naming_the_rest() {
    let n = 50;
    let snap = snapshot_from_html(&page(n), SECURITY);
    let mut state = State::default();
    let out = handle_scan(&snap, &mut state, 1_752_500_000_000);
    let plan = &out.plan;
    let marks: Vec<_> = plan.marks.iter().filter(|m| m.attr == "data-session-guard").collect();
    assert_eq!(marks.len(), n + 4, "every row of both lists keeps its mark");
    let unfamiliar = marks.iter().filter(|m| m.value == "unfamiliar").count();
    assert!(unfamiliar >= n - 1, "first visit: all but this browser are unfamiliar ({unfamiliar})");

    let inline = reasons(&plan.widgets);
    assert!(inline.len() <= 2 * MAX_INLINE_REASONS, "{} inline reasons", inline.len());
    // The two online unfamiliar sessions are among those explained inline.
    let texts: Vec<&str> = inline.iter().map(|w| w.text.as_str()).collect();
    for ip in ["198.18.0.1", "198.18.0.2"] {
        assert!(texts.iter().any(|t| t.contains(ip) && t.contains("Online now")), "{ip} inline: {texts:?}");
    }
    // Every unfamiliar row is either explained under its row or counted in the summary.
    let bar = plan.widgets.iter().find(|w| w.key == "summary:recent").expect("summary");
    let inline_unfamiliar = inline.iter().filter(|w| w.title == "Unfamiliar").count();
    let rest = unfamiliar - inline_unfamiliar;
    assert!(rest > 5);
    let all = bar.items.join("\n");
    assert!(all.contains(&format!("{rest} more unfamiliar sessions are marked in the list without an explanation")), "{all}");
    assert!(all.contains(&format!("…and {} more", rest - 5)), "{all}");
    // the named ones are not also explained inline
    let named: Vec<&String> = bar.items.iter().filter(|i| i.contains("198.18.")).collect();
    assert_eq!(named.len(), 5, "{all}");
    for item in named {
        assert!(!texts.contains(&item.as_str()), "{item} twice");
    }
}

#[test]
fn a_short_list_keeps_a_reason_under_every_row_and_no_extra_summary_line() {
    let snap = snapshot_from_html(&page(MAX_INLINE_REASONS + 1), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    let non_current = out.plan.marks.iter().filter(|m| m.attr == "data-session-guard" && m.value != "current").count();
    assert_eq!(reasons(&out.plan.widgets).len(), non_current);
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").unwrap();
    assert!(bar.items.iter().all(|i| !i.contains("more unfamiliar")), "{:?}", bar.items);
    assert_eq!(bar.place, session_guard::plan::Place::Before, "above the list");
}

#[test]
fn a_list_longer_than_the_inline_limit_gets_its_reasons_in_the_summary() {
    let snap = snapshot_from_html(&page(MAX_ROWS_WITH_INLINE + 1), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    let inline = reasons(&out.plan.widgets);
    assert!(inline.iter().all(|w| !w.buttons.iter().any(|b| b.action.kind == "not_me")), "no Recent Logins reasons");
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").unwrap();
    // all 100 unfamiliar rows (the list minus this browser) are counted
    assert!(bar.items.iter().any(|i| i.starts_with("100 more unfamiliar sessions")), "{:?}", bar.items);
}

#[test]
fn five_thousand_rows_stay_bounded() {
    let snap = snapshot_from_html(&page(5000), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    assert_eq!(out.plan.marks.iter().filter(|m| m.attr == "data-session-guard").count(), 5004);
    // No reason inside the 5,000-row table (each would relayout it); the 4 Trusted Devices keep theirs.
    let inline = reasons(&out.plan.widgets);
    assert!(inline.len() <= MAX_INLINE_REASONS && !inline.is_empty(), "{}", inline.len());
    assert!(inline.iter().all(|w| !w.buttons.iter().any(|b| b.action.kind == "not_me")), "no Recent Logins reasons");
    let bar = out.plan.widgets.iter().find(|w| w.key == "summary:recent").unwrap();
    // (banner 2, the count, 5 named, "…and N more", the pager's "Only page 1 of 3")
    assert!(bar.items.len() <= 2 + 1 + 5 + 1 + 1, "{:?}", bar.items);
    // after <body> (the content script docks it at the bottom of the window): no restyle of the list
    assert_eq!(bar.anchor, snap.nodes[0].id);
    assert_eq!(bar.place, session_guard::plan::Place::After);
    // and so do the page-level cards (the log-out-all action) and the Trusted Devices reasons:
    // nothing is inserted into the page's flow, where it would shift or restyle the list
    let action = out.plan.widgets.iter().find(|w| w.kind == Kind::Action).expect("log-out-all card");
    assert_eq!((action.anchor, action.place), (snap.nodes[0].id, session_guard::plan::Place::After));
    for w in &out.plan.widgets {
        assert_eq!((w.anchor, w.place), (snap.nodes[0].id, session_guard::plan::Place::After), "{} in the page's flow", w.key);
    }
    // in the dock the cards come first, then the reasons, which name their device
    let first_reason = out.plan.widgets.iter().position(|w| w.kind == Kind::Reason).unwrap();
    assert!(out.plan.widgets[first_reason..].iter().all(|w| w.kind == Kind::Reason));
    assert!(inline.iter().any(|w| w.text.contains("Firefox on Linux from \u{2068}Lagos\u{2069}")), "{:?}", inline.iter().map(|w| &w.text).collect::<Vec<_>>());
    // the summary names the most urgent: the two online unfamiliar sessions
    let all = bar.items.join("\n");
    assert!(all.contains("4999 more unfamiliar sessions"), "{all}");
    for ip in ["198.18.0.1", "198.18.0.2"] {
        assert!(all.contains(ip), "{ip}: {all}");
    }
}

/// The English replica with `n` Trusted Devices rows (distinct IPs, none of
/// them this browser) and its short Recent Logins list.
fn devices_page(n: usize) -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap();
    let open = "<tbody class=\"KuxTable-tbody css-1ww89m0\">";
    let a = html.find(open).unwrap() + open.len();
    let b = a + html[a..].find("</tbody>").unwrap();
    let mut rows = String::new();
    for i in 0..n {
        let cell = |inner: &str| format!("<td class=\"KuxTable-cell css-0nthq5q\">{inner}</td>");
        rows.push_str(&format!(
            "<tr class=\"KuxTable-row css-0jxnag4\" data-row-key=\"d{i}\">{}{}{}{}</tr>\n",
            cell("<span class=\"css-0niqyd2 icon\" data-icon=\"iphone app\"></span>iOS 17.5 iPhone"),
            cell(&format!("Lagos(198.18.{}.{})", i >> 8, i & 255)),
            cell(&format!("7/{}/2025, 10:{:02}:00", 13 - (i / 60).min(12), i % 60)),
            cell("<button type=\"button\" class=\"KuxButton-root KuxButton-text css-07ca0tj\">Remove</button>"),
        ));
    }
    format!("{}\n{rows}{}", &html[..a], &html[b..])
}

#[test]
fn a_long_trusted_devices_list_docks_the_page_too() {
    // Short Recent Logins, 101 trusted devices: the long list is not the one
    // the summary sits above, and the page still gets nothing in its flow.
    let snap = snapshot_from_html(&devices_page(MAX_ROWS_WITH_INLINE + 1), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    let devices = out.plan.marks.iter().filter(|m| m.attr == "data-session-guard").count();
    assert!(devices > MAX_ROWS_WITH_INLINE, "every row is marked ({devices})");
    assert!(!out.plan.widgets.is_empty());
    for w in &out.plan.widgets {
        assert_eq!((w.anchor, w.place), (snap.nodes[0].id, session_guard::plan::Place::After), "{} in the page's flow", w.key);
    }
    // and the same page with a short devices list keeps its widgets in the flow
    let snap = snapshot_from_html(&devices_page(3), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    assert!(out.plan.widgets.iter().any(|w| w.anchor != snap.nodes[0].id), "short lists: widgets next to their rows");
}

/// (row id, value) of the marks with attribute `attr`.
fn marks_of<'p>(plan: &'p session_guard::plan::Plan, attr: &str) -> Vec<(u32, &'p str)> {
    plan.marks.iter().filter(|m| m.attr == attr).map(|m| (m.id, m.value.as_str())).collect()
}

#[test]
fn rows_of_short_lists_get_a_bar_mark_and_a_long_list_none() {
    use session_guard::plan::BAR_ATTR;
    // Up to the limit: every row's bar says its verdict.
    let snap = snapshot_from_html(&page(MAX_ROWS_WITH_INLINE - 4), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    assert_eq!(marks_of(&out.plan, BAR_ATTR), marks_of(&out.plan, "data-session-guard"));
    // Longer: no bar on its rows (a style rule on every row of a 5,000-row list costs a long
    // task), the short Trusted Devices list beside it keeps its bars; every row keeps its mark.
    let snap = snapshot_from_html(&page(MAX_ROWS_WITH_INLINE + 1), SECURITY);
    let out = handle_scan(&snap, &mut State::default(), 1_752_500_000_000);
    let marks = marks_of(&out.plan, "data-session-guard");
    let bars = marks_of(&out.plan, BAR_ATTR);
    assert_eq!(marks.len(), MAX_ROWS_WITH_INLINE + 1 + 4);
    assert_eq!(bars.len(), 4, "the 4 trusted devices only: {bars:?}");
    assert!(bars.iter().all(|b| marks.contains(b)));
}
