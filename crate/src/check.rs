//! The session check after a login password change, and the sign-in alerts.
//!
//! A password change should end every other session. After one is recorded
//! (`record_change`, from KuCoin's success dialog or the redirect to sign-in
//! right after the form), the first security-page scan that lists this
//! browser's *new* sign-in runs the check, and every later one until it
//! passes:
//!
//! - Recent Logins: no session Online other than Current, no sign-in after
//!   the change from anything but this browser, KuCoin's Current row looks
//!   like this browser;
//! - Trusted Devices and IP Addresses: at most this browser (a list of
//!   more than one page holds more);
//! - Security Logs: a "Change Password" event after the change.
//!
//! Parts the page does not show (Security Logs is another tab) are collected
//! from later scans and listed as "not verified" until then. Recent Logins
//! shows 5 rows a page: each page is checked when it is shown (KuCoin's own
//! pager, or our "Check the other pages", which steps through it after the
//! user's click), and the check passes only once every page the pager offers
//! was checked; the pages not seen are named. "After the
//! change" is measured against the page's own clock: the time KuCoin showed
//! for this browser's session when the change was recorded (`baseline_ms`),
//! so a wrong computer clock cannot hide a login.

use crate::assess::{Assessment, RowVerdict, Severity, Verdict};
use crate::extract::{Extraction, Status, TableKind};
use crate::i18n::t as tr;
use crate::plan::{Action, Button, ButtonStyle, Kind, Place, Plan, Step, Tone, Widget};
use crate::popup::ago;

/// The check counts as overdue this long after the change (badge "!").
pub const OVERDUE_MS: i64 = 30 * 60_000;
/// One change stays on screen (success dialog, redirect) this long: seeing
/// it again within the window is the same change.
pub const SAME_CHANGE_MS: i64 = 2 * 60_000;
/// Without a baseline from the page, allow this much clock skew.
pub const SKEW_MS: i64 = 15 * 60_000;
/// A dialog seen again within this window is the same sign-in.
pub const SAME_ALERT_MS: i64 = 60_000;
pub const MAX_ALERTS: usize = 20;
/// KuCoin's Recent Logins page size: a full page without a page control
/// may have more pages.
pub const LOGIN_PAGE_SIZE: usize = 5;
/// A page of Recent Logins must open this long after our click.
pub const PAGE_TIMEOUT_MS: i64 = 8_000;

pub const CHANGE_PASSWORD_EVENT: &str = "Change Password";

/// Password changes and the session checks after them (`checks` key).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// When the login password change was detected (Unix ms).
    pub password_changed_at: Option<i64>,
    /// The time KuCoin showed for this browser's session (Current row)
    /// before the change: anything newer on the page is "after the change".
    pub baseline_ms: Option<i64>,
    /// `dialog` (KuCoin's success dialog) or `redirect` (sent to sign-in
    /// right after the form).
    pub detected_by: String,
    pub last: Option<CheckResult>,
    /// The user closed the result card (the popup still shows it).
    pub dismissed: bool,
    /// High-severity events seen at sign-in, newest last.
    pub alerts: Vec<Alert>,
    /// "Check the other pages", while it steps through Recent Logins.
    pub paging: Option<Paging>,
}
crate::json_struct!(Checks { password_changed_at: default, baseline_ms: default, detected_by: default, last: default, dismissed: default, alerts: default, paging: default });

/// "Check the other pages": after the user's click, one click a scan on
/// KuCoin's Recent Logins pager (a page number, else "next"), until every
/// page was checked, then back to the page the user was on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paging {
    /// Browser tab that drives it (0: any).
    pub tab: i64,
    /// The page our last click should open (0: none pending), since when,
    /// and how many scans waited for it.
    pub target: u32,
    pub since: i64,
    pub waits: u32,
    /// The page shown when it started (0: not seen yet); shown again at the end.
    pub back_to: u32,
    /// Why it stopped (a page that would not open); those pages stay "not verified".
    pub failure: String,
    /// The document it last clicked in (`Snapshot::page_id`): after a reload
    /// the click's page is gone, so it decides again.
    pub doc: String,
}
crate::json_struct!(Paging { tab, target, since, waits, back_to, failure, doc: default });

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckResult {
    /// When it was last evaluated.
    pub at: i64,
    /// `password_changed_at` it is about.
    pub for_change: i64,
    pub passed: bool,
    /// What survived, by name (all parts together).
    pub survivors: Vec<String>,
    /// What could not be verified yet.
    pub unverified: Vec<String>,
    /// Recent Logins has been checked (the check "ran").
    pub logins_checked: bool,
    pub login_issues: Vec<String>,
    /// `None`: the Trusted Devices list was not on the page.
    pub trusted_issues: Option<Vec<String>>,
    /// `None`: Security Logs was not visible yet.
    pub event_seen: Option<bool>,
    /// Local time offset of the page that was checked (for display).
    pub tz: i32,
    /// Recent Logins pages checked (ascending), and the page of each of
    /// `login_issues` (same order; missing: page 1).
    pub pages_seen: Vec<u32>,
    pub issue_pages: Vec<u32>,
    /// Pages the list has, per KuCoin's pager (1: one page; 0: a full page
    /// and no page control found, so more pages cannot be ruled out).
    pub page_count: u32,
    /// The document (`Snapshot::page_id`) where page 1 was last checked:
    /// later pages count only there.
    pub doc: String,
    /// The last page checked and its first row's time: a pager that moved
    /// before the rows were replaced shows the old rows under a new number.
    pub view_page: u32,
    pub view_sig: i64,
}
crate::json_struct!(CheckResult { at, for_change: default, passed, survivors: default, unverified: default, logins_checked: default, login_issues: default, trusted_issues: default, event_seen: default, tz: default, pages_seen: default, issue_pages: default, page_count: default, doc: default, view_page: default, view_sig: default });

impl CheckResult {
    /// Recent Logins pages the pager offers that were not checked.
    pub fn unseen_pages(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for p in 1..=self.page_count {
            if !self.pages_seen.contains(&p) {
                out.push(p);
            }
        }
        out
    }
    /// Nothing survived on what was checked, but not everything was checked.
    pub fn incomplete(&self) -> bool {
        !self.passed && self.survivors.is_empty()
    }
}

fn num(n: u32) -> String {
    let mut s = String::new();
    crate::util::push_digits(&mut s, n.into(), 10);
    s
}

/// "2\u{2013}4, 7": page numbers, runs shortened.
pub fn page_list(pages: &[u32]) -> String {
    let mut s = String::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        if !s.is_empty() {
            s.push_str(", ");
        }
        crate::util::push_digits(&mut s, pages[i].into(), 10);
        if j > i {
            s.push('\u{2013}');
            crate::util::push_digits(&mut s, pages[j].into(), 10);
        }
        i = j + 1;
    }
    s
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub at: i64,
    pub last_seen: i64,
    pub severity: Severity,
    /// `login_confirmation`.
    pub kind: String,
    pub text: String,
}
crate::json_struct!(Alert { at, last_seen, severity, kind, text });

/// The alert text (message key) of a `login_confirmation` alert.
pub fn login_confirmation_text() -> String {
    tr("alert_login_confirmation", &[])
}

impl Checks {
    /// The result for the latest change, if the check ran for it.
    pub fn current(&self) -> Option<&CheckResult> {
        let changed = self.password_changed_at?;
        self.last.as_ref().filter(|r| r.for_change == changed && r.logins_checked)
    }
    /// A change is recorded and the check has not run for it yet.
    pub fn pending(&self) -> bool {
        self.password_changed_at.is_some() && self.current().is_none()
    }
    pub fn overdue(&self, now: i64) -> bool {
        self.pending() && self.password_changed_at.is_some_and(|t| now - t >= OVERDUE_MS)
    }
    /// When the badge must change by itself (the check becomes overdue).
    pub fn wake_at(&self, now: i64) -> Option<i64> {
        let t = self.password_changed_at? + OVERDUE_MS;
        (self.pending() && t > now).then_some(t)
    }
    /// Something survived (not merely unchecked).
    pub fn failed(&self) -> bool {
        self.current().is_some_and(|r| !r.passed && !r.survivors.is_empty())
    }
    /// Nothing survived on the parts checked, but some were not checked.
    pub fn incomplete(&self) -> bool {
        self.current().is_some_and(|r| r.incomplete())
    }
}

/// Record a password change seen now. `baseline`: the time KuCoin showed for
/// this browser's session before it. Returns whether anything changed.
pub fn record_change(c: &mut Checks, baseline: Option<i64>, now: i64, how: &str) -> bool {
    if c.password_changed_at.is_some_and(|t| now - t < SAME_CHANGE_MS && now >= t) {
        return false;
    }
    c.password_changed_at = Some(now);
    c.baseline_ms = baseline;
    c.detected_by = how.into();
    c.dismissed = false;
    c.paging = None;
    true
}

/// The Login Confirmation dialog at sign-in: a high-severity event.
pub fn note_login_confirmation(c: &mut Checks, now: i64) -> bool {
    let mut i = c.alerts.len();
    while i > 0 && c.alerts[i - 1].kind != "login_confirmation" {
        i -= 1;
    }
    if i > 0 {
        let last = &mut c.alerts[i - 1];
        if now - last.last_seen < SAME_ALERT_MS && now >= last.last_seen {
            last.last_seen = now;
            return true;
        }
    }
    c.alerts.push(Alert { at: now, last_seen: now, severity: Severity::High, kind: "login_confirmation".into(), text: login_confirmation_text() });
    if c.alerts.len() > MAX_ALERTS {
        c.alerts.remove(0);
    }
    true
}

fn name_of(v: Option<&RowVerdict>, device_text: &str) -> String {
    match v {
        Some(v) => {
            crate::extract::device_at(&crate::extract::clip(&v.describe), &v.area, &v.ip)
        }
        None => crate::extract::quote(device_text),
    }
}

use crate::extract::rendered;

/// Run (or continue) the check on a security-page scan. Returns whether the
/// stored result changed.
pub fn run(c: &mut Checks, ex: &Extraction, a: &Assessment, tz: i32, doc: &str, now: i64) -> bool {
    let Some(changed) = c.password_changed_at else { return false };
    let since = c.baseline_ms.unwrap_or(changed - SKEW_MS);
    let mut r = match &c.last {
        Some(l) if l.for_change == changed => l.clone(),
        _ => CheckResult { for_change: changed, ..Default::default() },
    };
    let verdict = |row: u32| a.rows.iter().find(|v| v.row == row);
    let settled = r.logins_checked && r.passed;

    // Recent Logins: only once it lists this browser's new sign-in (an old
    // page, e.g. one rendered before the forced sign-out, proves nothing).
    if !settled {
        if let Some(t) = ex.table(TableKind::RecentLogins).filter(|t| !t.records.is_empty()) {
            // This browser's session: the newest Current row (its index too,
            // so another row claiming "Current" is not taken for it).
            let mut current = None;
            let mut mine = usize::MAX;
            for (i, x) in t.records.iter().enumerate() {
                if x.status == Some(Status::Current) && !x.hidden {
                    if let Some(tm) = x.time_ms {
                        if current.is_none_or(|m| tm > m) {
                            current = Some(tm);
                            mine = i;
                        }
                    }
                }
            }
            // Without a baseline, a Current row from well before the change
            // (a page rendered before it, restored from the cache) is not the
            // new sign-in either.
            let signed_in_again = current.is_some_and(|tm| tm > since);
            // Five sign-ins after this browser's new one push its row to page
            // 2: a full page 1 of rows all dated after the change is as new,
            // its rows survivors (a page from before the change has the old
            // Current row, or rows older than it).
            let pushed = t.records.len() + t.unreadable.len() >= LOGIN_PAGE_SIZE && t.records.iter().all(|x| x.time_ms.is_some_and(|tm| tm > since));
            // Which page this is: the pager's, else page 1 (this browser's
            // new sign-in is the newest row, on page 1).
            let shown = match t.pager.as_ref().map(|p| p.current) {
                None => 1,
                Some(0) if signed_in_again => 1,
                Some(n) => n,
            };
            let sig = t.records.iter().find_map(|x| x.time_ms).unwrap_or(0);
            // The rows still those of the page checked before, under another
            // number: KuCoin has not replaced them yet.
            let stale = sig == r.view_sig && shown != r.view_page && r.view_page != 0;
            // Page 1 proves the new sign-in; a later page counts in the
            // document where page 1 was checked.
            let fresh = if shown == 1 { signed_in_again || pushed } else { shown > 1 && r.logins_checked && r.doc == doc };
            if fresh && !stale {
                let mut issues = Vec::new();
                if !t.unreadable.is_empty() {
                    issues.push(crate::i18n::plural("pwcheck_logins_unreadable", t.unreadable.len() as u32));
                }
                for (i, rec) in t.records.iter().enumerate() {
                    let v = verdict(rec.row);
                    let name = name_of(v, &rec.device_text);
                    let issue = match rec.status {
                        Some(Status::Online) => tr("pwcheck_still_online", &[&name]),
                        // KuCoin marks one session Current, this browser's (the
                        // newest such row): another row saying so (same device
                        // and address, say) is another live session.
                        Some(Status::Current) if !rec.hidden && v.is_some_and(|v| v.verdict == Verdict::Current) && i != mine => tr("pwcheck_still_online", &[&name]),
                        Some(Status::Current) if rec.hidden || v.is_some_and(|v| v.verdict != Verdict::Current) => tr("pwcheck_current_mismatch", &[&name]),
                        Some(Status::Offline) | None if rec.time_ms.is_some_and(|tm| tm > since) => tr("pwcheck_signed_in_after", &[&name]),
                        _ => continue,
                    };
                    issues.push(if shown > 1 { tr("pwcheck_on_page", &[&issue, &num(shown)]) } else { issue });
                }
                if shown == 1 {
                    r.doc = doc.into();
                }
                r.view_page = shown;
                r.view_sig = sig;
                let full = t.records.len() + t.unreadable.len() >= LOGIN_PAGE_SIZE;
                r.page_count = t.pager.as_ref().map_or(if full { 0 } else { 1 }, |p| p.last.max(shown));
                // This page's findings replace its last ones; pages gone
                // (fewer pages now) are forgotten. (Plain loops: no generic
                // insert/retain/remove code in the wasm.)
                let count = if r.page_count == 0 { u32::MAX } else { r.page_count };
                let mut seen = Vec::new();
                let mut put = true;
                for &p in &r.pages_seen {
                    if put && p >= shown {
                        seen.push(shown);
                        put = false;
                    }
                    if p != shown {
                        seen.push(p);
                    }
                }
                if put {
                    seen.push(shown);
                }
                r.pages_seen.clear();
                for p in seen {
                    if p <= count.max(1) {
                        r.pages_seen.push(p);
                    }
                }
                let old_pages = std::mem::take(&mut r.issue_pages);
                for (i, s) in std::mem::take(&mut r.login_issues).into_iter().enumerate() {
                    let p = old_pages.get(i).copied().unwrap_or(1);
                    if p != shown && p <= count {
                        r.login_issues.push(s);
                        r.issue_pages.push(p);
                    }
                }
                for s in issues {
                    r.login_issues.push(s);
                    r.issue_pages.push(shown);
                }
                r.logins_checked = true;
            }
        }
    }
    if !settled || r.trusted_issues.is_none() {
        // Rows it cannot read are rows, not a list not shown (they fail the
        // check, as one unreadable row among readable ones does).
        if let Some(t) = crate::extract::shown(ex.table(TableKind::TrustedDevices)) {
            let mut issues: Vec<String> = Vec::new();
            for x in &t.records {
                if x.status != Some(Status::Current) && verdict(x.row).is_none_or(|v| v.verdict != Verdict::Current) {
                    issues.push(tr("pwcheck_still_trusted", &[&name_of(verdict(x.row), &x.device_text)]));
                }
            }
            if !t.unreadable.is_empty() {
                issues.push(crate::i18n::plural("pwcheck_trusted_unreadable", t.unreadable.len() as u32));
            }
            // KuCoin's pager under the list: a list of more than one page holds
            // more than this browser, whatever the page shown lists.
            if let Some(g) = t.pager.as_ref().filter(|g| g.last > 1) {
                issues.push(tr("pwcheck_trusted_pages", &[&num(g.last)]));
            }
            r.trusted_issues = Some(issues);
        }
    }
    if r.event_seen != Some(true) {
        if let Some(t) = rendered(ex.table(TableKind::SecurityLogs)) {
            let seen = t
                .records
                .iter()
                .any(|e| crate::labels::is_label(&e.event_type, &[CHANGE_PASSWORD_EVENT]) && e.time_ms.is_some_and(|tm| tm > since));
            // Not found is "no event" only where it would be: page 1, every
            // row read (an unreadable one may be it), and the list reaching
            // back to before the change or holding no more pages. Else it
            // stays not verified (a false "may not have gone through"); so
            // does an empty list ("No data", also a failed load): the change
            // is an event itself.
            let first_page = t.pager.as_ref().is_none_or(|g| g.current <= 1);
            let reaches_back = t.records.iter().any(|e| e.time_ms.is_some_and(|tm| tm <= since));
            let more = t.pager.as_ref().map_or(t.records.len() >= LOGIN_PAGE_SIZE, |g| g.last > 1);
            if seen || (!t.records.is_empty() && t.unreadable.is_empty() && first_page && (reaches_back || !more)) {
                r.event_seen = Some(seen);
            }
        }
    }
    let mut survivors = r.login_issues.clone();
    for s in r.trusted_issues.iter().flatten() {
        survivors.push(s.clone());
    }
    if r.event_seen == Some(false) {
        survivors.push(tr("pwcheck_no_change_event", &[]));
    }
    let mut unverified = Vec::new();
    let unseen = r.unseen_pages();
    if r.logins_checked && r.page_count == 0 {
        unverified.push(tr("pwcheck_unverified_no_pager", &[]));
    } else if !unseen.is_empty() {
        let key = if unseen.len() == 1 { "pwcheck_unverified_page" } else { "pwcheck_unverified_pages" };
        unverified.push(tr(key, &[&page_list(&unseen), &num(r.page_count)]));
    }
    if r.trusted_issues.is_none() {
        unverified.push(tr("pwcheck_unverified_trusted", &[]));
    }
    if r.event_seen.is_none() {
        unverified.push(tr("pwcheck_unverified_event", &[]));
    }
    r.passed = r.logins_checked && survivors.is_empty() && r.page_count > 0 && unseen.is_empty();
    r.survivors = survivors;
    r.unverified = unverified;
    // The same as stored, but for when and where it was checked: no write.
    if let Some(b) = &c.last {
        r.at = b.at;
        r.tz = b.tz;
        if *b == r {
            return false;
        }
    }
    r.at = now;
    r.tz = tz;
    c.last = Some(r);
    true
}

pub fn when(ms: i64, tz: i32) -> String {
    crate::time::format_ymd_hm(ms, tz)
}

/// Title line of a result (page card and popup).
pub fn headline(r: &CheckResult) -> String {
    let key = if r.passed {
        "pwcheck_passed_title"
    } else if r.incomplete() {
        "pwcheck_incomplete_title"
    } else {
        "pwcheck_failed_title"
    };
    tr(key, &[&when(r.at, r.tz)])
}

/// `passed`, `incomplete` or `failed` (page card attribute, popup).
pub fn state_name(r: &CheckResult) -> &'static str {
    if r.passed {
        "passed"
    } else if r.incomplete() {
        "incomplete"
    } else {
        "failed"
    }
}

/// "Check the other pages" was pressed (trusted click).
pub fn start_paging(c: &mut Checks, tab: i64, now: i64) -> Result<(), String> {
    match c.current() {
        None => return Err(tr("pwcheck_pending_title", &[])),
        // A full page and no page control: nothing to step through.
        Some(r) if r.page_count == 0 => return Err(tr("pwcheck_paging_no_control", &["2"])),
        _ => {}
    }
    c.paging = Some(Paging { tab, since: now, ..Default::default() });
    Ok(())
}

/// One scan of "Check the other pages" (after `run` saw this page): at most
/// one click on KuCoin's pager, then a rescan. Returns (state changed,
/// steps, toast). Only page numbers and "next" are pressed: they change
/// what the list shows, nothing else.
pub fn drive_pages(c: &mut Checks, ex: &Extraction, tab: i64, doc: &str, now: i64) -> (bool, Vec<Step>, String) {
    let Some((unseen, view)) = c.current().map(|r| (r.unseen_pages(), r.view_page)) else { return (false, Vec::new(), String::new()) };
    drive(&mut c.paging, &unseen, view, ex, tab, doc, now)
}

/// The pager driver shared by the session check's "Check the other pages"
/// and the scan report's (`app::drive_report_pages`): `unseen`, the pages
/// still to read (ascending); `view`, the page last read (0: none). At most
/// one click on KuCoin's Recent Logins pager a scan; the run ends (`slot`
/// emptied) back on the page the user was on, or stops with its failure said.
pub fn drive(slot: &mut Option<Paging>, unseen: &[u32], view: u32, ex: &Extraction, tab: i64, doc: &str, now: i64) -> (bool, Vec<Step>, String) {
    let mut steps = Vec::new();
    // One tab drives; another takes over when the owner went quiet (closed).
    let Some(p) = slot.as_mut().filter(|p| p.failure.is_empty() && (p.tab == 0 || tab == 0 || p.tab == tab || now - p.since > crate::flow::OWNER_IDLE_MS)) else {
        return (false, steps, String::new());
    };
    let before = p.clone();
    if tab != 0 {
        p.tab = tab;
    }
    if p.doc != doc {
        p.doc = doc.into();
        p.target = 0;
        p.since = now;
    }
    let t = ex.table(TableKind::RecentLogins);
    let pager = t.and_then(|t| t.pager.as_ref());
    let shown = pager.map_or(0, |g| g.current);
    let goal = unseen.first().copied();
    let loading = pager.is_none() && t.is_some_and(|t| t.records.is_empty() && !t.empty);
    let mut fail = "";
    let mut page = goal.unwrap_or(0);
    // At most one click, then maybe a rescan (the steps pushed once, below).
    let mut click = None;
    let mut rescan = false;
    let mut done = false;
    if (p.target != 0 && !(shown == p.target && view == p.target)) || (loading && goal.is_some()) {
        // Our click's page is not open or not read yet (KuCoin loading it).
        if p.target != 0 {
            page = p.target;
        }
        if now - p.since >= PAGE_TIMEOUT_MS && p.waits >= crate::flow::MIN_WAITS {
            fail = if pager.is_some() { "pwcheck_paging_stuck" } else { "pwcheck_paging_no_control" };
        } else {
            p.waits += 1;
            rescan = true;
        }
    } else if let Some(goal) = goal {
        p.target = 0;
        if p.back_to == 0 {
            p.back_to = shown.max(1);
        }
        // The goal's number, else the shown number nearest to it (a pager
        // with an ellipsis shows more numbers around the page shown).
        let mut nearest = shown.abs_diff(goal);
        if let Some(g) = pager {
            for (i, &n) in g.numbers.iter().enumerate() {
                if n.abs_diff(goal) < nearest {
                    nearest = n.abs_diff(goal);
                    click = Some(g.ids[i]);
                    p.target = n;
                }
            }
        }
        if click.is_some() {
            rescan = true;
        } else if goal == shown {
            // Shown but not read yet (its rows not replaced yet): wait for it.
            p.target = goal;
            rescan = true;
        } else {
            fail = "pwcheck_paging_no_control";
        }
        p.since = now;
        p.waits = 0;
    } else {
        // Every page read: back to the page the user was on (a plain page
        // change), and done.
        click = pager.filter(|_| shown != p.back_to).and_then(|g| g.control(p.back_to));
        done = true;
    }
    if let Some(id) = click {
        steps.push(Step::Click { id });
    }
    if rescan {
        steps.push(Step::Rescan { ms: crate::flow::POLL_MS });
    }
    if done {
        *slot = None;
        return (true, steps, tr("pwcheck_pages_done", &[]));
    }
    if !fail.is_empty() {
        p.failure = tr(fail, &[&num(page)]);
    }
    let toast = p.failure.clone();
    (*p != before, steps, toast)
}

/// What to do when something survived.
pub fn advice() -> Vec<String> {
    vec![
        tr("pwcheck_advice_remove", &[]),
        tr("pwcheck_advice_password", &[]),
        tr("pwcheck_advice_freeze", &[]),
        tr("pwcheck_advice_restrict_ip", &[]),
    ]
}

/// Result card, pending card and the pointers to Freeze / Restrict Login IP
/// on the security page.
pub fn widgets(c: &Checks, ex: &Extraction, restrict_ip: Option<u32>, plan: &mut Plan, now: i64) {
    let Some(root) = ex.controls.page_root else { return };
    let Some(changed) = c.password_changed_at else { return };
    let button = |label: &str, style, kind: &str| Button::new(&tr(label, &[]), style, Action { kind: kind.into(), ..Default::default() });
    let dismiss = button("btn_dismiss", ButtonStyle::Secondary, "dismiss_check").aria(tr("aria_dismiss_check", &[]));
    let Some(r) = c.current() else {
        plan.widgets.push(Widget {
            key: "check:result".into(),
            anchor: root,
            place: Place::Prepend,
            kind: Kind::Result,
            tone: Tone::Info,
            title: tr("pwcheck_pending_title", &[]),
            text: tr("pwcheck_pending_text", &[&ago(changed, now)]),
            items: Vec::new(),
            buttons: Vec::new(),
            host_attr: Some(("data-session-guard-check".into(), "pending".into())),
        });
        return;
    };
    let unseen = r.unseen_pages();
    let paging = c.paging.as_ref();
    let failed = !r.passed && !r.incomplete();
    // (Dismissed, the card is gone; the popup and the badge still say "incomplete".)
    if !c.dismissed {
        let mut items: Vec<String> = r.survivors.clone();
        if failed {
            for a in advice() {
                items.push(tr("pwcheck_what_to_do", &[&a]));
            }
        }
        for u in &r.unverified {
            items.push(tr("pwcheck_not_verified", &[u]));
        }
        let mut buttons = Vec::new();
        match paging {
            Some(p) if p.failure.is_empty() && !unseen.is_empty() => {
                let page = if p.target != 0 { p.target } else { unseen[0] };
                items.push(tr("pwcheck_paging", &[&num(page), &num(r.page_count)]));
                buttons.push(button("btn_cancel", ButtonStyle::Secondary, "stop_check_pages"));
            }
            _ => {
                if let Some(p) = paging.filter(|p| !p.failure.is_empty()) {
                    items.push(p.failure.clone());
                }
                // Only where KuCoin's page control is on screen.
                if !unseen.is_empty() && ex.table(TableKind::RecentLogins).is_some_and(|t| t.pager.is_some()) {
                    buttons.push(button("btn_check_pages", ButtonStyle::Primary, "check_pages"));
                }
                buttons.push(dismiss);
            }
        }
        let (tone, text) = if r.passed {
            (Tone::Ok, "pwcheck_passed_text")
        } else if failed {
            (Tone::Danger, "pwcheck_failed_text")
        } else {
            (Tone::Warn, "pwcheck_incomplete_text")
        };
        plan.widgets.push(Widget {
            key: "check:result".into(),
            anchor: root,
            place: Place::Prepend,
            kind: Kind::Result,
            tone,
            title: headline(r),
            text: tr(text, &[]),
            items,
            buttons,
            host_attr: Some(("data-session-guard-check".into(), state_name(r).into())),
        });
    }
    if failed {
        if let Some(f) = ex.controls.freeze {
            plan.widgets.push(Widget {
                key: "point:freeze".into(),
                anchor: f,
                place: Place::After,
                kind: Kind::Reason,
                tone: Tone::Danger,
                title: tr("point_freeze_title", &[]),
                text: tr("point_freeze_text", &[]),
                items: Vec::new(),
                buttons: Vec::new(),
                host_attr: Some(("data-session-guard-point".into(), "freeze".into())),
            });
        }
        if let Some(ip) = restrict_ip {
            plan.widgets.push(Widget {
                key: "point:restrict-ip".into(),
                anchor: ip,
                place: Place::After,
                kind: Kind::Reason,
                tone: Tone::Warn,
                title: tr("point_restrict_ip_title", &[]),
                text: tr("point_restrict_ip_text", &[]),
                items: Vec::new(),
                buttons: Vec::new(),
                host_attr: Some(("data-session-guard-point".into(), "restrict-ip".into())),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess;
    use crate::snapshot::build::B;
    use crate::trust::TrustList;

    const T0: i64 = 1_752_484_897_000; // 2025-07-14 09:21:37 UTC, the old Current row

    /// A security page: Recent Logins rows (ip, device, time, status) and
    /// Trusted Devices rows (device, ip, current?).
    fn page(logins: &[(&str, &str, &str, &str)], trusted: &[(&str, &str, bool)], logs: Option<&[(&str, &str, &str)]>) -> Extraction {
        page_with(logins, None, trusted, logs)
    }

    /// `pager`: (page shown, pages) — KuCoin's kit: prev, numbers, next.
    fn page_with(logins: &[(&str, &str, &str, &str)], pager: Option<(u32, u32)>, trusted: &[(&str, &str, bool)], logs: Option<&[(&str, &str, &str)]>) -> Extraction {
        page_active(logins, pager, trusted, "7/14/2025, 09:21:37", logs)
    }

    /// `active`: every Trusted Devices row's Recent Activity.
    fn page_active(logins: &[(&str, &str, &str, &str)], pager: Option<(u32, u32)>, trusted: &[(&str, &str, bool)], active: &str, logs: Option<&[(&str, &str, &str)]>) -> Extraction {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[("data-inspector", "account_security_page")]);
        let table = b.el(body, "table", &[]);
        let hr = b.el(table, "tr", &[]);
        for h in ["Login IP", "Login Device", "Time", "Status"] {
            b.el_text(hr, "th", h);
        }
        let tb = b.el(table, "tbody", &[]);
        for (ip, dev, t, s) in logins {
            let tr = b.el(tb, "tr", &[]);
            for c in [ip, dev, t, s] {
                b.el_text(tr, "td", c);
            }
        }
        if let Some((shown, pages)) = pager {
            let nav = b.el(body, "div", &[("class", "KuxPagination-root css-19fwuly")]);
            b.el(nav, "button", &[("class", "KuxPagination-prev"), if shown == 1 { ("disabled", "") } else { ("type", "button") }]);
            for n in 1..=pages {
                let attrs: &[(&str, &str)] = if n == shown { &[("aria-current", "page")] } else { &[("type", "button")] };
                b.el_text(nav, "button", &n.to_string());
                let last = b.snap.nodes.len() - 2;
                b.snap.nodes[last].attrs = attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            }
            b.el(nav, "button", &[("class", "KuxPagination-next"), if shown == pages { ("disabled", "") } else { ("type", "button") }]);
        }
        if let Some(logs) = logs {
            let table = b.el(body, "table", &[]);
            let hr = b.el(table, "tr", &[]);
            for h in ["Login IP", "Type", "Time"] {
                b.el_text(hr, "th", h);
            }
            let tb = b.el(table, "tbody", &[]);
            for (ip, ty, t) in logs {
                let tr = b.el(tb, "tr", &[]);
                for c in [ip, ty, t] {
                    b.el_text(tr, "td", c);
                }
            }
        }
        let table = b.el(body, "table", &[]);
        let hr = b.el(table, "tr", &[]);
        for h in ["Trusted Device", "Login IP", "Recent Activity", "Remove Device"] {
            b.el_text(hr, "th", h);
        }
        let tb = b.el(table, "tbody", &[]);
        for (dev, ip, cur) in trusted {
            let tr = b.el(tb, "tr", &[]);
            let td = b.el(tr, "td", &[]);
            b.text(td, dev);
            if *cur {
                b.el_text(td, "span", "Current");
            }
            b.el_text(tr, "td", ip);
            b.el_text(tr, "td", active);
            let td = b.el(tr, "td", &[]);
            b.el_text(td, "button", "Remove");
        }
        crate::extract::extract(&b.snap)
    }

    fn assess(ex: &Extraction) -> Assessment {
        assess::assess(ex, &TrustList::default(), None, &Default::default())
    }

    fn changed() -> Checks {
        let mut c = Checks::default();
        assert!(record_change(&mut c, Some(T0), 5_000_000_000_000, "dialog"));
        c
    }

    const RELOGIN: (&str, &str, &str, &str) = ("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:42:18", "Current");

    #[test]
    fn clean_result_passes_and_names_what_was_not_verified() {
        let mut c = changed();
        assert!(c.pending());
        let ex = page(&[RELOGIN, ("Lagos(198.51.100.77)", "Linux Firefox", "7/14/2025, 03:48:12", "Offline")], &[("Linux Chrome", "Singapore(203.0.113.24)", true)], None);
        assert!(run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_100_000));
        let r = c.current().unwrap();
        assert!(r.passed, "{:?}", r.survivors);
        assert!(!c.pending());
        assert_eq!(r.unverified.len(), 1);
        assert!(r.unverified[0].contains("Security Logs"));
        assert!(headline(r).starts_with("All other sessions ended \u{2014} checked "));
        // Same page again: nothing to write.
        assert!(!run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_200_000));
        // The Security Logs tab: the event after the change is found.
        let ex = page(&[], &[], Some(&[("Singapore(203.0.113.24)", "Change Password", "7/14/2025, 09:40:55"), ("Singapore(203.0.113.24)", "Change Password", "5/3/2025, 08:08:08")]));
        assert!(run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_300_000));
        let r = c.current().unwrap();
        assert!(r.passed && r.unverified.is_empty(), "{r:?}");
    }

    #[test]
    fn an_old_page_proves_nothing() {
        let mut c = changed();
        let ex = page(&[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")], &[], None);
        run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_100_000);
        assert!(c.pending(), "{:?}", c.last);
        assert!(c.current().is_none());
        assert!(!c.overdue(5_000_000_100_000));
        assert!(c.overdue(5_000_000_000_000 + OVERDUE_MS));
        assert_eq!(c.wake_at(5_000_000_100_000), Some(5_000_000_000_000 + OVERDUE_MS));
        assert_eq!(c.wake_at(5_000_000_000_000 + OVERDUE_MS), None);
    }

    #[test]
    fn survivors_are_named() {
        let mut c = changed();
        let ex = page(
            &[
                RELOGIN,
                ("Lagos(198.51.100.77)", "Linux Firefox", "7/14/2025, 03:48:12", "Online"),
                ("Tokyo(198.51.100.5)", "Windows 10 Chrome", "7/14/2025, 09:50:00", "Offline"),
            ],
            &[("Linux Chrome", "Singapore(203.0.113.24)", true), ("iOS 17.5 iPhone", "Singapore(203.0.113.41)", false)],
            Some(&[("Singapore(203.0.113.24)", "Create API", "7/14/2025, 09:40:55")]),
        );
        run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed);
        assert!(c.failed());
        let all = r.survivors.join("\n");
        assert!(all.contains("Still online: Firefox on Linux from \u{2068}Lagos\u{2069} (198.51.100.77)"), "{all}");
        assert!(all.contains("Signed in after the password change:") && all.contains("Tokyo"), "{all}");
        assert!(all.contains("Still a trusted device:") && all.contains("iPhone"), "{all}");
        assert!(all.contains("no \u{201c}Change Password\u{201d} event"), "{all}");
        // Until it passes, every later scan checks again.
        let ex = page(&[RELOGIN], &[("Linux Chrome", "Singapore(203.0.113.24)", true)], Some(&[("Singapore(203.0.113.24)", "Change Password", "7/14/2025, 09:40:55")]));
        assert!(run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_200_000));
        assert!(c.current().unwrap().passed, "{:?}", c.current());
    }

    #[test]
    fn a_new_change_starts_a_new_check() {
        let mut c = changed();
        let ex = page(&[RELOGIN], &[], None);
        run(&mut c, &ex, &assess(&ex), 0, "", 5_000_000_100_000);
        assert!(!c.pending());
        assert!(!record_change(&mut c, Some(T0), 5_000_000_000_000 + 1000, "redirect"), "the same change seen twice");
        assert!(record_change(&mut c, Some(T0 + 100_000), 5_000_001_000_000, "dialog"));
        assert!(c.pending());
        assert_eq!(c.baseline_ms, Some(T0 + 100_000));
    }

    const ME: (&str, &str, bool) = ("Linux Chrome", "Singapore(203.0.113.24)", true);
    const P1: [(&str, &str, &str, &str); 5] = [
        RELOGIN,
        ("Lagos(198.51.100.77)", "Linux Firefox", "7/14/2025, 03:48:12", "Offline"),
        ("Singapore(2001:db8:85a3::8a2e:370:7334)", "iOS 17.5 iPhone", "7/13/2025, 22:10:05", "Offline"),
        ("Singapore(203.0.113.41)", "Windows 10 Chrome", "7/12/2025, 18:02:44", "Offline"),
        ("Frankfurt(192.0.2.146)", "Android 14 KuCoin App", "7/11/2025, 00:15:09", "Offline"),
    ];
    const P2_CLEAN: [(&str, &str, &str, &str); 2] =
        [("Singapore(203.0.113.24)", "Windows 10 Chrome", "7/9/2025, 13:30:00", "Offline"), ("Hong Kong(2001:db8:4f1e:12::a3)", "iOS 17.5 iPhone", "7/5/2025, 07:07:07", "Offline")];
    const P2_SURVIVOR: [(&str, &str, &str, &str); 2] =
        [("Singapore(203.0.113.24)", "Windows 10 Chrome", "7/9/2025, 13:30:00", "Offline"), ("Hong Kong(2001:db8:4f1e:12::a3)", "iOS 17.5 iPhone", "7/5/2025, 07:07:07", "Online")];
    const P3: [(&str, &str, &str, &str); 1] = [("Amsterdam(192.0.2.8)", "macOS Safari", "12/31/2024, 22:31:09", "Offline")];

    fn scan(c: &mut Checks, ex: &Extraction, doc: &str, now: i64) -> bool {
        run(c, ex, &assess(ex), 0, doc, now)
    }

    #[test]
    fn unseen_pages_are_named_and_never_passed() {
        let mut c = changed();
        scan(&mut c, &page_with(&P1, Some((1, 3)), &[ME], None), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.incomplete() && c.incomplete() && !c.failed(), "{r:?}");
        assert_eq!((r.page_count, r.pages_seen.clone(), r.unseen_pages()), (3, vec![1], vec![2, 3]));
        assert!(r.unverified.iter().any(|u| u.contains("Recent Logins pages 2\u{2013}3 of 3")), "{:?}", r.unverified);
        assert!(headline(r).starts_with("Session check incomplete"), "{}", headline(r));
        assert_eq!(state_name(r), "incomplete");
        // Page 2 (KuCoin's pager, same document): still page 3 to go.
        assert!(scan(&mut c, &page_with(&P2_CLEAN, Some((2, 3)), &[], None), "d", 5_000_000_200_000));
        let r = c.current().unwrap();
        assert!(!r.passed && r.unverified.iter().any(|u| u.contains("Recent Logins page 3 of 3")), "{:?}", r.unverified);
        scan(&mut c, &page_with(&P3, Some((3, 3)), &[], None), "d", 5_000_000_300_000);
        let r = c.current().unwrap();
        assert!(r.passed, "{r:?}");
        assert!(r.unverified.iter().all(|u| !u.contains("Recent Logins")), "{:?}", r.unverified);
        assert_eq!(state_name(r), "passed");
    }

    #[test]
    fn a_survivor_on_page_two_fails_the_check_by_name_and_page() {
        let mut c = changed();
        scan(&mut c, &page_with(&P1, Some((1, 3)), &[ME], None), "d", 5_000_000_100_000);
        scan(&mut c, &page_with(&P2_SURVIVOR, Some((2, 3)), &[], None), "d", 5_000_000_200_000);
        let r = c.current().unwrap();
        assert!(!r.passed && c.failed() && !r.incomplete());
        let all = r.survivors.join("\n");
        assert!(all.contains("Still online: iPhone on iOS 17.5 from \u{2068}Hong Kong\u{2069} (2001:db8:4f1e:12::a3) (Recent Logins page 2)"), "{all}");
        assert!(headline(r).starts_with("Sessions survived the password change"));
        // Page 3 clean does not wash page 2 out; page 1 again neither.
        scan(&mut c, &page_with(&P3, Some((3, 3)), &[], None), "d", 5_000_000_300_000);
        scan(&mut c, &page_with(&P1, Some((1, 3)), &[ME], None), "d", 5_000_000_400_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.survivors.iter().any(|s| s.contains("Hong Kong")), "{r:?}");
        // The session ends: page 2 read again, clean → passed.
        scan(&mut c, &page_with(&P2_CLEAN, Some((2, 3)), &[], None), "d", 5_000_000_500_000);
        assert!(c.current().unwrap().passed, "{:?}", c.current());
    }

    #[test]
    fn a_full_page_without_a_page_control_cannot_pass() {
        let mut c = changed();
        scan(&mut c, &page_with(&P1, None, &[ME], None), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.incomplete(), "{r:?}");
        assert_eq!(r.page_count, 0);
        assert!(r.unverified.iter().any(|u| u.contains("found no page control")), "{:?}", r.unverified);
        assert!(start_paging(&mut c, 0, 5_000_000_100_000).is_err(), "nothing to step through");
    }

    #[test]
    fn later_pages_count_only_when_their_rows_are_new_and_in_the_same_document() {
        let mut c = changed();
        scan(&mut c, &page_with(&P1, Some((1, 2)), &[ME], None), "d", 5_000_000_100_000);
        // The pager moved to 2, the rows are still page 1's (no Current row needed to be stale).
        let mut stale = P1;
        stale[0] = ("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:42:18", "Offline");
        scan(&mut c, &page_with(&stale, Some((2, 2)), &[], None), "d", 5_000_000_150_000);
        assert_eq!(c.current().unwrap().pages_seen, vec![1]);
        // Page 2 in another document (an old tab): not counted.
        scan(&mut c, &page_with(&P2_CLEAN, Some((2, 2)), &[], None), "other", 5_000_000_200_000);
        assert_eq!(c.current().unwrap().pages_seen, vec![1]);
        assert!(!c.current().unwrap().passed);
        // Page 2 before page 1 was ever checked proves nothing either.
        let mut fresh = changed();
        scan(&mut fresh, &page_with(&P2_CLEAN, Some((2, 2)), &[], None), "d", 5_000_000_200_000);
        assert!(fresh.current().is_none());
    }

    fn pager_of(ex: &Extraction) -> crate::extract::Pager {
        ex.table(TableKind::RecentLogins).unwrap().pager.clone().unwrap()
    }

    #[test]
    fn check_the_other_pages_steps_through_the_pager_and_returns() {
        let mut c = changed();
        let p1 = page_with(&P1, Some((1, 3)), &[ME], None);
        scan(&mut c, &p1, "d", 5_000_000_100_000);
        // Before the click: nothing is pressed.
        assert_eq!(drive_pages(&mut c, &p1, 7, "d", 5_000_000_100_000).1, vec![]);
        start_paging(&mut c, 7, 5_000_000_110_000).unwrap();
        // Another tab does not drive it.
        assert_eq!(drive_pages(&mut c, &p1, 8, "d", 5_000_000_110_000).1, vec![]);
        let (changed_, steps, _) = drive_pages(&mut c, &p1, 7, "d", 5_000_000_110_000);
        assert!(changed_);
        assert_eq!(steps, vec![Step::Click { id: pager_of(&p1).control(2).unwrap() }, Step::Rescan { ms: crate::flow::POLL_MS }]);
        // Still page 1 (KuCoin loading): wait.
        let (_, steps, _) = drive_pages(&mut c, &p1, 7, "d", 5_000_000_110_300);
        assert_eq!(steps, vec![Step::Rescan { ms: crate::flow::POLL_MS }]);
        // Page 2 shown and read (a survivor): on to page 3.
        let p2 = page_with(&P2_SURVIVOR, Some((2, 3)), &[], None);
        scan(&mut c, &p2, "d", 5_000_000_111_000);
        let (_, steps, _) = drive_pages(&mut c, &p2, 7, "d", 5_000_000_111_000);
        assert_eq!(steps[0], Step::Click { id: pager_of(&p2).control(3).unwrap() });
        let p3 = page_with(&P3, Some((3, 3)), &[], None);
        scan(&mut c, &p3, "d", 5_000_000_112_000);
        // Every page read: back to page 1, done.
        let (_, steps, toast) = drive_pages(&mut c, &p3, 7, "d", 5_000_000_112_000);
        assert_eq!(steps, vec![Step::Click { id: pager_of(&p3).control(1).unwrap() }]);
        assert_eq!(toast, "Checked every Recent Logins page.");
        assert!(c.paging.is_none());
        let r = c.current().unwrap();
        assert!(r.unseen_pages().is_empty() && !r.passed && r.survivors.iter().any(|s| s.contains("page 2")), "{r:?}");
    }

    #[test]
    fn a_pager_that_does_not_move_or_is_gone_is_reported_and_pages_stay_unverified() {
        let mut c = changed();
        let p1 = page_with(&P1, Some((1, 2)), &[ME], None);
        scan(&mut c, &p1, "d", 5_000_000_100_000);
        start_paging(&mut c, 0, 5_000_000_100_000).unwrap();
        assert!(!drive_pages(&mut c, &p1, 0, "d", 5_000_000_100_000).1.is_empty());
        let mut t = 5_000_000_100_000;
        let mut toast = String::new();
        for _ in 0..50 {
            t += 250;
            scan(&mut c, &p1, "d", t);
            toast = drive_pages(&mut c, &p1, 0, "d", t).2;
            if !toast.is_empty() {
                break;
            }
        }
        assert!(t - 5_000_000_100_000 >= PAGE_TIMEOUT_MS, "gave up too early");
        assert_eq!(toast, "Recent Logins page 2 did not open, so it was not checked.");
        assert!(drive_pages(&mut c, &p1, 0, "d", t + 250).1.is_empty(), "stopped");
        assert!(!c.current().unwrap().passed);
        // The card says so and offers to try again.
        let mut plan = Plan::empty("security");
        widgets(&c, &p1, None, &mut plan, t);
        let w = plan.widgets.iter().find(|w| w.key == "check:result").unwrap();
        assert!(w.items.iter().any(|i| i.contains("did not open")), "{:?}", w.items);
        assert!(w.items.iter().any(|i| i.contains("Recent Logins page 2 of 2")), "{:?}", w.items);
        assert!(w.buttons.iter().any(|b| b.action.kind == "check_pages"));
        // No page control on the page at all.
        start_paging(&mut c, 0, t).unwrap();
        let bare = page_with(&P1[..3], None, &[ME], None);
        let (_, _, toast) = drive_pages(&mut c, &bare, 0, "d", t);
        assert_eq!(toast, "Could not find KuCoin's control for Recent Logins page 2, so that page was not checked.");
    }

    #[test]
    fn the_card_offers_the_other_pages_and_shows_progress() {
        let mut c = changed();
        let p1 = page_with(&P1, Some((1, 3)), &[ME], None);
        scan(&mut c, &p1, "d", 5_000_000_100_000);
        let mut plan = Plan::empty("security");
        widgets(&c, &p1, None, &mut plan, 5_000_000_100_000);
        let w = plan.widgets.iter().find(|w| w.key == "check:result").unwrap();
        assert_eq!(w.host_attr.as_ref().unwrap().1, "incomplete");
        assert_eq!(w.tone, Tone::Warn);
        assert!(w.buttons.iter().any(|b| b.action.kind == "check_pages" && b.label == "Check the other pages"));
        assert!(plan.widgets.iter().all(|w| w.key != "point:freeze"), "nothing survived: no freeze pointer");
        start_paging(&mut c, 0, 5_000_000_100_000).unwrap();
        let mut plan = Plan::empty("security");
        widgets(&c, &p1, None, &mut plan, 5_000_000_100_000);
        let w = plan.widgets.iter().find(|w| w.key == "check:result").unwrap();
        assert!(w.items.iter().any(|i| i == "Checking Recent Logins page 2 of 3\u{2026}"), "{:?}", w.items);
        assert_eq!(w.buttons.len(), 1);
        assert_eq!(w.buttons[0].action.kind, "stop_check_pages");
        // Dismissed: no card; the result stays "incomplete" (popup, badge).
        c.dismissed = true;
        let mut plan = Plan::empty("security");
        widgets(&c, &p1, None, &mut plan, 5_000_000_100_000);
        assert!(plan.widgets.iter().all(|w| w.key != "check:result"));
        assert!(c.incomplete());
    }

    #[test]
    fn a_reload_in_the_middle_decides_again_instead_of_failing() {
        let mut c = changed();
        let p1 = page_with(&P1, Some((1, 2)), &[ME], None);
        scan(&mut c, &p1, "d", 5_000_000_100_000);
        start_paging(&mut c, 3, 5_000_000_100_000).unwrap();
        let (_, steps, _) = drive_pages(&mut c, &p1, 3, "d", 5_000_000_100_000);
        assert_eq!(steps[0], Step::Click { id: pager_of(&p1).control(2).unwrap() });
        // Reloaded before page 2 came: the new document shows page 1 again.
        let t = 5_000_000_100_000 + PAGE_TIMEOUT_MS + 1000;
        scan(&mut c, &p1, "e", t);
        let (_, steps, toast) = drive_pages(&mut c, &p1, 3, "e", t);
        assert_eq!(toast, "");
        assert_eq!(steps[0], Step::Click { id: pager_of(&p1).control(2).unwrap() }, "pressed again in the new document");
        // A tab that went quiet is taken over by another one.
        let t = t + crate::flow::OWNER_IDLE_MS + 1;
        assert!(!drive_pages(&mut c, &p1, 4, "f", t).1.is_empty());
        assert_eq!(c.paging.as_ref().unwrap().tab, 4);
    }

    #[test]
    fn page_lists_are_short() {
        assert_eq!(page_list(&[2, 3, 4, 7, 9, 10]), "2\u{2013}4, 7, 9\u{2013}10");
        assert_eq!(page_list(&[5]), "5");
        assert_eq!(page_list(&[]), "");
    }

    #[test]
    fn a_second_current_row_is_another_live_session() {
        // Same device and address as this browser, a sign-in after the
        // change, also marked Current: only one of the two is this browser.
        let mut c = changed();
        let ex = page(&[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:45:00", "Current"), RELOGIN], &[ME], None);
        scan(&mut c, &ex, "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed && c.failed(), "{r:?}");
        assert!(r.survivors.iter().any(|s| s.starts_with("Still online: Chrome on Linux")), "{:?}", r.survivors);
        // One Current row: this browser, nothing survived.
        let mut c = changed();
        scan(&mut c, &page(&[RELOGIN], &[ME], None), "d", 5_000_000_100_000);
        assert!(c.current().unwrap().passed);
    }

    #[test]
    fn without_a_baseline_a_page_from_before_the_change_proves_nothing() {
        // No baseline (no earlier scan named this browser's row): a page
        // rendered hours before the change (restored from the cache) lists
        // the old session as Current; it is not the new sign-in.
        let mut c = Checks::default();
        let changed_at = T0 + 6 * 3_600_000;
        record_change(&mut c, None, changed_at, "redirect");
        let old = page(&[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")], &[ME], None);
        run(&mut c, &old, &assess(&old), 0, "d", changed_at + 60_000);
        assert!(c.pending() && c.current().is_none(), "{:?}", c.last);
        // The new sign-in (after the change) runs it.
        let new = page(&[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 15:25:00", "Current"), ("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Offline")], &[ME], None);
        run(&mut c, &new, &assess(&new), 0, "d", changed_at + 120_000);
        assert!(c.current().is_some_and(|r| r.passed), "{:?}", c.last);
    }

    #[test]
    fn a_change_password_event_not_on_the_page_shown_is_not_verified_rather_than_missing() {
        let unverified = |r: &CheckResult| r.unverified.iter().any(|u| u.contains("Change Password"));
        // Its row unreadable (a relative time): can't tell.
        let mut c = changed();
        let logs = [("Singapore(203.0.113.24)", "Change Password", "Just now"), ("Singapore(203.0.113.24)", "Create API", "7/13/2025, 09:40:55")];
        scan(&mut c, &page(&[RELOGIN], &[ME], Some(&logs)), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(r.event_seen.is_none() && unverified(r) && !c.failed(), "{r:?}");
        // A full page of newer events: it may be on page 2.
        let mut c = changed();
        let logs = [("Singapore(203.0.113.24)", "Create API", "7/14/2025, 09:50:55"); LOGIN_PAGE_SIZE];
        scan(&mut c, &page(&[RELOGIN], &[ME], Some(&logs)), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(r.event_seen.is_none() && unverified(r) && !c.failed(), "{r:?}");
        // The list reaches back to before the change without it: missing.
        let mut c = changed();
        let logs = [("Singapore(203.0.113.24)", "Create API", "7/14/2025, 09:50:55"), ("Singapore(203.0.113.24)", "Create API", "7/13/2025, 09:40:55")];
        scan(&mut c, &page(&[RELOGIN], &[ME], Some(&logs)), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert_eq!(r.event_seen, Some(false));
        assert!(c.failed() && r.survivors.iter().any(|s| s.contains("Change Password")), "{r:?}");
    }

    #[test]
    fn a_trusted_devices_list_of_unreadable_rows_is_no_list_not_shown() {
        // Every row unreadable (a relative Recent Activity, masked addresses):
        // rows the check cannot read, reported as such, never "not shown".
        let iphone = ("iOS 17.5 iPhone", "Singapore(203.0.113.41)", false);
        for ex in [
            page_active(&[RELOGIN], None, &[ME, iphone], "Just now", None),
            page(&[RELOGIN], &[("Linux Chrome", "Singapore(203.0.***.24)", true), ("iOS 17.5 iPhone", "Singapore(203.0.*.*)", false)], None),
        ] {
            let mut c = changed();
            scan(&mut c, &ex, "d", 5_000_000_100_000);
            let r = c.current().unwrap();
            assert!(!r.passed && c.failed(), "{r:?}");
            assert!(r.survivors.iter().any(|s| s == "2 Trusted Devices rows could not be read"), "{:?}", r.survivors);
            assert!(r.unverified.iter().all(|u| !u.contains("Trusted Devices")), "{:?}", r.unverified);
        }
        // As one unreadable row among readable ones is.
        let mut c = changed();
        scan(&mut c, &page(&[RELOGIN], &[ME, ("iOS 17.5 iPhone", "Singapore(203.0.*.*)", false)], None), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.survivors.iter().any(|s| s == "1 Trusted Devices row could not be read"), "{r:?}");
        // Passed while the list was not on the page: the list of unreadable
        // rows shown later undoes it.
        let mut c = changed();
        scan(&mut c, &page(&[RELOGIN], &[], None), "d", 5_000_000_100_000);
        assert!(c.current().unwrap().passed);
        scan(&mut c, &page_active(&[RELOGIN], None, &[ME, iphone], "Just now", None), "d", 5_000_000_200_000);
        assert!(c.failed(), "{:?}", c.current());
    }

    #[test]
    fn a_recent_logins_list_of_unreadable_rows_never_passes() {
        let just_now = [("Singapore(203.0.113.24)", "Linux Chrome", "Just now", "Current"), ("Lagos(198.51.100.77)", "Linux Firefox", "Just now", "Offline")];
        let mut c = changed();
        scan(&mut c, &page(&just_now, &[ME], None), "d", 5_000_000_100_000);
        assert!(c.current().is_none_or(|r| !r.passed), "{:?}", c.last);
        // A later page of unreadable rows: that page stays not verified.
        let mut c = changed();
        scan(&mut c, &page_with(&P1, Some((1, 2)), &[ME], None), "d", 5_000_000_100_000);
        scan(&mut c, &page_with(&just_now[1..], Some((2, 2)), &[ME], None), "d", 5_000_000_200_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.unseen_pages() == vec![2], "{r:?}");
    }

    #[test]
    fn an_empty_security_logs_list_is_not_verified_rather_than_missing() {
        // "No data" right after a change (the change is an event itself): a
        // list that did not load, not a change that did not go through.
        let mut c = changed();
        scan(&mut c, &page(&[RELOGIN], &[ME], Some(&[("No data", "", "")])), "d", 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(r.event_seen.is_none() && !c.failed(), "{r:?}");
        assert!(r.survivors.is_empty() && r.unverified.iter().any(|u| u.contains("Change Password")), "{r:?}");
        // The list loads with the event: verified.
        scan(&mut c, &page(&[], &[], Some(&[("Singapore(203.0.113.24)", "Change Password", "7/14/2025, 09:40:55")])), "d", 5_000_000_200_000);
        assert_eq!(c.current().unwrap().event_seen, Some(true));
    }

    #[test]
    fn sign_ins_that_push_this_browsers_row_to_page_two_are_named() {
        // Five sign-ins after this browser's new one: its Current row is on
        // page 2, page 1 holds only sign-ins after the change.
        let mut later = [("Lagos(198.51.100.77)", "Linux Firefox", "", "Offline"); LOGIN_PAGE_SIZE];
        let times = ["7/14/2025, 09:50:05", "7/14/2025, 09:50:04", "7/14/2025, 09:50:03", "7/14/2025, 09:50:02", "7/14/2025, 09:50:01"];
        for (row, t) in later.iter_mut().zip(times) {
            row.2 = t;
        }
        let mut c = changed();
        scan(&mut c, &page_with(&later, Some((1, 2)), &[ME], None), "d", 5_000_000_100_000);
        let r = c.current().expect("the check completes");
        assert!(!r.passed && c.failed() && !c.pending(), "{r:?}");
        assert_eq!(r.survivors.iter().filter(|s| s.starts_with("Signed in after the password change:") && s.contains("Lagos")).count(), 5, "{:?}", r.survivors);
        // Page 2, with this browser's row, is read in the same document.
        scan(&mut c, &page_with(&[RELOGIN, P1[1]], Some((2, 2)), &[ME], None), "d", 5_000_000_200_000);
        let r = c.current().unwrap();
        assert!(!r.passed && r.pages_seen == vec![1, 2] && r.survivors.len() == 5, "{r:?}");
        // A page from before the change (no Current row, rows older than the
        // change) still proves nothing, nor does one mixing older rows in, nor
        // a page short of full (this browser's row would be on it).
        let mut old = P1;
        old[0] = P1[1];
        let mut mixed = later;
        mixed[4] = P1[1];
        for (p, pager) in [(&old[..], Some((1, 2))), (&mixed[..], Some((1, 2))), (&later[..4], None)] {
            let mut c = changed();
            scan(&mut c, &page_with(p, pager, &[ME], None), "d", 5_000_000_100_000);
            assert!(c.pending() && c.current().is_none(), "{:?}", c.last);
        }
    }

    #[test]
    fn login_confirmation_alerts_are_deduplicated() {
        let mut c = Checks::default();
        note_login_confirmation(&mut c, 1_000);
        note_login_confirmation(&mut c, 5_000);
        assert_eq!(c.alerts.len(), 1);
        assert_eq!(c.alerts[0].last_seen, 5_000);
        assert_eq!(c.alerts[0].severity, Severity::High);
        note_login_confirmation(&mut c, 5_000 + SAME_ALERT_MS + 1);
        assert_eq!(c.alerts.len(), 2);
    }
}
