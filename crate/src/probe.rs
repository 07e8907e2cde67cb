//! Finding the controls a flow needs on a snapshot: KuCoin's remove-device
//! pop-confirm, a native "log out all" control and its dialog, error
//! toasts, the change-password success dialog, the sign-in "Login
//! Confirmation" dialog.
//!
//! Like `extract`, nothing here depends on class names: controls are found
//! by their labels in any of the 24 languages (`labels`), by ARIA roles and
//! by structure. Only visible elements count, so a page cannot make a flow
//! press something nobody sees. Input *values* are not in snapshots at all;
//! `has_password_field` looks at the `type` attribute only.

use crate::labels::{self, key};
use crate::snapshot::Tree;

/// The remove-device question, in KuCoin's words.
pub const REMOVE_QUESTION: &str = "Are you sure to remove the device?";
/// Title of KuCoin's change-password success dialog, and its text.
pub const PASSWORD_CHANGED: &str = "Login Password Changed";
pub const PASSWORD_CHANGED_TEXT: &str = "Your login password has been updated. Please log in again.";
/// The sign-in dialog shown when another web session is signed in.
pub const LOGIN_CONFIRMATION: &str = "Login Confirmation";
pub const ANOTHER_DEVICE: &str = "Another computer device is currently logged in.";

/// Labels of a native "log out everywhere" control (crate/data/extra-labels.tsv).
pub const NATIVE_KEYS: &[&str] = &[
    "Log out all devices",
    "Sign out all",
    "End all sessions",
    "Revoke sessions",
    "Terminate all other sessions",
    "Deauthorize all other devices",
    "Log out of all devices",
    "Sign out of all devices",
];

/// Labels that confirm a dialog (besides the native control's own label).
pub const CONFIRM_KEYS: &[&str] = &[key::CONFIRM, "OK", "Yes", "Continue", "Log out", "Sign out"];

/// Labels of a pop-confirm's confirm button: KuCoin's "Confirm", or the "OK"
/// of KuCoin's older Ant Design generation, whose `ant-popconfirm` shows its
/// own default `okText` in the page language ("OK", "确定", "Đồng ý", "ঠিক"
/// …: the "OK (Ant Design)" row of crate/data/extra-labels.tsv).
pub const POPCONFIRM_KEYS: &[&str] = &[key::CONFIRM, "OK", "OK (Ant Design)"];

/// Longest text a control's label may have (a button, not a paragraph).
const MAX_LABEL: usize = 120;

pub struct Probe<'a> {
    pub tree: &'a Tree<'a>,
}

impl<'a> Probe<'a> {
    pub fn new(tree: &'a Tree<'a>) -> Self {
        Probe { tree }
    }

    fn visible(&self, pos: usize) -> bool {
        !self.tree.hidden[pos]
    }

    fn id(&self, pos: usize) -> u32 {
        self.tree.node(pos).id
    }

    fn is_button(&self, pos: usize) -> bool {
        is_button_node(self.tree.node(pos))
    }

    fn is_disabled(&self, pos: usize) -> bool {
        self.tree.node(pos).attr("disabled").is_some()
    }

    /// What a control says: its text, else its `aria-label` / `title`.
    pub fn control_text(&self, pos: usize) -> String {
        let t = self.tree.text(pos);
        if !t.is_empty() {
            return t;
        }
        let n = self.tree.node(pos);
        n.attr("aria-label").or_else(|| n.attr("title")).unwrap_or("").to_string()
    }

    /// Visible buttons inside `pos` (positions, document order).
    fn buttons_in(&self, pos: usize) -> Vec<usize> {
        let mut b = Vec::new();
        for p in self.tree.buttons(pos) {
            if self.visible(p) {
                b.push(p);
            }
        }
        b
    }

    fn labelled(&self, pos: usize, keys: &[&str]) -> bool {
        let t = self.control_text(pos);
        crate::util::char_count(&t) <= MAX_LABEL && labels::is_label(&t, keys)
    }

    /// Visible text pieces (positions) whose text satisfies `f`.
    fn texts_where(&self, f: impl Fn(&str) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        for i in 0..self.tree.len() {
            let n = self.tree.node(i);
            if n.is_text() && !n.text.is_empty() && self.visible(i) && n.text.len() < 2000 && f(&n.text) {
                out.push(i);
            }
        }
        out
    }

    /// Visible buttons labelled Confirm (or OK, `POPCONFIRM_KEYS`): taken when
    /// Remove is pressed, so a Confirm already on screen then (another pop-confirm, a dialog of
    /// KuCoin's the user opened) is never taken for the one Remove opens.
    pub fn confirm_buttons(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for i in 0..self.tree.len() {
            if self.is_button(i) && self.visible(i) && self.labelled(i, POPCONFIRM_KEYS) {
                out.push(self.id(i));
            }
        }
        out
    }

    /// The Confirm button of KuCoin's "Are you sure to remove the device?"
    /// pop-confirm, when one is open. Found from the question upwards (the
    /// nearest ancestor holding buttons), the button by its label. Without the
    /// question (reworded), a visible tooltip / dialog holding exactly a
    /// Cancel and a Confirm button (kits render a pop-confirm as either).
    /// `before`: Confirm buttons on screen before Remove was pressed
    /// (`confirm_buttons`), never the answer: a dialog of KuCoin's already open
    /// ("Delete this passkey?") asks something else. The question in a text
    /// whose nearest buttons hold no Confirm (a device named like it, in its
    /// row) is passed over. A disabled Confirm (a loading or countdown state)
    /// is not one yet: pressing it does nothing, and the run would then wait
    /// for a removal that was never asked for.
    pub fn remove_popconfirm(&self, before: &[u32]) -> Option<u32> {
        for q in self.texts_where(|t| labels::contains_label(t, REMOVE_QUESTION)) {
            for a in self.tree.ancestors(q).take(6) {
                let btns = self.buttons_in(a);
                if btns.is_empty() {
                    continue;
                }
                for &b in btns.iter().rev() {
                    if self.labelled(b, POPCONFIRM_KEYS) && !before.contains(&self.id(b)) && !self.is_disabled(b) {
                        return Some(self.id(b));
                    }
                }
                break;
            }
        }
        for i in 0..self.tree.len() {
            let n = self.tree.node(i);
            if !self.visible(i) || !matches!(n.attr("role"), Some("tooltip") | Some("dialog") | Some("alertdialog")) {
                continue;
            }
            let btns = self.buttons_in(i);
            if btns.len() == 2 && self.labelled(btns[0], &[key::CANCEL]) && self.labelled(btns[1], POPCONFIRM_KEYS) && !before.contains(&self.id(btns[1])) && !self.is_disabled(btns[1]) {
                return Some(self.id(btns[1]));
            }
        }
        None
    }

    /// A native "log out all devices" control: (id, its label).
    pub fn native_logout(&self) -> Option<(u32, String)> {
        for i in 0..self.tree.len() {
            if self.is_button(i) && self.visible(i) && !self.is_disabled(i) && self.labelled(i, NATIVE_KEYS) {
                return Some((self.id(i), crate::extract::clip(&self.control_text(i))));
            }
        }
        None
    }

    /// Open dialogs (role dialog / alertdialog or aria-modal), newest
    /// (last in the document) first: (container id, its confirm button).
    pub fn dialogs(&self) -> Vec<(u32, Option<u32>)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tree.len() {
            let n = self.tree.node(i);
            let is_dialog = matches!(n.attr("role"), Some("dialog") | Some("alertdialog")) || n.attr("aria-modal") == Some("true");
            if is_dialog && self.visible(i) {
                let mut confirm = None;
                for &b in self.buttons_in(i).iter().rev() {
                    if !self.is_disabled(b) && (self.labelled(b, CONFIRM_KEYS) || self.labelled(b, NATIVE_KEYS)) {
                        confirm = Some(self.id(b));
                        break;
                    }
                }
                out.push((n.id, confirm));
                i = self.tree.end[i];
                continue;
            }
            i += 1;
        }
        out.reverse();
        out
    }

    /// Is element `id` still on the page and visible?
    pub fn shown(&self, id: u32) -> bool {
        self.tree.pos(id).is_some_and(|p| self.visible(p))
    }

    /// Visible error messages: `role=alert` elements, or toast-like
    /// elements whose class says error / fail. Texts, clipped.
    ///
    /// A `role=alert` message that says success by its class (its own or
    /// an icon's inside: "…-success", antd's "check-circle" icon) is not an
    /// error: KuCoin's component libraries announce "Deleted successfully"
    /// in the same live region as failures, and the flow would otherwise
    /// stop on it. Error words win over success words in one message.
    pub fn error_messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tree.len() {
            let n = self.tree.node(i);
            let class = n.attr("class").unwrap_or("").to_ascii_lowercase();
            let toastish = ["toast", "snackbar", "notification", "notice", "message"].iter().any(|k| crate::util::has(&class, k));
            if !n.is_text() && self.visible(i) && (n.attr("role") == Some("alert") || (toastish && errorish(&class))) {
                let t = self.tree.text(i);
                if !t.is_empty() && !self.says_success(i) {
                    out.push(crate::extract::clip_to(&t, 200));
                }
                i = self.tree.end[i];
                continue;
            }
            i += 1;
        }
        out
    }

    /// Every word of message `i` is said to be a success, and nothing in it
    /// is classed error: each text (a button's or link's aside) lies in an
    /// element classed success ("KuxAlert-success", antd's
    /// "ant-message-success"), or beside an icon that is (classed so, or
    /// labelled "check-circle"), under the same parent. One success element
    /// does not vouch for the whole message: a live region holding a fading
    /// "Deleted successfully" and a new failure, or a failure with a "Retry"
    /// link classed "btn-success", is an error. (Two passes over the
    /// message: linear in its size.)
    fn says_success(&self, i: usize) -> bool {
        let end = self.tree.end[i];
        let texts = self.tree.word_counts(i);
        // covers[k]: the end of the furthest success subtree starting at i + k
        let mut covers: Vec<usize> = vec![0; end - i];
        let mut j = i;
        while j < end {
            let n = self.tree.node(j);
            if n.is_text() {
                j += 1;
                continue;
            }
            let class = n.attr("class").unwrap_or("").to_ascii_lowercase();
            if errorish(&class) {
                return false;
            }
            if j != i && self.is_button(j) {
                // (what a control inside says is not the message's)
                j = self.tree.end[j];
                continue;
            }
            let label = n.attr("aria-label").unwrap_or("").to_ascii_lowercase();
            if successish(&class) || successish(&label) {
                let holds_text = texts[self.tree.end[j] - i] != texts[j - i];
                let at = if holds_text || j == i { j } else { self.tree.parent[j] };
                if at >= i && at < end {
                    covers[at - i] = covers[at - i].max(self.tree.end[at]);
                }
            }
            j += 1;
        }
        let mut covered_to = 0;
        let mut any = false;
        let mut j = i;
        while j < end {
            covered_to = covered_to.max(covers[j - i]);
            let n = self.tree.node(j);
            if j != i && !n.is_text() && self.is_button(j) {
                j = self.tree.end[j];
                continue;
            }
            if n.is_text() && !crate::util::trim_with(&n.text, crate::net::is_trim).is_empty() {
                if j >= covered_to {
                    return false;
                }
                any = true;
            }
            j += 1;
        }
        any
    }

    /// The page holds a password field (its `type`, never its value).
    pub fn has_password_field(&self) -> bool {
        (0..self.tree.len()).any(|i| {
            let n = self.tree.node(i);
            n.tag == "input" && n.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("password"))
        })
    }

    /// KuCoin's "Login Password Changed" dialog is shown.
    pub fn password_changed(&self) -> bool {
        !self
            .texts_where(|t| labels::is_label(t, &[PASSWORD_CHANGED]) || labels::contains_label(t, PASSWORD_CHANGED_TEXT))
            .is_empty()
    }

    /// The sign-in "Login Confirmation — Another computer device is
    /// currently logged in" dialog is shown.
    pub fn login_confirmation(&self) -> bool {
        !self
            .texts_where(|t| labels::contains_label(t, ANOTHER_DEVICE) || (labels::is_label(t, &[LOGIN_CONFIRMATION])))
            .is_empty()
    }

    /// The element of the first visible text that is exactly the label of `key`.
    pub fn label_element(&self, key: &str) -> Option<u32> {
        self.texts_where(|t| labels::is_label(t, &[key])).first().map(|&p| self.id(self.tree.element_of(p)))
    }
}

/// The page's Confirm buttons, read from the snapshot without indexing it
/// (`Tree`): a scan offering an inline Remove records them in its action
/// (`Action::confirms`), and on a page of thousands of rows the tree would
/// cost that scan more than the rest of it. A button (`button`, `role=button`,
/// a link) labelled Confirm or OK (`POPCONFIRM_KEYS`) in any language by its
/// `aria-label` / `title`, or holding such a text up to 3 levels down. Hidden
/// ones too: the list only ever keeps buttons from being pressed, so a wider
/// list is the safe side.
pub fn confirm_candidates(snap: &crate::snapshot::Snapshot) -> Vec<u32> {
    let says = |t: &str| crate::util::char_count(t) <= MAX_LABEL && labels::is_label(t, POPCONFIRM_KEYS);
    let mut out = Vec::new();
    // The open ancestor chain (snapshots are in pre-order, as `Tree` checks):
    // (id, is a button). A text is only read when a button holds it, so a
    // page of thousands of rows costs one pass and no label lookups.
    let mut open: Vec<(u32, bool)> = Vec::new();
    for n in &snap.nodes {
        while open.last().is_some_and(|&(id, _)| id != n.parent) {
            open.pop();
        }
        if n.is_text() {
            let mut held = None;
            for &(id, button) in open.iter().rev().take(3) {
                if button {
                    held = Some(id);
                    break;
                }
            }
            if let Some(id) = held.filter(|_| says(&n.text)) {
                if out.last() != Some(&id) {
                    out.push(id);
                }
            }
            continue;
        }
        let button = is_button_node(n);
        if button && (n.attr("aria-label").is_some_and(says) || n.attr("title").is_some_and(says)) {
            out.push(n.id);
        }
        open.push((n.id, button));
    }
    out
}

/// A control: a `button`, `role=button`, or a link.
fn is_button_node(n: &crate::snapshot::Node) -> bool {
    n.tag == "button" || n.attr("role") == Some("button") || (n.tag == "a" && n.attr("href").is_some())
}

/// A class list that says error / fail / danger (lower-cased).
fn errorish(class: &str) -> bool {
    ["error", "fail", "danger", "unsuccess"].iter().any(|k| crate::util::has(class, k))
}

/// A class list or an icon's label that says success (lower-cased):
/// "…-success", antd's "check-circle"; never "unsuccessful".
fn successish(s: &str) -> bool {
    (crate::util::has(s, "success") && !crate::util::has(s, "unsuccess")) || crate::util::has(s, "check-circle")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::build::B;
    use crate::snapshot::Tree;

    fn popconfirm(b: &mut B, body: u32, q: &str, cancel: &str, ok: &str) -> u32 {
        let pop = b.el(body, "div", &[("class", "KuxPopover-root css-1"), ("role", "tooltip")]);
        let content = b.el(pop, "div", &[]);
        b.el_text(content, "div", q);
        let btns = b.el(content, "div", &[]);
        b.el_text(btns, "button", cancel);
        b.el_text(btns, "button", ok)
    }

    #[test]
    fn finds_the_popconfirm_confirm_in_any_language() {
        for (q, c, ok) in [
            ("Are you sure to remove the device?", "Cancel", "Confirm"),
            ("Вы действительно хотите удалить устройство?", "Отменить", "Подтвердить"),
            ("您确认要移除此设备吗?", "取消", "确认"),
        ] {
            let mut b = B::new("https://www.kucoin.com/account/security");
            let body = b.el(0, "body", &[]);
            let ok_id = popconfirm(&mut b, body, q, c, ok);
            let tree = Tree::new(&b.snap).unwrap();
            assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), Some(ok_id), "{q}");
        }
    }

    #[test]
    fn a_hidden_popconfirm_is_not_pressed() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        popconfirm(&mut b, body, "Are you sure to remove the device?", "Cancel", "Confirm");
        b.snap.nodes[1].hidden = true;
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), None);
    }

    #[test]
    fn only_a_new_pop_over_answers_for_the_remove_press() {
        // A device named like the question, in its row (with its Remove), before the pop-confirm.
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let row = b.el(body, "div", &[]);
        b.el_text(row, "span", "Are you sure to remove the device?");
        b.el_text(row, "button", "Remove");
        let ok = popconfirm(&mut b, body, "Are you sure to remove the device?", "Cancel", "Confirm");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), Some(ok));
        // A Confirm on screen before Remove was pressed is not the answer.
        assert_eq!(Probe::new(&tree).confirm_buttons(), vec![ok]);
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[ok]), None);
        // Without the question: a dialog's Cancel / Confirm answers only when it
        // opened after Remove was pressed.
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let d = b.el(body, "div", &[("role", "dialog"), ("aria-modal", "true")]);
        b.el_text(d, "h2", "Delete this passkey?");
        b.el_text(d, "button", "Cancel");
        let ok = b.el_text(d, "button", "Confirm");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[ok]), None);
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), Some(ok));
        // ... a reworded pop-over's is.
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let ok = popconfirm(&mut b, body, "Remove this device from the list?", "Cancel", "Confirm");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).remove_popconfirm(&[]), Some(ok));
    }

    #[test]
    fn native_control_and_dialog() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        b.el_text(body, "button", "Log out");
        let native = b.el_text(body, "button", "Sign out of all devices");
        let tree = Tree::new(&b.snap).unwrap();
        let p = Probe::new(&tree);
        assert_eq!(p.native_logout().map(|x| x.0), Some(native));
        assert!(p.dialogs().is_empty());
        let dlg = b.el(body, "div", &[("role", "dialog")]);
        b.el_text(dlg, "p", "All other sessions will end.");
        b.el_text(dlg, "button", "Cancel");
        let ok = b.el_text(dlg, "button", "Confirm");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).dialogs(), vec![(dlg, Some(ok))]);
    }

    #[test]
    fn errors_success_and_password_fields() {
        let mut b = B::new("https://www.kucoin.com/account/security/updatepwd");
        let body = b.el(0, "body", &[]);
        let hidden_alert = b.el_text(body, "div", "Please enter your email");
        b.snap.nodes.iter_mut().find(|n| n.id == hidden_alert).unwrap().attrs = vec![("role".into(), "alert".into()), ("hidden".into(), "".into())];
        b.snap.nodes.iter_mut().find(|n| n.id == hidden_alert).unwrap().hidden = true;
        b.el(body, "input", &[("type", "PASSWORD"), ("name", "newPassword")]);
        let t = b.el(body, "div", &[("class", "KuxSnackbar-root KuxSnackbar-error")]);
        b.text(t, "Operation failed");
        b.el_text(body, "h2", "ログインパスワードが変更されました");
        let tree = Tree::new(&b.snap).unwrap();
        let p = Probe::new(&tree);
        assert_eq!(p.error_messages(), vec!["Operation failed".to_string()]);
        assert!(p.has_password_field());
        assert!(p.password_changed());
        assert!(!p.login_confirmation());
    }

    /// Success messages in the alert live region are not errors; an
    /// error next to a success icon still is.
    #[test]
    fn success_alerts_are_not_errors() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        // antd's message: the type on an inner element, a check-circle icon
        let m = b.el(body, "div", &[("class", "ant-message-notice"), ("role", "alert")]);
        let c = b.el(m, "div", &[("class", "ant-message-custom-content ant-message-success")]);
        b.el(c, "span", &[("role", "img"), ("aria-label", "check-circle"), ("class", "anticon")]);
        b.el_text(c, "span", "Deleted successfully");
        // a Kux alert, classed on itself
        let k = b.el(body, "div", &[("role", "alert"), ("class", "KuxAlert-root KuxAlert-success")]);
        b.text(k, "Operation successful");
        // an error: its own class says so, whatever icon it holds
        let e = b.el(body, "div", &[("role", "alert"), ("class", "KuxAlert-root KuxAlert-error")]);
        b.el(e, "i", &[("class", "icon-success-outline")]);
        b.el_text(e, "span", "Operation failed");
        // no class at all: still an error (role=alert is how errors are announced)
        let plain = b.el(body, "p", &[("role", "alert")]);
        b.text(plain, "Too many requests");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(Probe::new(&tree).error_messages(), vec!["Operation failed".to_string(), "Too many requests".to_string()]);
    }

    /// A success class somewhere inside a message does not make the whole
    /// message a success: a failure with a "Retry" link classed
    /// "btn-success", a live region holding a fading success and a new
    /// failure, an icon labelled "unsuccessful" are errors; a success toast
    /// with an Undo button, or its text beside a success icon, is not.
    #[test]
    fn only_a_message_all_success_is_not_an_error() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let a = b.el(body, "div", &[("role", "alert"), ("class", "KuxSnackbar-root")]);
        b.el_text(a, "span", "Too many requests");
        let l = b.el(a, "a", &[("class", "btn btn-success"), ("href", "#")]);
        b.text(l, "Retry");
        let r = b.el(body, "div", &[("role", "alert"), ("class", "KuxSnackbar-container")]);
        let s1 = b.el(r, "div", &[("class", "KuxSnackbar-root KuxSnackbar-success")]);
        b.text(s1, "Deleted successfully");
        let s2 = b.el(r, "div", &[("class", "KuxSnackbar-root KuxSnackbar-warning")]);
        b.text(s2, "Please enable 2FA first");
        let u = b.el(body, "div", &[("role", "alert")]);
        b.el(u, "span", &[("role", "img"), ("aria-label", "unsuccessful")]);
        b.el_text(u, "span", "Device not removed");
        // success: the text beside a check-circle icon, an Undo button aside
        let ok = b.el(body, "div", &[("role", "alert")]);
        let c = b.el(ok, "div", &[]);
        b.el(c, "span", &[("role", "img"), ("aria-label", "check-circle")]);
        b.el_text(c, "span", "Deleted successfully");
        b.el_text(ok, "button", "Undo");
        let tree = Tree::new(&b.snap).unwrap();
        assert_eq!(
            Probe::new(&tree).error_messages(),
            vec!["Too many requests Retry".to_string(), "Deleted successfully Please enable 2FA first".to_string(), "Device not removed".to_string()]
        );
    }

    /// The cheap list of Confirm buttons holds every one `confirm_buttons`
    /// finds (and hidden ones), never a device named "Confirm" in a row.
    #[test]
    fn confirm_candidates_cover_the_confirm_buttons() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let d = b.el(body, "div", &[("role", "dialog")]);
        b.el_text(d, "button", "Cancel");
        let ok = b.el(d, "button", &[]);
        let span = b.el(ok, "span", &[]);
        b.text(span, "Confirm");
        let icon = b.el(body, "div", &[("role", "button"), ("aria-label", "Bestätigen")]);
        let hidden = b.el_text(body, "button", "Confirmar");
        b.snap.nodes.iter_mut().find(|n| n.id == hidden).unwrap().hidden = true;
        let table = b.el(body, "table", &[]);
        let tr = b.el(table, "tr", &[]);
        b.el_text(tr, "td", "Confirm");
        let tree = Tree::new(&b.snap).unwrap();
        let visible = Probe::new(&tree).confirm_buttons();
        let cheap = confirm_candidates(&b.snap);
        assert!(visible.iter().all(|v| cheap.contains(v)), "{visible:?} ⊄ {cheap:?}");
        let mut cheap = cheap;
        cheap.sort_unstable();
        assert_eq!(cheap, vec![ok, icon, hidden]);
    }

    #[test]
    fn login_confirmation_in_another_language() {
        let mut b = B::new("https://www.kucoin.com/ucenter/signin");
        let body = b.el(0, "body", &[]);
        let d = b.el(body, "div", &[("role", "dialog")]);
        b.el_text(d, "p", "Сейчас выполнен вход в систему на другом компьютерном устройстве. Если продолжить…");
        let tree = Tree::new(&b.snap).unwrap();
        assert!(Probe::new(&tree).login_confirmation());
    }
}
