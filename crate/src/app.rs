//! The core's two entry points, in plain Rust: a scan (snapshot → plan) and a
//! user action (button → state change). The wasm bindings convert and call
//! these; host tests call them directly.
//!
//! snapshot → extract → assess → plan; the content script applies the plan.

use crate::assess::{self, Assessment, EventMark, Severity, Verdict};
use crate::device;
use crate::extract::{self, Extraction, PageKind, Status, TableKind};
use crate::i18n::{plural, t as tr};
use crate::plan::{Action, Button, ButtonStyle, Confirm, Kind, Place, Plan, Tone, Widget};
use crate::probe::Probe;
use crate::snapshot::{Snapshot, Tree};
use crate::storage::State;

/// Most login sightings kept in `history` (pagination accumulates here).
pub const MAX_HISTORY: usize = 1000;
/// Rows kept in the stored scan report for the popup.
pub const MAX_REPORT_ROWS: usize = 50;

/// What the popup and badge show about the last security-page scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanReport {
    pub at: i64,
    pub url: String,
    pub lang: String,
    pub summary: assess::Summary,
    /// The account's protections as the setting cards showed them.
    pub settings: extract::SecuritySettings,
    /// Signed-in account as shown (masked e-mail), if any.
    pub account: String,
    /// Verdicts, unfamiliar online first (at most `MAX_REPORT_ROWS`).
    pub rows: Vec<ReportRow>,
    /// Lists with more pages than the one read (KuCoin's pager): the rows
    /// above are one page of them. Absent in reports stored before it (empty).
    pub pages: Vec<ListPages>,
    /// The document it was read in (`Snapshot::page_id`; "" unknown): the
    /// Recent Logins pages read in one document (page load) add up.
    pub doc: String,
    /// Recent Logins pages read in `doc` (a list with a pager), each with
    /// its rows: the counts and `rows` above include the other pages' rows
    /// (a row seen on two pages, by IP + time, once).
    pub logins: Vec<PageRead>,
    /// The Recent Logins page this scan read (0: none, or the pager moved
    /// before the rows were replaced).
    pub view_page: u32,
    /// "Check the other pages" on the page summary, while it steps through
    /// KuCoin's Recent Logins pager.
    pub paging: Option<crate::check::Paging>,
    /// Trusted Devices pages read in `doc` (a list with a pager), each with
    /// its rows, as `logins`: the count of devices to review and the lists
    /// of the popup and the page summary include the other pages' devices.
    pub devices: Vec<PageRead>,
    /// The Trusted Devices page this scan read (0: none, or the pager moved
    /// before the rows were replaced).
    pub devices_page: u32,
    /// Trusted Devices pages shown in `doc` but not kept, the rows kept over
    /// the pages then past `MAX_DEVICE_ROWS` (ascending): unread, and the
    /// popup and the page summary say why (too many devices), not only that.
    pub devices_over: Vec<u32>,
    /// `trust_sig` of the trust list this report's verdicts were decided
    /// with: the popup says when the list changed after it (a device
    /// forgotten in the popup with no KuCoin page open). Empty: not known.
    pub trust: String,
}
crate::json_struct!(ScanReport { at, url, lang, summary, settings: default, account: default, rows, pages: default, doc: default, logins: default, view_page: default, paging: default, trust: default, devices: default, devices_page: default, devices_over: default });

/// What of the trust list decides verdicts — devices (fingerprint, networks,
/// areas) and "Not me" rows — as a short hash: equal lists, equal text.
/// (Labels and times leave verdicts as they are.)
pub fn trust_sig(t: &crate::trust::TrustList) -> String {
    use crate::api::fnv1a_more as more;
    // (a separator byte before each part, one per kind: no two lists hash the same text)
    let mut h = crate::api::FNV_START;
    for d in &t.devices {
        h = more(more(h, b"\x1e"), d.fingerprint.as_bytes());
        for n in &d.networks {
            h = more(more(h, b"\x1f"), n.as_bytes());
        }
        for a in &d.areas {
            h = more(more(h, b"\x1c"), a.as_bytes());
        }
    }
    for x in &t.suspects {
        h = more(more(more(more(h, b"\x1d"), x.fingerprint.as_bytes()), b"\x1f"), x.network.as_bytes());
    }
    crate::util::num(h)
}

/// One Recent Logins (or Trusted Devices) page read: its number and its rows' verdicts.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRead {
    pub page: u32,
    pub rows: Vec<ReportRow>,
    /// Rows the page showed that could not be read (not in `rows`): the
    /// page is not checked (`ListPages::unverified`) until read again whole,
    /// and the popup and the page summary say how many rows of it can't be
    /// verified. Absent in reports stored before it (0).
    pub unread: u32,
}
crate::json_struct!(PageRead { page, rows, unread: default });

/// Recent Logins pages kept per document at most (KuCoin: 5 rows a page);
/// a longer list is not stepped through (its note says which page was read).
pub const MAX_READ_PAGES: u32 = 50;
/// Rows kept per page read.
const MAX_PAGE_ROWS: usize = 10;
/// Trusted Devices rows kept over all its pages read (its page size is not
/// known): every row of a page is kept, none dropped unsaid. A page that
/// would take the pages kept past it is not kept (read as not read: the
/// pages note and the summary say the list was not all checked).
pub const MAX_DEVICE_ROWS: usize = 1000;

/// A list with more than one page: the page shown (0 when the pager marks
/// none), the pages it has, and (Recent Logins, Trusted Devices) the pages
/// read whole in this page load, ascending, and those read with rows that
/// could not be read (`unverified`, ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct ListPages {
    pub table: TableKind,
    pub current: u32,
    pub last: u32,
    pub read: Vec<u32>,
    /// Pages read in this page load that showed rows which could not be
    /// read (`PageRead::unread`): opened, so "Check the other pages" does
    /// not open them again, but not checked (never "All 3 pages … were
    /// checked." while a row of one was never verified).
    pub unverified: Vec<u32>,
}
crate::json_struct!(ListPages { table, current, last, read: default, unverified: default });

impl ListPages {
    /// Every page 1..=last was read whole in this page load.
    pub fn complete(&self) -> bool {
        self.first_unread().is_none() && self.unverified.is_empty()
    }
    /// The first page not opened (none: every page was, whole or not).
    pub fn first_unread(&self) -> Option<u32> {
        let mut p = 1;
        // (both ascending and unique, at most one page each: a short loop)
        while self.read.contains(&p) || self.unverified.contains(&p) {
            p += 1;
        }
        (self.last > 1 && p <= self.last).then_some(p)
    }
    /// What the popup, the badge and the page summary say of it:
    /// `pages_note`, or "All 3 pages of Recent Logins were checked.", or
    /// "Only pages 1–2 of 3 of Recent Logins were checked." (Trusted Devices alike).
    pub fn note(&self) -> Option<String> {
        if self.last < 2 {
            return None;
        }
        let n = crate::util::num(u64::from(self.last));
        let (all, some) = match self.table {
            TableKind::RecentLogins => ("logins_pages_all", "logins_pages_some"),
            TableKind::TrustedDevices => ("trusted_pages_all", "trusted_pages_some"),
            // (Security Logs: pages are not added up)
            TableKind::SecurityLogs => return pages_note(self.table, self.current, self.last),
        };
        if self.complete() {
            return Some(tr(all, &[&n]));
        }
        if self.read.len() > 1 {
            return Some(tr(some, &[&crate::check::page_list(&self.read), &n]));
        }
        // (the page read whole, when another was read with rows unread: not the page shown)
        if let (false, &[p]) = (self.unverified.is_empty(), self.read.as_slice()) {
            return pages_note(self.table, p, self.last);
        }
        pages_note(self.table, self.current, self.last)
    }
}

/// "Some Trusted Devices pages were not read: …": pages shown in the
/// report's document that were not kept for the number of devices
/// (`ScanReport::devices_over`), while `list` (its Trusted Devices pages)
/// has pages unread. Said by the popup and the page summary with the note.
pub fn too_many_devices(scan: &ScanReport, list: Option<&ListPages>) -> Option<String> {
    let unread = list.is_some_and(|l| l.table == TableKind::TrustedDevices && !l.complete());
    (unread && !scan.devices_over.is_empty()).then(|| tr("trusted_pages_too_many", &[&crate::util::num(MAX_DEVICE_ROWS as u64)]))
}

/// "Only page 2 of 3 of Recent Logins was checked." for a list with more
/// than one page (none for a single page). A page shown beyond the last
/// reads as "the page shown".
pub fn pages_note(table: TableKind, current: u32, last: u32) -> Option<String> {
    let (of, shown) = match table {
        TableKind::RecentLogins => ("logins_page_of", "logins_page_shown"),
        TableKind::SecurityLogs => ("events_page_of", "events_page_shown"),
        TableKind::TrustedDevices => ("trusted_page_of", "trusted_page_shown"),
    };
    if last < 2 {
        return None;
    }
    let n = crate::util::num(u64::from(last));
    Some(if current > 0 && current <= last { tr(of, &[&crate::util::num(u64::from(current)), &n]) } else { tr(shown, &[&n]) })
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub table: TableKind,
    pub verdict: Verdict,
    pub severity: Option<Severity>,
    pub reason: String,
    pub online: bool,
    pub describe: String,
    pub ip: String,
    pub area: String,
    pub time_ms: Option<i64>,
    /// Of a Recent Logins row: the page's device text (clipped) and status,
    /// so a row kept in `ScanReport::logins` is decided again with the trust
    /// list of each later scan ("This is me" on page 1 also covers that
    /// device's rows read on page 2), and the popup's This is me / Not me
    /// can name it; of a Trusted Devices row kept in `ScanReport::devices`,
    /// the same for deciding it again. Empty: kept as read (a hidden row,
    /// a row of `ScanReport::rows` of another list, a report stored before
    /// these fields).
    pub device: String,
    pub status: Option<Status>,
}
crate::json_struct!(ReportRow { table, verdict, severity: default, reason, online, describe, ip, area, time_ms: default, device: default, status: default });

/// One login seen in Recent Logins (any page of it), deduplicated by
/// IP + device + time.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub ip: String,
    pub area: String,
    pub device: String,
    pub time_ms: i64,
    pub first_seen: i64,
}
crate::json_struct!(Seen { ip, area, device, time_ms, first_seen });

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Badge {
    pub text: String,
    /// `#c62828` red, `#ef6c00` orange, or empty.
    pub color: String,
    pub title: String,
}
crate::json_struct!(Badge { text, color, title });

/// What a call returns: the plan for the page, which storage keys changed,
/// and the toolbar badge.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub plan: Plan,
    /// Storage keys (fields of `State`) to write.
    pub writes: Vec<String>,
    pub badge: Badge,
    /// Ask the content script to scan again (after an action changed state).
    pub rescan: bool,
    /// A message for the content script's UI (errors, confirmations).
    pub toast: String,
    /// When the badge must be recomputed without a scan (Unix ms): the
    /// background sets an alarm (the session check becoming overdue).
    pub wake_at: Option<i64>,
}
crate::json_struct!(Outcome { plan, writes, badge, rescan, toast: default, wake_at: default });

impl Outcome {
    fn new(plan: Plan, state: &State, now: i64) -> Outcome {
        Outcome { plan, writes: Vec::new(), badge: badge(state, now), rescan: false, toast: String::new(), wake_at: state.checks.wake_at(now) }
    }
    fn refresh(&mut self, state: &State, now: i64) {
        self.badge = badge(state, now);
        self.wake_at = state.checks.wake_at(now);
    }
    fn write(&mut self, key: &str) {
        if !self.writes.iter().any(|k| k == key) {
            self.writes.push(key.into());
        }
    }
}

/// A scan: the whole pipeline for one snapshot.
pub fn handle_scan(snap: &Snapshot, state: &mut State, now: i64) -> Outcome {
    // Words split across text nodes read whole, here once for every reader.
    let joined = crate::snapshot::joined(snap);
    let snap = joined.as_ref().unwrap_or(snap);
    let ex = extract::extract(snap);
    let mut plan = Plan::empty(&ex.page.to_string());
    plan.dir = if snap.dir.eq_ignore_ascii_case("rtl") || matches!(ex.lang.as_str(), "ar" | "ur") { "rtl".into() } else { "ltr".into() };
    if ex.page == PageKind::Other {
        return Outcome::new(plan, state, now);
    }
    plan.watch = true;
    // The page's account owns what is read and decided here; the API page
    // shows it too (its report and review are that account's, not the last
    // security page's).
    let switched = state.switch_account(&ex.account);
    if ex.page == PageKind::Api {
        let changed = crate::api::scan(snap, &ex.lang, state, now, &mut plan);
        let mut out = Outcome::new(plan, state, now);
        if changed {
            out.write("api");
        }
        if switched {
            for k in crate::storage::ACCOUNT_KEYS {
                out.write(k);
            }
        }
        return out;
    }
    let mut out_writes: Vec<&str> = Vec::new();
    let a = if ex.page == PageKind::Security {
        let me = extract::this_browser(&snap.env);
        let a = assess::assess(&ex, &state.trust, me.as_ref(), &state.acks);
        // The Security Logs tab in place of Recent Logins: the sessions are
        // not on screen, which is not a page we can't read. What was last
        // read of this account's sessions stays (popup, badge: "last scan
        // N min ago"); the page is told where they are (`build_plan`).
        let sessions_shown = !other_tab(&ex);
        if sessions_shown {
            out_writes.push("scan");
        }
        if learn(&ex, &a, state, now) {
            out_writes.push("trust");
        }
        if accumulate_history(&ex, state, now) {
            out_writes.push("history");
        }
        if crate::api::record_create_events(&ex, state) {
            out_writes.push("api");
        }
        // The events Security Logs flagged, kept for the popup: the tab is
        // shown instead of Recent Logins (whose reading stays as it was).
        if assess::remember_flagged(&ex, &a, &mut state.acks, now) {
            out_writes.push("acks");
        }
        // KuCoin replacing a page of Recent Logins (its rows gone, the list not
        // empty): the reading of this page load stays as it was (the popup does
        // not turn to "could not read" for the moment a page loads).
        let keep = ex.table(TableKind::RecentLogins).is_some_and(extract::Table::loading)
            && state.scan.as_ref().is_some_and(|s| s.summary.readable && !snap.page_id.is_empty() && s.doc == snap.page_id && s.account == ex.account);
        if sessions_shown && !keep {
            let r = report(snap, &ex, &a, state, me.as_ref(), now);
            state.scan = Some(r);
        }
        build_plan(&ex, &a, state, &mut plan, now);
        if crate::check::run(&mut state.checks, &ex, &a, snap.env.utc_offset_minutes, &snap.page_id, now) {
            out_writes.push("checks");
        }
        Some(a)
    } else {
        None
    };
    // The flow side: probes need the indexed tree (only when something runs
    // or may point at a control).
    // A Remove button offered (an unfamiliar trusted device) carries the
    // Confirm buttons on the page (`Action::confirms`).
    if a.as_ref().is_some_and(|a| a.rows.iter().any(|v| v.remove_button.is_some() && v.verdict == Verdict::Unfamiliar)) {
        // (one past the bound is enough for `handle_action` to refuse it)
        let mut confirms = crate::probe::confirm_candidates(snap);
        confirms.truncate(MAX_CONFIRMS + 1);
        for b in plan.widgets.iter_mut().flat_map(|w| w.buttons.iter_mut()).filter(|b| b.action.kind == "remove_device") {
            b.action.confirms = confirms.clone();
        }
    }
    let needs_tree = ex.page != PageKind::Security || state.flow.as_ref().is_some_and(|f| f.running() && f.failure.is_none()) || state.checks.failed();
    let tree = if needs_tree { Tree::new(snap).ok() } else { None };
    let probe = tree.as_ref().map(Probe::new);
    let cx = crate::flow::Ctx {
        page: ex.page,
        ex: &ex,
        probe: probe.as_ref(),
        a: a.as_ref(),
        now,
        tab: snap.tab,
        prefix: lang_prefix(&snap.url),
        page_id: snap.page_id.clone(),
        baseline: None,
    };
    let mut adv = crate::flow::on_scan(state, &cx);
    // "Check the other pages": KuCoin's pager, one page per scan (not while a run drives the page).
    if ex.page == PageKind::Security && state.flow.as_ref().is_none_or(|f| !f.running() || f.failure.is_some() || f.stage == crate::flow::Stage::SignIn) {
        let (changed, mut steps, toast) = crate::check::drive_pages(&mut state.checks, &ex, snap.tab, &snap.page_id, now);
        adv.checks_changed |= changed;
        adv.steps.append(&mut steps);
        if !toast.is_empty() {
            adv.toast = toast;
        }
        // The page summary's "Check the other pages" (the session check's run first: one click a scan).
        if state.checks.paging.is_none() {
            let (changed, mut steps, toast) = drive_report_pages(state, &ex, snap.tab, &snap.page_id, now);
            if changed {
                out_writes.push("scan");
            }
            adv.steps.append(&mut steps);
            if !toast.is_empty() {
                adv.toast = toast;
            }
        }
    }
    let mut toast = adv.toast;
    if adv.flow_changed {
        out_writes.push("flow");
    }
    if adv.checks_changed {
        out_writes.push("checks");
    }
    // The run ends when the session check has run for its password change.
    if ex.page == PageKind::Security && state.flow.as_ref().is_some_and(|f| f.stage == crate::flow::Stage::SignIn) {
        if let Some(r) = state.checks.current() {
            toast = tr("flow_finished", &[&crate::check::headline(r)]);
            state.flow = None;
            out_writes.push("flow");
        }
    }
    crate::flow::widgets(state, &ex, a.as_ref(), &mut plan, now);
    if ex.page == PageKind::Security {
        let restrict_ip = probe.as_ref().and_then(|p| p.label_element(crate::labels::key::RESTRICT_LOGIN_IP));
        crate::check::widgets(&state.checks, &ex, restrict_ip, &mut plan, now);
        // With a long list on the page, nothing goes into the page's flow:
        // its summary, a card above it or a reason in a table beside it
        // (Trusted Devices) would make the browser restyle or shift the whole
        // list (~0.1-0.2 s at 5,000 rows). Every widget goes after <body>,
        // which the content script docks at the bottom of the window, cards
        // first; the reasons name their device.
        if let (true, Some(body)) = (long_list(&ex), body_of(snap)) {
            for w in plan.widgets.iter_mut() {
                w.anchor = body;
                w.place = Place::After;
            }
            crate::util::sort_stable_by(&mut plan.widgets, |a, b| (a.kind == Kind::Reason).cmp(&(b.kind == Kind::Reason)));
        }
    }
    plan.steps = adv.steps;
    let mut out = Outcome::new(plan, state, now);
    out.toast = toast;
    for k in out_writes {
        out.write(k);
    }
    if switched {
        for k in crate::storage::ACCOUNT_KEYS {
            out.write(k);
        }
    }
    out
}

/// One scan of the page summary's "Check the other pages" (after `report`
/// read this page): `check::drive` on the Recent Logins pages not read in
/// this page load. Returns (report changed, steps, toast).
fn drive_report_pages(state: &mut State, ex: &Extraction, tab: i64, doc: &str, now: i64) -> (bool, Vec<crate::plan::Step>, String) {
    let Some(scan) = state.scan.as_mut().filter(|s| s.paging.is_some()) else { return (false, Vec::new(), String::new()) };
    let mut unseen = Vec::new();
    for l in &scan.pages {
        if l.table == TableKind::RecentLogins {
            if let Some(p) = l.first_unread() {
                unseen.push(p);
            }
        }
    }
    crate::check::drive(&mut scan.paging, &unseen, scan.view_page, ex, tab, doc, now)
}

/// The language prefix of a KuCoin URL ("/vi" in /vi/account/security, "" without).
pub fn lang_prefix(url: &str) -> String {
    let rest = crate::util::find(url, "://").map_or(url, |i| crate::util::str_from(url, i + 3));
    let path = rest.find('/').map(|i| crate::util::str_from(rest, i)).unwrap_or("/");
    let path = crate::util::split_with(path, |c| matches!(c, '?' | '#')).next().unwrap_or("/");
    match path.split('/').find(|s| !s.is_empty()) {
        Some(first) if first.len() <= 8 && first != "account" && first != "ucenter" && crate::labels::ui_lang(first).is_some() => {
            if first.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                format!("/{first}")
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}

/// Trust this browser on first sight; remember new networks of known devices.
fn learn(ex: &Extraction, a: &Assessment, state: &mut State, now: i64) -> bool {
    let mut changed = false;
    let Some(t) = ex.table(TableKind::RecentLogins) else { return false };
    // row → its first verdict, looked up instead of searched per record (long lists)
    let (mut logins, mut rows): (Vec<&assess::RowVerdict>, Vec<u32>) = (Vec::new(), Vec::new());
    for v in a.rows.iter().filter(|v| v.table == TableKind::RecentLogins) {
        logins.push(v);
        rows.push(v.row);
    }
    let index = crate::util::index_u32(&rows);
    for r in &t.records {
        let Some(v) = crate::util::first_at(&rows, &index, r.row).map(|i| logins[i]) else { continue };
        let ip = r.ip.as_ref().map(|i| i.ip);
        let area = r.ip.as_ref().and_then(|i| i.area.as_deref());
        if v.verdict == Verdict::Current && r.status == Some(Status::Current) {
            let before = state.trust.find(&r.device.fingerprint()).cloned();
            state.trust.trust(&r.device, &tr("reason_this_browser", &[]), ip.as_ref(), area, now, true);
            changed |= before.as_ref() != state.trust.find(&r.device.fingerprint());
        } else if v.verdict == Verdict::Familiar {
            let before = state.trust.find(&r.device.fingerprint()).map(|d| (d.networks.len(), d.areas.len()));
            state.trust.seen(&r.device, ip.as_ref(), area, now);
            let after = state.trust.find(&r.device.fingerprint()).map(|d| (d.networks.len(), d.areas.len()));
            changed |= before != after;
        }
    }
    changed
}

fn accumulate_history(ex: &Extraction, state: &mut State, now: i64) -> bool {
    let Some(t) = ex.table(TableKind::RecentLogins) else { return false };
    let mut changed = false;
    // (ip, device, time) of every sighting, as one unambiguous string
    let key = |ip: &str, device: &str, time: i64| format!("{}:{ip}{device}:{time}", ip.len());
    // sorted, for binary search (no set type in the wasm for this one use)
    let mut known: Vec<String> = Vec::new();
    for s in &state.history {
        known.push(key(&s.ip, &s.device, s.time_ms));
    }
    crate::util::sort_stable_by(&mut known, |a, b| a.cmp(b));
    for r in t.records.iter().filter(|r| !r.hidden) {
        let (Some(ip), Some(time_ms)) = (r.ip.as_ref(), r.time_ms) else { continue };
        let ip_s = crate::net::ip_text(&ip.ip);
        if known.binary_search(&key(&ip_s, &r.device_text, time_ms)).is_ok() {
            continue;
        }
        let k = key(&ip_s, &extract::clip(&r.device_text), time_ms);
        if let Err(i) = known.binary_search(&k) {
            known.insert(i, k);
        }
        state.history.push(Seen {
            ip: ip_s,
            area: ip.area.clone().unwrap_or_default(),
            device: extract::clip(&r.device_text),
            time_ms,
            first_seen: now,
        });
        changed = true;
    }
    if state.history.len() > MAX_HISTORY {
        crate::util::sort_stable_by(&mut state.history, |a, b| b.time_ms.cmp(&a.time_ms));
        state.history.truncate(MAX_HISTORY);
    }
    changed
}

fn report_row(v: &assess::RowVerdict) -> ReportRow {
    ReportRow {
        table: v.table,
        verdict: v.verdict,
        severity: v.severity,
        reason: extract::clip_to(&v.reason, 300),
        online: v.online,
        describe: extract::clip(&v.describe),
        ip: v.ip.clone(),
        area: extract::clip(&v.area),
        time_ms: v.time_ms,
        device: String::new(),
        status: None,
    }
}

/// Longest device text kept with a row of another page (`ReportRow::device`):
/// enough to name any real device; a longer (hostile) one is cut.
const MAX_KEPT_DEVICE: usize = 200;

/// A row as the report keeps it; a shown Recent Logins row with its
/// device text and status (`ReportRow::device`): the popup's This is me /
/// Not me send them, and `reassess` decides the row again from them.
/// `recs`: the list's records, `ids` their rows and `index` = `util::index_u32(ids)`
/// (looked up, not searched per row: long lists).
fn kept_row(v: &assess::RowVerdict, recs: &[extract::Record], ids: &[u32], index: &[usize]) -> ReportRow {
    let mut row = report_row(v);
    if v.table == TableKind::RecentLogins {
        with_device(&mut row, v, recs, ids, index);
    }
    row
}

/// `row` with the device text and status of `v`'s record (found in `recs`,
/// as in `kept_row`), when it is not hidden.
fn with_device(row: &mut ReportRow, v: &assess::RowVerdict, recs: &[extract::Record], ids: &[u32], index: &[usize]) {
    if let Some(rec) = crate::util::first_at(ids, index, v.row).map(|i| &recs[i]).filter(|r| !r.hidden) {
        row.device = extract::clip_to(&rec.device_text, MAX_KEPT_DEVICE);
        row.status = rec.status;
    }
}

/// The pager moved before KuCoin replaced the rows: `here`, read as page
/// `page`, are the rows of a page read before under another number (rows
/// compared by `same`), so they are not this page yet.
fn read_under_another_page(pages: &[PageRead], page: u32, here: &[ReportRow], same: fn(&ReportRow, &ReportRow) -> bool) -> bool {
    for l in pages {
        let mut alike = !here.is_empty() && l.page != page && l.rows.len() == here.len();
        let mut i = 0;
        while alike && i < here.len() {
            alike = same(&here[i], &l.rows[i]);
            i += 1;
        }
        if alike {
            return true;
        }
    }
    false
}

/// A row of another Recent Logins (or Trusted Devices) page, its verdict
/// decided again with the trust list as it is now, as `assess` decides it
/// for a row on screen (`marked`: KuCoin's Current chip is on a Trusted
/// Devices row read, see `assess::row_verdict`).
fn reassess(r: &mut ReportRow, trust: &crate::trust::TrustList, me: Option<&device::DeviceInfo>, marked: bool) {
    if r.device.is_empty() {
        return;
    }
    let Some(ip) = crate::net::parse_addr(&r.ip) else { return };
    let rec = extract::Record {
        row: 0,
        anchor: 0,
        hidden: false,
        ip: Some(crate::net::LoginIp { area: (!r.area.is_empty()).then(|| r.area.clone()), ip }),
        ip_text: String::new(),
        device: device::parse_kucoin_device(&r.device),
        device_text: std::mem::take(&mut r.device),
        time_text: String::new(),
        time_ms: r.time_ms,
        status: r.status,
        event_type: String::new(),
        remove_button: None,
        status_ambiguous: false,
    };
    let v = assess::row_verdict(r.table, &rec, trust, me, false, marked && r.table == TableKind::TrustedDevices);
    *r = ReportRow { device: rec.device_text, status: rec.status, ..report_row(&v) };
}

/// (IP, time) of the Recent Logins rows on screen: a row of another page
/// read before with the same is the same login (rows move to the next page
/// when a new login arrives).
#[inline(never)]
fn shown_logins(a: &Assessment) -> Vec<(&str, Option<i64>)> {
    let mut here = Vec::new();
    for v in &a.rows {
        if v.table == TableKind::RecentLogins {
            here.push((v.ip.as_str(), v.time_ms));
        }
    }
    here
}

/// Rows of the Recent Logins pages read other than those on screen (`here`:
/// (IP, time) of the rows shown), each once, with its page: what the counts,
/// the popup and the page summary add to the page shown.
#[inline(never)]
pub fn other_pages_rows<'a>(logins: &'a [PageRead], here: &[(&str, Option<i64>)]) -> Vec<(u32, &'a ReportRow)> {
    let mut out: Vec<(u32, &ReportRow)> = Vec::new();
    for l in logins {
        for r in &l.rows {
            let key = (r.ip.as_str(), r.time_ms);
            let mut dup = here.contains(&key);
            for (_, o) in &out {
                dup |= (o.ip.as_str(), o.time_ms) == key;
            }
            if !dup {
                out.push((l.page, r));
            }
        }
    }
    out
}

/// "<reason> (Recent Logins page 2)", "<reason> (Trusted Devices page 2)".
pub fn on_page(table: TableKind, reason: &str, page: u32) -> String {
    let key = if table == TableKind::TrustedDevices { "trusted_on_page" } else { "pwcheck_on_page" };
    tr(key, &[reason, &crate::util::num(u64::from(page))])
}

/// The rows of the other pages of `table` read in `scan`'s page load (the
/// page shown says its own) that could not be read, one line a page ("1 Recent Logins row could not be read, so it
/// can't be verified (Recent Logins page 2)"), and how many in all: said by
/// the popup and the page summary beside the pages note, as that page is
/// not checked.
pub fn unread_elsewhere(scan: &ScanReport, table: TableKind) -> (u32, Vec<String>) {
    let (key, pages, view) = match table {
        TableKind::TrustedDevices => ("pwcheck_trusted_unreadable", &scan.devices[..], scan.devices_page),
        TableKind::RecentLogins => ("pwcheck_logins_unreadable", &scan.logins[..], scan.view_page),
        TableKind::SecurityLogs => ("", &[][..], 0),
    };
    let (mut n, mut lines) = (0, Vec::new());
    for l in pages {
        if l.unread > 0 && l.page != view {
            n += l.unread;
            lines.push(on_page(table, &plural(key, l.unread), l.page));
        }
    }
    (n, lines)
}

/// (IP, device, time) of a Trusted Devices row: one device's row on two
/// pages read (moved by a removal above it) is one device.
fn device_key(r: &ReportRow) -> (&str, &str, Option<i64>) {
    (r.ip.as_str(), r.describe.as_str(), r.time_ms)
}

/// Trusted Devices rows on screen, keyed as `device_key`.
#[inline(never)]
fn shown_devices(a: &Assessment) -> Vec<(&str, &str, Option<i64>)> {
    let mut here = Vec::new();
    for v in &a.rows {
        if v.table == TableKind::TrustedDevices {
            here.push((v.ip.as_str(), v.describe.as_str(), v.time_ms));
        }
    }
    here
}

/// Rows of the Trusted Devices pages read other than the one shown (`view`,
/// and `here`: the rows on screen, keyed as `device_key`), each device once,
/// with its page: what the count of devices to review, the popup and the
/// page summary add to the page shown.
#[inline(never)]
pub fn other_device_rows<'a>(devices: &'a [PageRead], view: u32, here: &[(&str, &str, Option<i64>)]) -> Vec<(u32, &'a ReportRow)> {
    let mut out: Vec<(u32, &ReportRow)> = Vec::new();
    for l in devices {
        if l.page == view {
            continue;
        }
        for r in &l.rows {
            let key = device_key(r);
            let mut dup = here.contains(&key);
            for (_, o) in &out {
                dup |= device_key(o) == key;
            }
            if !dup {
                out.push((l.page, r));
            }
        }
    }
    out
}

/// The Trusted Devices pages read in this document after this scan
/// (`ScanReport::devices`; `old`: those of the report before, in the same
/// document and account), and the page read now (0: none). As Recent
/// Logins': the page shown replaces its last reading, so a device gone
/// from it (removed, or moved to another page) is gone from the count;
/// pages past the pager's last are cut; the list changed since the other
/// pages were read (`list_moved`): they are unread again. The list on one
/// page (no pager), empty or gone: nothing of other pages stays. The list
/// loading (no rows yet): what was read stays. A page with more rows than
/// the pages kept have room for (`MAX_DEVICE_ROWS`) is not kept, and goes
/// into `over` (`ScanReport::devices_over`, kept as the pages are).
fn device_pages(ex: &Extraction, a: &Assessment, mut old: Vec<PageRead>, over: &mut Vec<u32>) -> (Vec<PageRead>, u32) {
    let Some(t) = ex.table(TableKind::TrustedDevices) else {
        over.clear();
        return (Vec::new(), 0);
    };
    let Some(g) = t.pager.as_ref().filter(|g| g.last > 1) else {
        if t.loading() {
            return (old, 0);
        }
        over.clear();
        return (Vec::new(), 0);
    };
    let mut keep = 0;
    while keep < old.len() && old[keep].page <= g.last {
        keep += 1;
    }
    old.truncate(keep);
    keep_over(over, 1, g.last, 0);
    // (a page read: its rows, KuCoin's "No data" on it, or rows it shows that
    // could not be read: that page then not checked, see `PageRead::unread`)
    if g.current < 1 || g.current > g.last.min(MAX_READ_PAGES) || extract::shown(Some(t)).is_none() {
        return (old, 0);
    }
    let mut ids = Vec::new();
    for r in &t.records {
        ids.push(r.row);
    }
    let index = crate::util::index_u32(&ids);
    let mut here = Vec::new();
    for v in &a.rows {
        if v.table == TableKind::TrustedDevices {
            let mut row = report_row(v);
            with_device(&mut row, v, &t.records, &ids, &index);
            here.push(row);
        }
    }
    if read_under_another_page(&old, g.current, &here, |a, b| device_key(a) == device_key(b)) {
        return (old, 0);
    }
    // The list changed since the other pages were read: KuCoin's pages are
    // cut anew, so a device read on one of them may sit on another page now
    // (removing a row moves the rows after it up a page, a page past the
    // new last one among them; a new device moves them down). Seen as this
    // page read again without a device it listed, or listing a row read on
    // another page: the other pages are unread again (never "all pages
    // checked" with a device in none of them).
    if list_moved(&old, g.current, &here) {
        keep_pages(&mut old, g.current, true);
        // (the other pages unread for that, not for their devices' number)
        keep_over(over, g.current, g.current, 0);
    }
    // Every row of the page is kept (none dropped unsaid), up to
    // `MAX_DEVICE_ROWS` over the pages: past it, this page is not kept and
    // its last reading goes, so it reads as not read (never "all checked").
    let mut kept = here.len();
    for l in &old {
        kept += if l.page == g.current { 0 } else { l.rows.len() };
    }
    if kept > MAX_DEVICE_ROWS {
        keep_pages(&mut old, g.current, false);
        keep_over(over, 1, u32::MAX, g.current);
        let mut i = over.len();
        while i > 0 && over[i - 1] > g.current {
            i -= 1;
        }
        over.insert(i, g.current);
        return (old, 0);
    }
    keep_over(over, 1, u32::MAX, g.current);
    put_page(&mut old, g.current, here, t.unreadable.len() as u32);
    (old, g.current)
}

/// Keep the pages of `over` from `lo` to `hi` but `not` (0: none). (A
/// plain loop: no `retain` closure's code in the wasm.)
fn keep_over(over: &mut Vec<u32>, lo: u32, hi: u32, not: u32) {
    let mut k = 0;
    for i in 0..over.len() {
        let p = over[i];
        if p >= lo && p <= hi && p != not {
            over[k] = p;
            k += 1;
        }
    }
    over.truncate(k);
}

/// Keep the pages read that are `page` (`only`), or all but it. (One
/// `retain` closure: each is its own code in the wasm.)
fn keep_pages(pages: &mut Vec<PageRead>, page: u32, only: bool) {
    pages.retain(|l| (l.page == page) == only);
}

/// Page `page`'s reading in `pages` (ascending): it replaces that page's
/// last one, or goes in its place. `unread`: its rows that could not be read.
fn put_page(pages: &mut Vec<PageRead>, page: u32, rows: Vec<ReportRow>, unread: u32) {
    let mut i = 0;
    while i < pages.len() && pages[i].page != page {
        i += 1;
    }
    if i < pages.len() {
        pages[i].rows = rows;
        pages[i].unread = unread;
    } else {
        pages.push(PageRead { page, rows, unread });
        while i > 0 && pages[i - 1].page > pages[i].page {
            pages.swap(i - 1, i);
            i -= 1;
        }
    }
}

/// Whether the Trusted Devices rows `here`, read on page `page`, show the
/// list changed since `old` was read: a device of this page's last reading
/// is gone from it (by IP and device: its time may be updated), or a row
/// read on another page is on this one.
#[inline(never)]
fn list_moved(old: &[PageRead], page: u32, here: &[ReportRow]) -> bool {
    for l in old {
        for r in &l.rows {
            let gone_or_moved = if l.page == page {
                let mut found = false;
                for h in here {
                    found |= h.ip == r.ip && h.describe == r.describe;
                }
                !found
            } else {
                let mut found = false;
                for h in here {
                    found |= device_key(h) == device_key(r);
                }
                found
            };
            if gone_or_moved {
                return true;
            }
        }
    }
    false
}

/// The stored report of this scan. The one stored before (`state.scan`): in
/// the same document and account, the Recent Logins pages read there are kept
/// (this page's rows replace its last reading), decided again with
/// `state.trust` (`reassess`) and counted with it.
fn report(snap: &Snapshot, ex: &Extraction, a: &Assessment, state: &mut State, me: Option<&device::DeviceInfo>, now: i64) -> ScanReport {
    let prev = state.scan.as_mut();
    let t = ex.table(TableKind::RecentLogins);
    let recs: &[extract::Record] = t.map_or(&[], |t| &t.records);
    let mut ids = Vec::new();
    for r in recs {
        ids.push(r.row);
    }
    let index = crate::util::index_u32(&ids);
    let mut rows = Vec::new();
    for v in a.rows.iter().take(MAX_REPORT_ROWS) {
        rows.push(kept_row(v, recs, &ids, &index));
    }
    let mut pages = Vec::new();
    for t in &ex.tables {
        if let Some(p) = &t.pager {
            if p.last > 1 {
                pages.push(ListPages { table: t.kind, current: p.current, last: p.last, read: Vec::new(), unverified: Vec::new() });
            }
        }
    }
    // What the report before carries over (taken: it is replaced).
    let (mut paging, mut old_logins, mut old_pages, mut old_devices) = (None, Vec::new(), Vec::new(), Vec::new());
    let mut devices_over = Vec::new();
    if let Some(p) = prev {
        if p.account == ex.account {
            // A run of "Check the other pages" goes on after a reload (it decides again there).
            paging = p.paging.take();
            if !snap.page_id.is_empty() && p.doc == snap.page_id {
                old_logins = std::mem::take(&mut p.logins);
                old_pages = std::mem::take(&mut p.pages);
                old_devices = std::mem::take(&mut p.devices);
                devices_over = std::mem::take(&mut p.devices_over);
            }
        }
    }
    let (mut devices, devices_page) = device_pages(ex, a, old_devices, &mut devices_over);
    // Trusted Devices loading (its rows not there yet): its pages as last read.
    if devices_page == 0 && !devices.is_empty() && ex.table(TableKind::TrustedDevices).is_some_and(|t| t.pager.is_none()) {
        for l in &old_pages {
            if l.table == TableKind::TrustedDevices {
                pages.push(l.clone());
            }
        }
    }
    let mut logins: Vec<PageRead> = Vec::new();
    let mut view_page = 0;
    let pager = t.and_then(|t| t.pager.as_ref()).filter(|g| g.last > 1);
    if let (Some(t), Some(g)) = (t, pager) {
        // (ascending: the pages gone past the last cut off)
        logins = old_logins;
        let mut keep = 0;
        while keep < logins.len() && logins[keep].page <= g.last {
            keep += 1;
        }
        logins.truncate(keep);
        // (a page of rows none of which could be read is read too: the page
        // opened, and what it shows is said as rows that can't be verified)
        if g.current >= 1 && g.current <= g.last.min(MAX_READ_PAGES) && !(t.records.is_empty() && t.unreadable.is_empty()) {
            let mut here = Vec::new();
            for v in &a.rows {
                if v.table == TableKind::RecentLogins && here.len() < MAX_PAGE_ROWS {
                    here.push(kept_row(v, recs, &ids, &index));
                }
            }
            if !read_under_another_page(&logins, g.current, &here, |a, b| a.ip == b.ip && a.time_ms == b.time_ms) {
                view_page = g.current;
                put_page(&mut logins, g.current, here, t.unreadable.len() as u32);
            }
        }
    } else if let Some(t) = t.filter(|t| !t.empty) {
        // The list loading (KuCoin replacing a page), or its rows back before its
        // pager: what was read in this document stays (the pager back, its
        // pages read count). Its note of pages only while loading: rows
        // without a pager are a list on one page now (sessions ended), and
        // no note speaks of pages it no longer has. (While "Check the other
        // pages" runs the note stays: the run decides by it, and stops saying
        // the pager is gone, never "every page checked".)
        logins = old_logins;
        let running = paging.as_ref().is_some_and(|p| p.failure.is_empty());
        if running || t.loading() {
            for l in old_pages {
                if l.table == TableKind::RecentLogins {
                    pages.push(l);
                }
            }
        }
    }
    // The other pages' rows as the trust list decides them now.
    for l in &mut logins {
        if l.page != view_page {
            for r in &mut l.rows {
                reassess(r, &state.trust, me, false);
            }
        }
    }
    // (KuCoin's Current chip on a device read, on any page: only that row is this browser)
    let mut chip = ex.table(TableKind::TrustedDevices).is_some_and(|t| t.records.iter().any(|r| r.status == Some(Status::Current) && !r.hidden));
    for l in &devices {
        chip |= l.rows.iter().any(|r| r.status == Some(Status::Current));
    }
    for l in &mut devices {
        if l.page != devices_page {
            for r in &mut l.rows {
                reassess(r, &state.trust, me, chip);
            }
        }
    }
    let mut summary = a.summary.clone();
    for l in &mut pages {
        let read = match l.table {
            TableKind::RecentLogins => &logins,
            TableKind::TrustedDevices => &devices,
            TableKind::SecurityLogs => continue,
        };
        l.read.clear();
        l.unverified.clear();
        for r in read {
            if r.unread == 0 {
                l.read.push(r.page);
            } else {
                l.unverified.push(r.page);
            }
        }
    }
    // The other pages' rows counted (the popup lists them from `logins`).
    for (_, r) in other_pages_rows(&logins, &shown_logins(a)) {
        summary.sessions += 1;
        summary.online += u32::from(r.online);
        if r.verdict == Verdict::Unfamiliar && r.severity.is_some_and(|x| x <= Severity::Medium) {
            summary.unfamiliar += 1;
            summary.unfamiliar_online += u32::from(r.online);
        }
    }
    // ... and the devices KuCoin trusts on the other Trusted Devices pages.
    for (_, r) in other_device_rows(&devices, devices_page, &shown_devices(a)) {
        if r.verdict == Verdict::Unfamiliar {
            summary.trusted_by_kucoin_not_you += 1;
        }
    }
    ScanReport {
        at: now,
        url: extract::clip(&snap.url),
        lang: ex.lang.clone(),
        summary,
        settings: ex.settings.clone(),
        account: ex.account.clone(),
        rows,
        pages,
        doc: snap.page_id.clone(),
        logins,
        view_page,
        paging,
        trust: trust_sig(&state.trust),
        devices,
        devices_page,
        devices_over,
    }
}

/// The summary's tone, title and text. `trusted_unread`: Trusted Devices
/// has pages not read, so "all familiar" is not said (a device KuCoin
/// trusts may be listed there). `trusted_unreadable`: rows of the Trusted
/// Devices list shown that could not be read: for the same reason not "all
/// familiar" either, but how many rows could not be read (with those of
/// the other Trusted Devices pages read). `logins_unreadable`: alike, rows
/// of the other Recent Logins pages read that could not be read.
fn summary_text(s: &assess::Summary, trusted_unread: bool, trusted_unreadable: u32, logins_unreadable: u32) -> (Tone, String, String) {
    if !s.readable {
        let why = s.problems.first().cloned().unwrap_or_else(|| tr("summary_unknown_layout", &[]));
        return (Tone::Warn, tr("summary_cant_verify", &[]), why);
    }
    let mut parts = vec![plural("sessions", s.sessions)];
    if s.unfamiliar_online > 0 {
        parts.push(plural("summary_unfamiliar_online", s.unfamiliar_online));
    } else if s.unfamiliar > 0 {
        parts.push(plural("summary_unfamiliar", s.unfamiliar));
    } else if logins_unreadable > 0 {
        parts.push(plural("pwcheck_logins_unreadable", logins_unreadable));
    } else if trusted_unreadable > 0 {
        parts.push(plural("pwcheck_trusted_unreadable", trusted_unreadable));
    } else if trusted_unread {
        parts.push(tr("summary_trusted_unread", &[]));
    } else {
        parts.push(tr("summary_all_familiar", &[]));
    }
    if s.trusted_by_kucoin_not_you > 0 {
        parts.push(plural("summary_trusted_review", s.trusted_by_kucoin_not_you));
    }
    if s.flagged_events > 0 {
        parts.push(plural("summary_events_review", s.flagged_events));
    }
    let tone = if s.unfamiliar_online > 0 || s.current_mismatch {
        Tone::Danger
    } else if s.unfamiliar > 0 || s.trusted_by_kucoin_not_you > 0 || s.flagged_events > 0 || !s.problems.is_empty() || trusted_unread || trusted_unreadable > 0 || logins_unreadable > 0 {
        Tone::Warn
    } else {
        Tone::Ok
    };
    (tone, crate::util::join(&parts, " · "), crate::util::join(&s.problems, " "))
}

/// Longest page text an action carries back (bytes); `handle_action` refuses more.
const MAX_ACTION_TEXT: usize = 2000;
/// Confirm buttons a `remove_device` action may name (`Action::confirms`).
const MAX_CONFIRMS: usize = 64;
/// Longest key an action carries (bytes; "I did all" joins the keys of the
/// events it acknowledges, as many as fit); `handle_action` refuses more.
const MAX_ACK_KEYS: usize = 2000;

fn row_action(kind: &str, v: &assess::RowVerdict, device_text: &str) -> Action {
    // Cut, so a 100 KB device name cannot make "Not me" fail.
    let mut end = device_text.len().min(MAX_ACTION_TEXT);
    while !device_text.is_char_boundary(end) {
        end -= 1;
    }
    Action { kind: kind.into(), device_text: crate::util::str_to(device_text, end).into(), ip: v.ip.clone(), area: v.area.clone(), ..Default::default() }
}

/// Longest page text shown in full (as the widget's tooltip; widgets.js shows
/// the first 300 characters inline).
const MAX_SHOWN_PAGE_TEXT: usize = 10_000;

/// Inline reason widgets per list at most: the most urgent rows (unfamiliar
/// online first, then by severity, then newest; familiar ones last) get one
/// under the row; every row keeps its mark, and the summary above the list
/// names the unfamiliar rows left without one. Each widget costs the page a
/// shadow root and a relayout of its table (issue #8: a 5,000-row list).
pub const MAX_INLINE_REASONS: usize = 5;
/// A list longer than this gets no inline reason widget at all (the summary
/// names its most urgent rows): a widget inside a table makes the browser lay
/// the whole table out again, about a second for 5,000 rows.
pub const MAX_ROWS_WITH_INLINE: usize = 100;
/// Unfamiliar rows without an inline widget that the summary names one by one.
const MAX_SUMMARY_ROWS: usize = 5;

/// The snapshot id of <body> (the walk's first node).
fn body_of(snap: &Snapshot) -> Option<u32> {
    snap.nodes.first().filter(|n| n.tag == "body").map(|n| n.id)
}

/// Security Logs shown where Recent Logins would be (KuCoin's other tab).
/// Security Logs is open instead of Recent Logins: a logs table named by its
/// column labels. One found by its shape alone may be Recent Logins in a
/// language we have no labels for, which must not pass for the other tab
/// (the last reading, maybe "all good", would stand for sessions on screen).
fn other_tab(ex: &Extraction) -> bool {
    ex.table(TableKind::RecentLogins).is_none() && ex.table(TableKind::SecurityLogs).is_some_and(|t| t.by == "labels")
}

/// A list (of any kind) longer than `MAX_ROWS_WITH_INLINE` rows: anything of
/// ours in the page's flow would make the browser lay it out again.
fn long_list(ex: &Extraction) -> bool {
    ex.tables.iter().any(|t| t.records.len() > MAX_ROWS_WITH_INLINE)
}

fn build_plan(ex: &Extraction, a: &Assessment, state: &State, plan: &mut Plan, now: i64) {
    // device text of a row's first record in the first table of its kind (what
    // `ex.table(kind)` finds), looked up instead of searched per row
    let mut indexes: Vec<(TableKind, Vec<u32>, Vec<usize>)> = Vec::new();
    for t in &ex.tables {
        let mut rows: Vec<u32> = Vec::new();
        for r in &t.records {
            rows.push(r.row);
        }
        let index = crate::util::index_u32(&rows);
        indexes.push((t.kind, rows, index));
    }
    let device_text = |table: TableKind, row: u32| -> String {
        let Some(ti) = ex.tables.iter().position(|t| t.kind == table) else { return String::new() };
        let (_, rows, index) = &indexes[ti];
        crate::util::first_at(rows, index, row).map(|i| ex.tables[ti].records[i].device_text.clone()).unwrap_or_default()
    };
    let limit = |kind: TableKind| if ex.table(kind).is_some_and(|t| t.records.len() > MAX_ROWS_WITH_INLINE) { 0 } else { MAX_INLINE_REASONS };
    let mut inline = [0usize; 2]; // per list: Recent Logins, Trusted Devices
    let mut undetailed: Vec<&assess::RowVerdict> = Vec::new();
    let rows = |kind: TableKind| ex.table(kind).map_or(0, |t| t.records.len());
    for v in &a.rows {
        plan.mark(v.row, "data-session-guard", v.verdict.as_str());
        plan.bar(v.row, v.verdict.as_str(), rows(v.table));
        if v.verdict == Verdict::Current {
            continue;
        }
        let shown = &mut inline[usize::from(v.table != TableKind::RecentLogins)];
        if *shown >= limit(v.table) {
            if v.verdict == Verdict::Unfamiliar {
                undetailed.push(v);
            }
            continue;
        }
        *shown += 1;
        let dt = device_text(v.table, v.row);
        let who = extract::clip(&v.describe);
        let mut buttons = Vec::new();
        let (tone, title) = match (v.verdict, v.severity) {
            (Verdict::Familiar, _) => (Tone::Ok, tr("verdict_familiar", &[])),
            (_, Some(Severity::High)) => (Tone::Danger, tr("verdict_unfamiliar", &[])),
            _ => (Tone::Warn, tr("verdict_unfamiliar", &[])),
        };
        if v.table == TableKind::RecentLogins {
            if v.verdict != Verdict::Familiar || v.severity.is_some() {
                buttons.push(
                    Button { prompt: Some(tr("prompt_device_name", &[])), ..Button::new(&tr("btn_this_is_me", &[]), ButtonStyle::Secondary, row_action("trust", v, &dt)) }
                        .aria(tr("aria_this_is_me", &[&who])),
                );
            }
            if !v.suspect {
                buttons.push(Button::new(&tr("btn_not_me", &[]), ButtonStyle::Danger, row_action("not_me", v, &dt)).aria(tr("aria_not_me", &[&who])));
            }
        } else if v.verdict == Verdict::Unfamiliar {
            if let Some(btn) = v.remove_button {
                let mut act = row_action("remove_device", v, &dt);
                act.target = btn;
                buttons.push(Button {
                    confirm: Some(Confirm {
                        title: tr("confirm_remove_title", &[]),
                        text: tr("confirm_remove_text", &[&who]),
                        steps: Vec::new(),
                        confirm_label: tr("confirm_remove_ok", &[]),
                        cancel_label: tr("btn_cancel", &[]),
                    }),
                    ..Button::new(&tr("btn_remove", &[]), ButtonStyle::Danger, act).aria(tr("aria_remove_device", &[&who]))
                });
            }
            buttons.push(
                Button { prompt: Some(tr("prompt_device_name", &[])), ..Button::new(&tr("btn_this_is_me", &[]), ButtonStyle::Secondary, row_action("trust", v, &dt)) }
                    .aria(tr("aria_this_is_me", &[&who])),
            );
        }
        plan.widgets.push(Widget {
            key: format!("row:{}", v.row),
            anchor: v.anchor,
            place: Place::Append,
            kind: Kind::Reason,
            tone,
            title,
            // Reasons quote page text clipped; a longer device name is
            // appended so the widget's tooltip holds it in full.
            text: if crate::util::char_count(&dt) > 60 { tr("reason_device_as_shown", &[&v.reason, &extract::isolate(&extract::clip_to(&dt, MAX_SHOWN_PAGE_TEXT))]) } else { v.reason.clone() },
            items: Vec::new(),
            buttons,
            host_attr: None,
        });
    }
    let mut flagged_shown = 0;
    for e in &a.events {
        let value = match e.mark {
            EventMark::Flagged => "flagged",
            EventMark::Acknowledged => "acknowledged",
            EventMark::Routine => "routine",
        };
        plan.mark(e.row, "data-session-guard-event", value);
        if e.mark == EventMark::Flagged {
            plan.bar(e.row, value, rows(TableKind::SecurityLogs));
        }
        // More flagged events than that: the events summary (count + "I did all") covers the rest.
        if e.mark == EventMark::Flagged && flagged_shown < limit(TableKind::SecurityLogs) {
            flagged_shown += 1;
            plan.widgets.push(Widget {
                key: format!("event:{}", e.row),
                anchor: e.anchor,
                place: Place::Append,
                kind: Kind::Reason,
                tone: Tone::Warn,
                title: tr("event_title", &[]),
                // (an event KuCoin recorded no address for says so: never "from ")
                text: if e.ip.is_empty() {
                    tr("event_text_no_ip", &[&extract::clip(&e.event_type)])
                } else {
                    tr("event_text", &[&extract::clip(&e.event_type), &extract::quote_ip(&e.ip)])
                },
                items: Vec::new(),
                buttons: vec![Button::new(&tr("btn_i_did_this", &[]), ButtonStyle::Secondary, Action { kind: "ack_event".into(), key: e.key.clone(), ..Default::default() })
                    .aria(tr("aria_i_did_this", &[&extract::clip(&e.event_type)]))],
                host_attr: None,
            });
        }
    }
    // Trusted Devices with more pages (this scan's report): the devices
    // KuCoin trusts on the other pages read count with the page's, and while
    // a page is not read nothing says "all familiar".
    let devs = state.scan.as_ref().filter(|_| !other_tab(ex));
    let dlist = devs.and_then(|s| s.pages.iter().find(|l| l.table == TableKind::TrustedDevices));
    let trusted_unread = dlist.is_some_and(|l| !l.complete());
    // Rows of the other pages read that could not be read (those pages not checked).
    let (trusted_unverified, trusted_unread_lines) = devs.map(|s| unread_elsewhere(s, TableKind::TrustedDevices)).unwrap_or_default();
    // The report of this scan (Recent Logins on screen): the pages read in
    // this page load, and the unfamiliar rows found on the others.
    let scan = state.scan.as_ref().filter(|_| ex.table(TableKind::RecentLogins).is_some_and(|t| t.pager.is_some()));
    let (logins_unverified, logins_unread_lines) = scan.map(|s| unread_elsewhere(s, TableKind::RecentLogins)).unwrap_or_default();
    let mut trusted_elsewhere: Vec<String> = Vec::new();
    if let Some(s) = devs {
        for (page, r) in other_device_rows(&s.devices, s.devices_page, &shown_devices(a)) {
            if r.verdict == Verdict::Unfamiliar {
                trusted_elsewhere.push(on_page(TableKind::TrustedDevices, &r.reason, page));
            }
        }
    }
    // Summary bar above Recent Logins (or at the top of the page if unreadable).
    let (tone, title, text) = if other_tab(ex) {
        let last = state.scan.as_ref().filter(|s| s.summary.readable && s.account == ex.account);
        let text = match last {
            Some(s) => tr("summary_other_tab_last", &[&crate::popup::ago(s.at, now)]),
            None => tr("summary_other_tab_none", &[]),
        };
        (Tone::Info, tr("summary_other_tab", &[]), text)
    } else {
        let mut s = a.summary.clone();
        s.trusted_by_kucoin_not_you += trusted_elsewhere.len() as u32;
        // The Security Logs events flagged and not acknowledged, remembered
        // from that tab (not on screen): never "all familiar" above the sessions.
        if ex.table(TableKind::SecurityLogs).is_none() {
            s.flagged_events += state.acks.pending().len() as u32;
        }
        let unreadable = ex.table(TableKind::TrustedDevices).map_or(0, |t| t.unreadable.len() as u32);
        summary_text(&s, trusted_unread, unreadable + trusted_unverified, logins_unverified)
    };
    // KuCoin's "Enable 2FA … before managing devices" in place of Trusted
    // Devices: never part of an "all good".
    let needs_2fa = ex.settings.trusted_needs_2fa;
    let tone = if needs_2fa && tone == Tone::Ok { Tone::Warn } else { tone };
    // One page of several read: said here as in the popup (the tone stays the page's:
    // KuCoin's pager is right under it, and each page shown is read in turn).
    let list = scan.and_then(|s| s.pages.iter().find(|l| l.table == TableKind::RecentLogins));
    let pages = list.and_then(ListPages::note);
    let mut elsewhere: Vec<String> = Vec::new();
    let mut elsewhere_online = false;
    if let Some(s) = scan {
        for (page, r) in other_pages_rows(&s.logins, &shown_logins(a)) {
            if r.verdict == Verdict::Unfamiliar {
                elsewhere.push(on_page(TableKind::RecentLogins, &r.reason, page));
                elsewhere_online |= r.online;
            }
        }
    }
    // (the other pages' unfamiliar rows count as this list's)
    let tone = if elsewhere_online && tone != Tone::Danger {
        Tone::Danger
    } else if !elsewhere.is_empty() && matches!(tone, Tone::Ok | Tone::Info) {
        Tone::Warn
    } else {
        tone
    };
    // (Above a long list it goes into the dock instead, with every other
    // widget: see `scan`.)
    let anchor =
        ex.table(TableKind::RecentLogins).map(|t| (t.container, Place::Before)).or_else(|| ex.controls.page_root.map(|r| (r, Place::Prepend)));
    if let Some((anchor, place)) = anchor {
        let mut items = Vec::new();
        let mut buttons = Vec::new();
        let banner = state.trust.devices.iter().all(|d| d.this_browser) && !state.settings.banner_dismissed && a.summary.readable;
        if banner {
            items.push(tr("banner_marks", &[]));
            items.push(tr("banner_review", &[]));
            buttons.push(Button::new(&tr("btn_got_it", &[]), ButtonStyle::Secondary, Action { kind: "dismiss_banner".into(), ..Default::default() }));
        }
        if !undetailed.is_empty() {
            // Unfamiliar rows past the inline limit: how many, and the first ones by name.
            items.push(plural("summary_undetailed", undetailed.len() as u32));
            for v in undetailed.iter().take(MAX_SUMMARY_ROWS) {
                items.push(v.reason.clone());
            }
            if undetailed.len() > MAX_SUMMARY_ROWS {
                items.push(plural("summary_undetailed_more", (undetailed.len() - MAX_SUMMARY_ROWS) as u32));
            }
        }
        if !elsewhere.is_empty() {
            // Unfamiliar rows on the other pages read (not on screen to mark).
            items.push(plural("summary_other_pages", elsewhere.len() as u32));
            for r in elsewhere.iter().take(MAX_SUMMARY_ROWS) {
                items.push(r.clone());
            }
            if elsewhere.len() > MAX_SUMMARY_ROWS {
                items.push(plural("summary_undetailed_more", (elsewhere.len() - MAX_SUMMARY_ROWS) as u32));
            }
        }
        // Devices KuCoin trusts on the other Trusted Devices pages read (each names its page).
        for r in trusted_elsewhere.iter().take(MAX_SUMMARY_ROWS) {
            items.push(r.clone());
        }
        if trusted_elsewhere.len() > MAX_SUMMARY_ROWS {
            items.push(plural("summary_undetailed_more", (trusted_elsewhere.len() - MAX_SUMMARY_ROWS) as u32));
        }
        if needs_2fa {
            items.push(tr("trusted_needs_2fa", &[]));
        }
        items.extend(pages);
        items.extend(logins_unread_lines);
        items.extend(dlist.and_then(ListPages::note));
        items.extend(trusted_unread_lines);
        // (and why, when it is so: too many devices to keep)
        if let Some(n) = devs.and_then(|s| too_many_devices(s, dlist)) {
            items.push(n);
        }
        // "Check the other pages": KuCoin's pager steps through them, one a scan.
        if let (Some(s), Some(l)) = (scan, list.filter(|l| l.last <= MAX_READ_PAGES)) {
            let act = |kind: &str| Action { kind: kind.into(), ..Default::default() };
            match &s.paging {
                Some(p) if p.failure.is_empty() => {
                    let page = if p.target != 0 { p.target } else { l.first_unread().unwrap_or(l.current) };
                    items.push(tr("pwcheck_paging", &[&crate::util::num(u64::from(page)), &crate::util::num(u64::from(l.last))]));
                    buttons.push(Button::new(&tr("btn_cancel", &[]), ButtonStyle::Secondary, act("stop_all_pages")));
                }
                p => {
                    if let Some(p) = p {
                        items.push(p.failure.clone());
                    }
                    if l.first_unread().is_some() {
                        buttons.push(Button::new(&tr("btn_check_pages", &[]), ButtonStyle::Secondary, act("check_all_pages")));
                    }
                }
            }
        }
        plan.widgets.push(Widget {
            key: "summary:recent".into(),
            anchor,
            place,
            kind: if banner { Kind::Banner } else { Kind::Summary },
            tone,
            title,
            text,
            items,
            buttons,
            host_attr: None,
        });
    }
    // ... and beside the prompt itself, where the list would be.
    if let Some(p) = ex.controls.needs_2fa_prompt.filter(|_| needs_2fa) {
        plan.widgets.push(Widget {
            key: "trusted:needs_2fa".into(),
            anchor: p,
            place: Place::After,
            kind: Kind::Summary,
            tone: Tone::Warn,
            title: tr("trusted_needs_2fa", &[]),
            text: tr("trusted_needs_2fa_text", &[]),
            items: Vec::new(),
            buttons: Vec::new(),
            host_attr: None,
        });
    }
    if let Some(t) = ex.table(TableKind::SecurityLogs) {
        // KuCoin's pager under the list: what was checked is the page shown,
        // never the whole log.
        let pages = t.pager.as_ref().and_then(|p| pages_note(TableKind::SecurityLogs, p.current, p.last));
        if a.summary.flagged_events > 1 || pages.is_some() {
            let mut buttons = Vec::new();
            if a.summary.flagged_events > 1 {
                // The events flagged on the page shown, by key: "I did all" is
                // about what the user saw, never the unseen pages before it
                // (older, so under any "until now") nor an event logged since.
                let mut keys = String::new();
                for e in a.events.iter().filter(|e| e.mark == assess::EventMark::Flagged) {
                    if keys.len() + e.key.len() + 1 > MAX_ACK_KEYS {
                        break;
                    }
                    if !keys.is_empty() {
                        keys.push('\n');
                    }
                    keys.push_str(&e.key);
                }
                buttons.push(Button::new(&tr("btn_i_did_all", &[]), ButtonStyle::Secondary, Action { kind: "ack_all".into(), key: keys, ..Default::default() }));
            }
            let (title, text) = match (a.summary.flagged_events > 1, pages) {
                (true, Some(p)) => (plural("events_summary", a.summary.flagged_events), format!("{p} {}", tr("events_pages_text", &[]))),
                (true, None) => (plural("events_summary", a.summary.flagged_events), String::new()),
                (false, Some(p)) => (p, tr("events_pages_text", &[])),
                (false, None) => (String::new(), String::new()),
            };
            plan.widgets.push(Widget {
                key: "summary:events".into(),
                anchor: t.container,
                place: Place::Before,
                kind: Kind::Summary,
                tone: if a.summary.flagged_events > 1 { Tone::Warn } else { Tone::Info },
                title,
                text,
                items: Vec::new(),
                buttons,
                host_attr: None,
            });
        }
    }
}

/// A button press from our own UI (already checked `isTrusted` and, for
/// destructive actions, confirmed in our dialog).
pub fn handle_action(action: &Action, state: &mut State, now: i64) -> Result<Outcome, String> {
    let mut out = Outcome::new(Plan::empty("security"), state, now);
    let device = || device::parse_kucoin_device(&action.device_text);
    let ip: Option<std::net::IpAddr> = if action.ip.is_empty() { None } else { Some(crate::net::parse_ip(&action.ip).map_err(|e| format!("bad IP in action: {e}"))?) };
    let area = if action.area.is_empty() { None } else { Some(action.area.as_str()) };
    // (more Confirm buttons on screen than a Remove may name: it is refused,
    // never cut, since a Confirm left out could be taken for the pop-confirm's)
    if action.device_text.len() > MAX_ACTION_TEXT || crate::util::char_count(&action.label) > 200 || action.key.len() > MAX_ACK_KEYS || action.confirms.len() > MAX_CONFIRMS {
        return Err("action too large".into());
    }
    match action.kind.as_str() {
        "trust" => {
            let label = action.label.trim();
            let d = device();
            let label = if label.is_empty() { d.describe() } else { label.to_string() };
            state.trust.trust(&d, &label, ip.as_ref(), area, now, false);
            out.write("trust");
            out.toast = tr("toast_trusted", &[&extract::clip(&label)]);
        }
        "not_me" => {
            state.trust.mark_not_me(&device(), ip.as_ref(), area, now);
            out.write("trust");
            out.toast = tr("toast_not_me", &[]);
        }
        // ("ack_all": the keys of the events flagged on the page shown, one a
        // line; acks.until is only read, from stores written before)
        "ack_event" | "ack_all" => {
            for key in action.key.split('\n').filter(|k| !k.is_empty()) {
                if !state.acks.keys.iter().any(|k| k == key) {
                    state.acks.keys.push(key.to_string());
                    if state.acks.keys.len() > 500 {
                        state.acks.keys.remove(0);
                    }
                }
            }
            // (the kept events it covers go with it: a key later pushed out
            // of the 500 does not bring its event back)
            state.acks.forget_acknowledged();
            out.write("acks");
        }
        "rename_device" => {
            let label = action.label.trim();
            if label.is_empty() || !state.trust.rename(&action.key, label) {
                return Err(tr("error_no_such_device", &[]));
            }
            out.write("trust");
        }
        "forget_device" => {
            if !state.trust.remove(&action.key) {
                return Err(tr("error_no_such_device", &[]));
            }
            out.write("trust");
        }
        "forget_all" => {
            state.trust = crate::trust::TrustList::default();
            out.write("trust");
        }
        "api_reviewed" => {
            crate::api::mark_reviewed(state, &action.key, now)?;
            out.write("api");
            out.toast = tr("toast_api_reviewed", &[]);
        }
        "dismiss_banner" => {
            state.settings.banner_dismissed = true;
            out.write("settings");
        }
        "remove_device" => {
            if action.target == 0 {
                return Err(tr("error_no_remove_button", &[]));
            }
            let t = crate::flow::Target {
                device_text: extract::clip_to(&action.device_text, 200),
                ip: ip.map(|i| crate::net::ip_text(&i)).unwrap_or_default(),
                area: area.map(extract::clip).unwrap_or_default(),
                time_ms: None,
            };
            out.plan.steps = crate::flow::start_remove_device(state, t, action.target, action.confirms.clone(), action.tab, now)?;
            out.write("flow");
            out.refresh(state, now);
            return Ok(out);
        }
        "logout_all" => {
            out.toast = crate::flow::start_logout_all(state, action.tab, now)?;
            out.write("flow");
        }
        "request_logout_all" => {
            crate::flow::request_logout_all(state, now);
            out.write("flow");
            out.toast = tr("toast_confirm_on_page", &[]);
        }
        "cancel_flow" => {
            out.toast = crate::flow::cancel(state);
            out.write("flow");
        }
        "resume_flow" | "skip_device" => {
            out.toast = crate::flow::resume(state, action.kind == "skip_device", action.tab, now)?;
            out.write("flow");
        }
        "open_password" => {
            out.plan.steps = crate::flow::open_password(state, now)?;
            out.write("flow");
            out.refresh(state, now);
            return Ok(out);
        }
        "dismiss_check" => {
            state.checks.dismissed = true;
            out.write("checks");
        }
        "check_pages" => {
            crate::check::start_paging(&mut state.checks, action.tab, now)?;
            out.write("checks");
        }
        "stop_check_pages" => {
            state.checks.paging = None;
            out.write("checks");
        }
        "check_all_pages" => {
            // The page summary's button: only a Recent Logins list with a pager, read in this page load.
            let scan = state.scan.as_mut().filter(|s| s.pages.iter().any(|l| l.table == TableKind::RecentLogins && l.last <= MAX_READ_PAGES));
            let Some(scan) = scan else { return Err(tr("pwcheck_paging_no_control", &["2"])) };
            scan.paging = Some(crate::check::Paging { tab: action.tab, since: now, ..Default::default() });
            out.write("scan");
        }
        "stop_all_pages" => {
            if let Some(s) = state.scan.as_mut() {
                s.paging = None;
            }
            out.write("scan");
        }
        other => return Err(format!("unknown action \"{}\"", extract::clip(other))),
    }
    out.refresh(state, now);
    out.rescan = true;
    Ok(out)
}

/// "Import trusted devices": merge a validated trust list into ours.
/// Existing devices keep their labels; new networks and areas are added.
pub fn handle_import(v: &crate::storage::Value, state: &mut State, now: i64) -> Result<Outcome, String> {
    let incoming = crate::storage::import_trust(v)?;
    let mut added = 0u32;
    for d in incoming.devices {
        let count = state.trust.devices.len();
        match state.trust.devices.iter_mut().find(|x| x.fingerprint == d.fingerprint) {
            Some(x) => x.add_sightings(d.networks, d.areas),
            None if count < crate::trust::MAX_DEVICES => {
                state.trust.devices.push(crate::trust::TrustedDevice { this_browser: false, ..d });
                added += 1;
            }
            None => {}
        }
    }
    for s in incoming.suspects {
        if !state.trust.suspects.iter().any(|x| x.fingerprint == s.fingerprint && x.network == s.network) {
            state.trust.suspects.push(s);
        }
    }
    // At most MAX_DEVICES "Not me" rows, the oldest dropped first (as `mark_not_me`).
    let over = state.trust.suspects.len().saturating_sub(crate::trust::MAX_DEVICES);
    state.trust.suspects.drain(..over);
    let mut out = Outcome::new(Plan::empty("popup"), state, now);
    out.write("trust");
    out.toast = plural("import_done", added);
    let _ = now;
    Ok(out)
}

/// Everything stored, for "Export report": made locally, no network.
#[derive(Debug, Clone)]
pub struct ExportReport<'a> {
    pub format: &'static str,
    pub generated_at: i64,
    pub state: &'a State,
    /// Data kept aside after a recovery (`quarantine/*` keys), as stored.
    pub kept_aside: Vec<(String, crate::storage::Value)>,
}
crate::json_struct!(write_only ExportReport<'a> { format, generated_at, state, kept_aside });

pub fn export_report(state: &State, kept_aside: Vec<(String, crate::storage::Value)>, now: i64) -> ExportReport<'_> {
    ExportReport { format: "session-guard-report/1", generated_at: now, state, kept_aside }
}

/// The toolbar badge from the stored state. Its tooltip also counts the
/// flagged Security Logs events remembered and not acknowledged (as the
/// popup and the page summary do): never "no unfamiliar sessions" alone
/// while they wait.
pub fn badge(state: &State, now: i64) -> Badge {
    let mut b = sessions_badge(state, now);
    let events = state.acks.pending().len() as u32;
    if events > 0 {
        b.title = format!("{} · {}", b.title, plural("badge_events", events));
    }
    b
}

fn sessions_badge(state: &State, now: i64) -> Badge {
    if state.checks.overdue(now) {
        return Badge {
            text: "!".into(),
            color: "#c62828".into(),
            title: tr("badge_check_pending", &[]),
        };
    }
    if state.checks.failed() {
        return Badge { text: "!".into(), color: "#c62828".into(), title: tr("badge_check_failed", &[]) };
    }
    if state.checks.incomplete() {
        return Badge { text: "!".into(), color: "#ef6c00".into(), title: tr("badge_check_incomplete", &[]) };
    }
    let Some(scan) = &state.scan else {
        return Badge { text: String::new(), color: String::new(), title: tr("badge_no_scan", &[]) };
    };
    let s = &scan.summary;
    if !s.readable {
        return Badge { text: "?".into(), color: "#ef6c00".into(), title: tr("badge_unreadable", &[]) };
    }
    if s.unfamiliar_online > 0 {
        return Badge {
            text: crate::util::num(s.unfamiliar_online as u64),
            color: "#c62828".into(),
            title: plural("badge_unfamiliar_online", s.unfamiliar_online),
        };
    }
    Badge {
        text: String::new(),
        color: String::new(),
        title: if s.unfamiliar > 0 {
            plural("badge_unfamiliar_offline", s.unfamiliar)
        } else if let Some(note) = scan.pages.iter().find(|p| !p.complete()).and_then(ListPages::note) {
            // one page of several read: not "no unfamiliar sessions"
            tr("badge_partial", &[&note])
        } else {
            tr("badge_clean", &[])
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_states() {
        let mut s = State::default();
        assert_eq!(badge(&s, 0).text, "");
        assert!(badge(&s, 0).title.contains("no scan"));
        s.scan = Some(ScanReport { summary: assess::Summary { readable: false, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s, 0).text, "?");
        s.scan = Some(ScanReport { summary: assess::Summary { readable: true, unfamiliar_online: 2, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s, 0).text, "2");
        s.scan = Some(ScanReport { summary: assess::Summary { readable: true, unfamiliar: 2, ..Default::default() }, ..Default::default() });
        assert_eq!(badge(&s, 0).text, "");
    }

    /// The Security Logs events remembered and not acknowledged are in the
    /// tooltip, whatever it says of the sessions; acknowledged, not.
    #[test]
    fn badge_counts_the_events_waiting() {
        let mut s = State { scan: Some(ScanReport { summary: assess::Summary { readable: true, ..Default::default() }, ..Default::default() }), ..Default::default() };
        assert_eq!(badge(&s, 0).title, "Session Guard: no unfamiliar sessions");
        let event = |key: &str, time_ms| assess::FlaggedEvent { key: key.into(), event_type: "Create API".into(), time_ms, ip: String::new(), area: String::new(), device: String::new() };
        s.acks.flagged = vec![event("a", Some(5)), event("b", None)];
        let b = badge(&s, 0);
        assert_eq!(b.title, "Session Guard: no unfamiliar sessions · 2 sensitive changes to review in Security Logs");
        assert_eq!((b.text.as_str(), b.color.as_str()), ("", ""));
        s.acks.keys.push("b".into());
        assert_eq!(badge(&s, 0).title, "Session Guard: no unfamiliar sessions · 1 sensitive change to review in Security Logs");
        s.scan.as_mut().unwrap().summary.unfamiliar_online = 1;
        let b = badge(&s, 0);
        assert_eq!((b.text.as_str(), b.title.as_str()), ("1", "Session Guard: 1 unfamiliar online session · 1 sensitive change to review in Security Logs"));
        s.acks.keys.push("a".into());
        assert_eq!(badge(&s, 0).title, "Session Guard: 1 unfamiliar online session");
    }

    #[test]
    fn actions_validate_input() {
        let mut s = State::default();
        assert!(handle_action(&Action { kind: "explode".into(), ..Default::default() }, &mut s, 1).is_err());
        assert!(handle_action(&Action { kind: "trust".into(), ip: "not an ip".into(), ..Default::default() }, &mut s, 1).is_err());
        let o = handle_action(
            &Action { kind: "trust".into(), device_text: "Linux Firefox".into(), ip: "192.0.2.88".into(), area: "Frankfurt".into(), label: "Desk".into(), ..Default::default() },
            &mut s,
            1,
        )
        .unwrap();
        assert_eq!(o.writes, vec!["trust".to_string()]);
        assert_eq!(s.trust.devices[0].label, "Desk");
        assert!(o.rescan);
    }
}
