//! `session-guard` — the core on the command line (host build, `--features cli`).
//!
//!   session-guard scan PAGE.html [--url URL] [--lang LANG] [--tz-offset MINUTES]
//!       Read a saved KuCoin security page; print a JSON report (recognised
//!       tables, parsed sessions, unreadable rows with reasons). Exit 2 when
//!       the page cannot be read. At `/account/api` (`--url`): the API keys,
//!       each with its level (high / medium / low / ok) and findings.
//!   session-guard device
//!       One device string or User-Agent per stdin line → one JSON object per line.

use session_guard::json::{pretty, to_text};
use session_guard::{api, device, extract, html_snapshot, json_struct};
use std::io::{BufRead, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: session-guard scan PAGE.html [--url URL] [--lang LANG] [--tz-offset MINUTES]\n       session-guard snapshot PAGE.html [--url URL]\n       session-guard device < lines";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scan") => scan(&args[1..]),
        Some("device") => device_lines(),
        Some("snapshot") => snapshot(&args[1..]),
        Some("-h") | Some("--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn scan(args: &[String]) -> ExitCode {
    let mut path = None;
    let mut url = "https://www.kucoin.com/account/security".to_string();
    let mut lang = None;
    let mut tz = 0i32;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--url" => url = it.next().cloned().unwrap_or_default(),
            "--lang" => lang = it.next().cloned(),
            "--tz-offset" => match it.next().and_then(|v| v.parse().ok()) {
                Some(v) => tz = v,
                None => {
                    eprintln!("session-guard: --tz-offset needs minutes east of UTC, e.g. 480");
                    return ExitCode::from(2);
                }
            },
            p if path.is_none() => path = Some(p.to_string()),
            other => {
                eprintln!("session-guard: unexpected argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(path) = path else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("session-guard: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let html = String::from_utf8_lossy(&bytes);
    let mut snap = html_snapshot::snapshot_from_html(&html, &url);
    if let Some(l) = lang {
        snap.lang = l;
    }
    snap.env.utc_offset_minutes = tz;
    let ex = extract::extract(&snap);
    if ex.page == extract::PageKind::Api {
        return scan_api(&snap, &ex.lang);
    }
    println!("{}", pretty(&to_text(&ex)));
    let readable = ex.table(extract::TableKind::RecentLogins).is_some_and(|t| t.unreadable.is_empty());
    if ex.page != extract::PageKind::Security || !readable {
        // the page's problems, else the rows we could not read and why
        let mut why = ex.problems.clone();
        if why.is_empty() {
            for u in ex.table(extract::TableKind::RecentLogins).into_iter().flat_map(|t| &t.unreadable).take(5) {
                why.push(format!("row {}: {}", u.row, u.reason));
            }
        }
        eprintln!(
            "session-guard: could not read the session list: {}",
            if ex.page != extract::PageKind::Security { format!("not a security page ({})", ex.page) } else { why.join("; ") }
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// A saved API Management page: every key as read, with its level and findings.
fn scan_api(snap: &session_guard::snapshot::Snapshot, lang: &str) -> ExitCode {
    let page = api::read_page(snap, lang);
    let report = api::ApiReport::default();
    let trust = session_guard::trust::TrustList::default();
    struct Key<'a> {
        findings: Vec<api::Finding>,
        key: &'a api::ApiKey,
        level: &'static str,
    }
    json_struct!(write_only Key<'a> { findings, key, level });
    struct Page<'a> {
        empty: bool,
        keys: Vec<Key<'a>>,
        lang: &'a str,
        page: &'static str,
    }
    json_struct!(write_only Page<'a> { empty, keys, lang, page });
    let keys = page
        .keys
        .iter()
        .map(|k| {
            let findings = api::assess_key(k, &report, &trust, lang, &snap.env.zone(), 0);
            Key { level: api::level(&findings), findings, key: k }
        })
        .collect();
    println!("{}", pretty(&to_text(&Page { empty: page.empty, keys, lang, page: "api" })));
    if page.keys.is_empty() && !page.empty {
        eprintln!("session-guard: could not read any API key on this page");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// The snapshot the core would get for a saved page (the browser test
/// compares it with the content script's).
fn snapshot(args: &[String]) -> ExitCode {
    let (Some(path), url) = (args.first(), args.iter().position(|a| a == "--url").and_then(|i| args.get(i + 1))) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let html = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("session-guard: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let snap = html_snapshot::snapshot_from_html(&html, url.map(String::as_str).unwrap_or("https://www.kucoin.com/account/security"));
    println!("{}", to_text(&snap));
    ExitCode::SUCCESS
}

fn device_lines() -> ExitCode {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else {
            eprintln!("session-guard: stdin is not UTF-8 text");
            return ExitCode::from(2);
        };
        let d = device::parse_device(line.trim_end_matches('\r'));
        if writeln!(out, "{}", to_text(&d)).is_err() {
            return ExitCode::SUCCESS; // closed pipe
        }
    }
    ExitCode::SUCCESS
}
