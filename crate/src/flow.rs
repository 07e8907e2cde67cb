//! Long-running, user-confirmed actions as persisted state machines.
//!
//! The run is stored after every step (`flow` key), so a reload, a navigation,
//! a killed service worker or KuCoin's forced sign-out resumes it where it
//! stopped. It advances on scans: each scan of a KuCoin page shows the
//! machine what is on screen now, and it answers with at most one click
//! (plus a rescan to keep watching). Nothing starts without the user's
//! trusted click on Confirm in our own dialog; a failure stops the run and
//! says what failed, by name; Retry / Skip / Cancel are the user's.
//!
//! Two kinds:
//! - `remove_device`: one Trusted Devices row (the inline Remove button);
//! - `logout_all`: "Log out all devices" —
//!   1. `devices`: every non-current Trusted Devices row: press Remove, wait
//!      for KuCoin's pop-confirm, press its Confirm, wait until the row is
//!      gone; a list with more pages: every page, by KuCoin's own page
//!      numbers (never anything else), until each was seen with nothing
//!      left to remove since the last removal;
//!   2. `native`: a native "log out all" control, if the page has one: press
//!      it and confirm its dialog;
//!   3. `password`: open KuCoin's Change Login Password; the user types the
//!      passwords and codes (never read, filled or stored); success is
//!      KuCoin's "Login Password Changed" dialog or the redirect to sign-in
//!      right after the form;
//!   4. `sign_in`: wait for the new sign-in; the session check (`check`)
//!      then runs on the security page and the run ends.

use crate::assess::{Assessment, Verdict};
use crate::i18n::t as tr;
use crate::extract::{self, Extraction, PageKind, Record, Status, Table, TableKind};
use crate::plan::{Action, Button, ButtonStyle, Confirm, Kind, Place, Plan, Step, Tone, Widget};
use crate::probe::Probe;
use crate::storage::State;

pub use crate::check::{CheckResult, Checks};

/// A Trusted Devices page must open this long after its number was pressed.
pub const PAGE_TIMEOUT_MS: i64 = crate::check::PAGE_TIMEOUT_MS;

/// KuCoin's pop-confirm must appear this long after Remove (and after at
/// least `MIN_WAITS` scans): a slow page is not a failure, a dead one is.
pub const POPCONFIRM_TIMEOUT_MS: i64 = 5_000;
/// The row must be gone this long after Confirm.
pub const GONE_TIMEOUT_MS: i64 = 8_000;
/// A native control's dialog must appear / close within this.
pub const DIALOG_TIMEOUT_MS: i64 = 5_000;
/// The Trusted Devices list must be rendered within this.
pub const LIST_TIMEOUT_MS: i64 = 8_000;
pub const MIN_WAITS: u32 = 3;
/// Rescan interval while waiting for the page.
pub const POLL_MS: u32 = 250;
/// A start requested from the toolbar popup expires.
pub const REQUEST_TTL_MS: i64 = 10 * 60_000;
/// The redirect to sign-in counts as a password change this soon after
/// KuCoin's password form was seen.
pub const REDIRECT_WINDOW_MS: i64 = 10 * 60_000;
/// Another tab may take the run over when its tab stayed silent this long.
pub const OWNER_IDLE_MS: i64 = 20_000;
pub const MAX_NOTES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    RemoveDevice,
    LogoutAll,
}
crate::json_enum!(FlowKind { RemoveDevice = "remove_device", LogoutAll = "logout_all" });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Asked from the toolbar popup: waits for Confirm on the page.
    Requested,
    Devices,
    Native,
    Password,
    /// The password was changed: waiting for the new sign-in and the check.
    SignIn,
}
crate::json_enum!(Stage { Requested = "requested", Devices = "devices", Native = "native", Password = "password", SignIn = "sign_in" });

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Phase {
    /// Decide on the next scan.
    #[default]
    Next,
    /// Pressed Remove; waiting for KuCoin's pop-confirm.
    AwaitPopconfirm,
    /// Pressed Confirm; waiting until the row is gone.
    AwaitGone,
    /// Pressed the native control; waiting for its dialog.
    AwaitDialog,
    /// Confirmed the native dialog; waiting until it closes.
    AwaitClosed,
    /// KuCoin's change-password page was opened; the user is on it.
    Opened,
    /// Pressed a Trusted Devices page number; waiting for that page.
    AwaitPage,
}
crate::json_enum!(Phase { Next = "next", AwaitPopconfirm = "await_popconfirm", AwaitGone = "await_gone", AwaitDialog = "await_dialog", AwaitClosed = "await_closed", Opened = "opened", AwaitPage = "await_page" });

/// A Trusted Devices row, as shown (rows are re-rendered as new nodes, so
/// they are found again by their content).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Target {
    pub device_text: String,
    pub ip: String,
    pub area: String,
    pub time_ms: Option<i64>,
}
crate::json_struct!(Target { device_text, ip, area: default, time_ms: default });

impl Target {
    pub fn from_record(r: &Record) -> Target {
        Target {
            device_text: extract::clip_to(&r.device_text, 200),
            ip: r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default(),
            area: r.ip.as_ref().and_then(|i| i.area.clone()).map(|a| extract::clip(&a)).unwrap_or_default(),
            time_ms: r.time_ms,
        }
    }
    pub fn matches(&self, r: &Record) -> bool {
        self.same_device(r) && (self.time_ms.is_none() || r.time_ms == self.time_ms)
    }
    /// The same device and IP, whatever its Recent Activity says now.
    pub fn same_device(&self, r: &Record) -> bool {
        extract::clip_to(&r.device_text, 200) == self.device_text && r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default() == self.ip
    }
    /// "Windows 10 Chrome from Singapore (203.0.113.41)".
    pub fn name(&self) -> String {
        let dev = if self.device_text.is_empty() { tr("device_unnamed", &[]) } else { extract::quote(&self.device_text) };
        extract::device_at(&dev, &self.area, &self.ip)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub at: i64,
    /// What failed, in a sentence naming the device / control.
    pub what: String,
}
crate::json_struct!(Failure { at, what });

/// A running multi-step action (`flow` key).
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub kind: FlowKind,
    pub stage: Stage,
    pub phase: Phase,
    pub started_at: i64,
    pub updated_at: i64,
    /// When the current phase began, and how many scans it has waited.
    pub phase_since: i64,
    pub waits: u32,
    /// Browser tab that drives the run (0: any).
    pub tab: i64,
    /// The row being removed.
    pub target: Option<Target>,
    /// Names of the devices removed so far.
    pub removed: Vec<String>,
    /// Rows the user chose to skip after a failure.
    pub skipped: Vec<Target>,
    /// Devices to remove in all (removed + still listed).
    pub total: u32,
    /// Set when the run stopped; it resumes only on the user's Retry.
    pub failure: Option<Failure>,
    /// What happened along the way, for the progress card.
    pub notes: Vec<String>,
    /// Error messages already on screen when we pressed something.
    pub errors_before: Vec<String>,
    /// Dialogs already open when the native control was pressed, and the
    /// one we confirmed.
    pub dialogs_before: Vec<u32>,
    pub dialog: u32,
    pub native_label: String,
    /// Last time KuCoin's password form was on screen.
    pub form_seen_at: Option<i64>,
    /// Language prefix of the security page ("" or "/vi").
    pub prefix: String,
    /// The document the last click went to (`Snapshot::page_id`).
    pub page_id: String,
    /// Confirm buttons already on screen when Remove was pressed: never
    /// taken for the pop-confirm it opens.
    pub confirms_before: Vec<u32>,
    /// The Remove button pressed (0: none known): its row must still be the
    /// target's when KuCoin's pop-confirm is answered; for `remove_device`
    /// its row's time also tells that row from another of the same device
    /// and IP.
    pub button: u32,
    /// Trusted Devices pages seen with nothing left to remove since the
    /// last removal (a removal moves rows between pages: all are seen again).
    pub pages_clear: Vec<u32>,
    /// The Trusted Devices page whose number was pressed (0: none), and the
    /// rows of the page it was pressed on (`rows_sig`): KuCoin's pager may
    /// move before the rows are replaced.
    pub page_target: u32,
    pub page_sig: String,
    /// The Trusted Devices list when the target was last read in it (or its
    /// Remove pressed), its rows in all and those that could not be read (0
    /// rows: never read). The target missing from the rows read is its
    /// removal only if no more rows are unreadable than then, or fewer rows
    /// are listed: else it may be the row that turned unreadable
    /// (`removal_shown`), for a single Remove and `logout_all` alike.
    pub seen_rows: u32,
    pub seen_unread: u32,
}
crate::json_struct!(Flow { kind, stage, phase: default, started_at, updated_at, phase_since: default, waits: default, tab: default, target: default, removed: default, skipped: default, total: default, failure: default, notes: default, errors_before: default, dialogs_before: default, dialog: default, native_label: default, form_seen_at: default, prefix: default, page_id: default, confirms_before: default, button: default, pages_clear: default, page_target: default, page_sig: default, seen_rows: default, seen_unread: default });

impl Flow {
    /// Count a removed row once, even when two scans (a reload racing the
    /// old page's last scan) both see it gone.
    fn record_removed(&mut self, name: String) {
        if !self.removed.contains(&name) {
            self.removed.push(name);
            self.pages_clear.clear();
        }
    }

    /// The Trusted Devices list `t` shows the target's row: what
    /// `removal_shown` compares with once it is missing from the rows read.
    fn saw(&mut self, t: &Table) {
        self.seen_rows = (t.records.len() + t.unreadable.len()) as u32;
        self.seen_unread = t.unreadable.len() as u32;
    }

    /// The target left the list: count it and go on to the next device.
    fn next_after_removed(&mut self, name: String, now: i64) {
        self.record_removed(name);
        self.target = None;
        self.phase(Phase::Next, now);
    }

    pub fn new(kind: FlowKind, stage: Stage, now: i64) -> Flow {
        Flow {
            kind,
            stage,
            phase: Phase::Next,
            started_at: now,
            updated_at: now,
            phase_since: now,
            waits: 0,
            tab: 0,
            target: None,
            removed: Vec::new(),
            skipped: Vec::new(),
            total: 0,
            failure: None,
            notes: Vec::new(),
            errors_before: Vec::new(),
            dialogs_before: Vec::new(),
            dialog: 0,
            native_label: String::new(),
            form_seen_at: None,
            prefix: String::new(),
            page_id: String::new(),
            confirms_before: Vec::new(),
            button: 0,
            pages_clear: Vec::new(),
            page_target: 0,
            page_sig: String::new(),
            seen_rows: 0,
            seen_unread: 0,
        }
    }
    fn phase(&mut self, p: Phase, now: i64) {
        self.phase = p;
        self.phase_since = now;
        self.waits = 0;
    }
    fn timed_out(&self, now: i64, ms: i64) -> bool {
        now - self.phase_since >= ms && self.waits >= MIN_WAITS
    }
    fn note(&mut self, s: String) {
        self.notes.push(s);
        if self.notes.len() > MAX_NOTES {
            self.notes.remove(0);
        }
    }
    fn fail(&mut self, what: String, now: i64) {
        self.failure = Some(Failure { at: now, what });
    }
    fn next_stage(&mut self, now: i64) {
        self.stage = match self.stage {
            Stage::Requested => Stage::Devices,
            Stage::Devices => Stage::Native,
            Stage::Native => Stage::Password,
            Stage::Password | Stage::SignIn => Stage::SignIn,
        };
        self.target = None;
        self.phase(Phase::Next, now);
    }
    /// The step number shown to the user (1–3), for `logout_all`.
    pub fn step_no(&self) -> u32 {
        match self.stage {
            Stage::Requested | Stage::Devices => 1,
            Stage::Native => 2,
            Stage::Password | Stage::SignIn => 3,
        }
    }
    pub fn running(&self) -> bool {
        self.stage != Stage::Requested
    }
}

/// What the machine sees on this scan.
pub struct Ctx<'a> {
    pub page: PageKind,
    pub ex: &'a Extraction,
    pub probe: Option<&'a Probe<'a>>,
    pub a: Option<&'a Assessment>,
    pub now: i64,
    /// Browser tab of the scan (0: unknown).
    pub tab: i64,
    /// Language prefix of the page ("" or "/vi").
    pub prefix: String,
    /// `Snapshot::page_id`.
    pub page_id: String,
    /// The time KuCoin shows for this browser's session (Current row), for
    /// the check's baseline.
    pub baseline: Option<i64>,
}

/// What the machine wants done after this scan.
#[derive(Debug, Default)]
pub struct Advance {
    pub steps: Vec<Step>,
    pub toast: String,
    pub flow_changed: bool,
    pub checks_changed: bool,
}

impl Advance {
    fn wait(&mut self, flow: &mut Flow) {
        flow.waits += 1;
        self.steps.push(Step::Rescan { ms: POLL_MS });
    }
    fn click(&mut self, id: u32) {
        self.steps.push(Step::Click { id });
        self.steps.push(Step::Rescan { ms: POLL_MS });
    }
}

/// The flow and check side of a scan. Runs on every KuCoin account page.
pub fn on_scan(state: &mut State, cx: &Ctx) -> Advance {
    let mut adv = Advance::default();
    let now = cx.now;
    match cx.page {
        PageKind::UpdatePassword => {
            if let Some(p) = cx.probe {
                if p.password_changed() {
                    let baseline = baseline_of(state, cx);
                    adv.checks_changed |= crate::check::record_change(&mut state.checks, baseline, now, "dialog");
                    if let Some(f) = state.flow.as_mut().filter(|f| f.kind == FlowKind::LogoutAll && f.stage == Stage::Password) {
                        f.note(tr("flow_note_password_changed", &[]));
                        f.next_stage(now);
                        f.updated_at = now;
                        adv.flow_changed = true;
                    }
                } else if let Some(f) = state.flow.as_mut().filter(|f| f.kind == FlowKind::LogoutAll && f.stage == Stage::Password) {
                    if f.phase != Phase::Opened {
                        f.phase(Phase::Opened, now);
                        adv.flow_changed = true;
                    }
                    if p.has_password_field() && f.form_seen_at.is_none_or(|t| now - t > 30_000) {
                        f.form_seen_at = Some(now);
                        adv.flow_changed = true;
                    }
                }
            }
        }
        PageKind::SignIn => {
            if cx.probe.is_some_and(|p| p.login_confirmation()) {
                adv.checks_changed |= crate::check::note_login_confirmation(&mut state.checks, now);
            }
            let baseline = baseline_of(state, cx);
            if let Some(f) = state.flow.as_mut().filter(|f| f.kind == FlowKind::LogoutAll) {
                match f.stage {
                    Stage::Password if f.form_seen_at.is_some_and(|t| now - t < REDIRECT_WINDOW_MS && now >= t) => {
                        // Sent to sign-in right after KuCoin's password form: the change went through.
                        adv.checks_changed |= crate::check::record_change(&mut state.checks, baseline, now, "redirect");
                        f.note(tr("flow_note_signed_out_after_form", &[]));
                        f.next_stage(now);
                        adv.flow_changed = true;
                    }
                    Stage::Native if matches!(f.phase, Phase::AwaitDialog | Phase::AwaitClosed) => {
                        // The native control signed this browser out too.
                        f.note(tr("flow_note_native_signed_out", &[&f.native_label]));
                        f.stage = Stage::Password;
                        f.phase(Phase::Next, now);
                        adv.flow_changed = true;
                    }
                    _ => {}
                }
            }
        }
        PageKind::Security => drive(state, cx, &mut adv),
        _ => {}
    }
    adv
}

/// The baseline for a change recorded now: the Current row's time from the
/// last security-page scan.
fn baseline_of(state: &State, cx: &Ctx) -> Option<i64> {
    cx.baseline.or_else(|| {
        let mut newest = None;
        for r in state.scan.as_ref().map_or(&[][..], |s| &s.rows[..]) {
            if r.table == TableKind::RecentLogins && r.verdict == Verdict::Current {
                if let Some(tm) = r.time_ms {
                    if newest.is_none_or(|m| tm > m) {
                        newest = Some(tm);
                    }
                }
            }
        }
        newest
    })
}

fn drive(state: &mut State, cx: &Ctx, adv: &mut Advance) {
    let now = cx.now;
    let Some(f) = state.flow.as_mut() else { return };
    if f.stage == Stage::Requested {
        if now - f.started_at > REQUEST_TTL_MS {
            state.flow = None;
            adv.flow_changed = true;
        }
        return;
    }
    if f.failure.is_some() {
        return;
    }
    if f.stage == Stage::SignIn {
        return; // the check (app) ends the run
    }
    // One tab drives; another one takes over only when the owner went quiet.
    if f.tab != 0 && cx.tab != 0 && f.tab != cx.tab && now - f.updated_at < OWNER_IDLE_MS {
        return;
    }
    let before = f.clone();
    if cx.tab != 0 {
        f.tab = cx.tab;
    }
    // The clock was set back: the phase's wait counts from now (else a
    // timeout would wait for the clock to catch up).
    if now < f.phase_since {
        f.phase_since = now;
    }
    f.prefix = cx.prefix.clone();
    if f.page_id != cx.page_id {
        // Reloaded or navigated: a pop-confirm or dialog we were waiting for
        // is gone with the old page. Look again (a removed row is counted).
        // (No page yet: the click came with the action, on this page.)
        if !f.page_id.is_empty() && matches!(f.phase, Phase::AwaitPopconfirm | Phase::AwaitGone | Phase::AwaitDialog | Phase::AwaitClosed | Phase::AwaitPage) {
            f.phase(Phase::Next, now);
        }
        f.page_id = cx.page_id.clone();
    }
    let Some(probe) = cx.probe else { return };
    let mut finished = false;
    for _ in 0..4 {
        let before = (f.stage, f.phase);
        let done = match f.stage {
            Stage::Devices => devices(f, cx, probe, adv),
            Stage::Native => native(f, probe, now, adv),
            Stage::Password => {
                password(f, cx, probe, adv);
                false
            }
            Stage::Requested | Stage::SignIn => false,
        };
        if done {
            if f.kind == FlowKind::RemoveDevice {
                finished = true;
                break;
            }
            f.next_stage(now);
        }
        if !adv.steps.is_empty() || f.failure.is_some() || (f.stage, f.phase) == before {
            break;
        }
    }
    // Nothing to do (e.g. waiting for the user at step 3): nothing to write.
    if *f != before || !adv.steps.is_empty() || finished {
        f.updated_at = now;
        adv.flow_changed = true;
    }
    if let Some(fail) = &f.failure {
        adv.toast = tr("flow_toast_stopped", &[&fail.what]);
    }
    if finished {
        adv.toast = match f.removed.first() {
            Some(n) => tr("flow_toast_removed", &[n]),
            None => tr("flow_toast_nothing_removed", &[]),
        };
        state.flow = None;
    }
}

use crate::extract::rendered;

/// Rows still to remove: visible, not this browser, not skipped.
fn remaining<'t>(f: &Flow, t: &'t Table, a: Option<&Assessment>) -> Vec<&'t Record> {
    let mut out = Vec::new();
    for r in &t.records {
        if !r.hidden
            && r.status != Some(Status::Current)
            && !a.is_some_and(|a| a.rows.iter().any(|v| v.row == r.row && v.verdict == Verdict::Current))
            && !f.skipped.iter().any(|s| s.matches(r))
        {
            out.push(r);
        }
    }
    out
}

fn new_error(f: &Flow, probe: &Probe) -> Option<String> {
    for e in probe.error_messages() {
        if !f.errors_before.contains(&e) {
            return Some(e);
        }
    }
    None
}

/// Step 1. Returns true when no row is left to remove.
fn devices(f: &mut Flow, cx: &Ctx, probe: &Probe, adv: &mut Advance) -> bool {
    let now = cx.now;
    let table = rendered(cx.ex.table(TableKind::TrustedDevices));
    // Rows shown that could not be read: never pressed, and never passed
    // over for "every device removed" (`logout_all` stops naming how many).
    // A list of those rows only is a list shown, not one loading (for a
    // single Remove it stays one not read: its row is not found gone there).
    let unread = cx.ex.table(TableKind::TrustedDevices).map_or(0, |t| t.unreadable.len() as u32);
    let listed = if f.kind == FlowKind::LogoutAll { crate::extract::shown(cx.ex.table(TableKind::TrustedDevices)) } else { table };
    // `remove_device`: the row of the Remove button pressed, by its time too
    // (the action names device and IP only: a second row of that device and
    // IP must neither pass for it still listed nor be removed on Retry).
    if let (Some(x), Some(t)) = (f.target.as_mut().filter(|x| x.time_ms.is_none()), table) {
        if let Some(r) = t.records.iter().find(|r| f.button != 0 && r.remove_button == Some(f.button) && x.matches(r)) {
            x.time_ms = r.time_ms;
        }
    }
    let name = f.target.as_ref().map(|t| t.name()).unwrap_or_default();
    // The device being removed is not among the rows read: gone from the
    // list KuCoin shows, unless its row may be one that turned unreadable
    // ("unsure": waited for, never counted removed).
    let read = f.target.as_ref().zip(listed).map(|(x, t)| t.records.iter().any(|r| x.matches(r)));
    if let (Some(true), Some(t)) = (read, listed) {
        f.saw(t);
    }
    let missing = read == Some(false);
    let unsure = missing && !listed.is_some_and(|t| removal_shown(f, t));
    let target_gone = missing && !unsure;
    // The row of the Remove button pressed shows another device now (a list
    // re-rendered into the same nodes between our scan and the click, e.g.
    // after a row above it went): its pop-confirm is not the target's.
    let pressed_other = f.button != 0
        && table.is_some_and(|t| t.records.iter().any(|r| r.remove_button == Some(f.button) && !f.target.as_ref().is_some_and(|x| x.same_device(r))));
    match f.phase {
        Phase::AwaitPopconfirm => {
            if let Some(e) = new_error(f, probe) {
                f.fail(tr("flow_fail_error_after_remove", &[&name, &e]), now);
            } else if pressed_other {
                // (nothing confirmed; Retry presses the target's own Remove)
                f.fail(tr("flow_fail_no_remove_button", &[&name]), now);
            } else if let Some(ok) = probe.remove_popconfirm(&f.confirms_before) {
                adv.click(ok);
                f.phase(Phase::AwaitGone, now);
            } else if target_gone {
                f.next_after_removed(name, now);
            } else if let Some(btn) = lost_press(f, table, probe) {
                // The list was rendered anew (new nodes) since Remove was
                // pressed: the click found its node gone, or its pop-confirm
                // went with it. The target's Remove now, within the same
                // timeout (a list re-rendered again and again still stops).
                f.errors_before = probe.error_messages();
                f.confirms_before = probe.confirm_buttons();
                f.button = btn;
                adv.click(btn);
                f.waits += 1;
            } else if f.timed_out(now, POPCONFIRM_TIMEOUT_MS) {
                f.fail(tr(if unsure { "flow_fail_remove_unverified" } else { "flow_fail_no_popconfirm" }, &[&name]), now);
            } else {
                adv.wait(f);
            }
            false
        }
        Phase::AwaitGone => {
            if let Some(e) = new_error(f, probe) {
                f.fail(tr("flow_fail_error_removing", &[&name, &e]), now);
            } else if target_gone {
                f.next_after_removed(name, now);
            } else if f.timed_out(now, GONE_TIMEOUT_MS) {
                f.fail(tr(if unsure { "flow_fail_remove_unverified" } else { "flow_fail_still_listed" }, &[&name]), now);
            } else {
                adv.wait(f);
            }
            false
        }
        Phase::AwaitPage => {
            // The page pressed is shown, with rows other than those of the
            // page it was pressed on (or, after the wait, "No data" on both).
            let shown = cx.ex.table(TableKind::TrustedDevices).and_then(|t| t.pager.as_ref()).map_or(0, |g| g.current);
            let sig = listed.map(rows_sig);
            let waited = f.timed_out(now, PAGE_TIMEOUT_MS);
            if shown == f.page_target && sig.as_ref().is_some_and(|s| *s != f.page_sig || (s.is_empty() && waited)) {
                f.page_target = 0;
                f.phase(Phase::Next, now);
            } else if waited {
                f.fail(tr("flow_fail_trusted_page", &[&crate::util::num(u64::from(f.page_target))]), now);
            } else {
                adv.wait(f);
            }
            false
        }
        _ => {
            let Some(t) = listed else {
                if cx.ex.table(TableKind::TrustedDevices).is_none() && f.timed_out(now, LIST_TIMEOUT_MS) {
                    f.note(tr("flow_note_no_trusted_list", &[]));
                    return true;
                }
                if f.timed_out(now, LIST_TIMEOUT_MS) {
                    f.fail(tr("flow_fail_list_not_loaded", &[]), now);
                } else {
                    adv.wait(f);
                }
                return false;
            };
            if f.kind == FlowKind::LogoutAll {
                // A row we pressed before a reload: gone means removed
                // (unsure: not counted; a row that reads again is pressed
                // again, unreadable ones stop the run below).
                if target_gone {
                    f.record_removed(name.clone());
                }
                f.target = None;
            }
            let rows = remaining(f, t, cx.a);
            let next = match f.kind {
                FlowKind::RemoveDevice => {
                    let target = f.target.clone().unwrap_or_default();
                    f.total = 1;
                    match t.records.iter().find(|r| target.matches(r)) {
                        Some(r) if !r.hidden => Some(r),
                        Some(_) => {
                            f.fail(tr("flow_fail_hidden", &[&target.name()]), now);
                            return false;
                        }
                        None if !unsure => {
                            f.record_removed(target.name());
                            return true;
                        }
                        None => {
                            // (KuCoin may still be filling the row in)
                            if f.timed_out(now, LIST_TIMEOUT_MS) {
                                f.fail(tr("flow_fail_remove_unverified", &[&name]), now);
                            } else {
                                adv.wait(f);
                            }
                            return false;
                        }
                    }
                }
                FlowKind::LogoutAll => {
                    f.total = (f.removed.len() + rows.len()) as u32;
                    rows.first().copied()
                }
            };
            let Some(r) = next else {
                // Nothing left that can be read on this page, but rows that
                // can't: never "removed" (a device KuCoin still trusts may be
                // one). Waited for (KuCoin may still be filling them in), then
                // the run stops saying how many, for the user to remove them
                // on KuCoin and press Retry.
                if f.kind == FlowKind::LogoutAll && unread > 0 {
                    if f.timed_out(now, LIST_TIMEOUT_MS) {
                        f.fail(tr("flow_fail_trusted_unreadable", &[&crate::i18n::plural("pwcheck_trusted_unreadable", unread)]), now);
                    } else {
                        adv.wait(f);
                    }
                    return false;
                }
                // Nothing left on this page: done only once every page is.
                return f.kind == FlowKind::RemoveDevice || !other_page(f, t, now, adv);
            };
            let target = Target::from_record(r);
            let Some(btn) = r.remove_button else {
                f.fail(tr("flow_fail_no_remove_button", &[&target.name()]), now);
                f.target = Some(target);
                return false;
            };
            f.errors_before = probe.error_messages();
            f.confirms_before = probe.confirm_buttons();
            f.button = btn;
            f.target = Some(target);
            f.saw(t);
            adv.click(btn);
            f.phase(Phase::AwaitPopconfirm, now);
            false
        }
    }
}

/// The target missing from the rows read: the list shows
/// that it went, not that its row turned unreadable (KuCoin shows "Just
/// now", masks the IP): no row unreadable, or no more than when the target
/// was last read, or fewer rows in all than then.
fn removal_shown(f: &Flow, t: &Table) -> bool {
    let unread = t.unreadable.len() as u32;
    let rows = t.records.len() as u32 + unread;
    unread == 0 || (f.seen_rows > 0 && (unread <= f.seen_unread || rows < f.seen_rows))
}

/// The target's Remove button when the one pressed is no longer on the
/// page (its row's nodes replaced) and the target is still listed, shown,
/// in one row only (a single Remove whose row's time was not read yet
/// matches every row of its device and IP: none of them is pressed).
fn lost_press(f: &Flow, table: Option<&Table>, probe: &Probe) -> Option<u32> {
    if f.button == 0 || probe.shown(f.button) {
        return None;
    }
    let x = f.target.as_ref()?;
    let mut found = None;
    for r in table?.records.iter().filter(|r| x.matches(r)) {
        if found.is_some() || r.hidden {
            return None;
        }
        found = r.remove_button;
    }
    found.filter(|&b| b != f.button && probe.shown(b))
}

/// The rows a Trusted Devices page shows, as one short text (equal rows,
/// equal text; none: empty).
fn rows_sig(t: &Table) -> String {
    if t.records.is_empty() {
        return String::new();
    }
    let mut h = crate::api::FNV_START;
    for r in &t.records {
        let x = Target::from_record(r);
        h = crate::api::fnv1a_more(h, b"\x1e");
        h = crate::api::fnv1a_more(h, x.device_text.as_bytes());
        h = crate::api::fnv1a_more(h, b"\x1f");
        h = crate::api::fnv1a_more(h, x.ip.as_bytes());
        h = crate::api::fnv1a_more(h, b"\x1f");
        h = crate::api::fnv1a_more(h, crate::util::num(x.time_ms.unwrap_or(0).unsigned_abs()).as_bytes());
    }
    crate::util::num(h)
}

/// `logout_all`, nothing left to remove on the Trusted Devices page shown:
/// with KuCoin's pager under the list, on to a page not seen clear yet —
/// its number pressed (a page number changes what the list shows, nothing
/// else; a pager with an ellipsis: the number nearest to it). Returns
/// whether step 1 goes on (a page pressed, or the run stopped saying which
/// page may still list devices); false: every page was seen clear. A list
/// of more pages than `MAX_READ_PAGES` stops the run: stepping through
/// thousands of pages (a number the page shows) is not done, and the pages
/// past the bound must never pass for seen clear.
fn other_page(f: &mut Flow, t: &Table, now: i64, adv: &mut Advance) -> bool {
    let Some(g) = t.pager.as_ref().filter(|g| g.last > 1) else { return false };
    let pages = crate::util::num(u64::from(g.last));
    if g.last > crate::app::MAX_READ_PAGES {
        f.fail(tr("flow_fail_trusted_too_many", &[&pages, &crate::util::num(u64::from(crate::app::MAX_READ_PAGES))]), now);
        return true;
    }
    if g.current == 0 || g.current > g.last {
        // Which page is shown is not known: no page can be counted as seen.
        f.fail(tr("flow_fail_trusted_pages_unknown", &[&pages]), now);
        return true;
    }
    if !f.pages_clear.contains(&g.current) {
        f.pages_clear.push(g.current);
    }
    let mut goal = 0;
    for p in 1..=g.last {
        if !f.pages_clear.contains(&p) {
            goal = p;
            break;
        }
    }
    if goal == 0 {
        return false;
    }
    // (only a number nearer the goal than the page shown: each press gets closer)
    let mut press = None;
    let mut nearest = g.current.abs_diff(goal);
    for (i, &n) in g.numbers.iter().enumerate() {
        if n.abs_diff(goal) < nearest {
            nearest = n.abs_diff(goal);
            press = Some((n, g.ids[i]));
        }
    }
    let Some((n, id)) = press else {
        f.fail(tr("flow_fail_trusted_page", &[&crate::util::num(u64::from(goal))]), now);
        return true;
    };
    f.note(tr("flow_note_trusted_page", &[&crate::util::num(u64::from(n)), &pages]));
    f.page_target = n;
    f.page_sig = rows_sig(t);
    adv.click(id);
    f.phase(Phase::AwaitPage, now);
    true
}

/// Step 2. Returns true when done (pressed and confirmed, or none here).
fn native(f: &mut Flow, probe: &Probe, now: i64, adv: &mut Advance) -> bool {
    let label = f.native_label.clone();
    match f.phase {
        Phase::AwaitDialog => {
            if let Some(e) = new_error(f, probe) {
                f.fail(tr("flow_fail_native_error", &[&label, &e]), now);
                return false;
            }
            let mut new_dialog = None;
            for (d, ok) in probe.dialogs() {
                if !f.dialogs_before.contains(&d) {
                    new_dialog = Some((d, ok));
                    break;
                }
            }
            match new_dialog {
                Some((d, Some(ok))) => {
                    adv.click(ok);
                    f.dialog = d;
                    f.phase(Phase::AwaitClosed, now);
                }
                Some(_) if f.timed_out(now, DIALOG_TIMEOUT_MS) => {
                    f.fail(tr("flow_fail_native_no_confirm", &[&label]), now);
                }
                None if f.timed_out(now, DIALOG_TIMEOUT_MS) => {
                    f.note(tr("flow_note_native_no_confirm", &[&label]));
                    return true;
                }
                _ => adv.wait(f),
            }
            false
        }
        Phase::AwaitClosed => {
            if let Some(e) = new_error(f, probe) {
                f.fail(tr("flow_fail_native_error_confirmed", &[&label, &e]), now);
            } else if !probe.shown(f.dialog) {
                f.note(tr("flow_note_native_confirmed", &[&label]));
                return true;
            } else if f.timed_out(now, DIALOG_TIMEOUT_MS) {
                f.fail(tr("flow_fail_native_not_closed", &[&label]), now);
            } else {
                adv.wait(f);
            }
            false
        }
        _ => match probe.native_logout() {
            Some((id, text)) => {
                f.native_label = text;
                f.errors_before = probe.error_messages();
                f.dialogs_before.clear();
                for (d, _) in probe.dialogs() {
                    f.dialogs_before.push(d);
                }
                adv.click(id);
                f.phase(Phase::AwaitDialog, now);
                false
            }
            None => {
                f.note(tr("flow_note_no_native", &[]));
                true
            }
        },
    }
}

/// Step 3: open KuCoin's own Change Login Password flow (once; after that
/// the progress card offers to open it again).
fn password(f: &mut Flow, cx: &Ctx, probe: &Probe, adv: &mut Advance) {
    if f.phase != Phase::Next {
        return;
    }
    match cx.ex.controls.change_password.filter(|&id| probe.shown(id)) {
        Some(id) => adv.steps.push(Step::Click { id }),
        None => adv.steps.push(Step::Navigate { path: updatepwd_path(&f.prefix) }),
    }
    f.phase(Phase::Opened, cx.now);
}

pub fn updatepwd_path(prefix: &str) -> String {
    format!("{prefix}/account/security/updatepwd")
}

// ---------------------------------------------------------------- actions

/// `logout_all`: the user confirmed in our dialog (trusted click).
pub fn start_logout_all(state: &mut State, tab: i64, now: i64) -> Result<String, String> {
    match &state.flow {
        Some(f) if f.kind == FlowKind::RemoveDevice => return Err(tr("flow_err_busy_cancel", &[])),
        Some(f) if f.running() => return Ok(tr("flow_already_running", &[])),
        _ => {}
    }
    let mut f = Flow::new(FlowKind::LogoutAll, Stage::Devices, now);
    f.tab = tab;
    state.flow = Some(f);
    Ok(tr("flow_started", &[]))
}

/// `request_logout_all`: from the toolbar popup. Only asks; the page shows
/// our confirmation and nothing runs before the user confirms there.
pub fn request_logout_all(state: &mut State, now: i64) -> bool {
    if state.flow.as_ref().is_some_and(|f| f.running()) {
        return false;
    }
    state.flow = Some(Flow::new(FlowKind::LogoutAll, Stage::Requested, now));
    true
}

/// `remove_device`: one row, through the same machine. `target` is the
/// Remove button the user saw (pressed right away).
pub fn start_remove_device(state: &mut State, t: Target, button: u32, confirms_before: Vec<u32>, tab: i64, now: i64) -> Result<Vec<Step>, String> {
    if state.flow.as_ref().is_some_and(|f| f.running()) {
        return Err(tr("flow_err_busy_wait", &[]));
    }
    let mut f = Flow::new(FlowKind::RemoveDevice, Stage::Devices, now);
    f.tab = tab;
    f.total = 1;
    f.target = Some(t);
    f.button = button;
    f.confirms_before = confirms_before;
    f.phase(Phase::AwaitPopconfirm, now);
    state.flow = Some(f);
    Ok(vec![Step::Click { id: button }, Step::Rescan { ms: POLL_MS }])
}

pub fn cancel(state: &mut State) -> String {
    match state.flow.take() {
        Some(f) if f.running() => tr("flow_cancelled", &[]),
        _ => String::new(),
    }
}

/// Retry after a failure (`skip`: leave the failed device in place).
pub fn resume(state: &mut State, skip: bool, tab: i64, now: i64) -> Result<String, String> {
    let Some(f) = state.flow.as_mut() else { return Err(tr("flow_err_nothing_to_resume", &[])) };
    if skip {
        if let Some(t) = f.target.take() {
            f.note(tr("flow_note_skipped", &[&t.name()]));
            f.skipped.push(t);
        }
        if f.kind == FlowKind::RemoveDevice {
            state.flow = None;
            return Ok(tr("flow_skipped", &[]));
        }
    }
    f.failure = None;
    if f.stage == Stage::Devices {
        f.target = if f.kind == FlowKind::RemoveDevice { f.target.take() } else { None };
    }
    f.phase(Phase::Next, now);
    f.tab = tab;
    f.updated_at = now;
    Ok(tr("flow_continuing", &[]))
}

/// "Open Change Login Password" on the progress card.
pub fn open_password(state: &mut State, now: i64) -> Result<Vec<Step>, String> {
    let Some(f) = state.flow.as_mut().filter(|f| f.stage == Stage::Password) else {
        return Err(tr("flow_err_not_password_step", &[]));
    };
    f.phase(Phase::Opened, now);
    f.updated_at = now;
    Ok(vec![Step::Navigate { path: updatepwd_path(&f.prefix) }])
}

// ---------------------------------------------------------------- widgets

fn btn(label: &str, style: ButtonStyle, kind: &str, aria: &str) -> Button {
    Button::new(label, style, Action { kind: kind.into(), ..Default::default() }).aria(aria.into())
}

/// Our confirmation for "Log out all devices": what will happen, in steps.
pub fn logout_confirm(devices: Option<usize>) -> Confirm {
    let n = match devices {
        Some(0) => format!(" {}", tr("flow_confirm_listed_none", &[])),
        Some(n) => format!(" {}", crate::i18n::plural("flow_confirm_listed", n as u32)),
        None => String::new(),
    };
    Confirm {
        title: tr("flow_confirm_title", &[]),
        text: tr("flow_confirm_text", &[]),
        steps: vec![
            tr("flow_confirm_step_devices", &[&n]),
            tr("flow_confirm_step_native", &[]),
            tr("flow_confirm_step_password", &[]),
            tr("flow_confirm_step_signin", &[]),
        ],
        confirm_label: tr("btn_start", &[]),
        cancel_label: tr("btn_cancel", &[]),
    }
}

fn logout_button(devices: Option<usize>, open: bool) -> Button {
    Button {
        confirm: Some(logout_confirm(devices)),
        open,
        ..Button::new(&tr("btn_logout_all", &[]), ButtonStyle::Danger, Action { kind: "logout_all".into(), ..Default::default() })
            .aria(tr("aria_logout_all", &[]))
    }
}

/// The flow's widgets for this page: the action (security page, idle or
/// requested) or the progress card (any account page, running).
pub fn widgets(state: &State, ex: &Extraction, a: Option<&Assessment>, plan: &mut Plan, now: i64) {
    let Some(root) = ex.controls.page_root else { return };
    let flow = state.flow.as_ref();
    match flow {
        Some(f) if f.running() => plan.widgets.push(progress(f, ex.page, root, state, now)),
        _ if ex.page == PageKind::Security => {
            let requested = flow.is_some_and(|f| f.stage == Stage::Requested);
            // (a list of more pages: the page shown is not the count)
            let devices = rendered(ex.table(TableKind::TrustedDevices)).filter(|t| t.pager.as_ref().is_none_or(|g| g.last < 2)).map(|t| {
                let mut n = 0usize;
                for r in &t.records {
                    if !r.hidden && r.status != Some(Status::Current) && !a.is_some_and(|a| a.rows.iter().any(|v| v.row == r.row && v.verdict == Verdict::Current)) {
                        n += 1;
                    }
                }
                n
            });
            let danger = state.scan.as_ref().is_some_and(|s| s.summary.unfamiliar_online > 0);
            let mut buttons = vec![logout_button(devices, requested)];
            if requested {
                buttons.push(btn(&tr("btn_not_now", &[]), ButtonStyle::Secondary, "cancel_flow", &tr("aria_not_now", &[])));
            }
            plan.widgets.push(Widget {
                key: "action:logout-all".into(),
                anchor: root,
                place: Place::Prepend,
                kind: Kind::Action,
                tone: if danger || requested { Tone::Danger } else { Tone::Info },
                title: tr("btn_logout_all", &[]),
                text: if requested { tr("flow_action_requested", &[]) } else { tr("flow_action_text", &[]) },
                items: Vec::new(),
                buttons,
                host_attr: Some(("data-session-guard-action".into(), "logout-all".into())),
            });
            if let Some(t) = ex.table(TableKind::RecentLogins) {
                plan.widgets.push(Widget {
                    key: "action:logout-all:recent".into(),
                    anchor: t.container,
                    place: Place::Before,
                    kind: Kind::Action,
                    tone: if danger { Tone::Danger } else { Tone::Info },
                    title: String::new(),
                    text: tr("flow_recent_question", &[]),
                    items: Vec::new(),
                    buttons: vec![logout_button(devices, false)],
                    host_attr: Some(("data-session-guard-action".into(), "logout-all".into())),
                });
            }
        }
        _ => {}
    }
}

fn progress(f: &Flow, page: PageKind, root: u32, state: &State, now: i64) -> Widget {
    let cancel = btn(&tr("btn_cancel", &[]), ButtonStyle::Secondary, "cancel_flow", &tr("aria_cancel_flow", &[]));
    let mut buttons = Vec::new();
    let mut items = f.notes.clone();
    let counted = tr("flow_counted", &[&crate::util::num(f.removed.len() as u64), &crate::util::num(f.total.max(f.removed.len() as u32) as u64)]);
    let (title, mut text, stage_attr) = match (f.kind, f.stage) {
        (FlowKind::RemoveDevice, _) => (
            tr("flow_removing_title", &[&f.target.as_ref().map(|t| t.name()).unwrap_or_default()]),
            tr("flow_removing_text", &[]),
            "devices",
        ),
        (_, Stage::Devices) => {
            for r in &f.removed {
                items.push(tr("flow_item_removed", &[r]));
            }
            let text = match &f.target {
                Some(t) => tr("flow_counted_now", &[&counted, &t.name()]),
                None => counted.clone(),
            };
            (tr("flow_step1_title", &[]), text, "devices")
        }
        (_, Stage::Native) => (
            tr("flow_step2_title", &[]),
            if f.native_label.is_empty() { tr("flow_step2_looking", &[]) } else { tr("flow_step2_pressing", &[&f.native_label]) },
            "native",
        ),
        (_, Stage::Password) => {
            if page == PageKind::Security && f.failure.is_none() {
                buttons.push(btn(&tr("btn_open_password", &[]), ButtonStyle::Primary, "open_password", &tr("aria_open_password", &[])));
            }
            (
                tr("flow_step3_title", &[]),
                tr("flow_step3_text", &[]),
                "password",
            )
        }
        (_, Stage::SignIn) => (
            tr("flow_signin_title", &[]),
            tr(
                "flow_signin_text",
                &[&state.checks.password_changed_at.map(|t| crate::popup::ago(t, now)).unwrap_or_else(|| tr("ago_now", &[]))],
            ),
            "signin",
        ),
        (_, Stage::Requested) => (String::new(), String::new(), "requested"),
    };
    let mut tone = Tone::Info;
    let mut stage_attr = stage_attr.to_string();
    if let Some(fail) = &f.failure {
        tone = Tone::Danger;
        text = tr("flow_stopped_text", &[&fail.what, &if f.kind == FlowKind::LogoutAll && f.stage == Stage::Devices { counted } else { String::new() }])
            .trim()
            .to_string();
        buttons.insert(0, btn(&tr("btn_retry", &[]), ButtonStyle::Primary, "resume_flow", &tr("aria_retry", &[])));
        if f.stage == Stage::Devices && f.target.is_some() {
            buttons.insert(1, btn(&tr("btn_skip_device", &[]), ButtonStyle::Secondary, "skip_device", &tr("aria_skip_device", &[])));
        }
        stage_attr = "stopped".into();
    }
    buttons.push(cancel);
    Widget {
        key: "flow:progress".into(),
        anchor: root,
        place: Place::Prepend,
        kind: Kind::Progress,
        tone,
        title,
        text,
        items,
        buttons,
        host_attr: Some(("data-session-guard-flow".into(), stage_attr)),
    }
}

/// One line for the popup about a run in progress.
pub fn popup_line(f: &Flow) -> String {
    if let Some(fail) = &f.failure {
        return tr("flow_popup_stopped", &[&fail.what]);
    }
    match (f.kind, f.stage) {
        (FlowKind::RemoveDevice, _) => tr("flow_popup_removing", &[]),
        (_, Stage::Requested) => tr("flow_popup_requested", &[]),
        (_, Stage::Devices) => tr("flow_popup_step1", &[&crate::util::num(f.removed.len() as u64), &crate::util::num(f.total.max(f.removed.len() as u32) as u64)]),
        (_, Stage::Native) => tr("flow_popup_step2", &[]),
        (_, Stage::Password) => tr("flow_popup_step3", &[]),
        (_, Stage::SignIn) => tr("flow_popup_signin", &[]),
    }
}

#[cfg(test)]
mod tests {
    //! The machine against a simulated KuCoin page: every scan builds a fresh
    //! snapshot of the page's current state, the plan's clicks are applied to
    //! the simulation, and the stored state goes through `storage` (a
    //! reload) between scans.
    use super::*;
    use crate::app::{handle_action, handle_scan, Outcome};
    use crate::snapshot::build::B;
    use crate::snapshot::Snapshot;
    use std::collections::HashMap;

    #[derive(Clone, Copy, PartialEq, Debug)]
    enum Mode {
        Ok,
        NoPop,
        Error,
        Stuck,
    }

    #[derive(Clone, Debug, PartialEq)]
    enum Ctl {
        Remove(String),
        PopConfirm,
        PopCancel,
        Native,
        DialogConfirm,
        DialogCancel,
        ChangePwd,
        OtherConfirm,
        /// A Trusted Devices page number of KuCoin's pager.
        Page(usize),
    }

    struct Sim {
        url: String,
        devices: Vec<(String, String, bool)>,
        logins: Vec<[String; 4]>,
        logs: Option<Vec<[String; 3]>>,
        pop: Option<String>,
        pending_remove: Option<String>,
        error: Option<String>,
        mode: Mode,
        native: bool,
        dialog_open: bool,
        native_done: bool,
        controls: HashMap<u32, Ctl>,
        clicks: Vec<Ctl>,
        navigated: Option<String>,
        tab: i64,
        page_id: String,
        times: HashMap<(String, String), String>,
        /// Another Cancel / Confirm dialog on the page (not ours to press).
        other_dialog: bool,
        remove_disabled: bool,
        /// Each removal is announced in a `role=alert` success message.
        success_alerts: bool,
        announced: Option<String>,
        /// Trusted Devices pages: the page of each of `devices` (empty: one
        /// page, no pager), and the page shown.
        device_page: Vec<usize>,
        shown_page: usize,
        /// KuCoin fetches the page shown again after a removal (rows move
        /// up from later pages); else the row just goes from its page.
        refetch: bool,
        /// The pager's numbers do nothing.
        pager_stuck: bool,
        /// Scans the pop-confirm's Confirm stays disabled after it opens
        /// (a click on it meanwhile does nothing, as on a disabled button).
        pop_disabled_for: u32,
        pop_disabled_left: u32,
        /// Times the Trusted Devices list (and what follows it) was rendered
        /// anew: new nodes, so new ids (the content script never reuses one).
        rerenders: u32,
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    impl Sim {
        fn new() -> Sim {
            Sim {
                url: s("https://www.kucoin.com/account/security"),
                devices: vec![
                    (s("Linux Chrome"), s("Singapore(203.0.113.24)"), true),
                    (s("Windows 10 Chrome"), s("Singapore(203.0.113.41)"), false),
                    (s("iOS 17.5 iPhone"), s("Singapore(2001:db8:85a3::8a2e:370:7334)"), false),
                    (s("Linux Firefox"), s("Lagos(198.51.100.77)"), false),
                ],
                logins: vec![
                    [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:21:37"), s("Current")],
                    [s("Lagos(198.51.100.77)"), s("Linux Firefox"), s("7/14/2025, 03:48:12"), s("Online")],
                ],
                logs: None,
                pop: None,
                pending_remove: None,
                error: None,
                mode: Mode::Ok,
                native: false,
                dialog_open: false,
                native_done: false,
                controls: HashMap::new(),
                clicks: Vec::new(),
                navigated: None,
                tab: 7,
                page_id: s("page-1"),
                times: HashMap::new(),
                other_dialog: false,
                remove_disabled: false,
                success_alerts: false,
                announced: None,
                device_page: Vec::new(),
                shown_page: 1,
                refetch: false,
                pager_stuck: false,
                pop_disabled_for: 0,
                pop_disabled_left: 0,
                rerenders: 0,
            }
        }

        /// Trusted Devices: this browser and two rows of one device and IP
        /// ("Linux Firefox", Lagos), the second one older. (The trailing
        /// space: a second key for the simulation; the page reads "Linux Firefox".)
        fn twin_rows() -> Sim {
            let mut sim = Sim::new();
            sim.devices = vec![
                (s("Linux Chrome"), s("Singapore(203.0.113.24)"), true),
                (s("Linux Firefox"), s("Lagos(198.51.100.77)"), false),
                (s("Linux Firefox "), s("Lagos(198.51.100.77)"), false),
            ];
            sim.times.insert((s("Linux Firefox "), s("Lagos(198.51.100.77)")), s("7/10/2025, 11:00:00"));
            sim
        }

        /// Trusted Devices: this browser and `others` devices, `size` a page.
        fn paged(others: usize, size: usize, refetch: bool) -> Sim {
            let mut sim = Sim::new();
            sim.devices.truncate(1);
            for i in 0..others {
                sim.devices.push((format!("Windows 10 Chrome {i}"), format!("Singapore(203.0.113.{})", 100 + i), false));
            }
            sim.device_page = (0..sim.devices.len()).map(|i| i / size + 1).collect();
            sim.refetch = refetch;
            sim
        }

        fn last_page(&self) -> usize {
            self.device_page.iter().copied().max().unwrap_or(0)
        }

        fn button(&mut self, b: &mut B, parent: u32, text: &str, attrs: &[(&str, &str)], ctl: Option<Ctl>) -> u32 {
            let id = b.el(parent, "button", attrs);
            b.text(id, text);
            if let Some(c) = ctl {
                self.controls.insert(id, c);
            }
            id
        }

        fn snapshot(&mut self) -> Snapshot {
            self.controls.clear();
            let mut b = B::new(&self.url);
            let body = b.el(0, "body", &[]);
            let page = b.el(body, "div", &[("data-inspector", "account_security_page")]);
            let card = b.el(page, "div", &[]);
            b.el_text(card, "div", "Login Password");
            self.button(&mut b, card, "Change", &[("data-inspector", "loginPwdBtn")], Some(Ctl::ChangePwd));
            let card = b.el(page, "div", &[]);
            b.el_text(card, "div", "Restrict Login IP");
            let card = b.el(page, "div", &[]);
            self.button(&mut b, card, "Freeze", &[("data-inspector", "freezeSelfBtn")], None);
            if self.native {
                let card = b.el(page, "div", &[]);
                self.button(&mut b, card, "Log out all devices", &[], Some(Ctl::Native));
            }
            let table = b.el(page, "table", &[]);
            let hr = b.el(table, "tr", &[]);
            for h in ["Login IP", "Login Device", "Time", "Status"] {
                b.el_text(hr, "th", h);
            }
            let tb = b.el(table, "tbody", &[]);
            for row in self.logins.clone() {
                let tr = b.el(tb, "tr", &[]);
                for c in row {
                    b.el_text(tr, "td", &c);
                }
            }
            if let Some(logs) = self.logs.clone() {
                let table = b.el(page, "table", &[]);
                let hr = b.el(table, "tr", &[]);
                for h in ["Login IP", "Type", "Time"] {
                    b.el_text(hr, "th", h);
                }
                let tb = b.el(table, "tbody", &[]);
                for row in logs {
                    let tr = b.el(tb, "tr", &[]);
                    for c in row {
                        b.el_text(tr, "td", &c);
                    }
                }
            }
            let table = b.el(page, "table", &[]);
            let fresh_from = table;
            let hr = b.el(table, "tr", &[]);
            for h in ["Trusted Device", "Login IP", "Recent Activity", "Remove Device"] {
                b.el_text(hr, "th", h);
            }
            let tb = b.el(table, "tbody", &[]);
            for (i, (dev, ip, cur)) in self.devices.clone().into_iter().enumerate() {
                if self.device_page.get(i).is_some_and(|&p| p != self.shown_page) {
                    continue;
                }
                let tr = b.el(tb, "tr", &[]);
                let td = b.el(tr, "td", &[]);
                b.text(td, &dev);
                if cur {
                    b.el_text(td, "span", "Current");
                }
                b.el_text(tr, "td", &ip);
                let tm = self.times.get(&(dev.clone(), ip.clone())).cloned().unwrap_or(s("7/14/2025, 09:21:37"));
                b.el_text(tr, "td", &tm);
                let td = b.el(tr, "td", &[]);
                let dis: &[(&str, &str)] = if self.remove_disabled { &[("disabled", "")] } else { &[] };
                self.button(&mut b, td, "Remove", dis, Some(Ctl::Remove(format!("{dev}|{ip}"))));
            }
            if self.last_page() > 1 {
                // KuCoin's kit: prev, numbers (the shown one marked), next
                let nav = b.el(page, "div", &[("class", "KuxPagination-root css-19fwuly")]);
                b.el(nav, "button", &[("class", "KuxPagination-prev")]);
                for n in 1..=self.last_page() {
                    let text = n.to_string();
                    let attrs: &[(&str, &str)] = if n == self.shown_page { &[("class", "KuxPagination-item KuxPagination-item-active"), ("aria-current", "page")] } else { &[("class", "KuxPagination-item")] };
                    self.button(&mut b, nav, &text, attrs, Some(Ctl::Page(n)));
                }
                b.el(nav, "button", &[("class", "KuxPagination-next")]);
            }
            if self.pop.is_some() {
                let pop = b.el(body, "div", &[("class", "KuxPopover-root"), ("role", "tooltip")]);
                b.el_text(pop, "div", "Are you sure to remove the device?");
                self.button(&mut b, pop, "Cancel", &[], Some(Ctl::PopCancel));
                let dis: &[(&str, &str)] = if self.pop_disabled_left > 0 { &[("disabled", "")] } else { &[] };
                self.button(&mut b, pop, "Confirm", dis, Some(Ctl::PopConfirm));
            }
            if self.other_dialog {
                let d = b.el(body, "div", &[("role", "dialog"), ("aria-modal", "true")]);
                b.el_text(d, "h2", "Delete this passkey?");
                self.button(&mut b, d, "Cancel", &[], Some(Ctl::DialogCancel));
                self.button(&mut b, d, "Confirm", &[], Some(Ctl::OtherConfirm));
            }
            if self.dialog_open {
                let d = b.el(body, "div", &[("role", "dialog"), ("aria-modal", "true")]);
                b.el_text(d, "h2", "Log out of all devices?");
                self.button(&mut b, d, "Cancel", &[], Some(Ctl::DialogCancel));
                self.button(&mut b, d, "Confirm", &[], Some(Ctl::DialogConfirm));
            }
            if let Some(e) = self.error.clone() {
                let t = b.el(body, "div", &[("role", "alert")]);
                b.text(t, &e);
            }
            if let Some(a) = self.announced.clone() {
                let t = b.el(body, "div", &[("role", "alert"), ("class", "KuxSnackbar-root KuxSnackbar-success")]);
                b.text(t, &a);
            }
            if self.rerenders > 0 {
                let off = 100_000 * self.rerenders;
                for n in &mut b.snap.nodes {
                    if n.id >= fresh_from {
                        n.id += off;
                    }
                    if n.parent >= fresh_from {
                        n.parent += off;
                    }
                }
                self.controls = self.controls.drain().map(|(k, v)| (if k >= fresh_from { k + off } else { k }, v)).collect();
            }
            b.snap.tab = self.tab;
            b.snap.page_id = self.page_id.clone();
            b.snap
        }

        fn click(&mut self, id: u32) {
            let Some(c) = self.controls.get(&id).cloned() else { panic!("clicked unknown id {id}") };
            self.clicks.push(c.clone());
            match c {
                Ctl::Remove(d) => {
                    assert!(!self.devices.iter().any(|x| format!("{}|{}", x.0, x.1) == d && x.2), "pressed Remove on the current device");
                    if self.mode != Mode::NoPop && !self.remove_disabled {
                        self.pop = Some(d);
                        self.pop_disabled_left = self.pop_disabled_for;
                    }
                }
                Ctl::PopConfirm if self.pop_disabled_left > 0 => {}
                Ctl::PopConfirm => {
                    let d = self.pop.take();
                    match self.mode {
                        Mode::Error => self.error = Some("Operation failed. Please try again later.".into()),
                        Mode::Stuck => {}
                        _ => self.pending_remove = d,
                    }
                }
                Ctl::PopCancel => self.pop = None,
                Ctl::Native => self.dialog_open = true,
                Ctl::DialogConfirm => {
                    self.dialog_open = false;
                    self.native_done = true;
                }
                Ctl::DialogCancel => self.dialog_open = false,
                Ctl::ChangePwd => self.navigated = Some("/account/security/updatepwd".into()),
                Ctl::OtherConfirm => self.other_dialog = false,
                Ctl::Page(n) => {
                    if !self.pager_stuck {
                        self.shown_page = n;
                    }
                }
            }
        }

        /// The page's "XHR" completes.
        fn tick(&mut self) {
            if self.pop.is_some() {
                self.pop_disabled_left = self.pop_disabled_left.saturating_sub(1);
            }
            if let Some(d) = self.pending_remove.take() {
                if let Some(i) = self.devices.iter().position(|x| format!("{}|{}", x.0, x.1) == d) {
                    self.devices.remove(i);
                    if !self.device_page.is_empty() {
                        self.device_page.remove(i);
                        let size = 5;
                        if self.refetch {
                            for (k, p) in self.device_page.iter_mut().enumerate() {
                                *p = k / size + 1;
                            }
                        }
                        // (a page emptied: KuCoin shows the last one left)
                        self.shown_page = self.shown_page.min(self.last_page().max(1));
                    }
                }
                if self.success_alerts {
                    // a new message each time (the old one is still fading out)
                    self.announced = Some(format!("Deleted successfully ({})", self.devices.len()));
                }
            }
        }
    }

    fn reload(state: &mut State, now: i64) {
        state.schema_version = crate::storage::SCHEMA_VERSION;
        let l = crate::storage::load(&crate::storage::tests::stored(state), now);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        *state = l.state;
    }

    fn apply(sim: &mut Sim, out: &Outcome) {
        for st in &out.plan.steps {
            match st {
                Step::Click { id } => sim.click(*id),
                Step::Navigate { path } => sim.navigated = Some(path.clone()),
                Step::Rescan { .. } => {}
            }
        }
    }

    /// Scan `n` times, 300 ms apart; returns the outcomes.
    fn scans(sim: &mut Sim, state: &mut State, now: &mut i64, n: usize) -> Vec<Outcome> {
        let mut outs = Vec::new();
        for _ in 0..n {
            let snap = sim.snapshot();
            let out = handle_scan(&snap, state, *now);
            reload(state, *now);
            apply(sim, &out);
            sim.tick();
            *now += 300;
            outs.push(out);
        }
        outs
    }

    fn act(state: &mut State, kind: &str, tab: i64, now: i64) -> Outcome {
        let o = handle_action(&Action { kind: kind.into(), tab, ..Default::default() }, state, now).unwrap();
        reload(state, now);
        o
    }

    fn widget<'o>(out: &'o Outcome, key: &str) -> Option<&'o Widget> {
        out.plan.widgets.iter().find(|w| w.key == key)
    }

    const T: i64 = 1_800_000_000_000;

    /// The updatepwd page: the form, then KuCoin's success dialog.
    fn updatepwd(success: bool) -> Snapshot {
        let mut b = B::new("https://www.kucoin.com/account/security/updatepwd");
        let body = b.el(0, "body", &[]);
        let f = b.el(body, "form", &[]);
        b.el_text(f, "h2", "Change Password");
        b.el(f, "input", &[("type", "password"), ("name", "newPassword")]);
        b.el(f, "input", &[("type", "password"), ("name", "confirmPassword")]);
        b.el_text(f, "button", "Submit");
        if success {
            let d = b.el(body, "div", &[("role", "dialog")]);
            b.el_text(d, "h2", "Login Password Changed");
            b.el_text(d, "p", "Your login password has been updated. Please log in again.");
        }
        b.snap.tab = 7;
        b.snap
    }

    fn signin(confirmation: bool) -> Snapshot {
        let mut b = B::new("https://www.kucoin.com/ucenter/signin?redirect=%2Faccount%2Fsecurity");
        let body = b.el(0, "body", &[]);
        let f = b.el(body, "form", &[]);
        b.el(f, "input", &[("type", "password"), ("name", "password")]);
        if confirmation {
            let d = b.el(body, "div", &[("role", "dialog")]);
            b.el_text(d, "h2", "Login Confirmation");
            b.el_text(d, "p", "Another computer device is currently logged in. If you continue to log in, the computer device that is currently logged in will be logged out.");
        }
        b.snap.tab = 7;
        b.snap
    }

    #[test]
    fn full_run_ends_in_all_other_sessions_ended() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        let first = scans(&mut sim, &mut st, &mut now, 1);
        let action = widget(&first[0], "action:logout-all").expect("the action at the top of the page");
        assert_eq!(action.host_attr, Some(("data-session-guard-action".to_string(), "logout-all".to_string())));
        let confirm = action.buttons[0].confirm.as_ref().unwrap();
        assert!(confirm.text.contains("24 h"));
        assert_eq!(confirm.steps.len(), 4);
        assert!(confirm.steps[0].contains("(3 listed now)"), "{}", confirm.steps[0]);
        assert!(!action.buttons[0].open);
        assert!(widget(&first[0], "action:logout-all:recent").is_some(), "next to the Recent Logins summary");
        assert!(sim.clicks.is_empty(), "nothing runs before Confirm");

        let o = act(&mut st, "logout_all", 7, now);
        assert!(o.rescan);
        let outs = scans(&mut sim, &mut st, &mut now, 20);
        let removes: Vec<&Ctl> = sim.clicks.iter().filter(|c| matches!(c, Ctl::Remove(_))).collect();
        assert_eq!(removes.len(), 3, "{:?}", sim.clicks);
        assert_eq!(sim.clicks.iter().filter(|c| **c == Ctl::PopConfirm).count(), 3);
        assert_eq!(sim.devices.len(), 1, "only this browser is left");
        // progress was shown as "n of 3 removed"
        let texts: Vec<String> = outs.iter().filter_map(|o| widget(o, "flow:progress")).map(|w| w.text.clone()).collect();
        assert!(texts.iter().any(|t| t.starts_with("2 of 3 removed")), "{texts:?}");
        // step 2: no native control; step 3: KuCoin's Change button was pressed
        assert_eq!(sim.clicks.last(), Some(&Ctl::ChangePwd));
        let f = st.flow.as_ref().unwrap();
        assert_eq!((f.stage, f.phase), (Stage::Password, Phase::Opened));
        assert!(f.notes.iter().any(|n| n.contains("no \u{201c}log out all devices\u{201d} control")), "{:?}", f.notes);

        // KuCoin's password page: the user types; the success dialog appears.
        let out = handle_scan(&updatepwd(false), &mut st, now);
        assert!(out.plan.steps.is_empty());
        assert_eq!(widget(&out, "flow:progress").unwrap().host_attr.as_ref().unwrap().1, "password");
        assert!(st.checks.password_changed_at.is_none());
        now += 60_000;
        let out = handle_scan(&updatepwd(true), &mut st, now);
        reload(&mut st, now);
        assert!(out.writes.contains(&"checks".to_string()));
        assert_eq!(st.checks.password_changed_at, Some(now));
        assert_eq!(st.checks.baseline_ms, Some(1_752_484_897_000), "the old Current row");
        assert_eq!(st.flow.as_ref().unwrap().stage, Stage::SignIn);
        assert_eq!(out.wake_at, Some(now + crate::check::OVERDUE_MS));

        // Signed in again: the page lists the new sign-in, every other session offline.
        sim.logins = vec![
            [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:42:18"), s("Current")],
            [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:21:37"), s("Offline")],
            [s("Lagos(198.51.100.77)"), s("Linux Firefox"), s("7/14/2025, 03:48:12"), s("Offline")],
        ];
        sim.clicks.clear();
        now += 60_000;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        assert!(sim.clicks.is_empty());
        assert!(st.flow.is_none(), "the run ended with the check");
        let r = st.checks.current().unwrap();
        assert!(r.passed, "{:?}", r.survivors);
        let card = widget(&outs[0], "check:result").unwrap();
        assert!(card.title.starts_with("All other sessions ended \u{2014} checked "), "{}", card.title);
        assert!(outs[0].toast.contains("All other sessions ended"));
        assert_eq!(outs[0].wake_at, None);
        assert_eq!(outs[0].badge.text, "");
    }

    /// KuCoin announcing "Deleted successfully" in a `role=alert` message
    /// does not stop the run as an error.
    #[test]
    fn success_messages_do_not_stop_the_run() {
        let mut sim = Sim::new();
        sim.success_alerts = true;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 20);
        assert!(sim.announced.is_some(), "the replica announced removals");
        assert_eq!(sim.devices.len(), 1, "only this browser is left: {:?}", outs.iter().map(|o| &o.toast).collect::<Vec<_>>());
        assert_eq!(sim.clicks.last(), Some(&Ctl::ChangePwd));
        assert!(!outs.iter().any(|o| o.toast.to_lowercase().contains("stopped")));
    }

    #[test]
    fn a_survivor_is_flagged_with_the_freeze_advice() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 20);
        handle_scan(&updatepwd(true), &mut st, now);
        sim.logins = vec![
            [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:42:18"), s("Current")],
            [s("Lagos(198.51.100.77)"), s("Linux Firefox"), s("7/14/2025, 03:48:12"), s("Online")],
        ];
        now += 60_000;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let card = widget(&outs[0], "check:result").unwrap();
        assert_eq!(card.tone, Tone::Danger);
        assert!(card.items.iter().any(|i| i.contains("Still online") && i.contains("Lagos")), "{:?}", card.items);
        assert!(card.items.iter().any(|i| i.contains("Freeze")), "{:?}", card.items);
        assert!(card.items.iter().any(|i| i.contains("Restrict Login IP")), "{:?}", card.items);
        assert!(widget(&outs[0], "point:freeze").is_some(), "points at KuCoin's Freeze button");
        assert!(widget(&outs[0], "point:restrict-ip").is_some(), "points at Restrict Login IP");
        assert_eq!(outs[0].badge.text, "!");
        // still failing on the next visit; passes once the survivor is gone
        sim.logins[1][3] = s("Offline");
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        assert!(widget(&outs[0], "check:result").unwrap().title.starts_with("All other sessions ended"));
    }

    fn run_until_failure(mode: Mode) -> (Sim, State, i64, Vec<Outcome>) {
        let mut sim = Sim::new();
        sim.mode = mode;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 60);
        (sim, st, now, outs)
    }

    #[test]
    fn failures_are_reported_by_name_and_resumable() {
        for (mode, words) in [
            (Mode::NoPop, "did not appear after Remove was pressed for \u{2068}Windows 10 Chrome\u{2069} from \u{2068}Singapore\u{2069} (203.0.113.41)"),
            (Mode::Error, "KuCoin reported an error while removing \u{2068}Windows 10 Chrome\u{2069} from \u{2068}Singapore\u{2069} (203.0.113.41): \u{201c}Operation failed. Please try again later.\u{201d}"),
            (Mode::Stuck, "\u{2068}Windows 10 Chrome\u{2069} from \u{2068}Singapore\u{2069} (203.0.113.41) is still listed in Trusted Devices"),
        ] {
            let (mut sim, mut st, mut now, outs) = run_until_failure(mode);
            let f = st.flow.as_ref().unwrap();
            let fail = f.failure.as_ref().unwrap_or_else(|| panic!("{mode:?}: no failure"));
            assert!(fail.what.contains(words), "{mode:?}: {}", fail.what);
            // stopped safely: exactly one Remove was pressed, nothing after the failure
            assert_eq!(sim.clicks.iter().filter(|c| matches!(c, Ctl::Remove(_))).count(), 1, "{mode:?}: {:?}", sim.clicks);
            let last = outs.last().unwrap();
            assert!(last.plan.steps.is_empty());
            let card = widget(last, "flow:progress").unwrap();
            assert_eq!(card.tone, Tone::Danger);
            assert!(card.text.contains(words), "{}", card.text);
            let labels: Vec<&str> = card.buttons.iter().map(|b| b.label.as_str()).collect();
            assert_eq!(labels, ["Retry", "Skip this device", "Cancel"]);
            // The page works again: Retry resumes and finishes step 1.
            sim.mode = Mode::Ok;
            sim.error = None;
            sim.pop = None;
            act(&mut st, "resume_flow", 7, now);
            scans(&mut sim, &mut st, &mut now, 20);
            assert_eq!(sim.devices.len(), 1, "{mode:?}");
            assert_eq!(st.flow.as_ref().unwrap().stage, Stage::Password, "{mode:?}");
            assert!(st.flow.as_ref().unwrap().failure.is_none());
        }
    }

    #[test]
    fn skip_leaves_the_device_and_continues() {
        let (mut sim, mut st, mut now, _) = run_until_failure(Mode::Stuck);
        sim.mode = Mode::Ok;
        act(&mut st, "skip_device", 7, now);
        scans(&mut sim, &mut st, &mut now, 20);
        assert_eq!(sim.devices.len(), 2, "the skipped device stays");
        assert!(sim.devices.iter().any(|d| d.0 == "Windows 10 Chrome"));
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.stage, Stage::Password);
        assert!(f.notes.iter().any(|n| n.starts_with("Skipped: \u{2068}Windows 10 Chrome\u{2069}")));
    }

    #[test]
    fn cancel_in_the_middle_presses_nothing_else() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        // until the first device is gone
        while sim.devices.len() == 4 {
            scans(&mut sim, &mut st, &mut now, 1);
        }
        let o = act(&mut st, "cancel_flow", 7, now);
        assert!(o.toast.contains("Stopped"));
        assert!(st.flow.is_none());
        let before = sim.clicks.len();
        let outs = scans(&mut sim, &mut st, &mut now, 10);
        assert_eq!(sim.clicks.len(), before, "no click after Cancel");
        assert_eq!(sim.devices.len(), 3);
        assert!(widget(&outs[0], "action:logout-all").is_some(), "the action is offered again");
        // Starting again is harmless: it goes on with what is left.
        act(&mut st, "logout_all", 7, now);
        let o = act(&mut st, "logout_all", 7, now);
        assert!(o.toast.contains("already running"), "{}", o.toast);
        scans(&mut sim, &mut st, &mut now, 20);
        assert_eq!(sim.devices.len(), 1);
    }

    #[test]
    fn reload_in_the_middle_resumes() {
        // Reload while KuCoin's pop-confirm is open, and while its removal is
        // in flight: the new page shows neither; the run looks again.
        for pending_xhr in [false, true] {
            let mut sim = Sim::new();
            let mut st = State::default();
            let mut now = T;
            scans(&mut sim, &mut st, &mut now, 1);
            act(&mut st, "logout_all", 7, now);
            // press Remove (pop-confirm opens), then Confirm if asked
            scans(&mut sim, &mut st, &mut now, if pending_xhr { 2 } else { 1 });
            assert!(sim.pop.is_some() || pending_xhr);
            // reload: popper gone; a removal in flight completes on the server
            sim.pop = None;
            sim.tick();
            sim.page_id = s("page-2");
            scans(&mut sim, &mut st, &mut now, 20);
            assert_eq!(sim.devices.len(), 1, "pending_xhr={pending_xhr}: {:?}", sim.clicks);
            let f = st.flow.as_ref().unwrap();
            assert!(f.failure.is_none(), "{:?}", f.failure);
            assert_eq!(f.removed.len(), 3, "pending_xhr={pending_xhr}: {:?}", f.removed);
            assert_eq!(f.stage, Stage::Password);
        }
    }

    #[test]
    fn another_tab_does_not_drive_the_run() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        sim.tab = 9;
        let outs = scans(&mut sim, &mut st, &mut now, 3);
        assert!(sim.clicks.is_empty(), "{:?}", sim.clicks);
        assert!(widget(&outs[0], "flow:progress").is_some(), "the other tab shows the progress");
        sim.tab = 7;
        scans(&mut sim, &mut st, &mut now, 2);
        assert!(!sim.clicks.is_empty());
    }

    #[test]
    fn native_control_is_pressed_and_confirmed() {
        let mut sim = Sim::new();
        sim.native = true;
        sim.devices.truncate(1);
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 10);
        assert_eq!(sim.clicks, vec![Ctl::Native, Ctl::DialogConfirm, Ctl::ChangePwd]);
        assert!(sim.native_done);
        let f = st.flow.as_ref().unwrap();
        assert!(f.notes.iter().any(|n| n == "Pressed \u{201c}Log out all devices\u{201d} and confirmed it."), "{:?}", f.notes);
    }

    #[test]
    fn redirect_to_sign_in_after_the_form_records_the_change() {
        let mut sim = Sim::new();
        sim.devices.truncate(1);
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 3);
        assert_eq!(st.flow.as_ref().unwrap().stage, Stage::Password);
        // sign-in without having seen the form: not a change
        handle_scan(&signin(false), &mut st, now);
        assert!(st.checks.password_changed_at.is_none());
        handle_scan(&updatepwd(false), &mut st, now);
        now += 30_000;
        let out = handle_scan(&signin(false), &mut st, now);
        assert_eq!(st.checks.password_changed_at, Some(now));
        assert_eq!(st.checks.detected_by, "redirect");
        assert_eq!(st.flow.as_ref().unwrap().stage, Stage::SignIn);
        assert_eq!(widget(&out, "flow:progress").unwrap().host_attr.as_ref().unwrap().1, "signin");
    }

    #[test]
    fn login_confirmation_is_a_high_severity_event() {
        let mut st = State::default();
        let out = handle_scan(&signin(true), &mut st, T);
        assert!(out.writes.contains(&"checks".to_string()));
        assert_eq!(st.checks.alerts.len(), 1);
        assert_eq!(st.checks.alerts[0].severity, crate::assess::Severity::High);
        handle_scan(&signin(true), &mut st, T + 1000);
        assert_eq!(st.checks.alerts.len(), 1, "the same dialog");
        handle_scan(&signin(false), &mut st, T + 2000);
        assert_eq!(st.checks.alerts.len(), 1);
    }

    #[test]
    fn single_remove_uses_the_same_machine() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        // the inline Remove on the Lagos row (unfamiliar)
        let w = outs[0].plan.widgets.iter().find(|w| w.buttons.iter().any(|b| b.action.kind == "remove_device" && b.action.device_text == "Linux Firefox")).unwrap();
        let mut a = w.buttons.iter().find(|b| b.action.kind == "remove_device").unwrap().action.clone();
        a.tab = 7;
        let o = handle_action(&a, &mut st, now).unwrap();
        reload(&mut st, now);
        apply(&mut sim, &o);
        assert_eq!(sim.clicks, vec![Ctl::Remove("Linux Firefox|Lagos(198.51.100.77)".into())]);
        let outs = scans(&mut sim, &mut st, &mut now, 6);
        assert_eq!(sim.clicks, vec![Ctl::Remove("Linux Firefox|Lagos(198.51.100.77)".into()), Ctl::PopConfirm], "Remove pressed once");
        assert!(!sim.devices.iter().any(|d| d.0 == "Linux Firefox"));
        assert_eq!(sim.devices.len(), 3, "only that one");
        assert!(st.flow.is_none());
        assert!(outs.iter().any(|o| o.toast.starts_with("Removed from Trusted Devices: \u{2068}Linux Firefox\u{2069}")), "{:?}", outs.iter().map(|o| &o.toast).collect::<Vec<_>>());
        // and its failure is reported the same way
        sim.mode = Mode::NoPop;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let w = outs[0].plan.widgets.iter().find(|w| w.buttons.iter().any(|b| b.action.kind == "remove_device")).unwrap();
        let a = w.buttons.iter().find(|b| b.action.kind == "remove_device").unwrap().action.clone();
        let o = handle_action(&a, &mut st, now).unwrap();
        apply(&mut sim, &o);
        scans(&mut sim, &mut st, &mut now, 30);
        assert!(st.flow.as_ref().unwrap().failure.as_ref().unwrap().what.contains("did not appear"));
    }

    #[test]
    fn a_start_requested_from_the_popup_only_asks() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        act(&mut st, "request_logout_all", 0, now);
        let outs = scans(&mut sim, &mut st, &mut now, 3);
        assert!(sim.clicks.is_empty());
        let w = widget(&outs[0], "action:logout-all").unwrap();
        assert!(w.buttons[0].open, "the page opens our confirmation");
        assert!(w.buttons[0].confirm.is_some());
        assert_eq!(w.buttons[1].action.kind, "cancel_flow");
        // the user confirms on the page
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 3);
        assert!(!sim.clicks.is_empty());
        // an old request expires
        let mut st = State::default();
        act(&mut st, "request_logout_all", 0, T);
        let mut now = T + REQUEST_TTL_MS + 1;
        scans(&mut Sim::new(), &mut st, &mut now, 1);
        assert!(st.flow.is_none());
    }

    #[test]
    fn the_password_step_never_touches_password_fields() {
        // The only things the machine may do on KuCoin's password page:
        // nothing (the user types). No click, no navigation.
        let mut st = State::default();
        let mut f = Flow::new(FlowKind::LogoutAll, Stage::Password, T);
        f.phase = Phase::Opened;
        st.flow = Some(f);
        for success in [false, true] {
            let out = handle_scan(&updatepwd(success), &mut st, T + 1000);
            assert!(out.plan.steps.is_empty());
        }
    }

    #[test]
    fn waiting_for_the_user_writes_nothing() {
        let mut sim = Sim::new();
        sim.devices.truncate(1);
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 3);
        assert_eq!(st.flow.as_ref().unwrap().phase, Phase::Opened);
        // back on the security page (the user cancelled KuCoin's dialog)
        let outs = scans(&mut sim, &mut st, &mut now, 2);
        assert!(outs.iter().all(|o| !o.writes.contains(&"flow".to_string())), "{:?}", outs.iter().map(|o| &o.writes).collect::<Vec<_>>());
        let card = widget(&outs[1], "flow:progress").unwrap();
        assert_eq!(card.buttons[0].action.kind, "open_password");
        let o = act(&mut st, "open_password", 7, now);
        assert_eq!(o.plan.steps, vec![Step::Navigate { path: "/account/security/updatepwd".into() }]);
    }

    #[test]
    fn lang_prefix_for_navigation() {
        assert_eq!(crate::app::lang_prefix("https://www.kucoin.com/vi/account/security"), "/vi");
        assert_eq!(crate::app::lang_prefix("https://www.kucoin.com/zh_CN/account/security?x=1"), "/zh_CN");
        assert_eq!(crate::app::lang_prefix("https://www.kucoin.com/account/security"), "");
        assert_eq!(updatepwd_path("/vi"), "/vi/account/security/updatepwd");
    }

    #[test]
    fn a_device_of_this_browsers_kind_beside_the_current_one_is_removed_and_checked() {
        // "Linux Chrome" from Singapore on another network: the trust list's
        // "this browser" is of that kind and area, but KuCoin's Current chip
        // marks the other row. Not this browser: removed, and a survivor.
        let attacker = (s("Linux Chrome"), s("Singapore(198.51.100.9)"), false);
        let mut sim = Sim::new();
        sim.devices.push(attacker.clone());
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 30);
        assert!(!sim.devices.contains(&attacker), "{:?}", sim.devices);
        assert_eq!(st.flow.as_ref().unwrap().removed.len(), 4);
        // Left behind (Skip): the session check names it.
        let mut sim = Sim::new();
        sim.devices.truncate(1);
        sim.devices.push(attacker.clone());
        let mut st = State::default();
        scans(&mut sim, &mut st, &mut now, 1);
        let mut f = Flow::new(FlowKind::LogoutAll, Stage::Password, now);
        f.phase = Phase::Opened;
        st.flow = Some(f);
        now += 60_000;
        handle_scan(&updatepwd(true), &mut st, now);
        reload(&mut st, now);
        sim.logins = vec![
            [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:42:18"), s("Current")],
            [s("Singapore(203.0.113.24)"), s("Linux Chrome"), s("7/14/2025, 09:21:37"), s("Offline")],
        ];
        now += 60_000;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let r = st.checks.current().unwrap();
        assert!(!r.passed && r.survivors.iter().any(|x| x.contains("198.51.100.9")), "{r:?}");
        assert!(!outs[0].toast.contains("All other sessions ended"), "{}", outs[0].toast);
    }

    #[test]
    fn a_device_named_like_kucoins_question_does_not_hide_its_pop_confirm() {
        let mut sim = Sim::new();
        sim.devices.push((s("Are you sure to remove the device?"), s("Lagos(198.51.100.78)"), false));
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 30);
        let f = st.flow.as_ref().unwrap();
        assert!(f.failure.is_none(), "{:?}", f.failure);
        assert_eq!(sim.devices.len(), 1, "{:?}", sim.devices);
    }

    /// KuCoin's pop-confirm shows its Confirm disabled for a moment (a
    /// loading or countdown state): a press on it then does nothing, so the
    /// run waits for it to be enabled instead of pressing it and then
    /// stopping on "still listed after Confirm was pressed".
    #[test]
    fn a_confirm_disabled_for_a_while_is_pressed_once_enabled() {
        let mut sim = Sim::new();
        sim.pop_disabled_for = 3;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 60);
        let f = st.flow.as_ref().unwrap();
        assert!(f.failure.is_none(), "{:?}", f.failure);
        assert_eq!(sim.devices.len(), 1, "only this browser is left: {:?}", sim.devices);
        assert_eq!(sim.clicks.iter().filter(|c| **c == Ctl::PopConfirm).count(), 3, "each Confirm pressed once, enabled: {:?}", sim.clicks);
    }

    /// The Trusted Devices list is rendered anew (new nodes: KuCoin
    /// refetching it, the user switching the language) between the scan that
    /// pressed Remove and the click: the click finds its node gone and
    /// presses nothing. The run presses the row's new Remove instead of
    /// waiting out the pop-confirm's timeout and stopping on "did not appear".
    #[test]
    fn a_remove_press_lost_to_a_re_rendered_list_is_pressed_again() {
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let out = handle_scan(&sim.snapshot(), &mut st, now);
        reload(&mut st, now);
        assert!(out.plan.steps.iter().any(|s| matches!(s, Step::Click { id } if matches!(sim.controls.get(id), Some(Ctl::Remove(_))))));
        // (the click's node is gone before it lands: nothing is pressed)
        sim.rerenders += 1;
        now += 300;
        scans(&mut sim, &mut st, &mut now, 60);
        let f = st.flow.as_ref().unwrap();
        assert!(f.failure.is_none(), "{:?}", f.failure);
        assert_eq!(sim.devices.len(), 1, "only this browser is left: {:?}", sim.devices);
        assert_eq!(sim.clicks.last(), Some(&Ctl::ChangePwd));
        only_safe_clicks(&sim);

        // A single Remove of one of two rows of the same device and IP, lost
        // the same way before any scan read its row's time: which row was
        // meant is not known, so neither is pressed again.
        let mut sim = Sim::twin_rows();
        let mut st = State::default();
        let mut now = T;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        // (the older row's: pressed again by device and IP alone, the first row would be)
        let a = remove_action(&outs[0], |a| matches!(sim.controls.get(&a.target), Some(Ctl::Remove(d)) if d.starts_with("Linux Firefox |")));
        handle_action(&a, &mut st, now).unwrap();
        reload(&mut st, now);
        sim.rerenders += 1;
        scans(&mut sim, &mut st, &mut now, 40);
        assert!(!sim.clicks.iter().any(|c| matches!(c, Ctl::Remove(_))), "{:?}", sim.clicks);
        assert!(st.flow.as_ref().unwrap().failure.is_some());
    }

    #[test]
    fn another_dialogs_confirm_is_never_pressed_for_the_pop_confirm() {
        // Remove opens nothing (disabled, or KuCoin slow) while a dialog of
        // KuCoin's with Cancel / Confirm is open: the run stops, pressing nothing.
        let mut sim = Sim::new();
        sim.remove_disabled = true;
        sim.other_dialog = true;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 40);
        assert!(!sim.clicks.contains(&Ctl::OtherConfirm), "{:?}", sim.clicks);
        assert!(st.flow.as_ref().unwrap().failure.as_ref().unwrap().what.contains("did not appear"));
    }

    /// The same for the inline Remove of one row, which starts without a
    /// snapshot: the Confirm buttons on screen come with its action.
    #[test]
    fn another_dialogs_confirm_is_never_pressed_for_a_single_remove() {
        let mut sim = Sim::new();
        sim.remove_disabled = true;
        sim.other_dialog = true;
        let mut st = State::default();
        let mut now = T;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let a = remove_action(&outs[0], |_| true);
        assert_eq!(a.confirms.len(), 1, "the dialog's Confirm");
        // (the action as the page hands it back: JSON both ways)
        let a: Action = crate::json::from_text(&crate::json::to_text(&a)).unwrap();
        let o = handle_action(&a, &mut st, now).unwrap();
        apply(&mut sim, &o);
        scans(&mut sim, &mut st, &mut now, 40);
        assert!(!sim.clicks.contains(&Ctl::OtherConfirm), "{:?}", sim.clicks);
        assert!(st.flow.as_ref().unwrap().failure.as_ref().unwrap().what.contains("did not appear"));
        // more Confirm buttons than an action may name: refused, not cut
        let mut many = a.clone();
        many.confirms = (1000..1065).collect();
        assert_eq!(handle_action(&many, &mut State::default(), now).unwrap_err(), "action too large");
    }

    #[test]
    fn a_clock_set_back_does_not_hold_a_timeout_off() {
        let mut sim = Sim::new();
        sim.mode = Mode::NoPop;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 1);
        now -= 3_600_000;
        scans(&mut sim, &mut st, &mut now, 40);
        assert!(st.flow.as_ref().unwrap().failure.as_ref().is_some_and(|f| f.what.contains("did not appear")));
    }

    #[test]
    fn removing_one_of_two_rows_of_the_same_device_and_ip_removes_only_that_row() {
        let mut sim = Sim::twin_rows();
        let mut st = State::default();
        let mut now = T;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let mut acts: Vec<Action> = Vec::new();
        for w in &outs[0].plan.widgets {
            for b in w.buttons.iter().filter(|b| b.action.kind == "remove_device") {
                acts.push(b.action.clone());
            }
        }
        assert_eq!(acts.len(), 2);
        // the user confirms Remove on the older row
        let mut a = acts.iter().find(|a| matches!(sim.controls.get(&a.target), Some(Ctl::Remove(d)) if d.starts_with("Linux Firefox |"))).unwrap().clone();
        a.tab = 7;
        let o = handle_action(&a, &mut st, now).unwrap();
        reload(&mut st, now);
        apply(&mut sim, &o);
        let outs = scans(&mut sim, &mut st, &mut now, 40);
        assert!(st.flow.is_none(), "{:?}", st.flow.as_ref().map(|f| &f.failure));
        assert!(outs.iter().any(|o| o.toast.starts_with("Removed from Trusted Devices")));
        assert_eq!(sim.devices.len(), 2, "{:?}", sim.devices);
        assert!(sim.devices.iter().any(|d| d.0 == "Linux Firefox"), "the other row stays");
        assert_eq!(sim.clicks.iter().filter(|c| matches!(c, Ctl::Remove(_))).count(), 1, "{:?}", sim.clicks);
    }

    #[test]
    fn a_remove_button_now_on_another_row_is_not_confirmed() {
        // The user confirms Remove for "iOS 17.5 iPhone"; before the click the
        // list re-renders without "Windows 10 Chrome" into the same nodes (the
        // simulation's ids go by position): the button pressed is now Linux
        // Firefox's. Its pop-confirm is left unanswered; Retry removes the iPhone.
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        let outs = scans(&mut sim, &mut st, &mut now, 1);
        let a = remove_action(&outs[0], |a| a.device_text == "iOS 17.5 iPhone");
        sim.devices.remove(1);
        let _ = sim.snapshot();
        let o = handle_action(&a, &mut st, now).unwrap();
        reload(&mut st, now);
        apply(&mut sim, &o);
        scans(&mut sim, &mut st, &mut now, 10);
        assert_eq!(sim.clicks, vec![Ctl::Remove("Linux Firefox|Lagos(198.51.100.77)".into())], "nothing confirmed");
        assert!(st.flow.as_ref().unwrap().failure.as_ref().unwrap().what.contains("iPhone"));
        // (the user closes KuCoin's pop-confirm left open: one on screen when
        // Remove is pressed is never answered)
        sim.pop = None;
        act(&mut st, "resume_flow", 7, now);
        scans(&mut sim, &mut st, &mut now, 10);
        assert!(st.flow.is_none());
        assert!(sim.devices.iter().any(|d| d.0 == "Linux Firefox"), "{:?}", sim.devices);
        assert!(!sim.devices.iter().any(|d| d.0 == "iOS 17.5 iPhone"), "{:?}", sim.devices);
    }

    /// Only KuCoin's Remove, its pop-confirm's Confirm, page numbers and
    /// (step 3) Change were pressed.
    fn only_safe_clicks(sim: &Sim) {
        for c in &sim.clicks {
            assert!(matches!(c, Ctl::Remove(_) | Ctl::PopConfirm | Ctl::Page(_) | Ctl::ChangePwd), "pressed {c:?}: {:?}", sim.clicks);
        }
    }

    /// Our confirmation counts the devices to remove only when the list
    /// shows them all: not the first page of several.
    #[test]
    fn the_confirmation_counts_no_page_of_several() {
        let first_step = |sim: &mut Sim| {
            let mut st = State::default();
            let mut now = T;
            let outs = scans(sim, &mut st, &mut now, 1);
            widget(&outs[0], "action:logout-all").unwrap().buttons[0].confirm.as_ref().unwrap().steps[0].clone()
        };
        assert!(first_step(&mut Sim::paged(3, 5, false)).contains("(3 listed now)"));
        let paged = first_step(&mut Sim::paged(7, 5, false));
        assert!(!paged.contains("listed now"), "{paged}");
    }

    #[test]
    fn every_trusted_devices_page_is_emptied_before_step_2() {
        // 1 + 7 devices, 5 a page: page 2 holds 3. KuCoin either drops the
        // row from its page (page 2 untouched until opened) or fetches the
        // page again (rows move up).
        for refetch in [false, true] {
            let mut sim = Sim::paged(7, 5, refetch);
            let mut st = State::default();
            let mut now = T;
            scans(&mut sim, &mut st, &mut now, 1);
            act(&mut st, "logout_all", 7, now);
            scans(&mut sim, &mut st, &mut now, 60);
            only_safe_clicks(&sim);
            assert_eq!(sim.devices.len(), 1, "refetch {refetch}: only this browser is left: {:?}", sim.devices);
            let f = st.flow.as_ref().unwrap();
            assert!(f.failure.is_none(), "{:?}", f.failure);
            assert_eq!(f.stage, Stage::Password, "refetch {refetch}");
            assert_eq!(f.removed.len(), 7);
            if !refetch {
                assert!(sim.clicks.contains(&Ctl::Page(2)), "{:?}", sim.clicks);
                assert!(f.notes.iter().any(|n| n == "Opened Trusted Devices page 2 of 2."), "{:?}", f.notes);
                // Page 2 was opened only after page 1 had nothing left, and its devices removed after it.
                let opened = sim.clicks.iter().position(|c| *c == Ctl::Page(2)).unwrap();
                let removes_before = sim.clicks[..opened].iter().filter(|c| matches!(c, Ctl::Remove(_))).count();
                assert_eq!(removes_before, 4, "{:?}", sim.clicks);
            }
        }
    }

    #[test]
    fn a_trusted_devices_page_that_does_not_open_stops_the_run_and_says_so() {
        let mut sim = Sim::paged(7, 5, false);
        sim.pager_stuck = true;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 60);
        only_safe_clicks(&sim);
        assert_eq!(sim.devices.len(), 4, "page 2's 3 devices are still there");
        assert!(!sim.clicks.contains(&Ctl::ChangePwd), "never on to step 3 while page 2 may list devices");
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.stage, Stage::Devices);
        let words = "Trusted Devices page 2 did not open, and it may still list devices. Open it with KuCoin's page control under the list, then press Retry.";
        assert_eq!(f.failure.as_ref().map(|x| x.what.as_str()), Some(words));
        let card = widget(outs.last().unwrap(), "flow:progress").unwrap();
        assert_eq!(card.tone, Tone::Danger);
        assert!(card.text.contains(words) && card.text.contains("4 of 4 removed"), "{}", card.text);
        let labels: Vec<&str> = card.buttons.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["Retry", "Cancel"]);
        // The user opens page 2 and presses Retry: its devices go, then step 2.
        sim.pager_stuck = false;
        sim.shown_page = 2;
        act(&mut st, "resume_flow", 7, now);
        scans(&mut sim, &mut st, &mut now, 60);
        only_safe_clicks(&sim);
        assert_eq!(sim.devices.len(), 1, "{:?}", sim.devices);
        let f = st.flow.as_ref().unwrap();
        assert!(f.failure.is_none(), "{:?}", f.failure);
        assert_eq!((f.stage, f.removed.len()), (Stage::Password, 7));
    }

    #[test]
    fn trusted_devices_rows_that_cannot_be_read_are_never_passed_for_removed() {
        // One row's time can't be read ("Just now"): the others are removed,
        // then the run stops, saying how many rows are left to remove by hand.
        let mut sim = Sim::new();
        sim.times.insert((s("Linux Firefox"), s("Lagos(198.51.100.77)")), s("Just now"));
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 60);
        only_safe_clicks(&sim);
        assert_eq!(sim.devices.len(), 2, "the readable rows removed, the unreadable one left: {:?}", sim.devices);
        assert!(!sim.clicks.contains(&Ctl::ChangePwd), "never on to step 3 while a row may be a device still trusted");
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.stage, Stage::Devices);
        let words = "1 Trusted Devices row could not be read. Session Guard can't remove what it can't read, so it can't make sure every device was removed: remove the rest yourself with KuCoin's Remove buttons, then press Retry.";
        assert_eq!(f.failure.as_ref().map(|x| x.what.as_str()), Some(words));
        let card = widget(outs.last().unwrap(), "flow:progress").unwrap();
        assert_eq!(card.tone, Tone::Danger);
        assert!(card.text.contains(words), "{}", card.text);
        // Removed by hand on KuCoin, then Retry: on to step 2 and 3.
        sim.devices.retain(|d| d.0 != "Linux Firefox");
        act(&mut st, "resume_flow", 7, now);
        scans(&mut sim, &mut st, &mut now, 30);
        let f = st.flow.as_ref().unwrap();
        assert!(f.failure.is_none(), "{:?}", f.failure);
        assert_eq!(f.stage, Stage::Password);

        // Every row unreadable: said so (not "did not finish loading"), nothing pressed.
        let mut sim = Sim::new();
        for d in sim.devices.clone() {
            sim.times.insert((d.0, d.1), s("Just now"));
        }
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 60);
        assert!(!sim.clicks.iter().any(|c| matches!(c, Ctl::Remove(_) | Ctl::ChangePwd)), "{:?}", sim.clicks);
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.stage, Stage::Devices);
        let what = f.failure.as_ref().map(|x| x.what.clone()).unwrap_or_default();
        assert!(what.starts_with("4 Trusted Devices rows could not be read. "), "{what}");

        // Page 2 of Trusted Devices shows only rows that can't be read: it
        // opened (not "did not open"), and its rows are said.
        let mut sim = Sim::paged(7, 5, false);
        for (i, d) in sim.devices.clone().into_iter().enumerate() {
            if sim.device_page[i] == 2 {
                sim.times.insert((d.0, d.1), s("Just now"));
            }
        }
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 80);
        only_safe_clicks(&sim);
        assert!(sim.clicks.contains(&Ctl::Page(2)) && !sim.clicks.contains(&Ctl::ChangePwd), "{:?}", sim.clicks);
        let f = st.flow.as_ref().unwrap();
        assert_eq!((f.stage, f.removed.len()), (Stage::Devices, 4));
        let what = f.failure.as_ref().map(|x| x.what.clone()).unwrap_or_default();
        assert!(what.starts_with("3 Trusted Devices rows could not be read. "), "{what}");
    }

    #[test]
    fn a_trusted_devices_list_of_more_pages_than_are_checked_is_never_done() {
        // Five devices a page, 52 pages: page 1 cleared, then the run stops
        // (never on to step 2 with pages 51–52 unopened).
        let mut sim = Sim::paged(255, 5, false);
        assert_eq!(sim.last_page(), 52);
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 60);
        only_safe_clicks(&sim);
        let f = st.flow.as_ref().unwrap();
        assert_eq!((f.stage, f.removed.len()), (Stage::Devices, 4), "page 1's devices removed, no other page opened");
        assert!(!sim.clicks.iter().any(|c| matches!(c, Ctl::Page(_))), "{:?}", sim.clicks);
        let words = "Trusted Devices has 52 pages, more than Session Guard can check (at most 50), so it can't make sure every device was removed. Remove devices yourself with KuCoin's Remove buttons until the list has 50 pages or fewer, then press Retry.";
        assert_eq!(f.failure.as_ref().map(|x| x.what.as_str()), Some(words));
        assert!(widget(outs.last().unwrap(), "flow:progress").unwrap().text.contains(words));
        // Retry (or Skip) with the list as long: stopped again, never done.
        act(&mut st, "resume_flow", 7, now);
        scans(&mut sim, &mut st, &mut now, 5);
        let f = st.flow.as_ref().unwrap();
        assert_eq!((f.stage, f.failure.as_ref().map(|x| x.what.as_str())), (Stage::Devices, Some(words)));
    }

    #[test]
    fn a_pager_that_marks_no_page_is_not_taken_for_every_page_seen() {
        let mut sim = Sim::paged(7, 5, false);
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        // KuCoin's pager with no page marked as shown (the marks taken off each snapshot).
        let mut outs = Vec::new();
        for _ in 0..40 {
            let mut snap = sim.snapshot();
            for n in snap.nodes.iter_mut() {
                n.attrs.retain(|(k, _)| k != "aria-current");
                for (k, v) in n.attrs.iter_mut() {
                    if k == "class" {
                        *v = v.replace("KuxPagination-item-active", "");
                    }
                }
            }
            let out = handle_scan(&snap, &mut st, now);
            reload(&mut st, now);
            apply(&mut sim, &out);
            sim.tick();
            now += 300;
            outs.push(out);
        }
        only_safe_clicks(&sim);
        assert!(!sim.clicks.contains(&Ctl::ChangePwd));
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.stage, Stage::Devices);
        let what = &f.failure.as_ref().expect("stopped").what;
        assert!(what.starts_with("Trusted Devices has 2 pages and Session Guard can't tell which one is shown"), "{what}");
    }

    /// The action of the first inline Remove `out` offers whose action
    /// `pick` takes, as the page hands it back from tab 7.
    fn remove_action(out: &Outcome, pick: impl Fn(&Action) -> bool) -> Action {
        let mut a = out.plan.widgets.iter().flat_map(|w| w.buttons.iter()).find(|b| b.action.kind == "remove_device" && pick(&b.action)).expect("a Remove offered").action.clone();
        a.tab = 7;
        a
    }

    /// The inline Remove of the "Linux Firefox" row, started as the page
    /// starts it (the click applied: a `Mode::NoPop` page opens nothing).
    fn start_single_remove(sim: &mut Sim, st: &mut State, now: &mut i64) {
        let outs = scans(sim, st, now, 1);
        let a = remove_action(&outs[0], |a| a.device_text == "Linux Firefox");
        let o = handle_action(&a, st, *now).unwrap();
        reload(st, *now);
        apply(sim, &o);
    }

    #[test]
    fn a_single_remove_whose_row_turns_unreadable_is_never_reported_removed() {
        let firefox = || (s("Linux Firefox"), s("Lagos(198.51.100.77)"));
        let words = "Session Guard can't tell whether \u{2068}Linux Firefox\u{2069} from \u{2068}Lagos\u{2069} (198.51.100.77) was removed";
        let removed = |outs: &[Outcome]| outs.iter().any(|o| o.toast.starts_with("Removed from Trusted Devices"));
        // Remove pressed, nothing opens; meanwhile the row's Recent Activity
        // turns "Just now" (a row that can't be read) while the others stay
        // readable: its absence from the rows read is no removal.
        let mut sim = Sim::new();
        sim.mode = Mode::NoPop;
        let mut st = State::default();
        let mut now = T;
        start_single_remove(&mut sim, &mut st, &mut now);
        sim.times.insert(firefox(), s("Just now"));
        let outs = scans(&mut sim, &mut st, &mut now, 40);
        assert!(!removed(&outs), "{:?}", outs.iter().map(|o| &o.toast).collect::<Vec<_>>());
        assert!(sim.devices.iter().any(|d| d.0 == "Linux Firefox"));
        let what = st.flow.as_ref().and_then(|f| f.failure.as_ref()).map(|x| x.what.clone()).unwrap_or_default();
        assert!(what.starts_with(words), "{what}");
        assert!(widget(outs.last().unwrap(), "flow:progress").unwrap().text.contains(words));

        // KuCoin's Confirm pressed and nothing happens; then the row can't be read.
        let mut sim = Sim::new();
        sim.mode = Mode::Stuck;
        let mut st = State::default();
        let mut now = T;
        start_single_remove(&mut sim, &mut st, &mut now);
        let mut outs = scans(&mut sim, &mut st, &mut now, 1);
        assert_eq!(sim.clicks.last(), Some(&Ctl::PopConfirm));
        sim.times.insert(firefox(), s("Just now"));
        outs.extend(scans(&mut sim, &mut st, &mut now, 40));
        assert!(!removed(&outs), "{:?}", outs.iter().map(|o| &o.toast).collect::<Vec<_>>());
        let what = st.flow.as_ref().and_then(|f| f.failure.as_ref()).map(|x| x.what.clone()).unwrap_or_default();
        assert!(what.starts_with(words), "{what}");
        // Retry once the row reads again: removed then.
        sim.times.clear();
        sim.mode = Mode::Ok;
        sim.pop = None;
        act(&mut st, "resume_flow", 7, now);
        let outs = scans(&mut sim, &mut st, &mut now, 10);
        assert!(removed(&outs) && st.flow.is_none());
        assert!(!sim.devices.iter().any(|d| d.0 == "Linux Firefox"));

        // A real removal with another row unreadable all along: as many
        // unreadable rows as before, removed at once.
        let mut sim = Sim::new();
        sim.times.insert((s("Windows 10 Chrome"), s("Singapore(203.0.113.41)")), s("Just now"));
        let mut st = State::default();
        let mut now = T;
        start_single_remove(&mut sim, &mut st, &mut now);
        let outs = scans(&mut sim, &mut st, &mut now, 2);
        assert!(removed(&outs) && st.flow.is_none(), "{:?}", st.flow);
        // A real removal as another row turns unreadable: fewer rows in all.
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        start_single_remove(&mut sim, &mut st, &mut now);
        let mut outs = scans(&mut sim, &mut st, &mut now, 1);
        assert!(!sim.devices.iter().any(|d| d.0 == "Linux Firefox"));
        sim.times.insert((s("Windows 10 Chrome"), s("Singapore(203.0.113.41)")), s("Just now"));
        outs.extend(scans(&mut sim, &mut st, &mut now, 1));
        assert!(removed(&outs) && st.flow.is_none(), "{:?}", st.flow);
    }

    #[test]
    fn a_logout_all_row_that_turns_unreadable_is_never_counted_removed() {
        let chrome = || (s("Windows 10 Chrome"), s("Singapore(203.0.113.41)"));
        let words = "Session Guard can't tell whether \u{2068}Windows 10 Chrome\u{2069} from \u{2068}Singapore\u{2069} (203.0.113.41) was removed";
        // Remove and KuCoin's Confirm pressed, nothing happens; then the
        // row's Recent Activity turns "Just now" (a row that can't be read).
        let mut sim = Sim::new();
        sim.mode = Mode::Stuck;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 2);
        assert_eq!(sim.clicks, vec![Ctl::Remove(s("Windows 10 Chrome|Singapore(203.0.113.41)")), Ctl::PopConfirm]);
        sim.times.insert(chrome(), s("Just now"));
        let outs = scans(&mut sim, &mut st, &mut now, 60);
        assert!(sim.devices.iter().any(|d| d.0 == "Windows 10 Chrome"));
        let f = st.flow.as_ref().unwrap();
        assert!(f.removed.is_empty(), "{:?}", f.removed);
        let what = f.failure.as_ref().map(|x| x.what.clone()).unwrap_or_default();
        assert!(what.starts_with(words), "{what}");
        let card = widget(outs.last().unwrap(), "flow:progress").unwrap();
        assert!(card.text.contains(words) && card.text.contains("0 of "), "{}", card.text);
        assert!(!card.items.iter().any(|i| i.contains("Windows 10 Chrome")), "{:?}", card.items);

        // The same, the page reloaded before the row turns unreadable.
        let mut sim = Sim::new();
        sim.mode = Mode::Stuck;
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 2);
        sim.page_id = s("page-2");
        sim.times.insert(chrome(), s("Just now"));
        scans(&mut sim, &mut st, &mut now, 60);
        let f = st.flow.as_ref().unwrap();
        assert!(f.removed.is_empty(), "{:?}", f.removed);
        assert!(f.failure.is_some() && f.stage == Stage::Devices, "{:?}", f.failure);

        // One device removed, the next one's Remove pressed; its row turns
        // unreadable at once: compared with the list when it was pressed
        // (one row fewer than the last one read for the device before).
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 3);
        assert_eq!(sim.clicks.last(), Some(&Ctl::Remove(s("iOS 17.5 iPhone|Singapore(2001:db8:85a3::8a2e:370:7334)"))));
        sim.mode = Mode::Stuck;
        sim.times.insert((s("iOS 17.5 iPhone"), s("Singapore(2001:db8:85a3::8a2e:370:7334)")), s("Just now"));
        scans(&mut sim, &mut st, &mut now, 60);
        assert!(sim.devices.iter().any(|d| d.0 == "iOS 17.5 iPhone"));
        let f = st.flow.as_ref().unwrap();
        assert_eq!(f.removed.len(), 1, "{:?}", f.removed);
        assert!(f.failure.as_ref().is_some_and(|x| x.what.starts_with("Session Guard can't tell whether \u{2068}iOS 17.5 iPhone\u{2069}")), "{:?}", f.failure);

        // Real removals with another row unreadable all along: counted at once.
        let mut sim = Sim::new();
        sim.times.insert((s("Linux Firefox"), s("Lagos(198.51.100.77)")), s("Just now"));
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 3);
        assert!(!sim.devices.iter().any(|d| d.0 == "Windows 10 Chrome"));
        assert_eq!(st.flow.as_ref().unwrap().removed, vec![s("\u{2068}Windows 10 Chrome\u{2069} from \u{2068}Singapore\u{2069} (203.0.113.41)")]);
        scans(&mut sim, &mut st, &mut now, 3);
        assert_eq!(st.flow.as_ref().unwrap().removed.len(), 2);
        // A real removal as another row turns unreadable: fewer rows in all.
        let mut sim = Sim::new();
        let mut st = State::default();
        let mut now = T;
        scans(&mut sim, &mut st, &mut now, 1);
        act(&mut st, "logout_all", 7, now);
        scans(&mut sim, &mut st, &mut now, 2);
        assert!(!sim.devices.iter().any(|d| d.0 == "Windows 10 Chrome"));
        sim.times.insert((s("Linux Firefox"), s("Lagos(198.51.100.77)")), s("Just now"));
        scans(&mut sim, &mut st, &mut now, 1);
        assert_eq!(st.flow.as_ref().unwrap().removed.len(), 1, "{:?}", st.flow);
    }
}
