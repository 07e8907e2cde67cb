//! The toolbar popup: a plain model built from the stored state (host-tested),
//! and a web-sys renderer for it (wasm only). Every page-derived string goes
//! through `set_text_content`.

use crate::app::ScanReport;
use crate::assess::Verdict;
use crate::extract::TableKind;
use crate::i18n::t;
use crate::storage::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    NoScan,
    Protected,
    ReviewNeeded,
    CheckPending,
    Unreadable,
    /// Nothing to review on the page read, but a list has pages not read.
    Partial,
}
crate::json_enum!(Headline { NoScan = "no_scan", Protected = "protected", ReviewNeeded = "review_needed", CheckPending = "check_pending", Unreadable = "unreadable", Partial = "partial" });

#[derive(Debug, Clone, PartialEq)]
pub struct PopupModel {
    pub headline: Headline,
    /// "Protected", "Review needed: 2 unfamiliar", …
    pub title: String,
    /// "Last scan 3 min ago" or the reason the page could not be read.
    pub subtitle: String,
    /// (stable id, label, value): ("sessions", "Sessions", "5"), …
    pub counts: Vec<(String, String, String)>,
    /// (list, note) per list with pages not read: ("recent_logins",
    /// "Only page 1 of 3 of Recent Logins was checked."), …
    pub pages: Vec<(TableKind, String)>,
    /// Recent Logins has pages not read and no run is going (or the last
    /// one failed): the popup
    /// offers the page summary's "Check the other pages" (it opens the
    /// security page, where the run steps through KuCoin's pager).
    pub check_pages: bool,
    pub sessions: Vec<SessionLine>,
    pub trusted: Vec<TrustedLine>,
    pub checklist: Vec<ChecklistItem>,
    pub notices: Vec<String>,
    pub problems: Vec<String>,
    /// Signed-in account the results are about (masked e-mail), if known.
    pub account: String,
    /// The session check after a password change (pending, passed, failed).
    pub check: Option<CheckLine>,
    /// High-severity events (e.g. KuCoin's "Login Confirmation" at sign-in).
    pub alerts: Vec<String>,
    /// A "Log out all devices" run in progress.
    pub flow: Option<String>,
}
crate::json_struct!(write_only PopupModel { headline, title, subtitle, counts, pages, check_pages, sessions, trusted, checklist, notices, problems, account, check, alerts, flow });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    Done,
    Todo,
    Unknown,
    Info,
}
crate::json_enum!(CheckState { Done = "done", Todo = "todo", Unknown = "unknown", Info = "info" });

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub id: &'static str,
    pub label: String,
    pub state: CheckState,
    pub detail: String,
    /// KuCoin path that fixes it.
    pub link: &'static str,
}
crate::json_struct!(write_only ChecklistItem { id, label, state, detail, link });

#[derive(Debug, Clone, PartialEq)]
pub struct CheckLine {
    /// `pending`, `overdue`, `passed`, `failed`.
    pub state: String,
    pub title: String,
    pub lines: Vec<String>,
}
crate::json_struct!(CheckLine { state, title, lines });

#[derive(Debug, Clone, PartialEq)]
pub struct SessionLine {
    /// The KuCoin list the row is on (`TableKind`'s stored name): the popup
    /// groups its lines by list, so a device KuCoin trusts is not read as a
    /// second session of the same device.
    pub list: TableKind,
    pub verdict: String,
    pub title: String,
    pub detail: String,
    /// An unfamiliar Recent Logins row the popup offers This is me / Not me
    /// for: its device text, IP and area as the page showed them (the
    /// action's, as the page's own buttons send it). Empty otherwise.
    pub device: String,
    pub ip: String,
    pub area: String,
}
crate::json_struct!(SessionLine { list, verdict, title, detail, device: default, ip: default, area: default });

#[derive(Debug, Clone, PartialEq)]
pub struct TrustedLine {
    pub fingerprint: String,
    pub label: String,
    pub detail: String,
}
crate::json_struct!(TrustedLine { fingerprint, label, detail });

pub fn ago(then: i64, now: i64) -> String {
    let s = ((now - then) / 1000).max(0);
    match s {
        0..=59 => t("ago_now", &[]),
        60..=3599 => t("ago_min", &[&crate::util::num((s / 60) as u64)]),
        3600..=86_399 => t("ago_h", &[&crate::util::num((s / 3600) as u64)]),
        _ => t("ago_d", &[&crate::util::num((s / 86_400) as u64)]),
    }
}

pub fn model(state: &State, now: i64) -> PopupModel {
    let mut m = PopupModel {
        headline: Headline::NoScan,
        title: t("popup_no_scan_title", &[]),
        subtitle: t("popup_no_scan_text", &[]),
        counts: Vec::new(),
        pages: Vec::new(),
        check_pages: false,
        sessions: Vec::new(),
        trusted: Vec::new(),
        notices: Vec::new(),
        problems: Vec::new(),
        checklist: checklist(state, now),
        account: state.scan.as_ref().map(|s| s.account.clone()).unwrap_or_default(),
        check: check_line(state, now),
        alerts: Vec::new(),
        flow: state.flow.as_ref().map(crate::flow::popup_line),
    };
    // Plain loops: no iterator-collect code per element type.
    for d in &state.trust.devices {
        let what = if d.describe.is_empty() { t("popup_device", &[]) } else { d.describe.clone() };
        m.trusted.push(TrustedLine { fingerprint: d.fingerprint.clone(), label: d.label.clone(), detail: t("popup_last_seen", &[&what, &ago(d.last_seen, now)]) });
    }
    // Verdicts decided with another trust list than today's (changed here, no page scanned since).
    if state.scan.as_ref().is_some_and(|s| !s.trust.is_empty() && s.summary.readable && s.trust != crate::app::trust_sig(&state.trust)) {
        m.notices.push(t("popup_trust_changed", &[]));
    }
    for n in &state.notices {
        m.notices.push(n.text.clone());
    }
    for a in state.checks.alerts.iter().rev().take(5) {
        m.alerts.push(alert_line(a, now));
    }
    if let Some(scan) = &state.scan {
        fill_from_scan(&mut m, scan, now);
    }
    fill_from_events(&mut m, state, now);
    // The password-change check outranks an older scan.
    match m.check.as_ref().map(|c| c.state.as_str()) {
        Some("pending") | Some("overdue") => {
            m.headline = Headline::CheckPending;
            m.title = t("pwcheck_pending_title", &[]);
        }
        Some("incomplete") => {
            m.headline = Headline::CheckPending;
            m.title = t("pwcheck_incomplete", &[]);
        }
        Some("failed") => {
            m.headline = Headline::ReviewNeeded;
            m.title = t("pwcheck_survived", &[]);
        }
        _ => {}
    }
    if let Some(line) = api_count(state) {
        m.counts.push(line);
    }
    m
}

const DAY: i64 = 86_400_000;

fn state_of(v: Option<bool>) -> CheckState {
    match v {
        Some(true) => CheckState::Done,
        Some(false) => CheckState::Todo,
        None => CheckState::Unknown,
    }
}

/// The seed's advice, live: each item's state from what was last read.
pub fn checklist(state: &State, now: i64) -> Vec<ChecklistItem> {
    let scan = state.scan.as_ref().filter(|s| s.summary.readable);
    let settings = scan.map(|s| s.settings.clone()).unwrap_or_default();
    let open = t("check_open_page", &[]);
    #[inline(never)]
    fn item(id: &'static str, key: &str, state: CheckState, detail: String, link: &'static str) -> ChecklistItem {
        ChecklistItem { id, label: t(key, &[]), state, detail, link }
    }
    let mut out = Vec::new();
    // (a page that could not be read shows no session to review: not "Done")
    out.push(match state.scan.as_ref() {
        Some(s) if !s.summary.readable => item("review_sessions", "check_review_sessions", CheckState::Unknown, String::new(), "/account/security?showLoginRecord=1"),
        Some(s) => item("review_sessions", "check_review_sessions", if now - s.at < 30 * DAY { CheckState::Done } else { CheckState::Todo }, t("check_last_review", &[&ago(s.at, now)]), "/account/security?showLoginRecord=1"),
        None => item("review_sessions", "check_review_sessions", CheckState::Todo, open.clone(), "/account/security?showLoginRecord=1"),
    });
    // (Recent Logins pages not read may hold an unfamiliar online session:
    // "not verified", as the headline and badge say "partial", never "Done")
    let unread = |s: &ScanReport| s.pages.iter().any(|p| p.table == TableKind::RecentLogins && !p.complete());
    out.push(item(
        "no_unfamiliar_online",
        "check_no_unfamiliar_online",
        scan.map(|s| {
            if s.summary.unfamiliar_online > 0 || s.summary.current_mismatch {
                CheckState::Todo
            } else if unread(s) {
                CheckState::Unknown
            } else {
                CheckState::Done
            }
        })
        .unwrap_or(CheckState::Unknown),
        String::new(),
        "/account/security?showLoginRecord=1",
    ));
    let mut last_suspicious = None;
    for s in &state.trust.suspects {
        if last_suspicious.is_none_or(|m| s.marked_at > m) {
            last_suspicious = Some(s.marked_at);
        }
    }
    let changed = state.checks.password_changed_at;
    // The newest flagged Security Logs event not acknowledged counts too
    // (when it happened; a "Not me" when it was marked), read on either tab.
    if let Some(e) = state.acks.newest_pending(changed) {
        if last_suspicious.is_none_or(|m| e > m) {
            last_suspicious = Some(e);
        }
    }
    // A flagged event whose time could not be read: with no later event
    // known, a change recorded may have come before it or after ("Not
    // verified", never "No suspicious event recorded").
    let undated = state.acks.undated_pending();
    let (after, text) = match (last_suspicious, changed) {
        (Some(s), Some(c)) if c <= s => (CheckState::Todo, String::new()),
        (_, Some(_)) if undated => (CheckState::Unknown, String::new()),
        (_, None) if undated => (CheckState::Todo, String::new()),
        (None, _) => (CheckState::Done, t("check_no_suspicious", &[])),
        (Some(_), Some(_)) => (CheckState::Done, String::new()),
        (Some(_), None) => (CheckState::Todo, String::new()),
    };
    out.push(item("password_after_suspicious", "check_password_after_suspicious", after, text, "/account/security/updatepwd"));
    // (KuCoin's Trusted Devices list waits for 2FA: said here, where 2FA is turned on)
    let detail = if scan.is_none() {
        open.clone()
    } else if settings.trusted_needs_2fa {
        t("trusted_needs_2fa", &[])
    } else {
        String::new()
    };
    out.push(item("two_factor", "check_two_factor", state_of(settings.google_2fa), detail, "/account/security/g2fa"));
    out.push(item("anti_phishing", "check_anti_phishing", state_of(settings.anti_phishing), if scan.is_none() { open.clone() } else { String::new() }, "/account/security/safeWord"));
    out.push(item(
        "restrict_ip",
        "check_restrict_ip",
        match settings.restrict_login_ip {
            Some(true) => CheckState::Done,
            Some(false) => CheckState::Info,
            None => CheckState::Unknown,
        },
        String::new(),
        "/account/security",
    ));
    let contact = match (settings.email_linked, settings.phone_linked) {
        (Some(true), Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    };
    out.push(item("contact_linked", "check_contact_linked", state_of(contact), String::new(), "/account/security"));
    // Reviewed is the user's "I reviewed these keys" (`reviewed_at`), not a
    // scan of the API page (which may have found high-risk keys, or none it
    // could read) nor "Create API" events from Security Logs. A list read
    // only in part (KuCoin's pager) is not reviewed: its other pages' keys
    // were not checked, whatever the user reviewed before.
    out.push(match state.api.as_ref() {
        Some(a) if a.at > 0 && a.pages_note().is_some() => item("api_reviewed", "check_api_reviewed", CheckState::Todo, a.pages_note().unwrap_or_default(), "/account/api"),
        Some(a) if a.reviewed_at > 0 => item("api_reviewed", "check_api_reviewed", if now - a.reviewed_at < 30 * DAY { CheckState::Done } else { CheckState::Todo }, t("check_last_review", &[&ago(a.reviewed_at, now)]), "/account/api"),
        Some(a) if a.at > 0 => item("api_reviewed", "check_api_reviewed", CheckState::Todo, String::new(), "/account/api"),
        _ => item("api_reviewed", "check_api_reviewed", CheckState::Unknown, String::new(), "/account/api"),
    });
    out
}

/// "HIGH (3 min ago): …", in the UI language (known alerts are re-worded).
fn alert_line(a: &crate::check::Alert, now: i64) -> String {
    let text = if a.kind == "login_confirmation" { crate::check::login_confirmation_text() } else { a.text.clone() };
    t("popup_alert_line", &[&t(&format!("severity_{}", a.severity.as_str()), &[]), &ago(a.at, now), &text])
}

fn check_line(state: &State, now: i64) -> Option<CheckLine> {
    let c = &state.checks;
    let changed = c.password_changed_at?;
    if let Some(r) = c.current() {
        let mut lines = r.survivors.clone();
        let state = crate::check::state_name(r);
        if state == "failed" {
            lines.append(&mut crate::check::advice());
        }
        for u in &r.unverified {
            lines.push(t("pwcheck_not_verified", &[u]));
        }
        return Some(CheckLine { state: state.into(), title: crate::check::headline(r), lines });
    }
    let overdue = c.overdue(now);
    Some(CheckLine {
        state: if overdue { "overdue" } else { "pending" }.into(),
        title: t("pwcheck_popup_pending", &[&ago(changed, now)]),
        lines: vec![t("pwcheck_popup_pending_text", &[])],
    })
}

/// ("api", "API keys", "7 · 3 high risk") once the API page was read.
fn api_count(state: &State) -> Option<(String, String, String)> {
    let a = state.api.as_ref().filter(|a| a.at > 0)?;
    let value = if !a.readable {
        t("count_api_unreadable", &[])
    } else if a.high > 0 {
        t("count_api_high", &[&crate::util::num(a.keys as u64), &crate::util::num(a.high as u64)])
    } else {
        crate::util::num(a.keys as u64)
    };
    // "7 · 1 of 3 pages read": the count is of the pages read only.
    let value = match a.pages_note().filter(|_| a.readable) {
        Some(note) => format!("{value} · {note}"),
        None => value,
    };
    Some(("api".into(), t("count_api", &[]), value))
}

fn fill_from_scan(m: &mut PopupModel, scan: &ScanReport, now: i64) {
    let s = &scan.summary;
    m.problems = s.problems.clone();
    // KuCoin's Trusted Devices list waits for 2FA: not read, so not "all good".
    if scan.settings.trusted_needs_2fa {
        m.problems.push(t("trusted_needs_2fa", &[]));
    }
    if !s.readable {
        m.headline = Headline::Unreadable;
        m.title = t("popup_unreadable_title", &[]);
        m.subtitle = t("popup_unreadable_text", &[&s.problems.first().cloned().unwrap_or_else(|| t("popup_unknown_layout", &[])), &ago(scan.at, now)]);
        return;
    }
    m.counts = vec![
        ("sessions".into(), t("count_sessions", &[]), crate::util::num(s.sessions as u64)),
        ("online".into(), t("count_online", &[]), crate::util::num(s.online as u64)),
        ("unfamiliar".into(), t("count_unfamiliar", &[]), crate::util::num(s.unfamiliar as u64)),
    ];
    // One page of a list with more: said under the counts, and never "Protected".
    // (every page read in that page load: "All 3 pages … were checked.", not partial)
    let mut partial = None;
    for p in &scan.pages {
        if let Some(note) = p.note() {
            if partial.is_none() && !p.complete() {
                partial = Some(note.clone());
            }
            // (as the page summary offers it: no run going, or the last one failed)
            let idle = scan.paging.as_ref().is_none_or(|r| !r.failure.is_empty());
            m.check_pages |= p.table == TableKind::RecentLogins && p.first_unread().is_some() && p.last <= crate::app::MAX_READ_PAGES && idle;
            m.pages.push((p.table, note));
            // (the rows of other pages read that could not be read: those pages not checked)
            for line in crate::app::unread_elsewhere(scan, p.table).1 {
                m.pages.push((p.table, line));
            }
            // (and why, when it is so: too many devices to keep)
            if let Some(n) = crate::app::too_many_devices(scan, Some(p)) {
                m.pages.push((p.table, n));
            }
        }
    }
    if s.unfamiliar > 0 || s.current_mismatch || s.trusted_by_kucoin_not_you > 0 {
        m.headline = Headline::ReviewNeeded;
        // The same number as the "Unfamiliar" count below; devices KuCoin trusts
        // but the user does not are listed under it.
        let n = if s.unfamiliar > 0 { s.unfamiliar } else { s.trusted_by_kucoin_not_you.max(1) };
        m.title = crate::i18n::plural("popup_review_title", n);
    } else if scan.settings.trusted_needs_2fa {
        // (not "Protected": 2FA is off and KuCoin's trusted devices were not read)
        m.headline = Headline::ReviewNeeded;
        m.title = t("trusted_needs_2fa", &[]);
    } else if let Some(note) = partial.or_else(|| s.problems.first().cloned()) {
        // One page of several, or a part of the page not read ("Could not find the
        // Trusted Devices list …"): what was read is fine, but not all of it was.
        m.headline = Headline::Partial;
        m.title = note;
    } else {
        m.headline = Headline::Protected;
        m.title = t("popup_protected_title", &[]);
    }
    m.subtitle = t("popup_last_scan", &[&ago(scan.at, now)]);
    // The rows of the page read, then those of the other Recent Logins pages
    // read in that page load (with their page).
    let mut here = Vec::new();
    for r in &scan.rows {
        session_line(m, 0, r);
        if r.table == TableKind::RecentLogins {
            here.push((r.ip.as_str(), r.time_ms));
        }
    }
    for (page, r) in crate::app::other_pages_rows(&scan.logins, &here) {
        session_line(m, page, r);
    }
    // ... and the devices KuCoin trusts on the other Trusted Devices pages read.
    let mut shown = Vec::new();
    for r in &scan.rows {
        if r.table == TableKind::TrustedDevices {
            shown.push((r.ip.as_str(), r.describe.as_str(), r.time_ms));
        }
    }
    for (page, r) in crate::app::other_device_rows(&scan.devices, scan.devices_page, &shown) {
        session_line(m, page, r);
    }
}

/// Flagged Security Logs event lines the popup lists at most (the count says how many).
const MAX_EVENT_LINES: usize = 10;

/// The flagged Security Logs events not acknowledged (kept in `acks`, read
/// on the Security Logs tab, which replaces Recent Logins): counted, listed
/// under Security Logs, and never "Protected" while there are any.
fn fill_from_events(m: &mut PopupModel, state: &State, now: i64) {
    let pending = state.acks.pending();
    if pending.is_empty() {
        return;
    }
    let n = pending.len() as u32;
    m.counts.push(("events".into(), t("count_events", &[]), crate::util::num(u64::from(n))));
    if matches!(m.headline, Headline::Protected | Headline::Partial) {
        m.headline = Headline::ReviewNeeded;
        m.title = crate::i18n::plural("events_summary", n);
    }
    for e in pending.into_iter().take(MAX_EVENT_LINES) {
        let what = crate::extract::quote(&e.event_type);
        m.sessions.push(SessionLine {
            list: TableKind::SecurityLogs,
            verdict: "flagged".into(),
            // (no time read: none said)
            title: match e.time_ms {
                Some(at) => t("popup_event_line", &[&t("event_title", &[]), &ago(at, now)]),
                None => t("event_title", &[]),
            },
            // (an event KuCoin recorded no address for says so: never "from ")
            detail: if e.ip.is_empty() { t("event_text_no_ip", &[&what]) } else { t("event_text", &[&what, &crate::extract::quote_ip(&e.ip)]) },
            device: String::new(),
            ip: String::new(),
            area: String::new(),
        });
    }
}

/// A row to review in the popup's list (unfamiliar, or online in Recent
/// Logins; at most 20). `page`: a page of the row's list other than the one shown.
#[inline(never)]
fn session_line(m: &mut PopupModel, page: u32, r: &crate::app::ReportRow) {
    // This browser once (its Trusted Devices row repeats the Recent Logins one).
    if m.sessions.len() < 20 && (r.verdict == Verdict::Unfamiliar || (r.online && r.table == TableKind::RecentLogins)) {
        let act = r.table == TableKind::RecentLogins && r.verdict == Verdict::Unfamiliar && !r.device.is_empty();
        let kept = |s: &String| if act { s.clone() } else { String::new() };
        m.sessions.push(SessionLine {
            list: r.table,
            verdict: r.verdict.as_str().into(),
            title: if r.online { t("popup_online_suffix", &[&r.describe]) } else { r.describe.clone() },
            detail: if page == 0 { r.reason.clone() } else { crate::app::on_page(r.table, &r.reason, page) },
            device: kept(&r.device),
            ip: kept(&r.ip),
            area: kept(&r.area),
        });
    }
}

/// The popup's DOM as a flat list of steps (open an element, set its text or
/// an attribute, close it into its parent): the renderer below is one small
/// loop over web-sys calls instead of a copy of each call per element.
#[derive(Default)]
pub struct Dom {
    /// (step, first string, second string) as ranges of `text`.
    pub steps: Vec<(u8, (u32, u32), (u32, u32))>,
    pub text: String,
}

pub const OPEN: u8 = 0;
pub const TEXT: u8 = 1;
pub const ATTR: u8 = 2;
pub const CLOSE: u8 = 3;

impl Dom {
    #[inline(never)]
    fn keep(&mut self, s: &str) -> (u32, u32) {
        let at = self.text.len() as u32;
        self.text.push_str(s);
        (at, self.text.len() as u32)
    }
    #[inline(never)]
    fn step(&mut self, kind: u8, a: &str, b: &str) {
        let a = self.keep(a);
        let b = self.keep(b);
        self.steps.push((kind, a, b));
    }
    /// `<tag class>` (no class attribute when empty); children follow until `close`.
    fn open(&mut self, tag: &str, class: &str) {
        self.step(OPEN, tag, class);
    }
    fn attr(&mut self, name: &str, value: &str) {
        self.step(ATTR, name, value);
    }
    fn close(&mut self) {
        self.step(CLOSE, "", "");
    }
    /// `<tag class>text</tag>`.
    #[inline(never)]
    fn leaf(&mut self, tag: &str, class: &str, text: &str) {
        self.open(tag, class);
        self.step(TEXT, text, "");
        self.close();
    }
    /// A list section: `<section class><h2>title</h2><ul><li>…</li></ul></section>`
    /// (the list only when there are lines).
    #[inline(never)]
    fn list(&mut self, class: &str, title: &str, lines: &[String]) {
        self.open("section", class);
        self.leaf("h2", "", title);
        if !lines.is_empty() {
            self.open("ul", "");
            for l in lines {
                self.leaf("li", "", l);
            }
            self.close();
        }
        self.close();
    }
    #[inline(never)]
    fn button(&mut self, action: &str, label: &str, aria: &str, fingerprint: Option<&str>) {
        self.open("button", "");
        self.step(TEXT, label, "");
        self.attr("type", "button");
        self.attr("data-action", action);
        if !aria.is_empty() {
            self.attr("aria-label", aria);
        }
        if let Some(f) = fingerprint {
            self.attr("data-fingerprint", f);
        }
    }
}

/// The exchange's origin, for the checklist links.
const ORIGIN: &str = "https://www.kucoin.com";

/// The steps that build the popup for `m` (rendered by `dom::render`).
pub fn dom_steps(m: &PopupModel) -> Dom {
    let mut d = Dom::default();
    let headline = match m.headline {
        Headline::NoScan => "no-scan",
        Headline::Protected => "protected",
        Headline::ReviewNeeded => "review",
        Headline::CheckPending => "pending",
        Headline::Unreadable => "unreadable",
        Headline::Partial => "partial",
    };
    d.open("header", "status");
    d.attr("data-state", headline);
    d.leaf("h1", "title", &m.title);
    d.leaf("p", "subtitle", &m.subtitle);
    if !m.account.is_empty() {
        d.open("p", "account");
        d.step(TEXT, &m.account, "");
        d.attr("data-account", &m.account);
        d.close();
    }
    d.close();
    if let Some(c) = &m.check {
        d.open("section", "check");
        d.attr("data-check", &c.state);
        d.leaf("h2", "", &c.title);
        if !c.lines.is_empty() {
            d.open("ul", "");
            for l in &c.lines {
                d.leaf("li", "", l);
            }
            d.close();
        }
        d.close();
    }
    if !m.alerts.is_empty() {
        d.open("section", "alerts");
        d.attr("role", "alert");
        d.leaf("h2", "", &t("popup_alerts", &[]));
        d.open("ul", "");
        for l in &m.alerts {
            d.open("li", "alert");
            d.step(TEXT, l, "");
            d.attr("data-severity", "high");
            d.close();
        }
        d.close();
        d.close();
    }
    if let Some(f) = &m.flow {
        d.leaf("p", "flow", f);
    }
    if !m.counts.is_empty() {
        d.open("dl", "counts");
        for (id, k, v) in &m.counts {
            d.open("div", "count");
            d.leaf("dt", "", k);
            d.open("dd", "");
            d.step(TEXT, v, "");
            d.attr("data-count", id);
            d.close();
            d.close();
        }
        d.close();
    }
    if !m.pages.is_empty() {
        d.open("ul", "pages");
        for (list, note) in &m.pages {
            d.open("li", "");
            d.step(TEXT, note, "");
            d.attr("data-list", list.as_str());
            d.close();
        }
        d.close();
        if m.check_pages {
            d.button("check-pages", &t("btn_check_pages", &[]), "", None);
            d.close();
        }
    }
    for (key, class, lines) in [("popup_problems", "problems", &m.problems), ("popup_notices", "notices", &m.notices)] {
        if !lines.is_empty() {
            d.list(class, &t(key, &[]), lines);
        }
    }
    if !m.sessions.is_empty() {
        d.open("section", "sessions");
        d.leaf("h2", "", &t("popup_sessions", &[]));
        // One list per KuCoin list, under its name: a device KuCoin trusts
        // and that device's sessions are two lines, not two sessions.
        for (list, heading) in [(TableKind::RecentLogins, "list_recent_logins"), (TableKind::TrustedDevices, "popup_group_kucoin_trusted"), (TableKind::SecurityLogs, "list_security_logs")] {
            if !m.sessions.iter().any(|s| s.list == list) {
                continue;
            }
            d.leaf("h3", "", &t(heading, &[]));
            d.open("ul", "");
            for s in m.sessions.iter().filter(|s| s.list == list) {
                d.open("li", "session");
                d.attr("data-verdict", &s.verdict);
                d.leaf("strong", "", &s.title);
                d.leaf("span", "detail", &s.detail);
                if !s.device.is_empty() {
                    d.open("span", "row");
                    for (action, key, aria) in [("row-trust", "btn_this_is_me", "aria_this_is_me"), ("row-not-me", "btn_not_me", "aria_not_me")] {
                        d.button(action, &t(key, &[]), &t(aria, &[&s.title]), None);
                        d.attr("data-device", &s.device);
                        d.attr("data-ip", &s.ip);
                        d.attr("data-area", &s.area);
                        d.close();
                    }
                    d.close();
                }
                d.close();
            }
            d.close();
        }
        d.close();
    }
    if !m.trusted.is_empty() {
        d.open("section", "trusted");
        d.leaf("h2", "", &t("popup_trusted", &[]));
        d.open("ul", "");
        for dev in &m.trusted {
            d.open("li", "device");
            d.attr("data-fingerprint", &dev.fingerprint);
            d.leaf("strong", "label", &dev.label);
            d.leaf("span", "detail", &dev.detail);
            d.open("span", "row");
            for (action, key, aria) in [("rename", "btn_rename", "aria_rename"), ("forget", "btn_forget", "aria_forget")] {
                d.button(action, &t(key, &[]), &t(aria, &[&dev.label]), Some(&dev.fingerprint));
                d.close();
            }
            d.close();
            d.close();
        }
        d.close();
        d.button("forget-all", &t("btn_forget_all", &[]), "", None);
        d.close();
        d.close();
    }
    d.open("section", "checklist");
    d.leaf("h2", "", &t("popup_checklist", &[]));
    d.open("ul", "");
    for c in &m.checklist {
        let st = match c.state {
            CheckState::Done => "done",
            CheckState::Todo => "todo",
            CheckState::Unknown => "unknown",
            CheckState::Info => "info",
        };
        d.open("li", "check-item");
        d.attr("data-check", c.id);
        d.attr("data-state", st);
        d.open("a", "");
        d.step(TEXT, &c.label, "");
        let mut href = String::from(ORIGIN);
        href.push_str(c.link);
        d.attr("href", &href);
        d.attr("data-action", "open-link");
        d.close();
        let mut key = String::from("check_state_");
        key.push_str(st);
        d.leaf("span", "state", &t(&key, &[]));
        if !c.detail.is_empty() {
            d.leaf("span", "detail", &c.detail);
        }
        d.close();
    }
    d.close();
    d.close();
    d.open("nav", "actions");
    d.attr("aria-label", &t("extName", &[]));
    d.button("open-security", &t("btn_open_security", &[]), "", None);
    d.attr("class", "primary");
    d.close();
    for (action, key) in [("export", "btn_export"), ("import", "btn_import"), ("clear-all", "btn_clear_all")] {
        d.button(action, &t(key, &[]), "", None);
        d.close();
    }
    d.open("button", "danger");
    d.step(TEXT, &t("btn_logout_all", &[]), "");
    d.attr("type", "button");
    d.attr("data-action", "logout-all");
    d.attr("aria-label", &t("aria_logout_all_popup", &[]));
    d.close();
    d.close();
    d.open("p", "message");
    d.attr("role", "status");
    d.attr("id", "message");
    d.close();
    d
}

#[cfg(target_arch = "wasm32")]
pub mod dom {
    //! Render a `PopupModel` with web-sys. Text only.
    use super::*;
    use wasm_bindgen::JsValue;
    use web_sys::Element;

    pub fn render(root: &Element, m: &PopupModel) -> Result<(), JsValue> {
        let doc = root.owner_document().ok_or("no document")?;
        root.set_text_content(None);
        let d = dom_steps(m);
        let s = |(a, b): (u32, u32)| crate::util::str_sub(&d.text, a as usize, b as usize);
        let mut open: Vec<Element> = vec![root.clone()];
        for &(kind, a, b) in &d.steps {
            let top = open.last().ok_or("unbalanced popup")?;
            match kind {
                OPEN => {
                    let e = doc.create_element(s(a))?;
                    if b.0 != b.1 {
                        e.set_class_name(s(b));
                    }
                    open.push(e);
                }
                TEXT => top.set_text_content(Some(s(a))),
                ATTR => top.set_attribute(s(a), s(b))?,
                _ => {
                    let e = open.pop().ok_or("unbalanced popup")?;
                    open.last().ok_or("unbalanced popup")?.append_child(&e)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Summary;

    /// The steps as markup (attributes in the order they are set), for tests.
    fn markup(d: &Dom) -> String {
        let s = |(a, b): (u32, u32)| &d.text[a as usize..b as usize];
        let (mut out, mut open) = (String::new(), Vec::new());
        for &(kind, a, b) in &d.steps {
            match kind {
                OPEN => {
                    out.push_str(&format!("<{}", s(a)));
                    if b.0 != b.1 {
                        out.push_str(&format!(" class={:?}", s(b)));
                    }
                    open.push(s(a));
                }
                TEXT => out.push_str(&format!(" text={:?}", s(a))),
                ATTR => out.push_str(&format!(" {}={:?}", s(a), s(b))),
                _ => out.push_str(&format!("</{}>", open.pop().expect("balanced"))),
            }
        }
        assert!(open.is_empty(), "every element closed");
        out
    }

    #[test]
    fn dom_steps_build_the_popup() {
        let mut s = State::default();
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop <b>", None, Some("Singapore"), 7, false);
        s.scan = Some(ScanReport { at: 0, summary: Summary { readable: true, sessions: 3, online: 2, problems: vec!["p1".into()], ..Default::default() }, ..Default::default() });
        let html = markup(&dom_steps(&model(&s, 120_000)));
        // (a problem with the page read: "partial", titled with it, never "protected")
        assert!(html.starts_with(r#"<header class="status" data-state="partial"<h1 class="title" text="p1""#), "{html}");
        assert!(html.contains(r#"<dl class="counts"<div class="count"<dt text="Sessions"</dt><dd text="3" data-count="sessions"</dd></div>"#), "{html}");
        assert!(html.contains(r#"<section class="problems"<h2 text="Problems"</h2><ul<li text="p1"</li></ul></section>"#), "{html}");
        assert!(html.contains(r#"<strong class="label" text="Laptop <b>"</strong>"#), "{html}");
        assert!(html.contains(r#"<span class="row"<button text="Rename" type="button" data-action="rename" aria-label="#), "{html}");
        assert!(html.contains(r#"</ul><button text="Forget all devices" type="button" data-action="forget-all"</button></section>"#), "{html}");
        assert!(html.contains(r#"<button text="Open security page" type="button" data-action="open-security" class="primary"</button>"#), "{html}");
        assert!(html.ends_with(r#"<p class="message" role="status" id="message"</p>"#), "{html}");
    }

    #[test]
    fn states() {
        let mut s = State::default();
        assert_eq!(model(&s, 0).headline, Headline::NoScan);
        s.scan = Some(ScanReport { at: 0, summary: Summary { readable: false, problems: vec!["x".into()], ..Default::default() }, ..Default::default() });
        let m = model(&s, 120_000);
        assert_eq!(m.headline, Headline::Unreadable);
        assert!(m.subtitle.contains("Could not read the session list on this page"));
        s.scan = Some(ScanReport { at: 0, summary: Summary { readable: true, sessions: 3, online: 2, ..Default::default() }, ..Default::default() });
        let m = model(&s, 120_000);
        assert_eq!(m.headline, Headline::Protected);
        assert_eq!(m.subtitle, "Last scan 2 min ago");
        assert_eq!(m.counts[0], ("sessions".to_string(), "Sessions".to_string(), "3".to_string()));
        s.scan.as_mut().unwrap().summary.unfamiliar = 1;
        assert_eq!(model(&s, 0).title, "Review needed: 1 unfamiliar");
    }

    #[test]
    fn password_change_check_and_alerts() {
        let mut s = State::default();
        crate::check::record_change(&mut s.checks, None, 1_000, "dialog");
        let m = model(&s, 61_000);
        assert_eq!(m.headline, Headline::CheckPending);
        let c = m.check.unwrap();
        assert_eq!(c.state, "pending");
        assert!(c.title.contains("1 min ago"), "{}", c.title);
        assert_eq!(model(&s, 1_000 + crate::check::OVERDUE_MS).check.unwrap().state, "overdue");
        s.checks.last = Some(crate::check::CheckResult {
            at: 1_752_487_000_000,
            for_change: 1_000,
            passed: false,
            logins_checked: true,
            survivors: vec!["Still online: Firefox on Linux from Lagos (198.51.100.77)".into()],
            ..Default::default()
        });
        let m = model(&s, 2_000);
        assert_eq!(m.headline, Headline::ReviewNeeded);
        let c = m.check.unwrap();
        assert_eq!(c.state, "failed");
        assert!(c.lines.iter().any(|l| l.contains("Lagos")));
        assert!(c.lines.iter().any(|l| l.contains("Freeze")));
        crate::check::note_login_confirmation(&mut s.checks, 3_000);
        let m = model(&s, 4_000);
        assert_eq!(m.alerts.len(), 1);
        assert!(m.alerts[0].starts_with("HIGH"), "{}", m.alerts[0]);
    }
}
