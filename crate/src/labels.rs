//! KuCoin's own UI labels in its 24 languages.
//!
//! Generated from data, not scattered through the code: `data/kucoin-labels.tsv`
//! (one row per English key, one column per UI language) is compiled in and
//! indexed once. Matching is exact after normalisation (case, white space,
//! trailing colon, bidi and zero-width marks), because a substring match would
//! let a device named "Current Chrome" pass for a status.

use crate::util::{has, swap_char};
use std::sync::OnceLock;

/// The table is data, not code: on the host it is compiled in; in the
/// extension build.sh ships it as `core/labels.js` and the background hands it
/// to the core once per instance ([`install`]), which keeps ~44 KB of text
/// out of the wasm (its data segments are copied into linear memory and
/// compiled with it on every service-worker start).
#[cfg(not(target_arch = "wasm32"))]
const TSV: &str = include_str!("../data/kucoin-labels.tsv");
/// Labels KuCoin has no translation row for (other services' "log out all"
/// controls, see `flow`; API Management fields and chips, see `api`). Same
/// format. These are our own translations, not confirmed KuCoin strings;
/// an empty cell falls back to matching any language.
#[cfg(not(target_arch = "wasm32"))]
const EXTRA_TSV: &str = include_str!("../data/extra-labels.tsv");

/// The two tables handed over by the background (wasm only; see [`install`]).
#[cfg(target_arch = "wasm32")]
static DATA: OnceLock<(&'static str, &'static str)> = OnceLock::new();

/// Install the label tables (`kucoin-labels.tsv`, `extra-labels.tsv`). Once
/// per wasm instance; a second call is ignored. Returns an error text when
/// the data does not look like the tables (an incomplete build).
#[cfg(target_arch = "wasm32")]
pub fn install(kucoin: String, extra: String) -> Result<(), String> {
    for (name, t) in [("kucoin-labels", &kucoin), ("extra-labels", &extra)] {
        if !t.starts_with("key_english\t") || !has(t, "\ten\t") {
            return Err(format!("the label table {name} is missing or damaged"));
        }
    }
    let _ = DATA.set((Box::leak(kucoin.into_boxed_str()), Box::leak(extra.into_boxed_str())));
    Ok(())
}

/// Are the label tables there? (Always on the host.) Extraction without
/// them would silently fall back to shapes only, so the bindings refuse to
/// scan instead.
pub fn installed() -> bool {
    #[cfg(target_arch = "wasm32")]
    return DATA.get().is_some();
    #[cfg(not(target_arch = "wasm32"))]
    true
}

fn tables() -> (&'static str, &'static str) {
    #[cfg(target_arch = "wasm32")]
    return DATA.get().copied().unwrap_or(("", ""));
    #[cfg(not(target_arch = "wasm32"))]
    (TSV, EXTRA_TSV)
}

/// Column keys of the session tables.
pub mod key {
    pub const LOGIN_IP: &str = "Login IP";
    pub const LOGIN_DEVICE: &str = "Login Device";
    pub const TIME: &str = "Time";
    pub const STATUS: &str = "Status";
    pub const TYPE: &str = "Type";
    pub const TRUSTED_DEVICE: &str = "Trusted Device";
    pub const RECENT_ACTIVITY: &str = "Recent Activity";
    pub const REMOVE_DEVICE: &str = "Remove Device";
    pub const CURRENT: &str = "Current";
    pub const ONLINE: &str = "Online";
    pub const OFFLINE: &str = "Offline";
    pub const NO_DATA: &str = "No data";
    pub const REMOVE: &str = "Remove";
    pub const CONFIRM: &str = "Confirm";
    pub const CANCEL: &str = "Cancel";
    pub const RECENT_LOGINS: &str = "Recent Logins";
    pub const SECURITY_LOGS: &str = "Security Logs";
    pub const TRUSTED_DEVICES: &str = "Trusted Devices and IP Addresses";
    pub const SECURITY_SETTINGS: &str = "Security Settings";
    pub const CHANGE: &str = "Change";
    pub const GOOGLE_VERIFICATION: &str = "Google Verification";
    pub const ANTI_PHISHING: &str = "Anti-Phishing Code";
    pub const RESTRICT_LOGIN_IP: &str = "Restrict Login IP";
    /// What KuCoin shows in place of the Trusted Devices list while neither
    /// Google Verification nor SMS is on.
    pub const TRUSTED_NEEDS_2FA: &str = "Enable 2FA using Google Authenticator or SMS verification before managing devices.";
}

/// Column header keys, in the order the tables show them.
pub const COLUMN_KEYS: &[&str] = &[
    key::LOGIN_IP,
    key::LOGIN_DEVICE,
    key::TIME,
    key::STATUS,
    key::TYPE,
    key::TRUSTED_DEVICE,
    key::RECENT_ACTIVITY,
    key::REMOVE_DEVICE,
];
pub const STATUS_KEYS: &[&str] = &[key::CURRENT, key::ONLINE, key::OFFLINE];
/// What an empty list says: KuCoin's "No data", or, on KuCoin's older Ant
/// Design generation, Ant Design's own empty text in the page language
/// (`ant-empty-description`: its locale's `Empty.description`, or
/// `Table.emptyText`), which is often another wording ("データがありません",
/// "Trống", "Даних немає", "無此資料"): the "No data (Ant Design)" rows of
/// `data/extra-labels.tsv`. Not told apart: each one means the list is empty.
pub const NO_DATA_KEYS: &[&str] = &[key::NO_DATA, "No data (Ant Design)", "No data (Ant Design table)"];

pub struct Labels {
    /// UI languages in column order (`ar`, `bn`, … `zh_CN`).
    pub langs: Vec<&'static str>,
    /// (key, label per language in the order of `langs`), sorted by key.
    by_key: Vec<(&'static str, Vec<&'static str>)>,
    /// (normalised label, key, language index), sorted by label length, then
    /// label (most page texts are not labels: a length compare rejects them
    /// cheaply); equal labels keep table order. Sorted vectors instead of hash maps: the same
    /// O(log n) lookups without a hasher and map code in the wasm.
    by_text: Vec<(String, &'static str, usize)>,
}

impl Labels {
    const fn empty() -> Self {
        Labels { langs: Vec::new(), by_key: Vec::new(), by_text: Vec::new() }
    }

    fn row(&self, key: &str) -> Option<&[&'static str]> {
        let i = self.by_key.binary_search_by(|(k, _)| (*k).cmp(key)).ok()?;
        Some(&self.by_key[i].1)
    }

    /// (key, language index) of every label equal to `text` (normalised).
    fn hits<'a>(&'a self, norm: &'a str) -> impl Iterator<Item = (&'static str, usize)> + 'a {
        let from = self.by_text.partition_point(|(t, _, _)| (t.len(), t.as_str()) < (norm.len(), norm));
        self.by_text[from..].iter().take_while(move |(t, _, _)| t == norm).map(|(_, k, li)| (*k, *li))
    }
}

fn parse(into: &mut Labels, tsv: &'static str) {
    // `lines()` without its own iterator type: split at '\n', drop a '\r' before it.
    let mut lines = tsv.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut header: Vec<&'static str> = Vec::new();
    for h in lines.next().unwrap_or("").split('\t').skip(1) {
        header.push(h);
    }
    if into.langs.is_empty() {
        for &h in &header {
            into.langs.push(h);
        }
    }
    for line in lines {
        let mut cols = line.split('\t');
        let Some(k) = cols.next().filter(|k| !k.is_empty()) else { continue };
        let mut row = Vec::with_capacity(into.langs.len());
        for _ in 0..into.langs.len() {
            row.push("");
        }
        for (lang, v) in header.iter().zip(cols) {
            if let Some(li) = into.langs.iter().position(|l| l == lang) {
                row[li] = v;
                if !v.is_empty() {
                    into.by_text.push((normalize(v), k, li));
                }
            }
        }
        into.by_key.push((k, row));
    }
}

/// Sort both indexes once all tables are in (a later row of a key replaces
/// an earlier one, as a map insert would).
fn index(l: &mut Labels) {
    crate::util::sort_stable_by(&mut l.by_key, |a, b| a.0.cmp(b.0));
    // In place: the last row of each run of equal keys is kept.
    let v = &mut l.by_key;
    let mut kept = 0;
    for r in 0..v.len() {
        if kept > 0 && v[kept - 1].0 == v[r].0 {
            v.swap(kept - 1, r);
        } else {
            v.swap(kept, r);
            kept += 1;
        }
    }
    v.truncate(kept);
    crate::util::sort_stable_by(&mut l.by_text, |a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
}

pub fn labels() -> &'static Labels {
    static L: OnceLock<Labels> = OnceLock::new();
    static NONE: OnceLock<Labels> = OnceLock::new();
    if !installed() {
        // not cached: the tables may still arrive
        return NONE.get_or_init(Labels::empty);
    }
    L.get_or_init(|| {
        let mut l = Labels::empty();
        let (kucoin, extra) = tables();
        parse(&mut l, kucoin);
        parse(&mut l, extra);
        index(&mut l);
        l
    })
}

/// Lower-case, collapse white space, drop bidi / zero-width marks and a
/// trailing colon. Cheap enough to run on every text piece of a page.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if matches!(ch, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}') {
            continue;
        }
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        push_lower(&mut out, ch);
    }
    while out.ends_with(':') || out.ends_with('：') {
        out.pop();
        while out.ends_with(' ') {
            out.pop();
        }
    }
    // Ant Design's buttons space out a label of exactly two Chinese characters
    // ("确 定", "移 除", "確 認": its `autoInsertSpaceInButton`): the label.
    // (Rebuilt, not `String::remove`: its char-boundary panic brings std's
    // Debug formatting of chars, ~4 KB of wasm.)
    if out.len() == 7 && out.as_bytes()[3] == b' ' && out.chars().all(|c| c == ' ' || ('\u{4e00}'..='\u{9fa5}').contains(&c)) {
        let mut joined = String::with_capacity(6);
        for c in out.chars() {
            if c != ' ' {
                joined.push(c);
            }
        }
        return joined;
    }
    out
}

/// `char::to_lowercase` as runs `(first, count, delta, stride)`: `count` code
/// points from `first`, every `stride`-th, map to themselves + `delta`.
/// Generated from the standard library's own mapping; the test
/// `lowercase_runs_are_std` checks every code point and prints a new table if
/// a Rust update changes Unicode. ~2 KB in the wasm instead of std's ~11 KB.
#[rustfmt::skip]
const LOWER_RUNS: &[(u32, u8, i32, u8)] = &[
    (0x41, 26, 32, 1), (0xc0, 23, 32, 1), (0xd8, 7, 32, 1), (0x100, 24, 1, 2),
    (0x132, 3, 1, 2), (0x139, 8, 1, 2), (0x14a, 23, 1, 2), (0x178, 1, -121, 1),
    (0x179, 3, 1, 2), (0x181, 1, 210, 1), (0x182, 2, 1, 2), (0x186, 1, 206, 1),
    (0x187, 1, 1, 1), (0x189, 2, 205, 1), (0x18b, 1, 1, 1), (0x18e, 1, 79, 1),
    (0x18f, 1, 202, 1), (0x190, 1, 203, 1), (0x191, 1, 1, 1), (0x193, 1, 205, 1),
    (0x194, 1, 207, 1), (0x196, 1, 211, 1), (0x197, 1, 209, 1), (0x198, 1, 1, 1),
    (0x19c, 1, 211, 1), (0x19d, 1, 213, 1), (0x19f, 1, 214, 1), (0x1a0, 3, 1, 2),
    (0x1a6, 1, 218, 1), (0x1a7, 1, 1, 1), (0x1a9, 1, 218, 1), (0x1ac, 1, 1, 1),
    (0x1ae, 1, 218, 1), (0x1af, 1, 1, 1), (0x1b1, 2, 217, 1), (0x1b3, 2, 1, 2),
    (0x1b7, 1, 219, 1), (0x1b8, 1, 1, 1), (0x1bc, 1, 1, 1), (0x1c4, 1, 2, 1),
    (0x1c5, 1, 1, 1), (0x1c7, 1, 2, 1), (0x1c8, 1, 1, 1), (0x1ca, 1, 2, 1),
    (0x1cb, 9, 1, 2), (0x1de, 9, 1, 2), (0x1f1, 1, 2, 1), (0x1f2, 2, 1, 2),
    (0x1f6, 1, -97, 1), (0x1f7, 1, -56, 1), (0x1f8, 20, 1, 2), (0x220, 1, -130, 1),
    (0x222, 9, 1, 2), (0x23a, 1, 10795, 1), (0x23b, 1, 1, 1), (0x23d, 1, -163, 1),
    (0x23e, 1, 10792, 1), (0x241, 1, 1, 1), (0x243, 1, -195, 1), (0x244, 1, 69, 1),
    (0x245, 1, 71, 1), (0x246, 5, 1, 2), (0x370, 2, 1, 2), (0x376, 1, 1, 1),
    (0x37f, 1, 116, 1), (0x386, 1, 38, 1), (0x388, 3, 37, 1), (0x38c, 1, 64, 1),
    (0x38e, 2, 63, 1), (0x391, 17, 32, 1), (0x3a3, 9, 32, 1), (0x3cf, 1, 8, 1),
    (0x3d8, 12, 1, 2), (0x3f4, 1, -60, 1), (0x3f7, 1, 1, 1), (0x3f9, 1, -7, 1),
    (0x3fa, 1, 1, 1), (0x3fd, 3, -130, 1), (0x400, 16, 80, 1), (0x410, 32, 32, 1),
    (0x460, 17, 1, 2), (0x48a, 27, 1, 2), (0x4c0, 1, 15, 1), (0x4c1, 7, 1, 2),
    (0x4d0, 48, 1, 2), (0x531, 38, 48, 1), (0x10a0, 38, 7264, 1), (0x10c7, 1, 7264, 1),
    (0x10cd, 1, 7264, 1), (0x13a0, 80, 38864, 1), (0x13f0, 6, 8, 1), (0x1c89, 1, 1, 1),
    (0x1c90, 43, -3008, 1), (0x1cbd, 3, -3008, 1), (0x1e00, 75, 1, 2), (0x1e9e, 1, -7615, 1),
    (0x1ea0, 48, 1, 2), (0x1f08, 8, -8, 1), (0x1f18, 6, -8, 1), (0x1f28, 8, -8, 1),
    (0x1f38, 8, -8, 1), (0x1f48, 6, -8, 1), (0x1f59, 4, -8, 2), (0x1f68, 8, -8, 1),
    (0x1f88, 8, -8, 1), (0x1f98, 8, -8, 1), (0x1fa8, 8, -8, 1), (0x1fb8, 2, -8, 1),
    (0x1fba, 2, -74, 1), (0x1fbc, 1, -9, 1), (0x1fc8, 4, -86, 1), (0x1fcc, 1, -9, 1),
    (0x1fd8, 2, -8, 1), (0x1fda, 2, -100, 1), (0x1fe8, 2, -8, 1), (0x1fea, 2, -112, 1),
    (0x1fec, 1, -7, 1), (0x1ff8, 2, -128, 1), (0x1ffa, 2, -126, 1), (0x1ffc, 1, -9, 1),
    (0x2126, 1, -7517, 1), (0x212a, 1, -8383, 1), (0x212b, 1, -8262, 1), (0x2132, 1, 28, 1),
    (0x2160, 16, 16, 1), (0x2183, 1, 1, 1), (0x24b6, 26, 26, 1), (0x2c00, 48, 48, 1),
    (0x2c60, 1, 1, 1), (0x2c62, 1, -10743, 1), (0x2c63, 1, -3814, 1), (0x2c64, 1, -10727, 1),
    (0x2c67, 3, 1, 2), (0x2c6d, 1, -10780, 1), (0x2c6e, 1, -10749, 1), (0x2c6f, 1, -10783, 1),
    (0x2c70, 1, -10782, 1), (0x2c72, 1, 1, 1), (0x2c75, 1, 1, 1), (0x2c7e, 2, -10815, 1),
    (0x2c80, 50, 1, 2), (0x2ceb, 2, 1, 2), (0x2cf2, 1, 1, 1), (0xa640, 23, 1, 2),
    (0xa680, 14, 1, 2), (0xa722, 7, 1, 2), (0xa732, 31, 1, 2), (0xa779, 2, 1, 2),
    (0xa77d, 1, -35332, 1), (0xa77e, 5, 1, 2), (0xa78b, 1, 1, 1), (0xa78d, 1, -42280, 1),
    (0xa790, 2, 1, 2), (0xa796, 10, 1, 2), (0xa7aa, 1, -42308, 1), (0xa7ab, 1, -42319, 1),
    (0xa7ac, 1, -42315, 1), (0xa7ad, 1, -42305, 1), (0xa7ae, 1, -42308, 1), (0xa7b0, 1, -42258, 1),
    (0xa7b1, 1, -42282, 1), (0xa7b2, 1, -42261, 1), (0xa7b3, 1, 928, 1), (0xa7b4, 8, 1, 2),
    (0xa7c4, 1, -48, 1), (0xa7c5, 1, -42307, 1), (0xa7c6, 1, -35384, 1), (0xa7c7, 2, 1, 2),
    (0xa7cb, 1, -42343, 1), (0xa7cc, 8, 1, 2), (0xa7dc, 1, -42561, 1), (0xa7f5, 1, 1, 1),
    (0xff21, 26, 32, 1), (0x10400, 40, 40, 1), (0x104b0, 36, 40, 1), (0x10570, 11, 39, 1),
    (0x1057c, 15, 39, 1), (0x1058c, 7, 39, 1), (0x10594, 2, 39, 1), (0x10c80, 51, 64, 1),
    (0x10d50, 22, 32, 1), (0x118a0, 32, 32, 1), (0x16e40, 32, 32, 1), (0x16ea0, 25, 27, 1),
    (0x1e900, 34, 34, 1),
];

/// Push `ch.to_lowercase()` (same result for every `char`).
fn push_lower(out: &mut String, ch: char) {
    let c = ch as u32;
    if c < 0x80 {
        out.push(ch.to_ascii_lowercase());
        return;
    }
    if c == 0x130 {
        // the one code point that lower-cases to two: İ → i̇
        out.push('i');
        out.push('\u{307}');
        return;
    }
    let i = LOWER_RUNS.partition_point(|r| r.0 <= c);
    if let Some(&(first, count, delta, stride)) = i.checked_sub(1).map(|i| &LOWER_RUNS[i]) {
        let off = c - first;
        if off % stride as u32 == 0 && off / (stride as u32) < count as u32 {
            if let Some(l) = char::from_u32(c.wrapping_add_signed(delta)) {
                out.push(l);
                return;
            }
        }
    }
    out.push(ch);
}

/// Map a page's language hint (URL prefix, `<html lang>`) to a KuCoin UI
/// language code, or `None` when we cannot tell.
pub fn ui_lang(hint: &str) -> Option<&'static str> {
    let h = swap_char(hint.trim(), '-', '_').to_ascii_lowercase();
    if h.is_empty() {
        return None;
    }
    let langs = &labels().langs;
    if let Some(l) = langs.iter().find(|l| swap_char(l, '-', '_').to_ascii_lowercase() == h) {
        return Some(l);
    }
    let find = |name: &str| -> Option<&'static str> {
        for &l in langs {
            if l == name {
                return Some(l);
            }
        }
        None
    };
    find(match h.as_str() {
        "zh_tw" | "zh_hk" | "zh_mo" | "zh_hant" | "zh_hant_tw" | "zh_hant_hk" => "zh-hant",
        "zh" | "zh_hans" | "zh_cn" | "zh_sg" | "zh_hans_cn" => "zh_CN",
        "tl" => "fil",
        _ => h.split('_').next().unwrap_or(""),
    })
}

/// The label of `key` in UI language `lang` (falls back to English).
pub fn label(key: &str, lang: &str) -> Option<&'static str> {
    let l = labels();
    let row = l.row(key)?;
    let li = l.langs.iter().position(|x| *x == lang);
    let en = l.langs.iter().position(|x| *x == "en");
    li.and_then(|i| row.get(i).copied().filter(|s| !s.is_empty()))
        .or_else(|| en.and_then(|i| row.get(i).copied()))
}

/// The languages (bit i: `labels().langs[i]`) in which `text` is one of `candidates`.
pub fn langs_of(text: &str, candidates: &[&str]) -> u32 {
    if text.len() > 200 {
        return 0;
    }
    let norm = normalize(text);
    let mut m = 0;
    for (k, i) in labels().hits(&norm) {
        if i < 32 && candidates.contains(&k) {
            m |= 1 << i;
        }
    }
    m
}

/// Which of `candidates` does `text` name?
///
/// With a known page language, that language's labels decide (in Russian
/// "Онлайн" is *Current* while in Ukrainian it may be *Online*). Without one,
/// or when the page language has no match, any language may match, but only
/// if every language that knows the text agrees on one key.
pub fn match_key(text: &str, lang: Option<&str>, candidates: &[&'static str]) -> Option<&'static str> {
    if text.len() > 200 {
        return None;
    }
    let l = labels();
    let norm = normalize(text);
    // The first hit, and whether every hit agrees with it: overall and in `lang`.
    let li = lang.and_then(|lang| l.langs.iter().position(|x| *x == lang));
    let (mut first, mut agree) = (None, true);
    let (mut mine, mut mine_agree) = (None, true);
    for (k, i) in l.hits(&norm) {
        if !candidates.contains(&k) {
            continue;
        }
        match first {
            None => first = Some(k),
            Some(f) => agree &= f == k,
        }
        if Some(i) == li {
            match mine {
                None => mine = Some(k),
                Some(m) => mine_agree &= m == k,
            }
        }
    }
    if mine.is_some() {
        return mine.filter(|_| mine_agree);
    }
    first.filter(|_| agree)
}

/// Is `text` exactly (after normalisation) the label of one of `keys`, in
/// any language? Unlike `match_key` this does not need the keys to be told
/// apart: several of them may share one translation ("Log out of all
/// devices" / "Log out all devices").
pub fn is_label(text: &str, keys: &[&str]) -> bool {
    if text.len() > 400 {
        return false;
    }
    labels().hits(&normalize(text)).any(|(k, _)| keys.contains(&k))
}

/// Does `text` contain the label of `key` in any language? (For dialog texts
/// that carry more words around the label.)
pub fn contains_label(text: &str, key: &str) -> bool {
    let l = labels();
    let Some(row) = l.row(key) else { return false };
    let t = normalize(text);
    row.iter().filter(|s| !s.is_empty()).any(|s| has(&t, &normalize(s)))
}

/// Does `text` start with the label, in any language, of one of `candidates`,
/// the label ending at a word's end ("Create API (Read, Trade)", "Create API
/// Key: bot"; a label in a script without spaces may end anywhere)? Each
/// prefix is looked up in the sorted label index: no label is normalised again.
pub fn starts_with_key(text: &str, candidates: &[&str]) -> bool {
    if text.len() > 400 {
        return false;
    }
    let l = labels();
    let n = normalize(text);
    let b = n.as_bytes();
    // (Plain loop over byte offsets: no iterator adaptors' code in the wasm.)
    for e in 1..=b.len() {
        if !n.is_char_boundary(e) || (e < b.len() && b[e].is_ascii_alphanumeric() && b[..e].is_ascii()) {
            continue;
        }
        for (k, _) in l.hits(crate::util::str_to(&n, e)) {
            if candidates.contains(&k) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A later row of a key replaces an earlier one, as a map insert would.
    #[test]
    fn index_keeps_the_last_row_of_a_key() {
        let mut l = Labels::empty();
        for (k, v) in [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4"), ("a", "5"), ("a", "6"), ("d", "7")] {
            l.by_key.push((k, vec![v]));
        }
        index(&mut l);
        let got: Vec<(&str, &str)> = l.by_key.iter().map(|(k, r)| (*k, r[0])).collect();
        assert_eq!(got, [("a", "6"), ("b", "3"), ("c", "4"), ("d", "7")]);
    }

    /// The previous `match_key` (collecting the hits), kept as the reference for the loop version.
    fn match_key_reference(text: &str, lang: Option<&str>, candidates: &[&'static str]) -> Option<&'static str> {
        if text.len() > 200 {
            return None;
        }
        let l = labels();
        let norm = normalize(text);
        let hits: Vec<(&'static str, usize)> = l.hits(&norm).filter(|(k, _)| candidates.contains(k)).collect();
        if let Some(lang) = lang {
            if let Some(li) = l.langs.iter().position(|x| *x == lang) {
                let mine: Vec<&'static str> = hits.iter().filter(|(_, i)| *i == li).map(|(k, _)| *k).collect();
                if let Some(first) = mine.first() {
                    return if mine.iter().all(|k| k == first) { Some(first) } else { None };
                }
            }
        }
        let first = hits.first()?.0;
        if hits.iter().all(|(k, _)| *k == first) {
            Some(first)
        } else {
            None
        }
    }

    /// Every label of every language, with several candidate sets and page languages.
    #[test]
    fn match_key_same_as_reference() {
        let l = labels();
        let all: Vec<&'static str> = l.by_key.iter().map(|(k, _)| *k).collect();
        let sets: Vec<Vec<&'static str>> = vec![
            COLUMN_KEYS.to_vec(),
            STATUS_KEYS.to_vec(),
            vec![key::CURRENT],
            vec![key::ONLINE, key::CURRENT],
            all.clone(),
        ];
        let mut langs: Vec<Option<&str>> = vec![None, Some("xx")];
        langs.extend(l.langs.iter().map(|x| Some(*x)));
        let mut n = 0;
        for (_, row) in &l.by_key {
            for text in row.iter().filter(|t| !t.is_empty()) {
                for set in &sets {
                    for lang in &langs {
                        assert_eq!(match_key(text, *lang, set), match_key_reference(text, *lang, set), "{text:?} {lang:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 10_000, "{n}");
    }

    #[test]
    fn tsv_loads_all_languages() {
        let l = labels();
        assert_eq!(l.langs.len(), 24, "{:?}", l.langs);
        assert!(l.langs.contains(&"zh_CN") && l.langs.contains(&"ar"));
        for k in COLUMN_KEYS.iter().chain(STATUS_KEYS) {
            for lang in &l.langs {
                assert!(label(k, lang).is_some_and(|s| !s.is_empty()), "{k} in {lang}");
            }
        }
    }

    #[test]
    fn russian_current_trap() {
        assert_eq!(match_key("Онлайн", Some("ru"), STATUS_KEYS), Some(key::CURRENT));
        assert_eq!(match_key("В сети", Some("ru"), STATUS_KEYS), Some(key::ONLINE));
        assert_eq!(match_key("Current", Some("en"), STATUS_KEYS), Some(key::CURRENT));
        // page in Russian but English word shown: fall back to all languages
        assert_eq!(match_key("Offline", Some("ru"), STATUS_KEYS), Some(key::OFFLINE));
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("  Login\u{a0}IP : "), "login ip");
        assert_eq!(normalize("\u{200f}Status"), "status");
        assert_eq!(match_key("Login Apparaat:", Some("nl"), COLUMN_KEYS), Some(key::LOGIN_DEVICE));
        assert_eq!(match_key("LOGIN IP", None, COLUMN_KEYS), Some(key::LOGIN_IP));
        assert_eq!(match_key("Current Chrome", Some("en"), STATUS_KEYS), None);
    }

    #[test]
    fn lowercase_runs_are_std() {
        let mut bad = Vec::new();
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            let mut a = String::new();
            push_lower(&mut a, c);
            if a != c.to_lowercase().collect::<String>() {
                bad.push(c);
            }
        }
        if !bad.is_empty() {
            // Print the table for this Rust's Unicode version.
            let mut entries: Vec<(u32, i64)> = Vec::new();
            for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
                let l: Vec<char> = c.to_lowercase().collect();
                if l.len() == 1 && l[0] != c {
                    entries.push((c as u32, l[0] as i64 - c as i64));
                }
            }
            let mut out = String::new();
            let mut i = 0;
            while i < entries.len() {
                let (s, d) = entries[i];
                let mut best = (1u32, 1u32);
                for stride in [1u32, 2] {
                    let mut n = 1;
                    while i + (n as usize) < entries.len() && n < 255 && entries[i + n as usize] == (s + n * stride, d) {
                        n += 1;
                    }
                    if n > best.0 {
                        best = (n, stride);
                    }
                }
                out.push_str(&format!("(0x{s:x}, {}, {d}, {}), ", best.0, best.1));
                i += best.0 as usize;
            }
            panic!("{} code points differ from std (first {:?}); LOWER_RUNS for this Rust:\n{out}", bad.len(), bad[0]);
        }
    }

    #[test]
    fn extra_labels_cover_every_language() {
        let l = labels();
        let extra: Vec<&str> = EXTRA_TSV.lines().skip(1).filter_map(|line| line.split('\t').next()).filter(|k| !k.is_empty()).collect();
        assert!(extra.len() >= 8, "{extra:?}");
        for k in &extra {
            let row = l.row(k).unwrap();
            for (i, lang) in l.langs.iter().enumerate() {
                assert!(!row[i].is_empty(), "extra label \"{k}\" has no {lang} translation");
                assert!(is_label(row[i], &[k]), "{k} in {lang}");
            }
        }
        assert!(is_label("  LOG OUT ALL DEVICES ", &["Log out all devices"]));
        assert!(is_label("Выйти на всех устройствах", &["Log out all devices", "Sign out of all devices"]));
        assert!(!is_label("Log out all devices now", &["Log out all devices"]));
    }

    #[test]
    fn ui_lang_hints() {
        assert_eq!(ui_lang("zh-CN"), Some("zh_CN"));
        assert_eq!(ui_lang("zh_CN"), Some("zh_CN"));
        assert_eq!(ui_lang("zh-TW"), Some("zh-hant"));
        assert_eq!(ui_lang("zh-hant"), Some("zh-hant"));
        assert_eq!(ui_lang("pt-BR"), Some("pt"));
        assert_eq!(ui_lang("en-US"), Some("en"));
        assert_eq!(ui_lang("vi"), Some("vi"));
        assert_eq!(ui_lang("xx"), None);
        assert_eq!(ui_lang(""), None);
    }

    #[test]
    fn every_language_reads_its_own_headers() {
        let l = labels();
        for lang in &l.langs {
            for k in COLUMN_KEYS {
                let text = label(k, lang).unwrap();
                let got = match_key(text, Some(lang), COLUMN_KEYS);
                // Some languages use one word for two columns (e.g. "Login IP"
                // equals "Login Device"?) — then the match must be None, never wrong.
                assert!(got.is_none() || got == Some(k) || label(got.unwrap(), lang) == Some(text), "{lang}: {text}");
            }
        }
    }
}
