//! "Check the other pages" on the page summary above Recent Logins: after the
//! user's click, Session Guard steps through KuCoin's pager one page a scan
//! and back, and the stored report adds up the pages read in that page load
//! (same `page_id`): the popup's counts and headline then come from every
//! page, "All 3 pages of Recent Logins were checked.", and the unfamiliar
//! rows of the other pages are named (popup and page summary). A new page
//! load starts over. Driven on the English replica: 12 logins on 3 pages.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_action, handle_scan, ListPages, Outcome, PageRead};
use session_guard::assess::Verdict;
use session_guard::extract::{self, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Action, Step, Widget};
use session_guard::popup::{self, Headline};
use session_guard::storage::{self, State, Value};

const SECURITY: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;
const TAB: i64 = 7;
const ALL_3: &str = "All 3 pages of Recent Logins were checked.";
const ONLY_1: &str = "Only page 1 of 3 of Recent Logins was checked.";

fn fixture() -> String {
    std::fs::read_to_string(format!("{}/../tests/fixtures/kucoin/security-en.html", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The replica as KuCoin shows page `n` of Recent Logins: the tbody's rows
/// swapped for the page's template, the pager's active item moved. `rows`:
/// the page whose rows are shown (the pager may move before they are).
fn page_html(pager_at: u32, rows: u32) -> String {
    let html = fixture();
    let tbody = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
    let a = html.find(tbody).unwrap() + tbody.len();
    let b = a + html[a..].find("</tbody>").unwrap();
    let body = if rows == 1 {
        html[a..b].to_string()
    } else {
        let open = format!("<template data-replica=\"rows\" data-list=\"logins\" data-page=\"{rows}\">");
        let s = html.find(&open).unwrap() + open.len();
        let e = s + html[s..].find("</template>").unwrap();
        html[s..e].to_string()
    };
    let mut out = format!("{}{}{}", &html[..a], body, &html[b..]);
    let active = " KuxPagination-item-active\" aria-current=\"page\">1</button>";
    assert!(out.contains(active));
    out = out.replacen(active, "\">1</button>", 1);
    let item = format!("class=\"KuxPagination-item css-0dq8pmv\">{pager_at}</button>");
    out = out.replacen(&item, &format!("class=\"KuxPagination-item css-0dq8pmv KuxPagination-item-active\" aria-current=\"page\">{pager_at}</button>"), 1);
    out
}

fn snap(html: &str, doc: &str) -> session_guard::snapshot::Snapshot {
    let mut s = snapshot_from_html(html, SECURITY);
    s.page_id = doc.into();
    s.tab = TAB;
    s
}

fn scan(st: &mut State, html: &str, doc: &str, now: i64) -> Outcome {
    handle_scan(&snap(html, doc), st, now)
}

/// The id of KuCoin's control for Recent Logins page `n` on that page.
fn control(html: &str, n: u32) -> u32 {
    let ex = extract::extract(&snap(html, "x"));
    ex.table(TableKind::RecentLogins).unwrap().pager.as_ref().unwrap().control(n).unwrap()
}

fn summary(out: &Outcome) -> &Widget {
    out.plan.widgets.iter().find(|w| w.key == "summary:recent").expect("the summary above Recent Logins")
}

fn has_button(w: &Widget, kind: &str) -> bool {
    w.buttons.iter().any(|b| b.action.kind == kind)
}

fn click(st: &mut State, kind: &str, now: i64) -> Outcome {
    handle_action(&Action { kind: kind.into(), tab: TAB, ..Default::default() }, st, now).unwrap()
}

fn read(st: &State) -> Vec<u32> {
    st.scan.as_ref().unwrap().pages.iter().find(|l| l.table == TableKind::RecentLogins).unwrap().read.clone()
}

const RESCAN: Step = Step::Rescan { ms: session_guard::flow::POLL_MS };

#[test]
fn check_the_other_pages_steps_through_kucoins_pager_and_the_report_adds_them_up() {
    let (p1, p2, p3) = (page_html(1, 1), page_html(2, 2), page_html(3, 3));
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let mut t = NOW;
    let out = scan(&mut st, &p1, "d1", t);
    let w = summary(&out);
    assert!(has_button(w, "check_all_pages"), "{:?}", w.buttons);
    assert_eq!(w.buttons.iter().find(|b| b.action.kind == "check_all_pages").unwrap().label, "Check the other pages");
    assert_eq!(w.items.last().map(String::as_str), Some(ONLY_1));
    assert!(out.plan.steps.is_empty(), "nothing is pressed before the click");
    let m = popup::model(&st, t);
    assert_eq!(m.pages, vec![(TableKind::RecentLogins, ONLY_1.to_string())]);
    let (sessions_1, unfamiliar_1) = (m.counts[0].2.clone(), m.counts[2].2.clone());
    assert!(m.sessions.iter().all(|s| !s.detail.contains("Recent Logins page")), "{:?}", m.sessions);

    // The trusted click: a rescan, then one page a scan.
    let o = click(&mut st, "check_all_pages", t);
    assert!(o.rescan && o.writes.contains(&"scan".to_string()));
    t += 1000;
    let out = scan(&mut st, &p1, "d1", t);
    assert_eq!(out.plan.steps, vec![Step::Click { id: control(&p1, 2) }, RESCAN]);
    assert!(out.writes.contains(&"scan".to_string()));
    let w = summary(&out);
    assert!(w.items.iter().any(|i| i == "Checking Recent Logins page 2 of 3\u{2026}"), "{:?}", w.items);
    assert!(has_button(w, "stop_all_pages") && !has_button(w, "check_all_pages"));
    // The pager moved, the rows are still page 1's (KuCoin loading): not read, wait.
    t += 300;
    let out = scan(&mut st, &page_html(2, 1), "d1", t);
    assert_eq!(out.plan.steps, vec![RESCAN]);
    assert_eq!(read(&st), vec![1]);
    // Page 2 read: on to page 3.
    t += 300;
    let out = scan(&mut st, &p2, "d1", t);
    assert_eq!(out.plan.steps, vec![Step::Click { id: control(&p2, 3) }, RESCAN]);
    assert_eq!(read(&st), vec![1, 2]);
    let m = popup::model(&st, t);
    assert_eq!(m.pages[0].1, "Only pages 1\u{2013}2 of 3 of Recent Logins were checked.");
    assert_eq!(m.headline, Headline::ReviewNeeded);
    // Page 3 read: every page read, back to page 1, done (said).
    t += 300;
    let out = scan(&mut st, &p3, "d1", t);
    assert_eq!(out.plan.steps, vec![Step::Click { id: control(&p3, 1) }]);
    assert_eq!(out.toast, "Checked every Recent Logins page.");
    assert_eq!(read(&st), vec![1, 2, 3]);
    assert!(st.scan.as_ref().unwrap().paging.is_none());
    // Back on page 1: the popup speaks of every page.
    t += 300;
    let out = scan(&mut st, &p1, "d1", t);
    assert!(out.plan.steps.is_empty());
    let m = popup::model(&st, t);
    assert_eq!(m.pages, vec![(TableKind::RecentLogins, ALL_3.to_string())]);
    assert_eq!(m.headline, Headline::ReviewNeeded);
    assert_eq!(m.counts[0].2, "12", "sessions on all three pages");
    assert_ne!((m.counts[0].2.clone(), m.counts[2].2.clone()), (sessions_1, unfamiliar_1));
    // The unfamiliar rows of pages 2 and 3 are listed, with their page.
    let lines = format!("{:?}", m.sessions);
    assert!(lines.contains("Tokyo") && lines.contains("(Recent Logins page 2)"), "{lines}");
    assert!(lines.contains("Amsterdam") && lines.contains("(Recent Logins page 3)"), "{lines}");
    // The page's summary: all pages checked, the other pages' unfamiliar rows by name, no button.
    let w = summary(&out);
    assert_eq!(w.items.last().map(String::as_str), Some(ALL_3), "{:?}", w.items);
    assert!(w.items.iter().any(|i| i.ends_with("unfamiliar sessions on other pages of Recent Logins:")), "{:?}", w.items);
    assert!(w.items.iter().any(|i| i.contains("Tokyo") && i.ends_with("(Recent Logins page 2)")), "{:?}", w.items);
    assert!(!has_button(w, "check_all_pages"));
    // The badge: no "only page 1" once every page was read.
    assert!(!session_guard::app::badge(&st, t).title.contains("Only page"));
    // Stored and read back: the same.
    let text = storage::to_json(&st);
    let Value::Obj(raw) = storage::parse_json(&text).unwrap() else { panic!() };
    let l = storage::load_members(&raw, t);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);

    // KuCoin loading a page (a spinner in place of the rows): the reading stays, readable.
    let loading = {
        let tbody = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
        let a = p1.find(tbody).unwrap() + tbody.len();
        let b = a + p1[a..].find("</tbody>").unwrap();
        format!("{}<tr class=\"KuxTable-loading\"><td colspan=\"4\"><div class=\"KuxSpin-root\" aria-busy=\"true\"></div></td></tr>{}", &p1[..a], &p1[b..])
    };
    t += 1000;
    scan(&mut st, &loading, "d1", t);
    assert!(st.scan.as_ref().unwrap().summary.readable, "a page loading is not an unreadable page");
    assert_eq!(read(&st), vec![1, 2, 3]);
    assert_eq!(popup::model(&st, t).pages, vec![(TableKind::RecentLogins, ALL_3.to_string())]);
    // KuCoin re-rendering page 1 with its rows before its pager (a scan in between):
    // what was read in this page load stays.
    let pagerless = {
        let a = p1.find("<div class=\"KuxPagination-root").unwrap();
        let b = a + p1[a..].find("</div>").unwrap() + "</div>".len();
        format!("{}{}", &p1[..a], &p1[b..])
    };
    t += 1000;
    scan(&mut st, &pagerless, "d1", t);
    t += 1000;
    scan(&mut st, &p1, "d1", t);
    assert_eq!(read(&st), vec![1, 2, 3], "a scan without the pager kept the pages read");
    assert_eq!(popup::model(&st, t).pages, vec![(TableKind::RecentLogins, ALL_3.to_string())]);

    // A new page load (another page_id) starts over: the page shown, as before.
    t += 1000;
    let out = scan(&mut st, &p1, "d2", t);
    assert_eq!(read(&st), vec![1]);
    let m = popup::model(&st, t);
    assert_eq!(m.pages, vec![(TableKind::RecentLogins, ONLY_1.to_string())]);
    assert!(!format!("{:?}", m.sessions).contains("Recent Logins page"));
    assert!(has_button(summary(&out), "check_all_pages"));
}

#[test]
fn every_page_familiar_reads_protected_only_once_all_pages_were_read() {
    let pages = [page_html(1, 1), page_html(2, 2), page_html(3, 3)];
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    // Every device on every page is the user's.
    trust_all(&mut st, &pages);
    let mut t = NOW;
    scan(&mut st, &pages[0], "d", t);
    let m = popup::model(&st, t);
    assert_eq!((m.headline, m.title.as_str()), (Headline::Partial, ONLY_1));
    click(&mut st, "check_all_pages", t);
    let mut shown = 0;
    for _ in 0..10 {
        t += 300;
        let out = scan(&mut st, &pages[shown], "d", t);
        // KuCoin's pager: a click on a page number opens it.
        match out.plan.steps.first() {
            Some(Step::Click { id }) => shown = (1..=3).find(|&n| control(&pages[shown], n) == *id).unwrap() as usize - 1,
            None => break,
            _ => {}
        }
    }
    assert_eq!(shown, 0, "back on page 1");
    let m = popup::model(&st, t);
    assert_eq!((m.headline, m.title.as_str()), (Headline::Protected, "Protected"));
    assert_eq!(m.pages, vec![(TableKind::RecentLogins, ALL_3.to_string())]);
    assert_eq!(session_guard::app::badge(&st, t).title, "Session Guard: no unfamiliar sessions");
}

#[test]
fn the_button_needs_kucoins_pager_and_failures_are_said() {
    // No pager (one page): no button, and the action refuses.
    let html = fixture();
    let a = html.find("<div class=\"KuxPagination-root").unwrap();
    let b = a + html[a..].find("</div>").unwrap() + "</div>".len();
    let bare = format!("{}{}", &html[..a], &html[b..]);
    let mut st = State::default();
    let out = scan(&mut st, &bare, "d", NOW);
    assert!(!has_button(summary(&out), "check_all_pages"));
    assert!(handle_action(&Action { kind: "check_all_pages".into(), ..Default::default() }, &mut st, NOW).is_err());
    // A pager that does not move: said, in a toast and on the summary, and the button is back.
    let p1 = page_html(1, 1);
    let mut st = State::default();
    scan(&mut st, &p1, "d", NOW);
    click(&mut st, "check_all_pages", NOW);
    let (mut t, mut toast) = (NOW, String::new());
    for _ in 0..100 {
        t += 250;
        toast = scan(&mut st, &p1, "d", t).toast;
        if !toast.is_empty() {
            break;
        }
    }
    assert_eq!(toast, "Recent Logins page 2 did not open, so it was not checked.");
    let out = scan(&mut st, &p1, "d", t + 250);
    assert!(out.plan.steps.is_empty(), "stopped");
    let w = summary(&out);
    assert!(w.items.iter().any(|i| i.contains("did not open")), "{:?}", w.items);
    assert!(has_button(w, "check_all_pages"));
    assert_eq!(popup::model(&st, t).headline, Headline::ReviewNeeded);
    assert_eq!(popup::model(&st, t).pages[0].1, ONLY_1);
    // Cancel stops a run.
    click(&mut st, "check_all_pages", t);
    click(&mut st, "stop_all_pages", t);
    assert!(scan(&mut st, &p1, "d", t + 500).plan.steps.is_empty());
}

#[test]
fn reports_stored_before_keep_loading_and_broken_pages_read_are_set_aside() {
    // A report as stored before pages were added up: no read / doc / logins members.
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    scan(&mut st, &page_html(1, 1), "d", NOW);
    let s = st.scan.as_mut().unwrap();
    s.doc.clear();
    s.logins.clear();
    s.pages[0].read.clear();
    let text = storage::to_json(&st).replace(",\"read\":[]", "").replace(",\"doc\":\"\",\"logins\":[],\"view_page\":1", "");
    assert!(!text.contains("\"read\"") && !text.contains("\"logins\"") && !text.contains("\"view_page\""), "{text}");
    let Value::Obj(raw) = storage::parse_json(&text).unwrap() else { panic!() };
    let l = storage::load_members(&raw, NOW);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    let scan_ = l.state.scan.as_ref().unwrap();
    assert_eq!(scan_.pages, vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: Vec::new(), unverified: Vec::new() }]);
    assert_eq!(scan_.logins, Vec::<PageRead>::new());
    assert_eq!(popup::model(&l.state, NOW).pages[0].1, ONLY_1);
    // Broken members: the report is set aside, the popup still builds.
    let good = storage::to_json(&st);
    for (from, to) in [("\"logins\":[]", "\"logins\":{}"), ("\"logins\":[]", "\"logins\":[{\"page\":-1,\"rows\":[]}]"), ("\"read\":[]", "\"read\":[\"x\"]"), ("\"view_page\":1", "\"view_page\":null")] {
        assert!(good.contains(from), "{from}");
        let Value::Obj(raw) = storage::parse_json(&good.replacen(from, to, 1)).unwrap() else { panic!() };
        let l = storage::load_members(&raw, NOW);
        assert_eq!(l.quarantine.len(), 1, "{to}");
        assert_eq!(popup::model(&l.state, NOW).headline, Headline::NoScan, "{to}");
    }
    // A stored list claiming 4 billion pages, read 1..3: never "all read", and nothing loops.
    let mut st2 = st.clone();
    st2.scan.as_mut().unwrap().pages[0] = ListPages { table: TableKind::RecentLogins, current: 1, last: u32::MAX, read: vec![1, 2, 3], unverified: Vec::new() };
    let m = popup::model(&st2, NOW);
    assert_eq!(m.headline, Headline::ReviewNeeded);
    assert!(m.pages[0].1.starts_with("Only pages 1\u{2013}3 of 4"), "{:?}", m.pages);
}

/// The rows of Recent Logins page `n` in the stored report, newest first.
fn page_rows(st: &State, n: u32) -> Vec<session_guard::app::ReportRow> {
    let mut rows = st.scan.as_ref().unwrap().logins.iter().find(|l| l.page == n).map(|l| l.rows.clone()).unwrap_or_default();
    rows.sort_by(|a, b| b.time_ms.cmp(&a.time_ms));
    rows
}

/// Every page read, then back on page 1 (the user's click, KuCoin's pager).
fn read_every_page(st: &mut State, pages: &[String; 3], doc: &str, mut t: i64) -> (Outcome, i64) {
    let mut out = scan(st, &pages[0], doc, t);
    click(st, "check_all_pages", t);
    let mut shown = 0;
    for _ in 0..10 {
        t += 300;
        out = scan(st, &pages[shown], doc, t);
        match out.plan.steps.first() {
            Some(Step::Click { id }) => shown = (1..=3).find(|&n| control(&pages[shown], n) == *id).unwrap() as usize - 1,
            None => break,
            _ => {}
        }
    }
    assert_eq!((shown, read(st)), (0, vec![1, 2, 3]), "every page read, back on page 1");
    (out, t)
}

/// The row button `kind` ("trust": "This is me", "not_me") of page 1's row for `device` at `ip`.
fn row_button(out: &Outcome, kind: &str, device: &str, ip: &str) -> Action {
    let b = out.plan.widgets.iter().flat_map(|w| &w.buttons).find(|b| b.action.kind == kind && b.action.device_text == device && b.action.ip == ip);
    let mut a = b.unwrap_or_else(|| panic!("no {kind} button for {device} at {ip}")).action.clone();
    a.tab = TAB;
    a
}

#[test]
fn this_is_me_and_not_me_given_on_page_1_decide_the_rows_read_on_the_other_pages_again() {
    let pages = [page_html(1, 1), page_html(2, 2), page_html(3, 3)];
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let (out, mut t) = read_every_page(&mut st, &pages, "d1", NOW);
    let win_rows = |st: &State| {
        let mut v = Vec::new();
        for n in [2, 3] {
            for r in page_rows(st, n) {
                if r.describe.contains("Chrome on Windows") {
                    v.push((n, r.area.clone(), r.verdict));
                }
            }
        }
        v
    };
    // Read on pages 2 and 3: Windows 10 Chrome from Singapore (twice) and Tokyo, none known yet.
    let before = win_rows(&st);
    assert_eq!(before.len(), 3, "{before:?}");
    assert!(before.iter().all(|(_, _, v)| *v == Verdict::Unfamiliar), "{before:?}");
    let unfamiliar_before = popup::model(&st, t).counts[2].2.clone();

    // "This is me" on page 1's Windows 10 Chrome row (Singapore, 203.0.113.41), then KuCoin's page scanned again.
    let me = row_button(&out, "trust", "Windows 10 Chrome", "203.0.113.41");
    handle_action(&me, &mut st, t).unwrap();
    t += 1000;
    let out = scan(&mut st, &pages[0], "d1", t);
    assert_eq!(read(&st), vec![1, 2, 3], "the pages read stay read");
    let after = win_rows(&st);
    assert!(after.iter().filter(|(_, a, _)| a == "Singapore").all(|(_, _, v)| *v != Verdict::Unfamiliar), "{after:?}");
    // Each row of pages 2 and 3 reads as that page read now would: verdict, reason and all.
    for n in [2u32, 3] {
        let mut fresh = st.clone();
        scan(&mut fresh, &pages[n as usize - 1], "d1", t + 1);
        assert_eq!(page_rows(&st, n), page_rows(&fresh, n), "page {n}");
    }
    // The counts and the rows named in the popup and on the page follow.
    let m = popup::model(&st, t);
    assert_ne!(m.counts[2].2, unfamiliar_before, "fewer unfamiliar sessions");
    let lines = format!("{:?}", m.sessions);
    assert!(!lines.contains("Chrome on Windows 10 from Singapore"), "{lines}");
    assert!(!summary(&out).items.iter().any(|i| i.contains("Chrome on Windows 10 from Singapore")), "{:?}", summary(&out).items);

    // "Not me" on page 1's Android row (Frankfurt, 192.0.2.146): page 2's row of that device and network is flagged.
    let page2_android = |st: &State| page_rows(st, 2).into_iter().find(|r| r.describe.contains("Android")).unwrap();
    assert!(!page2_android(&st).reason.is_empty());
    let was = page2_android(&st);
    let not_me = row_button(&out, "not_me", "Android 14 KuCoin App", "192.0.2.146");
    handle_action(&not_me, &mut st, t).unwrap();
    t += 1000;
    scan(&mut st, &pages[0], "d1", t);
    let now = page2_android(&st);
    assert_eq!(now.verdict, Verdict::Unfamiliar);
    assert_ne!(now.reason, was.reason, "the row reads as one you marked \"Not me\"");
    let mut fresh = st.clone();
    scan(&mut fresh, &pages[1], "d1", t + 1);
    assert_eq!(page_rows(&st, 2), page_rows(&fresh, 2));

    // Stored and read back: the same (the rows' device texts kept).
    let text = storage::to_json(&st);
    let Value::Obj(raw) = storage::parse_json(&text).unwrap() else { panic!() };
    let l = storage::load_members(&raw, t);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);
}

#[test]
fn a_run_never_says_every_page_was_checked_while_the_pager_is_gone() {
    // "Check the other pages" clicked on page 1 of 3; the next scan shows
    // Recent Logins' rows without its pager (KuCoin re-rendering): not "done".
    let p1 = page_html(1, 1);
    let a = p1.find("<div class=\"KuxPagination-root").unwrap();
    let b = a + p1[a..].find("</div>").unwrap() + "</div>".len();
    let pagerless = format!("{}{}", &p1[..a], &p1[b..]);
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    scan(&mut st, &p1, "d", NOW);
    click(&mut st, "check_all_pages", NOW);
    let out = scan(&mut st, &pagerless, "d", NOW + 1000);
    assert_ne!(out.toast, "Checked every Recent Logins page.");
    assert!(st.scan.as_ref().unwrap().paging.is_some(), "the run is not over");
}

/// `html` with the time of its Recent Logins rows (the first `n`) made
/// unreadable ("Just now", which KuCoin never shows: no date to read).
fn times_unreadable(html: &str, n: usize) -> String {
    let tbody = "<tbody class=\"KuxTable-tbody css-1yf51zv\">";
    let a = html.find(tbody).unwrap() + tbody.len();
    let b = a + html[a..].find("</tbody>").unwrap();
    let mut body = html[a..b].to_string();
    let cell = "<td class=\"KuxTable-cell css-0nthq5q\">";
    let (mut at, mut done) = (0, 0);
    while done < n {
        // the third cell of a row is its time
        let Some(r) = body[at..].find("<tr ") else { break };
        let mut c = at + r;
        for _ in 0..3 {
            c += body[c..].find(cell).unwrap() + cell.len();
        }
        let e = c + body[c..].find("</td>").unwrap();
        body.replace_range(c..e, "Just now");
        at = e;
        done += 1;
    }
    assert_eq!(done, n, "rows on the page");
    format!("{}{}{}", &html[..a], body, &html[b..])
}

/// Trust every device of `pages` (readable rows), as the user's own.
fn trust_all(st: &mut State, pages: &[String]) {
    for p in pages {
        let ex = extract::extract(&snap(p, "x"));
        for r in &ex.table(TableKind::RecentLogins).unwrap().records {
            let ip = r.ip.as_ref().unwrap();
            let act = Action {
                kind: "trust".into(),
                device_text: r.device_text.clone(),
                ip: session_guard::net::ip_text(&ip.ip),
                area: ip.area.clone().unwrap_or_default(),
                label: "mine".into(),
                ..Default::default()
            };
            handle_action(&act, st, NOW).unwrap();
        }
    }
}

/// "Check the other pages" from page 1 through `pages`, back on page 1;
/// the toasts said on the way.
fn run_pages(st: &mut State, pages: &[String; 3], mut t: i64) -> (Outcome, i64, Vec<String>) {
    let mut out = scan(st, &pages[0], "d", t);
    click(st, "check_all_pages", t);
    let (mut shown, mut toasts) = (0, Vec::new());
    for _ in 0..100 {
        t += 300;
        out = scan(st, &pages[shown], "d", t);
        if !out.toast.is_empty() {
            toasts.push(out.toast.clone());
        }
        match out.plan.steps.first() {
            Some(Step::Click { id }) => shown = (1..=3).find(|&n| control(&pages[shown], n) == *id).unwrap() as usize - 1,
            None => break,
            _ => {}
        }
    }
    assert_eq!(shown, 0, "back on page 1: {toasts:?}");
    (out, t, toasts)
}

#[test]
fn a_page_read_with_rows_it_could_not_read_is_never_checked_until_read_again_whole() {
    let whole = [page_html(1, 1), page_html(2, 2), page_html(3, 3)];
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    trust_all(&mut st, &whole);
    // Page 2 shows one row whose time can't be read: "can't verify" there.
    let pages = [whole[0].clone(), times_unreadable(&whole[1], 1), whole[2].clone()];
    let (out, mut t, toasts) = run_pages(&mut st, &pages, NOW);
    assert!(toasts.iter().all(|x| !x.contains("did not open")), "{toasts:?}");
    // Back on page 1: page 2 is not counted as checked, and its row is named.
    let unread = "1 Recent Logins row could not be read, so it can't be verified (Recent Logins page 2)";
    let m = popup::model(&st, t);
    assert_ne!(m.headline, Headline::Protected);
    assert_ne!(m.title, "Protected");
    let notes: Vec<&str> = m.pages.iter().map(|(_, n)| n.as_str()).collect();
    assert!(!notes.contains(&ALL_3), "{notes:?}");
    assert!(notes.contains(&unread), "{notes:?}");
    let w = summary(&out);
    assert!(!w.items.iter().any(|i| i == ALL_3), "{:?}", w.items);
    assert!(w.items.iter().any(|i| i == unread), "{:?}", w.items);
    for x in &notes {
        assert!(w.items.iter().any(|i| i == x), "the popup's {x:?} on the page too: {:?}", w.items);
    }
    assert_ne!(w.tone, session_guard::plan::Tone::Ok);
    assert!(!session_guard::app::badge(&st, t).title.contains("no unfamiliar"), "{:?}", session_guard::app::badge(&st, t));
    // Stored and read back: the same.
    let Value::Obj(raw) = storage::parse_json(&storage::to_json(&st)).unwrap() else { panic!() };
    let l = storage::load_members(&raw, t);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);
    // Page 2 read again, whole (the user on KuCoin's pager): every page checked.
    t += 1000;
    scan(&mut st, &whole[1], "d", t);
    t += 1000;
    let out = scan(&mut st, &whole[0], "d", t);
    let m = popup::model(&st, t);
    assert_eq!((m.headline, m.pages.clone()), (Headline::Protected, vec![(TableKind::RecentLogins, ALL_3.to_string())]));
    assert_eq!(summary(&out).items.last().map(String::as_str), Some(ALL_3));
}

#[test]
fn check_the_other_pages_reads_a_page_of_only_unreadable_rows_as_such() {
    let whole = [page_html(1, 1), page_html(2, 2), page_html(3, 3)];
    let mut st = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    trust_all(&mut st, &whole);
    let rows2 = extract::extract(&snap(&whole[1], "x")).table(TableKind::RecentLogins).unwrap().records.len();
    let pages = [whole[0].clone(), times_unreadable(&whole[1], rows2), whole[2].clone()];
    // (page 2 as KuCoin would show it: its pager moved, its rows not one readable)
    let ex = extract::extract(&snap(&pages[1], "x"));
    let t2 = ex.table(TableKind::RecentLogins).unwrap();
    assert_eq!((t2.records.len(), t2.unreadable.len(), t2.pager.as_ref().map(|g| g.current)), (0, rows2, Some(2)));
    let (out, t, toasts) = run_pages(&mut st, &pages, NOW);
    // The page opened: not "did not open", page 3 read after it, and the rows said.
    assert!(toasts.iter().all(|x| !x.contains("did not open") && !x.contains("not checked")), "{toasts:?}");
    assert!(toasts.iter().any(|x| x == "Checked every Recent Logins page."), "{toasts:?}");
    let unread = format!("{rows2} Recent Logins rows could not be read, so they can't be verified (Recent Logins page 2)");
    let m = popup::model(&st, t);
    assert_ne!(m.headline, Headline::Protected);
    assert!(m.pages.iter().any(|(_, n)| *n == unread), "{:?}", m.pages);
    assert!(!m.pages.iter().any(|(_, n)| n == ALL_3), "{:?}", m.pages);
    assert!(summary(&out).items.iter().any(|i| *i == unread), "{:?}", summary(&out).items);
}
