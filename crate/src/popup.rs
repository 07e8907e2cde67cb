//! The toolbar popup: a plain model built from the stored state (host-tested),
//! and a web-sys renderer for it (wasm only). Every page-derived string goes
//! through `set_text_content`.

use crate::app::ScanReport;
use crate::assess::Verdict;
use crate::storage::State;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Headline {
    NoScan,
    Protected,
    ReviewNeeded,
    CheckPending,
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopupModel {
    pub headline: Headline,
    /// "Protected", "Review needed: 2 unfamiliar", …
    pub title: String,
    /// "Last scan 3 min ago" or the reason the page could not be read.
    pub subtitle: String,
    /// ("Sessions", "5"), ("Online", "2"), ("Unfamiliar", "1")
    pub counts: Vec<(String, String)>,
    pub sessions: Vec<SessionLine>,
    pub trusted: Vec<TrustedLine>,
    pub notices: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionLine {
    pub verdict: String,
    pub title: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustedLine {
    pub fingerprint: String,
    pub label: String,
    pub detail: String,
}

pub fn ago(then: i64, now: i64) -> String {
    let s = ((now - then) / 1000).max(0);
    match s {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}

pub fn model(state: &State, now: i64) -> PopupModel {
    let mut m = PopupModel {
        headline: Headline::NoScan,
        title: "No scan yet".into(),
        subtitle: "Open your KuCoin security page: Session Guard reads the session list there.".into(),
        counts: Vec::new(),
        sessions: Vec::new(),
        trusted: state
            .trust
            .devices
            .iter()
            .map(|d| TrustedLine {
                fingerprint: d.fingerprint.clone(),
                label: d.label.clone(),
                detail: format!("{} · last seen {}", if d.describe.is_empty() { "device" } else { &d.describe }, ago(d.last_seen, now)),
            })
            .collect(),
        notices: state.notices.iter().map(|n| n.text.clone()).collect(),
        problems: Vec::new(),
    };
    let Some(scan) = &state.scan else { return m };
    fill_from_scan(&mut m, scan, now);
    m
}

fn fill_from_scan(m: &mut PopupModel, scan: &ScanReport, now: i64) {
    let s = &scan.summary;
    m.problems = s.problems.clone();
    if !s.readable {
        m.headline = Headline::Unreadable;
        m.title = "Could not read your security page".into();
        m.subtitle = format!(
            "Could not read the session list on this page ({}). Session Guard can't verify your sessions. Last try {}.",
            s.problems.first().map(String::as_str).unwrap_or("unknown layout"),
            ago(scan.at, now)
        );
        return;
    }
    m.counts = vec![
        ("Sessions".into(), s.sessions.to_string()),
        ("Online".into(), s.online.to_string()),
        ("Unfamiliar".into(), s.unfamiliar.to_string()),
    ];
    if s.unfamiliar > 0 || s.current_mismatch || s.trusted_by_kucoin_not_you > 0 {
        m.headline = Headline::ReviewNeeded;
        m.title = format!("Review needed: {} unfamiliar", s.unfamiliar + s.trusted_by_kucoin_not_you);
    } else {
        m.headline = Headline::Protected;
        m.title = "Protected".into();
    }
    m.subtitle = format!("Last scan {}", ago(scan.at, now));
    m.sessions = scan
        .rows
        .iter()
        .filter(|r| r.online || r.verdict == Verdict::Unfamiliar)
        .take(20)
        .map(|r| SessionLine {
            verdict: r.verdict.as_str().into(),
            title: format!("{}{}", r.describe, if r.online { " · online" } else { "" }),
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
        header.set_attribute("role", "status")?;
        add(&header, &el(&doc, "h1", "title", Some(&m.title))?)?;
        add(&header, &el(&doc, "p", "subtitle", Some(&m.subtitle))?)?;
        add(&root, &header)?;
        if !m.counts.is_empty() {
            let dl = el(&doc, "dl", "counts", None)?;
            for (k, v) in &m.counts {
                let div = el(&doc, "div", "count", None)?;
                add(&div, &el(&doc, "dt", "", Some(k))?)?;
                let dd = el(&doc, "dd", "", Some(v))?;
                dd.set_attribute("data-count", &k.to_ascii_lowercase())?; // fixed English names
                add(&div, &dd)?;
                add(&dl, &div)?;
            }
            add(&root, &dl)?;
        }
        for (title, class, lines) in [("Problems", "problems", &m.problems), ("Notices", "notices", &m.notices)] {
            if lines.is_empty() {
                continue;
            }
            let sec = el(&doc, "section", class, None)?;
            add(&sec, &el(&doc, "h2", "", Some(title))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for l in lines.iter() {
                add(&ul, &el(&doc, "li", "", Some(l))?)?;
            }
            add(&sec, &ul)?;
            add(&root, &sec)?;
        }
        if !m.sessions.is_empty() {
            let sec = el(&doc, "section", "sessions", None)?;
            add(&sec, &el(&doc, "h2", "", Some("Sessions to know about"))?)?;
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
            add(&sec, &el(&doc, "h2", "", Some("Your trusted devices"))?)?;
            let ul = el(&doc, "ul", "", None)?;
            for t in &m.trusted {
                let li = el(&doc, "li", "device", None)?;
                li.set_attribute("data-fingerprint", &t.fingerprint)?;
                add(&li, &el(&doc, "strong", "", Some(&t.label))?)?;
                add(&li, &el(&doc, "span", "detail", Some(&t.detail))?)?;
                add(&ul, &li)?;
            }
            add(&sec, &ul)?;
            add(&root, &sec)?;
        }
        let actions = el(&doc, "nav", "actions", None)?;
        let b = el(&doc, "button", "primary", Some("Open security page"))?;
        b.set_attribute("type", "button")?;
        b.set_attribute("data-action", "open-security")?;
        add(&actions, &b)?;
        add(&root, &actions)?;
        Ok(())
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
        assert_eq!(m.counts[0], ("Sessions".to_string(), "3".to_string()));
        s.scan.as_mut().unwrap().summary.unfamiliar = 1;
        assert_eq!(model(&s, 0).title, "Review needed: 1 unfamiliar");
    }
}
