//! Verdicts: records + trust list + this browser → current / familiar /
//! unfamiliar, with a severity and a reason a person can act on.
//!
//! Pure functions; `cargo test` covers the table of cases. Anything we could
//! not read is never "familiar": hidden rows, unreadable rows and duplicate
//! lists come out as unfamiliar or as "can't verify".

use crate::device::DeviceInfo;
use crate::extract::{Extraction, Record, Status, TableKind};
use crate::i18n::t as tr;
use crate::trust::{Match, TrustList};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Current,
    Familiar,
    Unfamiliar,
}
crate::json_enum!(Verdict { Current = "current", Familiar = "familiar", Unfamiliar = "unfamiliar" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}
crate::json_enum!(Severity { High = "high", Medium = "medium", Low = "low", Info = "info" });

/// The verdict for one row of Recent Logins or Trusted Devices.
#[derive(Debug, Clone, PartialEq)]
pub struct RowVerdict {
    pub table: TableKind,
    pub row: u32,
    pub anchor: u32,
    pub verdict: Verdict,
    pub severity: Option<Severity>,
    /// Plain sentences; page text inside them is clipped.
    pub reason: String,
    pub online: bool,
    pub fingerprint: String,
    pub describe: String,
    pub ip: String,
    pub area: String,
    pub time_ms: Option<i64>,
    pub remove_button: Option<u32>,
    /// The user marked it "Not me".
    pub suspect: bool,
}
crate::json_struct!(RowVerdict { table, row, anchor, verdict, severity, reason, online, fingerprint, describe, ip, area, time_ms, remove_button, suspect });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventMark {
    Flagged,
    Acknowledged,
    Routine,
}
crate::json_enum!(EventMark { Flagged = "flagged", Acknowledged = "acknowledged", Routine = "routine" });

#[derive(Debug, Clone, PartialEq)]
pub struct EventVerdict {
    pub row: u32,
    pub anchor: u32,
    pub mark: EventMark,
    pub event_type: String,
    pub time_ms: Option<i64>,
    pub ip: String,
    /// Stable key for acknowledgement (type + time + ip).
    pub key: String,
}
crate::json_struct!(EventVerdict { row, anchor, mark, event_type, time_ms, ip, key });

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub sessions: u32,
    pub online: u32,
    pub unfamiliar: u32,
    pub unfamiliar_online: u32,
    pub trusted_by_kucoin_not_you: u32,
    pub flagged_events: u32,
    pub unreadable_rows: u32,
    /// Could the session list be read at all? When false the popup says so.
    pub readable: bool,
    /// Why not (or what is doubtful), plain sentences.
    pub problems: Vec<String>,
    /// KuCoin's "Current" row does not look like this browser.
    pub current_mismatch: bool,
}
crate::json_struct!(Summary { sessions, online, unfamiliar, unfamiliar_online, trusted_by_kucoin_not_you, flagged_events, unreadable_rows, readable, problems, current_mismatch });

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assessment {
    pub rows: Vec<RowVerdict>,
    pub events: Vec<EventVerdict>,
    pub summary: Summary,
}
crate::json_struct!(Assessment { rows, events, summary });

/// Security Logs types that change who can get in or take money out.
/// English keys; matched in every language through `labels` (the ones
/// KuCoin's label table has no row for, in English only). A first phone,
/// e-mail or Google Verification linked is as much a new way in as a
/// changed one (an attacker's own 2FA on an account that had none); the
/// trading password guards withdrawals; unfreezing reopens an account the
/// owner froze.
pub const SENSITIVE_EVENTS: &[&str] = &[
    "Change Password",
    "Change Trading Password",
    "Setting Trading Password",
    "Create API",
    "Modify API",
    "Set Up Google Verification",
    "Change Google Verification",
    "Link Phone Number",
    "Link New Phone Number",
    "Link Email",
    "New Email Verification",
    "Trusted Device",
    "Freeze an Account",
    "Account Unfreezing",
];

pub fn is_sensitive_event(text: &str) -> bool {
    let n = crate::labels::normalize(text);
    // "Create / Rename / Delete Passkey" change who can sign in; "Login with Passkey" does not.
    if crate::util::has(&n, "passkey") && !crate::util::has(&n, "login") {
        return true;
    }
    // The label in any language, alone or with more words after it ("Create
    // API (Read, Trade)", "Create API Key: trading-bot"); an English key the
    // tables lack, alone.
    crate::labels::starts_with_key(text, SENSITIVE_EVENTS) || SENSITIVE_EVENTS.iter().any(|k| crate::labels::normalize(k) == n)
}

/// What the user has acknowledged in Security Logs, and the flagged events
/// not acknowledged yet (per account, like the rest of `acks`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acks {
    /// Events at or before this time are acknowledged (Unix ms).
    pub until: i64,
    pub keys: Vec<String>,
    /// Sensitive events Security Logs flagged and the user has not
    /// acknowledged, newest first (at most `MAX_FLAGGED`): the Security Logs
    /// tab replaces Recent Logins, so without them the popup (its count, its
    /// "Password changed after the last suspicious event") would know only
    /// what is on screen. Absent in stores written before (empty).
    pub flagged: Vec<FlaggedEvent>,
}
crate::json_struct!(Acks { until: default, keys: default, flagged: default });

/// A flagged Security Logs event as read, plain data (page text clipped).
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedEvent {
    /// `event_key` (clipped to `KEPT_KEY_CHARS`): what "I did this" acknowledges.
    pub key: String,
    pub event_type: String,
    /// KuCoin's time for it (Unix ms); none when the row's time could not
    /// be read (then it stays until acknowledged: when it happened is not
    /// known, so neither its age nor whether a password change came after).
    pub time_ms: Option<i64>,
    pub ip: String,
    pub area: String,
    /// The device the row named: KuCoin's Security Logs has no device
    /// column, so empty unless a layout shows one.
    pub device: String,
}
crate::json_struct!(FlaggedEvent { key, event_type, time_ms, ip, area: default, device: default });

/// Flagged events kept at most (the newest).
pub const MAX_FLAGGED: usize = 50;
/// A kept event no longer on the Security Logs page read (a newer page
/// pushed it to the next one, or another page is shown) stays until it is
/// acknowledged or its time is this long ago. One on the page read stays
/// whatever its age: the page flags it too.
pub const FLAGGED_KEEP_MS: i64 = 90 * 86_400_000;
/// A key is page text (the event type): kept this long at most.
const KEPT_KEY_CHARS: usize = 300;

fn kept_key(key: &str) -> String {
    crate::extract::clip_to(key, KEPT_KEY_CHARS)
}

/// `kept` (a kept event's key) is the one `full` (an acknowledged key) names.
fn same_key(kept: &str, full: &str) -> bool {
    kept == full || (full.len() > KEPT_KEY_CHARS && kept_key(full) == kept)
}

impl Acks {
    /// The user acknowledged `e` ("I did this", "I did all", or an older
    /// store's "until").
    pub fn covers(&self, e: &FlaggedEvent) -> bool {
        e.time_ms.is_some_and(|t| t <= self.until) || self.keys.iter().any(|k| same_key(&e.key, k))
    }

    /// The kept flagged events not acknowledged, newest first.
    pub fn pending(&self) -> Vec<&FlaggedEvent> {
        let mut out = Vec::new();
        for e in &self.flagged {
            if !self.covers(e) {
                out.push(e);
            }
        }
        out
    }

    /// Drop the kept events acknowledged since (after "I did this").
    pub fn forget_acknowledged(&mut self) {
        let mut i = 0;
        while i < self.flagged.len() {
            if self.covers(&self.flagged[i]) {
                self.flagged.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// The time of the newest flagged event not acknowledged, for "Password
    /// changed after the last suspicious event". `changed`: the login
    /// password change recorded (`Checks::password_changed_at`). KuCoin logs
    /// that change as a "Change Password" event: the one such event nearest
    /// to it, within `check::SKEW_MS`, is that change and not a suspicious
    /// event (else every change would come "before" its own event). Both
    /// times are read as one clock: KuCoin's times as the browser's time
    /// zone shows them, the change as the computer's clock saw it. KuCoin
    /// logs one such event per change: when the nearest is one the user
    /// acknowledged ("I did this" on their own change), no pending one is
    /// the change (an intruder's "Change Password" minutes later stays
    /// suspicious). Events whose time could not be read are not weighed
    /// here (`undated_pending`).
    pub fn newest_pending(&self, changed: Option<i64>) -> Option<i64> {
        let pending = self.pending();
        let is_change = |t: &str| crate::labels::is_label(t, &[crate::check::CHANGE_PASSWORD_EVENT]);
        let mut own: Option<usize> = None;
        if let Some(c) = changed {
            // The nearest acknowledged Change Password event, by its key
            // (`event_key`: normalized type | time | address).
            let mut acked: Option<i64> = None;
            for k in &self.keys {
                let mut parts = k.rsplitn(3, '|');
                let (Some(_), Some(t), Some(ty)) = (parts.next(), parts.next(), parts.next()) else { continue };
                let Ok(t) = t.parse::<i64>() else { continue };
                let off = (t - c).abs();
                if off <= crate::check::SKEW_MS && is_change(ty) && acked.is_none_or(|a| off < a) {
                    acked = Some(off);
                }
            }
            // A store written before `keys` acknowledged by time only
            // (`until`: every event at or before it, of any type, was
            // acknowledged): one of those, as near to the change as `until`
            // allows, may be the user's own change event.
            if self.until > 0 {
                let off = (c - self.until).max(0);
                if off <= crate::check::SKEW_MS && acked.is_none_or(|a| off < a) {
                    acked = Some(off);
                }
            }
            for (i, e) in pending.iter().enumerate() {
                let Some(t) = e.time_ms else { continue };
                let off = (t - c).abs();
                if off <= crate::check::SKEW_MS
                    && is_change(&e.event_type)
                    && acked.is_none_or(|a| off < a)
                    && own.is_none_or(|j: usize| pending[j].time_ms.is_some_and(|tj| off < (tj - c).abs()))
                {
                    own = Some(i);
                }
            }
        }
        let mut newest = None;
        for (i, e) in pending.iter().enumerate() {
            if Some(i) != own && e.time_ms.is_some_and(|t| newest.is_none_or(|n| t > n)) {
                newest = e.time_ms;
            }
        }
        newest
    }

    /// A flagged event not acknowledged whose time could not be read: a
    /// password change cannot be said to come after it.
    pub fn undated_pending(&self) -> bool {
        self.pending().iter().any(|e| e.time_ms.is_none())
    }
}

/// After a scan that read Security Logs: keep the events it flagged (their
/// type, time, address, area and device, clipped) in `acks.flagged`, newest
/// first, at most `MAX_FLAGGED`. A kept event on the page read and no longer
/// flagged (acknowledged) goes; one not on it stays until acknowledged or
/// older than `FLAGGED_KEEP_MS` (one whose time could not be read, until
/// acknowledged or read again with a time). Returns whether `acks` changed.
pub fn remember_flagged(ex: &Extraction, a: &Assessment, acks: &mut Acks, now: i64) -> bool {
    let Some(t) = ex.table(TableKind::SecurityLogs) else { return false };
    let clip = crate::extract::clip;
    // (`assess` pushed one event per event of this table, in this order)
    let mut all: Vec<FlaggedEvent> = Vec::new();
    let mut on_page: Vec<String> = Vec::new();
    // (a dated event on the page also stands for an undated one kept with
    // its type, address, place and device: KuCoin's "Just now" becomes a
    // date, and that event is then flagged, or acknowledged, by its own key.
    // Only on the first page, where the newest events are: an older event
    // of that type from that address on page 2 is not the one that was
    // "Just now" on page 1, and must not make it go unacknowledged, so that
    // "Password changed after the last suspicious event" weighs the older
    // one alone. The event dated but read on another page: kept twice, until
    // acknowledged or page 1 is read.)
    let first_page = t.pager.as_ref().is_none_or(|g| g.last < 2 || g.current == 1);
    for (r, e) in undated_then_dated(t).zip(&a.events) {
        if first_page && r.time_ms.is_some() {
            on_page.push(kept_key(&undated_key(r)));
        }
        let key = kept_key(&e.key);
        let time_ms = e.time_ms;
        if e.mark == EventMark::Flagged {
            all.push(FlaggedEvent {
                key: key.clone(),
                event_type: clip(&e.event_type),
                time_ms,
                ip: e.ip.clone(),
                area: clip(r.ip.as_ref().and_then(|i| i.area.as_deref()).unwrap_or("")),
                device: clip(&r.device_text),
            });
        }
        on_page.push(key);
    }
    for old in &acks.flagged {
        if on_page.contains(&old.key) || acks.covers(old) || old.time_ms.is_some_and(|t| now - t > FLAGGED_KEEP_MS) {
            continue;
        }
        all.push(old.clone());
    }
    // The newest, each once (a row repeated on the page is one event): a
    // long list costs one sort, not a search per row. One whose time could
    // not be read counts as the newest (it may be).
    crate::util::sort_stable_by(&mut all, |a, b| a.time_ms.is_some().cmp(&b.time_ms.is_some()).then(b.time_ms.cmp(&a.time_ms)));
    let mut kept: Vec<FlaggedEvent> = Vec::new();
    for e in all {
        if kept.len() == MAX_FLAGGED {
            break;
        }
        if !kept.iter().any(|k| k.key == e.key) {
            kept.push(e);
        }
    }
    if kept == acks.flagged {
        return false;
    }
    acks.flagged = kept;
    true
}

/// The events of a Security Logs table: those read but for their time
/// (`Unreadable::event`), then the records, each in page order.
fn undated_then_dated(t: &crate::extract::Table) -> impl Iterator<Item = &Record> {
    t.unreadable.iter().filter_map(|u| u.event.as_ref()).chain(&t.records)
}

/// What "I did this" acknowledges: type | time | address. An event whose
/// time could not be read has its place and device (clipped) in place of
/// the time: the time's text may be relative ("5 minutes ago"), so not the
/// same from one read to the next.
pub fn event_key(r: &Record) -> String {
    match r.time_ms {
        Some(t) => format!("{}|{t}|{}", crate::labels::normalize(&r.event_type), event_ip(r)),
        None => undated_key(r),
    }
}

/// The address of an event row as its key holds it ("" when none).
fn event_ip(r: &Record) -> String {
    r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default()
}

/// `event_key` of `r` were its time not read.
fn undated_key(r: &Record) -> String {
    let ip = event_ip(r);
    let area = r.ip.as_ref().and_then(|i| i.area.as_deref()).unwrap_or("");
    let norm = |s: &str| crate::labels::normalize(&crate::extract::clip(s));
    format!("{}|?|{ip}|{}|{}", crate::labels::normalize(&r.event_type), norm(area), norm(&r.device_text))
}

fn place(r: &Record) -> String {
    let ip = r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default();
    match r.ip.as_ref().and_then(|i| i.area.as_deref()) {
        Some(a) if !a.is_empty() => tr("place_area", &[&crate::extract::quote(a), &crate::extract::quote_ip(&ip)]),
        _ => tr("place_ip", &[&crate::extract::quote_ip(&ip)]),
    }
}

fn describe(r: &Record) -> String {
    let d = r.device.describe();
    // Show the page's own words when we could not name the browser or OS
    // (attackers choose these strings: they stay literal, only clipped).
    if (r.device.browser.is_none() && r.device.os.is_none()) && !r.device_text.is_empty() {
        format!("\"{}\"", crate::extract::quote(&r.device_text))
    } else {
        d
    }
}

/// `this_browser`: identity of the browser the content script runs in, or
/// `None` when unknown (host scans).
pub fn assess(ex: &Extraction, trust: &TrustList, this_browser: Option<&DeviceInfo>, acks: &Acks) -> Assessment {
    let mut out = Assessment::default();
    let s = &mut out.summary;
    s.problems = ex.problems.clone();
    let logins = ex.table(TableKind::RecentLogins);
    s.readable = crate::extract::rendered(logins).is_some();
    for t in &ex.tables {
        s.unreadable_rows += t.unreadable.len() as u32;
        for u in &t.unreadable {
            if s.problems.len() < 8 {
                s.problems.push(tr("problem_row_unreadable", &[&crate::extract::kind_name(t.kind), &u.reason]));
            }
        }
    }
    if let Some(t) = logins {
        if !t.unreadable.is_empty() {
            s.readable = false;
        } else if t.records.is_empty() {
            // "No data" while signed in: this browser's own sign-in should be
            // listed, so the list did not load (KuCoin shows its empty state
            // when the request fails, too). Not "0 sessions · all familiar".
            s.readable = false;
            s.problems.push(tr("problem_logins_empty", &[&crate::extract::kind_name(t.kind)]));
        }
    }
    // A row equal to an earlier one (same table kind, IP, device, time and
    // status text) is a duplicate: found by sorting (stable, so the first of
    // equals is the original) instead of a hash set.
    let mut rows: Vec<(TableKind, &crate::extract::Record)> = Vec::new();
    for t in ex.tables.iter().filter(|t| t.kind != TableKind::SecurityLogs) {
        for r in &t.records {
            rows.push((t.kind, r));
        }
    }
    let dup_key = |i: usize| {
        let (kind, r) = rows[i];
        (kind as u8, r.ip_text.as_str(), r.device_text.as_str(), r.time_text.as_str(), r.status.map(|x| x as u8))
    };
    let order = crate::util::stable_order(rows.len(), &|a, b| dup_key(a).cmp(&dup_key(b)));
    let mut is_duplicate = vec![false; rows.len()];
    for w in order.windows(2) {
        if dup_key(w[0]) == dup_key(w[1]) {
            is_duplicate[w[1]] = true;
        }
    }
    // KuCoin's "Current" chip on a Trusted Devices row says which row is this
    // browser: another row of the same kind of device ("Windows 10 Chrome"
    // from the same city, another network) is another device, whatever the
    // trust list says of that kind.
    let chip = ex.table(TableKind::TrustedDevices).is_some_and(|t| t.records.iter().any(|r| r.status == Some(Status::Current) && !r.hidden));
    for (i, &(kind, r)) in rows.iter().enumerate() {
        {
            let duplicate = is_duplicate[i];
            let v = row_verdict(kind, r, trust, this_browser, duplicate, kind == TableKind::TrustedDevices && chip);
            if kind == TableKind::RecentLogins {
                s.sessions += 1;
                if v.online {
                    s.online += 1;
                }
                if v.verdict == Verdict::Unfamiliar && v.severity.is_some_and(|x| x <= Severity::Medium) {
                    s.unfamiliar += 1;
                    if v.online {
                        s.unfamiliar_online += 1;
                    }
                }
                if r.status == Some(Status::Current) && v.verdict == Verdict::Unfamiliar && !r.hidden && !duplicate {
                    s.current_mismatch = true;
                }
            } else if v.verdict == Verdict::Unfamiliar {
                s.trusted_by_kucoin_not_you += 1;
            }
            out.rows.push(v);
        }
    }
    if s.current_mismatch {
        s.problems.push(tr("problem_current_mismatch", &[]));
    }
    let mut currents = 0usize;
    if let Some(t) = ex.table(TableKind::RecentLogins) {
        for r in &t.records {
            if r.status == Some(Status::Current) && !r.hidden {
                currents += 1;
            }
        }
    }
    if currents > 1 {
        s.problems.push(crate::i18n::plural("problem_many_current", currents as u32));
    }
    if let Some(t) = ex.table(TableKind::SecurityLogs) {
        // (the events read but for their time first, flagged all the same:
        // when they happened is unknown, so they may be the newest; see
        // `Unreadable::event`)
        for r in undated_then_dated(t) {
            let key = event_key(r);
            let mark = if !is_sensitive_event(&r.event_type) {
                EventMark::Routine
            } else if r.time_ms.is_some_and(|t| t <= acks.until) || acks.keys.contains(&key) {
                EventMark::Acknowledged
            } else {
                EventMark::Flagged
            };
            if mark == EventMark::Flagged {
                out.summary.flagged_events += 1;
            }
            out.events.push(EventVerdict {
                row: r.row,
                anchor: r.anchor,
                mark,
                event_type: r.event_type.clone(),
                time_ms: r.time_ms,
                ip: r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default(),
                key,
            });
        }
    }
    // Unfamiliar online first, then by severity, then newest.
    crate::util::sort_stable_by(&mut out.rows, |a, b| {
        let rank = |v: &RowVerdict| (v.verdict != Verdict::Unfamiliar, !v.online, v.severity.unwrap_or(Severity::Info));
        rank(a).cmp(&rank(b)).then(b.time_ms.cmp(&a.time_ms))
    });
    out
}

/// `marked`: KuCoin's Current chip marks a row of this list (then only that
/// row is this browser).
pub(crate) fn row_verdict(kind: TableKind, r: &Record, trust: &TrustList, this_browser: Option<&DeviceInfo>, duplicate: bool, marked: bool) -> RowVerdict {
    let ip = r.ip.as_ref().map(|i| i.ip);
    let area = r.ip.as_ref().and_then(|i| i.area.clone());
    let online = matches!(r.status, Some(Status::Online) | Some(Status::Current));
    let mut v = RowVerdict {
        table: kind,
        row: r.row,
        anchor: r.anchor,
        verdict: Verdict::Unfamiliar,
        severity: Some(Severity::High),
        reason: String::new(),
        online,
        fingerprint: r.device.fingerprint(),
        describe: describe(r),
        ip: ip.map(|i| crate::net::ip_text(&i)).unwrap_or_default(),
        area: area.clone().unwrap_or_default(),
        time_ms: r.time_ms,
        remove_button: r.remove_button,
        suspect: false,
    };
    if r.hidden {
        v.reason = tr("reason_hidden", &[&v.describe, &place(r)]);
        return v;
    }
    if duplicate {
        v.reason = tr("reason_duplicate", &[&v.describe, &place(r)]);
        return v;
    }
    let is_this_browser = this_browser.is_none_or(|me| me.confirms(&r.device));
    if r.status == Some(Status::Current) {
        // Recent Logins status, or the "Current" chip in Trusted Devices.
        if is_this_browser {
            v.verdict = Verdict::Current;
            v.severity = None;
            v.reason = tr("reason_this_browser", &[]);
        } else {
            v.reason = tr("reason_false_current", &[&this_browser.map(|d| d.describe()).unwrap_or_default(), &v.describe, &place(r)]);
        }
        return v;
    }
    match trust.classify(&r.device, ip.as_ref(), area.as_deref()) {
        Match::Suspect(_) => {
            v.suspect = true;
            v.reason = tr("reason_not_me", &[&v.describe, &place(r)]);
        }
        Match::Known(d) | Match::NewNetwork(d) if d.this_browser && kind == TableKind::TrustedDevices && !marked => {
            v.verdict = Verdict::Current;
            v.severity = None;
            v.reason = tr("reason_this_browser", &[]);
        }
        // The label is the user's own text, or an imported file's: quoted
        // like page text (its bidi controls dropped, isolated), so an RLO in
        // it cannot reorder the rest of our sentence.
        Match::Known(d) => {
            v.verdict = Verdict::Familiar;
            v.severity = None;
            v.reason = tr("reason_familiar", &[&crate::extract::quote(&d.label)]);
        }
        Match::NewNetwork(d) => {
            v.verdict = Verdict::Familiar;
            v.severity = Some(Severity::Low);
            v.reason = tr("reason_new_network", &[&crate::extract::quote(&d.label), &crate::extract::quote_ip(&v.ip)]);
        }
        Match::NewArea(d) => {
            v.severity = Some(Severity::Medium);
            v.reason = tr("reason_new_area", &[&crate::extract::quote(&d.label), &v.describe, &place(r)]);
        }
        Match::Unknown => {
            if kind == TableKind::TrustedDevices {
                v.reason = tr("reason_trusted_not_you", &[&v.describe, &place(r)]);
            } else if online {
                v.reason = tr("reason_online_unknown", &[&v.describe, &place(r)]);
            } else {
                v.reason = tr("reason_unknown", &[&v.describe, &place(r)]);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::parse_kucoin_device;
    use crate::extract::{Extraction, PageKind, Table};
    use crate::net::parse_login_ip;

    fn rec(row: u32, ip: &str, dev: &str, status: Option<Status>) -> Record {
        Record {
            row,
            anchor: row,
            hidden: false,
            ip: Some(parse_login_ip(ip).unwrap()),
            ip_text: ip.into(),
            device_text: dev.into(),
            device: parse_kucoin_device(dev),
            time_text: "t".into(),
            time_ms: Some(row as i64),
            status,
            event_type: String::new(),
            remove_button: None,
            status_ambiguous: false,
        }
    }

    fn ex(records: Vec<Record>) -> Extraction {
        Extraction {
            page: PageKind::Security,
            lang: "en".into(),
            tables: vec![Table { kind: TableKind::RecentLogins, container: 1, records, unreadable: vec![], empty: false, by: "labels".into(), pager: None }],
            problems: vec![],
            controls: Default::default(),
            settings: Default::default(),
            account: String::new(),
        }
    }

    fn verdict_of(a: &Assessment, row: u32) -> &RowVerdict {
        a.rows.iter().find(|v| v.row == row).unwrap()
    }

    #[test]
    fn empty_trust_list_presumes_nothing() {
        let e = ex(vec![
            rec(1, "Singapore(203.0.113.24)", "Linux Chrome", Some(Status::Current)),
            rec(2, "Frankfurt(192.0.2.88)", "Linux Firefox", Some(Status::Online)),
            rec(3, "Singapore(203.0.113.30)", "Windows 10 Chrome", Some(Status::Offline)),
        ]);
        let me = parse_kucoin_device("Linux Chrome");
        let a = assess(&e, &TrustList::default(), Some(&me), &Acks::default());
        assert_eq!(verdict_of(&a, 1).verdict, Verdict::Current);
        let v2 = verdict_of(&a, 2);
        assert_eq!((v2.verdict, v2.severity), (Verdict::Unfamiliar, Some(Severity::High)));
        assert!(v2.reason.contains("Firefox on Linux"), "{}", v2.reason);
        assert!(v2.reason.contains("Frankfurt") && v2.reason.contains("192.0.2.88"), "{}", v2.reason);
        assert_eq!(verdict_of(&a, 3).verdict, Verdict::Unfamiliar);
        assert_eq!(a.summary.sessions, 3);
        assert_eq!(a.summary.online, 2);
        assert_eq!(a.summary.unfamiliar, 2);
        assert_eq!(a.summary.unfamiliar_online, 1);
        assert!(a.summary.readable);
        // unfamiliar online first
        assert_eq!(a.rows[0].row, 2);
    }

    #[test]
    fn trusted_versions_networks_areas() {
        let mut t = TrustList::default();
        let ip = |s: &str| parse_login_ip(s).unwrap();
        let l = ip("Singapore(203.0.113.5)");
        t.trust(&parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&l.ip), l.area.as_deref(), 1, false);
        let e = ex(vec![
            rec(1, "Singapore(203.0.113.99)", "Windows 10 Chrome", Some(Status::Online)),
            rec(2, "Singapore(198.51.100.1)", "Windows 10 Chrome", Some(Status::Offline)),
            rec(3, "Lagos(198.51.100.1)", "Windows 10 Chrome", Some(Status::Offline)),
            rec(4, "Singapore(203.0.113.99)", "Android 14 KuCoin App", Some(Status::Offline)),
        ]);
        let a = assess(&e, &t, None, &Acks::default());
        assert_eq!(verdict_of(&a, 1).verdict, Verdict::Familiar);
        assert_eq!((verdict_of(&a, 2).verdict, verdict_of(&a, 2).severity), (Verdict::Familiar, Some(Severity::Low)));
        assert_eq!((verdict_of(&a, 3).verdict, verdict_of(&a, 3).severity), (Verdict::Unfamiliar, Some(Severity::Medium)));
        assert!(verdict_of(&a, 3).reason.contains("new area"));
        assert_eq!((verdict_of(&a, 4).verdict, verdict_of(&a, 4).severity), (Verdict::Unfamiliar, Some(Severity::High)));
    }

    #[test]
    fn labels_cannot_reorder_our_sentences() {
        // A label with an RLO (typed, or from an imported file) is quoted like
        // page text: the reason's own words after it stay in their order.
        let mut t = TrustList::default();
        let ip = |s: &str| parse_login_ip(s).unwrap();
        let l = ip("Singapore(203.0.113.5)");
        t.trust(&parse_kucoin_device("Windows 10 Chrome"), "\u{202e}Laptop", Some(&l.ip), l.area.as_deref(), 1, false);
        let e = ex(vec![rec(1, "Singapore(203.0.113.99)", "Windows 10 Chrome", Some(Status::Online)), rec(2, "Singapore(198.51.100.1)", "Windows 10 Chrome", Some(Status::Offline))]);
        let a = assess(&e, &t, None, &Acks::default());
        for id in [1, 2] {
            let r = &verdict_of(&a, id).reason;
            assert!(!r.contains('\u{202e}') && r.contains("\u{2068}Laptop\u{2069}"), "{r:?}");
        }
    }

    #[test]
    fn not_me_precedence() {
        let mut t = TrustList::default();
        let d = parse_kucoin_device("Linux Firefox");
        let l = parse_login_ip("Frankfurt(192.0.2.88)").unwrap();
        t.trust(&d, "Mine", Some(&l.ip), l.area.as_deref(), 1, false);
        t.mark_not_me(&d, Some(&l.ip), l.area.as_deref(), 2);
        let a = assess(&ex(vec![rec(1, "Frankfurt(192.0.2.88)", "Linux Firefox", Some(Status::Online))]), &t, None, &Acks::default());
        let v = verdict_of(&a, 1);
        assert!(v.suspect);
        assert_eq!((v.verdict, v.severity), (Verdict::Unfamiliar, Some(Severity::High)));
    }

    #[test]
    fn false_current_and_hidden_rows() {
        let mut hidden = rec(2, "Singapore(203.0.113.24)", "Linux Chrome", Some(Status::Offline));
        hidden.hidden = true;
        let mut t = TrustList::default();
        t.trust(&parse_kucoin_device("Linux Chrome"), "This browser", None, None, 1, true);
        let e = ex(vec![rec(1, "Lagos(198.51.100.9)", "Windows 10 Edge", Some(Status::Current)), hidden]);
        let me = parse_kucoin_device("Linux Chrome");
        let a = assess(&e, &t, Some(&me), &Acks::default());
        assert_eq!(verdict_of(&a, 1).verdict, Verdict::Unfamiliar);
        assert!(a.summary.current_mismatch);
        assert_eq!(verdict_of(&a, 2).verdict, Verdict::Unfamiliar);
        assert!(verdict_of(&a, 2).reason.contains("Hidden"));
    }

    #[test]
    fn duplicate_rows_are_not_familiar() {
        let mut t = TrustList::default();
        let l = parse_login_ip("Singapore(203.0.113.24)").unwrap();
        t.trust(&parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&l.ip), l.area.as_deref(), 1, false);
        let e = ex(vec![
            rec(1, "Singapore(203.0.113.24)", "Windows 10 Chrome", Some(Status::Offline)),
            rec(2, "Singapore(203.0.113.24)", "Windows 10 Chrome", Some(Status::Offline)),
        ]);
        let a = assess(&e, &t, None, &Acks::default());
        assert_eq!(verdict_of(&a, 1).verdict, Verdict::Familiar);
        assert_eq!(verdict_of(&a, 2).verdict, Verdict::Unfamiliar);
    }

    #[test]
    fn unreadable_is_never_all_good() {
        let mut e = ex(vec![]);
        e.tables[0].unreadable.push(crate::extract::Unreadable { row: 9, reason: "no status".into(), event: None });
        let a = assess(&e, &TrustList::default(), None, &Acks::default());
        assert!(!a.summary.readable);
        let mut e = ex(vec![]);
        e.tables.clear();
        let a = assess(&e, &TrustList::default(), None, &Acks::default());
        assert!(!a.summary.readable);
    }

    #[test]
    fn sensitive_events() {
        assert!(is_sensitive_event("Create API"));
        assert!(is_sensitive_event("Создать API"));
        assert!(is_sensitive_event("Delete Passkey"));
        assert!(!is_sensitive_event("Login with Password"));
        // more words after the label: still that event
        assert!(is_sensitive_event("Create API (Read, Trade)"));
        assert!(is_sensitive_event("Create API Key: trading-bot"));
        assert!(is_sensitive_event("Change Password - web"));
        assert!(is_sensitive_event("Создать API (чтение)"));
        // a label inside a longer word is not
        assert!(!is_sensitive_event("Create APIs list viewed"));
        assert!(!is_sensitive_event("Login"));
        // every type on KuCoin's list that adds a way in or out
        for t in ["Link Email", "Link Phone Number", "Set Up Google Verification", "Change Trading Password", "Setting Trading Password", "Account Unfreezing"] {
            assert!(is_sensitive_event(t), "{t}");
        }
        assert!(!is_sensitive_event("Login with Passkey"));
    }
}
