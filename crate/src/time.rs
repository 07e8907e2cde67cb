//! Date-times as KuCoin renders them in its security tables.
//!
//! KuCoin formats with `Intl.DateTimeFormat(locale, {year, month, day, hour, minute, second: 'numeric',
//! hourCycle: 'h23'})` in the browser's time zone. The parser is layout-driven rather than one
//! template per locale: the text is split into six numbers (any script's decimal digits) and the
//! seven gaps around them, the four-digit number locates the date, and each gap is checked against
//! the separators and words the 24 locales produce (see `tests/data/time_locales.tsv`, generated
//! from Node's ICU). 12-hour forms (AM/PM markers of these locales) and the `h24` cycle
//! ("24:05:09" = 00:05:09 of the same day) are accepted because some browsers ignore `hourCycle`.

use crate::json::Json;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    Unrecognised(String),
    Ambiguous(String),
    OutOfRange(String),
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => f.write_str("the date-time text is empty"),
            TimeError::Unrecognised(s) => write!(f, "unrecognised date-time: {s}"),
            TimeError::Ambiguous(s) => write!(f, "ambiguous date: {s}"),
            TimeError::OutOfRange(s) => write!(f, "date-time value out of range: {s}"),
        }
    }
}

impl std::error::Error for TimeError {}

/// KuCoin UI language → Intl locale, as "lang locale" pairs in one string. `zh-hant` / `zh_CN` are handled in [`locale_for_lang`].
const LOCALES: &str = "ar ar-AE bn bn-BD de de-DE en en-US es es-ES fil fil-PH fr fr-FR hi hi-IN id id-ID it it-IT ja ja-JP ko ko-KR ms ms-MY nl nl-NL pl pl-PL pt pt-BR ru ru-RU th th-TH tr tr-TR uk uk-UA ur ur-PK vi vi-VN";

/// Map a KuCoin UI language code (or a page `lang` such as "zh-CN", "ar-AE", "en_US") to the Intl
/// locale KuCoin formats with. Matching is on the primary subtag, case-insensitive, `_` = `-`;
/// Chinese is `zh-HK` when a `hant`/`tw`/`hk`/`mo` subtag is present, else `zh-CN`; `tl` = `fil`.
pub fn locale_for_lang(lang: &str) -> Option<&'static str> {
    let lang = lang.trim();
    if lang.len() > 64 {
        return None;
    }
    let norm = crate::util::swap_char(&lang.to_ascii_lowercase(), '_', '-');
    let mut parts = norm.split('-');
    let primary = parts.next().unwrap_or("");
    if primary == "zh" {
        let hant = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
        return Some(if hant { "zh-HK" } else { "zh-CN" });
    }
    let primary = if primary == "tl" { "fil" } else { primary };
    // LOCALES is "lang locale lang locale ...".
    let mut words = LOCALES.split(' ');
    while let (Some(l), Some(loc)) = (words.next(), words.next()) {
        if l == primary {
            return Some(loc);
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Order {
    Dmy,
    Mdy,
    Ymd,
}

fn order_of(locale: &str) -> Order {
    match locale {
        "en-US" | "fil-PH" => Order::Mdy,
        "ja-JP" | "ko-KR" | "zh-CN" => Order::Ymd,
        _ => Order::Dmy,
    }
}

/// Format characters that carry no content: zero-width chars, bidi marks/embeddings/isolates,
/// Arabic letter mark, BOM, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

/// Value of a decimal digit in the scripts a browser may use (Latin, Arabic-Indic, Extended
/// Arabic-Indic, Devanagari, Bengali, other Indic, Thai, Lao, Tibetan, Myanmar, Khmer, full-width).
fn digit_value(c: char) -> Option<u32> {
    const ZEROS: [u32; 19] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xE50, 0xED0, 0xF20, 0x1040, 0x17E0, 0xFF10,
    ];
    let n = c as u32;
    ZEROS.iter().find(|&&z| n >= z && n - z < 10).map(|z| n - z)
}

/// Full-width ASCII variants (U+FF01..U+FF5E) → ASCII.
fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[derive(Default)]
struct Gap {
    letters: String,
    punct: String,
}

impl Gap {
    fn is_empty(&self) -> bool {
        self.letters.is_empty() && self.punct.is_empty()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// Day-period markers (letters only, lower-cased: "a. m." → "am") of the 24 locales, current and
/// older CLDR versions.
fn meridiem(s: &str) -> Option<Meridiem> {
    const AM: &str = "am 午前 上午 오전 ص pg sa öö дп ก่อนเที่ยง পূর্বাহ্ণ पूर्वाह्न قبلدوپہر vorm";
    const PM: &str = "pm 午後 下午 오후 م ptg ch ös пп หลังเที่ยง অপরাহ্ণ अपराह्न بعددوپہر دوپہربعد nachm";
    // Space-separated lists (no table of pointers in the wasm).
    if crate::util::in_words(AM, s) {
        Some(Meridiem::Am)
    } else if crate::util::in_words(PM, s) {
        Some(Meridiem::Pm)
    } else {
        None
    }
}

/// Letters of a gap that may hold a marker, after an optional literal prefix.
/// `Ok(None)`: nothing; `Ok(Some)`: a marker; `Err`: unexpected words.
fn marker_slot(letters: &str, prefixes: &[&str]) -> Result<Option<Meridiem>, ()> {
    let rest = prefixes
        .iter()
        .find_map(|p| letters.strip_prefix(p))
        .unwrap_or(letters);
    if rest.is_empty() {
        Ok(None)
    } else {
        meridiem(rest).map(Some).ok_or(())
    }
}

fn date_seps(a: &Gap, b: &Gap, year_first: bool) -> Option<char> {
    if a.letters.is_empty() && b.letters.is_empty() {
        match a.punct.as_str() {
            "/" | "-" | "." if a.punct == b.punct => a.punct.chars().next(),
            _ => None,
        }
    } else {
        let cjk = year_first
            && a.punct.is_empty()
            && b.punct.is_empty()
            && matches!(a.letters.as_str(), "年" | "년")
            && matches!(b.letters.as_str(), "月" | "월");
        cjk.then_some('年')
    }
}

fn time_seps(a: &Gap, b: &Gap) -> bool {
    if a.letters.is_empty() && b.letters.is_empty() {
        matches!(a.punct.as_str(), ":" | ".") && a.punct == b.punct
    } else {
        a.punct.is_empty()
            && b.punct.is_empty()
            && matches!(a.letters.as_str(), "시" | "時" | "时" | "点" | "點")
            && matches!(b.letters.as_str(), "분" | "分")
    }
}

fn clip(s: &str) -> String {
    format!("\"{}\"", crate::extract::clip_to(s, 48))
}

/// Lower-case the letters that occur in day-period markers (ASCII, Turkish Ö, Cyrillic) without
/// pulling in Unicode case tables.
fn lower(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'Ö' => 'ö',
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        _ => c,
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_date(y: i64, m: u32, d: u32) -> bool {
    d >= 1 && d <= days_in_month(y, m)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const MAX_CHARS: usize = 160;
const MAX_OFFSET_MINUTES: i32 = 18 * 60;

/// Parse a date-time as KuCoin renders it and return Unix milliseconds (UTC).
///
/// Accepts the `Intl.DateTimeFormat` output of the 24 KuCoin locales (any hour cycle, native digits),
/// the mobile layout `YYYY/MM/DD HH:mm:ss` and ISO `YYYY-MM-DD[ T]HH:mm:ss` (optional `Z` = UTC).
/// Year-last dates follow the locale's day/month order when `lang` is known; otherwise they are
/// `Ambiguous` unless only one reading is a valid date. Thai (and unknown-language) years ≥ 2400
/// are Buddhist Era (CE + 543). Years must be 1900–2399 (CE) and four digits.
/// The local time is converted to UTC with the offset `zone` had at that instant ([`Zone::utc_of_local`]).
pub fn parse_datetime(text: &str, lang: &str, zone: &Zone) -> Result<i64, TimeError> {
    let t = crate::util::trim_with(text, |c| c.is_whitespace() || is_invisible(c));
    if t.is_empty() {
        return Err(TimeError::Empty);
    }
    let unrec = |why: &str| TimeError::Unrecognised(format!("{} ({why})", clip(t)));
    if t.chars().nth(MAX_CHARS).is_some() {
        return Err(unrec("too long"));
    }

    // Tokenise: up to 6 numbers, 7 gaps (letters lower-cased, punctuation kept, spaces dropped).
    // Fixed arrays and counts (`nn` numbers, `ng` gaps started): a number can
    // only end 6 times, so there are never more than 7 gaps.
    let mut nums = [(0u32, 0usize); 6];
    let mut gaps: [Gap; 7] = Default::default();
    let (mut nn, mut ng) = (0, 1);
    let mut in_num = false;
    for c in t.chars().filter(|&c| !is_invisible(c)).map(fold_fullwidth) {
        if let Some(d) = digit_value(c) {
            if !in_num {
                if nn == 6 {
                    return Err(unrec("more than six numbers"));
                }
                nn += 1;
                in_num = true;
            }
            let n = &mut nums[nn - 1];
            n.0 = n.0.saturating_mul(10).saturating_add(d);
            n.1 += 1;
        } else {
            if in_num {
                ng += 1;
                in_num = false;
            }
            let g = &mut gaps[ng - 1];
            if c.is_whitespace() {
                continue;
            }
            if c.is_ascii_punctuation() || matches!(c, '،' | '、' | '，') {
                g.punct.push(c);
            } else {
                g.letters.push(lower(c));
            }
        }
    }
    if in_num {
        ng += 1;
    }
    if nn != 6 || ng != 7 {
        return Err(unrec("expected a date and a time with seconds"));
    }

    // Locate the four-digit year; every other field has one or two digits.
    let (mut long, mut at) = (0, 0);
    for (i, n) in nums.iter().enumerate() {
        if n.1 > 2 {
            long += 1;
            at = i;
        }
    }
    let year_at = match long {
        0 => return Err(unrec("two-digit years are not supported")),
        1 if nums[at].1 == 4 && matches!(at, 0 | 2 | 3 | 5) => at,
        _ => return Err(unrec("unexpected number of digits")),
    };
    let date_first = year_at <= 2;
    let (dn, tn) = if date_first { (0, 3) } else { (3, 0) };
    let year_first = year_at == dn;

    // Separators.
    let (dg, tg) = if date_first { (1, 4) } else { (4, 1) };
    let Some(dsep) = date_seps(&gaps[dg], &gaps[dg + 1], year_first) else {
        return Err(unrec("unexpected date separators"));
    };
    if !time_seps(&gaps[tg], &gaps[tg + 1]) {
        return Err(unrec("unexpected time separators"));
    }
    let mid = &gaps[3];
    let mid_punct_ok = crate::util::char_count(&mid.punct) <= 2
        && mid
            .punct
            .chars()
            .all(|c| matches!(c, ',' | '،' | '.' | '、' | '，'));
    if !gaps[0].is_empty() || !mid_punct_ok {
        return Err(unrec("unexpected text between fields"));
    }
    let iso = year_first && dsep == '-';
    let mut utc_given = false;
    let marker = if date_first {
        let before = marker_slot(&mid.letters, &["日", "일", "г", "t"]);
        let suffix = &gaps[6];
        // Dots only as part of a marker ("p.m.", "nachm.").
        let dots_ok = suffix.punct.chars().all(|c| c == '.');
        let after = if !dots_ok || (!suffix.punct.is_empty() && suffix.letters.is_empty()) {
            Err(())
        } else if iso && suffix.letters == "z" {
            utc_given = true;
            Ok(None)
        } else {
            marker_slot(&suffix.letters, &["초", "秒"])
        };
        match (before, after) {
            (Ok(Some(_)), Ok(Some(_))) | (Err(()), _) | (_, Err(())) => None,
            (Ok(a), Ok(b)) => Some(a.or(b)),
        }
    } else if gaps[6].is_empty() && !crate::util::has(&mid.punct, ".") {
        marker_slot(&mid.letters, &[]).ok()
    } else {
        None
    };
    let Some(marker) = marker else {
        return Err(unrec("unexpected words"));
    };

    // Year (Buddhist Era for Thai / unknown language), then day and month.
    let locale = locale_for_lang(lang);
    let mut year = i64::from(nums[year_at].0);
    if year >= 2400 && matches!(locale, None | Some("th-TH")) {
        year -= 543;
    }
    if !(1900..=2399).contains(&year) {
        return Err(TimeError::OutOfRange(format!(
            "{}: year {} is outside 1900–2399",
            clip(t),
            nums[year_at].0
        )));
    }
    let (a, b) = if year_first {
        (nums[dn + 1].0, nums[dn + 2].0)
    } else {
        (nums[dn].0, nums[dn + 1].0)
    };
    let order = match (year_first, locale.map(order_of)) {
        (true, _) => Order::Ymd,
        (false, Some(o @ (Order::Dmy | Order::Mdy))) => o,
        (false, _) => {
            match (valid_date(year, b, a), valid_date(year, a, b)) {
                (true, true) if a != b => {
                    return Err(TimeError::Ambiguous(format!(
                        "{}: day {a} month {b} or month {a} day {b}; the page language decides",
                        clip(t)
                    )))
                }
                (true, _) => Order::Dmy,
                (false, true) => Order::Mdy,
                (false, false) => Order::Dmy, // reported below
            }
        }
    };
    let (month, day) = if order == Order::Dmy { (b, a) } else { (a, b) };
    if !valid_date(year, month, day) {
        let what = if (1..=12).contains(&month) {
            format!("month {month} of {year} has no day {day}")
        } else {
            format!("there is no month {month}")
        };
        let how = match (year_first, locale) {
            (false, Some(loc)) if order == Order::Mdy => format!(" ({loc} reads month/day/year)"),
            (false, Some(loc)) if order == Order::Dmy => format!(" ({loc} reads day/month/year)"),
            _ => String::new(),
        };
        return Err(TimeError::OutOfRange(format!("{}: {what}{how}", clip(t))));
    }

    // Time of day.
    let (mut hour, minute, second) = (nums[tn].0, nums[tn + 1].0, nums[tn + 2].0);
    let mut extra_day = 0;
    let bad_time = || TimeError::OutOfRange(format!("{}: invalid time of day", clip(t)));
    if minute > 59 || second > 59 {
        return Err(bad_time());
    }
    match marker {
        Some(m) if hour <= 12 => hour = hour % 12 + if m == Meridiem::Pm { 12 } else { 0 },
        Some(_) => return Err(bad_time()),
        None if hour < 24 => {}
        // ISO 8601: 24:00:00 is the end of the day.
        None if iso && hour == 24 && minute == 0 && second == 0 => {
            hour = 0;
            extra_day = 1;
        }
        // Intl hourCycle h24 (1–24): "24:05:09" is 00:05:09 of the same date.
        None if !iso && hour == 24 => hour = 0,
        None => return Err(bad_time()),
    }
    let now = zone.now;
    if !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&now) {
        return Err(TimeError::OutOfRange(format!("UTC offset {now} minutes")));
    }
    let days = days_from_civil(year, month, day) + extra_day;
    let local_ms = (days * 86_400 + i64::from(hour * 3600 + minute * 60 + second)) * 1000;
    Ok(if utc_given { local_ms } else { zone.utc_of_local(local_ms) })
}

/// Most entries a zone's offset history may have (the content script
/// sends one per `ZONE_STEPS` step plus the start: keep `ZONE_STEPS` + 1 at
/// most this, `static.test.mjs` compares them).
pub const MAX_ZONE_ENTRIES: usize = 40;
/// Latest UTC minute a zone entry may name (≈ year 2480).
const MAX_ZONE_MINUTE: i64 = 1 << 28;
const MINUTE_MS: i64 = 60_000;

/// The browser's time zone without tz data: the offset now and, when the
/// content script sent a sane one, its offset history (DST changes):
/// `(utc_minute, offset)` pairs, each offset (local − UTC, minutes) in effect
/// from its UTC minute (since the epoch) on, the first pair the start of the
/// sampled window (~2 years back). The history is hostile input like the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Offset now (local − UTC, minutes).
    pub now: i32,
    changes: Vec<(i64, i32)>,
}

impl Zone {
    /// One offset at every instant.
    pub fn fixed(offset: i32) -> Zone {
        Zone { now: offset, changes: Vec::new() }
    }
    /// `now` with the history `changes`, which is used only when it is sane:
    /// at most `MAX_ZONE_ENTRIES`, strictly increasing minutes in
    /// 0..=2^28, offsets within ±18 h, and ending in `now`. Otherwise
    /// [`Zone::fixed`] (`now` everywhere, as before there were histories).
    pub fn new(now: i32, changes: Vec<(i64, i32)>) -> Zone {
        let offset_ok = |o: i32| (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&o);
        let sane = changes.len() <= MAX_ZONE_ENTRIES
            && changes.last().is_some_and(|l| l.1 == now)
            && changes.iter().all(|&(t, o)| (0..=MAX_ZONE_MINUTE).contains(&t) && offset_ok(o))
            && changes.windows(2).all(|w| w[0].0 < w[1].0);
        if sane { Zone { now, changes } } else { Zone::fixed(now) }
    }
    /// `now` with the history as the content script sends it
    /// (`BrowserEnv::utc_offset_changes`, `[[utc_minute, offset], …]`): a
    /// list of integer pairs, else none (as [`Zone::new`] for the rest).
    pub fn from_json(now: i32, v: &Json) -> Zone {
        // The checks of [`Zone::new`] in the one loop that reads the pairs
        // (the wasm then has no iterator adaptors for them).
        let fixed = Zone::fixed(now);
        let Json::Arr(a) = v else { return fixed };
        if a.len() > MAX_ZONE_ENTRIES {
            return fixed;
        }
        let mut changes = Vec::new();
        let mut prev = -1.0;
        for x in a {
            let Json::Arr(p) = x else { return fixed };
            let [Json::Num(t), Json::Num(o)] = p.as_slice() else { return fixed };
            let (t, o) = (*t, *o);
            if t.fract() != 0.0 || o.fract() != 0.0 || !(t > prev && t <= MAX_ZONE_MINUTE as f64 && o.abs() <= f64::from(MAX_OFFSET_MINUTES)) {
                return fixed;
            }
            prev = t;
            changes.push((t as i64, o as i32));
        }
        match changes.last() {
            Some(l) if l.1 == now => Zone { now, changes },
            _ => fixed,
        }
    }
    /// The offset in effect at `utc_ms`. Before the sampled window: the one
    /// at the same time of year inside it (shifted by the whole weeks nearest
    /// to whole years, so the weekday is kept as DST rules keep it); after
    /// its last change: that change's offset (= `now`).
    pub fn offset_at(&self, utc_ms: i64) -> i32 {
        let Some(&(first, _)) = self.changes.first() else { return self.now };
        let mut min = utc_ms.div_euclid(MINUTE_MS);
        if min < first {
            const YEAR: i64 = 525_949; // 365.2425 days, minutes
            const WEEK: i64 = 10_080;
            let years = (first - min + YEAR - 1) / YEAR;
            min += (years * YEAR + WEEK / 2) / WEEK * WEEK;
        }
        let i = self.changes.partition_point(|&(t, _)| t <= min);
        self.changes[i.saturating_sub(1)].1
    }
    /// UTC ms of a local wall-clock time (`local_ms`: the wall clock read as
    /// if it were UTC), with the offset in effect then. A time in the hour a
    /// change skips (clocks forward) is read with the offset before it
    /// (02:30 in a 02:00 → 03:00 jump is 03:30 after it); a time in the hour
    /// a change repeats (clocks back) is the earlier of its two instants:
    /// both as `new Date(y, m, d, h, …)` reads them.
    pub fn utc_of_local(&self, local_ms: i64) -> i64 {
        let at = |off: i32| local_ms.saturating_sub(i64::from(off) * MINUTE_MS);
        let before = self.offset_at(local_ms.saturating_sub(86_400_000));
        let after = self.offset_at(local_ms.saturating_add(86_400_000));
        if self.offset_at(at(before)) == before || self.offset_at(at(after)) != after {
            at(before)
        } else {
            at(after)
        }
    }
}

/// Format Unix ms as "YYYY-MM-DD HH:MM" in the given offset (local time = UTC + offset).
pub fn format_ymd_hm(unix_ms: i64, utc_offset_minutes: i32) -> String {
    let day_ms = 86_400_000;
    let mut days = unix_ms.div_euclid(day_ms);
    let mut minute_of_day = unix_ms.rem_euclid(day_ms) / 60_000 + i64::from(utc_offset_minutes);
    days += minute_of_day.div_euclid(1440);
    minute_of_day = minute_of_day.rem_euclid(1440);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = include_str!("../tests/data/time_locales.tsv");

    /// Undo the `\u{XXXX}` escapes used in the data file for invisible characters.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\\') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some(r) = rest.strip_prefix("\\\\") {
                out.push('\\');
                rest = r;
            } else if let Some(r) = rest.strip_prefix("\\u{") {
                let end = r.find('}').expect("unterminated escape");
                let cp = u32::from_str_radix(&r[..end], 16).expect("bad hex");
                out.push(char::from_u32(cp).expect("bad code point"));
                rest = &r[end + 1..];
            } else {
                panic!("bad escape in {s}");
            }
        }
        out.push_str(rest);
        out
    }

    fn kind(e: &TimeError) -> &'static str {
        match e {
            TimeError::Empty => "Empty",
            TimeError::Unrecognised(_) => "Unrecognised",
            TimeError::Ambiguous(_) => "Ambiguous",
            TimeError::OutOfRange(_) => "OutOfRange",
        }
    }

    fn check(lang: &str, off: i32, text: &str, expected: &str) -> Result<(), String> {
        let got = parse_datetime(text, lang, &Zone::fixed(off));
        let ok = match (&got, expected.strip_prefix("ERR:")) {
            (Err(e), Some(k)) => kind(e) == k,
            (Ok(ms), None) => expected.parse::<i64>().ok() == Some(*ms),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "lang={lang:?} off={off} text={text:?}: expected {expected}, got {got:?}"
            ))
        }
    }

    #[test]
    fn node_generated_locale_table() {
        let mut failures = Vec::new();
        let mut n = 0;
        let mut locales = std::collections::BTreeSet::new();
        for line in DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let f: Vec<&str> = line.split('\t').collect();
            assert!(f.len() >= 5, "bad row {line}");
            let off: i32 = f[2].parse().expect("offset");
            if let Err(e) = check(f[0], off, &unescape(f[3]), f[4]) {
                failures.push(e);
            }
            locales.insert(f[1].split("-u-").next().unwrap_or("").to_string());
            n += 1;
        }
        assert!(n > 3000, "only {n} rows");
        let pairs: Vec<&str> = LOCALES.split(' ').collect();
        assert_eq!(pairs.len(), 44);
        for loc in pairs.iter().skip(1).step_by(2).chain(&["zh-HK", "zh-CN"]) {
            assert!(locales.contains(*loc), "no rows for {loc}");
        }
        assert!(
            failures.is_empty(),
            "{} of {n} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Real browsers' output where it differs from Node's (tests/data/time_browsers.tsv).
    #[test]
    fn browser_rendered_rows() {
        let data = include_str!("../tests/data/time_browsers.tsv");
        let mut failures = Vec::new();
        let mut n = 0;
        for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "bad row {line}");
            if let Err(e) = check(f[0], f[1].parse().expect("offset"), &unescape(f[2]), f[3]) {
                failures.push(e);
            }
            n += 1;
        }
        assert!(n >= 150, "only {n} rows");
        assert!(failures.is_empty(), "{} of {n} failed:\n{}", failures.len(), failures.join("\n"));
    }

    /// `extract` tries a text as a Login IP cell before trying it as a date: no rendered date may
    /// pass as an IP cell.
    #[test]
    fn dates_are_not_ip_cells() {
        for line in DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let text = unescape(line.split('\t').nth(3).unwrap_or(""));
            assert!(crate::net::parse_login_ip(&text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn locale_mapping() {
        let cases = [
            ("ar", Some("ar-AE")),
            ("bn", Some("bn-BD")),
            ("de", Some("de-DE")),
            ("en", Some("en-US")),
            ("es", Some("es-ES")),
            ("fil", Some("fil-PH")),
            ("fr", Some("fr-FR")),
            ("hi", Some("hi-IN")),
            ("id", Some("id-ID")),
            ("it", Some("it-IT")),
            ("ja", Some("ja-JP")),
            ("ko", Some("ko-KR")),
            ("ms", Some("ms-MY")),
            ("nl", Some("nl-NL")),
            ("pl", Some("pl-PL")),
            ("pt", Some("pt-BR")),
            ("ru", Some("ru-RU")),
            ("th", Some("th-TH")),
            ("tr", Some("tr-TR")),
            ("uk", Some("uk-UA")),
            ("ur", Some("ur-PK")),
            ("vi", Some("vi-VN")),
            ("zh-hant", Some("zh-HK")),
            ("zh_CN", Some("zh-CN")),
            ("zh-CN", Some("zh-CN")),
            ("zh", Some("zh-CN")),
            ("zh_TW", Some("zh-HK")),
            ("zh-Hant-TW", Some("zh-HK")),
            ("ZH-HK", Some("zh-HK")),
            ("ar-AE", Some("ar-AE")),
            (" en_US ", Some("en-US")),
            ("tl", Some("fil-PH")),
            ("pt-PT", Some("pt-BR")),
            ("", None),
            ("-", None),
            ("xx", None),
            ("english", None),
            ("e", None),
            ("zz-CN", None),
        ];
        for (lang, want) in cases {
            assert_eq!(locale_for_lang(lang), want, "lang {lang:?}");
        }
    }

    #[test]
    fn hand_written_cases() {
        // (lang, offset, text, expected)
        let cases: &[(&str, i32, &str, &str)] = &[
            // Ambiguity: unknown language.
            ("", 0, "03/02/2024 23:05:09", "ERR:Ambiguous"),
            ("", 0, "13/02/2024 23:05:09", "1707865509000"),
            ("", 0, "02/13/2024 23:05:09", "1707865509000"),
            ("", 0, "02/02/2024 23:05:09", "1706915109000"),
            ("", 0, "03.02.2024, 23:05:09", "ERR:Ambiguous"),
            ("", 0, "23:05:09 3/2/2024", "ERR:Ambiguous"),
            ("", 0, "13/13/2024 23:05:09", "ERR:OutOfRange"),
            ("", 0, "31/02/2024 23:05:09", "ERR:OutOfRange"),
            ("", 0, "30/04/2024 00:00:00", "1714435200000"),
            ("xx", 0, "03/02/2024 23:05:09", "ERR:Ambiguous"),
            // Known language decides.
            ("en", 0, "03/02/2024 23:05:09", "1709420709000"),
            ("fr", 0, "03/02/2024 23:05:09", "1707001509000"),
            ("zh-hant", 0, "3/2/2024 23:05:09", "1707001509000"),
            ("en", 0, "13/02/2024 23:05:09", "ERR:OutOfRange"),
            ("de", 0, "02/13/2024 23:05:09", "ERR:OutOfRange"),
            ("ja", 0, "03/02/2024 23:05:09", "ERR:Ambiguous"),
            ("ja", 0, "13/02/2024 23:05:09", "1707865509000"),
            // Year-first is always Y-M-D.
            ("en", 0, "2024/02/03 23:05:09", "1707001509000"),
            ("de", 0, "2024-02-03T23:05:09", "1707001509000"),
            ("", 0, "2024-02-03 23:05:09", "1707001509000"),
            ("", 480, "2024-02-03T23:05:09Z", "1707001509000"),
            ("", 480, "2024-02-03 23:05:09", "1706972709000"),
            ("", -300, "2024/02/03 23:05:09", "1707019509000"),
            ("", 0, "2024年2月3日 23:05:09", "1707001509000"),
            ("", 0, "2024年2月3日 23时5分9秒", "1707001509000"),
            ("ko", 0, "2024년 2월 3일 오후 11시 5분 9초", "1707001509000"),
            ("ko", 0, "2024. 2. 3. 오후 11:05:09", "1707001509000"),
            ("ko", 0, "2024. 2. 3. 오전 12:05:09", "1706918709000"),
            ("ko", 0, "2024. 2. 3. 23:05:09", "1707001509000"),
            ("ja", 0, "2024/2/3 午後11:05:09", "1707001509000"),
            ("zh_CN", 0, "2024/2/3 下午11:05:09", "1707001509000"),
            // 12-hour clocks.
            ("en", 0, "7/14/2025, 9:21:37 AM", "1752484897000"),
            ("en", 0, "7/14/2025, 9:21:37\u{202F}PM", "1752528097000"),
            ("en", 0, "7/14/2025, 9:21:37 pm", "1752528097000"),
            ("en", 0, "7/14/2025, 12:00:00 AM", "1752451200000"),
            ("en", 0, "7/14/2025, 12:00:00 PM", "1752494400000"),
            ("en", 0, "7/14/2025, 0:00:00 PM", "1752494400000"),
            ("en", 0, "7/14/2025, 13:00:00 PM", "ERR:OutOfRange"),
            ("en", 0, "7/14/2025, 24:00:00 AM", "ERR:OutOfRange"),
            ("en", 0, "7/14/2025, AM 9:21:37 PM", "ERR:Unrecognised"),
            (
                "es",
                0,
                "14/7/2025, 9:21:37\u{a0}p.\u{a0}m.",
                "1752528097000",
            ),
            ("nl", 0, "14-7-2025, 9:21:37 p.m.", "1752528097000"),
            ("ko", 0, "2025. 7. 14. 오후 9:21:37", "1752528097000"),
            (
                "ar",
                0,
                "14\u{200F}/7\u{200F}/2025، 9:21:37 م",
                "1752528097000",
            ),
            (
                "ar",
                0,
                "١٤\u{200F}/٧\u{200F}/٢٠٢٥، ٩:٢١:٣٧ م",
                "1752528097000",
            ),
            ("ur", 0, "۱۴/۷/۲۰۲۵، ۹:۲۱:۳۷ بعد دوپہر", "1752528097000"),
            ("ur", 0, "14/7/2025، 9:21:37 دوپہر بعد", "1752528097000"),
            ("ur", 0, "14/7/2025، 9:21:37 قبل دوپہر", "1752484897000"),
            ("hi", 0, "१४/७/२०२५, ९:२१:३७ अपराह्न", "1752528097000"),
            ("bn", 0, "১৪/৭/২০২৫, ৯:২১:৩৭ অপরাহ্ণ", "1752528097000"),
            ("th", 0, "14/7/2568 9:21:37 หลังเที่ยง", "1752528097000"),
            ("th", 0, "๑๔/๗/๒๕๖๘ ๐๙:๒๑:๓๗", "1752484897000"),
            ("tr", 0, "14.07.2025 ÖS 9:21:37", "1752528097000"),
            ("uk", 0, "14.07.2025, 9:21:37 пп", "1752528097000"),
            ("ru", 0, "14.07.2025, 9:21:37 ПП", "1752528097000"),
            ("ms", 0, "14/7/2025, 9:21:37 PTG", "1752528097000"),
            ("vi", 0, "9:21:37 CH 14/7/2025", "1752528097000"),
            ("de", 0, "14.7.2025, 9:21:37 nachm.", "1752528097000"),
            ("zh-hant", 0, "14/7/2025 下午9:21:37", "1752528097000"),
            // Older / other renderings.
            ("ru", 0, "14.07.2025 г., 09:21:37", "1752484897000"),
            ("ru", 0, "14.07.2025 г. 09:21:37", "1752484897000"),
            ("en", 0, "07/14/2025 09:21:37", "1752484897000"),
            ("id", 0, "14/07/2025 09.21.37", "1752484897000"),
            (
                "de",
                0,
                "\u{feff} \u{200e}14.7.2025,\u{a0}09:21:37\u{200f}\u{a0}",
                "1752484897000",
            ),
            (
                "zh_CN",
                0,
                "２０２５/７/１４ ０９:２１:３７",
                "1752484897000",
            ),
            (
                "zh_CN",
                0,
                "２０２５／７／１４　０９：２１：３７",
                "1752484897000",
            ),
            // Hour 24 (h24 cycle = same date; ISO 24:00:00 = end of day).
            ("en", 0, "12/31/2026, 24:00:00", "1798675200000"),
            ("en", 0, "12/31/2026, 24:30:00", "1798677000000"),
            ("", 0, "2026-12-31 24:00:00", "1798761600000"),
            ("", 0, "2026-12-31T24:00:01", "ERR:OutOfRange"),
            ("", 0, "2026/12/31 24:00:00", "1798675200000"),
            ("en", 0, "12/31/2026, 25:00:00", "ERR:OutOfRange"),
            // Buddhist Era.
            ("th", 0, "14/7/2568 09:21:37", "1752484897000"),
            ("", 0, "14/7/2568 09:21:37", "1752484897000"),
            ("th", 0, "14/7/2025 09:21:37", "1752484897000"),
            ("en", 0, "7/14/2568 09:21:37", "ERR:OutOfRange"),
            ("th", 0, "29/2/2567 12:00:00", "1709208000000"),
            ("th", 0, "29/2/2568 12:00:00", "ERR:OutOfRange"),
            // Range errors.
            ("", 0, "2024-13-01 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2024-00-01 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2024-02-30 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2023-02-29 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2024-02-29 00:00:00", "1709164800000"),
            ("", 0, "2100-02-29 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2000-02-29 00:00:00", "951782400000"),
            ("", 0, "2024-04-31 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2024-04-00 00:00:00", "ERR:OutOfRange"),
            ("", 0, "2024-01-01 00:60:00", "ERR:OutOfRange"),
            ("", 0, "2024-01-01 00:00:60", "ERR:OutOfRange"),
            ("", 0, "2024-01-01 25:00:00", "ERR:OutOfRange"),
            ("", 0, "1899-12-31 23:59:59", "ERR:OutOfRange"),
            ("", 0, "1900-01-01 00:00:00", "-2208988800000"),
            ("", 0, "1969-12-31 23:59:59", "-1000"),
            ("", 0, "2399-12-31 23:59:59", "13569465599000"),
            ("en", 0, "1/1/2400 00:00:00", "ERR:OutOfRange"),
            ("", 2000, "2024-01-01 00:00:00", "ERR:OutOfRange"),
            ("", -1081, "2024-01-01 00:00:00", "ERR:OutOfRange"),
            ("", 1080, "2024-01-01 18:00:00", "1704067200000"),
            ("", 0, "4294967296-01-01 00:00:00", "ERR:Unrecognised"),
            // Two-digit years and other shapes.
            ("en", 0, "7/14/25, 09:21:37", "ERR:Unrecognised"),
            ("", 0, "25-07-14 09:21:37", "ERR:Unrecognised"),
            ("", 0, "14/07/025 09:21:37", "ERR:Unrecognised"),
            ("", 0, "14/07/20250 09:21:37", "ERR:Unrecognised"),
            ("", 0, "2025/07/14", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09:21", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09:21:37.123", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09:21:37 +0800", "ERR:Unrecognised"),
            ("", 0, "2025/07-14 09:21:37", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09:21.37", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09/21/37", "ERR:Unrecognised"),
            ("", 0, "2025/07/14 09:21:37 XM", "ERR:Unrecognised"),
            ("", 0, "at 2025/07/14 09:21:37", "ERR:Unrecognised"),
            ("", 0, "2025//07/14 09:21:37", "ERR:Unrecognised"),
            ("", 0, "2025/07/14; 09:21:37", "ERR:Unrecognised"),
            ("", 0, "2025 07 14 09 21 37", "ERR:Unrecognised"),
            ("", 0, "07/2025/14 09:21:37", "ERR:Unrecognised"),
            ("", 0, "09:21:37 2025/07/14", "1752484897000"),
            ("", 0, "2025-07-14T09:21:37z", "1752484897000"),
            ("", 0, "14-07-2025 09:21:37Z", "ERR:Unrecognised"),
            ("", 0, "203.0.113.24", "ERR:Unrecognised"),
            ("", 0, "1.2.3.4.5.6", "ERR:Unrecognised"),
            ("", 0, "Singapore(203.0.113.24)", "ERR:Unrecognised"),
            ("", 0, "today", "ERR:Unrecognised"),
            ("", 0, "--", "ERR:Unrecognised"),
            ("", 0, "", "ERR:Empty"),
            ("", 0, " \u{a0}\u{200f}\u{200b} ", "ERR:Empty"),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(lang, off, text, exp)| check(lang, off, text, exp).err())
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(7).chain(-1000..1000) {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn format_examples() {
        assert_eq!(format_ymd_hm(0, 0), "1970-01-01 00:00");
        assert_eq!(format_ymd_hm(1_752_484_897_000, 0), "2025-07-14 09:21");
        assert_eq!(format_ymd_hm(1_752_484_897_000, 480), "2025-07-14 17:21");
        assert_eq!(format_ymd_hm(1_752_484_897_000, -600), "2025-07-13 23:21");
        assert_eq!(format_ymd_hm(1_798_761_599_999, 0), "2026-12-31 23:59");
        assert_eq!(format_ymd_hm(1_798_761_599_999, 1), "2027-01-01 00:00");
        assert_eq!(format_ymd_hm(-1, 0), "1969-12-31 23:59");
        assert_eq!(format_ymd_hm(1_709_164_800_000, 345), "2024-02-29 05:45");
        // Extremes must not panic.
        for ms in [i64::MIN, i64::MAX, i64::MIN + 1, i64::MAX - 1] {
            for off in [i32::MIN, i32::MAX, 0, -1, 1] {
                assert!(!format_ymd_hm(ms, off).is_empty());
            }
        }
    }

    #[test]
    fn format_parse_round_trip() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            // 1901 .. 2398 and offsets within ±18 h.
            let ms = -2_177_452_800_000 + (rng % 13_500_000_000) as i64 * 1000;
            let off = (rng >> 40) as i32 % 1081;
            let off = if rng & 1 == 0 { off } else { -off };
            let text = format_ymd_hm(ms, off) + ":00";
            let back = parse_datetime(&text, "", &Zone::fixed(off)).expect(&text);
            assert_eq!(back, ms - ms.rem_euclid(60_000), "{text} offset {off}");
        }
    }

    #[test]
    fn error_messages() {
        let errs = [
            parse_datetime("", "", &Zone::fixed(0)).unwrap_err(),
            parse_datetime("x", "", &Zone::fixed(0)).unwrap_err(),
            parse_datetime("03/02/2024 23:05:09", "", &Zone::fixed(0)).unwrap_err(),
            parse_datetime("2024-13-01 00:00:00", "", &Zone::fixed(0)).unwrap_err(),
        ];
        let texts: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(texts[0], "the date-time text is empty");
        assert!(
            texts[1].starts_with("unrecognised date-time: \"x\""),
            "{}",
            texts[1]
        );
        assert!(texts[2].starts_with("ambiguous date: "), "{}", texts[2]);
        assert!(
            texts[2].contains("day 3 month 2 or month 3 day 2"),
            "{}",
            texts[2]
        );
        assert!(
            texts[3].starts_with("date-time value out of range: "),
            "{}",
            texts[3]
        );
        let long = parse_datetime(&"9".repeat(100_000), "", &Zone::fixed(0))
            .unwrap_err()
            .to_string();
        assert!(long.len() < 200, "error text is clipped: {}", long.len());
    }

    /// Pseudo-random and adversarial inputs never panic and stay fast.
    #[test]
    fn no_panic_property() {
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let pieces = [
            "2025",
            "2568",
            "7",
            "14",
            "12",
            "0",
            "24",
            "99",
            "/",
            "-",
            ".",
            ":",
            ", ",
            "، ",
            " ",
            "\u{200f}",
            "\u{2009}",
            "\u{202f}",
            "\u{a0}",
            "AM",
            "PM",
            "a. m.",
            "오후",
            "午後",
            "下午",
            "م",
            "ص",
            "시",
            "분",
            "초",
            "年",
            "月",
            "日",
            "T",
            "Z",
            "г.",
            "١٤",
            "৩",
            "๒๕",
            "９",
            "(",
            "𝟘",
            "\u{0301}",
            "ß",
            "İ",
            "\u{10FFFF}",
            "\u{feff}",
        ];
        let langs = [
            "", "en", "th", "zh-hant", "ar", "vi", "ja", "xx", "\u{0}", "zh_CN",
        ];
        let samples: Vec<String> = DATA
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(3).map(unescape))
            .step_by(7)
            .collect();
        for _ in 0..20_000 {
            let kind = next() % 3;
            let s: String = match kind {
                0 => (0..next() % 24)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect(),
                1 => (0..next() % 40)
                    .filter_map(|_| char::from_u32((next() % 0x11_0000) as u32))
                    .collect(),
                _ => {
                    // Mutate a real sample.
                    let base = &samples[(next() % samples.len() as u64) as usize];
                    let mut chars: Vec<char> = base.chars().collect();
                    for _ in 0..1 + next() % 3 {
                        let i = (next() % (chars.len() as u64 + 1)) as usize;
                        let p = pieces[(next() % pieces.len() as u64) as usize];
                        match next() % 3 {
                            0 if i < chars.len() => {
                                chars.remove(i);
                            }
                            1 if i < chars.len() => chars[i] = p.chars().next().unwrap_or('x'),
                            _ => chars.splice(i..i, p.chars()).for_each(drop),
                        }
                    }
                    chars.into_iter().collect()
                }
            };
            let lang = langs[(next() % langs.len() as u64) as usize];
            let off = (next() % 4000) as i32 - 2000;
            if let Ok(ms) = parse_datetime(&s, lang, &Zone::fixed(off)) {
                assert!(
                    ms > -3_000_000_000_000 && ms < 14_000_000_000_000,
                    "{s:?} -> {ms}"
                );
            }
        }
        // Large inputs: must be rejected (or parsed) in linear time.
        let big = [
            "9".repeat(100_000),
            " ".repeat(100_000) + "2025-07-14 09:21:37" + &"\u{200b}".repeat(50_000),
            "1/".repeat(50_000),
            "午後".repeat(40_000),
            "\u{0661}".repeat(100_000),
            "2025/07/14 09:21:37 ".to_string() + &"A".repeat(100_000),
            "a".repeat(100_000) + "2025/07/14 09:21:37",
            "\u{10FFFF}".repeat(30_000),
        ];
        for s in &big {
            for lang in ["", "en", &"x".repeat(100_000)] {
                let _ = parse_datetime(s, lang, &Zone::fixed(0));
                let _ = locale_for_lang(s);
            }
        }
        assert_eq!(parse_datetime(&big[1], "", &Zone::fixed(0)), Ok(1_752_484_897_000));
    }

    // ---- offset histories (DST) ----

    /// UTC minute of a UTC wall-clock time.
    fn utc_min(y: i64, m: u32, d: u32, h: i64) -> i64 {
        days_from_civil(y, m, d) * 1440 + h * 60
    }

    /// Europe/Berlin as the content script samples it on 2026-12-01: the
    /// window start (CET), then the changes (EU: 01:00 UTC, last Sunday of
    /// March / October).
    fn berlin_read_in_december() -> Vec<(i64, i32)> {
        vec![
            (utc_min(2024, 11, 26, 0), 60),
            (utc_min(2025, 3, 30, 1), 120),
            (utc_min(2025, 10, 26, 1), 60),
            (utc_min(2026, 3, 29, 1), 120),
            (utc_min(2026, 10, 25, 1), 60),
        ]
    }

    /// The same zone sampled on 2026-07-01 (summer time now).
    fn berlin_read_in_july() -> Vec<(i64, i32)> {
        vec![
            (utc_min(2024, 6, 26, 0), 120),
            (utc_min(2024, 10, 27, 1), 60),
            (utc_min(2025, 3, 30, 1), 120),
            (utc_min(2025, 10, 26, 1), 60),
            (utc_min(2026, 3, 29, 1), 120),
        ]
    }

    const H: i64 = 3_600_000;

    #[test]
    fn a_july_time_read_in_december_uses_summer_time() {
        let table = berlin_read_in_december();
        let zone = &Zone::new(60, table);
        let july = parse_datetime("7/14/2025, 09:21:37", "en", zone).unwrap();
        assert_eq!(july, 1_752_484_897_000 - 2 * H, "09:21:37 CEST is 07:21:37 UTC");
        // One current offset (what there was before) is an hour off.
        assert_eq!(parse_datetime("7/14/2025, 09:21:37", "en", &Zone::fixed(60)), Ok(july + H));
        // Winter times read as before.
        for t in ["12/31/2024, 22:31:09", "1/20/2025, 12:00:01", "11/30/2026, 23:00:00"] {
            assert_eq!(parse_datetime(t, "en", zone), parse_datetime(t, "en", &Zone::fixed(60)), "{t}");
        }
        // Read in July the same texts give the same instants.
        let summer = berlin_read_in_july();
        let zone_july = &Zone::new(120, summer);
        for t in ["7/14/2025, 09:21:37", "12/31/2024, 22:31:09", "1/20/2025, 12:00:01", "3/15/2025, 21:05:33"] {
            assert_eq!(parse_datetime(t, "en", zone_july), parse_datetime(t, "en", zone), "{t}");
        }
        // Shown back in the offset of that instant.
        assert_eq!(zone.offset_at(july), 120);
        assert_eq!(format_ymd_hm(july, zone.offset_at(july)), "2025-07-14 09:21");
        // ISO with Z is UTC whatever the zone.
        assert_eq!(parse_datetime("2025-07-14T09:21:37Z", "", zone), Ok(1_752_484_897_000));
    }

    #[test]
    fn times_around_a_change() {
        let utc = |y, m, d, h: i64, mi: i64| Ok(utc_min(y, m, d, h) * 60_000 + mi * 60_000);
        for (now, table) in [(60, berlin_read_in_december()), (120, berlin_read_in_july())] {
            let z = &Zone::new(now, table);
            let p = |t: &str| parse_datetime(t, "", z);
            // Spring forward 2025-03-30: 02:00 CET → 03:00 CEST (01:00 UTC).
            assert_eq!(p("2025-03-30 01:59:00"), utc(2025, 3, 30, 0, 59));
            assert_eq!(p("2025-03-30 03:00:00"), utc(2025, 3, 30, 1, 0));
            // 02:30 does not exist: read with the offset before (= 03:30 CEST).
            assert_eq!(p("2025-03-30 02:30:00"), utc(2025, 3, 30, 1, 30));
            // Fall back 2025-10-26: 03:00 CEST → 02:00 CET (01:00 UTC).
            assert_eq!(p("2025-10-26 01:59:00"), utc(2025, 10, 25, 23, 59));
            // 02:30 happens twice (00:30 and 01:30 UTC): the earlier.
            assert_eq!(p("2025-10-26 02:30:00"), utc(2025, 10, 26, 0, 30));
            assert_eq!(p("2025-10-26 03:00:00"), utc(2025, 10, 26, 2, 0));
            // The instant of the change itself.
            assert_eq!(z.offset_at(utc_min(2025, 10, 26, 1) * 60_000 - 1), 120);
            assert_eq!(z.offset_at(utc_min(2025, 10, 26, 1) * 60_000), 60);
        }
    }

    #[test]
    fn times_before_the_window_use_the_same_time_of_year() {
        let table = berlin_read_in_december();
        let z = &Zone::new(60, table);
        assert_eq!(parse_datetime("2023-07-14 09:21:37", "", z), Ok((utc_min(2023, 7, 14, 7) + 21) * 60_000 + 37_000));
        assert_eq!(parse_datetime("2019-01-10 12:00:00", "", z), Ok(utc_min(2019, 1, 10, 11) * 60_000));
        // 1900: far before, no overflow.
        assert_eq!(parse_datetime("1900-08-01 12:00:00", "", z), Ok(utc_min(1900, 8, 1, 10) * 60_000));
        // Extremes never panic.
        for ms in [i64::MIN, i64::MAX, 0, -1] {
            let _ = (z.offset_at(ms), z.utc_of_local(ms));
        }
    }

    #[test]
    fn hostile_offset_histories_are_ignored() {
        let good = berlin_read_in_december();
        let july = "7/14/2025, 09:21:37";
        let plain = parse_datetime(july, "en", &Zone::fixed(60));
        assert_ne!(parse_datetime(july, "en", &Zone::new(60, good.clone())), plain);
        let mut unsorted = good.clone();
        unsorted.swap(1, 2);
        let mut repeated = good.clone();
        repeated[2].0 = repeated[1].0;
        let mut absurd = good.clone();
        absurd[1].1 = 5000;
        let mut early = good.clone();
        early[0].0 = -1;
        let mut late = good.clone();
        late[4].0 = i64::MAX;
        let huge: Vec<(i64, i32)> = (0..100_000).map(|i| (i * 10, if i % 2 == 0 { 120 } else { 60 })).collect();
        let stale = good[..4].to_vec(); // ends in summer time, but it is winter now
        for (name, t) in [("unsorted", &unsorted), ("repeated", &repeated), ("absurd", &absurd), ("early", &early), ("late", &late), ("huge", &huge), ("stale", &stale)] {
            let z = Zone::new(60, t.clone());
            assert_eq!(z, Zone::fixed(60), "{name}");
            assert_eq!(parse_datetime(july, "en", &z), plain, "{name}");
            // The same rules where the content script's JSON is read.
            let json = crate::json::parse(&crate::json::to_text(t)).unwrap();
            assert_eq!(Zone::from_json(60, &json), Zone::fixed(60), "{name} (JSON)");
        }
        let json = crate::json::parse(&crate::json::to_text(&good)).unwrap();
        assert_eq!(Zone::from_json(60, &json), Zone::new(60, good.clone()), "a sane history reads the same both ways");
        // An absurd current offset is still an error, table or not.
        assert!(matches!(parse_datetime(july, "en", &Zone::new(5000, vec![(0, 5000)])), Err(TimeError::OutOfRange(_))));
    }

    #[test]
    fn offset_histories_decode_without_failing() {
        use crate::snapshot::BrowserEnv;
        let env = |changes: &str| -> BrowserEnv {
            crate::json::from_text(&format!(r#"{{"utc_offset_minutes":60,"utc_offset_changes":{changes}}}"#)).expect(changes)
        };
        let july = "7/14/2025, 09:21:37";
        let plain = parse_datetime(july, "en", &Zone::fixed(60));
        let good = crate::json::to_text(&berlin_read_in_december());
        assert_eq!(parse_datetime(july, "en", &env(&good).zone()), Ok(1_752_484_897_000 - 2 * H));
        let long = format!("[{}]", vec!["[1,60]"; MAX_ZONE_ENTRIES + 1].join(","));
        for bad in ["\"x\"", "{}", "[[1,\"a\"]]", "[[1e300,60]]", "[[1.5,60]]", "[[1,60,3],[\"2\"]]", "[[1]]", "[1,2]", long.as_str()] {
            let e = env(bad);
            assert_eq!(e.zone(), Zone::fixed(60), "{bad}");
            assert_eq!(parse_datetime(july, "en", &e.zone()), plain, "{bad}");
        }
        // Missing: as before.
        let e: BrowserEnv = crate::json::from_text(r#"{"utc_offset_minutes":60}"#).unwrap();
        assert_eq!(e.zone(), Zone::fixed(60));
    }
}
