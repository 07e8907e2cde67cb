//! Turn fuzzer bytes into the core's inputs. The dictionaries hold the
//! shapes real pages use (labels, IP cells, dates in every language, device
//! strings) so the fuzzer reaches table recognition and row parsing, while
//! raw bytes still reach every string.

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use session_guard::snapshot::{BrowserEnv, Node, Snapshot, TEXT_TAG};
use session_guard::storage::Value;
use std::collections::BTreeMap;

pub const URLS: &[&str] = &[
    "https://www.kucoin.com/account/security",
    "https://www.kucoin.com/ru/account/security",
    "https://www.kucoin.com/ja/account/security",
    "https://www.kucoin.com/ar/account/security",
    "https://www.kucoin.com/zh_CN/account/security",
    "https://www.kucoin.com/account/api",
    "https://www.kucoin.com/ucenter/signin",
    "https://www.kucoin.com/account/security/updatepwd",
    "https://www.kucoin.com/markets",
    "https://example.org/account/security",
    "not a url",
];
pub const LANGS: &[&str] = &[
    "", "en", "ar", "bn", "de", "es", "fil", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru", "th", "tr", "uk",
    "ur", "vi", "zh-hant", "zh_CN", "zh-CN", "en_US", "xx",
];
const TAGS: &[&str] = &["body", "div", "table", "thead", "tbody", "tr", "th", "td", "span", "button", "p", "ul", "li", "section", "svg", "a", "img"];
const TEXTS: &[&str] = &[
    "Recent Logins", "Security Logs", "Trusted Devices and IP Addresses", "Login IP", "Login Device", "Time", "Status", "Current",
    "Online", "Offline", "Remove", "Recent Activity", "Trusted Device", "Type", "No data", "Онлайн", "В сети", "オンライン",
    "ログインIP", "Singapore(203.0.113.24)", "Lagos(198.51.100.77)", "Singapore(2001:db8:85a3::8a2e:370:7334)", "(192.0.2.8)",
    "Hong Kong(2001:db8:4f1e:12::a3)", "2025-07-14 09:21:37", "7/14/2025, 09:21:37", "14/7/2025 09:21:37", "07-14 09:21:40",
    "2025/07/14 09:21:37", "14‏/7‏/2025، 09:21:37", "১৪/৭/২০২৫, ০৯:২১:৩৭", "2025. 7. 14. 9시 21분 37초", "09:21:37 14/7/2025",
    "14/7/2568 09:21:37", "Linux Chrome", "Linux Firefox", "iOS 17.5 iPhone", "Windows 10 Chrome", "Android 14 KuCoin App",
    "macOS Safari", "kucoin web", "iphone app", "Change Password", "Create API", "<img src=x onerror=alert(1)>", "\u{202e}gnp.exe",
    "Li\u{200b}nux\u{200d} Chrome", "Current Online", "Login Apparaat:",
];
const ATTRS: &[&str] = &["class", "role", "hidden", "data-inspector", "aria-current", "aria-selected", "title", "id", "name", "dir"];
const ATTR_VALUES: &[&str] = &[
    "KuxTable-root", "KuxTable-row", "row", "table", "cell", "columnheader", "rowgroup", "account_security_page", "loginPwdBtn",
    "freezeSelfBtn", "page", "true", "button", "", "rtl",
];
const UAS: &[&str] = &[
    "",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
];

pub fn pick<'a>(u: &mut Unstructured, from: &[&'a str]) -> Result<&'a str> {
    Ok(from[u.choose_index(from.len())?])
}

/// A dictionary word, raw text, or a mix of both.
pub fn text(u: &mut Unstructured, dict: &[&str]) -> Result<String> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 | 1 => pick(u, dict)?.to_string(),
        2 => u.arbitrary::<String>()?,
        _ => format!("{}{}", pick(u, dict)?, u.arbitrary::<String>()?),
    })
}

/// A snapshot: mostly well-formed pre-order trees (parents chosen among the
/// open ancestor chain), sometimes broken ids or parents.
pub fn snapshot(u: &mut Unstructured) -> Result<Snapshot> {
    let n = u.int_in_range(0usize..=1500)?;
    let mut nodes: Vec<Node> = Vec::with_capacity(n);
    let mut chain: Vec<(u32, bool)> = Vec::new(); // (id, is_text)
    for i in 0..n {
        if u.is_empty() {
            break;
        }
        let id = if u.ratio(1u8, 200u8)? { u.arbitrary()? } else { i as u32 + 1 };
        // climb up some levels, then attach
        let up = u.int_in_range(0usize..=3)?;
        for _ in 0..up.min(chain.len()) {
            chain.pop();
        }
        while chain.last().is_some_and(|c| c.1) {
            chain.pop();
        }
        let parent = if u.ratio(1u8, 200u8)? { u.arbitrary()? } else { chain.last().map(|c| c.0).unwrap_or(0) };
        let is_text = !chain.is_empty() && u.ratio(2u8, 5u8)?;
        let node = if is_text {
            Node { id, parent, tag: TEXT_TAG.into(), text: text(u, TEXTS)?, attrs: Vec::new(), hidden: false, glued: u.ratio(1u8, 4u8)? }
        } else {
            let mut attrs = Vec::new();
            for _ in 0..u.int_in_range(0u8..=2)? {
                attrs.push((pick(u, ATTRS)?.to_string(), text(u, ATTR_VALUES)?));
            }
            Node { id, parent, tag: pick(u, TAGS)?.to_string(), text: String::new(), attrs, hidden: u.ratio(1u8, 20u8)?, glued: false }
        };
        chain.push((id, is_text));
        nodes.push(node);
    }
    let brands = if u.arbitrary()? { vec![("Chromium".to_string(), "156".to_string()), (text(u, &["Google Chrome", "Not)A;Brand"])?, text(u, &["156", "8"])?)] } else { Vec::new() };
    Ok(Snapshot {
        url: if u.ratio(1u8, 10u8)? { u.arbitrary()? } else { pick(u, URLS)?.to_string() },
        lang: pick(u, LANGS)?.to_string(),
        dir: pick(u, &["", "ltr", "rtl", "RTL"])?.to_string(),
        nodes,
        env: BrowserEnv {
            ua: text(u, UAS)?,
            brands,
            platform: pick(u, &["", "Linux", "Windows", "macOS", "Android"])?.to_string(),
            mobile: u.arbitrary()?,
            utc_offset_minutes: if u.ratio(1u8, 10u8)? { u.arbitrary()? } else { u.int_in_range(-840..=840)? },
            language: pick(u, LANGS)?.to_string(),
            ..BrowserEnv::default()
        },
        page_id: pick(u, &["", "a", "b"])?.to_string(),
        tab: u.int_in_range(0u32..=3)?.into(),
    })
}

const KEYS: &[&str] = &[
    "schema_version", "trust", "acks", "scan", "history", "settings", "flow", "checks", "notices", "api", "trusted", "devices",
    "suspects", "fingerprint", "label", "describe", "networks", "areas", "first_seen", "last_seen", "this_browser", "network", "area",
    "marked_at", "until", "keys", "banner_dismissed", "at", "text", "kept_as", "summary", "rows", "url", "lang", "ip", "device",
    "time_ms", "kind", "step", "started_at", "updated_at", "quarantine/1/trust", "account", "accounts", "te***@example.com",
];
const STRINGS: &[&str] = &["web|linux|chrome|", "web|windows|chrome|", "203.0.113.0/24", "singapore", "This browser", "", "x"];

/// A stored value as `chrome.storage` could hand it back.
pub fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let max = if depth >= 5 { 3 } else { 5 };
    Ok(match u.int_in_range(0u8..=max)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Num(match u.int_in_range(0u8..=3)? {
            0 => u.int_in_range(-3i64..=3)? as f64,
            1 => u.arbitrary::<i64>()? as f64,
            // chrome.storage keeps JSON numbers: no NaN or infinities.
            2 => Some(u.arbitrary::<f64>()?).filter(|f| f.is_finite()).unwrap_or(0.5),
            _ => 1_752_484_897_000.0,
        }),
        3 => Value::Str(text(u, STRINGS)?),
        4 => {
            let n = u.int_in_range(0usize..=6)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(value(u, depth + 1)?);
            }
            Value::Arr(v)
        }
        _ => {
            let n = u.int_in_range(0usize..=8)?;
            let mut m = BTreeMap::new();
            for _ in 0..n {
                m.insert(text(u, KEYS)?, value(u, depth + 1)?);
            }
            Value::Obj(m.into_iter().collect())
        }
    })
}

/// The whole store: some of our keys with arbitrary values.
pub fn store(u: &mut Unstructured) -> Result<BTreeMap<String, Value>> {
    let mut m = BTreeMap::new();
    for _ in 0..u.int_in_range(0usize..=10)? {
        let k = pick(u, KEYS)?.to_string();
        let v = if k == "schema_version" && u.arbitrary()? { Value::Num(u.int_in_range(0u8..=3)? as f64) } else { value(u, 0)? };
        m.insert(k, v);
    }
    Ok(m)
}
