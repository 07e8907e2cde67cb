//! The toolbar popup: a plain model built from the stored state (host-tested),
//! and a web-sys renderer for it (wasm only). Every page-derived string goes
//! through `set_text_content`.

use crate::app::ScanReport;
use crate::assess::Verdict;
use crate::i18n::t;
use crate::storage::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    NoScan,
    Protected,
    ReviewNeeded,
    CheckPending,
    Unreadable,
}
crate::json_enum!(Headline { NoScan = "no_scan", Protected = "protected", ReviewNeeded = "review_needed", CheckPending = "check_pending", Unreadable = "unreadable" });

#[derive(Debug, Clone, PartialEq)]
pub struct PopupModel {
    pub headline: Headline,
    /// "Protected", "Review needed: 2 unfamiliar", …
    pub title: String,
    /// "Last scan 3 min ago" or the reason the page could not be read.
    pub subtitle: String,
    /// (stable id, label, value): ("sessions", "Sessions", "5"), …
    pub counts: Vec<(String, String, String)>,
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
crate::json_struct!(write_only PopupModel { headline, title, subtitle, counts, sessions, trusted, checklist, notices, problems, account, check, alerts, flow });

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
    pub verdict: String,
    pub title: String,
    pub detail: String,
}
crate::json_struct!(SessionLine { verdict, title, detail });

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
        60..=3599 => t("ago_min", &[&(s / 60).to_string()]),
        3600..=86_399 => t("ago_h", &[&(s / 3600).to_string()]),
        _ => t("ago_d", &[&(s / 86_400).to_string()]),
    }
}

pub fn model(state: &State, now: i64) -> PopupModel {
    let mut m = PopupModel {
        headline: Headline::NoScan,
        title: t("popup_no_scan_title", &[]),
        subtitle: t("popup_no_scan_text", &[]),
        counts: Vec::new(),
        sessions: Vec::new(),
        trusted: state
            .trust
            .devices
            .iter()
            .map(|d| TrustedLine {
                fingerprint: d.fingerprint.clone(),
                label: d.label.clone(),
                detail: t("popup_last_seen", &[&if d.describe.is_empty() { t("popup_device", &[]) } else { d.describe.clone() }, &ago(d.last_seen, now)]),
            })
            .collect(),
        notices: state.notices.iter().map(|n| n.text.clone()).collect(),
        problems: Vec::new(),
        checklist: checklist(state, now),
        account: state.scan.as_ref().map(|s| s.account.clone()).unwrap_or_default(),
        check: check_line(state, now),
        alerts: state.checks.alerts.iter().rev().take(5).map(|a| alert_line(a, now)).collect(),
        flow: state.flow.as_ref().map(crate::flow::popup_line),
    };
    if let Some(scan) = &state.scan {
        fill_from_scan(&mut m, scan, now);
    }
    // The password-change check outranks an older scan.
    match m.check.as_ref().map(|c| c.state.as_str()) {
        Some("pending") | Some("overdue") => {
            m.headline = Headline::CheckPending;
            m.title = t("pwcheck_pending_title", &[]);
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
    let item = |id, key: &str, st: CheckState, detail: String, link| ChecklistItem { id, label: t(key, &[]), state: st, detail, link };
    let mut out = Vec::new();
    out.push(match state.scan.as_ref() {
        Some(s) => item("review_sessions", "check_review_sessions", if now - s.at < 30 * DAY { CheckState::Done } else { CheckState::Todo }, t("check_last_review", &[&ago(s.at, now)]), "/account/security?showLoginRecord=1"),
        None => item("review_sessions", "check_review_sessions", CheckState::Todo, open.clone(), "/account/security?showLoginRecord=1"),
    });
    out.push(item(
        "no_unfamiliar_online",
        "check_no_unfamiliar_online",
        scan.map(|s| if s.summary.unfamiliar_online == 0 && !s.summary.current_mismatch { CheckState::Done } else { CheckState::Todo }).unwrap_or(CheckState::Unknown),
        String::new(),
        "/account/security?showLoginRecord=1",
    ));
    let last_suspicious = state.trust.suspects.iter().map(|s| s.marked_at).max();
    let changed = state.checks.password_changed_at;
    out.push(match (last_suspicious, changed) {
        (None, _) => item("password_after_suspicious", "check_password_after_suspicious", CheckState::Done, t("check_no_suspicious", &[]), "/account/security/updatepwd"),
        (Some(s), Some(c)) if c > s => item("password_after_suspicious", "check_password_after_suspicious", CheckState::Done, String::new(), "/account/security/updatepwd"),
        _ => item("password_after_suspicious", "check_password_after_suspicious", CheckState::Todo, String::new(), "/account/security/updatepwd"),
    });
    out.push(item("two_factor", "check_two_factor", state_of(settings.google_2fa), if scan.is_none() { open.clone() } else { String::new() }, "/account/security/g2fa"));
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
    out.push(match state.api.as_ref() {
        Some(a) => item("api_reviewed", "check_api_reviewed", if now - a.at < 30 * DAY { CheckState::Done } else { CheckState::Todo }, t("check_last_review", &[&ago(a.at, now)]), "/account/api"),
        None => item("api_reviewed", "check_api_reviewed", CheckState::Unknown, String::new(), "/account/api"),
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
        if !r.passed {
            lines.extend(crate::check::advice());
        }
        lines.extend(r.unverified.iter().map(|u| t("pwcheck_not_verified", &[u])));
        return Some(CheckLine { state: if r.passed { "passed" } else { "failed" }.into(), title: crate::check::headline(r), lines });
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
        t("count_api_high", &[&a.keys.to_string(), &a.high.to_string()])
    } else {
        a.keys.to_string()
    };
    Some(("api".into(), t("count_api", &[]), value))
}

fn fill_from_scan(m: &mut PopupModel, scan: &ScanReport, now: i64) {
    let s = &scan.summary;
    m.problems = s.problems.clone();
    if !s.readable {
        m.headline = Headline::Unreadable;
        m.title = t("popup_unreadable_title", &[]);
        m.subtitle = t("popup_unreadable_text", &[&s.problems.first().cloned().unwrap_or_else(|| t("popup_unknown_layout", &[])), &ago(scan.at, now)]);
        return;
    }
    m.counts = vec![
        ("sessions".into(), t("count_sessions", &[]), s.sessions.to_string()),
        ("online".into(), t("count_online", &[]), s.online.to_string()),
        ("unfamiliar".into(), t("count_unfamiliar", &[]), s.unfamiliar.to_string()),
    ];
    if s.unfamiliar > 0 || s.current_mismatch || s.trusted_by_kucoin_not_you > 0 {
        m.headline = Headline::ReviewNeeded;
        // The same number as the "Unfamiliar" count below; devices KuCoin trusts
        // but the user does not are listed under it.
        let n = if s.unfamiliar > 0 { s.unfamiliar } else { s.trusted_by_kucoin_not_you.max(1) };
        m.title = t("popup_review_title", &[&n.to_string()]);
    } else {
        m.headline = Headline::Protected;
        m.title = t("popup_protected_title", &[]);
    }
    m.subtitle = t("popup_last_scan", &[&ago(scan.at, now)]);
    m.sessions = scan
        .rows
        .iter()
        // This browser once (its Trusted Devices row repeats the Recent Logins one).
        .filter(|r| r.verdict == Verdict::Unfamiliar || (r.online && r.table == crate::extract::TableKind::RecentLogins))
        .take(20)
        .map(|r| SessionLine {
            verdict: r.verdict.as_str().into(),
            title: if r.online { t("popup_online_suffix", &[&r.describe]) } else { r.describe.clone() },
            detail: r.reason.clone(),
        })
        .collect();
}

#[cfg(target_arch = "wasm32")]
pub mod dom {
    //! Render a `PopupModel` with web-sys. Text only.
    use super::*;
    use wasm_bindgen::JsValue;
    use web_sys::{Document, Element};

    fn el(doc: &Document, tag: &str, class: &str, text: Option<&str>) -> Result<Element, JsValue> {
        let e = doc.create_element(tag)?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if let Some(t) = text {
            e.set_text_content(Some(t));
        }
        Ok(e)
    }

    fn add(parent: &Element, child: &Element) -> Result<(), JsValue> {
        parent.append_child(child)?;
        Ok(())
    }

    pub fn render(root: &Element, m: &PopupModel) -> Result<(), JsValue> {
        let doc = root.owner_document().ok_or("no document")?;
        root.set_text_content(None);
        let header = el(&doc, "header", "status", None)?;
        let headline = match m.headline {
            Headline::NoScan => "no-scan",
            Headline::Protected => "protected",
            Headline::ReviewNeeded => "review",
            Headline::CheckPending => "pending",
            Headline::Unreadable => "unreadable",
        };
        header.set_attribute("data-state", headline)?;
        add(&header, &el(&doc, "h1", "title", Some(&m.title))?)?;
        add(&header, &el(&doc, "p", "subtitle", Some(&m.subtitle))?)?;
        if !m.account.is_empty() {
            let acct = el(&doc, "p", "account", Some(&m.account))?;
            acct.set_attribute("data-account", &m.account)?;
            add(&header, &acct)?;
        }
        add(&root, &header)?;
        if let Some(c) = &m.check {
            let sec = el(&doc, "section", "check", None)?;
            sec.set_attribute("data-check", &c.state)?;
            add(&sec, &el(&doc, "h2", "", Some(&c.title))?)?;
            if !c.lines.is_empty() {
                let ul = el(&doc, "ul", "", None)?;
                for l in &c.lines {
                    add(&ul, &el(&doc, "li", "", Some(l))?)?;
                }
                add(&sec, &ul)?;
            }
            add(&root, &sec)?;
        }
        if !m.alerts.is_empty() {
            let sec = el(&doc, "section", "alerts", None)?;
            sec.set_attribute("role", "alert")?;
            add(&sec, &el(&doc, "h2", "", Some(&t("popup_alerts", &[])))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for l in &m.alerts {
                let li = el(&doc, "li", "alert", Some(l))?;
                li.set_attribute("data-severity", "high")?;
                add(&ul, &li)?;
            }
            add(&sec, &ul)?;
            add(&root, &sec)?;
        }
        if let Some(f) = &m.flow {
            add(&root, &el(&doc, "p", "flow", Some(f))?)?;
        }
        if !m.counts.is_empty() {
            let dl = el(&doc, "dl", "counts", None)?;
            for (id, k, v) in &m.counts {
                let div = el(&doc, "div", "count", None)?;
                add(&div, &el(&doc, "dt", "", Some(k))?)?;
                let dd = el(&doc, "dd", "", Some(v))?;
                dd.set_attribute("data-count", id)?;
                add(&div, &dd)?;
                add(&dl, &div)?;
            }
            add(&root, &dl)?;
        }
        for (title, class, lines) in [(t("popup_problems", &[]), "problems", &m.problems), (t("popup_notices", &[]), "notices", &m.notices)] {
            if lines.is_empty() {
                continue;
            }
            let sec = el(&doc, "section", class, None)?;
            add(&sec, &el(&doc, "h2", "", Some(&title))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for l in lines.iter() {
                add(&ul, &el(&doc, "li", "", Some(l))?)?;
            }
            add(&sec, &ul)?;
            add(&root, &sec)?;
        }
        if !m.sessions.is_empty() {
            let sec = el(&doc, "section", "sessions", None)?;
            add(&sec, &el(&doc, "h2", "", Some(&t("popup_sessions", &[])))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for s in &m.sessions {
                let li = el(&doc, "li", "session", None)?;
                li.set_attribute("data-verdict", &s.verdict)?;
                add(&li, &el(&doc, "strong", "", Some(&s.title))?)?;
                add(&li, &el(&doc, "span", "detail", Some(&s.detail))?)?;
                add(&ul, &li)?;
            }
            add(&sec, &ul)?;
            add(&root, &sec)?;
        }
        if !m.trusted.is_empty() {
            let sec = el(&doc, "section", "trusted", None)?;
            add(&sec, &el(&doc, "h2", "", Some(&t("popup_trusted", &[])))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for d in &m.trusted {
                let li = el(&doc, "li", "device", None)?;
                li.set_attribute("data-fingerprint", &d.fingerprint)?;
                add(&li, &el(&doc, "strong", "label", Some(&d.label))?)?;
                add(&li, &el(&doc, "span", "detail", Some(&d.detail))?)?;
                let row = el(&doc, "span", "row", None)?;
                add(&row, &button(&doc, "rename", &t("btn_rename", &[]), &t("aria_rename", &[&d.label]), Some(&d.fingerprint))?)?;
                add(&row, &button(&doc, "forget", &t("btn_forget", &[]), &t("aria_forget", &[&d.label]), Some(&d.fingerprint))?)?;
                add(&li, &row)?;
                add(&ul, &li)?;
            }
            add(&sec, &ul)?;
            add(&sec, &button(&doc, "forget-all", &t("btn_forget_all", &[]), "", None)?)?;
            add(&root, &sec)?;
        }
        let sec = el(&doc, "section", "checklist", None)?;
        add(&sec, &el(&doc, "h2", "", Some(&t("popup_checklist", &[])))?)?;
        let ul = el(&doc, "ul", "", None)?;
        for c in &m.checklist {
            let li = el(&doc, "li", "check-item", None)?;
            let st = match c.state {
                CheckState::Done => "done",
                CheckState::Todo => "todo",
                CheckState::Unknown => "unknown",
                CheckState::Info => "info",
            };
            li.set_attribute("data-check", c.id)?;
            li.set_attribute("data-state", st)?;
            let a = el(&doc, "a", "", Some(&c.label))?;
            a.set_attribute("href", &format!("https://www.kucoin.com{}", c.link))?;
            a.set_attribute("data-action", "open-link")?;
            add(&li, &a)?;
            add(&li, &el(&doc, "span", "state", Some(&t(&format!("check_state_{st}"), &[])))?)?;
            if !c.detail.is_empty() {
                add(&li, &el(&doc, "span", "detail", Some(&c.detail))?)?;
            }
            add(&ul, &li)?;
        }
        add(&sec, &ul)?;
        add(&root, &sec)?;
        let actions = el(&doc, "nav", "actions", None)?;
        actions.set_attribute("aria-label", &t("extName", &[]))?;
        let b = button(&doc, "open-security", &t("btn_open_security", &[]), "", None)?;
        b.set_class_name("primary");
        add(&actions, &b)?;
        for (action, key) in [("export", "btn_export"), ("import", "btn_import"), ("clear-all", "btn_clear_all")] {
            add(&actions, &button(&doc, action, &t(key, &[]), "", None)?)?;
        }
        let b = el(&doc, "button", "danger", Some(&t("btn_logout_all", &[])))?;
        b.set_attribute("type", "button")?;
        b.set_attribute("data-action", "logout-all")?;
        b.set_attribute("aria-label", &t("aria_logout_all_popup", &[]))?;
        add(&actions, &b)?;
        add(&root, &actions)?;
        let status = el(&doc, "p", "message", None)?;
        status.set_attribute("role", "status")?;
        status.set_attribute("id", "message")?;
        add(&root, &status)?;
        Ok(())
    }

    fn button(doc: &Document, action: &str, label: &str, aria: &str, fingerprint: Option<&str>) -> Result<Element, JsValue> {
        let b = el(doc, "button", "", Some(label))?;
        b.set_attribute("type", "button")?;
        b.set_attribute("data-action", action)?;
        if !aria.is_empty() {
            b.set_attribute("aria-label", aria)?;
        }
        if let Some(f) = fingerprint {
            b.set_attribute("data-fingerprint", f)?;
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Summary;

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
