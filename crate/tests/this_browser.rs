//! "This browser" (navigator.userAgent + client hints) against the Login Device
//! cells KuCoin shows for it: real User-Agents and hints of the browsers the
//! extension runs in (and a few it does not), table in tests/data/this_browser.txt.
//! Each cell is checked twice: by `confirms` (what the scan asks: `same_device`,
//! and nothing the row names that this browser's identity could not read) on the
//! parsed identities, and
//! through the whole scan as the text of the Recent Logins row KuCoin marks
//! "Current" (Current and trusted for `+` cells; flagged, never trusted, for `-`).
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::handle_scan;
use session_guard::assess::Verdict;
use session_guard::device::parse_kucoin_device;
use session_guard::extract::{this_browser, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::snapshot::BrowserEnv;
use session_guard::storage::State;

const TABLE: &str = include_str!("data/this_browser.txt");

struct Case {
    line: usize,
    env: BrowserEnv,
    same: Vec<&'static str>,
    other: Vec<&'static str>,
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for (n, raw) in TABLE.lines().enumerate() {
        let line = raw.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ua) = line.strip_prefix("ua ") {
            let env = BrowserEnv { ua: ua.into(), ..BrowserEnv::default() };
            out.push(Case { line: n + 1, env, same: Vec::new(), other: Vec::new() });
            continue;
        }
        let case = out.last_mut().unwrap_or_else(|| panic!("line {}: no `ua` before it", n + 1));
        if let Some(h) = line.strip_prefix("hints ") {
            let f: Vec<&str> = h.split('|').map(str::trim).collect();
            assert_eq!(f.len(), 5, "line {}: hints need 5 fields", n + 1);
            case.env.brands = f[0]
                .split(", ")
                .map(|b| {
                    let (name, v) = b.rsplit_once('=').unwrap_or_else(|| panic!("line {}: brand {b:?}", n + 1));
                    (name.to_string(), v.to_string())
                })
                .collect();
            case.env.platform = f[1].into();
            case.env.platform_version = f[2].into();
            case.env.mobile = f[3] == "m";
            case.env.model = f[4].into();
        } else if let Some(cell) = line.strip_prefix('+') {
            case.same.push(cell.trim());
        } else if let Some(cell) = line.strip_prefix('-') {
            case.other.push(cell.trim());
        } else {
            panic!("line {}: cannot read {line:?}", n + 1);
        }
    }
    out
}

#[test]
fn the_table_is_big_enough() {
    let c = cases();
    assert!(c.len() >= 50, "{} identities", c.len());
    assert!(c.iter().filter(|c| !c.env.brands.is_empty()).count() >= 20, "client hints cases");
    assert!(c.iter().map(|c| c.same.len()).sum::<usize>() >= 120);
    assert!(c.iter().map(|c| c.other.len()).sum::<usize>() >= 100);
}

#[test]
fn same_device_over_the_table() {
    let mut failures = Vec::new();
    for c in cases() {
        let me = this_browser(&c.env).expect("a User-Agent always gives an identity");
        for (cells, want) in [(&c.same, true), (&c.other, false)] {
            for cell in cells.iter() {
                let row = parse_kucoin_device(cell);
                if me.confirms(&row) != want {
                    failures.push(format!("line {}: {cell:?} should{} be this browser\n   me  {me:?}\n   row {row:?}", c.line, if want { "" } else { " not" }));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// A Recent Logins page whose Current row shows `cell`.
fn page(cell: &str) -> String {
    let esc = cell.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<html lang=\"en\"><body><h2>Recent Logins</h2><table>\
         <thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th></tr></thead><tbody>\
         <tr><td>Singapore(203.0.113.24)</td><td>{esc}</td><td>7/14/2025, 09:21:37</td><td>Current</td></tr>\
         <tr><td>Lagos(198.51.100.77)</td><td>Windows 10 Chrome</td><td>7/13/2025, 09:21:37</td><td>Offline</td></tr>\
         </tbody></table></body></html>"
    )
}

#[test]
fn the_current_row_through_the_scan() {
    let mut failures = Vec::new();
    for c in cases() {
        for (cells, want) in [(&c.same, true), (&c.other, false)] {
            for cell in cells.iter() {
                let mut snap = snapshot_from_html(&page(cell), "https://www.kucoin.com/account/security");
                snap.env = c.env.clone();
                let mut state = State::default();
                handle_scan(&snap, &mut state, 1_752_500_000_000);
                let scan = state.scan.as_ref().expect("a security-page scan is reported");
                let current = scan
                    .rows
                    .iter()
                    .find(|r| r.table == TableKind::RecentLogins && r.ip == "203.0.113.24")
                    .map(|r| r.verdict);
                let ok = if want {
                    current == Some(Verdict::Current) && !state.trust.devices.is_empty() && !scan.summary.current_mismatch
                } else {
                    current != Some(Verdict::Current) && state.trust.devices.is_empty()
                };
                if !ok {
                    failures.push(format!(
                        "line {}: Current row {cell:?}: verdict {current:?}, {} trusted, mismatch {}",
                        c.line,
                        state.trust.devices.len(),
                        scan.summary.current_mismatch
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The Current row's verdict, what was trusted and whether the summary flags it,
/// for a Login Device cell given as markup (`cell_html`, an icon beside the text).
fn current_row(cell_html: &str, ua: &str) -> (Option<Verdict>, usize, bool) {
    let page = page("\u{1}").replace('\u{1}', cell_html);
    let mut snap = snapshot_from_html(&page, "https://www.kucoin.com/account/security");
    snap.env = BrowserEnv { ua: ua.into(), ..BrowserEnv::default() };
    let mut state = State::default();
    handle_scan(&snap, &mut state, 1_752_500_000_000);
    let scan = state.scan.as_ref().expect("a security-page scan is reported");
    let v = scan.rows.iter().find(|r| r.table == TableKind::RecentLogins && r.ip == "203.0.113.24").map(|r| r.verdict);
    (v, state.trust.devices.len(), scan.summary.current_mismatch)
}

/// A row's platform icon (img alt, title, aria-label, KuCoin's data-icon, an icon
/// class) adds the platform its text leaves out, which must then agree with this
/// browser: "Chrome" beside an Android icon is not this Windows Chrome. It never
/// makes a row match by itself: not without text, not beside a text naming no
/// browser, not when icons disagree or are hidden, never over the text's own OS.
#[test]
fn a_platform_icon_tells_a_row_apart_and_never_matches_it_alone() {
    const WIN_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
    const ANDROID_CHROME: &str = "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
    let current = (Some(Verdict::Current), 1, false);
    // told apart
    for cell in [
        r#"<img alt="Android" src="a.png">Chrome"#,
        r#"<svg class="icon icon-android"></svg>Chrome"#,
        r#"<span class="css-0niqyd2 icon" data-icon="android app"></span>Chrome"#,
        r#"<i aria-label="iOS"></i>Chrome"#,
        r#"<span><img title="macOS"></span> Chrome"#,
    ] {
        let (v, trusted, mismatch) = current_row(cell, WIN_CHROME);
        assert!(v != Some(Verdict::Current) && trusted == 0 && mismatch, "{cell}: {v:?}, {trusted} trusted, mismatch {mismatch}");
    }
    // the same platform: still this browser
    assert_eq!(current_row(r#"<img alt="Windows">Chrome"#, WIN_CHROME), current);
    assert_eq!(current_row(r#"<img alt="Android">Chrome"#, ANDROID_CHROME), current);
    // the text's own OS wins; icons that disagree, or a hidden one, say nothing
    assert_eq!(current_row(r#"<img alt="Android">Windows 10 Chrome"#, WIN_CHROME), current);
    assert_eq!(current_row(r#"<img alt="Android"><i class="icon-windows"></i>Chrome"#, WIN_CHROME), current);
    assert_eq!(current_row(r#"<img alt="Android" hidden>Chrome"#, WIN_CHROME), current);
    // never by itself: no text, or a text naming no browser
    for (cell, ua) in [
        (r#"<img alt="Windows">"#, WIN_CHROME),
        (r#"<img alt="Windows Chrome">"#, WIN_CHROME),
        (r#"<span data-icon="android app"></span>SM-S918B"#, ANDROID_CHROME),
    ] {
        let (v, trusted, _) = current_row(cell, ua);
        assert!(v != Some(Verdict::Current) && trusted == 0, "{cell}: {v:?}, {trusted} trusted");
    }
}
