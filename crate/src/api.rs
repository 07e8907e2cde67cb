//! API Management page audit (`/account/api`).
//!
//! Same philosophy as `extract`: no class names. A key card is found by its
//! structure — the largest element around an "API Restrictions" / "IP
//! Restrictions" label (or a key-looking hex value) that holds no other
//! card's labels and none of the page's own ("API Management", "Create
//! API") but those its head may hold (a "Create API" button beside the name,
//! a key named so in a heading below the page's title). Inside a card,
//! labels name the fields (in any of KuCoin's 24 languages); everything
//! before the first label is the head (name, V1/V2 tag, "Not Activated"). A
//! card we cannot fully read is reported as such and is never "ok".
//!
//! Findings per key: Withdrawal permission (high); trading or transfer
//! permission with an unrestricted IP (high); a third-party app's IPs linked
//! (info); not activated (low); new since the user's last review, or created
//! (per Security Logs "Create API") from a network the user does not know
//! (medium). The page gets `data-session-guard-api` on every card, an inline
//! reason under each flagged card and a summary above the list. Deleting a
//! key stays the user's act on KuCoin's own Delete button.
//!
//! A list under KuCoin's pager is read a page at a time: the report adds up
//! the pages read in one page load and, until all were, says which (no
//! review offered, never "reviewed"). A table row is a key by its place
//! under the header, whether or not its Key value is readable; a row
//! expanded under a key's row (its details) is that key's.

use crate::assess::Severity;
use crate::extract::{clip, Extraction, TableKind};
use crate::i18n::{plural, t as tr};
use crate::labels::{self, match_key};
use crate::net;
use crate::plan::{Action, Button, ButtonStyle, Kind, Place, Plan, Tone, Widget};
use crate::snapshot::{Snapshot, Tree, NO_PARENT};
use crate::storage::State;
use crate::time;
use std::net::IpAddr;

/// DOM contract attribute on every recognised key card.
pub const ATTR: &str = "data-session-guard-api";
/// Most key lines / reviewed fingerprints / Create API events kept.
pub const MAX_LINES: usize = 200;
pub const MAX_EVENTS: usize = 50;
/// Field labels read per card (a real card has five; a hostile one is cut here).
const MAX_FIELDS: usize = 64;
/// Addresses of one key searched for a repeat (KuCoin allows 50).
const MAX_IPS: usize = 64;
/// A key's creation time and a "Create API" log entry this close are one event.
const EVENT_MATCH_MS: i64 = 120_000;

/// Label keys (English, as in `data/kucoin-labels.tsv` / `data/extra-labels.tsv`).
pub mod key {
    pub const API_MANAGEMENT: &str = "API Management";
    pub const CREATE_API: &str = "Create API";
    pub const API_RESTRICTIONS: &str = "API Restrictions";
    pub const IP_RESTRICTIONS: &str = "IP Restrictions";
    pub const KEY: &str = "Key";
    pub const USAGE: &str = "Usage";
    pub const CREATED: &str = "Created";
    pub const NOT_ACTIVATED: &str = "Not Activated";
    pub const UNRESTRICTED: &str = "Unrestricted";
    pub const THIRD_PARTY_IP: &str = "Third-party IP address linked";
    pub const API_TRADING: &str = "API-Based Trading";
    pub const THIRD_PARTY_APPS: &str = "Link Third-Party Apps";
    pub const NO_DATA: &str = "No data";
}

const FIELD_KEYS: &[&str] = &[key::KEY, key::USAGE, key::API_RESTRICTIONS, key::IP_RESTRICTIONS, key::CREATED];
const PAGE_KEYS: &[&str] = &[key::API_MANAGEMENT, key::CREATE_API];
const USAGE_KEYS: &[&str] = &[key::API_TRADING, key::THIRD_PARTY_APPS];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    General,
    SpotTrading,
    MarginTrading,
    Earn,
    FuturesTrading,
    Withdrawal,
    UnifiedAccount,
    FlexibleTransfers,
    FuturesLead,
}
crate::json_enum!(Permission { General = "general", SpotTrading = "spot_trading", MarginTrading = "margin_trading", Earn = "earn", FuturesTrading = "futures_trading", Withdrawal = "withdrawal", UnifiedAccount = "unified_account", FlexibleTransfers = "flexible_transfers", FuturesLead = "futures_lead" });

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::General,
        Permission::SpotTrading,
        Permission::MarginTrading,
        Permission::Earn,
        Permission::FuturesTrading,
        Permission::Withdrawal,
        Permission::UnifiedAccount,
        Permission::FlexibleTransfers,
        Permission::FuturesLead,
    ];
    /// The label key of the chip KuCoin shows.
    pub fn label_key(self) -> &'static str {
        PERMISSION_KEYS[self as usize]
    }
    fn from_label_key(k: &str) -> Option<Permission> {
        let i = PERMISSION_KEYS.iter().position(|&x| x == k)?;
        Some(Permission::ALL[i])
    }
    /// Can place orders or move funds between accounts (General is read-only;
    /// Earn subscribes within the account; Withdrawal is flagged on its own).
    pub fn trades_or_transfers(self) -> bool {
        matches!(
            self,
            Permission::SpotTrading
                | Permission::MarginTrading
                | Permission::FuturesTrading
                | Permission::UnifiedAccount
                | Permission::FlexibleTransfers
                | Permission::FuturesLead
        )
    }
}

/// Label keys of the permission chips, in the order of `Permission::ALL`.
const PERMISSION_KEYS: [&str; 9] = [
    "General",
    "Spot Trading",
    "Margin Trading",
    "KuCoin Earn",
    "Futures Trading",
    "Withdrawal",
    "Unified Account",
    "Allow Flexible Transfers",
    "Futures Lead Trading Permissions",
];

fn permission_keys() -> [&'static str; 9] {
    PERMISSION_KEYS
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// "API-Based Trading".
    Trading,
    /// "Link Third-Party Apps".
    ThirdParty,
}
crate::json_enum!(Usage { Trading = "trading", ThirdParty = "third_party" });

#[derive(Debug, Clone, PartialEq)]
pub enum IpRestriction {
    /// Only these addresses may use the key.
    Ips(Vec<IpAddr>),
    /// "Unrestricted (Less secure…)".
    Unrestricted,
    /// "Third-party IP address linked."
    ThirdParty,
    /// The field is there but says something we cannot read (clipped text).
    Unreadable(String),
    /// No IP Restrictions field in the card.
    Missing,
}

// Written as serde's externally tagged enums are: `"unrestricted"`,
// `"third_party"`, `"missing"`, `{"ips": ["192.0.2.1"]}`, `{"unreadable": "…"}`.
const IP_RESTRICTION: &[&str] = &["ips", "unrestricted", "third_party", "unreadable", "missing"];

impl crate::json::ToJson for IpRestriction {
    fn write_json(&self, w: &mut crate::json::Writer) {
        let (tag, inner): (usize, &dyn crate::json::ToJson) = match self {
            IpRestriction::Ips(ips) => (0, ips),
            IpRestriction::Unrestricted => return w.str(IP_RESTRICTION[1]),
            IpRestriction::ThirdParty => return w.str(IP_RESTRICTION[2]),
            IpRestriction::Unreadable(s) => (3, s),
            IpRestriction::Missing => return w.str(IP_RESTRICTION[4]),
        };
        let mut m = w.begin_obj();
        w.entry(&mut m, IP_RESTRICTION[tag], inner);
        w.end_obj();
    }
}

impl crate::json::FromJson for IpRestriction {
    fn placeholder() -> Self {
        IpRestriction::Missing
    }
    fn from_json(v: &crate::json::Json) -> Result<Self, crate::json::DecodeError> {
        use crate::json::{DecodeError, FromJson, Json};
        let (tag, inner) = match v {
            Json::Obj(m) if m.len() == 1 => {
                let (k, inner) = &m[0];
                (crate::json::variant(&Json::Str(k.clone()), IP_RESTRICTION)?, Some((k, inner)))
            }
            Json::Obj(_) => return Err(DecodeError::new("expected an object with one entry".into())),
            other => (crate::json::variant(other, IP_RESTRICTION)?, None),
        };
        Ok(match (tag, inner) {
            (1, None) => IpRestriction::Unrestricted,
            (2, None) => IpRestriction::ThirdParty,
            (4, None) => IpRestriction::Missing,
            (0, Some((k, x))) => IpRestriction::Ips(FromJson::from_json(x).map_err(|e| e.at(k))?),
            (3, Some((k, x))) => IpRestriction::Unreadable(FromJson::from_json(x).map_err(|e| e.at(k))?),
            (_, Some((k, _))) => return Err(DecodeError::new(format!("`{k}` takes no value: expected the name alone"))),
            (_, None) => return Err(DecodeError::new("this variant needs a value: expected an object with one entry".into())),
        })
    }
}

/// One key card as read from the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    /// Snapshot id of the card element (what the mark targets).
    pub card: u32,
    pub hidden: bool,
    pub name: String,
    /// "V1" / "V2" tag, or "".
    pub version: String,
    pub activated: bool,
    /// The "Key" value as shown (public identifier; never stored); "" when
    /// none is readable.
    pub key: String,
    /// The card or row has a Key field whose value is no readable key
    /// (masked "********", empty): which key this is cannot be verified.
    pub key_unreadable: bool,
    pub usage: Option<Usage>,
    pub usage_text: String,
    pub permissions: Vec<Permission>,
    /// Chips in API Restrictions we could not name (clipped).
    pub unknown_permissions: Vec<String>,
    /// The card had an API Restrictions field.
    pub permissions_field: bool,
    pub ip: IpRestriction,
    pub created_ms: Option<i64>,
    /// Position in the list shown (0-based) and the pager's page (0: no
    /// pager, or it marks none): a key's identity when it shows no key value.
    pub row: u32,
    pub page: u32,
}
crate::json_struct!(ApiKey { card, hidden, name, version, activated, key, key_unreadable: default, usage, usage_text, permissions, unknown_permissions, permissions_field, ip, created_ms, row: default, page: default });

impl ApiKey {
    /// Stable identity for "reviewed" (a hash: the key value is not stored).
    /// Without a key value: its place in the list and everything else it
    /// shows, so two rows of one name (or with one masked value) are two
    /// keys, and a new key named like a reviewed one is not taken for it.
    pub fn fingerprint(&self) -> String {
        let mut h = FNV_START;
        if self.key.is_empty() {
            let usage = match self.usage {
                Some(Usage::Trading) => "t",
                Some(Usage::ThirdParty) => "3",
                None => "",
            };
            for part in [&crate::util::num(u64::from(self.page)), &crate::util::num(u64::from(self.row)), &labels::normalize(&self.name), &self.version, usage] {
                h = fnv1a_more(fnv1a_more(h, part.as_bytes()), b"\x1f");
            }
            for p in &self.permissions {
                h = fnv1a_more(fnv1a_more(h, p.label_key().as_bytes()), b",");
            }
            let ip = match &self.ip {
                IpRestriction::Ips(ips) => {
                    let mut t = String::new();
                    for ip in ips {
                        t.push_str(&net::ip_text(ip));
                        t.push(',');
                    }
                    t
                }
                IpRestriction::Unrestricted => "*".into(),
                IpRestriction::ThirdParty => "3".into(),
                IpRestriction::Unreadable(t) => format!("?{t}"),
                IpRestriction::Missing => String::new(),
            };
            h = fnv1a_more(fnv1a_more(fnv1a_more(h, b"\x1f"), ip.as_bytes()), b"\x1f");
            h = fnv1a_more(h, self.created_ms.map(|c| crate::util::num(c as u64)).unwrap_or_default().as_bytes());
        } else {
            h = fnv1a_more(fnv1a_more(h, b"key:"), labels::normalize(&self.key).as_bytes());
        }
        format!("{h:016x}")
    }
    pub fn has(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

/// FNV-1a's starting value (`fnv1a_more` from it hashes the first bytes).
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of what `h` hashed followed by `bytes`.
pub(crate) fn fnv1a_more(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What the API page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiPage {
    pub keys: Vec<ApiKey>,
    /// Where the summary goes: (element id, place).
    pub summary_anchor: Option<(u32, Place)>,
    /// The page says there are no keys ("No data").
    pub empty: bool,
    /// KuCoin's pager under the list: the keys are one page of it.
    pub pager: Option<crate::extract::Pager>,
}
crate::json_struct!(ApiPage { keys, summary_anchor, empty, pager: default });

/// A Security Logs "Create API" entry (from the security page scan).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateEvent {
    pub time_ms: i64,
    pub ip: String,
    pub area: String,
}
crate::json_struct!(CreateEvent { time_ms, ip: default, area: default });

/// One key in the stored report (for the popup and exports).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyLine {
    pub fingerprint: String,
    pub name: String,
    /// `high` | `medium` | `low` | `ok`.
    pub level: String,
    pub reasons: Vec<String>,
    /// The pager's page it was read on (0: the list has no pages).
    pub page: u32,
}
crate::json_struct!(KeyLine { fingerprint, name, level, reasons: default, page: default });

/// The stored API audit (`State.api`): the last API page scan, the user's
/// last review, and the "Create API" events seen in Security Logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiReport {
    /// Last API page scan (Unix ms); 0 = the API page was never read.
    pub at: i64,
    pub keys: u32,
    pub high: u32,
    pub medium: u32,
    /// Low and informational findings.
    pub low: u32,
    /// Could the key list be read at all?
    pub readable: bool,
    pub lines: Vec<KeyLine>,
    /// When the user last pressed "I reviewed these keys" (0 = never).
    pub reviewed_at: i64,
    /// Fingerprints of the keys shown at that review.
    pub reviewed: Vec<String>,
    /// "Create API" events from Security Logs, newest first.
    pub created: Vec<CreateEvent>,
    /// The list's pages per KuCoin's pager at the last scan (0: no pager),
    /// and those whose keys `lines` and the counts hold: the pages read in
    /// the page load `doc` (`Snapshot::page_id`), while the user moves
    /// through the pager, ascending.
    pub page_last: u32,
    pub pages_read: Vec<u32>,
    pub doc: String,
}
crate::json_struct!(ApiReport { at: default, keys: default, high: default, medium: default, low: default, readable: default, lines: default, reviewed_at: default, reviewed: default, created: default, page_last: default, pages_read: default, doc: default });

impl ApiReport {
    /// Every page of the list was read (or it has one).
    pub fn all_pages_read(&self) -> bool {
        self.page_last < 2 || (1..=self.page_last).all(|p| self.pages_read.contains(&p))
    }
    /// "1 of 3 pages read" while pages are not read; else `None`.
    pub fn pages_note(&self) -> Option<String> {
        if self.all_pages_read() {
            return None;
        }
        let mut read = 0u64;
        for p in &self.pages_read {
            read += u64::from(*p >= 1 && *p <= self.page_last);
        }
        Some(tr("api_pages_short", &[&crate::util::num(read), &crate::util::num(u64::from(self.page_last))]))
    }
}

// ---------------------------------------------------------------- reading

/// Cheap pre-filter before the date parser.
fn may_hold_time(s: &str) -> bool {
    s.len() < 80 && crate::util::count_chars_where(s, char::is_numeric) >= 6
}

/// A key-looking value: hex, 16+ digits (or 8+ around a mask `…` / `***`).
pub fn is_hex_key(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 80 {
        return false;
    }
    let masked = crate::util::has(s, "…") || crate::util::has(s, "...") || crate::util::has(s, "*");
    // `s.replace("...", "")` without the two-way searcher, then the other marks.
    let (mut core, mut rest) = (String::new(), s);
    while let Some(i) = crate::util::find(rest, "...") {
        core.push_str(crate::util::str_to(rest, i));
        rest = crate::util::str_from(rest, i + 3);
    }
    core.push_str(rest);
    let mut kept = String::new();
    for c in core.chars() {
        if c != '…' && c != '*' {
            kept.push(c);
        }
    }
    let core = kept;
    if core.is_empty() || !crate::util::all_bytes(&core, |b| b.is_ascii_hexdigit()) {
        return false;
    }
    let min = if masked { 8 } else { 16 };
    core.len() >= min && core.len() <= 64 && crate::util::any_byte(&core, |b| b.is_ascii_digit()) && (core.len() >= 20 || crate::util::any_byte(&core, |b| b.is_ascii_alphabetic()))
}

/// "V1", "V2" …
fn is_version_tag(s: &str) -> bool {
    let b = s.trim().as_bytes();
    (2..=3).contains(&b.len()) && (b[0] == b'V' || b[0] == b'v') && b[1..].iter().all(u8::is_ascii_digit)
}

/// Separators between addresses in one IP Restrictions text.
fn ip_sep(c: char) -> bool {
    matches!(c, ',' | ' ' | ';')
}

fn strip_end_punct(s: &str) -> &str {
    crate::util::trim_end_with(s.trim(), |c| matches!(c, '.' | '。' | '।' | '۔' | '．'))
}

/// Add `ip` to a key's addresses unless listed (a detail row may repeat the
/// key row's), where first shown. KuCoin lists 50 at most: a list past
/// `MAX_IPS` is not KuCoin's and is kept as shown (no search per address).
fn push_ip(ips: &mut Vec<IpAddr>, ip: IpAddr) {
    if ips.len() >= MAX_IPS || !ips.contains(&ip) {
        ips.push(ip);
    }
}

/// The IP Restrictions value says "Unrestricted (…)" (the label may be followed
/// by an explanation in parentheses or after a dash).
fn says_unrestricted(text: &str, lang: Option<&str>) -> bool {
    let head = crate::util::split_with(text, |c| c == '(' || c == '（').next().unwrap_or("");
    let head = strip_end_punct(crate::util::find(head, " - ").map_or(head, |i| crate::util::str_to(head, i)));
    !head.is_empty() && match_key(head, lang, &[key::UNRESTRICTED]).is_some()
}

fn says_third_party(text: &str, lang: Option<&str>) -> bool {
    match_key(strip_end_punct(text), lang, &[key::THIRD_PARTY_IP]).is_some()
}

/// One entry of an IP allow-list: an address, or a range `addr/len` (its address).
fn allowed_ip(v: &str) -> Option<IpAddr> {
    let v = crate::util::trim_end_with(v.trim(), |c| c == ',' || c == ';');
    if let Ok(ip) = net::parse_ip(v) {
        return Some(ip);
    }
    let (addr, len) = v.split_once('/')?;
    let len: u8 = len.parse().ok()?;
    let ip = net::parse_ip(addr).ok()?;
    (len <= if ip.is_ipv4() { 32 } else { 128 }).then_some(ip)
}

/// An allow-list entry that lets (nearly) anyone in: the unspecified address
/// (`0.0.0.0`, `::`, "any" to many allow-lists) or a range wider than /8
/// (IPv4) or /16 (IPv6). A key limited to it is not IP-restricted at all.
fn admits_anyone(v: &str) -> bool {
    let Some(ip) = allowed_ip(v) else { return false };
    if ip.is_unspecified() {
        return true;
    }
    let v = crate::util::trim_end_with(v.trim(), |c| c == ',' || c == ';');
    v.split_once('/').and_then(|(_, len)| len.parse::<u8>().ok()).is_some_and(|len| len < if ip.is_ipv4() { 8 } else { 16 })
}

/// The first text inside `c` (or `c` itself) outside buttons.
fn first_text(tree: &Tree, c: usize) -> Option<usize> {
    for q in c..tree.end[c] {
        if tree.node(q).is_text() && !tree.node(q).text.is_empty() && (q == c || !in_button(tree, q, c)) {
            return Some(q);
        }
    }
    None
}

fn in_button(tree: &Tree, p: usize, stop: usize) -> bool {
    tree.ancestors(p).take_while(|&a| a != stop).any(|a| {
        let n = tree.node(a);
        n.tag == "button" || n.attr("role") == Some("button")
    }) || {
        let n = tree.node(stop);
        n.tag == "button" || n.attr("role") == Some("button")
    }
}

/// Read every key on an API Management page: cards with label/value fields,
/// or rows under a header of field labels (a table or div grid).
pub fn read_page(snap: &Snapshot, lang: &str) -> ApiPage {
    let mut page = ApiPage::default();
    let joined = crate::snapshot::joined(snap);
    let snap = joined.as_ref().unwrap_or(snap);
    let Ok(tree) = Tree::new(snap) else { return page };
    let lang_opt = if lang.is_empty() { None } else { Some(lang) };
    let zone = snap.env.zone();
    let n = tree.len();
    // Seeds: 0 = API Restrictions label, 1 = IP Restrictions label, 2 = hex key.
    let mut seeds: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut labels_at: Vec<(usize, &'static str)> = Vec::new();
    let mut page_marks: Vec<usize> = Vec::new();
    let mut no_data: Vec<usize> = Vec::new();
    for i in 0..n {
        let node = tree.node(i);
        if !node.is_text() || node.text.is_empty() || crate::util::char_count(&node.text) > 80 {
            continue;
        }
        let t = node.text.as_str();
        if is_hex_key(t) {
            seeds[2].push(i);
            continue;
        }
        match match_key(t, lang_opt, FIELD_KEYS) {
            Some(k) => labels_at.push((i, k)),
            None => {
                if match_key(t, lang_opt, PAGE_KEYS).is_some() {
                    page_marks.push(i);
                } else if match_key(t, lang_opt, &[key::NO_DATA]).is_some() {
                    no_data.push(i);
                }
            }
        }
    }
    // A key named like a field label is its card's name, not a field (nor a seed).
    let (not_label, by_key) = misplaced_labels(&tree, &labels_at);
    // A key named like the page's own labels ("Create API", "API Management")
    // too: the page's sit in a button, link or heading, outside any one card.
    // Of those in one card, the ones its head may hold (`card_marks`: a button,
    // a heading ranked below the page's title) do not bound it (`climb`).
    let mut marks = Vec::with_capacity(page_marks.len());
    let mut card_marks = Vec::new();
    let mut ranks: Option<(Vec<usize>, Vec<usize>)> = None;
    for &p in &page_marks {
        let one = in_one_card(&tree, &by_key, tree.element_of(p));
        let chrome = page_chrome(&tree, p);
        if chrome || !one {
            marks.push(p);
            if chrome && one && card_chrome(&tree, p, ranks.get_or_insert_with(|| heading_ranks(&tree))) {
                card_marks.push(p);
            }
        }
    }
    page_marks = marks;
    for &(i, k) in &labels_at {
        if not_label.binary_search(&i).is_err() {
            match k {
                key::API_RESTRICTIONS => seeds[0].push(i),
                key::IP_RESTRICTIONS => seeds[1].push(i),
                _ => {}
            }
        }
    }
    let count_in = |sorted: &[usize], pos: usize| -> usize { crate::extract::below(sorted, tree.end[pos]) - crate::extract::below(sorted, pos) };
    // `c`, stopped under `p` by marks all of which a card may hold, is a
    // card's fields and `p` the card: `c` starts with a field label (its first
    // text outside buttons; its head, name and tag, is outside it), and `p`
    // holds no toolbar beside that head (a child with text and a "Create
    // API" button, another with text: which is the head is not told).
    let head_above = |c: usize, p: usize| -> bool {
        let Some(q) = first_text(&tree, c) else { return false };
        if !by_key.iter().any(|l| l.binary_search(&q).is_ok()) {
            return false;
        }
        let (mut with_text, mut toolbar) = (0, false);
        let mut ch = p + 1;
        while ch < tree.end[p] {
            if ch != c && first_text(&tree, ch).is_some() {
                with_text += 1;
                for &m in &card_marks[crate::extract::below(&card_marks, ch)..crate::extract::below(&card_marks, tree.end[ch])] {
                    toolbar |= in_button(&tree, m, ch);
                }
            }
            ch = tree.end[ch];
        }
        with_text < 2 || !toolbar
    };
    // The largest element around `start` holding at most one of each seed kind
    // (`kinds`) and none of the page's own labels; then down through wrappers
    // that hold a single child. Fields without their head stopped by marks a
    // card's head may hold (a "Create API" button beside the name, a key named
    // so in its heading) go one up past them, to their head.
    let climb = |start: usize, kinds: &[usize]| -> usize {
        let mut cur = tree.element_of(start);
        let mut past_marks = false;
        loop {
            let p = tree.parent[cur];
            if p == NO_PARENT || matches!(tree.node(p).tag.as_str(), "body" | "html" | "main") {
                break;
            }
            if kinds.iter().any(|&k| count_in(&seeds[k], p) > 1) {
                break;
            }
            let marks_in = count_in(&page_marks, p);
            if marks_in > 0 {
                if past_marks || count_in(&card_marks, p) < marks_in || !head_above(cur, p) {
                    break;
                }
                past_marks = true;
            }
            cur = p;
        }
        loop {
            let kids = tree.element_children(cur);
            if kids.len() == 1 && seeds.iter().all(|l| count_in(l, kids[0]) == count_in(l, cur)) {
                cur = kids[0];
            } else {
                break;
            }
        }
        cur
    };
    let outermost = |mut v: Vec<usize>| -> Vec<usize> {
        crate::util::sort_positions(&mut v);
        let mut out: Vec<usize> = Vec::new();
        for c in v {
            // equal neighbours once (what `dedup` did), then the outermost only
            if out.last() == Some(&c) {
                continue;
            }
            if !out.last().is_some_and(|&o| tree.contains(o, c)) {
                out.push(c);
            }
        }
        out
    };
    // Hex values alone make cards only when the page has no labels (unknown
    // language): a stray hex string elsewhere is not a key.
    let labelled = !seeds[0].is_empty() || !seeds[1].is_empty();
    let mut from = Vec::new();
    for k in if labelled { 0..2 } else { 2..3 } {
        for &s in &seeds[k] {
            from.push(climb(s, &[0, 1, 2]));
        }
    }
    let candidates = outermost(from);
    // Key values outside every labelled element: rows of a table or grid
    // (`candidates` is sorted and its elements are disjoint).
    let loose_keys = seeds[2].iter().any(|&s| {
        let i = crate::extract::below(&candidates, s + 1);
        i == 0 || !tree.contains(candidates[i - 1], s)
    });
    // A "card" whose labels have no values is a header row (table layout);
    // so is a header row inside a "card" that took in the whole table (its
    // rows showing no key value to stop the climb at a row).
    let mut headers = Vec::new();
    let mut maybe_cards = Vec::new();
    for c in candidates {
        let (fields, head) = card_fields(&tree, c, lang_opt, &not_label);
        // Column titles we do not know ("Name", "Remark", "Operation") read as
        // the value of the label before them: when there are rows to read
        // against it, labels holding nothing a key carries are a header.
        let all_empty = fields.iter().all(|(_, v)| v.is_empty());
        if fields.len() >= 2 && (all_empty || loose_keys) && !holds_values(&tree, c, lang_opt) {
            headers.push(c);
        } else if let Some(h) = header_in(&tree, c, lang_opt, &not_label).filter(|&h| !rows_under(&tree, h, lang_opt, &page_marks, &[], 1).is_empty()) {
            headers.push(h);
        } else {
            maybe_cards.push((c, fields, head));
        }
    }
    // Rows by structure: after each header, the elements of its tag and depth
    // (whether or not they show a readable key value), up to the next header:
    // a header repeated before every key heads the one row after it, not all
    // the rows to the end each (quadratic).
    // An expanded detail row is in `table_rows` (nothing in it is a key or a
    // card) and in `details` with its key row, not among the keys.
    crate::util::sort_positions(&mut headers);
    let mut found = Vec::new();
    for &h in &headers {
        found.append(&mut rows_under(&tree, h, lang_opt, &page_marks, &headers, usize::MAX));
    }
    // (a row found twice: once as a detail row is that)
    crate::util::sort_stable_by(&mut found, |a, b| a.0.cmp(&b.0).then((a.0 == a.1).cmp(&(b.0 == b.1))));
    found.dedup_by_key(|r| r.0);
    let mut table_rows = Vec::new();
    let mut details = Vec::new();
    for &(r, k) in &found {
        table_rows.push(r);
        if r != k {
            details.push((k, r));
        }
    }
    // (the outermost rows, to tell in one search whether a row holds a position)
    let outer_rows = outermost(table_rows.clone());
    // Cards first (not a table row: one that read as a card, e.g. by a key
    // named like a column, is read by the header below); rows are added below.
    let mut listed: Vec<usize> = Vec::new();
    for (c, fields, head) in maybe_cards {
        // (nor the table around rows: a key's labelled detail row, with no
        // second key value beside to stop the climb, took its body in)
        if inside_one(&tree, &outer_rows, c) || count_in(&table_rows, c) > 0 {
            continue;
        }
        page.keys.push(build_key(&tree, c, fields, head, None, lang, &zone));
        listed.push(c);
    }
    if !headers.is_empty() {
        // Rows: the header's rows, and around each other key value outside
        // the cards, holding one key value and no header.
        let mut rows: Vec<usize> = Vec::new();
        for &(r, k) in &found {
            if r == k {
                rows.push(r);
            }
        }
        for &s in &seeds[2] {
            // (`listed` holds the cards so far: sorted, as `candidates` are)
            if inside_one(&tree, &listed, s) || inside_one(&tree, &outer_rows, s) {
                continue;
            }
            let mut cur = tree.element_of(s);
            while tree.parent[cur] != NO_PARENT {
                let p = tree.parent[cur];
                if count_in(&seeds[2], p) > 1 || count_in(&page_marks, p) > 0 || count_in(&table_rows, p) > 0 || count_in(&headers, p) > 0 {
                    break;
                }
                cur = p;
            }
            rows.push(cur);
        }
        let rows = outermost(rows);
        for &r in &rows {
            // The nearest header: the one sharing the lowest common ancestor
            // (of equally near ones the last). The deepest common ancestor is
            // the one with the header just before the row or just after it, and
            // the headers as near are those under it: two lookups per row, not
            // every header per row (quadratic with a header before every key).
            let i = crate::extract::below(&headers, r);
            let mut nearest: Option<(usize, u16)> = None;
            for a in [i.checked_sub(1).and_then(|j| tree.common_ancestor(headers[j], r)), headers.get(i).and_then(|&h| tree.common_ancestor(h, r))].into_iter().flatten() {
                if nearest.is_none_or(|(_, nd)| tree.depth[a] > nd) {
                    nearest = Some((a, tree.depth[a]));
                }
            }
            let h = match nearest {
                Some((a, d)) if d > 0 => headers[crate::extract::below(&headers, tree.end[a]) - 1],
                // (no common ancestor deeper than the root: every header is as near)
                _ => match headers.last() {
                    Some(&h) => h,
                    None => continue,
                },
            };
            let (mut fields, head, name) = row_fields(&tree, h, r, lang_opt);
            // Its detail rows' fields too (never their other text: not a name;
            // but the permissions it names, below).
            let i = details.partition_point(|d| d.0 < r);
            let row_key = details.get(i).is_some_and(|d| d.0 == r) && tree.text_pieces(r).iter().any(|&(_, t)| is_hex_key(t));
            let mut named: Vec<Permission> = Vec::new();
            for &(_, d) in details[i..].iter().take_while(|d| d.0 == r) {
                let (more, other) = if tree.element_children(d).len() == header_columns(&tree, h, lang_opt).len() {
                    let (f, o, _) = row_fields(&tree, h, d, lang_opt);
                    (f, o)
                } else {
                    card_fields(&tree, d, lang_opt, &not_label)
                };
                // (an empty cell there says nothing: the key row's Key is read;
                // nor does its Key beside the key row's own key value: the
                // one the key row shows stays its identity, expanded or not)
                for f in more {
                    if !f.1.is_empty() && !(row_key && f.0 == key::KEY) {
                        fields.push(f);
                    }
                }
                named_permissions(&other, lang_opt, &mut named);
            }
            let mut k = build_key(&tree, r, fields, head, name, lang, &zone);
            // Permissions its details name outside a field ("Permissions:
            // General, Withdrawal"): the key's as well. They add to what the
            // key may do, never make its permissions read (a list of them in
            // free text may hold one not named: the field is what says all).
            for p in named {
                if !k.permissions.contains(&p) {
                    k.permissions.push(p);
                }
            }
            page.keys.push(k);
            listed.push(r);
        }
    }
    crate::util::sort_positions(&mut listed);
    crate::util::sort_stable_by(&mut page.keys, |a, b| tree.pos(a.card).cmp(&tree.pos(b.card)));
    // KuCoin's pager under the list: the keys are one page of it. A page of
    // it showing "No data" (its last key deleted, the pager still there) is
    // one page too: read as the whole list, it would say "0 keys" and offer
    // the review while the other pages hold keys.
    page.pager = match listed.last() {
        Some(&r) => crate::extract::pager_after(&tree, r, &[]),
        None => no_data.iter().find_map(|&d| crate::extract::pager_after(&tree, tree.element_of(d), &[])),
    };
    let shown = page.pager.as_ref().map_or(0, |p| p.current);
    for (i, k) in page.keys.iter_mut().enumerate() {
        k.row = i as u32;
        k.page = shown;
    }
    page.empty = listed.is_empty() && !no_data.is_empty();
    // Summary: above the list (the keys' common parent), else after the title.
    page.summary_anchor = match listed.as_slice() {
        [] => page_marks
            .iter()
            .map(|&p| tree.element_of(p))
            .find(|&e| matches!(tree.node(e).tag.as_str(), "h1" | "h2" | "h3"))
            .map(|e| (tree.node(e).id, Place::After))
            .or_else(|| (0..n).find(|&i| tree.node(i).tag == "body").map(|b| (tree.node(b).id, Place::Prepend))),
        [one] => Some((tree.node(headers.first().copied().filter(|&h| h < *one).unwrap_or(*one)).id, Place::Before)),
        [first, rest @ ..] => {
            let lca = rest.iter().try_fold(*first, |a, &b| tree.common_ancestor(a, b)).unwrap_or(*first);
            // Around the header too, when there is one (table layout).
            let lca = headers.iter().try_fold(lca, |a, &h| tree.common_ancestor(a, h)).unwrap_or(lca);
            Some((tree.node(lca).id, Place::Before))
        }
    };
    page
}

/// The permissions `texts` name, each a whole chip's label or a part of a
/// text split at commas or a colon ("Permissions: General, Withdrawal"),
/// added to `out` once each.
fn named_permissions(texts: &[&str], lang_opt: Option<&str>, out: &mut Vec<Permission>) {
    let pkeys = permission_keys();
    for &v in texts {
        for part in crate::util::split_with(v, |c| c == ':' || chip_separator(c)) {
            if let Some(p) = match_key(part.trim(), lang_opt, &pkeys).and_then(Permission::from_label_key) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
}

/// Between two permission chips written as one text (`،`: the comma of
/// Arabic and Urdu).
fn chip_separator(c: char) -> bool {
    matches!(c, ',' | '，' | '、' | '،' | '/' | '|' | ';' | '·')
}

/// Is `p` inside one of `sorted` (positions in document order, none inside
/// another)? Only the last one starting at or before `p` can hold it.
fn inside_one(tree: &Tree, sorted: &[usize], p: usize) -> bool {
    let i = crate::extract::below(sorted, p + 1);
    i > 0 && tree.contains(sorted[i - 1], p)
}

/// Something a key carries: an address, a key value, a permission chip.
fn holds_values(tree: &Tree, c: usize, lang_opt: Option<&str>) -> bool {
    let pkeys = permission_keys();
    tree.text_pieces(c).iter().any(|&(_, t)| net::parse_ip(t.trim()).is_ok() || is_hex_key(t) || match_key(t, lang_opt, &pkeys).is_some())
}

/// Texts that read as a field label but sit where no label does: a key
/// named "IP Restrictions" in its card's head. A card's own labels are
/// parallel — same tag and depth, a parent or grandparent in common with the
/// label next to them (`<dt>`s of one `<dl>`, the label `div`s of sibling
/// field rows, a header's cells); a lone label-looking text in a card that
/// has parallel labels is its name or another value, not a field. Left a
/// label, it would split the card in two and shift its fields. (A card of
/// one field has no parallel labels to tell its name from its label by: both
/// stay labels there; KuCoin's cards have five.) Sorted positions, and the
/// parallel labels' positions per field key.
fn misplaced_labels(tree: &Tree, labels_at: &[(usize, &'static str)]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = labels_at.len();
    let parallel = |a: usize, b: usize| {
        let (x, y) = (tree.element_of(labels_at[a].0), tree.element_of(labels_at[b].0));
        x != y
            && tree.node(x).tag == tree.node(y).tag
            && tree.depth[x] == tree.depth[y]
            && tree.common_ancestor(x, y).is_some_and(|c| tree.depth[x] - tree.depth[c] <= 2)
    };
    let mut lone = vec![false; n];
    for (j, l) in lone.iter_mut().enumerate() {
        *l = !((j > 0 && parallel(j, j - 1)) || (j + 1 < n && parallel(j, j + 1)));
    }
    // Positions of the parallel labels, per field key.
    let mut by_key: Vec<Vec<usize>> = vec![Vec::new(); FIELD_KEYS.len()];
    for j in 0..n {
        if !lone[j] {
            if let Some(ki) = FIELD_KEYS.iter().position(|&k| k == labels_at[j].1) {
                by_key[ki].push(labels_at[j].0);
            }
        }
    }
    let mut out = Vec::new();
    for j in 0..n {
        if lone[j] && in_one_card(tree, &by_key, tree.element_of(labels_at[j].0)) {
            out.push(labels_at[j].0);
        }
    }
    (out, by_key)
}

/// Is element `e` in one card? Up to its card: the nearest ancestor (6 up at
/// most) with parallel labels (`by_key`, per field key), unless it holds one
/// field twice (then it is a list of cards, not one). A table's header is
/// one card's labels: its rows are in it.
fn in_one_card(tree: &Tree, by_key: &[Vec<usize>], e: usize) -> bool {
    let mut a = tree.parent[e];
    let mut up = 0;
    while up < 6 && a != NO_PARENT {
        let (mut total, mut twice) = (0, false);
        for list in by_key {
            let c = crate::extract::below(list, tree.end[a]) - crate::extract::below(list, a);
            total += c;
            twice |= c > 1;
        }
        if twice {
            return false;
        }
        if total > 0 {
            return true;
        }
        a = tree.parent[a];
        up += 1;
    }
    false
}

/// A text in the page's own controls or titles: a button, a link, a heading
/// (h1–h3) or a nav, up to 4 levels up. A key's name is in none of these but
/// a heading of its card (`card_chrome`).
fn page_chrome(tree: &Tree, p: usize) -> bool {
    tree.ancestors(p).take(4).any(|a| {
        let n = tree.node(a);
        matches!(n.tag.as_str(), "button" | "a" | "h1" | "h2" | "h3" | "nav") || matches!(n.attr("role"), Some("button" | "link" | "heading" | "tab" | "navigation"))
    })
}

/// A heading's rank: `h1`…`h6`, or `role="heading"` at its `aria-level`
/// (2 when it says none, as ARIA has it).
fn heading_level(n: &crate::snapshot::Node) -> Option<usize> {
    let b = n.tag.as_bytes();
    if b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1]) {
        return Some(usize::from(b[1] - b'0'));
    }
    if n.attr("role") != Some("heading") {
        return None;
    }
    Some(match n.attr("aria-level").map(str::as_bytes) {
        Some(&[d]) if d.is_ascii_digit() => usize::from(d - b'0'),
        _ => 2,
    })
}

/// The headings' positions, and at each the highest rank (lowest level) of
/// the headings up to it.
fn heading_ranks(tree: &Tree) -> (Vec<usize>, Vec<usize>) {
    let (mut at, mut best) = (Vec::new(), Vec::new());
    for i in 0..tree.len() {
        if let Some(l) = heading_level(tree.node(i)) {
            at.push(i);
            best.push(best.last().map_or(l, |&b: &usize| b.min(l)));
        }
    }
    (at, best)
}

/// A page mark (`page_chrome`) a key's card may hold in its head: in a
/// button (never read as the card's text: "Create API" beside the name), or
/// in a heading ranked below one before it (a card's title under the page's
/// title: a key named "Create API"), with no link, nav or tab around it. The
/// page's first and top-ranked title is never one. `ranks`: `heading_ranks`.
fn card_chrome(tree: &Tree, p: usize, (at, best): &(Vec<usize>, Vec<usize>)) -> bool {
    let (mut held, mut a) = (false, tree.parent[p]);
    for _ in 0..4 {
        if a == NO_PARENT {
            break;
        }
        let n = tree.node(a);
        if n.tag == "button" || n.attr("role") == Some("button") {
            held = true;
        } else if let Some(l) = heading_level(n) {
            let i = crate::extract::below(at, a);
            if i == 0 || best[i - 1] >= l {
                return false;
            }
            held = true;
        } else if matches!(n.tag.as_str(), "a" | "nav") || matches!(n.attr("role"), Some("link" | "tab" | "navigation")) {
            return false;
        }
        a = tree.parent[a];
    }
    held
}

/// A header row inside `c`: the element around its field labels, each label
/// in a cell (child) of its own holding nothing else, and no value anywhere
/// in it.
fn header_in(tree: &Tree, c: usize, lang_opt: Option<&str>, not_label: &[usize]) -> Option<usize> {
    let mut labels = Vec::new();
    for (p, t) in tree.text_pieces(c) {
        if labels.len() == MAX_FIELDS {
            break;
        }
        if !in_button(tree, p, c) && crate::util::char_count(t) <= 80 && !is_hex_key(t) && not_label.binary_search(&p).is_err() && match_key(t, lang_opt, FIELD_KEYS).is_some() {
            labels.push(p);
        }
    }
    if labels.len() < 2 {
        return None;
    }
    let mut h = tree.element_of(labels[0]);
    for &p in &labels[1..] {
        h = tree.common_ancestor(h, p)?;
    }
    let cells = tree.element_children(h);
    let mut used = vec![false; cells.len()];
    for &p in &labels {
        let i = cells.iter().position(|&k| tree.contains(k, p))?;
        let mut texts = 0;
        for (q, _) in tree.text_pieces(cells[i]) {
            texts += usize::from(!in_button(tree, q, cells[i]));
        }
        if used[i] || texts != 1 {
            return None;
        }
        used[i] = true;
    }
    (!holds_values(tree, h, lang_opt)).then_some(h)
}

/// The column key of each cell of a header (by position).
fn header_columns(tree: &Tree, header: usize, lang_opt: Option<&str>) -> Vec<Option<&'static str>> {
    let mut columns = Vec::new();
    for c in tree.element_children(header) {
        let mut column = None;
        for (_, t) in tree.text_pieces(c) {
            column = match_key(t, lang_opt, FIELD_KEYS);
            if column.is_some() {
                break;
            }
        }
        columns.push(column);
    }
    columns
}

/// The rows a header heads: the elements after it of its tag and depth, in
/// the nearest of its ancestors (up to 5, short of the page's own labels)
/// that has any. Not a row: one with no text, a hidden one that cannot be
/// lined up with the header (an expanded detail row), or one with a field
/// label in a label column (another header, or a card). The rows end at the
/// next of `headers` among them (its rows are its own); at most `limit`.
/// Each row with the key row it belongs to: itself, or for an expanded
/// detail row (`detail_row`) the key row above it.
fn rows_under(tree: &Tree, h: usize, lang_opt: Option<&str>, page_marks: &[usize], headers: &[usize], limit: usize) -> Vec<(usize, usize)> {
    let columns = header_columns(tree, h, lang_opt);
    let (tag, depth) = (tree.node(h).tag.as_str(), tree.depth[h]);
    let mut a = h;
    for _ in 0..5 {
        let p = tree.parent[a];
        if p == NO_PARENT || matches!(tree.node(p).tag.as_str(), "body" | "html" | "main") || crate::extract::below(page_marks, tree.end[p]) > crate::extract::below(page_marks, p) {
            break;
        }
        a = p;
        let mut rows = Vec::new();
        // The key row above, and whether it shows a name or key value; and
        // how it shows its key (what a detail row may repeat of it).
        let mut key_row: Option<(usize, bool)> = None;
        let mut key_texts: Vec<&str> = Vec::new();
        let mut q = tree.end[h];
        while q < tree.end[a] {
            if tree.depth[q] != depth || tree.node(q).tag != tag {
                q += 1;
                continue;
            }
            if headers.binary_search(&q).is_ok() || rows.len() >= limit {
                break;
            }
            let cells = tree.element_children(q);
            let mut texts = Vec::new();
            texts_outside_buttons(tree, q, &mut texts);
            let mut header_like = false;
            for (cell, col) in cells.iter().zip(&columns) {
                if col.is_some() {
                    for (_, t) in tree.text_pieces(*cell) {
                        header_like |= !is_hex_key(t) && match_key(t, lang_opt, FIELD_KEYS).is_some();
                    }
                }
            }
            let detail = match key_row {
                Some((k, named)) if !texts.is_empty() && detail_row(tree, q, &cells, &columns, named) && !names_another_key(tree, q, &key_texts, lang_opt) => Some(k),
                _ => None,
            };
            if let Some(k) = detail {
                rows.push((q, k));
            } else if !texts.is_empty() && !header_like && !(tree.hidden[q] && cells.len() != columns.len()) {
                rows.push((q, q));
                key_row = Some((q, cells.len() != columns.len() || names_a_key(tree, q, &cells, &columns)));
                // (its key values and the texts under its Key column: a real
                // key row shows one; a hostile one is cut, not compared per
                // detail row)
                key_texts.clear();
                for (_, t) in tree.text_pieces(q) {
                    if key_texts.len() < 8 && is_hex_key(t) {
                        key_texts.push(t);
                    }
                }
                if cells.len() == columns.len() {
                    for (&cell, col) in cells.iter().zip(&columns) {
                        if *col == Some(key::KEY) {
                            for (_, t) in tree.text_pieces(cell) {
                                if key_texts.len() < 8 {
                                    key_texts.push(t);
                                }
                            }
                        }
                    }
                }
            } else if header_like {
                key_row = None;
                key_texts.clear();
            }
            q = tree.end[q];
        }
        if !rows.is_empty() {
            return rows;
        }
    }
    Vec::new()
}

/// The row shows which key it is: text under the Key column or a column
/// without a field label (the name), or a key value anywhere.
fn names_a_key(tree: &Tree, row: usize, cells: &[usize], columns: &[Option<&'static str>]) -> bool {
    let mut texts = Vec::new();
    for (&cell, col) in cells.iter().zip(columns) {
        if matches!(col, None | Some(key::KEY)) {
            texts_outside_buttons(tree, cell, &mut texts);
        }
    }
    !texts.is_empty() || tree.text_pieces(row).iter().any(|&(_, t)| is_hex_key(t))
}

/// An expanded detail row (Ant Design's `expandedRowRender`, KuCoin's
/// `KuxTable-expandedRow`) under a key's row: that key's details, never a
/// key of its own. Told by structure, never by its text (a key's name is
/// anyone's text): a class naming it expanded or a single cell across a
/// header of several columns, when its cells cannot be lined up with the
/// header; else lined up, nothing under the Key and name columns while the
/// key row above (`above_named`) shows something there.
fn detail_row(tree: &Tree, row: usize, cells: &[usize], columns: &[Option<&'static str>], above_named: bool) -> bool {
    if cells.len() != columns.len() {
        let expanded = tree.node(row).attr("class").is_some_and(|c| crate::util::has(&c.to_ascii_lowercase(), "expanded"));
        expanded || (cells.len() == 1 && columns.len() >= 2)
    } else {
        above_named && !names_a_key(tree, row, cells, columns)
    }
}

/// A row that says which key it is, and not the key row above's (`above`,
/// its texts): a key value none of the key row's is, or a Key field whose
/// value the key row does not show. Whatever its structure (one cell, a
/// class naming it expanded), it is another key: an expanded detail row
/// names no key, or its own key's (say its full value under a masked one),
/// and a second key's row taken for one would vanish into the first key,
/// its Withdrawal permission and key value with it.
fn names_another_key(tree: &Tree, row: usize, above: &[&str], lang_opt: Option<&str>) -> bool {
    let shown = |v: &str| above.iter().any(|&m| same_key_value(m, v));
    if tree.text_pieces(row).iter().any(|&(_, t)| is_hex_key(t) && !shown(t)) {
        return true;
    }
    let (fields, _) = card_fields(tree, row, lang_opt, &[]);
    fields.iter().any(|(f, v)| *f == key::KEY && !v.is_empty() && !v.iter().any(|t| shown(t)))
}

/// Two key values shown for one key: the same text, or a masked one
/// (`6706****c95b`, `6706…c95b`) whose visible ends the other has.
fn same_key_value(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    if !is_hex_key(a) || !is_hex_key(b) {
        return false;
    }
    // The visible ends: the hex digits before the first mark and after the last.
    let ends = |s: &str| -> Option<(String, String)> {
        let first = s.find(|c: char| !c.is_ascii_hexdigit())?;
        let last = s.rfind(|c: char| !c.is_ascii_hexdigit())?;
        // (`str_to` / `str_from`: no panicking slice in the wasm)
        let after = last + crate::util::str_from(s, last).chars().next().map_or(1, char::len_utf8);
        Some((crate::util::str_to(s, first).to_ascii_lowercase(), crate::util::str_from(s, after).to_ascii_lowercase()))
    };
    let fits = |x: &str, y: &str, front: bool| if front { x.starts_with(y) || y.starts_with(x) } else { x.ends_with(y) || y.ends_with(x) };
    let whole = |full: &str, (p, s): (String, String)| {
        let full = full.to_ascii_lowercase();
        full.len() >= p.len() + s.len() && full.starts_with(&p) && full.ends_with(&s)
    };
    match (ends(a), ends(b)) {
        (None, None) => false,
        (Some(m), None) => whole(b, m),
        (None, Some(m)) => whole(a, m),
        (Some((pa, sa)), Some((pb, sb))) => fits(&pa, &pb, true) && fits(&sa, &sb, false),
    }
}

type Fields<'a> = Vec<(&'static str, Vec<&'a str>)>;

/// Label/value pairs inside a card, and the head (text outside every field).
fn card_fields<'a>(tree: &Tree<'a>, c: usize, lang_opt: Option<&str>, not_label: &[usize]) -> (Fields<'a>, Vec<&'a str>) {
    // Plain loops rather than iterator chains here: each chain collected into
    // a Vec is its own generic code in the wasm.
    let mut pieces = Vec::new();
    for (p, t) in tree.text_pieces(c) {
        if !in_button(tree, p, c) {
            pieces.push((p, t));
        }
    }
    let mut labels_at: Vec<(usize, &'static str)> = Vec::new();
    for &(p, t) in &pieces {
        if labels_at.len() == MAX_FIELDS {
            break;
        }
        // (a text in no label position, `misplaced_labels`, is head or value)
        if crate::util::char_count(&t) <= 80 && !is_hex_key(t) && not_label.binary_search(&p).is_err() {
            if let Some(k) = match_key(t, lang_opt, FIELD_KEYS) {
                labels_at.push((p, k));
            }
        }
    }
    let mut claimed = vec![false; pieces.len()];
    let mut fields = Vec::new();
    for (li, &(lp, lk)) in labels_at.iter().enumerate() {
        let e = tree.element_of(lp);
        // The field: the lowest element around the label that holds more text.
        let mut f = e;
        while f != c {
            let p = tree.parent[f];
            if p == NO_PARENT {
                break;
            }
            f = p;
            if pieces.iter().any(|&(q, _)| tree.contains(f, q) && !tree.contains(e, q)) {
                break;
            }
        }
        let next_label = labels_at.get(li + 1).map(|x| x.0).unwrap_or(usize::MAX);
        let mut values = Vec::new();
        for (i, &(q, t)) in pieces.iter().enumerate() {
            if q == lp {
                claimed[i] = true;
            } else if q >= tree.end[e] && q < tree.end[f] && q < next_label {
                claimed[i] = true;
                values.push(t);
            }
        }
        fields.push((lk, values));
    }
    let mut head = Vec::new();
    for (i, &(_, t)) in pieces.iter().enumerate() {
        if !claimed[i] {
            head.push(t);
        }
    }
    (fields, head)
}

/// A table row's cells named by the header cells at the same position; cells
/// without a field label are the head. The name column (the first titled
/// column without a field label, "Name") gives the name: its first text,
/// whatever it reads (a key named "Not Activated" is not inactive).
fn row_fields<'a>(tree: &Tree<'a>, header: usize, row: usize, lang_opt: Option<&str>) -> (Fields<'a>, Vec<&'a str>, Option<&'a str>) {
    let columns = header_columns(tree, header, lang_opt);
    let cells = tree.element_children(row);
    let mut fields = Vec::new();
    let mut head = Vec::new();
    if cells.len() != columns.len() {
        // Cannot line the cells up with the header: every text is head, so
        // the fields stay unread and the key is reported as such.
        texts_outside_buttons(tree, row, &mut head);
        return (fields, head, None);
    }
    let titles = tree.element_children(header);
    let mut name_column = None;
    for (i, col) in columns.iter().enumerate() {
        let mut title = Vec::new();
        texts_outside_buttons(tree, titles[i], &mut title);
        if col.is_none() && !title.is_empty() {
            name_column = Some(i);
            break;
        }
    }
    let mut name = None;
    for (i, (cell, col)) in cells.into_iter().zip(columns).enumerate() {
        match col {
            Some(k) => {
                let mut texts = Vec::new();
                texts_outside_buttons(tree, cell, &mut texts);
                fields.push((k, texts));
            }
            None if name_column == Some(i) => {
                let mut texts = Vec::new();
                texts_outside_buttons(tree, cell, &mut texts);
                if !texts.is_empty() {
                    name = Some(texts.remove(0));
                }
                head.append(&mut texts);
            }
            None => texts_outside_buttons(tree, cell, &mut head),
        }
    }
    (fields, head, name)
}

/// Push the texts inside `c` that are not inside a button.
fn texts_outside_buttons<'a>(tree: &Tree<'a>, c: usize, out: &mut Vec<&'a str>) {
    for (p, t) in tree.text_pieces(c) {
        if !in_button(tree, p, c) {
            out.push(t);
        }
    }
}

/// `name`: the text in the name position (a table's name column), the name
/// whatever it reads; else the name is read from the head.
fn build_key(tree: &Tree, c: usize, fields: Fields, head: Vec<&str>, name: Option<&str>, lang: &str, zone: &time::Zone) -> ApiKey {
    let lang_opt = if lang.is_empty() { None } else { Some(lang) };
    let mut k = ApiKey {
        card: tree.node(c).id,
        hidden: tree.hidden[c],
        name: String::new(),
        version: String::new(),
        activated: true,
        key: String::new(),
        key_unreadable: false,
        usage: None,
        usage_text: String::new(),
        permissions: Vec::new(),
        unknown_permissions: Vec::new(),
        permissions_field: false,
        ip: IpRestriction::Missing,
        created_ms: None,
        row: 0,
        page: 0,
    };
    let mut ip_field = false;
    let mut ip_values: Vec<&str> = Vec::new();
    let mut perm_values: Vec<&str> = Vec::new();
    for (lk, mut values) in fields {
        match lk {
            key::KEY => {
                // Only a key-looking value is one ("********" is a mask, not an identity).
                match values.iter().find(|t| is_hex_key(t)) {
                    Some(t) => k.key = clip(t),
                    None => k.key_unreadable = true,
                }
            }
            key::USAGE => {
                let text = crate::util::join(&values, " ");
                k.usage = match match_key(&text, lang_opt, USAGE_KEYS) {
                    Some(key::API_TRADING) => Some(Usage::Trading),
                    Some(key::THIRD_PARTY_APPS) => Some(Usage::ThirdParty),
                    _ => None,
                };
                k.usage_text = clip(&text);
            }
            key::API_RESTRICTIONS => {
                k.permissions_field = true;
                perm_values.append(&mut values);
            }
            key::IP_RESTRICTIONS => {
                ip_field = true;
                ip_values.append(&mut values);
            }
            key::CREATED => {
                k.created_ms = None;
                for v in &values {
                    if may_hold_time(v) {
                        if let Ok(t) = time::parse_datetime(v, lang, zone) {
                            k.created_ms = Some(t);
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Permissions: chips, or one text with separators.
    let pkeys = permission_keys();
    for v in perm_values {
        let mut parts: Vec<&str> = Vec::new();
        if match_key(v, lang_opt, &pkeys).is_some() {
            parts.push(v);
        } else {
            for s in crate::util::split_with(v, chip_separator) {
                if !s.trim().is_empty() {
                    parts.push(s.trim());
                }
            }
        }
        for part in parts {
            match match_key(part, lang_opt, &pkeys).and_then(Permission::from_label_key) {
                Some(p) => {
                    if !k.permissions.contains(&p) {
                        k.permissions.push(p);
                    }
                }
                None => {
                    if k.unknown_permissions.len() < 5 {
                        k.unknown_permissions.push(clip(part));
                    }
                }
            }
        }
    }
    // IP restriction.
    if ip_field {
        let mut ips = Vec::new();
        let (mut unrestricted, mut third, mut other) = (false, false, Vec::new());
        // An entry such as `0.0.0.0/0` among the addresses: anyone may use the key.
        let mut anyone = false;
        for v in &ip_values {
            if let Some(ip) = allowed_ip(v) {
                anyone |= admits_anyone(v);
                push_ip(&mut ips, ip);
            } else if says_unrestricted(v, lang_opt) {
                unrestricted = true;
            } else if says_third_party(v, lang_opt) {
                third = true;
            } else if (crate::util::has(v, ",") || crate::util::has(v, " ")) && crate::util::split_with(v, ip_sep).filter(|s| !s.is_empty()).all(|s| allowed_ip(s).is_some()) {
                for s in crate::util::split_with(v, ip_sep) {
                    if let Some(ip) = allowed_ip(s) {
                        anyone |= admits_anyone(s);
                        push_ip(&mut ips, ip);
                    }
                }
            } else {
                other.push(*v);
            }
        }
        // IPs next to words we do not know ("+3 more"): still restricted to those IPs.
        k.ip = match (ips.is_empty(), unrestricted, third) {
            _ if anyone => IpRestriction::Unrestricted,
            (false, false, false) => IpRestriction::Ips(ips),
            (true, true, false) => IpRestriction::Unrestricted,
            (true, false, true) if other.is_empty() => IpRestriction::ThirdParty,
            (true, false, false) if other.is_empty() => IpRestriction::Unreadable(String::new()),
            _ => IpRestriction::Unreadable(clip(&crate::util::join(&ip_values, " "))),
        };
    }
    // Head: name, version tag, "Not Activated"; a bare date-time is the creation time.
    // The name comes first: a text with the version tag right after it is the
    // name, whatever it reads (a key the user named "Not Activated" or "V2").
    let named = name.is_none() && head.len() >= 2 && is_version_tag(head[1]) && !is_hex_key(head[0]);
    if let Some(t) = name {
        k.name = clip(t);
    }
    for (i, t) in head.into_iter().enumerate() {
        if i == 0 && named {
            k.name = clip(t);
        } else if is_version_tag(t) {
            if k.version.is_empty() {
                k.version = t.trim().to_ascii_uppercase();
            }
        } else if match_key(t, lang_opt, &[key::NOT_ACTIVATED]).is_some() {
            k.activated = false;
        } else if is_hex_key(t) {
            if k.key.is_empty() {
                k.key = clip(t);
                k.key_unreadable = false;
            }
        } else if let Some(ms) = if k.created_ms.is_none() && may_hold_time(t) { time::parse_datetime(t, lang, zone).ok() } else { None } {
            k.created_ms = Some(ms);
        } else if k.name.is_empty() {
            k.name = clip(t);
        }
    }
    k
}

// ---------------------------------------------------------------- assessing

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub text: String,
}
crate::json_struct!(Finding { severity, text });

/// `high` | `medium` | `low` | `ok` (informational counts as `low`).
pub fn level(findings: &[Finding]) -> &'static str {
    let mut worst = None;
    for f in findings {
        if worst.is_none_or(|w| f.severity < w) {
            worst = Some(f.severity);
        }
    }
    match worst {
        Some(Severity::High) => "high",
        Some(Severity::Medium) => "medium",
        Some(Severity::Low) | Some(Severity::Info) => "low",
        None => "ok",
    }
}

fn place_of(ev: &CreateEvent) -> String {
    if ev.area.is_empty() {
        tr("place_ip", &[&crate::extract::quote_ip(&ev.ip)])
    } else {
        tr("place_area", &[&crate::extract::quote(&ev.area), &crate::extract::quote_ip(&ev.ip)])
    }
}

/// Everything worth telling about one key, most severe first.
pub fn assess_key(k: &ApiKey, report: &ApiReport, trust: &crate::trust::TrustList, lang: &str, zone: &time::Zone, now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |severity: Severity, text: String| out.push(Finding { severity, text });
    if k.name.is_empty() {
        push(Severity::Medium, tr("api_unreadable_name", &[]));
    }
    if k.key_unreadable {
        push(Severity::Medium, tr("api_unreadable_key", &[]));
    }
    if !k.permissions_field || (k.permissions.is_empty() && k.unknown_permissions.is_empty()) {
        push(Severity::Medium, tr("api_unreadable_permissions", &[]));
    }
    match &k.ip {
        IpRestriction::Missing => push(Severity::Medium, tr("api_unreadable_ip", &[])),
        IpRestriction::Unreadable(t) if t.is_empty() => push(Severity::Medium, tr("api_unreadable_ip", &[])),
        IpRestriction::Unreadable(t) => push(Severity::Medium, tr("api_unreadable_ip_text", &[t])),
        _ => {}
    }
    for u in &k.unknown_permissions {
        push(Severity::Medium, tr("api_unknown_permission", &[u]));
    }
    if k.has(Permission::Withdrawal) {
        push(Severity::High, tr("api_reason_withdrawal", &[]));
    }
    let mut risky: Vec<&str> = Vec::new();
    for p in &k.permissions {
        if let Some(l) = labels::label(p.label_key(), lang).filter(|_| p.trades_or_transfers()) {
            risky.push(l);
        }
    }
    if !risky.is_empty() && k.ip == IpRestriction::Unrestricted {
        push(Severity::High, tr("api_reason_unrestricted", &[&crate::util::join(&risky, ", ")]));
    }
    if k.ip == IpRestriction::ThirdParty {
        push(Severity::Info, tr("api_reason_third_party", &[]));
    }
    if !k.activated {
        push(Severity::Low, tr("api_reason_not_activated", &[]));
    }
    // New since the last review, and where Security Logs say it was created.
    let fp = k.fingerprint();
    let reviewed = report.reviewed_at > 0;
    let is_new = reviewed && (!report.reviewed.contains(&fp) || k.created_ms.is_some_and(|c| c > report.reviewed_at));
    if is_new {
        push(Severity::Medium, tr("api_reason_new", &[&crate::popup::ago(report.reviewed_at, now)]));
    }
    if let Some(c) = k.created_ms.filter(|_| !reviewed || is_new) {
        // The "Create API" entry nearest the key's creation time: another key
        // created within the window elsewhere (the user's own, a minute later)
        // does not explain this one. Of equally near entries, the worst.
        let mut nearest = i64::MAX;
        for e in &report.created {
            let d = (e.time_ms - c).abs();
            if d <= EVENT_MATCH_MS && d < nearest {
                nearest = d;
            }
        }
        let mut worst: Option<(Severity, String)> = None;
        for ev in report.created.iter().filter(|e| (e.time_ms - c).abs() == nearest) {
            let Ok(ip) = net::parse_ip(&ev.ip) else { continue };
            let prefix = net::network_prefix(&ip);
            let when = time::format_ymd_hm(ev.time_ms, zone.offset_at(ev.time_ms));
            let found = if trust.suspects.iter().any(|s| s.network == prefix) {
                (Severity::High, tr("api_reason_created_suspect", &[&when, &place_of(ev)]))
            } else if !trust.devices.iter().any(|d| d.networks.contains(&prefix)) {
                (Severity::Medium, tr("api_reason_created_unknown", &[&when, &place_of(ev)]))
            } else {
                continue;
            };
            if worst.as_ref().is_none_or(|w| found.0 < w.0) {
                worst = Some(found);
            }
        }
        if let Some((severity, text)) = worst {
            push(severity, text);
        }
    }
    crate::util::sort_stable_by(&mut out, |a, b| a.severity.cmp(&b.severity));
    out
}

// ---------------------------------------------------------------- the scan

/// An API page scan: read the cards, mark them, explain, store the report.
/// Returns true when `state.api` changed (always, for a readable page).
pub fn scan(snap: &Snapshot, lang: &str, state: &mut State, now: i64, plan: &mut Plan) -> bool {
    let page = read_page(snap, lang);
    let zone = snap.env.zone();
    // Taken out and always put back below (no clone of the whole report).
    let mut report = state.api.take().unwrap_or_default();
    let (mut high, mut medium, mut low) = (0u32, 0u32, 0u32);
    let mut lines = Vec::new();
    // The n-th key of one fingerprint (keys showing one key value) has the
    // widget key `api:{fp}` and n `+`: counted over one sort (a search of the
    // keys used, per key, was cubic for a thousand same-named keys).
    let mut fps = Vec::with_capacity(page.keys.len());
    for k in &page.keys {
        fps.push(k.fingerprint());
    }
    let order = crate::util::stable_order(fps.len(), &|a, b| fps[a].cmp(&fps[b]));
    let mut nth = vec![0usize; fps.len()];
    for w in 1..order.len() {
        if fps[order[w]] == fps[order[w - 1]] {
            nth[order[w]] = nth[order[w - 1]] + 1;
        }
    }
    let mut fingerprints: Vec<String> = Vec::new();
    for (i, k) in page.keys.iter().enumerate() {
        let findings = assess_key(k, &report, &state.trust, lang, &zone, now);
        let lvl = level(&findings);
        plan.mark(k.card, ATTR, lvl);
        if matches!(lvl, "high" | "medium") {
            plan.bar(k.card, lvl, page.keys.len());
        }
        match lvl {
            "high" => high += 1,
            "medium" => medium += 1,
            "low" => low += 1,
            _ => {}
        }
        let fp = std::mem::take(&mut fps[i]);
        let wkey = format!("api:{fp}{}", "+".repeat(nth[i]));
        if nth[i] == 0 {
            fingerprints.push(fp.clone());
        }
        let name = if k.name.is_empty() { tr("api_unnamed", &[]) } else { k.name.clone() };
        if !findings.is_empty() {
            // The name is the key creator's text (an intruder's too): isolated in our sentence.
            let shown = crate::extract::quote(&name);
            let (tone, title) = match lvl {
                "high" => (Tone::Danger, tr("api_title_high", &[&shown])),
                "medium" => (Tone::Warn, tr("api_title_medium", &[&shown])),
                _ => (Tone::Info, tr("api_title_low", &[&shown])),
            };
            plan.widgets.push(Widget {
                key: wkey,
                anchor: k.card,
                place: Place::Append,
                kind: Kind::Reason,
                tone,
                title,
                text: String::new(),
                items: {
                    let mut items = Vec::new();
                    for f in &findings {
                        items.push(f.text.clone());
                    }
                    items
                },
                buttons: Vec::new(),
                host_attr: None,
            });
        }
        if lines.len() < MAX_LINES {
            lines.push(KeyLine {
                fingerprint: fp,
                name,
                level: lvl.into(),
                reasons: {
                    let mut reasons = Vec::new();
                    for f in findings.iter().take(5) {
                        reasons.push(crate::extract::clip_to(&f.text, 300));
                    }
                    reasons
                },
                page: k.page,
            });
        }
    }
    let mut n = page.keys.len() as u32;
    // KuCoin's pager: this page's keys and those of the other pages read in
    // this page load (a key shown here counted once, as read here; a page
    // read again replaced by its new reading, so a key deleted there is
    // gone). A new page load, or a pager marking no page, starts over: what
    // the other pages hold then is not known, and the report says so.
    let pager = page.pager.as_ref().filter(|g| g.last > 1);
    let shown = pager.map_or(0, |g| g.current);
    let mut pages_read: Vec<u32> = Vec::new();
    let old_lines = std::mem::take(&mut report.lines);
    if let Some(g) = pager.filter(|_| shown >= 1) {
        pages_read.push(shown);
        if !snap.page_id.is_empty() && report.doc == snap.page_id {
            let (mut before, mut after) = (Vec::new(), Vec::new());
            for l in old_lines {
                if l.page < 1 || l.page > g.last || l.page == shown || fingerprints.contains(&l.fingerprint) {
                    continue;
                }
                match l.level.as_str() {
                    "high" => high += 1,
                    "medium" => medium += 1,
                    "low" => low += 1,
                    _ => {}
                }
                n += 1;
                if !pages_read.contains(&l.page) {
                    pages_read.push(l.page);
                }
                if l.page < shown {
                    before.push(l);
                } else {
                    after.push(l);
                }
            }
            // (in page order: the pages before this one, this one, those after)
            before.append(&mut lines);
            before.append(&mut after);
            lines = before;
            lines.truncate(MAX_LINES);
            for l in &lines {
                if !fingerprints.contains(&l.fingerprint) {
                    fingerprints.push(l.fingerprint.clone());
                }
            }
        }
        crate::util::sort_stable_by(&mut pages_read, |a, b| a.cmp(b));
    }
    report.page_last = pager.map_or(0, |g| g.last);
    report.pages_read = pages_read;
    report.doc = snap.page_id.clone();
    let pages_note = report.pages_note();
    let readable = n > 0 || page.empty;
    // Summary above the list.
    if let Some((anchor, place)) = page.summary_anchor {
        let (tone, title, mut text) = if !readable {
            (Tone::Warn, tr("api_summary_cant_verify", &[]), tr("api_summary_no_keys_read", &[]))
        } else {
            let mut parts = vec![plural("api_keys", n)];
            if high > 0 {
                parts.push(tr("api_count_high", &[&crate::util::num(high as u64)]));
            }
            if medium > 0 {
                parts.push(tr("api_count_medium", &[&crate::util::num(medium as u64)]));
            }
            if low > 0 {
                parts.push(tr("api_count_low", &[&crate::util::num(low as u64)]));
            }
            // Pages not read: never "ok" (their keys were not checked).
            let tone = if high > 0 {
                Tone::Danger
            } else if medium > 0 || pages_note.is_some() {
                Tone::Warn
            } else if low > 0 {
                Tone::Info
            } else {
                Tone::Ok
            };
            let text = if report.reviewed_at == 0 {
                tr("api_summary_not_reviewed", &[])
            } else {
                tr("api_summary_reviewed", &[&crate::popup::ago(report.reviewed_at, now)])
            };
            (tone, crate::util::join(&parts, " · "), text)
        };
        // Keys created (per Security Logs) since the review that no card explains.
        if report.reviewed_at > 0 {
            let mut since = 0u32;
            for e in &report.created {
                if e.time_ms > report.reviewed_at {
                    since += 1;
                }
            }
            if since > 0 {
                text.push(' ');
                text.push_str(&plural("api_summary_created_since", since));
            }
        }
        if let (true, Some(note)) = (readable, &pages_note) {
            text.push(' ');
            text.push_str(&tr("api_pages_unread", &[note]));
        }
        // A review covers the whole list: offered once every page was read.
        let mut buttons = Vec::new();
        if readable && pages_note.is_none() {
            let joined = crate::util::join(&fingerprints, ",");
            let key = if joined.len() <= 1900 { joined } else { String::new() };
            buttons.push(Button::new(&tr("btn_api_reviewed", &[]), ButtonStyle::Secondary, Action { kind: "api_reviewed".into(), key, ..Default::default() }));
        }
        plan.widgets.push(Widget {
            key: "summary:api".into(),
            anchor,
            place,
            kind: Kind::Summary,
            tone,
            title,
            text,
            items: Vec::new(),
            buttons,
            host_attr: None,
        });
    }
    report.at = now;
    report.keys = n;
    report.high = high;
    report.medium = medium;
    report.low = low;
    report.readable = readable;
    report.lines = lines;
    state.api = Some(report);
    true
}

/// "I reviewed these keys": remember when, and which keys were shown (the
/// fingerprints the button carried, else the last scan's).
pub fn mark_reviewed(state: &mut State, shown: &str, now: i64) -> Result<(), String> {
    let mut list: Vec<String> = Vec::new();
    for s in shown.split(',') {
        if !s.trim().is_empty() {
            list.push(s.trim().into());
        }
    }
    let shown = list;
    if shown.iter().any(|s| s.len() != 16 || !crate::util::all_bytes(s, |b| b.is_ascii_hexdigit())) {
        return Err("bad key list in action".into());
    }
    // Taken out and put back below (no clone of the whole report).
    let mut report = state.api.take().unwrap_or_default();
    report.reviewed = shown;
    if report.reviewed.is_empty() {
        for l in &report.lines {
            report.reviewed.push(l.fingerprint.clone());
        }
    }
    report.reviewed.truncate(MAX_LINES);
    report.reviewed_at = now;
    state.api = Some(report);
    Ok(())
}

/// During a security page scan: remember Security Logs "Create API" events
/// (time and place) so the API page can tell where a key came from. Returns
/// true when something new was recorded.
pub fn record_create_events(ex: &Extraction, state: &mut State) -> bool {
    let Some(t) = ex.table(TableKind::SecurityLogs) else { return false };
    let lang = if ex.lang.is_empty() { None } else { Some(ex.lang.as_str()) };
    // Taken out and put back unless it was absent and nothing was recorded.
    let had = state.api.is_some();
    let mut report = state.api.take().unwrap_or_default();
    let mut changed = false;
    for r in t.records.iter().filter(|r| !r.hidden) {
        let Some(time_ms) = r.time_ms else { continue };
        if match_key(&r.event_type, lang, &[key::CREATE_API]).is_none() {
            continue;
        }
        let ip = r.ip.as_ref().map(|i| crate::net::ip_text(&i.ip)).unwrap_or_default();
        if report.created.iter().any(|e| e.time_ms == time_ms && e.ip == ip) {
            continue;
        }
        report.created.push(CreateEvent { time_ms, ip, area: clip(r.ip.as_ref().and_then(|i| i.area.as_deref()).unwrap_or("")) });
        changed = true;
    }
    if changed {
        crate::util::sort_stable_by(&mut report.created, |a, b| b.time_ms.cmp(&a.time_ms));
        report.created.truncate(MAX_EVENTS);
    }
    if changed || had {
        state.api = Some(report);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `PERMISSION_KEYS` is indexed by the enum: the order must be `Permission::ALL`'s.
    #[test]
    fn permission_keys_follow_the_enum() {
        for (i, p) in Permission::ALL.into_iter().enumerate() {
            assert_eq!(p as usize, i);
            assert_eq!(Permission::from_label_key(p.label_key()), Some(p));
        }
        assert_eq!(Permission::Earn.label_key(), "KuCoin Earn");
        assert_eq!(Permission::FuturesLead.label_key(), "Futures Lead Trading Permissions");
    }

    #[test]
    fn hex_keys() {
        assert!(is_hex_key("67063b61d86793bb27b1c95b"));
        assert!(is_hex_key("6705f3a1…"));
        assert!(is_hex_key("6705f3a1****c95b"));
        assert!(!is_hex_key("198.51.100.77"));
        assert!(!is_hex_key("2001:db8:ab::1"));
        assert!(!is_hex_key("20250714035240"));
        assert!(!is_hex_key("deadbeef"));
        assert!(!is_hex_key("trading-bot"));
        assert!(!is_hex_key("Spot Trading"));
    }

    #[test]
    fn version_tags_and_unrestricted() {
        assert!(is_version_tag("V2") && is_version_tag("v1") && !is_version_tag("V") && !is_version_tag("V2a"));
        assert!(says_unrestricted("Unrestricted (Less secure. It's recommended to restrict access to trusted IPs only.)", Some("en")));
        assert!(says_unrestricted("Uneingeschränkt (weniger sicher)", Some("de")));
        assert!(says_unrestricted("无限制（安全性较低）", Some("zh_CN")));
        assert!(!says_unrestricted("203.0.113.24", Some("en")));
        assert!(says_third_party("Third-party IP address linked.", Some("en")));
        assert!(says_third_party("Third-party IP address linked", None));
        assert_eq!(allowed_ip("203.0.113.0/24"), Some("203.0.113.0".parse().unwrap()));
        assert_eq!(allowed_ip("2001:db8::/48,"), Some("2001:db8::".parse().unwrap()));
        assert_eq!(allowed_ip("203.0.113.0/99"), None);
        assert_eq!(allowed_ip("Unrestricted"), None);
        for v in ["0.0.0.0/0", "0.0.0.0", "::/0", "::", "128.0.0.0/1", "2000::/3,"] {
            assert!(admits_anyone(v), "{v}");
        }
        for v in ["203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32", "203.0.113.24", "Unrestricted"] {
            assert!(!admits_anyone(v), "{v}");
        }
    }

    #[test]
    fn every_language_names_api_labels_unambiguously() {
        let l = labels::labels();
        let pkeys = permission_keys();
        for lang in &l.langs {
            for set in [FIELD_KEYS, &pkeys[..], USAGE_KEYS] {
                for k in set {
                    let text = labels::label(k, lang).unwrap();
                    assert_eq!(match_key(text, Some(lang), set), Some(*k), "{lang}: {text}");
                }
            }
            let w = labels::label("Withdrawal", lang).unwrap();
            assert_eq!(match_key(w, Some(lang), FIELD_KEYS), None, "{lang}: Withdrawal is no field label");
        }
    }

    fn key_with(perms: &[Permission], ip: IpRestriction) -> ApiKey {
        ApiKey {
            card: 1,
            hidden: false,
            name: "k".into(),
            version: "V2".into(),
            activated: true,
            key: "67063b61d86793bb27b1c95b".into(),
            key_unreadable: false,
            usage: Some(Usage::Trading),
            usage_text: String::new(),
            permissions: perms.to_vec(),
            unknown_permissions: Vec::new(),
            permissions_field: true,
            ip,
            created_ms: Some(1_752_465_160_000),
            row: 0,
            page: 0,
        }
    }

    #[test]
    fn findings_table() {
        use Permission::*;
        let r = ApiReport::default();
        let t = crate::trust::TrustList::default();
        let lv = |k: &ApiKey, r: &ApiReport| level(&assess_key(k, r, &t, "en", &time::Zone::fixed(0), 0));
        let ip = || IpRestriction::Ips(vec!["203.0.113.24".parse().unwrap()]);
        assert_eq!(lv(&key_with(&[General, SpotTrading], ip()), &r), "ok");
        assert_eq!(lv(&key_with(&[General, Withdrawal], ip()), &r), "high");
        assert_eq!(lv(&key_with(&[General, SpotTrading], IpRestriction::Unrestricted), &r), "high");
        assert_eq!(lv(&key_with(&[General, FlexibleTransfers], IpRestriction::Unrestricted), &r), "high");
        assert_eq!(lv(&key_with(&[General], IpRestriction::Unrestricted), &r), "ok", "read-only");
        assert_eq!(lv(&key_with(&[General, Earn], IpRestriction::Unrestricted), &r), "ok");
        assert_eq!(lv(&key_with(&[General, SpotTrading], IpRestriction::ThirdParty), &r), "low");
        let mut inactive = key_with(&[General], IpRestriction::Unrestricted);
        inactive.activated = false;
        assert_eq!(lv(&inactive, &r), "low");
        assert_eq!(lv(&key_with(&[General], IpRestriction::Missing), &r), "medium");
        // Two keys created a minute apart: the Create API entry at this key's own
        // time names its network, not the other key's (trusted) one a minute later.
        let mut t2 = crate::trust::TrustList::default();
        t2.devices.push(crate::trust::TrustedDevice { fingerprint: "me".into(), label: "me".into(), describe: String::new(), networks: vec![net::network_prefix(&"203.0.113.9".parse().unwrap())], areas: Vec::new(), first_seen: 0, last_seen: 0, this_browser: false });
        let k = key_with(&[General], ip());
        let c = k.created_ms.unwrap();
        let both = ApiReport { created: vec![CreateEvent { time_ms: c + 60_000, ip: "203.0.113.9".into(), area: "Home".into() }, CreateEvent { time_ms: c, ip: "198.51.100.77".into(), area: "Lagos".into() }], ..Default::default() };
        assert_eq!(level(&assess_key(&k, &both, &t2, "en", &time::Zone::fixed(0), 0)), "medium", "created from Lagos");
        let mine = ApiReport { created: vec![CreateEvent { time_ms: c + 60_000, ip: "198.51.100.77".into(), area: "Lagos".into() }, CreateEvent { time_ms: c, ip: "203.0.113.9".into(), area: "Home".into() }], ..Default::default() };
        assert_eq!(level(&assess_key(&k, &mine, &t2, "en", &time::Zone::fixed(0), 0)), "ok", "created at home");
        assert_eq!(lv(&key_with(&[General], IpRestriction::Unreadable("???".into())), &r), "medium");
        let mut unknown = key_with(&[General], ip());
        unknown.unknown_permissions.push("Super Power".into());
        assert_eq!(lv(&unknown, &r), "medium");
        assert_eq!(lv(&key_with(&[], ip()), &r), "medium", "no permissions read");
        let mut noname = key_with(&[General], ip());
        noname.name.clear();
        assert_eq!(lv(&noname, &r), "medium");
    }

    #[test]
    fn new_since_review_and_created_from() {
        use Permission::*;
        let k = key_with(&[General], IpRestriction::Ips(vec!["203.0.113.24".parse().unwrap()]));
        let mut t = crate::trust::TrustList::default();
        let mut r = ApiReport { reviewed_at: 1_700_000_000_000, reviewed: vec![k.fingerprint()], ..Default::default() };
        // created after the review → new
        assert_eq!(level(&assess_key(&k, &r, &t, "en", &time::Zone::fixed(0), 0)), "medium");
        r.reviewed_at = 1_752_500_000_000;
        assert_eq!(level(&assess_key(&k, &r, &t, "en", &time::Zone::fixed(0), 0)), "ok");
        r.reviewed.clear();
        assert_eq!(level(&assess_key(&k, &r, &t, "en", &time::Zone::fixed(0), 0)), "medium", "not among the reviewed keys");
        // never reviewed: the Create API event's network decides
        let r = ApiReport { created: vec![CreateEvent { time_ms: 1_752_465_160_000, ip: "198.51.100.77".into(), area: "Lagos".into() }], ..Default::default() };
        let f = assess_key(&k, &r, &t, "en", &time::Zone::fixed(0), 0);
        assert_eq!(level(&f), "medium");
        assert!(f[0].text.contains("from \u{2068}Lagos\u{2069} (approx.) (198.51.100.77)"), "{f:?}");
        // shown in the offset of that instant: summer time, read in winter
        let berlin = vec![(0, 120), (29_357_340, 60)]; // CET from 2025-10-26 01:00 UTC
        let f = assess_key(&k, &r, &t, "en", &time::Zone::new(60, berlin), 0);
        assert!(f[0].text.contains("2025-07-14 05:52"), "{f:?}");
        t.suspects.push(crate::trust::Suspect { fingerprint: "x".into(), network: "198.51.100.0/24".into(), describe: String::new(), area: String::new(), marked_at: 0 });
        assert_eq!(level(&assess_key(&k, &r, &t, "en", &time::Zone::fixed(0), 0)), "high");
        let _ = Withdrawal;
    }

    #[test]
    fn review_action_validates() {
        let mut s = State::default();
        assert!(mark_reviewed(&mut s, "<script>", 5).is_err());
        mark_reviewed(&mut s, "0123456789abcdef,fedcba9876543210", 5).unwrap();
        let r = s.api.unwrap();
        assert_eq!(r.reviewed_at, 5);
        assert_eq!(r.reviewed.len(), 2);
    }
}
