//! The plan: what the content script must make the page look like.
//!
//! A plan is declarative — every mark and widget the page should carry after
//! this scan. The applier diffs it against what it applied last time, so a
//! re-render costs only the changed rows and stale marks disappear. Widget
//! kinds are a closed set rendered by `extension/widgets.js`; every text is a
//! plain string the applier sets with `textContent`.


#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Page kind as the core recognised it (`security`, `api`, `other`, …).
    pub page: String,
    /// Attribute marks: element id → (attribute, value).
    pub marks: Vec<Mark>,
    pub widgets: Vec<Widget>,
    /// Primitive steps to run now, in order (flows: click, wait, navigate).
    pub steps: Vec<Step>,
    /// `ltr` or `rtl`: widgets follow the page direction.
    pub dir: String,
    /// Keep observing the page for re-renders.
    pub watch: bool,
}
crate::json_struct!(Plan { page, marks, widgets, steps: default, dir, watch });

/// The attribute `extension/marks.css` draws a row's bar from (`current`,
/// `familiar`, `unfamiliar`, `flagged`, `high`, `medium`). Set only on lists of at
/// most `app::MAX_ROWS_WITH_INLINE` rows: a style rule on the attribute every row
/// carries (`data-session-guard`) made the browser restyle all 5,000 rows of a
/// long list at once (a 170 ms task); the DOM contract's attributes match no rule.
pub const BAR_ATTR: &str = "data-session-guard-bar";

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub id: u32,
    /// One of `data-session-guard`, `data-session-guard-event`, `data-session-guard-api`.
    pub attr: String,
    pub value: String,
}
crate::json_struct!(Mark { id, attr, value });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Before,
    After,
    Prepend,
    Append,
}
crate::json_enum!(Place { Before = "before", After = "after", Prepend = "prepend", Append = "append" });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line above a table: counts and state.
    Summary,
    /// Inline under a row: severity, reason, row buttons.
    Reason,
    /// First-visit explanation.
    Banner,
    /// The "Log out all devices" action block.
    Action,
    /// Progress of a running flow.
    Progress,
    /// A result card (session check).
    Result,
}
crate::json_enum!(Kind { Summary = "summary", Reason = "reason", Banner = "banner", Action = "action", Progress = "progress", Result = "result" });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Info,
    Warn,
    Danger,
}
crate::json_enum!(Tone { Ok = "ok", Info = "info", Warn = "warn", Danger = "danger" });

#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    /// Stable identity across scans (`summary:recent`, `row:<fingerprint>:<n>`).
    pub key: String,
    pub anchor: u32,
    pub place: Place,
    pub kind: Kind,
    pub tone: Tone,
    pub title: String,
    pub text: String,
    /// Extra lines (reasons, steps).
    pub items: Vec<String>,
    pub buttons: Vec<Button>,
    /// Extra attribute on the host element for the DOM contract
    /// (e.g. `data-session-guard-action="logout-all"`).
    pub host_attr: Option<(String, String)>,
}
crate::json_struct!(Widget { key, anchor, place, kind, tone, title, text, items: default, buttons: default, host_attr: default });

#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub label: String,
    /// Accessible name when the label alone is ambiguous.
    pub aria_label: String,
    pub style: ButtonStyle,
    /// Sent back to the core verbatim on a trusted click.
    pub action: Action,
    /// Ask first in our own dialog (destructive steps).
    pub confirm: Option<Confirm>,
    /// Ask for a name first (e.g. "This is me").
    pub prompt: Option<String>,
    /// Open the confirmation as soon as the widget is shown (a start the
    /// user asked for from the toolbar popup); Confirm still needs a
    /// trusted click.
    pub open: bool,
}
crate::json_struct!(Button { label, aria_label, style, action, confirm: default, prompt: default, open: default });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Danger,
}
crate::json_enum!(ButtonStyle { Primary = "primary", Secondary = "secondary", Danger = "danger" });

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub text: String,
    pub steps: Vec<String>,
    pub confirm_label: String,
    pub cancel_label: String,
}
crate::json_struct!(Confirm { title, text, steps: default, confirm_label, cancel_label });

/// What a button asks the core to do. Validated again when it comes back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Action {
    /// `trust`, `not_me`, `ack_event`, `ack_all`, `dismiss_banner`,
    /// `remove_device`, `logout_all`, `request_logout_all`, `cancel_flow`,
    /// `resume_flow`, `skip_device`, `open_password`, `dismiss_check`,
    /// `check_pages`, `stop_check_pages`.
    pub kind: String,
    pub device_text: String,
    pub ip: String,
    pub area: String,
    pub key: String,
    /// Snapshot id the action is about (e.g. the Remove button).
    pub target: u32,
    /// Text typed by the user in our own prompt (a device label).
    pub label: String,
    /// Browser tab the click came from; set by the background from the
    /// message sender (0 for the popup), never trusted from the page.
    pub tab: i64,
    /// `remove_device`: KuCoin's Confirm buttons on screen when the Remove
    /// button was offered. The single Remove starts without a snapshot, so
    /// this is what tells the pop-confirm it opens from a dialog already
    /// open ("Delete this passkey?"): those are never pressed.
    pub confirms: Vec<u32>,
}
crate::json_struct!(Action { kind, device_text: default, ip: default, area: default, key: default, target: default, label: default, tab: default, confirms: default });

/// A primitive step for the content script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Click element `id` (only ever after a trusted confirmation).
    Click { id: u32 },
    /// Rescan after `ms` (give the page time to open a dialog / re-render).
    Rescan { ms: u32 },
    /// Go to a same-site path.
    Navigate { path: String },
}

// Written as serde's internally tagged enums are: `{"op": "click", "id": 3}`.
const STEP_OPS: &[&str] = &["click", "rescan", "navigate"];

impl crate::json::ToJson for Step {
    fn write_json(&self, w: &mut crate::json::Writer) {
        let (op, name, v): (usize, &str, &dyn crate::json::ToJson) = match self {
            Step::Click { id } => (0, "id", id),
            Step::Rescan { ms } => (1, "ms", ms),
            Step::Navigate { path } => (2, "path", path),
        };
        let mut m = w.begin_obj();
        w.entry(&mut m, "op", &STEP_OPS[op]);
        w.entry(&mut m, name, v);
        w.end_obj();
    }
}

impl crate::json::FromJson for Step {
    fn placeholder() -> Self {
        Step::Click { id: 0 }
    }
    fn from_json(v: &crate::json::Json) -> Result<Self, crate::json::DecodeError> {
        use crate::json::field;
        let m = crate::json::obj(v)?;
        let op: &crate::json::Json = crate::json::member(m, "op").ok_or_else(|| crate::json::DecodeError::new("missing field `op`".into()))?;
        Ok(match crate::json::variant(op, STEP_OPS).map_err(|e| e.at("op"))? {
            0 => Step::Click { id: field(m, "id")? },
            1 => Step::Rescan { ms: field(m, "ms")? },
            _ => Step::Navigate { path: field(m, "path")? },
        })
    }
}

impl Plan {
    pub fn empty(page: &str) -> Plan {
        Plan { page: page.into(), marks: Vec::new(), widgets: Vec::new(), steps: Vec::new(), dir: "ltr".into(), watch: false }
    }
    pub fn mark(&mut self, id: u32, attr: &str, value: &str) {
        self.marks.push(Mark { id, attr: attr.into(), value: value.into() });
    }
    /// The bar of a row of a list of `rows` rows (`BAR_ATTR`), on short lists only.
    pub fn bar(&mut self, id: u32, value: &str, rows: usize) {
        if rows <= crate::app::MAX_ROWS_WITH_INLINE {
            self.mark(id, BAR_ATTR, value);
        }
    }
}

impl Button {
    pub fn new(label: &str, style: ButtonStyle, action: Action) -> Button {
        Button { label: label.into(), aria_label: String::new(), style, action, confirm: None, prompt: None, open: false }
    }
    pub fn aria(mut self, name: String) -> Button {
        self.aria_label = name;
        self
    }
}
