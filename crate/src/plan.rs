//! The plan: what the content script must make the page look like.
//!
//! A plan is declarative — every mark and widget the page should carry after
//! this scan. The applier diffs it against what it applied last time, so a
//! re-render costs only the changed rows and stale marks disappear. Widget
//! kinds are a closed set rendered by `extension/widgets.js`; every text is a
//! plain string the applier sets with `textContent`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Page kind as the core recognised it (`security`, `api`, `other`, …).
    pub page: String,
    /// Attribute marks: element id → (attribute, value).
    pub marks: Vec<Mark>,
    pub widgets: Vec<Widget>,
    /// Primitive steps to run now, in order (flows: click, wait, navigate).
    #[serde(default)]
    pub steps: Vec<Step>,
    /// `ltr` or `rtl`: widgets follow the page direction.
    pub dir: String,
    /// Keep observing the page for re-renders.
    pub watch: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub id: u32,
    /// One of `data-session-guard`, `data-session-guard-event`, `data-session-guard-api`.
    pub attr: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Before,
    After,
    Prepend,
    Append,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Ok,
    Info,
    Warn,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub buttons: Vec<Button>,
    /// Extra attribute on the host element for the DOM contract
    /// (e.g. `data-session-guard-action="logout-all"`).
    #[serde(default)]
    pub host_attr: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    /// Accessible name when the label alone is ambiguous.
    pub aria_label: String,
    pub style: ButtonStyle,
    /// Sent back to the core verbatim on a trusted click.
    pub action: Action,
    /// Ask first in our own dialog (destructive steps).
    #[serde(default)]
    pub confirm: Option<Confirm>,
    /// Ask for a name first (e.g. "This is me").
    #[serde(default)]
    pub prompt: Option<String>,
    /// Open the confirmation as soon as the widget is shown (a start the
    /// user asked for from the toolbar popup); Confirm still needs a
    /// trusted click.
    #[serde(default)]
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirm {
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub steps: Vec<String>,
    pub confirm_label: String,
    pub cancel_label: String,
}

/// What a button asks the core to do. Validated again when it comes back.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// `trust`, `not_me`, `ack_event`, `ack_all`, `dismiss_banner`,
    /// `remove_device`, `logout_all`, `request_logout_all`, `cancel_flow`,
    /// `resume_flow`, `skip_device`, `open_password`, `dismiss_check`.
    pub kind: String,
    #[serde(default)]
    pub device_text: String,
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub key: String,
    /// Snapshot id the action is about (e.g. the Remove button).
    #[serde(default)]
    pub target: u32,
    /// Text typed by the user in our own prompt (a device label).
    #[serde(default)]
    pub label: String,
    /// Browser tab the click came from; set by the background from the
    /// message sender (0 for the popup), never trusted from the page.
    #[serde(default)]
    pub tab: i64,
}

/// A primitive step for the content script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Step {
    /// Click element `id` (only ever after a trusted confirmation).
    Click { id: u32 },
    /// Rescan after `ms` (give the page time to open a dialog / re-render).
    Rescan { ms: u32 },
    /// Go to a same-site path.
    Navigate { path: String },
}

impl Plan {
    pub fn empty(page: &str) -> Plan {
        Plan { page: page.into(), marks: Vec::new(), widgets: Vec::new(), steps: Vec::new(), dir: "ltr".into(), watch: false }
    }
    pub fn mark(&mut self, id: u32, attr: &str, value: &str) {
        self.marks.push(Mark { id, attr: attr.into(), value: value.into() });
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
