//! Host tests of the API-key audit (`/account/api`): the replica page
//! (tests/fixtures/kucoin/api-en.html) in all 24 languages, hand-made layouts
//! and broken cards, the review flow and the Security Logs link.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::api::{self, IpRestriction, Permission, Usage};
use session_guard::app::{handle_action, handle_scan, Outcome};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::plan::{Action, Kind, Place};
use session_guard::snapshot::Snapshot;
use session_guard::storage::State;
use std::collections::HashMap;

const API_URL: &str = "https://www.kucoin.com/account/api";
/// 2025-07-20 00:00 UTC: after every key's creation.
const NOW: i64 = 1_752_969_600_000;

fn fixture(name: &str) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/");
    std::fs::read_to_string(format!("{p}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The replica's keys and what the audit must say about each.
const EXPECTED: [(&str, &str); 7] = [
    ("trading-bot", "ok"),
    ("withdraw-ops", "high"),  // Withdrawal permission
    ("legacy-v1", "high"),     // Spot + Margin trading with an unrestricted IP
    ("3commas-link", "low"),   // third-party IPs linked (informational)
    ("tax-report", "low"),     // not activated (read-only, so unrestricted is no risk)
    ("sync-2025", "high"),     // Withdrawal
    ("copy-lead", "ok"),
];

/// (card id → mark value) in document order, from a scan's plan.
fn marks(out: &Outcome) -> Vec<(u32, String)> {
    out.plan.marks.iter().filter(|m| m.attr == api::ATTR).map(|m| (m.id, m.value.clone())).collect()
}

fn scan(snap: &Snapshot, state: &mut State, now: i64) -> Outcome {
    handle_scan(snap, state, now)
}

fn levels_by_name(snap: &Snapshot, lang: &str, out: &Outcome) -> Vec<(String, String)> {
    let page = api::read_page(snap, lang);
    let m = marks(out);
    assert_eq!(m.len(), page.keys.len(), "every key card carries a mark");
    page.keys.iter().zip(m).map(|(k, (id, v))| {
        assert_eq!(k.card, id);
        (k.name.clone(), v)
    }).collect()
}

#[test]
fn replica_keys_are_read_field_by_field() {
    let snap = snapshot_from_html(&fixture("api-en.html"), API_URL);
    let page = api::read_page(&snap, "en");
    let names: Vec<&str> = page.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, EXPECTED.map(|e| e.0));
    let k = |name: &str| page.keys.iter().find(|k| k.name == name).unwrap();
    use Permission::*;
    assert_eq!(k("trading-bot").permissions, vec![General, SpotTrading, FuturesTrading]);
    assert_eq!(k("trading-bot").ip, IpRestriction::Ips(vec!["203.0.113.24".parse().unwrap(), "203.0.113.41".parse().unwrap()]));
    assert_eq!(k("trading-bot").key, "67063b61d86793bb27b1c95b");
    assert_eq!(k("trading-bot").usage, Some(Usage::Trading));
    assert_eq!(k("trading-bot").version, "V2");
    assert_eq!(k("legacy-v1").version, "V1");
    assert_eq!(k("legacy-v1").ip, IpRestriction::Unrestricted);
    assert_eq!(k("legacy-v1").permissions, vec![General, SpotTrading, MarginTrading]);
    assert_eq!(k("3commas-link").ip, IpRestriction::ThirdParty);
    assert_eq!(k("3commas-link").usage, Some(Usage::ThirdParty));
    assert!(!k("tax-report").activated);
    assert!(page.keys.iter().filter(|x| x.name != "tax-report").all(|x| x.activated));
    assert_eq!(k("sync-2025").permissions, vec![General, SpotTrading, Withdrawal, UnifiedAccount, FlexibleTransfers]);
    assert_eq!(k("sync-2025").ip, IpRestriction::Ips(vec!["198.51.100.77".parse().unwrap(), "2001:db8:ab::1".parse().unwrap()]));
    assert_eq!(k("sync-2025").created_ms, Some(1_752_465_160_000), "2025-07-14 03:52:40 UTC");
    assert_eq!(k("copy-lead").permissions, vec![General, Earn, FuturesTrading, FuturesLead]);
    assert!(page.keys.iter().all(|x| x.unknown_permissions.is_empty()));
    let fps: std::collections::HashSet<String> = page.keys.iter().map(|k| k.fingerprint()).collect();
    assert_eq!(fps.len(), 7, "fingerprints are distinct");
}

#[test]
fn replica_marks_summary_and_reasons() {
    let snap = snapshot_from_html(&fixture("api-en.html"), API_URL);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    assert_eq!(out.plan.page, "api");
    assert!(out.writes.contains(&"api".to_string()));
    let got = levels_by_name(&snap, "en", &out);
    let want: Vec<(String, String)> = EXPECTED.iter().map(|(n, l)| (n.to_string(), l.to_string())).collect();
    assert_eq!(got, want);
    // One inline reason per flagged key, appended to its card.
    let reasons: Vec<_> = out.plan.widgets.iter().filter(|w| w.kind == Kind::Reason).collect();
    assert_eq!(reasons.len(), 5);
    let text_of = |name: &str| {
        let w = reasons.iter().find(|w| w.title.contains(name)).unwrap_or_else(|| panic!("no reason for {name}"));
        format!("{} {}", w.title, w.items.join(" "))
    };
    assert!(text_of("withdraw-ops").contains("withdraw"), "{}", text_of("withdraw-ops"));
    assert!(text_of("withdraw-ops").contains("Delete button"));
    assert!(text_of("legacy-v1").contains("any IP address"));
    assert!(text_of("legacy-v1").contains("Spot Trading, Margin Trading"));
    assert!(text_of("3commas-link").contains("third-party app"));
    assert!(text_of("tax-report").contains("Not activated"));
    assert!(reasons.iter().all(|w| w.place == Place::Append));
    // Summary above the list.
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").expect("summary");
    assert_eq!(s.kind, Kind::Summary);
    assert_eq!(s.place, Place::Before);
    assert_eq!(s.title, "7 API keys · 3 high risk · 2 to note");
    assert!(s.text.contains("Not reviewed yet"));
    assert_eq!(s.buttons.len(), 1);
    assert_eq!(s.buttons[0].action.kind, "api_reviewed");
    // The stored report (popup count).
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high, r.medium, r.low, r.readable, r.at), (7, 3, 0, 2, true, NOW));
    assert_eq!(r.lines.len(), 7);
    assert!(r.lines.iter().all(|l| !l.fingerprint.contains("67063b61")), "key values are not stored");
    let popup = session_guard::popup::model(&state, NOW);
    let api_count = popup.counts.iter().find(|c| c.0 == "api").expect("popup API line");
    assert_eq!(api_count.2, "7 · 3 high risk");
}

/// label key → text per language, from the two label tables.
fn label_table() -> (Vec<String>, HashMap<String, Vec<String>>) {
    let mut langs = Vec::new();
    let mut rows = HashMap::new();
    for tsv in ["kucoin-labels.tsv", "extra-labels.tsv"] {
        let text = std::fs::read_to_string(format!("{}/data/{tsv}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut lines = text.lines();
        let header: Vec<String> = lines.next().unwrap().split('\t').skip(1).map(String::from).collect();
        if langs.is_empty() {
            langs = header.clone();
        }
        for line in lines {
            let mut cols = line.split('\t');
            let k = cols.next().unwrap().to_string();
            rows.insert(k, cols.map(String::from).collect::<Vec<_>>());
        }
    }
    (langs, rows)
}

/// The en replica with KuCoin's labels swapped for language `li`'s.
fn translate(html: &str, li: usize, rows: &HashMap<String, Vec<String>>) -> String {
    let mut out = html.to_string();
    let tr = |k: &str| rows.get(k).and_then(|r| r.get(li)).filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| k.to_string());
    for k in [
        "API Management", "Create API", "API Restrictions", "IP Restrictions", "Key", "Usage", "Created", "Not Activated",
        "API-Based Trading", "Link Third-Party Apps", "General", "Spot Trading", "Margin Trading", "KuCoin Earn",
        "Futures Trading", "Withdrawal", "Unified Account", "Allow Flexible Transfers", "Futures Lead Trading Permissions",
    ] {
        out = out.replace(&format!(">{k}<"), &format!(">{}<", tr(k)));
    }
    out = out.replace(">Unrestricted (", &format!(">{} (", tr("Unrestricted")));
    out = out.replace(">Third-party IP address linked.<", &format!(">{}.<", tr("Third-party IP address linked")));
    out
}

#[test]
fn every_language_gives_the_same_verdicts() {
    let (langs, rows) = label_table();
    assert_eq!(langs.len(), 24);
    let en = fixture("api-en.html");
    for (li, lang) in langs.iter().enumerate() {
        let html = translate(&en, li, &rows);
        if lang != "en" {
            assert!(!html.contains(">API Restrictions<") || rows["API Restrictions"][li] == "API Restrictions", "{lang}: translated");
        }
        let url = if lang == "en" { API_URL.to_string() } else { format!("https://www.kucoin.com/{lang}/account/api") };
        let snap = snapshot_from_html(&html, &url);
        let mut state = State::default();
        let out = scan(&snap, &mut state, NOW);
        let got = levels_by_name(&snap, lang, &out);
        let want: Vec<(String, String)> = EXPECTED.iter().map(|(n, l)| (n.to_string(), l.to_string())).collect();
        assert_eq!(got, want, "{lang}");
        let page = api::read_page(&snap, lang);
        assert!(page.keys.iter().all(|k| k.unknown_permissions.is_empty()), "{lang}: {:?}", page.keys.iter().map(|k| &k.unknown_permissions).collect::<Vec<_>>());
        assert!(page.keys.iter().all(|k| k.usage.is_some()), "{lang}: usage");
        assert_eq!(page.keys[3].ip, IpRestriction::ThirdParty, "{lang}");
        assert!(!page.keys[4].activated, "{lang}");
    }
}

// ---------------------------------------------------------------- hand-made pages

struct Card<'a> {
    name: &'a str,
    tags: &'a [&'a str],
    fields: &'a [(&'a str, &'a [&'a str])],
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A different layout from the replica: `<article>` cards with a `<dl>` of
/// `<dt>` / `<dd>` pairs, no class names at all.
fn page(lang: &str, title: &str, cards: &[Card]) -> String {
    let mut h = format!("<!doctype html><html lang=\"{lang}\"><body><nav><a href=\"/account/api\">{}</a></nav><main><section><h2>{}</h2><button type=\"button\">+</button>", esc(title), esc(title));
    h.push_str("<div>");
    for c in cards {
        h.push_str("<article><header>");
        if !c.name.is_empty() {
            h.push_str(&format!("<strong>{}</strong>", esc(c.name)));
        }
        for t in c.tags {
            h.push_str(&format!("<em>{}</em>", esc(t)));
        }
        h.push_str("<button type=\"button\">✎</button><button type=\"button\">🗑</button></header><dl>");
        for (label, values) in c.fields {
            h.push_str(&format!("<dt>{}</dt><dd>", esc(label)));
            for v in *values {
                h.push_str(&format!("<span>{}</span>", esc(v)));
            }
            h.push_str("</dd>");
        }
        h.push_str("</dl></article>");
    }
    h.push_str("</div></section></main></body></html>");
    h
}

fn scan_html(html: &str, url: &str) -> (Snapshot, Outcome, State) {
    let snap = snapshot_from_html(html, url);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    (snap, out, state)
}

#[test]
fn german_dl_layout() {
    let html = page(
        "de",
        "API-Verwaltung",
        &[
            Card { name: "Bot", tags: &["V2"], fields: &[("Schlüssel", &["66b2dc64d767922826b1c7c8"]), ("API Einschränkingen", &["Allgemeines", "Spot-Trading"]), ("IP-Einschränkungen", &["203.0.113.24"])] },
            Card { name: "Auszahlungen", tags: &["V2"], fields: &[("Schlüssel", &["66b2dc64d767922826b1c7c9"]), ("API Einschränkingen", &["Allgemeines", "Auszahlung"]), ("IP-Einschränkungen", &["198.51.100.10"])] },
            Card { name: "Alt", tags: &["V1", "Nicht aktiviert"], fields: &[("Schlüssel", &["5f1d6388da6796e129b1cc81"]), ("API Einschränkingen", &["Allgemeines, Futures-Trading"]), ("IP-Einschränkungen", &["Uneingeschränkt (weniger sicher)"])] },
        ],
    );
    let (snap, out, _) = scan_html(&html, "https://www.kucoin.com/de/account/api");
    let got = levels_by_name(&snap, "de", &out);
    assert_eq!(
        got,
        vec![("Bot".to_string(), "ok".to_string()), ("Auszahlungen".into(), "high".into()), ("Alt".into(), "high".into())]
    );
    let page = api::read_page(&snap, "de");
    assert!(!page.keys[2].activated);
    assert_eq!(page.keys[2].permissions, vec![Permission::General, Permission::FuturesTrading], "comma-separated chips");
    // The key named like the Withdrawal chip stays a name.
    assert_eq!(page.keys[1].name, "Auszahlungen");
}

/// Permissions as one text joined by the comma of Arabic and Urdu ("،"): each
/// read (a Withdrawal key is high, not medium for an unknown permission).
#[test]
fn permissions_joined_by_the_arabic_comma() {
    let (langs, rows) = label_table();
    for lang in ["ar", "ur"] {
        let li = langs.iter().position(|l| l == lang).unwrap();
        let l = |k: &str| rows[k][li].clone();
        let joined = format!("{}، {}", l("General"), l("Withdrawal"));
        let html = page(
            lang,
            &l("API Management"),
            &[Card { name: "payout", tags: &["V2"], fields: &[(&l("API Restrictions"), &[joined.as_str()]), (&l("IP Restrictions"), &["198.51.100.10"])] }],
        );
        let (snap, out, _) = scan_html(&html, &format!("https://www.kucoin.com/{lang}/account/api"));
        assert_eq!(levels_by_name(&snap, lang, &out), vec![("payout".to_string(), "high".to_string())], "{lang}");
        assert_eq!(api::read_page(&snap, lang).keys[0].permissions, vec![Permission::General, Permission::Withdrawal], "{lang}");
    }
}

#[test]
fn single_card_is_the_card_not_the_page() {
    let html = page("en", "API Management", &[Card { name: "solo", tags: &["V2"], fields: &[("API Restrictions", &["General"]), ("IP Restrictions", &["192.0.2.1"])] }]);
    // A stray hex value elsewhere on the page is no key card.
    let html = html.replace("</nav>", "<p>Session 5f1d6388da6796e129b1cc81ffee</p><p>5f1d6388da6796e129b1cc81ffee</p></nav>");
    let (snap, out, _) = scan_html(&html, API_URL);
    let page = api::read_page(&snap, "en");
    assert_eq!(page.keys.len(), 1);
    let article = snap.nodes.iter().find(|n| n.tag == "article").unwrap().id;
    assert_eq!(page.keys[0].card, article);
    assert_eq!(marks(&out), vec![(article, "ok".to_string())]);
}

#[test]
fn broken_cards_are_reported_never_ok() {
    let html = page(
        "en",
        "API Management",
        &[
            // fine
            Card { name: "good", tags: &["V2"], fields: &[("API Restrictions", &["General"]), ("IP Restrictions", &["192.0.2.1"])] },
            // no IP Restrictions field
            Card { name: "no-ip", tags: &["V2"], fields: &[("Key", &["67063b61d86793bb27b1c95c"]), ("API Restrictions", &["General", "Spot Trading"])] },
            // no API Restrictions field
            Card { name: "no-perms", tags: &["V2"], fields: &[("IP Restrictions", &["192.0.2.1"])] },
            // a permission chip nobody knows
            Card { name: "odd-chip", tags: &["V2"], fields: &[("API Restrictions", &["General", "Teleport Funds"]), ("IP Restrictions", &["192.0.2.1"])] },
            // an IP restriction text nobody knows
            Card { name: "odd-ip", tags: &["V2"], fields: &[("API Restrictions", &["General"]), ("IP Restrictions", &["ask me later"])] },
            // no name
            Card { name: "", tags: &["V2"], fields: &[("API Restrictions", &["General"]), ("IP Restrictions", &["192.0.2.1"])] },
            // empty API Restrictions
            Card { name: "empty-perms", tags: &[], fields: &[("API Restrictions", &[]), ("IP Restrictions", &["192.0.2.1"])] },
        ],
    );
    let (snap, out, state) = scan_html(&html, API_URL);
    let m = marks(&out);
    assert_eq!(m.len(), 7, "{m:?}");
    let values: Vec<&str> = m.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(values, ["ok", "medium", "medium", "medium", "medium", "medium", "medium"]);
    let reasons: Vec<String> = out.plan.widgets.iter().filter(|w| w.kind == Kind::Reason).map(|w| format!("{} | {}", w.title, w.items.join(" "))).collect();
    assert_eq!(reasons.len(), 6);
    assert!(reasons[0].contains("no-ip") && reasons[0].contains("IP restriction could not be read"), "{}", reasons[0]);
    assert!(reasons[1].contains("API restrictions (permissions) could not be read"), "{}", reasons[1]);
    assert!(reasons[2].contains("“Teleport Funds”"), "{}", reasons[2]);
    assert!(reasons[3].contains("“ask me later”"), "{}", reasons[3]);
    assert!(reasons[4].contains("Unnamed key") && reasons[4].contains("name could not be read"), "{}", reasons[4]);
    assert!(reasons[5].contains("permissions"), "{}", reasons[5]);
    let r = state.api.unwrap();
    assert_eq!((r.keys, r.medium), (7, 6));
    let _ = snap;
}

#[test]
fn unknown_language_finds_cards_by_key_values_and_cannot_verify_them() {
    let html = page(
        "xx",
        "Zorg API",
        &[
            Card { name: "a", tags: &["V2"], fields: &[("Qey", &["67063b61d86793bb27b1c95b"]), ("Perms", &["Zap"]), ("Ips", &["192.0.2.1"])] },
            Card { name: "b", tags: &["V2"], fields: &[("Qey", &["66b2dc64d767922826b1c7c8"]), ("Perms", &["Zap"]), ("Ips", &["192.0.2.2"])] },
        ],
    );
    let (_, out, state) = scan_html(&html, API_URL);
    let m = marks(&out);
    assert_eq!(m.len(), 2, "two cards found by their key values");
    assert!(m.iter().all(|x| x.1 == "medium"), "{m:?}");
    assert_eq!(state.api.unwrap().medium, 2);
}

#[test]
fn page_without_keys_says_it_cannot_verify() {
    let html = "<!doctype html><html lang=\"en\"><body><main><h1>API Management</h1><p>Loading…</p></main></body></html>";
    let (_, out, state) = scan_html(html, API_URL);
    assert!(marks(&out).is_empty());
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert!(s.title.contains("can't verify"), "{}", s.title);
    assert!(s.buttons.is_empty(), "nothing to review");
    let r = state.api.as_ref().unwrap();
    assert!(!r.readable);
    let popup = session_guard::popup::model(&state, NOW);
    assert_eq!(popup.counts.iter().find(|c| c.0 == "api").unwrap().2, "can't verify");
    // "No data": no keys, and that is known.
    let html = "<!doctype html><html lang=\"en\"><body><main><h1>API Management</h1><div><p>No data</p></div></main></body></html>";
    let (_, out, state) = scan_html(html, API_URL);
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert_eq!(s.title, "0 API keys");
    assert!(state.api.unwrap().readable);
}

#[test]
fn hostile_key_names_stay_text() {
    let evil = "<img src=x onerror=alert(1)>";
    let html = page("en", "API Management", &[Card { name: evil, tags: &["V2"], fields: &[("API Restrictions", &["General", "Withdrawal"]), ("IP Restrictions", &["192.0.2.1"])] }]);
    let (_, out, _) = scan_html(&html, API_URL);
    let w = out.plan.widgets.iter().find(|w| w.kind == Kind::Reason).unwrap();
    // Quoted as text, isolated (FSI … PDI) like device names in our sentences.
    assert_eq!(w.title, format!("High risk: \u{2068}{evil}\u{2069}"));
    // A name with its own bidi override cannot reorder the sentence around it: the
    // override is dropped, and a name longer than 60 characters is clipped.
    let reversing = format!("\u{202e}bot{}", "x".repeat(80));
    let html = page("en", "API Management", &[Card { name: &reversing, tags: &["V2"], fields: &[("API Restrictions", &["General", "Withdrawal"]), ("IP Restrictions", &["192.0.2.1"])] }]);
    let (_, out, _) = scan_html(&html, API_URL);
    let w = out.plan.widgets.iter().find(|w| w.kind == Kind::Reason).unwrap();
    assert!(!w.title.contains('\u{202e}'), "{:?}", w.title);
    assert!(w.title.starts_with("High risk: \u{2068}botxx") && w.title.ends_with("…\u{2069}"), "{:?}", w.title);
}

// ---------------------------------------------------------------- review and Security Logs

#[test]
fn review_then_new_keys_are_flagged() {
    let snap = snapshot_from_html(&fixture("api-en.html"), API_URL);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    let button = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap().buttons[0].clone();
    let res = handle_action(&button.action, &mut state, NOW + 1000).unwrap();
    assert_eq!(res.writes, vec!["api".to_string()]);
    assert!(res.rescan);
    assert_eq!(state.api.as_ref().unwrap().reviewed.len(), 7);
    // Same keys again: nothing new.
    let out = scan(&snap, &mut state, NOW + 2000);
    assert_eq!(levels_by_name(&snap, "en", &out).iter().filter(|(_, l)| l == "medium").count(), 0);
    assert!(out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap().text.contains("Last reviewed"));
    // The user reviewed before copy-lead existed.
    let copy_lead = api::read_page(&snap, "en").keys[6].fingerprint();
    state.api.as_mut().unwrap().reviewed.retain(|f| *f != copy_lead);
    let out = scan(&snap, &mut state, NOW + 3000);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got[6], ("copy-lead".to_string(), "medium".to_string()));
    let w = out.plan.widgets.iter().find(|w| w.title.contains("copy-lead")).unwrap();
    assert!(w.items.iter().any(|i| i.contains("New since your last review")), "{:?}", w.items);
    // Bad input from a page-forged action is refused.
    assert!(handle_action(&Action { kind: "api_reviewed".into(), key: "nothex!".into(), ..Default::default() }, &mut state, NOW).is_err());
}

/// The security replica with its Security Logs tab shown.
fn security_with_logs() -> Snapshot {
    let html = fixture("security-en.html");
    let start = html.find("<template data-replica=\"panel\" data-tab=\"logs\">").unwrap();
    let end = start + html[start..].find("</template>").unwrap();
    let inner = &html[start + "<template data-replica=\"panel\" data-tab=\"logs\">".len()..end];
    let html = format!("{}<div data-tab=\"logs\">{inner}</div>{}", &html[..start], &html[end + "</template>".len()..]);
    snapshot_from_html(&html, "https://www.kucoin.com/account/security")
}

#[test]
fn security_logs_create_api_events_explain_new_keys() {
    let mut state = State::default();
    let out = handle_scan(&security_with_logs(), &mut state, NOW);
    assert!(out.writes.contains(&"api".to_string()), "{:?}", out.writes);
    let created = &state.api.as_ref().unwrap().created;
    assert_eq!(created.len(), 1);
    assert_eq!((created[0].time_ms, created[0].ip.as_str(), created[0].area.as_str()), (1_752_465_160_000, "198.51.100.77", "Lagos"));
    // A second scan records nothing new.
    assert!(!handle_scan(&security_with_logs(), &mut state, NOW + 1).writes.contains(&"api".to_string()));
    // The API page: sync-2025 was created from Lagos, a network no trusted device used.
    let snap = snapshot_from_html(&fixture("api-en.html"), API_URL);
    let out = handle_scan(&snap, &mut state, NOW + 2);
    let w = out.plan.widgets.iter().find(|w| w.title.contains("sync-2025")).unwrap();
    assert!(w.items.iter().any(|i| i.contains("Created 2025-07-14 03:52 from \u{2068}Lagos\u{2069} (approx.) (198.51.100.77)")), "{:?}", w.items);
    assert_eq!(levels_by_name(&snap, "en", &out)[5].1, "high");
    // The API page scan keeps the events.
    assert_eq!(state.api.as_ref().unwrap().created.len(), 1);
}

#[test]
fn hostile_shapes_do_not_panic_and_marks_exist() {
    use session_guard::snapshot::{Node, TEXT_TAG};
    // Deep nesting with labels at the bottom, and thousands of labels in one card.
    let mut s = Snapshot { url: API_URL.into(), lang: "en".into(), ..Default::default() };
    for id in 1..=50_000u32 {
        s.nodes.push(Node { id, parent: id - 1, tag: "div".into(), ..Default::default() });
    }
    let texts = ["API Restrictions", "Withdrawal", "IP Restrictions", "Unrestricted (x)", "67063b61d86793bb27b1c95b"];
    for (id, t) in (50_001..).zip(texts) {
        s.nodes.push(Node { id, parent: 50_000, tag: TEXT_TAG.into(), text: t.into(), ..Default::default() });
    }
    let mut state = State::default();
    let out = handle_scan(&s, &mut state, 1);
    for m in &out.plan.marks {
        assert!(s.nodes.iter().any(|n| n.id == m.id));
    }
    assert!(marks(&out).iter().all(|m| m.1 != "ok"));
    let mut html = String::from("<html><body><main><h1>API Management</h1><div><article><b>many</b>");
    for _ in 0..3000 {
        html.push_str("<div><span>Key</span><span>Usage</span></div>");
    }
    html.push_str("<div>API Restrictions</div><div>General</div><div>IP Restrictions</div><div>1.2.3.4</div></article></div></main></body></html>");
    let (_, out, _) = scan_html(&html, API_URL);
    assert_eq!(marks(&out).len(), 1);
}

#[test]
fn table_layout_rows_named_by_the_header() {
    let row = |name: &str, key: &str, perms: &[&str], ips: &str| {
        let chips: String = perms.iter().map(|p| format!("<span>{p}</span>")).collect();
        format!("<tr><td><b>{name}</b><i>V2</i></td><td>{key}</td><td>API-Based Trading</td><td>{chips}</td><td>{ips}</td><td><button>Delete</button></td></tr>")
    };
    let html = format!(
        "<html lang=\"en\"><body><main><h1>API Management</h1><table><thead><tr><th>Name</th><th>Key</th><th>Usage</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>{}{}{}{}</tbody></table></main></body></html>",
        row("bot", "67063b61d86793bb27b1c95b", &["General", "Spot Trading"], "203.0.113.24"),
        row("payout", "66b2dc64d767922826b1c7c8", &["General", "Withdrawal"], "198.51.100.10"),
        row("open", "5f1d6388da6796e129b1cc81", &["General", "Futures Trading"], "Unrestricted (Less secure.)"),
        // one cell short: cannot be lined up with the header
        "<tr><td>short</td><td>6705f3a1d86793bb27b1c95b</td><td>General</td></tr>",
    );
    let (snap, out, _) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(
        got,
        vec![
            ("bot".to_string(), "ok".to_string()),
            ("payout".into(), "high".into()),
            ("open".into(), "high".into()),
            ("short".into(), "medium".into()),
        ]
    );
    let page = api::read_page(&snap, "en");
    assert_eq!(page.keys[0].key, "67063b61d86793bb27b1c95b");
    assert_eq!(page.keys[0].version, "V2");
    let table = snap.nodes.iter().find(|n| n.tag == "table").unwrap().id;
    assert_eq!(page.summary_anchor, Some((table, Place::Before)), "the summary goes above the whole table");
    // Every marked element is a row (tr), never the header.
    for (id, _) in marks(&out) {
        assert_eq!(snap.nodes.iter().find(|n| n.id == id).unwrap().tag, "tr");
    }
}

#[test]
fn an_allow_list_open_to_everyone_is_unrestricted() {
    let html = page(
        "en",
        "API Management",
        &[
            Card { name: "any4", tags: &["V2"], fields: &[("API Restrictions", &["General", "Spot Trading"]), ("IP Restrictions", &["0.0.0.0/0"])] },
            Card { name: "any6", tags: &["V2"], fields: &[("API Restrictions", &["General", "Futures Trading"]), ("IP Restrictions", &["203.0.113.24, ::/0"])] },
            Card { name: "zero", tags: &["V2"], fields: &[("API Restrictions", &["General", "Allow Flexible Transfers"]), ("IP Restrictions", &["0.0.0.0"])] },
            Card { name: "office", tags: &["V2"], fields: &[("API Restrictions", &["General", "Spot Trading"]), ("IP Restrictions", &["203.0.113.0/24"])] },
        ],
    );
    let (snap, out, _) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("any4".to_string(), "high".to_string()), ("any6".into(), "high".into()), ("zero".into(), "high".into()), ("office".into(), "ok".into())]);
    assert!(api::read_page(&snap, "en").keys[..3].iter().all(|k| k.ip == IpRestriction::Unrestricted));
}

#[test]
fn table_header_with_unknown_column_titles_is_a_header() {
    // "Name" after the label columns, a "Remark" and an "Operation" column: each
    // reads as the value of the label before it, yet the row is the header.
    let html = "<html lang=\"en\"><body><main><h1>API Management</h1><table><thead><tr><th>Created</th><th>API Restrictions</th><th>IP Restrictions</th><th>Name</th><th>Key</th><th>Remark</th><th>Operation</th></tr></thead><tbody>\
<tr><td>7/14/2025, 03:52:40</td><td><span>General</span><span>Withdrawal</span></td><td>198.51.100.10</td><td>payout</td><td>66b2dc64d767922826b1c7c8</td><td>ops</td><td><button>Delete</button></td></tr>\
<tr><td>7/14/2025, 03:52:41</td><td><span>General</span></td><td>198.51.100.11</td><td>read</td><td>66b2dc64d767922826b1c7c9</td><td></td><td><button>Delete</button></td></tr>\
</tbody></table></main></body></html>";
    let (snap, out, state) = scan_html(html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("payout".to_string(), "high".to_string()), ("read".into(), "ok".into())]);
    assert_eq!(state.api.as_ref().unwrap().keys, 2);
    for (id, _) in marks(&out) {
        assert_eq!(snap.nodes.iter().find(|n| n.id == id).unwrap().tag, "tr");
    }
}

#[test]
fn a_scan_is_not_a_review() {
    let snap = snapshot_from_html(&fixture("api-en.html"), API_URL);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    let item = |state: &State, now: i64| session_guard::popup::model(state, now).checklist.into_iter().find(|c| c.id == "api_reviewed").unwrap();
    // Read, three high-risk keys, never reviewed: still to do.
    assert_eq!(format!("{:?}", item(&state, NOW + 60_000).state), "Todo");
    let button = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap().buttons[0].clone();
    handle_action(&button.action, &mut state, NOW + 120_000).unwrap();
    let it = item(&state, NOW + 180_000);
    assert_eq!(format!("{:?}", it.state), "Done");
    assert_eq!(it.detail, "Last review 1 min ago");
    // A later scan does not renew the review.
    scan(&snap, &mut state, NOW + 40 * 86_400_000);
    assert_eq!(format!("{:?}", item(&state, NOW + 40 * 86_400_000).state), "Todo");
    // Only Security Logs "Create API" events: the API page was never read.
    let mut state = State::default();
    state.api = Some(api::ApiReport { created: vec![api::CreateEvent { time_ms: NOW, ip: "192.0.2.1".into(), area: String::new() }], ..Default::default() });
    let it = item(&state, NOW);
    assert_eq!((format!("{:?}", it.state), it.detail.as_str()), ("Unknown".to_string(), ""));
}

#[test]
/// 3,000 keys showing one Key value (one fingerprint): each its own widget
/// key, in page order `api:{fp}`, `api:{fp}+`, … (This page took 37 s when each
/// key searched the keys used before it; speed is `./build.sh bench`'s to
/// measure, not an assertion's.)
fn many_keys_with_one_name_each_get_their_own_widget() {
    let mut html = String::from("<html lang=\"en\"><body><main><h1>API Management</h1><div>");
    for _ in 0..3000 {
        html.push_str("<article><b>bot</b><dl><dt>Key</dt><dd>67063b61d86793bb27b1c95b</dd><dt>API Restrictions</dt><dd>General</dd><dt>IP Restrictions</dt><dd>Unrestricted</dd><dt>Created</dt><dd>7/14/2025, 03:52:40</dd></dl></article>");
    }
    html.push_str("</div></main></body></html>");
    let snap = snapshot_from_html(&html, API_URL);
    let mut state = State::default();
    state.api = Some(api::ApiReport { reviewed_at: 1, ..Default::default() });
    let out = scan(&snap, &mut state, NOW);
    // Every key new since the review: 3,000 reasons, each with its own widget key.
    let keys: std::collections::HashSet<&str> = out.plan.widgets.iter().filter(|w| w.kind == Kind::Reason).map(|w| w.key.as_str()).collect();
    assert_eq!(keys.len(), 3000);
    let first = out.plan.widgets.iter().find(|w| w.kind == Kind::Reason).unwrap().key.clone();
    assert!(first.starts_with("api:") && !first.ends_with('+'), "{first}");
    assert!(keys.contains(format!("{first}{}", "+".repeat(2999)).as_str()));
}

/// Two accounts in one browser: the API page shows the signed-in account
/// (header) like the security page, and its report is that account's. Account
/// B opening the API page first (no security page in between) must neither be
/// judged against account A's review ("new since your last review" on every
/// key) nor overwrite A's report.
#[test]
fn api_page_report_belongs_to_the_account_it_shows() {
    let a_html = fixture("api-en.html");
    assert!(a_html.contains("te***@example.com"));
    let a = snapshot_from_html(&a_html, API_URL);
    // B: another account with other keys (each key value changed)
    let mut b_html = a_html.replace("te***@example.com", "zz***@example.org");
    for (i, k) in ["67063b61", "66b2dc64", "5f1d6388", "65a9546c", "6842ae10", "68747f08", "67d13b9a"].iter().enumerate() {
        b_html = b_html.replace(k, &format!("{i:08x}"));
    }
    let b = snapshot_from_html(&b_html, API_URL);
    let mut state = State::default();
    let out = scan(&a, &mut state, NOW);
    let button = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap().buttons[0].clone();
    handle_action(&button.action, &mut state, NOW + 1000).unwrap();
    let reviewed_a = state.api.as_ref().unwrap().reviewed.clone();
    assert_eq!(reviewed_a.len(), 7);
    // B's page: B's own (fresh) audit, nothing "new since your last review"
    let out = scan(&b, &mut state, NOW + 2000);
    let w = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert!(w.text.contains("Not reviewed yet"), "{:?}", w.text);
    assert!(!out.plan.widgets.iter().any(|w| w.items.iter().any(|i| i.contains("New since your last review"))));
    assert_eq!(state.account, "zz***@example.org");
    // A's review is kept apart and back when A's page is read again
    assert_eq!(state.accounts.get("te***@example.com").and_then(|d| d.api.as_ref()).map(|r| r.reviewed.clone()), Some(reviewed_a.clone()));
    let out = scan(&a, &mut state, NOW + 3000);
    assert_eq!(state.api.as_ref().unwrap().reviewed, reviewed_a);
    assert_eq!(levels_by_name(&a, "en", &out).iter().filter(|(_, l)| l == "medium").count(), 0);
}

// ---------------------------------------------------------------- pages, masked keys, hostile names

/// The replica's key list as KuCoin's pager would split it: the cards `keep`
/// (0-based, of `EXPECTED`) shown, page `current` of `last`, in page load `doc`.
fn paged(keep: &[usize], current: u32, last: u32, doc: &str) -> Snapshot {
    let html = fixture("api-en.html");
    let card = "<div class=\"css-0fczlh4\">";
    let mut starts: Vec<usize> = html.match_indices(card).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 7);
    let end = html.find("</div></div></main>").unwrap();
    starts.push(end);
    let mut out = html[..starts[0]].to_string();
    for &k in keep {
        out.push_str(&html[starts[k]..starts[k + 1]]);
    }
    let mut pager = String::from("<div class=\"KuxPagination-root css-19fwuly\"><button type=\"button\" class=\"KuxPagination-prev css-0ghgadt\"></button>");
    for p in 1..=last {
        let active = if p == current { " KuxPagination-item-active\" aria-current=\"page" } else { "" };
        pager.push_str(&format!("<button type=\"button\" class=\"KuxPagination-item css-0dq8pmv{active}\">{p}</button>"));
    }
    pager.push_str("<button type=\"button\" class=\"KuxPagination-next css-0ghgadt\"></button></div>");
    // the list's end, then the pager under it
    out.push_str("</div>");
    out.push_str(&pager);
    out.push_str(&html[end + "</div>".len()..]);
    let mut snap = snapshot_from_html(&out, API_URL);
    snap.page_id = doc.into();
    snap
}

fn checklist_item(state: &State, now: i64) -> session_guard::popup::ChecklistItem {
    session_guard::popup::model(state, now).checklist.into_iter().find(|c| c.id == "api_reviewed").unwrap()
}

fn api_count(state: &State) -> String {
    session_guard::popup::model(state, NOW).counts.into_iter().find(|c| c.0 == "api").unwrap().2
}

/// A key list over two pages: each page's keys are kept while the user moves
/// between them (one key seen on both once), a page read again replaces its
/// keys, and until every page was read the report says which were, offers no
/// review and never reads "all reviewed".
#[test]
fn a_paginated_key_list_adds_up_its_pages() {
    let mut state = State::default();
    // Page 1 of 2: four keys (two high risk), page 2 not read.
    let out = scan(&paged(&[0, 1, 2, 3], 1, 2, "doc-1"), &mut state, NOW);
    assert_eq!(marks(&out).len(), 4);
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high, r.low), (4, 2, 1));
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert!(s.text.contains("1 of 2 pages"), "{:?}", s.text);
    assert!(s.buttons.is_empty(), "no review of a list only partly read: {:?}", s.buttons);
    assert_eq!(api_count(&state), "4 · 2 high risk · 1 of 2 pages read");
    let it = checklist_item(&state, NOW);
    assert_eq!((format!("{:?}", it.state), it.detail.as_str()), ("Todo".to_string(), "1 of 2 pages read"));
    // Page 2 (same page load): its three keys added to page 1's four.
    let out = scan(&paged(&[4, 5, 6], 2, 2, "doc-1"), &mut state, NOW + 1000);
    assert_eq!(marks(&out).len(), 3, "only the cards shown are marked");
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high, r.medium, r.low), (7, 3, 0, 2));
    assert_eq!(r.lines.len(), 7);
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert_eq!(s.title, "7 API keys · 3 high risk · 2 to note");
    assert!(!s.text.contains("pages"), "{:?}", s.text);
    assert_eq!(api_count(&state), "7 · 3 high risk");
    // The review covers the keys of both pages.
    let button = s.buttons[0].clone();
    assert_eq!(button.action.key.split(',').count(), 7);
    handle_action(&button.action, &mut state, NOW + 2000).unwrap();
    assert_eq!(format!("{:?}", checklist_item(&state, NOW + 3000).state), "Done");
    // Back on page 1: nothing new since the review, still seven keys.
    let out = scan(&paged(&[0, 1, 2, 3], 1, 2, "doc-1"), &mut state, NOW + 4000);
    assert!(!out.plan.widgets.iter().any(|w| w.items.iter().any(|i| i.contains("New since your last review"))));
    assert_eq!(state.api.as_ref().unwrap().keys, 7);
    // A key deleted on page 2: page 2 read again drops it.
    scan(&paged(&[4, 6], 2, 2, "doc-1"), &mut state, NOW + 5000);
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high), (6, 2));
    assert!(!r.lines.iter().any(|l| l.name == "sync-2025"));
    // The list shifted: a key of page 1 now on page 2 is one key, not two.
    scan(&paged(&[3, 4, 6], 2, 2, "doc-1"), &mut state, NOW + 6000);
    assert_eq!(state.api.as_ref().unwrap().keys, 6);
    assert_eq!(state.api.as_ref().unwrap().lines.iter().filter(|l| l.name == "3commas-link").count(), 1);
    // A new page load: what other pages held then is not known now.
    scan(&paged(&[0, 1, 2, 3], 1, 2, "doc-2"), &mut state, NOW + 7000);
    let r = state.api.as_ref().unwrap();
    assert_eq!(r.keys, 4);
    let it = checklist_item(&state, NOW + 8000);
    assert_eq!(format!("{:?}", it.state), "Todo", "reviewed, but page 2 is not read now");
    assert_eq!(it.detail, "1 of 2 pages read");
}

/// A table whose Key column shows no readable key (masked, empty, or a mix):
/// one key per row, each "can't verify" where its key value was to be read,
/// and two rows of one name are two keys.
#[test]
fn a_table_of_masked_or_missing_key_values_is_one_key_per_row() {
    let row = |name: &str, key: &str, perms: &[&str], ips: &str| {
        let chips: String = perms.iter().map(|p| format!("<span>{p}</span>")).collect();
        format!("<tr><td>{name}</td><td>{key}</td><td>{chips}</td><td>{ips}</td><td><button>Delete</button></td></tr>")
    };
    let table = |keys: [&str; 4]| {
        format!(
            "<html lang=\"en\"><body><main><h1>API Management</h1><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>{}{}{}{}</tbody></table></main></body></html>",
            row("bot", keys[0], &["General", "Spot Trading"], "203.0.113.24"),
            row("payout", keys[1], &["General", "Withdrawal"], "198.51.100.10"),
            row("open", keys[2], &["General", "Futures Trading"], "Unrestricted (Less secure.)"),
            row("bot", keys[3], &["General"], "203.0.113.25"),
        )
    };
    for keys in [["********"; 4], [""; 4], ["67063b61d86793bb27b1c95b", "********", "", "6706****"]] {
        let (snap, out, state) = scan_html(&table(keys), API_URL);
        let got = levels_by_name(&snap, "en", &out);
        let hex = |i: usize| is_key(keys[i]);
        let lv = |i: usize, risky: &str| if risky == "high" { "high".to_string() } else if hex(i) { risky.to_string() } else { "medium".to_string() };
        assert_eq!(
            got,
            vec![("bot".to_string(), lv(0, "ok")), ("payout".into(), lv(1, "high")), ("open".into(), lv(2, "high")), ("bot".into(), lv(3, "ok"))],
            "{keys:?}"
        );
        for (id, _) in marks(&out) {
            assert_eq!(snap.nodes.iter().find(|n| n.id == id).unwrap().tag, "tr", "{keys:?}");
        }
        let r = state.api.as_ref().unwrap();
        assert_eq!((r.keys, r.high), (4, 2), "{keys:?}");
        let fps: std::collections::HashSet<&str> = r.lines.iter().map(|l| l.fingerprint.as_str()).collect();
        assert_eq!(fps.len(), 4, "{keys:?}: each row its own key");
        // Where the key value was unreadable, its finding says so.
        let bot = out.plan.widgets.iter().find(|w| w.kind == Kind::Reason && w.title.contains("bot"));
        if !hex(0) {
            assert!(bot.unwrap().items.iter().any(|i| i.contains("key value could not be read")), "{keys:?}");
        }
    }
    // No Key column at all: one key per row too, and nothing to flag about a key value.
    let html = table(["", "", "", ""]).replace("<th>Key</th>", "").replace("<td></td>", "");
    let (snap, out, state) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("bot".to_string(), "ok".to_string()), ("payout".into(), "high".into()), ("open".into(), "high".into()), ("bot".into(), "ok".into())]);
    assert_eq!(state.api.as_ref().unwrap().keys, 4);
}

fn is_key(s: &str) -> bool {
    api::is_hex_key(s)
}

/// The API replica with its keys renamed `names` (in `EXPECTED`'s order):
/// each key keeps its level under its new name. The page read, and the
/// replica read as it is, to compare field by field.
fn renamed_replica(names: [&str; 7]) -> (api::ApiPage, api::ApiPage) {
    let plain = api::read_page(&snapshot_from_html(&fixture("api-en.html"), API_URL), "en");
    let mut html = fixture("api-en.html");
    for (i, (old, _)) in EXPECTED.iter().enumerate() {
        html = html.replace(&format!(">{old}<"), &format!(">{}<", names[i]));
    }
    let snap = snapshot_from_html(&html, API_URL);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    let got = levels_by_name(&snap, "en", &out);
    let want: Vec<(String, String)> = EXPECTED.iter().enumerate().map(|(i, (_, l))| (names[i].to_string(), l.to_string())).collect();
    assert_eq!(got, want);
    assert_eq!(state.api.as_ref().unwrap().keys, 7);
    (api::read_page(&snap, "en"), plain)
}

/// Keys named like field labels ("IP Restrictions", "Key", …): each card is
/// still one key, its name that text, and its other fields read as they are.
#[test]
fn key_names_equal_to_field_labels_do_not_split_cards() {
    let (read, plain) = renamed_replica(["IP Restrictions", "Key", "API Restrictions", "Usage", "Created", "Permissions", "API Key"]);
    for (k, p) in read.keys.iter().zip(&plain.keys) {
        assert_eq!((&k.key, &k.permissions, &k.ip, k.usage, k.created_ms, &k.version, k.activated), (&p.key, &p.permissions, &p.ip, p.usage, p.created_ms, &p.version, p.activated), "{}", k.name);
    }
    // The dl layout, and a card of two fields only.
    let html = page(
        "en",
        "API Management",
        &[
            Card { name: "IP Restrictions", tags: &["V2"], fields: &[("Key", &["67063b61d86793bb27b1c95b"]), ("API Restrictions", &["General", "Withdrawal"]), ("IP Restrictions", &["192.0.2.1"])] },
            Card { name: "Key", tags: &["V2"], fields: &[("API Restrictions", &["General"]), ("IP Restrictions", &["192.0.2.2"])] },
            Card { name: "API Restrictions", tags: &["V2"], fields: &[("Key", &["66b2dc64d767922826b1c7c8"]), ("API Restrictions", &["General", "Spot Trading"]), ("IP Restrictions", &["Unrestricted"])] },
        ],
    );
    let (snap, out, state) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("IP Restrictions".to_string(), "high".to_string()), ("Key".into(), "ok".into()), ("API Restrictions".into(), "high".into())]);
    assert_eq!(state.api.as_ref().unwrap().keys, 3);
    let read = api::read_page(&snap, "en");
    assert_eq!(read.keys[0].ip, IpRestriction::Ips(vec!["192.0.2.1".parse().unwrap()]));
    assert_eq!(read.keys[1].key, "");
    // A table row named like a column.
    let html = "<html lang=\"en\"><body><main><h1>API Management</h1><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th></tr></thead><tbody>\
<tr><td>IP Restrictions</td><td>67063b61d86793bb27b1c95b</td><td><span>General</span><span>Withdrawal</span></td><td>198.51.100.10</td></tr>\
<tr><td>read</td><td>66b2dc64d767922826b1c7c9</td><td><span>General</span></td><td>198.51.100.11</td></tr>\
<tr><td>API Restrictions</td><td>66b2dc64d767922826b1c7d0</td><td><span>General</span></td><td>198.51.100.12</td></tr>\
</tbody></table></main></body></html>";
    let (snap, out, state) = scan_html(html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("IP Restrictions".to_string(), "high".to_string()), ("read".into(), "ok".into()), ("API Restrictions".into(), "ok".into())]);
    assert_eq!(state.api.as_ref().unwrap().keys, 3);
}

/// A page of the pager that shows "No data" (the last key of page 2 deleted,
/// KuCoin's pager still under the list) is one page of the list, not the
/// whole of it: page 1's keys stay counted in that page load, and a page load
/// that shows only the empty page does not say "0 keys", offer the review or
/// let the checklist read "reviewed".
#[test]
fn an_empty_page_of_a_paginated_list_is_not_the_whole_list() {
    let empty_page = |doc: &str| {
        let mut html = String::new();
        let full = fixture("api-en.html");
        let list = full.find("<div class=\"css-0fczlh4\">").unwrap();
        let end = full.find("</div></div></main>").unwrap();
        html.push_str(&full[..list]);
        html.push_str("<div class=\"KuxEmpty-root css-0sur6a2\"><div class=\"KuxEmpty-img css-027zlb8\"></div><div class=\"KuxEmpty-description css-0chpgsg\">No data</div></div></div>");
        html.push_str("<div class=\"KuxPagination-root css-19fwuly\"><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv\">1</button><button type=\"button\" class=\"KuxPagination-item css-0dq8pmv KuxPagination-item-active\" aria-current=\"page\">2</button></div>");
        html.push_str(&full[end + "</div>".len()..]);
        let mut snap = snapshot_from_html(&html, API_URL);
        snap.page_id = doc.into();
        snap
    };
    assert!(api::read_page(&empty_page("x"), "en").empty);
    // Page 1 then the empty page 2 (same page load): page 1's keys stay.
    let mut state = State::default();
    scan(&paged(&[0, 1, 2, 3], 1, 2, "doc-1"), &mut state, NOW);
    let out = scan(&empty_page("doc-1"), &mut state, NOW + 1000);
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high, r.pages_read.clone()), (4, 2, vec![1, 2]));
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert_eq!(s.title, "4 API keys · 2 high risk · 1 to note");
    assert_eq!(s.buttons[0].action.key.split(',').count(), 4, "the review covers page 1's keys");
    // A page load showing only the empty page 2: page 1 is not read.
    let mut state = State::default();
    let out = scan(&empty_page("doc-2"), &mut state, NOW);
    let s = out.plan.widgets.iter().find(|w| w.key == "summary:api").unwrap();
    assert!(s.buttons.is_empty(), "no review of a list only partly read: {:?}", s.buttons);
    assert!(s.text.contains("1 of 2 pages"), "{:?}", s.text);
    let it = checklist_item(&state, NOW);
    assert_eq!((format!("{:?}", it.state), it.detail.as_str()), ("Todo".to_string(), "1 of 2 pages read"));
}

/// A key table whose rows expand (Ant Design's `expandedRowRender`, KuCoin's
/// `KuxTable-expandedRow`): the row under a key's row showing its details is
/// that key's, never a key of its own. Told by structure only: a class naming
/// it expanded, a single cell across the columns, or cells lined up with
/// nothing under the Name and Key columns. Its labelled fields add to the
/// key's (a Withdrawal permission shown there makes the key high risk); a
/// key's row with a class naming it expanded (Element UI marks the opened
/// row so) stays a key, and a detail-looking row with no key row above is
/// read as a key that cannot be verified, never dropped.
#[test]
fn an_expanded_detail_row_belongs_to_the_key_above() {
    let row = |class: &str, name: &str, key: &str, perms: &[&str], ips: &str| {
        let chips: String = perms.iter().map(|p| format!("<span>{p}</span>")).collect();
        format!("<tr class=\"{class}\"><td>{name}</td><td>{key}</td><td>{chips}</td><td>{ips}</td><td><button>Delete</button></td></tr>")
    };
    let table = |rows: &[String]| {
        format!(
            "<html lang=\"en\"><body><main><h1>API Management</h1><button>Create API</button><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>{}</tbody></table></main></body></html>",
            rows.concat()
        )
    };
    let html = table(&[
        row("ant-table-row", "bot", "67063b61d86793bb27b1c95b", &["General", "Spot Trading"], "203.0.113.24"),
        // notes only, one cell (its colspan is not in a snapshot)
        "<tr class=\"ant-table-expanded-row ant-table-expanded-row-level-1\"><td>Notes: the office trading bot, 2 servers</td></tr>".into(),
        row("ant-table-row", "payout", "66b2dc64d767922826b1c7c8", &["General"], "198.51.100.10"),
        // no class: one cell holding labelled fields, one of them the Withdrawal permission
        "<tr><td><div><div><span>API Restrictions</span><span>General, Withdrawal</span></div><div><span>IP Restrictions</span><span>198.51.100.10</span></div></div></td></tr>".into(),
        row("", "read", "5f1d6388da6796e129b1cc81", &["General"], "203.0.113.25"),
        // lined up with the header, nothing under Name and Key
        row("", "", "", &["General"], "203.0.113.26"),
        row("", "open", "65a9546cd86793bb27b1c95b", &["General", "Futures Trading"], "Unrestricted (Less secure.)"),
        // two cells of five, named expanded (KuCoin's table)
        "<tr class=\"KuxTable-expandedRow\"><td>Linked app</td><td>none</td></tr>".into(),
        // a key's own row named expanded (opened): a key
        row("el-table__row expanded", "copy", "6842ae10dc679a072bb1cfa7", &["General"], "203.0.113.27"),
        "<tr><td>Created by the copy-trading wizard</td></tr>".into(),
    ]);
    let (snap, out, state) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(
        got,
        vec![("bot".to_string(), "ok".to_string()), ("payout".into(), "high".into()), ("read".into(), "ok".into()), ("open".into(), "high".into()), ("copy".into(), "ok".into())]
    );
    assert_eq!(state.api.as_ref().unwrap().keys, 5);
    let page = api::read_page(&snap, "en");
    assert!(page.keys[1].has(Permission::Withdrawal), "{:?}", page.keys[1].permissions);
    assert_eq!(page.keys[2].ip, IpRestriction::Ips(vec!["203.0.113.25".parse().unwrap(), "203.0.113.26".parse().unwrap()]));
    assert!(page.keys.iter().all(|k| !k.key_unreadable && k.unknown_permissions.is_empty()), "{:?}", page.keys);
    // Every mark on a key's own row (a td under it holds its name).
    for (id, _) in marks(&out) {
        let pos = snap.nodes.iter().position(|n| n.id == id).unwrap();
        assert_eq!(snap.nodes[pos].tag, "tr");
        assert!(snap.nodes.iter().any(|n| n.parent == id && n.tag == "td" && snap.nodes.iter().any(|t| t.parent == n.id && ["bot", "payout", "read", "open", "copy"].contains(&t.text.as_str()))), "{id}");
    }
    // One key with its labelled details: no second key value stops the climb
    // from their labels at a row, and the table body is no card of its own.
    let html = table(&[row("", "solo", "67063b61d86793bb27b1c95b", &["General"], "203.0.113.24"), "<tr><td><div><div><span>API Restrictions</span><span>General, Withdrawal</span></div><div><span>IP Restrictions</span><span>203.0.113.24</span></div></div></td></tr>".into()]);
    let (snap, out, _) = scan_html(&html, API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![("solo".to_string(), "high".to_string())]);
    // No key row above it: a key of its own, which cannot be verified.
    let html = table(&["<tr class=\"ant-table-expanded-row\"><td>Notes: the office trading bot</td></tr>".into(), row("", "bot", "67063b61d86793bb27b1c95b", &["General"], "203.0.113.24")]);
    let (snap, out, _) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("Notes: the office trading bot".to_string(), "medium".to_string()), ("bot".into(), "ok".into())]);
}

/// Keys named like the labels the page reader finds its way by ("Create
/// API", "API Management", "Not Activated", a version tag): where a key's name
/// sits (a card's title, a table's Name column) that text is its name; the
/// page's own labels (the title, the Create API button) still bound the list.
#[test]
fn keys_named_like_page_labels_keep_their_names() {
    // (tax-report is inactive: named "Not Activated", still inactive)
    let (read, plain) = renamed_replica(["Create API", "API Management", "V1", "No data", "Not Activated", "API Risk Alerts", "Not Activated"]);
    for (k, p) in read.keys.iter().zip(&plain.keys) {
        assert_eq!((k.card, &k.key, &k.permissions, &k.ip, k.created_ms, &k.version, k.activated), (p.card, &p.key, &p.permissions, &p.ip, p.created_ms, &p.version, p.activated), "{}", k.name);
    }
    // One card on the page, the dl layout (title in a heading and the nav).
    let html = page("en", "API Management", &[Card { name: "Create API", tags: &["V2"], fields: &[("API Restrictions", &["General", "Spot Trading"]), ("IP Restrictions", &["192.0.2.1"])] }]);
    let (snap, out, _) = scan_html(&html, API_URL);
    let article = snap.nodes.iter().find(|n| n.tag == "article").unwrap().id;
    assert_eq!(marks(&out), vec![(article, "ok".to_string())]);
    assert_eq!(api::read_page(&snap, "en").keys[0].name, "Create API");
    // A table: the Name column holds the name, whatever it reads.
    let row = |name: &str, key: &str, perms: &str| format!("<tr><td>{name}</td><td>{key}</td><td>{perms}</td><td>203.0.113.24</td><td><button>Delete</button></td></tr>");
    let html = format!(
        "<html lang=\"en\"><body><main><h1>API Management</h1><button>Create API</button><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>{}{}{}</tbody></table></main></body></html>",
        row("Create API", "67063b61d86793bb27b1c95b", "General, Spot Trading"),
        row("Not Activated", "66b2dc64d767922826b1c7c8", "General"),
        row("API Management", "5f1d6388da6796e129b1cc81", "General, Withdrawal"),
    );
    let (snap, out, state) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    assert_eq!(got, vec![("Create API".to_string(), "ok".to_string()), ("Not Activated".into(), "ok".into()), ("API Management".into(), "high".into())]);
    assert!(api::read_page(&snap, "en").keys.iter().all(|k| k.activated));
    assert_eq!(state.api.as_ref().unwrap().keys, 3);
    let table = snap.nodes.iter().find(|n| n.tag == "table").unwrap().id;
    assert_eq!(api::read_page(&snap, "en").summary_anchor, Some((table, Place::Before)));
}

/// A table repeating its header row before every key: each row read once,
/// by its columns, every key its own. (2,000 keys took about 24 s when each
/// header scanned every row after it and each row compared every header;
/// speed is `./build.sh bench`'s to measure, not an assertion's.)
#[test]
fn a_header_repeated_before_every_key_is_read_once_per_key() {
    const N: usize = 2000;
    let mut html = String::from("<html lang=\"en\"><body><main><h1>API Management</h1><table><tbody>");
    for i in 0..N {
        html.push_str("<tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr>");
        let perms = if i % 10 == 3 { "<span>General</span><span>Withdrawal</span>" } else { "<span>General</span><span>Spot Trading</span>" };
        html.push_str(&format!("<tr><td>bot-{i}</td><td>67063b61d86793bb{i:08x}</td><td>{perms}</td><td>203.0.113.24</td><td><button>Delete</button></td></tr>"));
    }
    html.push_str("</tbody></table></main></body></html>");
    let (snap, out, state) = scan_html(&html, API_URL);
    let got = levels_by_name(&snap, "en", &out);
    let want: Vec<(String, String)> = (0..N).map(|i| (format!("bot-{i}"), if i % 10 == 3 { "high" } else { "ok" }.to_string())).collect();
    assert_eq!(got, want);
    let r = state.api.as_ref().unwrap();
    assert_eq!((r.keys, r.high, r.medium), (N as u32, (N / 10) as u32, 0));
    let page = api::read_page(&snap, "en");
    assert_eq!(page.keys[1234].key, format!("67063b61d86793bb{:08x}", 1234));
    // Marks on the key rows only, never a header row.
    let with_cells: std::collections::HashSet<u32> = snap.nodes.iter().filter(|n| n.tag == "td").map(|n| n.parent).collect();
    assert!(marks(&out).iter().all(|(id, _)| with_cells.contains(id)));
}

/// A row that says which key it is — a key value, or a Key field — other
/// than the key row above's is another key, whatever its structure: a row
/// of one cell (a card in a cell) or with a class naming it expanded that
/// shows its own key value was read as the previous key's details, so the
/// key vanished (its Withdrawal permission with it) and the previous key
/// took its key value. A detail row showing its own key's full value under
/// the masked one stays a detail, and the key row's value stays the key.
#[test]
fn a_row_showing_another_key_value_is_never_a_detail_row() {
    let row = |name: &str, key: &str, perms: &str, ips: &str| format!("<tr><td>{name}</td><td>{key}</td><td>{perms}</td><td>{ips}</td><td><button>Delete</button></td></tr>");
    let table = |rows: &[String]| {
        format!(
            "<html lang=\"en\"><body><main><h1>API Management</h1><button>Create API</button><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>{}</tbody></table></main></body></html>",
            rows.concat()
        )
    };
    let bot = row("bot", "67063b61d86793bb27b1c95b", "General", "203.0.113.24");
    for second in [
        // a key laid out as a card in one cell
        "<tr><td><div><b>ops</b><div><span>Key</span><span>66b2dc64d767922826b1c7c8</span></div><div><span>API Restrictions</span><span>General, Withdrawal</span></div><div><span>IP Restrictions</span><span>198.51.100.1</span></div></div></td></tr>".to_string(),
        // one cell, no labels
        "<tr><td><b>ops</b> <span>66b2dc64d767922826b1c7c8</span> <span>General, Withdrawal</span></td></tr>".to_string(),
        // a key row with a class naming it expanded, a cell short
        "<tr class=\"row-expanded\"><td>ops</td><td>66b2dc64d767922826b1c7c8</td><td>General, Withdrawal</td><td>198.51.100.1</td></tr>".to_string(),
        // its Key masked, in a labelled field
        "<tr><td><div><b>ops</b><div><span>Key</span><span>********</span></div><div><span>API Restrictions</span><span>General, Withdrawal</span></div></div></td></tr>".to_string(),
    ] {
        let (snap, out, state) = scan_html(&table(&[bot.clone(), second.clone()]), API_URL);
        let page = api::read_page(&snap, "en");
        assert_eq!(page.keys.len(), 2, "{second}: {:?}", page.keys);
        assert_eq!(state.api.as_ref().unwrap().keys, 2, "{second}");
        assert_eq!((page.keys[0].name.as_str(), page.keys[0].key.as_str()), ("bot", "67063b61d86793bb27b1c95b"), "{second}");
        assert_eq!(page.keys[0].permissions, vec![Permission::General], "{second}");
        // the second key: read, or reported as one that cannot be verified
        let got = levels_by_name(&snap, "en", &out);
        assert_ne!(got[1].1, "ok", "{second}: {got:?}");
    }
    // Its own key's full value under the masked one: a detail row still.
    let html = table(&[
        row("bot", "6706****c95b", "General", "203.0.113.24"),
        "<tr class=\"ant-table-expanded-row\"><td><div><span>Key</span><span>67063b61d86793bb27b1c95b</span></div><div><span>API Restrictions</span><span>General, Withdrawal</span></div></td></tr>".into(),
    ]);
    let (snap, out, _) = scan_html(&html, API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![("bot".to_string(), "high".to_string())]);
    assert_eq!(api::read_page(&snap, "en").keys[0].key, "6706****c95b");
}

/// A detail row's permissions outside any field ("Permissions: General,
/// Withdrawal", or chips alone) are its key's: a Withdrawal named there makes
/// the key high risk (it was lost: the key read "ok"). They only add: a key
/// whose own permissions cannot be read stays "can't verify".
#[test]
fn permissions_a_detail_row_names_are_its_keys() {
    let table = |head: &str, rows: &str| {
        format!("<html lang=\"en\"><body><main><h1>API Management</h1><button>Create API</button><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></main></body></html>")
    };
    let full = "<th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th>";
    let key = |name: &str, k: &str| format!("<tr class=\"ant-table-row\"><td>{name}</td><td>{k}</td><td><span>General</span></td><td>203.0.113.24</td><td><button>Delete</button></td></tr>");
    let detail = |inner: &str| format!("<tr class=\"ant-table-expanded-row\"><td>{inner}</td></tr>");
    let rows = [
        key("bot", "67063b61d86793bb27b1c95b"),
        detail("Permissions: General, Withdrawal"),
        key("chips", "66b2dc64d767922826b1c7c8"),
        detail("<span>General</span> <span>Withdrawal</span>"),
        key("notes", "5f1d6388da6796e129b1cc81"),
        detail("Notes: the office trading bot, spot trading only"),
    ]
    .concat();
    let (snap, out, state) = scan_html(&table(full, &rows), API_URL);
    assert_eq!(
        levels_by_name(&snap, "en", &out),
        vec![("bot".to_string(), "high".to_string()), ("chips".into(), "high".into()), ("notes".into(), "ok".into())]
    );
    assert_eq!(state.api.as_ref().unwrap().keys, 3);
    // No API Restrictions column: the details' General does not make the
    // permissions read (still "can't verify"); their Withdrawal does count.
    let partial = "<th>Name</th><th>Key</th><th>IP Restrictions</th><th></th>";
    let key = |name: &str, k: &str| format!("<tr class=\"ant-table-row\"><td>{name}</td><td>{k}</td><td>203.0.113.24</td><td><button>Delete</button></td></tr>");
    let rows = [key("plain", "67063b61d86793bb27b1c95b"), detail("Permissions: General"), key("risky", "66b2dc64d767922826b1c7c8"), detail("Permissions: General, Withdrawal")].concat();
    let (snap, out, _) = scan_html(&table(partial, &rows), API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![("plain".to_string(), "medium".to_string()), ("risky".into(), "high".into())]);
}

// ---------------------------------------------------------------- heads around headings and buttons

/// The replica with its first key card only (a list of one key: the card
/// alone holds every label, so no second card bounds the climb to it).
fn only_first_card(html: &str) -> String {
    let second = html.match_indices("<div class=\"css-0fczlh4\">").nth(1).unwrap().0;
    let end = html.find("</div></div></main>").unwrap();
    format!("{}{}", &html[..second], &html[end..])
}

/// The page in language `lang` (column `li` of the label tables) read, and
/// each key's (name, level) from a scan.
fn read_in(html: &str, rows: &HashMap<String, Vec<String>>, li: usize, lang: &str) -> (api::ApiPage, Vec<(String, String)>) {
    let html = translate(html, li, rows);
    let url = if lang == "en" { API_URL.to_string() } else { format!("https://www.kucoin.com/{lang}/account/api") };
    let snap = snapshot_from_html(&html, &url);
    let mut state = State::default();
    let out = scan(&snap, &mut state, NOW);
    (api::read_page(&snap, lang), levels_by_name(&snap, lang, &out))
}

/// A key's name in a heading of its card (`<h3>`, `<h4>`, `role="heading"`)
/// reads as the same name in a `<span>`: also a name like the page's own
/// labels ("Create API", "API Management"). Such a heading in a `<h3>` or
/// `role="heading"` was taken for the page's own title: it bounded the card,
/// which lost its head (no name, no V2 tag: "can't verify"). A heading ranked
/// below the page's `<h1>` title, in one card, is the card's. The page's
/// title never becomes a name: a card without one stays unnamed. Every
/// language; a list of several keys and of one.
#[test]
fn a_key_named_in_a_heading_reads_like_one_named_in_a_span() {
    let (langs, rows) = label_table();
    let en = fixture("api-en.html");
    let span = "<span class=\"css-0xrpuzt\">trading-bot</span>";
    let headings = [
        ("<h3 class=\"css-0xrpuzt\">", "</h3>"),
        ("<h4 class=\"css-0xrpuzt\">", "</h4>"),
        ("<div role=\"heading\" aria-level=\"3\" class=\"css-0xrpuzt\">", "</div>"),
        ("<div role=\"heading\" class=\"css-0xrpuzt\">", "</div>"),
    ];
    for (li, lang) in langs.iter().enumerate() {
        for (keys, base) in [(7, en.clone()), (1, only_first_card(&en))] {
            for name in ["trading-bot", "Create API", "API Management"] {
                let (want, want_levels) = read_in(&base.replace(span, &format!("<span class=\"css-0xrpuzt\">{name}</span>")), &rows, li, lang);
                let shown = if name == "trading-bot" { name.to_string() } else { rows[name][li].clone() };
                assert_eq!(want.keys.len(), keys, "{lang} {name}");
                assert_eq!((want.keys[0].name.as_str(), want.keys[0].version.as_str()), (shown.as_str(), "V2"), "{lang} {name}");
                assert_eq!(want_levels[0].1, "ok", "{lang} {name}");
                for (open, close) in headings {
                    let (got, levels) = read_in(&base.replace(span, &format!("{open}{name}{close}")), &rows, li, lang);
                    assert_eq!(got.keys, want.keys, "{lang} {name} {open}");
                    assert_eq!(levels, want_levels, "{lang} {name} {open}");
                }
            }
        }
    }
    // The page's title is no key's name: a card of one key without a name,
    // under an `<h1>` (the replica) or a `<h2>` (the dl layout) title.
    let nameless = only_first_card(&en).replace(span, "");
    let en_li = langs.iter().position(|l| l == "en").unwrap();
    let (read, levels) = read_in(&nameless, &rows, en_li, "en");
    assert_eq!((read.keys.len(), read.keys[0].name.as_str(), read.keys[0].version.as_str()), (1, "", "V2"));
    assert_eq!(levels[0].1, "medium");
    let html = page("en", "API Management", &[Card { name: "", tags: &[], fields: &[("Key", &["67063b61d86793bb27b1c95b"]), ("API Restrictions", &["General"]), ("IP Restrictions", &["192.0.2.1"])] }]);
    let (snap, out, _) = scan_html(&html, API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![(String::new(), "medium".to_string())]);
    // Nor a heading two levels above the fields (one up past a toolbar): a
    // card's head is beside its fields.
    let html = "<html lang=\"en\"><body><main><h1>API Management</h1><div><h3>Create API</h3><div><div><button>Create API</button></div><div>\
<div><div>Key</div><div>67063b61d86793bb27b1c95b</div></div><div><div>API Restrictions</div><div>General</div></div><div><div>IP Restrictions</div><div>192.0.2.1</div></div>\
</div></div></div></main></body></html>";
    let (snap, out, _) = scan_html(html, API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![(String::new(), "medium".to_string())]);
}

/// A "Create API" button inside a key's card — in its head beside the name
/// (the first card), or in a toolbar in the card's container before its head
/// — is the page's control, not a bound of the card: the key keeps its name
/// and tag (it lost its head: "can't verify"). Every language; a list of
/// several keys and of one; a toolbar beside the card (not in it) as before.
/// A toolbar in the card with text of its own beside the button: which text
/// is the head is not told, and the toolbar's text never becomes the name.
#[test]
fn a_create_api_button_in_a_keys_card_is_page_chrome() {
    let (langs, rows) = label_table();
    let en = fixture("api-en.html");
    let edit = "<button type=\"button\" class=\"KuxButton-root KuxButton-text css-0rinr1q\">Edit</button>";
    let create = "<button type=\"button\" class=\"KuxButton-root KuxButton-contained css-0skl4a4\">Create API</button>";
    let card = "<div class=\"css-0fczlh4\">";
    let toolbar = format!("<div class=\"css-1h6fy9i\"><span>Risk alerts on</span>{create}</div>");
    let bare = format!("<div class=\"css-1h6fy9i\"><span class=\"icon\"></span>{create}</div>");
    for (li, lang) in langs.iter().enumerate() {
        for (keys, base) in [(7, en.clone()), (1, only_first_card(&en))] {
            let (want, want_levels) = read_in(&base, &rows, li, lang);
            assert_eq!(want.keys.len(), keys, "{lang}");
            for (how, html) in [
                ("in its head", base.replacen(edit, create, 1)),
                ("a toolbar in its card", base.replacen(card, &format!("{card}{bare}"), 1)),
                ("a toolbar beside it", base.replacen(card, &format!("{toolbar}{card}"), 1)),
            ] {
                let (got, levels) = read_in(&html, &rows, li, lang);
                assert_eq!(levels, want_levels, "{lang} {how} ({keys} keys)");
                for (g, w) in got.keys.iter().zip(&want.keys) {
                    assert_eq!((&g.name, &g.version, &g.key, &g.permissions, &g.ip, g.activated), (&w.name, &w.version, &w.key, &w.permissions, &w.ip, w.activated), "{lang} {how}");
                }
            }
            let (got, levels) = read_in(&base.replacen(card, &format!("{card}{toolbar}"), 1), &rows, li, lang);
            assert_eq!((got.keys.len(), got.keys[0].key.as_str(), levels[0].1.as_str()), (keys, want.keys[0].key.as_str(), "medium"), "{lang}: {:?}", got.keys[0]);
            assert_ne!(got.keys[0].name, "Risk alerts on", "{lang}");
        }
    }
}

/// A detail row repeating its key's address (or the key's list naming one
/// twice): each address once in the key's IP restrictions, in the order
/// first shown.
#[test]
fn an_address_shown_twice_is_listed_once() {
    let html = "<html lang=\"en\"><body><main><h1>API Management</h1><table><thead><tr><th>Name</th><th>Key</th><th>API Restrictions</th><th>IP Restrictions</th><th></th></tr></thead><tbody>\
<tr class=\"ant-table-row\"><td>bot</td><td>67063b61d86793bb27b1c95b</td><td><span>General</span></td><td>203.0.113.24</td><td><button>Delete</button></td></tr>\
<tr class=\"ant-table-expanded-row\"><td><div><div><span>API Restrictions</span><span>General</span></div><div><span>IP Restrictions</span><span>198.51.100.9, 203.0.113.24</span></div></div></td></tr>\
<tr class=\"ant-table-row\"><td>ops</td><td>66b2dc64d767922826b1c7c8</td><td><span>General</span></td><td><span>198.51.100.1</span><span>198.51.100.1</span><span>2001:db8::1</span><span>2001:DB8::1</span></td><td><button>Delete</button></td></tr>\
</tbody></table></main></body></html>";
    let (snap, out, _) = scan_html(html, API_URL);
    assert_eq!(levels_by_name(&snap, "en", &out), vec![("bot".to_string(), "ok".to_string()), ("ops".into(), "ok".into())]);
    let page = api::read_page(&snap, "en");
    let ips = |list: &[&str]| IpRestriction::Ips(list.iter().map(|s| s.parse().unwrap()).collect());
    assert_eq!(page.keys[0].ip, ips(&["203.0.113.24", "198.51.100.9"]));
    assert_eq!(page.keys[1].ip, ips(&["198.51.100.1", "2001:db8::1"]));
}
