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
//! - Trusted Devices and IP Addresses: at most this browser;
//! - Security Logs: a "Change Password" event after the change.
//!
//! Parts the page does not show (Security Logs is another tab) are collected
//! from later scans and listed as "not verified" until then. "After the
//! change" is measured against the page's own clock: the time KuCoin showed
//! for this browser's session when the change was recorded (`baseline_ms`),
//! so a wrong computer clock cannot hide a login.

use crate::assess::{Assessment, RowVerdict, Severity, Verdict};
use crate::extract::{Extraction, Status, TableKind};
use crate::i18n::t as tr;
use crate::plan::{Action, Button, ButtonStyle, Kind, Place, Plan, Tone, Widget};
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
}
crate::json_struct!(Checks { password_changed_at: default, baseline_ms: default, detected_by: default, last: default, dismissed: default, alerts: default });

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
}
crate::json_struct!(CheckResult { at, for_change: default, passed, survivors: default, unverified: default, logins_checked: default, login_issues: default, trusted_issues: default, event_seen: default, tz: default });

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
    pub fn failed(&self) -> bool {
        self.current().is_some_and(|r| !r.passed)
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
    true
}

/// The Login Confirmation dialog at sign-in: a high-severity event.
pub fn note_login_confirmation(c: &mut Checks, now: i64) -> bool {
    if let Some(last) = c.alerts.iter_mut().rev().find(|a| a.kind == "login_confirmation") {
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
            let dev = crate::extract::clip(&v.describe);
            if v.area.is_empty() { tr("device_with_ip", &[&dev, &v.ip]) } else { tr("device_from_area", &[&dev, &crate::extract::clip(&v.area), &v.ip]) }
        }
        None => crate::extract::clip(device_text),
    }
}

use crate::extract::rendered;

/// Run (or continue) the check on a security-page scan. Returns whether the
/// stored result changed.
pub fn run(c: &mut Checks, ex: &Extraction, a: &Assessment, tz: i32, now: i64) -> bool {
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
            let current = t.records.iter().filter(|x| x.status == Some(Status::Current) && !x.hidden).filter_map(|x| x.time_ms).max();
            let signed_in_again = current.is_some_and(|tm| c.baseline_ms.is_none_or(|b| tm > b));
            if signed_in_again {
                let mut issues = Vec::new();
                if !t.unreadable.is_empty() {
                    issues.push(crate::i18n::plural("pwcheck_logins_unreadable", t.unreadable.len() as u32));
                }
                for rec in &t.records {
                    let v = verdict(rec.row);
                    let name = name_of(v, &rec.device_text);
                    match rec.status {
                        Some(Status::Online) => issues.push(tr("pwcheck_still_online", &[&name])),
                        Some(Status::Current) if rec.hidden || v.is_some_and(|v| v.verdict != Verdict::Current) => {
                            issues.push(tr("pwcheck_current_mismatch", &[&name]))
                        }
                        Some(Status::Offline) | None if rec.time_ms.is_some_and(|tm| tm > since) => {
                            issues.push(tr("pwcheck_signed_in_after", &[&name]))
                        }
                        _ => {}
                    }
                }
                r.login_issues = issues;
                r.logins_checked = true;
            }
        }
    }
    if !settled || r.trusted_issues.is_none() {
        if let Some(t) = rendered(ex.table(TableKind::TrustedDevices)) {
            let mut issues: Vec<String> = Vec::new();
            for x in &t.records {
                if x.status != Some(Status::Current) && verdict(x.row).is_none_or(|v| v.verdict != Verdict::Current) {
                    issues.push(tr("pwcheck_still_trusted", &[&name_of(verdict(x.row), &x.device_text)]));
                }
            }
            if !t.unreadable.is_empty() {
                issues.push(crate::i18n::plural("pwcheck_trusted_unreadable", t.unreadable.len() as u32));
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
            r.event_seen = Some(seen);
        }
    }
    let mut survivors = r.login_issues.clone();
    survivors.extend(r.trusted_issues.clone().unwrap_or_default());
    if r.event_seen == Some(false) {
        survivors.push(tr("pwcheck_no_change_event", &[]));
    }
    let mut unverified = Vec::new();
    if r.trusted_issues.is_none() {
        unverified.push(tr("pwcheck_unverified_trusted", &[]));
    }
    if r.event_seen.is_none() {
        unverified.push(tr("pwcheck_unverified_event", &[]));
    }
    r.passed = r.logins_checked && survivors.is_empty();
    r.survivors = survivors;
    r.unverified = unverified;
    let before = c.last.clone();
    let same = before.as_ref().is_some_and(|b| CheckResult { at: r.at, tz: r.tz, ..b.clone() } == r);
    if same {
        return false;
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
    if r.passed {
        tr("pwcheck_passed_title", &[&when(r.at, r.tz)])
    } else {
        tr("pwcheck_failed_title", &[&when(r.at, r.tz)])
    }
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
    let dismiss = Button::new(&tr("btn_dismiss", &[]), ButtonStyle::Secondary, Action { kind: "dismiss_check".into(), ..Default::default() })
        .aria(tr("aria_dismiss_check", &[]));
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
    if !c.dismissed {
        let mut items: Vec<String> = r.survivors.clone();
        if !r.passed {
            for a in advice() {
                items.push(tr("pwcheck_what_to_do", &[&a]));
            }
        }
        for u in &r.unverified {
            items.push(tr("pwcheck_not_verified", &[u]));
        }
        plan.widgets.push(Widget {
            key: "check:result".into(),
            anchor: root,
            place: Place::Prepend,
            kind: Kind::Result,
            tone: if r.passed { Tone::Ok } else { Tone::Danger },
            title: headline(r),
            text: if r.passed { tr("pwcheck_passed_text", &[]) } else { tr("pwcheck_failed_text", &[]) },
            items,
            buttons: vec![dismiss],
            host_attr: Some(("data-session-guard-check".into(), if r.passed { "passed" } else { "failed" }.into())),
        });
    }
    if !r.passed {
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
            b.el_text(tr, "td", "7/14/2025, 09:21:37");
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
        assert!(run(&mut c, &ex, &assess(&ex), 0, 5_000_000_100_000));
        let r = c.current().unwrap();
        assert!(r.passed, "{:?}", r.survivors);
        assert!(!c.pending());
        assert_eq!(r.unverified.len(), 1);
        assert!(r.unverified[0].contains("Security Logs"));
        assert!(headline(r).starts_with("All other sessions ended \u{2014} checked "));
        // Same page again: nothing to write.
        assert!(!run(&mut c, &ex, &assess(&ex), 0, 5_000_000_200_000));
        // The Security Logs tab: the event after the change is found.
        let ex = page(&[], &[], Some(&[("Singapore(203.0.113.24)", "Change Password", "7/14/2025, 09:40:55"), ("Singapore(203.0.113.24)", "Change Password", "5/3/2025, 08:08:08")]));
        assert!(run(&mut c, &ex, &assess(&ex), 0, 5_000_000_300_000));
        let r = c.current().unwrap();
        assert!(r.passed && r.unverified.is_empty(), "{r:?}");
    }

    #[test]
    fn an_old_page_proves_nothing() {
        let mut c = changed();
        let ex = page(&[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")], &[], None);
        run(&mut c, &ex, &assess(&ex), 0, 5_000_000_100_000);
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
        run(&mut c, &ex, &assess(&ex), 0, 5_000_000_100_000);
        let r = c.current().unwrap();
        assert!(!r.passed);
        assert!(c.failed());
        let all = r.survivors.join("\n");
        assert!(all.contains("Still online: Firefox on Linux from Lagos (198.51.100.77)"), "{all}");
        assert!(all.contains("Signed in after the password change:") && all.contains("Tokyo"), "{all}");
        assert!(all.contains("Still a trusted device:") && all.contains("iPhone"), "{all}");
        assert!(all.contains("no \u{201c}Change Password\u{201d} event"), "{all}");
        // Until it passes, every later scan checks again.
        let ex = page(&[RELOGIN], &[("Linux Chrome", "Singapore(203.0.113.24)", true)], Some(&[("Singapore(203.0.113.24)", "Change Password", "7/14/2025, 09:40:55")]));
        assert!(run(&mut c, &ex, &assess(&ex), 0, 5_000_000_200_000));
        assert!(c.current().unwrap().passed, "{:?}", c.current());
    }

    #[test]
    fn a_new_change_starts_a_new_check() {
        let mut c = changed();
        let ex = page(&[RELOGIN], &[], None);
        run(&mut c, &ex, &assess(&ex), 0, 5_000_000_100_000);
        assert!(!c.pending());
        assert!(!record_change(&mut c, Some(T0), 5_000_000_000_000 + 1000, "redirect"), "the same change seen twice");
        assert!(record_change(&mut c, Some(T0 + 100_000), 5_000_001_000_000, "dialog"));
        assert!(c.pending());
        assert_eq!(c.baseline_ms, Some(T0 + 100_000));
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
