//! Page recognition and table extraction: snapshot → typed records.
//!
//! Nothing here depends on class names. Rows are found by *cell shapes* (an
//! element holding a `{area}({ip})` piece and a date-time piece), grouped by
//! their parent, and named by the header labels around them in any of
//! KuCoin's 24 languages; when the labels are in an unknown language, the
//! shapes decide (status word → Recent Logins, a button → Trusted Devices,
//! otherwise Security Logs). Whatever cannot be read becomes an explicit
//! `Unreadable` entry — never a silently dropped row.

use crate::device::{self, DeviceInfo};
use crate::i18n::t as tr;
use crate::labels::{self, key, COLUMN_KEYS, STATUS_KEYS};
use crate::net::{self, LoginIp};
use crate::snapshot::{Snapshot, SnapshotError, Tree};
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `/account/security` — session tables live here.
    Security,
    /// `/account/api` — API keys.
    Api,
    /// `/ucenter/signin`.
    SignIn,
    /// `/account/security/updatepwd` — KuCoin's change-password flow.
    UpdatePassword,
    /// Any other page: the core does nothing there.
    Other,
}
crate::json_enum!(PageKind { Security = "security", Api = "api", SignIn = "sign_in", UpdatePassword = "update_password", Other = "other" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    RecentLogins,
    TrustedDevices,
    SecurityLogs,
}
crate::json_enum!(TableKind { RecentLogins = "recent_logins", TrustedDevices = "trusted_devices", SecurityLogs = "security_logs" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Current,
    Online,
    Offline,
}
crate::json_enum!(Status { Current = "current", Online = "online", Offline = "offline" });

/// One parsed row. Fields a table does not have stay `None`/empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Snapshot id of the row element (what `mark` targets).
    pub row: u32,
    /// Element to append an inline reason into (the device cell when known).
    pub anchor: u32,
    /// Not rendered on the page (hidden, zero-size, off-screen).
    pub hidden: bool,
    pub ip: Option<LoginIp>,
    pub ip_text: String,
    /// Login Device / Trusted Device text as shown.
    pub device_text: String,
    pub device: DeviceInfo,
    pub time_text: String,
    /// Unix ms (UTC) of the Time / Recent Activity cell.
    pub time_ms: Option<i64>,
    pub status: Option<Status>,
    /// Security Logs "Type" text.
    pub event_type: String,
    /// Row buttons (e.g. Trusted Devices "Remove").
    pub remove_button: Option<u32>,
    /// The status word means both Current and Online in this language
    /// (ja, nl): which row is this browser was decided by device and time.
    pub status_ambiguous: bool,
}
crate::json_struct!(Record { row, anchor, hidden, ip, ip_text, device_text, device, time_text, time_ms, status, event_type, remove_button, status_ambiguous: default });

#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub row: u32,
    pub reason: String,
    /// A Security Logs event read whole but for its time (`time_ms` none):
    /// kept so a sensitive one is still flagged and remembered (`assess`),
    /// while the row stays one we cannot read. None for any other row.
    pub event: Option<Record>,
}
crate::json_struct!(Unreadable { row, reason, event: default });

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub kind: TableKind,
    /// The element the table lives in (summary widgets go before it).
    pub container: u32,
    pub records: Vec<Record>,
    pub unreadable: Vec<Unreadable>,
    /// The page says the list is empty ("No data").
    pub empty: bool,
    /// How the kind was decided: "labels" or "shape".
    pub by: String,
    /// The page control under the list, if one was found (Trusted Devices
    /// too: a page of it read alone must not pass for every device KuCoin trusts).
    pub pager: Option<Pager>,
}
crate::json_struct!(Table { kind, container, records, unreadable, empty, by, pager: default });

impl Table {
    /// No row shown, read or not, and the page does not say the list is
    /// empty: KuCoin is loading it (a spinner while a page is replaced), so
    /// what was read of it in this page load stays as it was.
    pub fn loading(&self) -> bool {
        self.records.is_empty() && self.unreadable.is_empty() && !self.empty
    }
}

/// A list's page control (KuCoin's kit, Ant Design's `ant-pagination`, MUI's
/// `nav` …), found by structure: after the list's last row, a run of
/// controls whose whole text is a page number, in ascending order, under one
/// parent; the shown page by `aria-current` / `aria-selected` (or an
/// "active"/"selected" class word). Only page numbers are ever pressed (not
/// "next": a number's control cannot be anything but a page change); a pager
/// with an ellipsis shows more numbers around the page shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pager {
    /// Page shown (1-based); 0 when the control marks none.
    pub current: u32,
    /// Highest page number offered (the last page).
    pub last: u32,
    /// Page numbers with a control, and those controls' ids (same order).
    pub numbers: Vec<u32>,
    pub ids: Vec<u32>,
}
crate::json_struct!(Pager { current, last, numbers, ids });

impl Pager {
    /// The control that opens page `n`, if the pager shows its number.
    pub fn control(&self, n: u32) -> Option<u32> {
        for (i, &x) in self.numbers.iter().enumerate() {
            if x == n {
                return Some(self.ids[i]);
            }
        }
        None
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub page: PageKind,
    /// KuCoin UI language used for labels and dates (`en`, `zh_CN`, …), or "".
    pub lang: String,
    pub tables: Vec<Table>,
    /// Page-level problems: why something could not be verified.
    pub problems: Vec<String>,
    /// Snapshot ids of notable controls found on the page.
    pub controls: Controls,
    /// What the setting cards say (security page only).
    pub settings: SecuritySettings,
    /// The signed-in account as the page shows it (masked e-mail), if any.
    pub account: String,
}
crate::json_struct!(Extraction { page, lang, tables, problems, controls, settings: default, account: default });

/// The account's protections as the security page shows them. `None` means
/// "could not tell" — never guessed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecuritySettings {
    pub google_2fa: Option<bool>,
    pub anti_phishing: Option<bool>,
    pub restrict_login_ip: Option<bool>,
    pub email_linked: Option<bool>,
    pub phone_linked: Option<bool>,
    /// KuCoin shows "Enable 2FA … before managing devices" where the Trusted
    /// Devices list would be: which devices it trusts cannot be read (nor
    /// removed) until 2FA is on. Not an empty list, not "all good".
    pub trusted_needs_2fa: bool,
}
crate::json_struct!(SecuritySettings { google_2fa, anti_phishing, restrict_login_ip, email_linked, phone_linked, trusted_needs_2fa: default });

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Controls {
    /// Where our page-level cards are prepended: the security page's root
    /// (`data-inspector="account_security_page"`), or the `<main>` around it
    /// when it sits in one, so the root's own children keep their positions
    /// (a page styling them by position, `> div:nth-child(2)`, keeps its
    /// layout); `<body>` on other pages.
    pub page_root: Option<u32>,
    /// Login Password card's Change button.
    pub change_password: Option<u32>,
    /// Freeze Account button.
    pub freeze: Option<u32>,
    /// KuCoin's "Enable 2FA … before managing devices" in place of the
    /// Trusted Devices list (see `SecuritySettings::trusted_needs_2fa`).
    pub needs_2fa_prompt: Option<u32>,
}
crate::json_struct!(Controls { page_root, change_password, freeze, needs_2fa_prompt: default });

impl Extraction {
    pub fn table(&self, kind: TableKind) -> Option<&Table> {
        self.tables.iter().find(|t| t.kind == kind)
    }
}

/// A table the page shows in full: rows, or an empty list with nothing unreadable
/// (shared by the verdicts, the password check and the log-out-all run).
pub fn rendered(t: Option<&Table>) -> Option<&Table> {
    t.filter(|t| !t.records.is_empty() || (t.empty && t.unreadable.is_empty()))
}

/// A table the page shows, in full or not: rows read, an empty list, or
/// rows that could not be read (a list shown, not one loading or absent:
/// its unreadable rows are said, never passed over).
pub fn shown(t: Option<&Table>) -> Option<&Table> {
    t.filter(|t| !t.records.is_empty() || t.empty || !t.unreadable.is_empty())
}

/// What the URL says: page kind and the language prefix, if any.
pub fn recognise_url(url: &str) -> (PageKind, Option<&'static str>) {
    let rest = crate::util::find(url, "://").map_or(url, |i| crate::util::str_from(url, i + 3));
    let (host, path) = match rest.find('/') {
        Some(i) => (crate::util::str_to(rest, i), crate::util::str_from(rest, i)),
        None => (rest, "/"),
    };
    let host = host.bytes().rposition(|b| b == b'@').map_or(host, |i| crate::util::str_from(host, i + 1));
    let host = host.split(':').next().unwrap_or("");
    if !(host.eq_ignore_ascii_case("www.kucoin.com") || host.eq_ignore_ascii_case("kucoin.com")) {
        return (PageKind::Other, None);
    }
    let path = crate::util::split_with(path, |c| matches!(c, '?' | '#')).next().unwrap_or("/");
    let mut segs: Vec<&str> = Vec::new();
    for s in path.split('/') {
        if !s.is_empty() {
            segs.push(s);
        }
    }
    let mut lang = None;
    if let Some(first) = segs.first() {
        if first.len() <= 8 && *first != "account" && *first != "ucenter" {
            let known = labels::ui_lang(first);
            // A language KuCoin added after our label tables is still its
            // security page: read by shape, else "can't verify" — never "other"
            // and nothing shown.
            if known.is_some() || looks_like_lang_tag(first) {
                lang = known;
                segs.remove(0);
            }
        }
    }
    let kind = match segs.as_slice() {
        ["account", "security"] => PageKind::Security,
        ["account", "security", "updatepwd"] => PageKind::UpdatePassword,
        ["account", "api"] => PageKind::Api,
        ["ucenter", "signin"] => PageKind::SignIn,
        _ => PageKind::Other,
    };
    (kind, lang)
}

/// `kk`, `ckb`, `pt-PT`, `zh_Hans`: the language prefixes content.js's
/// RELEVANT_PATH lets through (2-3 letters, then 2-4 after `-` or `_`).
fn looks_like_lang_tag(seg: &str) -> bool {
    let mut parts = crate::util::split_with(seg, |c| c == '-' || c == '_');
    let alpha = |p: &str, lo: usize, hi: usize| (lo..=hi).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic());
    parts.next().is_some_and(|p| alpha(p, 2, 3)) && parts.next().is_none_or(|p| alpha(p, 2, 4)) && parts.next().is_none()
}

/// What each visible text piece could be.
#[derive(Default, Clone)]
struct Piece {
    ip: Option<LoginIp>,
    time: Option<i64>,
    column: Option<&'static str>,
    status: Option<Status>,
    /// Same word for Current and Online in the page language.
    ambiguous: bool,
    /// A later part of a date-time split over text nodes (read with the
    /// first, which holds `time`).
    tail: bool,
    /// "Login IP: Singapore(…)": `column` is the label, the value starts here.
    value_at: usize,
    /// A later word of a label or status over elements, read with the first
    /// ("Hiện" <b>"tại"</b>: "tại" is no device name).
    rest: bool,
}

/// A label and its value in one text ("Time: 2025/07/14 09:21:37", "时间：…").
fn split_label<'a>(t: &'a str, lang: Option<&str>) -> Option<(&'static str, &'a str)> {
    let (k, c) = t.char_indices().find(|&(_, c)| c == ':' || c == '：')?;
    let left = crate::util::str_to(t, k);
    let value = crate::util::str_from(t, k + c.len_utf8()).trim();
    if value.is_empty() || t.len() > 300 || left.len() > 80 || !left.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80) {
        return None;
    }
    Some((labels::match_key(left, lang, COLUMN_KEYS)?, value))
}

fn status_of(k: &str) -> Option<Status> {
    match k {
        key::CURRENT => Some(Status::Current),
        key::ONLINE => Some(Status::Online),
        key::OFFLINE => Some(Status::Offline),
        _ => None,
    }
}

/// Cheap pre-filter before running the IP parser.
fn may_hold_ip(s: &str) -> bool {
    s.len() < 300 && crate::util::any_byte(s, |b| b.is_ascii_digit()) && crate::util::any_byte(s, |b| b == b'.' || b == b':')
}
/// Cheap pre-filter before running the date parser.
fn may_hold_time(s: &str) -> bool {
    s.len() < 80 && crate::util::count_chars_where(s, char::is_numeric) >= 6
}

pub fn extract(snap: &Snapshot) -> Extraction {
    let (page, url_lang) = recognise_url(&snap.url);
    let lang = url_lang.or_else(|| labels::ui_lang(&snap.lang)).unwrap_or("");
    let mut ex = Extraction {
        page,
        lang: lang.to_string(),
        tables: Vec::new(),
        problems: Vec::new(),
        controls: Controls::default(),
        settings: SecuritySettings::default(),
        account: String::new(),
    };
    if page == PageKind::Other {
        return ex;
    }
    // Words split across text nodes read whole ("Chr" + "ome").
    let joined = crate::snapshot::joined(snap);
    let snap = joined.as_ref().unwrap_or(snap);
    let tree = match Tree::new(snap) {
        Ok(t) => t,
        Err(e) => {
            ex.problems.push(match e {
                crate::snapshot::SnapshotError::TooLarge(n) => crate::i18n::plural("problem_page_too_large", u32::try_from(n).unwrap_or(u32::MAX)),
                e => e.to_string(),
            });
            return ex;
        }
    };
    find_controls(&tree, &mut ex.controls);
    ex.account = find_account(&tree);
    if page != PageKind::Security {
        return ex;
    }
    let lang = lang_from_labels(&tree, lang);
    ex.lang = lang.to_string();
    ex.settings = read_settings(&tree, lang);
    extract_tables(&tree, lang, &snap.env.zone(), &mut ex);
    // The prompt stands for the list only where no list with rows is (a
    // device named like it is a row of the list).
    if ex.table(TableKind::TrustedDevices).is_none_or(|t| t.records.is_empty() && t.unreadable.is_empty()) {
        if let Some(p) = find_2fa_prompt(&tree) {
            ex.controls.needs_2fa_prompt = Some(tree.node(p).id);
            ex.settings.trusted_needs_2fa = true;
            // The list's header over the prompt (where its rows or "No data"
            // would be): the prompt, not a list still loading.
            if let Some(i) = ex.tables.iter().position(|t| t.kind == TableKind::TrustedDevices) {
                ex.tables.remove(i);
                let loading = tr("problem_no_rows_yet", &[&kind_name(TableKind::TrustedDevices)]);
                if let Some(q) = ex.problems.iter().position(|x| *x == loading) {
                    ex.problems.remove(q);
                }
            }
            // It shows only while neither Google Verification nor SMS is on.
            if ex.settings.google_2fa.is_none() {
                ex.settings.google_2fa = Some(false);
            }
        }
    }
    resolve_ambiguous_current(&mut ex, this_browser(&snap.env).as_ref());
    if ex.table(TableKind::RecentLogins).is_none() {
        ex.problems.push(tr("problem_no_recent_logins", &[]));
    } else if ex.page == PageKind::Security && ex.table(TableKind::TrustedDevices).is_none() && !ex.settings.trusted_needs_2fa && shows_label(&tree, key::TRUSTED_DEVICES) {
        // Under its title KuCoin shows the list or its 2FA prompt: neither found
        // (a prompt in words we do not know, a new layout) is not "no devices".
        ex.problems.push(tr("problem_no_trusted_devices", &[]));
    }
    // Read by shape alone and it failed: the likely cause first (a language
    // KuCoin added after our label tables), in the summary's "why".
    if lang.is_empty() && !ex.problems.is_empty() {
        let code = if snap.lang.is_empty() { "?".to_string() } else { clip_to(&snap.lang, 16) };
        ex.problems.insert(0, tr("problem_unknown_language", &[&code]));
    }
    ex
}

/// The language the page's column labels are written in, when they name one
/// language and the URL / `<html lang>` says another or nothing (a language
/// switch re-renders the lists without a reload; `<html lang>` may lag): dates
/// ("3.2.2025" is 3 February in German, 2 March in English) and status words
/// are read in the language the user sees.
fn lang_from_labels(tree: &Tree, declared: &'static str) -> &'static str {
    let (mut common, mut seen) = (u32::MAX, 0);
    // Labels hold no digits (dates, addresses and most device names do); the
    // headers come before their rows, so a few labels are enough.
    for i in 0..tree.len() {
        let n = tree.node(i);
        if n.is_text() && n.text.len() <= 80 && !n.text.bytes().any(|b| b.is_ascii_digit()) {
            let m = labels::langs_of(&n.text, COLUMN_KEYS);
            if m != 0 {
                common &= m;
                seen += 1;
                if seen == 16 {
                    break;
                }
            }
        }
    }
    let langs = &labels::labels().langs;
    let declared_bit = langs.iter().position(|l| *l == declared).filter(|&i| i < 32).map_or(0, |i| 1u32 << i);
    if seen >= 2 && common.count_ones() == 1 && common & declared_bit == 0 {
        return langs.get(common.trailing_zeros() as usize).copied().unwrap_or(declared);
    }
    declared
}

/// This browser's identity as the content script reports it; `None` for host
/// snapshots. KuCoin's Login Device cell is made from the User-Agent its server
/// receives, so the User-Agent decides: the client hints name the browser and
/// OS version more exactly (Brave, Windows 11) only where they agree with it
/// (not for a brand KuCoin's parser sees as Chrome, e.g. Whale, nor under a
/// User-Agent override), and their model (which a reduced User-Agent hides, so
/// the cell cannot show it) is never used.
pub fn this_browser(env: &crate::snapshot::BrowserEnv) -> Option<DeviceInfo> {
    let ua = (!env.ua.is_empty()).then(|| device::parse_user_agent(&env.ua));
    if !env.brands.is_empty() {
        let pv = (!env.platform_version.is_empty()).then_some(env.platform_version.as_str());
        let mut d = device::from_client_hints(&env.brands, &env.platform, pv, env.mobile, None);
        if d.browser.is_some() {
            match ua {
                Some(u) if !u.same_device(&d) => return Some(u),
                Some(u) => {
                    d.model = u.model;
                    // A platform the hints leave empty or unnamed ("", "Unknown", a
                    // spoofer's partial hints) is not an unknown OS: the User-Agent
                    // named one, and an identity without it would be any OS's Chrome.
                    if d.os.is_none() {
                        (d.os, d.os_version, d.form_factor) = (u.os, u.os_version, u.form_factor);
                    }
                }
                None => {}
            }
            return Some(d);
        }
    }
    ua
}

/// In Japanese and Dutch KuCoin shows one word for Current and Online. When
/// no row says Current unambiguously, the newest ambiguous row that looks
/// like this browser is Current; the others stay Online (and so are checked).
/// Only a row whose device text names a web browser: the device name is the
/// signing-in client's to choose, and one naming no browser ("Linux", "現在")
/// would otherwise pass for any browser on its OS (or for any, on the host).
/// No row can be (this browser a phone's, its row "iOS 18.3 iPhone"): a
/// problem says so.
fn resolve_ambiguous_current(ex: &mut Extraction, me: Option<&DeviceInfo>) {
    let Some(t) = ex.tables.iter_mut().find(|t| t.kind == TableKind::RecentLogins) else { return };
    if t.records.iter().any(|r| r.status == Some(Status::Current) && !r.status_ambiguous) {
        return;
    }
    let mut candidates: Vec<usize> = Vec::new();
    for (i, r) in t.records.iter().enumerate() {
        let names_browser = r.device.browser.is_some() && r.device.kind == Some(device::DeviceKind::Web);
        if r.status_ambiguous && !r.hidden && names_browser && me.is_none_or(|m| m.confirms(&r.device)) {
            candidates.push(i);
        }
    }
    // the newest; of equally new ones the last (as max_by_key)
    let mut newest: Option<usize> = None;
    for &i in &candidates {
        if newest.is_none_or(|b| t.records[i].time_ms >= t.records[b].time_ms) {
            newest = Some(i);
        }
    }
    if let Some(best) = newest {
        t.records[best].status = Some(Status::Current);
        if candidates.len() > 1 && me.is_some() {
            ex.problems.push(tr("problem_ambiguous_current", &[]));
        }
    } else if me.is_some() && t.records.iter().any(|r| r.status_ambiguous && !r.hidden) {
        // None could be this browser's (a phone browser's row names no
        // browser, as an app's does): this browser's own session is then
        // one of the rows left Online and not recognised. Said, so the user
        // knows why (and the page is not "all familiar").
        ex.problems.push(tr("problem_current_unconfirmed", &[]));
    }
}

/// A masked e-mail ("te***@example.com") is how KuCoin shows who is signed in.
fn is_masked_email(s: &str) -> bool {
    let s = s.trim();
    // Exactly one '@', a dot in the domain after it.
    let at = s.bytes().position(|b| b == b'@');
    s.len() <= 80
        && crate::util::has(s, "**")
        && crate::util::count_chars_where(s, |c| c == '@') == 1
        && !crate::util::has(s, " ")
        && at.is_some_and(|i| crate::util::has(crate::util::str_from(s, i + 1), "."))
}
fn is_masked_phone(s: &str) -> bool {
    let s = s.trim();
    s.len() <= 30 && crate::util::has(s, "**") && crate::util::count_chars_where(s, |c| c.is_ascii_digit()) >= 2 && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '*' | '-' | ' ' | '(' | ')'))
}

fn find_account(tree: &Tree) -> String {
    for i in 0..tree.len() {
        let n = tree.node(i);
        if n.is_text() && is_masked_email(&n.text) {
            return n.text.trim().to_string();
        }
    }
    String::new()
}

/// The card a setting title belongs to: the nearest ancestor holding a button.
/// Not when that ancestor is the list of cards (its buttons in more than one
/// of its children): a card showing no button of its own (its status as a
/// link or as text, a layout we do not know) would take another card's
/// "Change" for its own and read "Done". Then the setting is not known.
/// Nor when it holds another setting's title (`titles`, other than `pos`):
/// the list of cards while only one card shows its button (the others still
/// loading, or showing their state as text), or the page's header around a
/// switch or button of its own.
fn card_of(tree: &Tree, pos: usize, titles: &[usize]) -> Option<usize> {
    let card = tree.ancestors(pos).take(5).find(|&a| !tree.buttons(a).is_empty())?;
    let mut with_buttons = 0;
    let mut c = card + 1;
    while c < tree.end[card] {
        if !tree.buttons(c).is_empty() {
            with_buttons += 1;
        }
        c = tree.end[c];
    }
    let other_title = titles.iter().any(|&t| t != pos && tree.contains(card, t));
    (with_buttons <= 1 && !other_title).then_some(card)
}

/// What the titles of one setting said, each from its own card: on, off,
/// could not tell. A text equal to a title elsewhere (a nickname, a passkey
/// or linked account named "Anti-Phishing Code" in a card with a button of
/// its own) that passes for a card disagrees with the real one: not known,
/// rather than the one read first or last ("Done" from another card's
/// "Change").
#[derive(Default, Clone, Copy)]
struct Said(bool, bool, bool);

impl Said {
    fn add(&mut self, v: Option<bool>) {
        match v {
            Some(true) => self.0 = true,
            Some(false) => self.1 = true,
            None => self.2 = true,
        }
    }
    fn get(self) -> Option<bool> {
        match self {
            Said(true, false, false) => Some(true),
            Said(false, true, false) => Some(false),
            _ => None,
        }
    }
}

fn read_settings(tree: &Tree, lang: &str) -> SecuritySettings {
    let lang_opt = if lang.is_empty() { None } else { Some(lang) };
    let mut s = SecuritySettings::default();
    let button_says_change = |card: usize| -> Option<bool> {
        let b = *tree.buttons(card).first()?;
        let text = tree.text(b);
        if text.is_empty() {
            return None;
        }
        Some(labels::match_key(&text, lang_opt, &[key::CHANGE]).is_some())
    };
    // The shown texts that are setting titles, with their keys.
    let mut titles: Vec<usize> = Vec::new();
    let mut keys: Vec<&'static str> = Vec::new();
    for i in 0..tree.len() {
        let n = tree.node(i);
        if n.is_text() && !tree.hidden[i] && crate::util::char_count(&n.text) <= 60 {
            if let Some(k) = labels::match_key(&n.text, lang_opt, &[key::GOOGLE_VERIFICATION, key::ANTI_PHISHING, key::RESTRICT_LOGIN_IP]) {
                titles.push(i);
                keys.push(k);
            }
        }
    }
    // A title is its card's first text (a name repeating it comes after
    // the card's own title: "Third-Party Accounts", then the account).
    let card = |t: usize| -> Option<usize> {
        let c = card_of(tree, t, &titles)?;
        let first = tree.text_pieces(c).into_iter().find(|(_, x)| !crate::util::trim_with(x, crate::net::is_trim).is_empty())?;
        (first.0 == t).then_some(c)
    };
    let (mut g2fa, mut phishing, mut restrict) = (Said::default(), Said::default(), Said::default());
    // The lists the setting cards read are in (their parents).
    let mut lists: Vec<usize> = Vec::new();
    for (&t, &k) in titles.iter().zip(&keys) {
        let Some(c) = card(t) else { continue };
        lists.push(tree.parent[c]);
        match k {
            key::GOOGLE_VERIFICATION => g2fa.add(button_says_change(c)),
            key::ANTI_PHISHING => phishing.add(button_says_change(c)),
            _ => {
                // The card's one switch (another switch in it: which is
                // this setting's cannot be told).
                let mut switches = Vec::new();
                for q in c..tree.end[c] {
                    if tree.node(q).attr("role") == Some("switch") {
                        switches.push(q);
                    }
                }
                restrict.add(match (switches.len(), switches.first().and_then(|&q| tree.node(q).attr("aria-checked"))) {
                    (1, Some("true")) => Some(true),
                    (1, Some("false")) => Some(false),
                    _ => None,
                });
            }
        }
    }
    s.google_2fa = g2fa.get();
    s.anti_phishing = phishing.get();
    s.restrict_login_ip = restrict.get();
    // A masked address is the account's e-mail or phone only in KuCoin's
    // Email or Phone card once linked: a card of the list the setting cards
    // are in whose button says "Change". Not a linked third-party account
    // ("Unlink") while the Email card says "Not Linked", nor the account the
    // page's header shows (beside a button of the header's): "Done" for what
    // is not linked.
    let linked_card = |i: usize| card_of(tree, i, &titles).is_some_and(|c| lists.contains(&tree.parent[c]) && button_says_change(c) == Some(true));
    for i in 0..tree.len() {
        let n = tree.node(i);
        // KuCoin's own hook on Google Verification's button: "Change" once it is set up.
        if n.attr("data-inspector") == Some("editG2FABtn") && s.google_2fa.is_none() && labels::match_key(&tree.text(i), lang_opt, &[key::CHANGE]).is_some() {
            s.google_2fa = Some(true);
        }
        if !n.is_text() || crate::util::char_count(&n.text) > 60 {
            continue;
        }
        let t = n.text.as_str();
        if is_masked_email(t) && linked_card(i) {
            s.email_linked = Some(true);
        }
        if is_masked_phone(t) && linked_card(i) {
            s.phone_linked = Some(true);
        }
    }
    s
}

/// Where the shown titles of the session lists are (Recent Logins, Security
/// Logs, Trusted Devices, in any language): a pager after another list's
/// title is that list's, even while that list shows no rows or table yet
/// (loading), never the one of a list above it. The rows read are skipped
/// (a title is no row's text): the label lookups stay off the bulk of a long
/// list.
fn list_titles(tree: &Tree, tables: &[Table]) -> Vec<usize> {
    let mut rows: Vec<usize> = Vec::new();
    for t in tables {
        for r in &t.records {
            rows.extend(tree.pos(r.row));
        }
        for u in &t.unreadable {
            rows.extend(tree.pos(u.row));
        }
    }
    crate::util::sort_positions(&mut rows);
    let mut out = Vec::new();
    let (mut i, mut k) = (0, 0);
    while i < tree.len() {
        while k < rows.len() && rows[k] < i {
            k += 1;
        }
        if k < rows.len() && rows[k] == i {
            i = tree.end[i];
            continue;
        }
        let n = tree.node(i);
        if n.is_text() && !tree.hidden[i] && n.text.len() <= 200 && labels::is_label(&n.text, &[key::RECENT_LOGINS, key::SECURITY_LOGS, key::TRUSTED_DEVICES]) {
            out.push(i);
        }
        i += 1;
    }
    out
}

/// Does a shown text on the page read as label `k` (a section's title)?
fn shows_label(tree: &Tree, k: &'static str) -> bool {
    for i in 0..tree.len() {
        let n = tree.node(i);
        if n.is_text() && !tree.hidden[i] && n.text.len() <= 200 && labels::is_label(&n.text, &[k]) {
            return true;
        }
    }
    false
}

/// KuCoin's "Enable 2FA using Google Authenticator or SMS verification before
/// managing devices." (in any language the label table has): the smallest
/// shown text or element whose whole text it is (the words may be over a few
/// elements: "<a>Enable 2FA</a> using …"). Only texts with "2FA" in them
/// (as KuCoin writes it) are looked at: no page text is copied for the others.
fn find_2fa_prompt(tree: &Tree) -> Option<usize> {
    for i in 0..tree.len() {
        let n = tree.node(i);
        if !n.is_text() || tree.hidden[i] || n.text.len() > 400 {
            continue;
        }
        if !crate::util::has(&n.text, "2FA") {
            continue;
        }
        let mut e = tree.element_of(i);
        if labels::is_label(&n.text, &[key::TRUSTED_NEEDS_2FA]) {
            return Some(e);
        }
        for _ in 0..3 {
            if e == crate::snapshot::NO_PARENT || tree.end[e] - e > 24 {
                break;
            }
            if labels::is_label(&tree.text(e), &[key::TRUSTED_NEEDS_2FA]) {
                return Some(e);
            }
            e = tree.parent[e];
        }
    }
    None
}

fn find_controls(tree: &Tree, c: &mut Controls) {
    for i in 0..tree.len() {
        let n = tree.node(i);
        match n.attr("data-inspector") {
            Some("account_security_page") => {
                let p = tree.parent[i];
                let main = p != crate::snapshot::NO_PARENT && tree.node(p).tag == "main";
                c.page_root = Some(if main { tree.node(p).id } else { n.id });
            }
            Some("loginPwdBtn") => c.change_password = Some(n.id),
            Some("freezeSelfBtn") => c.freeze = Some(n.id),
            _ => {}
        }
        if c.page_root.is_none() && n.tag == "body" {
            c.page_root = Some(n.id);
        }
    }
}

/// Is the one date-time piece in `cur` (which holds `ip`) under a child of
/// `cur` that holds another address and not `ip`, and that child a sibling
/// row of `ip`'s? Then it is that address's row's time, and `cur` a list of
/// rows, one of them (`ip`'s) without a time we read. `ip_pos`, `time_pos`:
/// sorted positions. (A climb of the tree's depth, once per address.)
///
/// Sibling rows, not two cells of one row (a time cell repeating the row's
/// own address, `<td>7/14/2025, 09:21:37<div>203.0.113.24</div></td>`), by
/// structure alone (an address compared by value would take a second
/// sign-in from that address for the row's own): rows of one list are
/// elements of one tag with as many element children (their cells, or the
/// one row in a wrapper); a table cell is no row, nor is an element of text
/// alone (`<td>Singapore(203.0.113.24)</td>`: a cell). A table row between
/// the date-time and `cur`, or a child of `cur` holding two column labels
/// (a labelled card), is a record of its own whatever `ip`'s side looks
/// like: `cur` is no row (a device's expanded row or the list after its
/// card, the IPs it used with times "Just now", under its one dated row or
/// card; a Trusted Devices row "Just now" beside a one-row Recent Logins:
/// read as one row of both, the record read was lost).
fn time_of_another(tree: &Tree, cur: usize, ip: usize, ip_pos: &[usize], time_pos: &[usize], column_pos: &[usize]) -> bool {
    let Some(&t) = time_pos.get(below(time_pos, cur)) else { return false };
    let (mut c, mut a) = (t, ip);
    let mut in_row = false;
    while tree.parent[c] != cur {
        if tree.parent[c] == crate::snapshot::NO_PARENT {
            return false;
        }
        c = tree.parent[c];
        in_row |= is_table_row(tree, c);
    }
    while tree.parent[a] != cur {
        a = tree.parent[a];
    }
    let ips = below(ip_pos, tree.end[c]) - below(ip_pos, c);
    if tree.contains(c, ip) || ips == 0 {
        return false;
    }
    if in_row || below(column_pos, tree.end[c]) - below(column_pos, c) >= 2 {
        return true;
    }
    if is_cell(tree, c) || tree.node(a).tag != tree.node(c).tag {
        return false;
    }
    let cells = tree.element_children(a).len();
    cells > 0 && cells == tree.element_children(c).len()
}

fn extract_tables(tree: &Tree, lang: &str, zone: &time::Zone, ex: &mut Extraction) {
    let lang_opt = if lang.is_empty() { None } else { Some(lang) };
    let n = tree.len();
    // Filled by pushes: `vec![None; n]` would clone `Option<Piece>` (its own code).
    let mut pieces: Vec<Option<Piece>> = Vec::with_capacity(n);
    let mut ip_pos = Vec::new();
    let mut time_pos = Vec::new();
    let mut column_pos = Vec::new();
    let mut no_data_pos = Vec::new();
    let mut time_problem: Option<String> = None;
    // (head, last): the texts after a date-time's first, read with it
    let mut tail = (0, 0);
    // (head, end): the texts after a label's or status's first, read with it
    let mut rest = (0, 0);
    // (text, label, value_at): a label over elements ends in this text
    let mut line_label = (usize::MAX, "", 0);
    for i in 0..n {
        pieces.push(None);
        let node = tree.node(i);
        if !node.is_text() || node.text.is_empty() {
            continue;
        }
        let t = node.text.as_str();
        if i > tail.0 && i <= tail.1 {
            pieces[i] = Some(Piece { tail: true, ..Piece::default() });
            continue;
        }
        if i > rest.0 && i < rest.1 {
            pieces[i] = Some(Piece { rest: true, ..Piece::default() });
            continue;
        }
        let mut p = Piece::default();
        let mut t = t;
        if i == line_label.0 {
            p.column = Some(line_label.1);
            p.value_at = line_label.2;
            t = crate::util::str_from(t, p.value_at);
        } else if let Some((label, value)) = split_label(t, lang_opt) {
            p.column = Some(label);
            p.value_at = t.len() - value.len();
            t = value;
        } else if crate::util::char_count(t) <= 40 && !t.contains([':', '：']) {
            // A label over elements before its value on one line ("Login"
            // <b>"IP"</b> ": Lagos(…)"): read on the text with the colon; the
            // words before it are part of the label.
            let mut line = String::from(t);
            let mut last = i;
            for _ in 0..3 {
                let Some(j) = next_line_text(tree, last) else { break };
                let tj = tree.node(j).text.as_str();
                line.push(' ');
                line.push_str(tj);
                last = j;
                if tj.contains([':', '：']) {
                    if let Some((label, value)) = split_label(&line, lang_opt).filter(|(_, v)| v.len() < tj.len()) {
                        line_label = (j, label, tj.len() - value.len());
                        rest = (i, j);
                        pieces[i] = Some(Piece { rest: true, ..Piece::default() });
                    } else if let Some(label) = line.strip_suffix([':', '：']).and_then(|l| labels::match_key(l, lang_opt, COLUMN_KEYS)) {
                        // ("Login" "IP:" then the value): the label on its first text
                        rest = (i, j + 1);
                        pieces[i] = Some(Piece { column: Some(label), ..Piece::default() });
                        column_pos.push(i);
                    }
                    break;
                }
            }
            if rest.0 == i {
                continue;
            }
        }
        if may_hold_ip(t) {
            p.ip = net::parse_login_ip(t).ok();
            // "Lagos(198.51.100.77" whose ")" another element holds (or the "(")
            let (open, close) = (t.contains(['(', '（']), t.contains([')', '）']));
            if p.ip.is_none() && open != close {
                // only when the next text starts with it, or the one before ends
                // with it: not a cell cut short ("Singapore(203.0.113.2")
                let (mut q, mut beside) = (i, false);
                while let Some(next) = if open { Some(q + 1).filter(|&x| x < n) } else { q.checked_sub(1) } {
                    q = next;
                    let o = crate::util::trim_with(&tree.node(q).text, net::is_trim);
                    if !o.is_empty() {
                        beside = if open { o.starts_with([')', '）']) } else { o.ends_with(['(', '（']) };
                        break;
                    }
                }
                if beside {
                    let whole = if open { format!("{t})") } else { format!("({t}") };
                    p.ip = net::parse_login_ip(&whole).ok();
                }
            }
            // The address split over elements ("Singapore(" <span>"203.0.113.24)"</span>):
            // the text of the piece's element or of one of its 2 parents, or
            // the texts of its line after any label (`Tree::line`).
            let mut e = tree.element_of(i);
            for _ in 0..3 {
                if p.ip.is_some() || e == crate::snapshot::NO_PARENT || tree.end[e] - e > 10 {
                    break;
                }
                // ... an address this piece holds whole (not a row's other cell)
                p.ip = net::parse_login_ip(&tree.text(e)).ok().filter(|x| crate::util::has(t, &net::ip_text(&x.ip)));
                e = tree.parent[e];
            }
            if p.ip.is_none() {
                let (mut from, to) = tree.line(i, 3);
                for q in from..i {
                    if pieces[q].as_ref().is_some_and(|x| x.column.is_some() || x.rest) {
                        from = q + 1;
                    }
                }
                let mut line = String::new();
                for q in from..=to {
                    let n = tree.node(q);
                    if n.is_text() && !n.text.is_empty() {
                        if !line.is_empty() {
                            line.push(' ');
                        }
                        line.push_str(&n.text);
                    }
                }
                p.ip = net::parse_login_ip(&line).ok().filter(|x| crate::util::has(t, &net::ip_text(&x.ip)));
            }
        }
        let alone = if p.ip.is_none() && may_hold_time(t) { Some(time::parse_datetime(t, lang, zone)) } else { None };
        if let Some(Ok(ms)) = alone {
            p.time = Some(ms);
        } else if p.ip.is_none() && t.len() < 80 && crate::util::count_chars_where(t, char::is_numeric) > 0 {
            // A date-time over several texts: on one line (`<span>2025. 7.</span>
            // <span>14. 오전</span> 9:21:37`, up to 9 texts), or on lines of one
            // cell (`<div>2025/07/14</div><div>09:21:37</div>`): the texts of
            // the smallest element holding them, which holds nothing else
            // (invisible marks are nothing).
            let text_at = |q: usize| tree.node(q).is_text() && !crate::util::trim_with(&tree.node(q).text, net::is_trim).is_empty();
            let mut both = String::from(t);
            let mut last = i;
            let mut lines = false;
            for _ in 0..8 {
                let Some(j) = (last + 1..n).find(|&j| text_at(j)).filter(|&j| tree.hidden[j] == tree.hidden[i]) else { break };
                let l = tree.common_ancestor(i, j).unwrap_or(i);
                if !line_between(tree, last, j) {
                    lines = true;
                    if tree.end[l] - l > 64 || (l..i).any(text_at) {
                        break;
                    }
                }
                both.push(' ');
                both.push_str(&tree.node(j).text);
                if both.len() >= 80 {
                    break;
                }
                last = j;
                if may_hold_time(&both) && (!lines || !(j + 1..tree.end[l]).any(text_at)) {
                    if let Ok(ms) = time::parse_datetime(&both, lang, zone) {
                        p.time = Some(ms);
                        tail = (i, j);
                        break;
                    }
                }
            }
            if let Some(Err(e)) = alone.filter(|_| p.time.is_none()) {
                if time_problem.is_none() && crate::util::count_chars_where(t, char::is_numeric) >= 8 {
                    time_problem = Some(format!("{e}"));
                }
            }
        }
        // (not on invisible marks alone: they would take the words after them)
        if p.ip.is_none() && p.time.is_none() && crate::util::char_count(&t) <= 60 && !crate::util::trim_with(t, net::is_trim).is_empty() {
            if p.value_at == 0 {
                p.column = labels::match_key(t, lang_opt, COLUMN_KEYS);
            }
            if p.column.is_none() || p.value_at > 0 {
                p.status = labels::match_key(t, lang_opt, STATUS_KEYS).and_then(status_of);
                if p.status.is_none()
                    && labels::match_key(t, lang_opt, &[key::CURRENT]).is_some()
                    && labels::match_key(t, lang_opt, &[key::ONLINE]).is_some()
                {
                    p.status = Some(Status::Online);
                    p.ambiguous = true;
                }
                // (`is_label`: with keys that share a text, "No data" in English,
                // `match_key` would find them ambiguous and take none)
                if p.status.is_none() && labels::is_label(t, labels::NO_DATA_KEYS) {
                    no_data_pos.push(i);
                }
            }
            // A label or status in words over elements on one line ("غير"
            // <span>"متصل"</span> is Offline, though "متصل" alone is Online):
            // the longest one read from this text on, on this text.
            let mut line = String::from(t);
            let mut last = i;
            for _ in 0..5 {
                let Some(j) = next_line_text(tree, last).filter(|_| p.value_at == 0) else { break };
                line.push(' ');
                line.push_str(&tree.node(j).text);
                if crate::util::char_count(&line) > 60 {
                    break;
                }
                last = j;
                let column = labels::match_key(&line, lang_opt, COLUMN_KEYS);
                let status = labels::match_key(&line, lang_opt, STATUS_KEYS).and_then(status_of).filter(|_| column.is_none());
                if column.is_some() || status.is_some() {
                    (p.column, p.status, p.ambiguous) = (column, status, false);
                    rest = (i, j + 1);
                }
            }
            // A label or status over two lines or elements ("Recent<br>Activity",
            // "Login <span>IP</span>", "Не <span>в сети</span>"): its element's
            // text, on the element's first piece.
            // (an element of a few texts and nodes within 5 levels, layout
            // wrappers not counted: however deep the words are wrapped)
            let mut e = holder(tree, i);
            let mut up = 0;
            while up < 5 {
                if p.column.is_some()
                    || p.status.is_some()
                    || p.value_at > 0
                    || e == crate::snapshot::NO_PARENT
                    || tree.end[e] - e > 400
                    || (e..tree.end[e]).filter(|&q| !wrapper(tree, q)).count() > 40
                    || tree.text_pieces(e).len() > 8
                    || (e..i).any(|q| tree.node(q).is_text())
                {
                    break;
                }
                let whole = tree.text(e);
                p.column = labels::match_key(&whole, lang_opt, COLUMN_KEYS);
                p.status = labels::match_key(&whole, lang_opt, STATUS_KEYS).and_then(status_of).filter(|_| p.column.is_none());
                if p.column.is_some() || p.status.is_some() {
                    rest = (i, tree.end[e]);
                }
                up += usize::from(!wrapper(tree, e));
                e = tree.parent[e];
            }
        }
        if p.ip.is_some() {
            ip_pos.push(i);
        }
        if p.time.is_some() {
            time_pos.push(i);
        }
        if p.column.is_some() {
            column_pos.push(i);
        }
        if p.ip.is_some() || p.time.is_some() || p.column.is_some() || p.status.is_some() {
            pieces[i] = Some(p);
        }
    }
    let count_in = |sorted: &[usize], pos: usize| -> usize {
        let lo = below(sorted, pos);
        let hi = below(sorted, tree.end[pos]);
        hi - lo
    };

    // 1. Rows: the lowest element above an IP piece that also holds exactly
    //    one date-time piece. (An element holding two is a list, not a row:
    //    an expanded "IPs this device used" sub-list climbs no further.)
    let mut rows: Vec<usize> = Vec::new();
    for &ip in &ip_pos {
        let mut cur = tree.parent[ip];
        while cur != crate::snapshot::NO_PARENT {
            let times = count_in(&time_pos, cur);
            if times == 1 && time_of_another(tree, cur, ip, &ip_pos, &time_pos, &column_pos) {
                // The one date-time here is another address's (its own row
                // beside this one, "Just now" in ours): `cur` is the list,
                // never a row holding both (one record of two events, the
                // first one's address lost). This row is read beside the
                // others (one we cannot read).
                break;
            }
            if times == 1 {
                // A row lives inside a list: a top-level element cannot be one.
                if count_in(&ip_pos, cur) <= 3 && tree.parent[cur] != crate::snapshot::NO_PARENT {
                    rows.push(cur);
                }
                break;
            }
            if times > 1 {
                break;
            }
            cur = tree.parent[cur];
        }
    }
    crate::util::sort_positions(&mut rows);
    // A row nested inside another row (cards with sub-cards) keeps the outer
    // one; a row listed twice (sorted: next to itself) is kept once.
    let mut outer: Vec<usize> = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(&last) = outer.last() {
            if last == r || tree.contains(last, r) {
                continue;
            }
        }
        outer.push(r);
    }

    // 2. Header rows: runs of consecutive column-label pieces sharing one
    //    lowest common ancestor that holds no data row.
    let mut headers: Vec<(usize, Vec<&'static str>)> = Vec::new();
    let mut cards: Vec<(usize, Vec<&'static str>)> = Vec::new();
    let in_row = |pos: usize| -> bool {
        let k = below(&outer, pos + 1);
        k > 0 && tree.contains(outer[k - 1], pos)
    };
    let mut i = 0;
    while i < column_pos.len() {
        if in_row(column_pos[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut lca = None;
        while j < column_pos.len() && !in_row(column_pos[j]) {
            let l = tree.common_ancestor(column_pos[j - 1], column_pos[j]);
            if lca.is_some() && l != lca {
                break;
            }
            lca = l;
            j += 1;
        }
        if let Some(l) = lca {
            // (not a card whose labels have values, "Singapore(203.0.*.*)",
            // "Just now": a row we cannot read)
            let mut values = 0;
            for c in tree.element_children(l) {
                let (mut labels, mut value) = (0, false);
                for (p, t) in tree.text_pieces(c) {
                    let x = pieces[p].as_ref();
                    // (a field's value may be a label too: the Security Logs type "Trusted Device")
                    value |= labels > 0 && x.is_some_and(|x| x.column.is_some());
                    labels += usize::from(x.is_some_and(|x| x.column.is_some()));
                    // (a shown word or number, not a sort arrow, an "i" or a hidden tooltip)
                    value |= x.is_none_or(|x| (x.column.is_none() && !x.rest) || x.value_at > 0)
                        && !tree.hidden[p]
                        && crate::util::count_chars_where(t, |c| c.is_numeric() || c.is_ascii_alphabetic()) >= 2;
                }
                values += usize::from(labels > 0 && value);
            }
            // (a card with its address but no date-time we read, "Just now":
            // no row, so a card we cannot read, as one beside a list's rows
            // is; every card so, the list is those cards, not "not found")
            let undated = values >= 2 && count_in(&ip_pos, l) == 1 && count_in(&time_pos, l) == 0;
            if j - i >= 2 && (count_in(&ip_pos, l) == 0 || undated) {
                let mut keys = Vec::new();
                for &p in &column_pos[i..j] {
                    if let Some(k) = pieces[p].as_ref().and_then(|x| x.column) {
                        keys.push(k);
                    }
                }
                if values < 2 {
                    headers.push((l, keys));
                } else {
                    cards.push((l, keys));
                }
            }
        }
        i = j.max(i + 1);
    }

    // 3. Group rows by parent → one table body each. A row alone in wrapper
    //    elements (`<div><tr>…</tr></div>`, a virtual list's item boxes) is
    //    grouped by its outermost wrapper's parent when another row there has
    //    as many cells (an expanded row's sub-list has fewer: it stays apart).
    let lift = |r: usize| {
        let mut x = r;
        while let Some(p) = Some(tree.parent[x]).filter(|&p| p != crate::snapshot::NO_PARENT && p + 1 == x && tree.end[p] == tree.end[x] && tree.parent[p] != crate::snapshot::NO_PARENT) {
            x = p;
        }
        x
    };
    // (lifted parent, cells, row)
    let mut keyed: Vec<(usize, usize, usize)> = Vec::with_capacity(outer.len());
    for &r in &outer {
        keyed.push((tree.parent[lift(r)], tree.element_children(r).len(), r));
    }
    let by_key = crate::util::stable_order(keyed.len(), &|a, b| (keyed[a].0, keyed[a].1).cmp(&(keyed[b].0, keyed[b].1)));
    let mut paired = vec![false; keyed.len()];
    for w in by_key.windows(2) {
        if keyed[w[0]].0 == keyed[w[1]].0 && keyed[w[0]].1 == keyed[w[1]].1 {
            paired[w[0]] = true;
            paired[w[1]] = true;
        }
    }
    // A row lifted out of a table cell (`<tr><td colspan><ul><li>IP, time`:
    // the IPs a trusted device used, its row expanded) into a parent that
    // holds rows of its own with other cells is inside one of those rows,
    // not a wrapped row of the list: it stays apart, however many expanded
    // rows list one address each (they pair with one another, not with the
    // list's rows; read as rows of the list, each was one we "cannot read").
    // By runs of one lifted parent in `by_key` (sorted by cells in each), so
    // linear; a one-column table of cards (every row lifted) keeps its pairs.
    let mut run = 0;
    while run < by_key.len() {
        let key = keyed[by_key[run]].0;
        let mut end = run;
        // the cell counts of the rows directly under `key`, ascending and distinct
        let mut direct: Vec<usize> = Vec::new();
        while end < by_key.len() && keyed[by_key[end]].0 == key {
            let (_, cells, r) = keyed[by_key[end]];
            if tree.parent[r] == key && direct.last() != Some(&cells) {
                direct.push(cells);
            }
            end += 1;
        }
        for &i in &by_key[run..end] {
            let (_, cells, r) = keyed[i];
            if paired[i] && tree.parent[r] != key && !direct.is_empty() && direct.binary_search(&cells).is_err() && lifted_through_cell(tree, r, key) {
                paired[i] = false;
            }
        }
        run = end;
    }
    // Rows by body (their group's parent), in the order of each body's first
    // row: by sorting, not by a search of the groups for each row (a list of
    // thousands of rows each in a wrapper of its own, thousands of groups,
    // was quadratic).
    let mut body_of: Vec<usize> = Vec::with_capacity(keyed.len());
    for (i, &(key, _, r)) in keyed.iter().enumerate() {
        body_of.push(if paired[i] { key } else { tree.parent[r] });
    }
    let by_body = crate::util::stable_order(body_of.len(), &|a, b| body_of[a].cmp(&body_of[b]));
    // (index of the first row, body, rows)
    let mut runs: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for &i in &by_body {
        match runs.last_mut() {
            Some((_, p, v)) if *p == body_of[i] => v.push(keyed[i].2),
            _ => runs.push((i, body_of[i], vec![keyed[i].2])),
        }
    }
    let first_order = crate::util::stable_order(runs.len(), &|a, b| runs[a].0.cmp(&runs[b].0));
    let mut by_first: Vec<Option<(usize, Vec<usize>)>> = Vec::with_capacity(runs.len());
    for (_, p, v) in runs {
        by_first.push(Some((p, v)));
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::with_capacity(by_first.len());
    for k in first_order {
        if let Some(g) = by_first[k].take() {
            groups.push(g);
        }
    }

    // A list nested inside another list's rows (Trusted Devices rows expand to
    // "IPs this device used") belongs to that row, not to a table of its own.
    // The bodies (distinct) in page order, swept with the stack of those
    // still open: one is inside another when one is open at its start.
    let mut bodies: Vec<usize> = Vec::with_capacity(groups.len());
    for (b, _) in &groups {
        bodies.push(*b);
    }
    crate::util::sort_positions(&mut bodies);
    let mut nested_bodies: Vec<usize> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for &b in &bodies {
        while open.last().is_some_and(|&o| !tree.contains(o, b)) {
            open.pop();
        }
        if !open.is_empty() {
            nested_bodies.push(b);
        }
        open.push(b);
    }

    // Which header names which rows: the nearest unused one before the first
    // row. First for rows whose cells it heads one by one, however deep the
    // page wraps them (so a list of other rows beside them, a news feed, does
    // not take it); then, within a few levels, for the others.
    let mut header_cells: Vec<Vec<Option<&'static str>>> = Vec::with_capacity(headers.len());
    for (h, _) in &headers {
        header_cells.push(header_columns(tree, *h, &pieces));
    }
    let mut card_pos: Vec<usize> = Vec::with_capacity(cards.len());
    for (l, _) in &cards {
        card_pos.push(*l);
    }
    crate::util::sort_positions(&mut card_pos);
    let mut lists: Vec<(usize, Vec<usize>)> = Vec::with_capacity(groups.len());
    // (the rows of the lists kept, in page order: where step 4 looks no further)
    let mut listed: Vec<usize> = Vec::new();
    for g in groups {
        if nested_bodies.binary_search(&g.0).is_err() && !in_expanded_row(tree, g.0, g.1[0], &header_cells, &card_pos) {
            listed.extend_from_slice(&g.1);
            lists.push(g);
        }
    }
    crate::util::sort_positions(&mut listed);
    let mut used_headers = vec![false; headers.len()];
    let mut heads: Vec<Option<(usize, usize)>> = Vec::with_capacity(lists.len()); // (header index, container)
    for _ in &lists {
        heads.push(None);
    }
    for pass in 0..2 {
        for (gi, (body, rows)) in lists.iter().enumerate() {
            if heads[gi].is_some() {
                continue;
            }
            let (body, first) = (*body, rows[0]);
            // the deepest container; of two, the later header
            let mut best: Option<(u16, usize, usize, usize)> = None;
            for (hi, (h, _)) in headers.iter().enumerate() {
                if *h > first || used_headers[hi] {
                    continue;
                }
                if let Some(c) = tree.common_ancestor(*h, body) {
                    if tree.depth[body].saturating_sub(tree.depth[c]) <= 4 || (pass == 0 && levels(tree, body, c) <= 4) {
                        best = best.max(Some((tree.depth[c], *h, hi, c)));
                    }
                }
            }
            let Some((_, _, hi, c)) = best else { continue };
            let mut fit = true;
            for &r in rows {
                fit &= slots(&header_cells[hi], tree.element_children(r).len()).is_some();
            }
            if pass == 1 || (fit && levels(tree, body, c) <= 4) {
                used_headers[hi] = true;
                heads[gi] = Some((hi, c));
            }
        }
    }
    for (gi, (body, rows)) in lists.into_iter().enumerate() {
        let header = heads[gi].map(|(hi, c)| (headers[hi].0, hi, c));
        let container = header.as_ref().map(|h| h.2).unwrap_or(body);
        // Label keys used inside rows (card layouts carry "Login IP: …" pairs).
        // Only without a header row: a Security Logs cell may read "Trusted Device".
        let mut keys: Vec<&'static str> = Vec::new();
        if let Some(h) = &header {
            for &k in &headers[h.1].1 {
                keys.push(k);
            }
        }
        for &r in rows.iter().filter(|_| header.is_none()) {
            for p in r..tree.end[r] {
                if let Some(k) = pieces[p].as_ref().and_then(|x| x.column) {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
        }
        let by_labels = kind_from_keys(&keys);
        let kind = by_labels.or_else(|| kind_from_shape(tree, &rows, &pieces));
        let Some(kind) = kind else {
            ex.problems.push(tr("problem_unknown_kind", &[]));
            continue;
        };
        let mut table = Table {
            kind,
            container: tree.node(container).id,
            records: Vec::new(),
            unreadable: Vec::new(),
            empty: false,
            by: if by_labels.is_some() { "labels".into() } else { "shape".into() },
            pager: None,
        };
        for &r in &rows {
            match parse_row(tree, r, kind, header.as_ref().map(|h| header_cells[h.1].as_slice()), &pieces, lang) {
                Ok(rec) => table.records.push(rec),
                Err(reason) => table.unreadable.push(unreadable_row(tree, r, kind, header.as_ref().map(|h| header_cells[h.1].as_slice()), &pieces, lang, reason)),
            }
        }
        // A sibling of the rows (of their wrappers, for a lone row) with an
        // address or a date-time but not both (one we could not read) is a row
        // we cannot read, never left out, shown or not.
        // So is one with neither but the header's cells ("Singapore(203.0.*.*)",
        // "Just now").
        let cells = header.as_ref().map(|h| header_cells[h.1].as_slice());
        let mut beside: Vec<(usize, Record)> = Vec::new();
        for c in tree.element_children(tree.parent[lift(rows[0])]) {
            let (ips, times) = (count_in(&ip_pos, c), count_in(&time_pos, c));
            let shaped = tree.node(c).tag == tree.node(rows[0]).tag
                && (header_shaped(tree, c, cells) || (header.is_none() && count_in(&column_pos, c) >= 2))
                && !header.is_some_and(|h| tree.contains(c, h.0));
            // (Security Logs only under their header: a list found by its shape
            // alone, such as news with dates, may hold items without an address.)
            // (A row of the header's shape holding rows, "the IPs this device used"
            // listed in a cell, is one we cannot read, not a list.)
            let nested = tree.node(c).tag == tree.node(rows[0]).tag
                && cells.is_some_and(|h| tree.element_children(c).len() >= h.len())
                && count_in(&outer, c) > 0
                && outer.binary_search(&c).is_err();
            // (A row of the rows' shape with a second address or date-time and no
            // row in it is no list either: a device named "7/14/2025, 09:21:37" or
            // "2025-07-14 09:21:37", which the signing-in client chooses, holds one,
            // so step 1 found no row in it. Read by the header's cells, else one we
            // cannot read; never left out.)
            // (of the rows' shape: an expanded row listing the IPs a device used in
            // one cell is not one)
            let many = (ips > 1 || times > 1)
                && count_in(&outer, c) == 0
                && tree.node(c).tag == tree.node(rows[0]).tag
                && (header_shaped(tree, c, cells) || tree.element_children(c).len() == tree.element_children(rows[0]).len());
            if (kind == TableKind::SecurityLogs && by_labels.is_none()) || (ips + times == 0 && !shaped) || ((ips > 1 || times > 1 || count_in(&outer, c) > 0) && !nested && !many) {
                continue;
            }
            if nested {
                table.unreadable.push(Unreadable { row: tree.node(c).id, reason: tr("row_many_ips", &[]), event: None });
                continue;
            }
            let read = if many && header_shaped(tree, c, cells) {
                parse_row(tree, c, kind, cells, &pieces, lang).map_err(|reason| Unreadable { row: tree.node(c).id, reason, event: None })
            } else if many {
                Err(match parse_row(tree, c, kind, cells, &pieces, lang) {
                    Err(reason) => Unreadable { row: tree.node(c).id, reason, event: None },
                    Ok(_) if ips > 1 => Unreadable { row: tree.node(c).id, reason: tr("row_many_ips", &[]), event: None },
                    Ok(rec) => Unreadable { row: tree.node(c).id, reason: bad_time(&rec.time_text, lang), event: None },
                })
            } else {
                read_or_not(tree, c, kind, cells, &pieces, lang, if ips == 0 { "row_no_ip" } else { "row_no_time" })
            };
            match read {
                Ok(rec) => beside.push((c, rec)),
                Err(u) => table.unreadable.push(u),
            }
        }
        // The rows read beside the list in page order among its rows: one merge
        // (an insertion each was quadratic in a list of 5,000).
        if !beside.is_empty() {
            let rows_read = std::mem::take(&mut table.records);
            table.records.reserve(rows_read.len() + beside.len());
            let mut beside = std::mem::take(&mut beside).into_iter().peekable();
            for rec in rows_read {
                let at = tree.pos(rec.row);
                while let Some((_, b)) = beside.next_if(|(c, _)| !at.is_some_and(|p| p < *c)) {
                    table.records.push(b);
                }
                table.records.push(rec);
            }
            table.records.extend(beside.map(|(_, b)| b));
        }
        if let Some(existing) = ex.tables.iter().position(|t| t.kind == kind) {
            // The same rows twice, one copy not shown (desktop and mobile markup,
            // one hidden by CSS): the shown copy is the list.
            let shown = |t: &Table, h: bool| t.unreadable.is_empty() && !t.records.is_empty() && t.records.iter().all(|r| r.hidden == h);
            let old = &ex.tables[existing];
            let same = old.records.len() == table.records.len()
                && old.records.iter().zip(&table.records).all(|(a, b)| (&a.ip, a.time_ms, a.status, &a.device_text) == (&b.ip, b.time_ms, b.status, &b.device_text));
            if same && ((shown(old, true) && shown(&table, false)) || (shown(old, false) && shown(&table, true))) {
                if shown(&table, false) {
                    ex.tables[existing] = table;
                }
                continue;
            }
            // Two candidate tables of one kind: a spoof or a layout we do not
            // understand. Keep both visible as unreadable; never pick one.
            ex.problems.push(tr("problem_two_lists", &[&kind_name(kind)]));
            let t = &mut ex.tables[existing];
            for rec in std::mem::take(&mut t.records) {
                t.unreadable.push(Unreadable { row: rec.row, reason: tr("row_duplicate_list", &[]), event: None });
            }
            for rec in table.records {
                t.unreadable.push(Unreadable { row: rec.row, reason: tr("row_duplicate_list", &[]), event: None });
            }
            let mut rest = table.unreadable;
            t.unreadable.append(&mut rest);
            continue;
        }
        ex.tables.push(table);
    }

    // 4. Headers without rows: an empty table ("No data") or one still loading.
    for (hi, (h, keys)) in headers.iter().enumerate() {
        if used_headers[hi] {
            continue;
        }
        let Some(kind) = kind_from_keys(keys) else { continue };
        if ex.tables.iter().any(|t| t.kind == kind) {
            continue;
        }
        // "No data" within the header's table container (up to 3 levels up;
        // one more when the header's table holds nothing after the header:
        // Ant Design's fixed header (`scroll.y`) is a table of its own, its
        // "No data" row in the body table beside that table's wrapper).
        let mut c = *h;
        let mut empty = false;
        let mut up = 4;
        for a in tree.ancestors(*h).take(3) {
            if tree.node(a).tag == "table" {
                up += usize::from(tree.end[a] == tree.end[*h]);
                break;
            }
        }
        // (not a "No data" after an address under the header: a cell of a
        // row, "Recent Activity: No data", is no empty list; read as one,
        // the rows were never read and the list passed as checked)
        let ips_to_header = below(&ip_pos, *h);
        for _ in 0..up {
            if no_data_pos.iter().any(|&p| tree.contains(c, p) && p > *h && below(&ip_pos, p) == ips_to_header) {
                empty = true;
                break;
            }
            if tree.parent[c] == crate::snapshot::NO_PARENT {
                break;
            }
            c = tree.parent[c];
        }
        let container = if empty { c } else { tree.parent[*h] };
        let container = if container == crate::snapshot::NO_PARENT { *h } else { container };
        // Rows of the header's shape under it, none with an address or a
        // date-time we read (every address masked): rows we cannot read.
        let mut unreadable = Vec::new();
        let mut records = Vec::new();
        let mut scope = tree.parent[container];
        let mut p = tree.end[*h];
        // None there: a few levels up, the header in a table of its own and
        // the rows in another beside it (Ant Design's fixed header), as far
        // as no other header or list is there: each row unread ("Just now"),
        // rows we cannot read, as when some of them are; never "no rows yet".
        for _ in 0..4 {
            while !empty && scope != crate::snapshot::NO_PARENT && p < tree.end[scope] {
                if tree.node(p).tag == tree.node(*h).tag && header_shaped(tree, p, Some(&header_cells[hi])) {
                    match read_or_not(tree, p, kind, Some(&header_cells[hi]), &pieces, lang, "row_no_ip") {
                        Ok(rec) => records.push(rec),
                        Err(u) => unreadable.push(u),
                    }
                    p = tree.end[p];
                } else {
                    p += 1;
                }
            }
            if empty || scope == crate::snapshot::NO_PARENT || !unreadable.is_empty() || !records.is_empty() {
                break;
            }
            let up = tree.parent[scope];
            if up == crate::snapshot::NO_PARENT {
                break;
            }
            let mut other = count_in(&listed, up) > 0;
            for (g, _) in &headers {
                other |= *g != *h && !other && tree.contains(up, *g);
            }
            for (g, _) in &cards {
                other |= !other && tree.contains(up, *g);
            }
            if other {
                break;
            }
            scope = up;
        }
        if !empty && unreadable.is_empty() && records.is_empty() {
            ex.problems.push(tr("problem_no_rows_yet", &[&kind_name(kind)]));
        }
        ex.tables.push(Table {
            kind,
            container: tree.node(container).id,
            records,
            unreadable,
            empty,
            by: "labels".into(),
            pager: None,
        });
    }
    // 5. Cards of a kind no list was found for, none with an address or a
    //    date-time we read (every address masked): rows we cannot read.
    let found = ex.tables.len();
    for (l, keys) in &cards {
        let Some(kind) = kind_from_keys(keys) else { continue };
        // (a Security Logs event with no IP recorded is read, as beside a list)
        let (records, unreadable) = match read_or_not(tree, *l, kind, None, &pieces, lang, "row_no_ip") {
            Ok(rec) => (vec![rec], Vec::new()),
            Err(u) => (Vec::new(), vec![u]),
        };
        match ex.tables.iter().position(|t| t.kind == kind) {
            Some(t) if t >= found => {
                ex.tables[t].records.extend(records);
                ex.tables[t].unreadable.extend(unreadable);
            }
            Some(_) => {}
            None => ex.tables.push(Table {
                kind,
                container: tree.node(tree.parent[*l]).id,
                records,
                unreadable,
                empty: false,
                by: "labels".into(),
                pager: None,
            }),
        }
    }
    // 6. "No data" in a tab panel whose selected tab names a list: that list,
    //    empty (the card layout has no header row to know it by). Plain loops.
    // (Each panel once: a list of 5,000 devices named "No data" in one
    // panel is not 5,000 walks over the panel.)
    let mut panels_seen: Vec<usize> = Vec::new();
    for &p in &no_data_pos {
        let mut panel = crate::snapshot::NO_PARENT;
        for a in tree.ancestors(p) {
            if tree.node(a).attr("role") == Some("tabpanel") {
                panel = a;
                break;
            }
        }
        if tree.hidden[p] || panel == crate::snapshot::NO_PARENT || tree.parent[panel] == crate::snapshot::NO_PARENT || panels_seen.contains(&panel) {
            continue;
        }
        panels_seen.push(panel);
        let around = tree.parent[panel];
        let mut kind = None;
        for t in around..tree.end[around] {
            let n = tree.node(t);
            if tree.contains(panel, t) || n.attr("role") != Some("tab") || n.attr("aria-selected") != Some("true") {
                continue;
            }
            let title = tree.text(t);
            if labels::is_label(&title, &[key::RECENT_LOGINS]) {
                kind = Some(TableKind::RecentLogins);
            } else if labels::is_label(&title, &[key::SECURITY_LOGS]) {
                kind = Some(TableKind::SecurityLogs);
            }
        }
        let Some(kind) = kind else { continue };
        let mut listed = false;
        for t in &ex.tables {
            listed |= t.kind == kind || tree.pos(t.container).is_some_and(|c| tree.contains(panel, c) || tree.contains(c, panel));
        }
        if !listed {
            ex.tables.push(Table { kind, container: tree.node(panel).id, records: Vec::new(), unreadable: Vec::new(), empty: true, by: "labels".into(), pager: None });
        }
    }
    // The page control under each list: after the list's last row, before
    // any other list or a list's title, within a few levels of the rows.
    // (Plain loops: no iterator adaptors' code in the wasm.)
    let mut starts: Vec<usize> = Vec::new();
    for t in &ex.tables {
        if let Some(s) = tree.pos(t.container) {
            starts.push(s);
        }
    }
    let titles = list_titles(tree, &ex.tables);
    for t in ex.tables.iter_mut() {
        // (a title inside the list's own container is no other list's: text
        // in a row we could not read must not hide the list's own pager)
        let mut stops = starts.clone();
        for &p in &titles {
            if !tree.pos(t.container).is_some_and(|c| tree.contains(c, p)) {
                stops.push(p);
            }
        }
        t.pager = pager_under(tree, t, &stops);
    }
    if let Some(p) = time_problem {
        if ex.tables.iter().all(|t| t.records.is_empty()) {
            ex.problems.push(tr("problem_dates", &[&p]));
        }
    }
}

/// The element a text is read from: its parent, or for a word joined from
/// texts over inline elements (`snapshot::join_glued`) the element holding
/// all its parts (`<div>2025-07<span>-14</span></div>`: the div).
fn holder(tree: &Tree, i: usize) -> usize {
    let mut e = tree.element_of(i);
    for q in i + 1..tree.len() {
        let n = tree.node(q);
        if n.is_text() && !n.text.is_empty() || !n.is_text() && !crate::snapshot::INLINE_TAGS.contains(&n.tag.as_str()) {
            break;
        }
        if n.glued {
            e = tree.common_ancestor(e, q).unwrap_or(e);
        }
    }
    e
}

/// Something a user clicks: a button, a link, a list item (Ant Design's
/// page items are `li`s), a `role=button|link`.
fn clickable(tree: &Tree, pos: usize) -> bool {
    let n = tree.node(pos);
    matches!(n.tag.as_str(), "button" | "a" | "li") || matches!(n.attr("role"), Some("button") | Some("link"))
}

/// The class marks the item shown (`KuxPagination-item-active`,
/// `ant-pagination-item-active`, `Mui-selected`).
fn class_says_shown(n: &crate::snapshot::Node) -> bool {
    n.attr("class").is_some_and(|c| crate::util::has(c, "active") || crate::util::has(c, "selected"))
}

/// The page control under a list: from its last row (read or not) to the
/// end of the row's 10th ancestor (or the highest one), wrappers not
/// counted, and before the next list (`starts`: where each list begins).
/// Trusted Devices saying "No data" is searched from inside its container:
/// a page of it emptied by Remove may still sit under a pager with devices
/// on the other pages.
fn pager_under(tree: &Tree, t: &Table, starts: &[usize]) -> Option<Pager> {
    let mut last_row = None;
    for r in &t.records {
        last_row = last_row.max(tree.pos(r.row));
    }
    for u in &t.unreadable {
        last_row = last_row.max(tree.pos(u.row));
    }
    let (r, from) = match last_row {
        Some(r) => (r, tree.end[r]),
        None if t.kind == TableKind::TrustedDevices && t.empty => {
            let c = tree.pos(t.container)?;
            (c, c + 1)
        }
        None => return None,
    };
    pager_from(tree, r, from, starts)
}

/// The page control under a list whose last row (or card) is at `r`: from
/// the row's end to the end of its 10th ancestor (wrappers not counted),
/// before the next list (`starts`). The API keys' list uses it too.
pub(crate) fn pager_after(tree: &Tree, r: usize, starts: &[usize]) -> Option<Pager> {
    pager_from(tree, r, tree.end[r], starts)
}

/// `pager_after` searching from `from` (inside an empty list's container).
fn pager_from(tree: &Tree, r: usize, from: usize, starts: &[usize]) -> Option<Pager> {
    let mut limit = from;
    let mut a = tree.parent[r];
    let mut up = 0;
    while up < 10 && a != crate::snapshot::NO_PARENT {
        limit = tree.end[a];
        up += usize::from(!wrapper(tree, a));
        a = tree.parent[a];
    }
    for &s in starts {
        if s >= from && s < limit {
            limit = s;
        }
    }
    find_pager(tree, from, limit)
}

fn find_pager(tree: &Tree, from: usize, limit: usize) -> Option<Pager> {
    // page numbers and their controls (positions) in document order
    let mut pager = Pager::default();
    let mut controls: Vec<usize> = Vec::new();
    let mut root = None;
    for i in from..limit.min(tree.len()) {
        let n = tree.node(i);
        let t = crate::util::trim_with(&n.text, net::is_trim);
        if !n.is_text() || tree.hidden[i] || t.is_empty() || t.len() > 4 || !crate::util::all_bytes(t, |b| b.is_ascii_digit()) {
            continue;
        }
        let mut v = 0u32;
        for b in t.bytes() {
            v = v * 10 + u32::from(b - b'0');
        }
        // its control: the text's element or one of its 5 parents, wrappers
        // not counted (`<button><div><span><b>1</b></span></div></button>`)
        let mut c = tree.parent[i];
        let mut up = 0;
        while up < 5 && c != crate::snapshot::NO_PARENT && !clickable(tree, c) {
            up += usize::from(!wrapper(tree, c));
            c = tree.parent[c];
        }
        if v == 0 || c == crate::snapshot::NO_PARENT || !clickable(tree, c) {
            continue;
        }
        // ... holding no other text (invisible marks are none)
        let mut q = c;
        while q < tree.end[c] && (q == i || !tree.node(q).is_text() || crate::util::trim_with(&tree.node(q).text, net::is_trim).is_empty()) {
            q += 1;
        }
        if q < tree.end[c] {
            continue;
        }
        if let (Some(&prev), Some(&first)) = (pager.numbers.last(), controls.last()) {
            // One run: ascending, under the same parent as the first two.
            let r = tree.common_ancestor(first, c);
            if v <= prev || (root.is_some() && r != root) || r.is_none_or(|r| levels(tree, c, r) > 5) {
                break;
            }
            root = r;
        }
        pager.numbers.push(v);
        controls.push(c);
    }
    // the control or its parent (Ant Design marks the `li` around the `a`)
    let says = |p: usize| {
        let n = tree.node(p);
        n.attr("aria-current").is_some_and(|v| v != "false") || n.attr("aria-selected") == Some("true") || class_says_shown(n)
    };
    for (k, &c) in controls.iter().enumerate() {
        if pager.current == 0 && (says(c) || (tree.parent[c] != crate::snapshot::NO_PARENT && says(tree.parent[c]))) {
            pager.current = pager.numbers[k];
        }
        pager.ids.push(tree.node(c).id);
    }
    // A lone number is a pager only when it is marked as the page shown.
    pager.last = *pager.numbers.last()?;
    if pager.numbers.len() == 1 && pager.current == 0 {
        return None;
    }
    Some(pager)
}

pub fn kind_name(k: TableKind) -> String {
    tr(
        match k {
            TableKind::RecentLogins => "list_recent_logins",
            TableKind::TrustedDevices => "list_trusted_devices",
            TableKind::SecurityLogs => "list_security_logs",
        },
        &[],
    )
}

fn kind_from_keys(keys: &[&str]) -> Option<TableKind> {
    let has = |k: &str| keys.contains(&k);
    // Type is Security Logs' own column; "Trusted Device" beside it is an event's type (cards).
    let other = has(key::RECENT_ACTIVITY) || has(key::REMOVE_DEVICE) || has(key::LOGIN_DEVICE) || has(key::STATUS);
    if has(key::TYPE) && !other {
        Some(TableKind::SecurityLogs)
    } else if has(key::TRUSTED_DEVICE) || has(key::RECENT_ACTIVITY) || has(key::REMOVE_DEVICE) {
        Some(TableKind::TrustedDevices)
    } else if has(key::LOGIN_DEVICE) || has(key::STATUS) {
        Some(TableKind::RecentLogins)
    } else {
        None
    }
}

fn kind_from_shape(tree: &Tree, rows: &[usize], pieces: &[Option<Piece>]) -> Option<TableKind> {
    let mut with_status = 0;
    let mut with_button = 0;
    for &r in rows {
        if (r..tree.end[r]).any(|p| pieces[p].as_ref().is_some_and(|x| x.status.is_some())) {
            with_status += 1;
        }
    }
    if with_status * 2 > rows.len() {
        return Some(TableKind::RecentLogins);
    }
    for &r in rows {
        if !tree.buttons(r).is_empty() {
            with_button += 1;
        }
    }
    if with_button * 2 > rows.len() {
        return Some(TableKind::TrustedDevices);
    }
    Some(TableKind::SecurityLogs)
}

/// Column key per header cell (element child of the header row), by position.
fn header_columns(tree: &Tree, header: usize, pieces: &[Option<Piece>]) -> Vec<Option<&'static str>> {
    let mut out = Vec::new();
    for c in tree.element_children(header) {
        out.push((c..tree.end[c]).find_map(|p| pieces[p].as_ref().and_then(|x| x.column)));
    }
    out
}

/// The header's column per cell of a row of `n` cells, when it heads such a
/// row (two named columns or more): all its columns, or the first `n` when the
/// rest have no name (Ant Design's fixed header ends with an empty
/// scrollbar-gutter cell the rows lack).
fn slots<'h>(h: &'h [Option<&'static str>], n: usize) -> Option<&'h [Option<&'static str>]> {
    let extra = h.get(n..)?;
    let mut named = 0;
    for k in h {
        named += usize::from(k.is_some());
    }
    (named >= 2 && extra.iter().all(Option::is_none)).then(|| &h[..n])
}

/// A status shown as a dot or an icon named by its aria-label or title
/// ("Online") within `e`; of two names, or one no status has (when `strict`), none is read.
fn named_status(tree: &Tree, e: usize, rec: &mut Record, lang: &str, strict: bool) -> Result<(), String> {
    for q in e..tree.end[e] {
        let n = tree.node(q);
        let Some(name) = n.attr("aria-label").or(n.attr("title")) else { continue };
        let s = labels::match_key(name, Some(lang).filter(|l| !l.is_empty()), STATUS_KEYS).and_then(status_of);
        if s.is_none() && !strict {
            continue;
        }
        if s.is_none() || rec.status.is_some_and(|x| Some(x) != s) {
            return Err(tr("row_unknown_status", &[&clip(name)]));
        }
        rec.status = s;
        rec.hidden |= tree.hidden[q];
    }
    Ok(())
}

/// A row found beside the list's rows (no address in it): a Security Logs
/// event with no IP recorded is read (see `no_ip_recorded`); any other is a
/// row we cannot read, with the reason reading it gives ("unreadable time
/// "Just now"", the masked address "Singapore(203.0.*.*)"), else `fallback`'s.
fn read_or_not(tree: &Tree, r: usize, kind: TableKind, header: Option<&[Option<&'static str>]>, pieces: &[Option<Piece>], lang: &str, fallback: &str) -> Result<Record, Unreadable> {
    match parse_row(tree, r, kind, header, pieces, lang) {
        Ok(rec) if kind == TableKind::SecurityLogs && rec.ip.is_none() => Ok(rec),
        Ok(_) => Err(Unreadable { row: tree.node(r).id, reason: tr(fallback, &[]), event: None }),
        Err(reason) => Err(unreadable_row(tree, r, kind, header, pieces, lang, reason)),
    }
}

/// A row we cannot read, for `reason`. A Security Logs event whose only
/// fault is its time ("Just now", a format we don't know) keeps what was
/// read of it (`Unreadable::event`): when it is a sensitive change, not
/// knowing when it happened must not hide it.
fn unreadable_row(tree: &Tree, r: usize, kind: TableKind, header: Option<&[Option<&'static str>]>, pieces: &[Option<Piece>], lang: &str, reason: String) -> Unreadable {
    let event = if kind == TableKind::SecurityLogs { read_row(tree, r, kind, header, pieces, lang, false).ok().filter(|e| e.time_ms.is_none()) } else { None };
    Unreadable { row: tree.node(r).id, reason, event }
}

/// "unreadable time … (language …)": a date-time the row shows that was not
/// read as the row's one.
fn bad_time(time_text: &str, lang: &str) -> String {
    tr("row_bad_time", &[&clip(time_text), &if lang.is_empty() { tr("row_lang_unknown", &[]) } else { lang.to_string() }])
}

/// What a Login IP cell shows for an event KuCoin recorded no address for:
/// nothing, or a dash ("-", "--", "—", "N/A"). A masked or cut address is
/// not this (it is "unreadable Login IP").
pub fn no_ip_recorded(ip_text: &str) -> bool {
    let t = crate::util::trim_with(ip_text, net::is_trim);
    crate::util::count_chars_where(t, |c| matches!(c, '-' | '‐' | '–' | '—' | '―' | '−')) == crate::util::char_count(t) || t.eq_ignore_ascii_case("n/a")
}

/// Is `body` (a list's, `row` one of its rows) inside a table cell of a row
/// right after a row of a header's shape, or (or its parent) right after a
/// card (`cards`, sorted) of more fields than `row` has cells? Then it is
/// that row's or card's expanded part (the IPs a trusted device used): its
/// sub-list, not a list of its own, also when the row itself is not read
/// ("Just now": no row found to nest it in).
fn in_expanded_row(tree: &Tree, body: usize, row: usize, header_cells: &[Vec<Option<&'static str>>], cards: &[usize]) -> bool {
    let cells = tree.element_children(row).len();
    let mut x = body;
    for _ in 0..2 {
        if prev_element(tree, x).is_some_and(|c| cards.binary_search(&c).is_ok() && tree.element_children(c).len() > cells) {
            return true;
        }
        x = tree.parent[x];
        if x == crate::snapshot::NO_PARENT {
            return false;
        }
    }
    let mut cell = body;
    while cell != crate::snapshot::NO_PARENT && !is_cell(tree, cell) {
        cell = tree.parent[cell];
    }
    if cell == crate::snapshot::NO_PARENT || tree.parent[cell] == crate::snapshot::NO_PARENT {
        return false;
    }
    let row = tree.parent[cell];
    let Some(prev) = prev_element(tree, row) else { return false };
    let mut shaped = false;
    for h in header_cells {
        shaped |= tree.node(prev).tag == tree.node(row).tag && header_shaped(tree, prev, Some(h));
    }
    shaped
}

/// A table row: `tr`, an ARIA row.
fn is_table_row(tree: &Tree, x: usize) -> bool {
    let n = tree.node(x);
    n.tag == "tr" || n.attr("role") == Some("row")
}

/// A table cell: `td`, `th`, an ARIA cell.
fn is_cell(tree: &Tree, x: usize) -> bool {
    let n = tree.node(x);
    matches!(n.tag.as_str(), "td" | "th") || n.attr("role").is_some_and(|role| matches!(role, "cell" | "gridcell"))
}

/// The element before `x` under the same parent (texts between skipped).
fn prev_element(tree: &Tree, x: usize) -> Option<usize> {
    let p = tree.parent[x];
    let mut at = x;
    while p != crate::snapshot::NO_PARENT && at > p + 1 {
        let mut s = at - 1;
        while tree.parent[s] != p {
            s = tree.parent[s];
        }
        if !tree.node(s).is_text() {
            return Some(s);
        }
        at = s;
    }
    None
}

/// A table cell (`td`, `th`, an ARIA cell) between row `r` and the lifted
/// parent `key` it was grouped under: the row sits inside another row's cell.
fn lifted_through_cell(tree: &Tree, r: usize, key: usize) -> bool {
    let mut x = tree.parent[r];
    while x != key && x != crate::snapshot::NO_PARENT {
        if is_cell(tree, x) {
            return true;
        }
        x = tree.parent[x];
    }
    false
}

/// An element with text in as many cells as the header has: a row (one we
/// cannot read when it has no address or date-time we can).
fn header_shaped(tree: &Tree, e: usize, header: Option<&[Option<&'static str>]>) -> bool {
    header.and_then(|h| slots(h, tree.element_children(e).len())).is_some() && !crate::util::trim_with(&tree.text(e), net::is_trim).is_empty()
}

fn parse_row(tree: &Tree, r: usize, kind: TableKind, header: Option<&[Option<&'static str>]>, pieces: &[Option<Piece>], lang: &str) -> Result<Record, String> {
    read_row(tree, r, kind, header, pieces, lang, true)
}

/// Cells of a row: its element children, skipping empty decorative ones only
/// when the header has no slot for them. `need_time`: a row without a time
/// we read is one we cannot read (false only to keep what was read of one,
/// `unreadable_row`).
fn read_row(
    tree: &Tree,
    r: usize,
    kind: TableKind,
    header: Option<&[Option<&'static str>]>,
    pieces: &[Option<Piece>],
    lang: &str,
    need_time: bool,
) -> Result<Record, String> {
    let node = tree.node(r);
    let mut rec = Record {
        row: node.id,
        anchor: node.id,
        hidden: tree.hidden[r],
        ip: None,
        ip_text: String::new(),
        device_text: String::new(),
        device: DeviceInfo::default(),
        time_text: String::new(),
        time_ms: None,
        status: None,
        event_type: String::new(),
        remove_button: None,
        status_ambiguous: false,
    };
    let cells = tree.element_children(r);
    let by_position = header.and_then(|h| slots(h, cells.len()));
    let mut device_parts: Vec<String> = Vec::new();
    let mut device_anchor: Option<usize> = None;
    let mut statuses: Vec<Status> = Vec::new();
    // Text nodes the record is read from: if any is not rendered, neither is
    // the row the user sees (off-screen, zero-size or hidden cells).
    let mut read_from: Vec<usize> = Vec::new();
    // A status word in a cell of another column is a chip (KuCoin's `KuxTag`)
    // only in an element of its own inside the cell (see `alone_in_element`).
    let is_chip = |p: usize, cell: usize| tree.element_of(p) != cell && alone_in_element(tree, p, pieces);
    if let Some(h) = by_position {
        for (ci, &cell) in cells.iter().enumerate() {
            let text = tree.text(cell);
            if matches!(h[ci], Some(key::LOGIN_IP | key::TIME | key::RECENT_ACTIVITY | key::STATUS | key::LOGIN_DEVICE | key::TRUSTED_DEVICE)) {
                for p in cell..tree.end[cell] {
                    if tree.node(p).is_text() {
                        read_from.push(p);
                    }
                }
            }
            match h[ci] {
                Some(key::LOGIN_IP) => {
                    rec.ip_text = text.clone();
                    let mut ips = (cell..tree.end[cell]).filter_map(|p| pieces[p].as_ref()?.ip.as_ref());
                    rec.ip = ips.next().cloned();
                    // Two addresses ("Singapore(…)<br>Tokyo(…)"): the cell's text, read whole, says so.
                    if ips.any(|i| rec.ip.as_ref().is_some_and(|r| r.ip != i.ip)) || rec.ip.is_none() {
                        rec.ip = net::parse_login_ip(&text).ok();
                    }
                    let mut other = String::new();
                    for (p, t) in tree.text_pieces(cell) {
                        // (a status chip beside the address is no area)
                        if pieces[p].as_ref().is_none_or(|x| x.ip.is_none() && (x.status.is_none() || !is_chip(p, cell))) {
                            other.push(' ');
                            other.push_str(t);
                        }
                    }
                    area_from(&mut rec.ip, &other);
                }
                Some(key::TIME) | Some(key::RECENT_ACTIVITY) => {
                    rec.time_text = text.clone();
                    rec.time_ms = (cell..tree.end[cell]).find_map(|p| pieces[p].as_ref().and_then(|x| x.time));
                }
                Some(key::STATUS) => {
                    rec.status = (cell..tree.end[cell]).find_map(|p| pieces[p].as_ref().and_then(|x| x.status));
                    rec.status_ambiguous = (cell..tree.end[cell]).any(|p| pieces[p].as_ref().is_some_and(|x| x.ambiguous));
                    // Other words in the cell: a status over elements not read
                    // whole ("غير" <div>"متصل"</div> is Offline, "متصل" Online):
                    // the cell's words name one, or none is read.
                    let stray = tree.text_pieces(cell).iter().any(|&(p, t)| {
                        pieces[p].as_ref().is_none_or(|x| x.status.is_none() && !x.rest) && !crate::util::trim_with(t, net::is_trim).is_empty()
                    });
                    if stray {
                        rec.status = labels::match_key(&text, Some(lang).filter(|l| !l.is_empty()), STATUS_KEYS).and_then(status_of);
                        rec.status_ambiguous = false;
                    }
                    if rec.status.is_none() && !text.is_empty() {
                        return Err(tr("row_unknown_status", &[&clip(&text)]));
                    }
                    if text.is_empty() {
                        named_status(tree, cell, &mut rec, lang, true)?;
                    }
                }
                Some(key::LOGIN_DEVICE) => {
                    for (p, t) in tree.text_pieces(cell) {
                        // (not a status chip: read below)
                        if pieces[p].as_ref().is_none_or(|x| !x.rest && (x.status.is_none() || !is_chip(p, cell))) {
                            device_parts.push(t.to_string());
                        }
                    }
                    device_anchor = Some(cell);
                }
                Some(key::TRUSTED_DEVICE) => {
                    // KuCoin tags this browser's row with a "Current" chip.
                    for (p, t) in tree.text_pieces(cell) {
                        match pieces[p].as_ref().and_then(|x| x.status) {
                            Some(st) if is_chip(p, cell) => rec.status = Some(st),
                            _ if pieces[p].as_ref().is_some_and(|x| x.rest) => {}
                            _ => device_parts.push(t.to_string()),
                        }
                    }
                    // or with an icon named by its aria-label or title (other names: the
                    // expand button, the device icon)
                    named_status(tree, cell, &mut rec, lang, false)?;
                    device_anchor = Some(cell);
                }
                Some(key::TYPE) => rec.event_type = text,
                Some(key::REMOVE_DEVICE) => rec.remove_button = tree.buttons(cell).first().map(|&b| tree.node(b).id),
                // A column whose header we cannot name ("Time (UTC+8)"): its
                // address, date-time or status shape still reads.
                None => {
                    for p in cell..tree.end[cell] {
                        let Some(x) = pieces[p].as_ref() else { continue };
                        if rec.ip.is_none() && x.ip.is_some() {
                            rec.ip = x.ip.clone();
                            rec.ip_text = text.clone();
                        } else if rec.time_ms.is_none() && x.time.is_some() {
                            rec.time_ms = x.time;
                            rec.time_text = text.clone();
                        } else if rec.status.is_none() && x.status.is_some() && (kind != TableKind::TrustedDevices || is_chip(p, cell)) {
                            // (Trusted Devices shows a status only as a chip: a cell
                            // whose text is a status word, an area "Online", is none)
                            rec.status = x.status;
                            rec.status_ambiguous = x.ambiguous;
                        } else {
                            continue;
                        }
                        read_from.push(p);
                    }
                }
                _ => {}
            }
        }
        // A status chip ("Current", KuCoin's `KuxTag`) in another cell of the
        // row (beside the address, the time, the device): a status word that
        // is the whole text of an element of its own inside the cell. The
        // cell's own words are not one (a device named "Current" is a name).
        if kind != TableKind::SecurityLogs {
            for (ci, &cell) in cells.iter().enumerate() {
                if !matches!(h[ci], Some(key::LOGIN_IP | key::LOGIN_DEVICE | key::TIME | key::RECENT_ACTIVITY | key::REMOVE_DEVICE)) {
                    continue;
                }
                for p in cell..tree.end[cell] {
                    let Some(x) = pieces[p].as_ref().filter(|x| x.status.is_some() && is_chip(p, cell)) else { continue };
                    if rec.status.is_some_and(|s| Some(s) != x.status) {
                        return Err(tr("row_many_statuses", &[]));
                    }
                    rec.status = x.status;
                    rec.status_ambiguous |= x.ambiguous;
                    read_from.push(p);
                }
                // or an icon named by its aria-label / title (Trusted Devices: the chip is its only status)
                if kind == TableKind::TrustedDevices && h[ci] != Some(key::LOGIN_DEVICE) {
                    named_status(tree, cell, &mut rec, lang, false)?;
                }
            }
        }
    } else {
        // Label/value pairs (cards) or bare shapes.
        let mut current_label: Option<&'static str> = None;
        let mut area = String::new();
        let texts = tree.text_pieces(r);
        let in_button = |p: usize| {
            tree.ancestors(p).take_while(|&a| a != r).any(|a| {
                let n = tree.node(a);
                n.tag == "button" || n.attr("role") == Some("button")
            })
        };
        // A chip before the device's name: the name follows in the field, outside
        // the chip's element (a name alone in the field is a name).
        let name_follows = |n: usize, p: usize| {
            for &(q, t) in &texts[n + 1..] {
                let x = pieces[q].as_ref();
                if x.is_some_and(|x| x.column.is_some()) {
                    return false;
                }
                if !(x.is_some_and(|x| x.rest || x.status.is_some() || x.ip.is_some() || x.time.is_some())
                    || crate::util::trim_with(t, net::is_trim).is_empty()
                    || in_button(q))
                {
                    return !tree.contains(tree.element_of(p), q);
                }
            }
            false
        };
        for (n, &(p, text)) in texts.iter().enumerate() {
            let piece = pieces[p].as_ref();
            if piece.is_some_and(|x| x.rest) {
                continue;
            }
            // (a Security Logs type that is another list's label, "Trusted Device", is the
            // value of the Type field it follows)
            let type_value = kind == TableKind::SecurityLogs
                && current_label == Some(key::TYPE)
                && rec.event_type.is_empty()
                && piece.is_some_and(|x| !matches!(x.column, Some(key::LOGIN_IP | key::TYPE | key::TIME)));
            if let Some(k) = piece.and_then(|x| x.column).filter(|_| !type_value) {
                current_label = Some(k);
                if piece.is_none_or(|x| x.value_at == 0) {
                    continue;
                }
            }
            let text = piece.map_or(text, |x| crate::util::str_from(text, x.value_at));
            if let Some(ip) = piece.and_then(|x| x.ip.clone()) {
                if rec.ip.is_some() && kind != TableKind::SecurityLogs {
                    // Two addresses: two sessions run together, or not a row.
                    return Err(tr("row_bad_ip", &[&clip(text)]));
                }
                rec.ip = Some(ip);
                rec.ip_text = text.to_string();
                read_from.push(p);
                continue;
            }
            // "Singapore(" <span>"203.0.113.24"</span> ")": the area and a bracket.
            let bare = crate::util::trim_with(text, |c| net::is_trim(c) || matches!(c, '(' | ')' | '（' | '）'));
            // (the next text with more than invisible marks: "Lagos(" <b>"\u{2068}"</b> "198…")
            let next = texts[n + 1..].iter().find(|&&(_, t)| !crate::util::trim_with(t, net::is_trim).is_empty());
            let before_ip = next.is_some_and(|&(q, _)| pieces[q].as_ref().is_some_and(|x| x.ip.is_some()));
            if bare.is_empty() || (before_ip && crate::util::trim_with(text, net::is_trim).ends_with(['(', '（'])) {
                area.push(' ');
                area.push_str(text);
                continue;
            }
            if let Some(t) = piece.and_then(|x| x.time) {
                rec.time_ms = Some(t);
                rec.time_text = text.to_string();
                read_from.push(p);
                continue;
            }
            if piece.is_some_and(|x| x.tail) {
                rec.time_text.push(' ');
                rec.time_text.push_str(text);
                read_from.push(p);
                continue;
            }
            if let Some(s) = piece.and_then(|x| x.status) {
                // A status chip beside the address or the time, or after or before the
                // device's name in its field (the name alone is the signing-in client's
                // to choose: a device named "Current" is a name), marks the row.
                let chip = kind != TableKind::SecurityLogs
                    && match current_label {
                        Some(key::LOGIN_IP | key::RECENT_ACTIVITY | key::TIME) => alone_in_element(tree, p, pieces),
                        Some(key::TRUSTED_DEVICE | key::LOGIN_DEVICE) => (!device_parts.is_empty() || name_follows(n, p)) && alone_in_element(tree, p, pieces),
                        _ => false,
                    };
                // (with no label, a word alone in its element: "Linux" "Current" in
                // one element is a device's name, see `alone_in_element`)
                if chip || current_label == Some(key::STATUS) || (current_label.is_none() && alone_in_element(tree, p, pieces)) {
                    statuses.push(s);
                    read_from.push(p);
                    rec.status_ambiguous |= piece.is_some_and(|x| x.ambiguous);
                    continue;
                }
            }
            if in_button(p) {
                continue;
            }
            match (kind, current_label) {
                (TableKind::SecurityLogs, None | Some(key::TYPE)) => {
                    if !rec.event_type.is_empty() {
                        rec.event_type.push(' ');
                    }
                    rec.event_type.push_str(text);
                }
                (TableKind::RecentLogins | TableKind::TrustedDevices, None | Some(key::LOGIN_DEVICE) | Some(key::TRUSTED_DEVICE)) => {
                    device_parts.push(text.to_string());
                    read_from.push(p);
                    if device_anchor.is_none() {
                        device_anchor = Some(tree.element_of(p));
                    }
                }
                (_, Some(key::LOGIN_IP)) => {
                    area.push(' ');
                    area.push_str(text);
                }
                // what the Time field shows when no date-time is read ("Just now")
                (_, Some(key::TIME | key::RECENT_ACTIVITY)) if rec.time_ms.is_none() => rec.time_text.push_str(text),
                // Words under "Status:" no status names ("Не" of "Не" "в
                // сети" not read whole): no status is read, not the other words'.
                (_, Some(key::STATUS)) => return Err(tr("row_unknown_status", &[&clip(text)])),
                _ => {}
            }
        }
        area_from(&mut rec.ip, &area);
        if rec.ip.is_none() {
            // what the Login IP field shows ("Singapore(203.0.*.*)")
            rec.ip_text = crate::util::trim_with(&area, net::is_trim).to_string();
        }
        if statuses.len() > 1 && statuses.iter().any(|s| *s != statuses[0]) {
            return Err(tr("row_many_statuses", &[]));
        }
        rec.status = statuses.first().copied();
        if rec.status.is_none() && kind == TableKind::RecentLogins {
            named_status(tree, r, &mut rec, lang, true)?;
        }
        if kind == TableKind::TrustedDevices {
            rec.remove_button = tree.buttons(r).last().map(|&b| tree.node(b).id);
        }
    }
    if kind == TableKind::TrustedDevices && rec.status.is_some() {
        // The only chip Trusted Devices shows is "Current" (which reads
        // "Online" in some languages).
        rec.status = Some(Status::Current);
    }
    rec.hidden |= read_from.iter().any(|&p| tree.hidden[p]);
    // Invisible marks around a part (bidi isolates, zero-width) are not the device's name.
    let mut device_text = String::new();
    for part in &device_parts {
        let part = crate::util::trim_with(part, net::is_trim);
        if !part.is_empty() {
            if !device_text.is_empty() {
                device_text.push(' ');
            }
            device_text.push_str(part);
        }
    }
    rec.device_text = device_text;
    if !rec.device_text.is_empty() {
        rec.device = device::parse_kucoin_device(&rec.device_text);
        if let Some(os) = device_anchor.and_then(|a| icon_platform(tree, a)) {
            device::add_icon_platform(&mut rec.device, os);
        }
    }
    if let Some(a) = device_anchor {
        rec.anchor = tree.node(a).id;
    }
    // Fail closed: what a table of this kind must have (a Security Logs event
    // may have no address recorded: "-" or nothing in its Login IP cell).
    if rec.ip.is_none() && !(kind == TableKind::SecurityLogs && no_ip_recorded(&rec.ip_text)) {
        return Err(if rec.ip_text.is_empty() {
            tr("row_no_ip", &[])
        } else {
            tr("row_bad_ip", &[&clip(&rec.ip_text)])
        });
    }
    if rec.time_ms.is_none() && need_time {
        return Err(if rec.time_text.is_empty() {
            tr("row_no_time", &[])
        } else {
            bad_time(&rec.time_text, lang)
        });
    }
    match kind {
        TableKind::RecentLogins => {
            if rec.status.is_none() {
                return Err(tr("row_no_status", &[]));
            }
            if rec.device_text.is_empty() {
                return Err(tr("row_no_device", &[]));
            }
        }
        TableKind::TrustedDevices => {
            if rec.device_text.is_empty() {
                return Err(tr("row_no_device", &[]));
            }
        }
        TableKind::SecurityLogs => {
            if rec.event_type.is_empty() {
                return Err(tr("row_no_event_type", &[]));
            }
        }
    }
    Ok(rec)
}

/// The platform the icons in the device's cell show (`alt`, `title`,
/// `aria-label`, `data-icon` or `class` of a visible element holding no text:
/// an `img`, an `svg`, KuCoin's icon `span`), when they agree on one. The row's
/// text is never replaced by it (see `device::add_icon_platform`).
fn icon_platform(tree: &Tree, cell: usize) -> Option<&'static str> {
    let mut found: Option<&'static str> = None;
    let texts = tree.word_counts(cell);
    for q in cell + 1..tree.end[cell] {
        let n = tree.node(q);
        if n.is_text() || tree.hidden[q] || texts[tree.end[q] - cell] != texts[q - cell] {
            continue;
        }
        for name in ["alt", "title", "aria-label", "data-icon", "class"] {
            let Some(os) = n.attr(name).and_then(device::icon_platform) else { continue };
            if found.is_some_and(|f| f != os) {
                return None;
            }
            found = Some(os);
        }
    }
    found
}

/// The text at `p` is the whole text of its element (with the later words of
/// a status over elements, "Hiện" <b>"tại"</b>): how a status chip is shown.
/// A device's name is the signing-in client's to choose, and React writes
/// `{system} {device}` as texts of one element ("Linux" "Current"): a status
/// word beside other words in its element is part of a name (or an area),
/// never the row's status.
fn alone_in_element(tree: &Tree, p: usize, pieces: &[Option<Piece>]) -> bool {
    tree.text_pieces(tree.element_of(p))
        .iter()
        .all(|&(q, t)| q == p || pieces[q].as_ref().is_some_and(|x| x.rest) || crate::util::trim_with(t, net::is_trim).is_empty())
}

/// Area and address as two pieces of one field ("Singapore" / "(203.0.113.24)",
/// "203.0.113.24" / "Singapore"): the field's other text is the area.
fn area_from(ip: &mut Option<LoginIp>, other: &str) {
    if let Some(ip) = ip.as_mut().filter(|ip| ip.area.is_none()) {
        let t = crate::util::trim_with(other, |c| net::is_trim(c) || matches!(c, '(' | ')' | '（' | '）'));
        if t.len() <= 120 {
            ip.area = net::clean_area(t);
        }
    }
}

/// An element whose whole content is one child node (`<div><div>…</div></div>`,
/// `<span>text</span>`): a layout wrapper, which adds depth but no structure.
fn wrapper(tree: &Tree, a: usize) -> bool {
    a + 1 < tree.end[a] && tree.end[a + 1] == tree.end[a]
}

/// What a line of words runs across: a text, an inline element, or a layout
/// `div` around one element (`<div><span>IP:</span></div>`, as styled
/// components wrap a word); not a box around a text of its own (`<div>IP:</div>`),
/// a cell or a row.
fn in_line(tree: &Tree, q: usize) -> bool {
    let n = tree.node(q);
    n.is_text() || crate::snapshot::INLINE_TAGS.contains(&n.tag.as_str()) || (n.tag == "div" && n.attr("role").is_none() && wrapper(tree, q) && !tree.node(q + 1).is_text())
}

/// Only `in_line` nodes open or close between the positions `a` < `b`
/// (`Tree::inline_between`, across layout wrappers too).
fn line_between(tree: &Tree, a: usize, b: usize) -> bool {
    (a + 1..b).all(|q| in_line(tree, q)) && tree.ancestors(a).take_while(|&p| !tree.contains(p, b)).all(|p| in_line(tree, p))
}

/// The text after the text at `pos` on its line (`line_between`): a label's
/// or status's next word.
fn next_line_text(tree: &Tree, pos: usize) -> Option<usize> {
    let j = (pos + 1..tree.len()).find(|&q| !in_line(tree, q) || !tree.node(q).text.is_empty())?;
    (tree.node(j).is_text() && line_between(tree, pos, j)).then_some(j)
}

/// Levels from `inner` up to its ancestor `outer` (included), wrappers not
/// counted: the same however deep a page wraps its elements.
fn levels(tree: &Tree, inner: usize, outer: usize) -> usize {
    let mut n = 0;
    let mut a = inner;
    while a != outer && tree.parent[a] != crate::snapshot::NO_PARENT {
        a = tree.parent[a];
        if a == outer || !wrapper(tree, a) {
            n += 1;
        }
    }
    n
}

/// How many of the ascending positions `sorted` are below `x` (one shared
/// binary search for the "pieces inside this element" counts).
pub fn below(sorted: &[usize], x: usize) -> usize {
    sorted.partition_point(|&y| y < x)
}

/// Short form of page text for messages (page text is hostile and may be huge).
pub fn clip(s: &str) -> String {
    clip_to(s, 60)
}

/// Page text (a device name: the signing-in client's to choose) quoted inside one of
/// our sentences: its own bidi controls dropped and the rest isolated (FSI … PDI), so
/// an RTL override in it cannot reorder the sentence around it. (Not `net::is_bidi_or_zw`:
/// zero-width joiners stay, they hold emoji and Indic words together.)
pub fn isolate(s: &str) -> String {
    isolate_with('\u{2068}', s)
}

/// An IP address quoted in one of our sentences. In a right-to-left language
/// (the messages' `text_dir`) it is isolated left to right (LRI … PDI): in an
/// Arabic or Urdu sentence "2001:db8::7334" would otherwise show as
/// "db8::7334:2001". Elsewhere it stays bare, so copying it from our text
/// copies the address alone (a left-to-right sentence shows it as it is).
pub fn quote_ip(ip: &str) -> String {
    quote_ip_in(crate::i18n::rtl(), ip)
}

fn quote_ip_in(rtl: bool, ip: &str) -> String {
    if rtl { isolate_with('\u{2066}', ip) } else { ip.to_string() }
}

/// A device as our sentences name it, "Chrome on Windows 10 from Singapore
/// (203.0.113.41)": `dev` as already written (described or quoted), the
/// page's `area` quoted, the IP as `quote_ip` writes it; what is empty is left out.
pub fn device_at(dev: &str, area: &str, ip: &str) -> String {
    match (area.is_empty(), ip.is_empty()) {
        (false, _) => tr("device_from_area", &[dev, &quote(area), &quote_ip(ip)]),
        (true, false) => tr("device_with_ip", &[dev, &quote_ip(ip)]),
        _ => dev.to_string(),
    }
}

/// `s` inside `opener` (FSI, LRI) … PDI, its own bidi controls dropped.
fn isolate_with(opener: char, s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    out.push(opener);
    for c in s.chars() {
        if !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}') {
            out.push(c);
        }
    }
    out.push('\u{2069}');
    out
}

/// Page text quoted in one of our sentences: clipped (`clip`) and isolated (`isolate`).
pub fn quote(s: &str) -> String {
    isolate(&clip(s))
}

pub fn clip_to(s: &str, n: usize) -> String {
    let cut = prefix(s, n);
    let mut out = String::from(cut);
    if cut.len() < s.len() {
        out.push('…');
    }
    out
}

/// The first `n` chars of `s` (all of it when shorter): `s.chars().take(n)` as a
/// slice, one byte loop shared by every clipping helper.
pub fn prefix(s: &str, n: usize) -> &str {
    let mut count = 0;
    for (i, b) in s.bytes().enumerate() {
        // A char starts at every byte that is not a UTF-8 continuation byte.
        if (b & 0xC0) != 0x80 {
            if count == n {
                return crate::util::str_to(s, i);
            }
            count += 1;
        }
    }
    s
}

impl std::fmt::Display for PageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PageKind::Security => "security",
            PageKind::Api => "api",
            PageKind::SignIn => "signin",
            PageKind::UpdatePassword => "updatepwd",
            PageKind::Other => "other",
        })
    }
}

#[allow(dead_code)]
fn _assert_error_is_display(e: SnapshotError) -> String {
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a right-to-left sentence an IP keeps its order (LRI … PDI), page bidi
    /// controls in it dropped; in a left-to-right one it stays bare (copyable).
    #[test]
    fn an_ip_reads_left_to_right_in_a_right_to_left_sentence() {
        assert_eq!(quote_ip_in(true, "2001:db8::7334"), "\u{2066}2001:db8::7334\u{2069}");
        assert_eq!(quote_ip_in(true, "1.2.3.4\u{202e}"), "\u{2066}1.2.3.4\u{2069}");
        assert_eq!(quote_ip_in(false, "2001:db8::7334"), "2001:db8::7334");
        assert_eq!(isolate("\u{2067}Lagos"), "\u{2068}Lagos\u{2069}");
    }

    /// `prefix` / `clip_to` agree with the `chars()` forms they replace.
    #[test]
    fn prefix_is_chars_take() {
        let texts = ["", "a", "abc", "é", "新加坡", "e\u{301}x", "\u{10FFFF}\u{10FFFF}", "Chrome on Windows 10 (203.0.113.24)"];
        for t in texts {
            for n in 0..12 {
                let want: String = t.chars().take(n).collect();
                assert_eq!(prefix(t, n), want, "{t:?} {n}");
                let mut clipped = want.clone();
                if t.chars().nth(n).is_some() {
                    clipped.push('…');
                }
                assert_eq!(clip_to(t, n), clipped);
            }
        }
    }
    use crate::snapshot::build::B;

    #[test]
    fn urls() {
        assert_eq!(recognise_url("https://www.kucoin.com/account/security").0, PageKind::Security);
        assert_eq!(recognise_url("https://www.kucoin.com/account/security/").0, PageKind::Security);
        assert_eq!(recognise_url("https://www.kucoin.com/account/security?showLoginRecord=1").0, PageKind::Security);
        assert_eq!(recognise_url("https://www.kucoin.com/vi/account/security"), (PageKind::Security, Some("vi")));
        assert_eq!(recognise_url("https://www.kucoin.com/zh-hant/account/security"), (PageKind::Security, Some("zh-hant")));
        assert_eq!(recognise_url("https://www.kucoin.com/account/security/updatepwd").0, PageKind::UpdatePassword);
        assert_eq!(recognise_url("https://www.kucoin.com/account/api").0, PageKind::Api);
        assert_eq!(recognise_url("https://www.kucoin.com/ucenter/signin").0, PageKind::SignIn);
        assert_eq!(recognise_url("https://www.kucoin.com/markets").0, PageKind::Other);
        // A language prefix KuCoin added after our tables: still its page, no language from the URL.
        assert_eq!(recognise_url("https://www.kucoin.com/kk/account/security"), (PageKind::Security, None));
        assert_eq!(recognise_url("https://www.kucoin.com/uz-Latn/account/api"), (PageKind::Api, None));
        assert_eq!(recognise_url("https://www.kucoin.com/ckb/account/security"), (PageKind::Security, None));
        assert_eq!(recognise_url("https://www.kucoin.com/zh_Hans/account/security"), (PageKind::Security, Some("zh_CN")));
        assert_eq!(recognise_url("https://www.kucoin.com/markets/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://www.kucoin.com/k/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://www.kucoin.com/kk-/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://www.kucoin.com/kk/xx/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://evil.example/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://www.kucoin.com.evil.example/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("https://user@evil.example/account/security").0, PageKind::Other);
        assert_eq!(recognise_url("not a url").0, PageKind::Other);
    }

    fn recent_logins(b: &mut B, rows: &[(&str, &str, &str, &str)]) -> u32 {
        let body = b.el(0, "body", &[]);
        let table = b.el(body, "table", &[("class", "KuxTable-root css-1x9k2ab")]);
        let thead = b.el(table, "thead", &[]);
        let hr = b.el(thead, "tr", &[]);
        for h in ["Login IP", "Login Device", "Time", "Status"] {
            b.el_text(hr, "th", h);
        }
        let tbody = b.el(table, "tbody", &[]);
        for (ip, dev, t, s) in rows {
            let tr = b.el(tbody, "tr", &[]);
            b.el_text(tr, "td", ip);
            let td = b.el(tr, "td", &[]);
            b.el(td, "span", &[("data-icon", "kucoin web")]);
            b.text(td, dev);
            b.el_text(tr, "td", t);
            b.el_text(tr, "td", s);
        }
        table
    }

    /// A Recent Logins table with its header; rows are added to the returned tbody.
    fn logins_head(b: &mut B) -> u32 {
        let body = b.el(0, "body", &[]);
        let table = b.el(body, "table", &[]);
        let hr = b.el(table, "tr", &[]);
        for h in ["Login IP", "Login Device", "Time", "Status"] {
            b.el_text(hr, "th", h);
        }
        b.el(table, "tbody", &[])
    }

    /// Words split inside (`Node::glued`, as the browser's walk marks them)
    /// read as the page shows them; the same texts not glued read apart.
    #[test]
    fn a_word_split_over_text_nodes_reads_whole() {
        for glue in [true, false] {
            let mut b = B::new("https://www.kucoin.com/account/security");
            let tbody = logins_head(&mut b);
            let tr = b.el(tbody, "tr", &[]);
            let part = |b: &mut B, parent: u32, t: &str| if glue { b.glued(parent, t) } else { b.text(parent, t) };
            let td = b.el(tr, "td", &[]);
            b.text(td, "Singa");
            let span = b.el(td, "span", &[]);
            part(&mut b, span, "pore(203.0");
            part(&mut b, td, ".113.24)");
            let td = b.el(tr, "td", &[]);
            b.text(td, "Linux Chr");
            part(&mut b, td, "ome");
            let td = b.el(tr, "td", &[]);
            b.text(td, "7/14/2025, 09:2");
            let i = b.el(td, "i", &[]);
            part(&mut b, i, "1:37");
            let td = b.el(tr, "td", &[]);
            b.text(td, "Cur");
            let bold = b.el(td, "b", &[]);
            part(&mut b, bold, "rent");
            let ex = extract(&b.snap);
            let t = ex.table(TableKind::RecentLogins).unwrap();
            if glue {
                assert_eq!(t.records.len(), 1, "{:?}", t.unreadable);
                let r = &t.records[0];
                assert_eq!((r.device_text.as_str(), r.status, r.time_ms), ("Linux Chrome", Some(Status::Current), Some(1_752_484_897_000)));
                assert_eq!(r.ip.as_ref().unwrap().area.as_deref(), Some("Singapore"));
            } else {
                assert!(t.records.iter().all(|r| r.device_text != "Linux Chrome"), "{:?}", t.records);
            }
        }
    }

    /// A date-time, a status and a label in words over inline elements (not
    /// glued: white space between) read whole, however deep the elements.
    #[test]
    fn texts_of_one_line_read_together() {
        let mut b = B::new("https://www.kucoin.com/ar/account/security");
        let body = b.el(0, "body", &[]);
        let table = b.el(body, "table", &[]);
        let hr = b.el(table, "tr", &[]);
        for h in ["عنوان IP لتسجيل الدخول", "جهاز تسجيل الدخول", "الزمن", "الحالة"] {
            b.el_text(hr, "th", h);
        }
        let tbody = b.el(table, "tbody", &[]);
        let tr = b.el(tbody, "tr", &[]);
        b.el_text(tr, "td", "سنغافورة(203.0.113.24)");
        b.el_text(tr, "td", "Linux Chrome");
        let td = b.el(tr, "td", &[]);
        b.nested(td, &["span", "span"], "14\u{200f}/7\u{200f}/2025،");
        b.nested(td, &["em", "span"], "09:21:37");
        // Offline is "غير متصل على الانترنت"; "متصل" alone would be Online
        let td = b.el(tr, "td", &[]);
        let s = b.nested(td, &["span", "span", "span"], "غير");
        b.nested(s, &["b", "span", "span"], "متصل على");
        b.nested(s, &["i", "span", "span"], "الانترنت"); // (a cell too big to be read whole by its element)
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 1, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].time_ms, Some(1_752_484_897_000));
        assert_eq!(t.records[0].status, Some(Status::Offline));
    }

    /// A status cell with words no status names whole is not read by one of
    /// its words: "Not" <div>"Online"</div> is no Online session.
    #[test]
    fn a_status_cell_is_read_by_all_its_words() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let tbody = logins_head(&mut b);
        let tr = b.el(tbody, "tr", &[]);
        b.el_text(tr, "td", "Singapore(203.0.113.24)");
        b.el_text(tr, "td", "Linux Chrome");
        b.el_text(tr, "td", "7/14/2025, 09:21:37");
        let td = b.el(tr, "td", &[]);
        b.el_text(td, "span", "Not");
        b.el_text(td, "div", "Online");
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert!(t.records.is_empty(), "{:?}", t.records);
        assert!(t.unreadable[0].reason.contains("unknown status"), "{}", t.unreadable[0].reason);
    }

    /// Cards: a label over texts ("Login" "IP:" value, "Login" <b>"Device: …"</b>)
    /// names its value; its words are no device name or area.
    #[test]
    fn a_card_label_over_texts_names_its_value() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let rec = b.el(body, "div", &[("id", "loginRecord")]);
        b.el_text(rec, "h3", "Recent Logins");
        let list = b.el(rec, "div", &[("class", "list")]);
        for (ip, dev) in [("Singapore(203.0.113.24)", "Windows 10 Chrome"), ("Lagos(198.51.100.77)", "Linux Firefox")] {
            let card = b.el(list, "div", &[("class", "card")]);
            let p = b.el(card, "p", &[]);
            b.text(p, "Login");
            b.text(p, "IP:");
            b.text(p, ip);
            let p = b.el(card, "p", &[]);
            b.el_text(p, "span", "Login");
            let bold = b.el(p, "b", &[]);
            b.text(bold, &format!("Device: {dev}"));
            b.el_text(card, "p", "Time: 2025/07/14 09:21:37");
            b.el_text(card, "p", "Status: Online");
        }
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 2, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].device_text, "Windows 10 Chrome");
        assert_eq!(t.records[1].device_text, "Linux Firefox");
        assert_eq!(t.records[1].ip.as_ref().unwrap().area.as_deref(), Some("Lagos"));
    }

    /// Cards: a label's words and a date-time's halves on one line, some in a
    /// layout `div` around a `span` (`"Login"` <div><span>`"Device: Windows"`
    /// </span></div> `"10 Chrome"`), read as on one line.
    fn wrapped_word_cards(label_words: bool) -> Extraction {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let rec = b.el(body, "div", &[("id", "loginRecord")]);
        b.el_text(rec, "h3", "Recent Logins");
        let list = b.el(rec, "div", &[("class", "list")]);
        let in_div = |b: &mut B, parent: u32, t: &str| {
            let div = b.el(parent, "div", &[("class", "css-1x")]);
            b.el_text(div, "span", t);
        };
        for (ip, dev) in [("Singapore(203.0.113.24)", ("Windows", "10 Chrome")), ("Lagos(198.51.100.77)", ("Linux", "Firefox"))] {
            let card = b.el(list, "div", &[("class", "card")]);
            b.el_text(card, "p", &format!("Login IP: {ip}"));
            let p = b.el(card, "p", &[]);
            if label_words {
                b.el_text(p, "span", "Login");
                in_div(&mut b, p, &format!("Device: {}", dev.0));
            } else {
                b.text(p, &format!("Login Device: {}", dev.0));
            }
            b.text(p, dev.1);
            let p = b.el(card, "p", &[]);
            if label_words {
                b.text(p, "Time: 2025/07/14 09:21:37");
            } else {
                b.el_text(p, "span", "Time:");
                in_div(&mut b, p, "2025/07/14");
                b.text(p, "09:21:37");
            }
            b.el_text(card, "p", "Status: Online");
        }
        extract(&b.snap)
    }

    #[test]
    fn a_card_label_over_a_wrapped_word_names_its_value() {
        let ex = wrapped_word_cards(true);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 2, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].device_text, "Windows 10 Chrome");
        assert_eq!(t.records[1].device_text, "Linux Firefox");
    }

    #[test]
    fn a_labelled_date_and_time_over_a_wrapped_word_are_joined() {
        let ex = wrapped_word_cards(false);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 2, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].time_ms, Some(1_752_484_897_000));
        assert_eq!(t.records[0].device_text, "Windows 10 Chrome");
    }

    /// An address whose ")" (or "(") a box of its own holds still reads; an
    /// area before it ends in "(" however many marks follow; a text of
    /// invisible marks alone takes no status or label for the words after it.
    #[test]
    fn brackets_and_marks_around_split_values() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let tbody = logins_head(&mut b);
        let tr = b.el(tbody, "tr", &[]);
        let td = b.el(tr, "td", &[]);
        b.el_text(td, "div", "Lagos(198.51.100.77");
        let mut e = b.el(td, "div", &[]);
        for _ in 0..6 {
            e = b.el(e, "span", &[]); // (a cell too big to be read whole)
        }
        b.text(e, ")");
        b.el_text(tr, "td", "Linux Firefox");
        b.el_text(tr, "td", "7/13/2025, 22:01:02");
        let td = b.el(tr, "td", &[]);
        b.el_text(td, "span", "\u{200c}");
        b.el_text(td, "span", "Online");
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 1, "{:?}", t.unreadable);
        assert_eq!(t.records[0].ip.as_ref().map(|x| x.ip.to_string()).as_deref(), Some("198.51.100.77"));
        assert_eq!(t.records[0].status, Some(Status::Online));
        // cards without labels: "Lagos(" + marks, then the address
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let list = b.el(body, "div", &[]);
        for (area, ip) in [("Lagos(\u{2068}\u{2060}", "198.51.100.77"), ("Singapore(", "203.0.113.24")] {
            let card = b.el(list, "div", &[]);
            b.el_text(card, "div", "Linux Firefox");
            let p = b.el(card, "div", &[]);
            b.el_text(p, "span", area);
            b.el_text(p, "span", ip);
            b.el_text(p, "span", ")");
            b.el_text(card, "div", "7/13/2025, 22:01:02");
            let st = b.el(card, "div", &[]);
            b.el_text(st, "span", "\u{200c}");
            b.el_text(st, "span", "Online");
        }
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).expect("a list by its shape");
        assert_eq!(t.records.len(), 2, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].device_text, "Linux Firefox");
        assert_eq!(t.records[0].ip.as_ref().unwrap().area.as_deref(), Some("Lagos"));
        assert_eq!(t.records[0].status, Some(Status::Online));
    }

    /// Cards without labels: an area before its address with a text of
    /// invisible marks alone between them ("Lagos(" <b>"\u{2068}"</b>
    /// "198.51.100.77)") is the area, not device text.
    #[test]
    fn an_area_before_a_mark_and_its_address_is_the_area() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        let list = b.el(body, "div", &[]);
        for (area, ip) in [("Lagos(", "198.51.100.77)"), ("Singapore(", "203.0.113.24)")] {
            let card = b.el(list, "div", &[]);
            let p = b.el(card, "div", &[]);
            b.el_text(p, "span", area);
            b.el_text(p, "b", "\u{2068}");
            b.el_text(p, "span", ip);
            b.el_text(card, "div", "Linux Firefox");
            b.el_text(card, "div", "7/13/2025, 22:01:02");
            b.el_text(card, "div", "Online");
        }
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).expect("a list by its shape");
        assert_eq!(t.records.len(), 2, "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[0].device_text, "Linux Firefox");
        assert_eq!(t.records[0].ip.as_ref().unwrap().area.as_deref(), Some("Lagos"));
    }

    #[test]
    fn reads_a_recent_logins_table() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        recent_logins(
            &mut b,
            &[
                ("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current"),
                ("Frankfurt(192.0.2.88)", "Linux Firefox", "7/13/2025, 22:01:02", "Online"),
                ("(2001:db8::7)", "iOS 17.5 iPhone", "7/12/2025, 08:00:00", "Offline"),
            ],
        );
        let ex = extract(&b.snap);
        assert_eq!(ex.page, PageKind::Security);
        assert!(ex.problems.is_empty(), "{:?}", ex.problems);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.by, "labels");
        assert_eq!(t.records.len(), 3);
        assert_eq!(t.records[0].status, Some(Status::Current));
        assert_eq!(t.records[1].device_text, "Linux Firefox");
        assert_eq!(t.records[1].ip.as_ref().unwrap().area.as_deref(), Some("Frankfurt"));
        assert_eq!(t.records[2].ip.as_ref().unwrap().area, None);
        assert_eq!(t.records[0].time_ms, Some(1_752_484_897_000));
    }

    #[test]
    fn page_times_are_read_with_the_offset_of_their_instant() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        recent_logins(&mut b, &[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current"), ("Frankfurt(192.0.2.88)", "Linux Firefox", "1/2/2025, 08:00:00", "Offline")]);
        // Berlin, read in winter: CEST until 2025-10-26 01:00 UTC, then CET.
        b.snap.env.utc_offset_minutes = 60;
        b.snap.env.utc_offset_changes = crate::json::parse("[[28900000,60],[29054940,120],[29357340,60]]").unwrap();
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records[0].time_ms, Some(1_752_484_897_000 - 7_200_000), "09:21:37 CEST");
        assert_eq!(t.records[1].time_ms, Some(1_735_804_800_000 - 3_600_000), "08:00:00 CET");
    }

    #[test]
    fn attacker_device_named_current_does_not_fool_status() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        recent_logins(&mut b, &[("Lagos(198.51.100.9)", "Current", "7/14/2025, 09:21:37", "Online")]);
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records[0].status, Some(Status::Online));
        assert_eq!(t.records[0].device_text, "Current");
    }

    #[test]
    fn unreadable_rows_are_reported() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        recent_logins(
            &mut b,
            &[
                ("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current"),
                ("Frankfurt(192.0.2.88)", "Linux Firefox", "7/13/2025, 22:01:02", "Somewhere"),
            ],
        );
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.unreadable.len(), 1);
        assert!(t.unreadable[0].reason.contains("unknown status"), "{}", t.unreadable[0].reason);
    }

    #[test]
    fn other_pages_do_nothing() {
        let mut b = B::new("https://www.kucoin.com/markets");
        recent_logins(&mut b, &[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")]);
        let ex = extract(&b.snap);
        assert_eq!(ex.page, PageKind::Other);
        assert!(ex.tables.is_empty());
    }

    #[test]
    fn security_page_without_tables_is_a_problem() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let body = b.el(0, "body", &[]);
        b.el_text(body, "h1", "Security Settings");
        let ex = extract(&b.snap);
        assert!(ex.tables.is_empty());
        assert!(!ex.problems.is_empty());
    }

    #[test]
    fn two_recent_logins_tables_fail_closed() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        recent_logins(&mut b, &[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")]);
        recent_logins(&mut b, &[("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current")]);
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert!(t.records.is_empty());
        assert_eq!(t.unreadable.len(), 2);
        assert!(ex.problems.iter().any(|p| p.contains("Two")));
    }

    #[test]
    fn unknown_language_falls_back_to_shapes() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        b.snap.lang = "xx".into();
        let body = b.el(0, "body", &[]);
        let grid = b.el(body, "div", &[("role", "table")]);
        let hr = b.el(grid, "div", &[("role", "row")]);
        for h in ["Aaa", "Bbb", "Ccc", "Ddd"] {
            b.el_text(hr, "div", h);
        }
        let rg = b.el(grid, "div", &[("role", "rowgroup")]);
        for (ip, s) in [("X(203.0.113.24)", "Current"), ("Y(192.0.2.1)", "Offline")] {
            let r = b.el(rg, "div", &[("role", "row")]);
            b.el_text(r, "div", ip);
            b.el_text(r, "div", "Windows 10 Chrome");
            b.el_text(r, "div", "2025/07/14 09:21:37");
            b.el_text(r, "div", s);
        }
        let ex = extract(&b.snap);
        let t = ex.table(TableKind::RecentLogins).expect("found by shape");
        assert_eq!(t.by, "shape");
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].status, Some(Status::Current));
        assert_eq!(t.records[0].device_text, "Windows 10 Chrome");
    }
    const ROWS: [(&str, &str, &str, &str); 2] =
        [("Singapore(203.0.113.24)", "Linux Chrome", "7/14/2025, 09:21:37", "Current"), ("Lagos(198.51.100.77)", "Linux Firefox", "7/14/2025, 03:48:12", "Online")];

    fn pager_after(build: impl FnOnce(&mut B, u32)) -> (Option<Pager>, Snapshot) {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let table = recent_logins(&mut b, &ROWS);
        let body = b.snap.nodes.iter().find(|n| n.id == table).map(|n| n.parent).unwrap();
        build(&mut b, body);
        let ex = extract(&b.snap);
        (ex.table(TableKind::RecentLogins).unwrap().pager.clone(), b.snap)
    }

    fn tag_of(snap: &Snapshot, id: u32) -> (&str, Option<&str>) {
        let n = snap.nodes.iter().find(|n| n.id == id).unwrap();
        (n.tag.as_str(), n.attr("aria-label"))
    }

    #[test]
    fn finds_an_ant_design_pager_with_an_ellipsis() {
        let (p, snap) = pager_after(|b, body| {
            let ul = b.el(body, "ul", &[("class", "ant-pagination")]);
            let prev = b.el(ul, "li", &[("title", "Previous Page"), ("class", "ant-pagination-prev ant-pagination-disabled")]);
            b.el(prev, "button", &[("class", "ant-pagination-item-link"), ("disabled", "")]);
            for (n, active) in [("1", true), ("2", false)] {
                let li = b.el(ul, "li", &[("title", n), ("class", if active { "ant-pagination-item ant-pagination-item-active" } else { "ant-pagination-item" })]);
                b.el_text(li, "a", n);
            }
            let jump = b.el(ul, "li", &[("title", "Next 5 Pages"), ("class", "ant-pagination-jump-next")]);
            b.el_text(jump, "a", "\u{2022}\u{2022}\u{2022}");
            let li = b.el(ul, "li", &[("title", "9"), ("class", "ant-pagination-item")]);
            b.el_text(li, "a", "9");
            let next = b.el(ul, "li", &[("title", "Next Page"), ("class", "ant-pagination-next")]);
            let btn = b.el(next, "button", &[("class", "ant-pagination-item-link")]);
            b.el(btn, "span", &[("role", "img"), ("aria-label", "right")]);
        });
        let p = p.expect("a pager");
        assert_eq!((p.current, p.last, p.numbers.clone()), (1, 9, vec![1, 2, 9]));
        assert_eq!(tag_of(&snap, p.control(2).unwrap()).0, "a");
        assert_eq!(p.control(5), None, "behind the ellipsis");
    }

    #[test]
    fn finds_a_mui_pager_by_aria_current() {
        let (p, snap) = pager_after(|b, body| {
            let nav = b.el(body, "nav", &[("aria-label", "pagination navigation")]);
            let ul = b.el(nav, "ul", &[("class", "MuiPagination-ul")]);
            let li = b.el(ul, "li", &[]);
            b.el(li, "button", &[("aria-label", "Go to previous page")]);
            for n in ["1", "2", "3"] {
                let li = b.el(ul, "li", &[]);
                let label = format!("Go to page {n}");
                let cur = if n == "3" { ("aria-current", "true") } else { ("class", "MuiPaginationItem-root") };
                let id = b.el_text(li, "button", n);
                let _ = id;
                let btn = b.snap.nodes.len() - 2;
                b.snap.nodes[btn].attrs = vec![("aria-label".into(), label), (cur.0.into(), cur.1.into())];
            }
            let li = b.el(ul, "li", &[]);
            b.el(li, "button", &[("aria-label", "Go to next page"), ("disabled", "")]);
        });
        let p = p.expect("a pager");
        assert_eq!((p.current, p.last, p.numbers.clone()), (3, 3, vec![1, 2, 3]));
        assert_eq!(tag_of(&snap, p.control(1).unwrap()), ("button", Some("Go to page 1")));
    }

    /// A page number deep in wrappers inside its button (and beside empty
    /// elements: what is left of invisible marks) is still the button's; a
    /// button deep in wrappers is still in the run.
    #[test]
    fn a_page_number_wrapped_deep_in_its_button_is_read() {
        let num = |n: &str| format!("<span><i></i>{}<b></b></span>", deep(5, &format!("<span>{n}</span>")));
        let button = |n: &str, attrs: &str| format!("<button{attrs}>{}</button>", num(n));
        let pager = format!("<div class=\"pager\">{}{}{}</div>", deep(2, &button("1", " aria-current=\"page\"")), button("2", ""), deep(6, &button("3", "")));
        let ex = html(&format!("<section><table>{HEAD}<tbody>{ROW_SG}{ROW_LAGOS}</tbody></table>{pager}</section>"));
        let p = ex.table(TableKind::RecentLogins).unwrap().pager.clone().expect("a pager");
        assert_eq!((p.current, p.last, p.numbers), (1, 3, vec![1, 2, 3]));
    }

    #[test]
    fn numbers_that_are_not_a_pager() {
        // Plain text numbers, a lone unmarked "1", and a descending run.
        let (p, _) = pager_after(|b, body| {
            let div = b.el(body, "div", &[]);
            b.el_text(div, "span", "2");
            b.el_text(div, "span", "3");
        });
        assert_eq!(p, None);
        let (p, _) = pager_after(|b, body| {
            b.el_text(body, "button", "1");
        });
        assert_eq!(p, None);
        let (p, _) = pager_after(|b, body| {
            let div = b.el(body, "div", &[]);
            b.el_text(div, "button", "3");
            b.el_text(div, "button", "2");
        });
        assert_eq!(p.map(|p| p.numbers), None, "a run breaks at a smaller number: one number, unmarked");
        // A lone marked "1": one page.
        let (p, _) = pager_after(|b, body| {
            let div = b.el(body, "div", &[]);
            let one = b.el_text(div, "button", "1");
            let _ = one;
            let btn = b.snap.nodes.len() - 2;
            b.snap.nodes[btn].attrs = vec![("aria-current".into(), "page".into())];
        });
        assert_eq!(p.map(|p| (p.current, p.last)), Some((1, 1)));
    }

    // ---- wrappers and neighbours (the metamorphic Wrap / Siblings cases)

    fn html(body: &str) -> Extraction {
        let page = format!("<html lang=\"en\"><body><div data-inspector=\"account_security_page\">{body}</div></body></html>");
        extract(&crate::html_snapshot::snapshot_from_html(&page, "https://www.kucoin.com/account/security"))
    }

    /// `inner` inside `n` layout wrappers.
    fn deep(n: usize, inner: &str) -> String {
        format!("{}{inner}{}", "<div class=\"w\">".repeat(n), "</div>".repeat(n))
    }

    const HEAD: &str = "<thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th></tr></thead>";
    const ROW_SG: &str = "<tr><td>Singapore(203.0.113.24)</td><td>Windows 10 Chrome</td><td>7/14/2025, 09:21:37</td><td>Current</td></tr>";
    const ROW_LAGOS: &str = "<tr><td>Lagos(198.51.100.77)</td><td>Linux Firefox</td><td>7/13/2025, 22:01:02</td><td>Online</td></tr>";

    fn ips(t: &Table) -> Vec<String> {
        t.records.iter().map(|r| r.ip.as_ref().unwrap().ip.to_string()).collect()
    }

    /// Deep wrappers between the last row and the section holding the page
    /// control do not put the pager out of reach.
    #[test]
    fn a_pager_behind_deep_wrappers_is_found() {
        let pager = "<div class=\"pager\"><button aria-current=\"page\">1</button><button>2</button><button>3</button></div>";
        for n in [0, 8, 14] {
            let rows = format!("<tbody>{ROW_SG}{ROW_LAGOS}</tbody>");
            let ex = html(&format!("<section>{}{pager}</section>", deep(n, &format!("<table>{HEAD}{rows}</table>"))));
            let t = ex.table(TableKind::RecentLogins).unwrap();
            assert_eq!(ips(t), ["203.0.113.24", "198.51.100.77"], "{n} wrappers");
            let p = t.pager.as_ref().unwrap_or_else(|| panic!("{n} wrappers: no pager"));
            assert_eq!((p.current, p.last), (1, 3), "{n} wrappers");
        }
    }

    /// A status in words on two lines ("Не" / "в сети": Offline, though "в
    /// сети" alone is Online) is read whole however deep each word is wrapped,
    /// in cards with and without a label.
    #[test]
    fn a_status_over_deeply_wrapped_lines_reads_whole() {
        for n in [0, 4, 8] {
            for labelled in [false, true] {
                let card = |ip: &str| {
                    let st = format!("<div class=\"st\">{}{}</div>", deep(n, "<div>Не</div>"), deep(n, "<div>в сети</div>"));
                    let st = if labelled { format!("<div><span>Статус:</span>{st}</div>") } else { st };
                    format!("<div class=\"card\"><div>{ip}</div><div>Linux Firefox</div><div>2025/07/13 22:01:02</div>{st}</div>")
                };
                let page = format!(
                    "<html lang=\"ru\"><body><div data-inspector=\"account_security_page\"><div id=\"loginRecord\"><div class=\"list\">{}{}</div></div></div></body></html>",
                    card("Lagos(198.51.100.77)"),
                    card("Singapore(203.0.113.24)")
                );
                let ex = extract(&crate::html_snapshot::snapshot_from_html(&page, "https://www.kucoin.com/ru/account/security"));
                let t = ex.table(TableKind::RecentLogins).unwrap();
                assert_eq!(t.records.len(), 2, "{n} wrappers, labelled {labelled}: {:?}", t.unreadable);
                for r in &t.records {
                    assert_eq!((r.status, r.device_text.as_str()), (Some(Status::Offline), "Linux Firefox"), "{n} wrappers, labelled {labelled}");
                }
            }
        }
    }

    /// A status field whose words are not read whole ("Статус:" "Не" / "в
    /// сети" in one element with the label) is no status: never the Online
    /// of its last words.
    #[test]
    fn a_status_field_with_words_no_status_names_is_unreadable() {
        let card = |ip: &str| format!("<div class=\"card\"><div>{ip}</div><div>Linux Firefox</div><div>2025/07/13 22:01:02</div><div><span>Статус:</span><div>Не</div><div>в сети</div></div></div>");
        let page = format!(
            "<html lang=\"ru\"><body><div data-inspector=\"account_security_page\"><div id=\"loginRecord\"><div class=\"list\">{}{}</div></div></div></body></html>",
            card("Lagos(198.51.100.77)"),
            card("Singapore(203.0.113.24)")
        );
        let ex = extract(&crate::html_snapshot::snapshot_from_html(&page, "https://www.kucoin.com/ru/account/security"));
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert!(t.records.iter().all(|r| r.status == Some(Status::Offline)), "{:?}", t.records);
        assert_eq!(t.records.len() + t.unreadable.len(), 2);
    }

    /// A date and a time on two lines, each wrapped in its own elements, are
    /// one date-time when they are the only text of the element around them.
    #[test]
    fn a_date_and_time_wrapped_apart_are_joined() {
        let card = |ip: &str, time: &str, status: &str| {
            format!("<div class=\"card\"><div>{ip}</div><div>Linux Firefox</div><div class=\"value\">{time}</div><div>{status}</div></div>")
        };
        let split = format!("{}{}", deep(2, "<span>2025/07/14</span>"), deep(3, "<span>09:21:37</span>"));
        let ex = html(&format!("<div class=\"list\">{}{}</div>", card("Singapore(203.0.113.24)", &split, "Current"), card("Lagos(198.51.100.77)", "2025/07/13 22:01:02", "Online")));
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert!(t.unreadable.is_empty(), "{:?}", t.unreadable);
        assert_eq!(t.records[0].time_ms, Some(1_752_484_897_000));
        assert_eq!(t.records[0].device_text, "Linux Firefox", "the time half is not device text");
    }

    /// A date and a time on two lines of a cell that also holds a text of
    /// invisible marks alone (a bidi mark in its own element) are one date-time.
    #[test]
    fn a_date_and_time_on_lines_beside_a_mark_are_joined() {
        let row = "<tr><td>198.51.100.77<br><span>Lagos</span></td><td>Linux Firefox</td><td><em>\u{202a}</em><div>2025-07-13</div><div>22:01:02</div></td><td>Online</td></tr>";
        let ex = html(&format!("<table>{HEAD}<tbody>{ROW_SG}{row}</tbody></table>"));
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert_eq!(ips(t), ["203.0.113.24", "198.51.100.77"], "{:?} {:?}", t.unreadable, ex.problems);
        assert_eq!(t.records[1].time_ms, Some(1_752_444_062_000));
    }

    /// Ant Design's fixed header (with an extra "Location" column and a
    /// scrollbar gutter) names the body's cells however deep the body table is
    /// wrapped: the extra column is not device text.
    #[test]
    fn a_header_names_the_cells_of_deeply_wrapped_rows() {
        let head = "<div class=\"ant-table-header\"><table><thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th><th>Location</th><th class=\"gutter\"></th></tr></thead></table></div>";
        let rows = "<tr><td>Singapore(203.0.113.24)</td><td>Windows 10 Chrome</td><td>7/14/2025, 09:21:37</td><td>Current</td><td>Singapore Central</td></tr>\
                    <tr><td>Lagos(198.51.100.77)</td><td>Linux Firefox</td><td>7/13/2025, 22:01:02</td><td>Online</td><td>Lagos Island</td></tr>";
        for n in [0, 3, 9] {
            let body = format!("<div class=\"ant-table-body\">{}</div>", deep(n, &format!("<table><tbody>{rows}</tbody></table>")));
            let ex = html(&format!("<div class=\"ant-table-container\">{head}{body}</div>"));
            let t = ex.table(TableKind::RecentLogins).unwrap();
            assert_eq!(t.by, "labels", "{n} wrappers");
            let devices: Vec<&str> = t.records.iter().map(|r| r.device_text.as_str()).collect();
            assert_eq!(devices, ["Windows 10 Chrome", "Linux Firefox"], "{n} wrappers");
        }
    }

    /// A virtual list's rows sit far below their header; a news feed (a date
    /// and an address per item) or a markets ticker beside them is not a second
    /// Recent Logins list.
    #[test]
    fn a_news_list_beside_a_virtual_list_does_not_take_its_header() {
        let head = "<div class=\"head\"><div>Login IP</div><div>Login Device</div><div>Time</div><div>Status</div></div>";
        let row = |ip: &str, dev: &str, t: &str, s: &str| format!("<div class=\"row\"><div>{ip}</div><div>{dev}</div><div>{t}</div><div>{s}</div></div>");
        let rows = format!("{}{}", row("Singapore(203.0.113.24)", "Windows 10 Chrome", "7/14/2025, 09:21:37", "Current"), row("Lagos(198.51.100.77)", "Linux Firefox", "7/13/2025, 22:01:02", "Online"));
        let holder = format!("<div class=\"holder\">{}</div>", deep(2, &rows));
        let news = "<aside><h3>Announcements</h3><ul><li><a href=\"/n\">Deposit node maintenance completed</a><span>2025/07/13 06:00:00</span><span>(203.0.113.200)</span></li>\
                    <li><a href=\"/n\">New API server address</a><span>2025/07/01 12:00:00</span><span>198.51.100.250</span></li></ul></aside>";
        let ticker = "<table><tbody><tr><th>Pair</th><th>Last Price</th><th>Updated</th></tr><tr><td>BTC/USDT</td><td>117,234.50</td><td>09:21:37</td></tr></tbody></table>";
        for (before, after) in [(news, ticker), (ticker, news), ("", news), (news, "")] {
            let ex = html(&format!("<div class=\"table\">{head}<div class=\"body\"><div class=\"virtual\">{before}{holder}{after}</div></div></div>"));
            let t = ex.table(TableKind::RecentLogins).unwrap();
            assert_eq!(ips(t), ["203.0.113.24", "198.51.100.77"], "{:?}", ex.problems);
            assert!(t.unreadable.is_empty(), "{:?}", t.unreadable);
            assert_eq!(t.by, "labels");
            assert!(ex.problems.is_empty(), "{:?}", ex.problems);
        }
        // A copy of the rows themselves beside them is still a second list.
        let ex = html(&format!("<div class=\"table\">{head}<div class=\"body\"><div class=\"virtual\">{holder}<div class=\"promo\">{rows}</div></div></div></div>"));
        let t = ex.table(TableKind::RecentLogins).unwrap();
        assert!(t.records.is_empty(), "{:?}", ips(t));
        assert!(ex.problems.iter().any(|p| p.contains("Two")), "{:?}", ex.problems);
    }

    /// A row whose address cannot be read is an unreadable row, never left
    /// out: hidden too, and when the one row read is alone in wrappers (its
    /// "list" is then its wrapper, not the table body the other row is in).
    #[test]
    fn a_half_readable_row_beside_a_wrapped_row_is_unreadable() {
        // (div rows: an HTML parser moves a `div` out of a `tbody`)
        let head = "<div class=\"head\"><div>Login IP</div><div>Login Device</div><div>Time</div><div>Status</div></div>";
        let row = |attrs: &str, ip: &str, dev: &str, t: &str, s: &str| format!("<div class=\"row\"{attrs}><div>{ip}</div><div>{dev}</div><div>{t}</div><div>{s}</div></div>");
        let lagos = row("", "Lagos(198.51.100.77)", "Linux Firefox", "7/13/2025, 22:01:02", "Online");
        for (hidden, wraps) in [(false, 0), (true, 0), (false, 2), (true, 2)] {
            let bad = row(if hidden { " hidden" } else { "" }, "Singapore(203.0.113.999)", "Windows 10 Chrome", "7/14/2025, 09:21:37", "Current");
            let ex = html(&format!("<div class=\"table\">{head}<div class=\"body\">{bad}{}</div></div>", deep(wraps, &lagos)));
            let t = ex.table(TableKind::RecentLogins).unwrap();
            assert_eq!(ips(t), ["198.51.100.77"], "hidden {hidden}, {wraps} wrappers");
            assert_eq!(t.unreadable.len(), 1, "hidden {hidden}, {wraps} wrappers: {:?}", t.unreadable);
        }
    }
}
