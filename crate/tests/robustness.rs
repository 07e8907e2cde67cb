//! No input panics the core: random and adversarial snapshots, huge cells,
//! deep nesting. (The hand-written xorshift of `common`: no extra crates.)
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_action, handle_scan};
use session_guard::plan::Action;
use session_guard::snapshot::{Node, Snapshot, TEXT_TAG};
use session_guard::storage::State;

mod common;
use common::Rng;

const TEXTS: &[&str] = &[
    "Login IP", "Login Device", "Time", "Status", "Type", "Trusted Device", "Recent Activity", "Remove Device",
    "Current", "Online", "Offline", "Онлайн", "В сети", "オンライン", "No data", "Remove", "Change Password",
    "Singapore(203.0.113.24)", "(2001:db8::1)", "Lagos(198.51.100.77)", "fe80::1%eth0", "((((", "))", "1.2.3",
    "7/14/2025, 09:21:37", "14.07.2025, 09:21:37", "2025/7/14 09:21:37", "٣‏/٢‏/٢٠٢٤، ٢٣:٠٥:٠٩", "13/13/2025, 25:61:61",
    "Linux Chrome", "Windows 10 Chrome", "<img src=x onerror=alert(1)>", "\u{202e}evil", "\u{200b}", "", " ",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
];
const TAGS: &[&str] = &["div", "table", "thead", "tbody", "tr", "td", "th", "span", "button", "ul", "li", "body"];
const URLS: &[&str] = &[
    "https://www.kucoin.com/account/security", "https://www.kucoin.com/ru/account/security", "https://www.kucoin.com/ja/account/security",
    "https://www.kucoin.com/account/api", "https://www.kucoin.com/ucenter/signin", "https://www.kucoin.com/markets",
];

fn random_snapshot(rng: &mut Rng, n: usize) -> Snapshot {
    let mut s = Snapshot { url: rng.pick(URLS).into(), lang: rng.pick(&["en", "ru", "ja", "nl", "", "xx"]).into(), ..Default::default() };
    let mut elements: Vec<u32> = vec![0];
    for id in 1..=n as u32 {
        // parent: a recent element keeps pre-order valid (ancestors chain)
        let parent = elements[elements.len() - 1 - rng.below(elements.len().min(4))];
        // pop to keep `elements` an ancestor chain ending at parent
        while *elements.last().unwrap() != parent {
            elements.pop();
        }
        if rng.below(3) == 0 && parent != 0 {
            s.nodes.push(Node { id, parent, tag: TEXT_TAG.into(), text: rng.pick(TEXTS).into(), ..Default::default() });
        } else {
            let mut attrs = Vec::new();
            if rng.below(5) == 0 {
                attrs.push(("role".to_string(), rng.pick(&["row", "cell", "button", "table"]).to_string()));
            }
            s.nodes.push(Node { id, parent, tag: rng.pick(TAGS).into(), attrs, hidden: rng.below(10) == 0, ..Default::default() });
            elements.push(id);
        }
    }
    s
}

#[test]
fn random_snapshots_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut state = State::default();
    for i in 0..3000 {
        let snap = random_snapshot(&mut rng, 1 + (i % 200));
        let out = handle_scan(&snap, &mut state, i as i64);
        // whatever we mark must exist in the snapshot
        for m in &out.plan.marks {
            assert!(snap.nodes.iter().any(|n| n.id == m.id));
        }
    }
}

#[test]
fn malformed_snapshots_are_rejected_not_panicking() {
    let mut state = State::default();
    let bad = Snapshot {
        url: URLS[0].into(),
        nodes: vec![
            Node { id: 5, parent: 9, tag: "div".into(), ..Default::default() },
            Node { id: 5, parent: 0, tag: "div".into(), ..Default::default() },
        ],
        ..Default::default()
    };
    let out = handle_scan(&bad, &mut state, 1);
    assert!(out.plan.marks.is_empty());
    assert!(!state.scan.unwrap().summary.readable);
}

#[test]
fn deep_nesting_and_huge_cells() {
    let mut s = Snapshot { url: URLS[0].into(), lang: "en".into(), ..Default::default() };
    for id in 1..=100_000u32 {
        s.nodes.push(Node { id, parent: id - 1, tag: "div".into(), ..Default::default() });
    }
    s.nodes.push(Node { id: 100_001, parent: 100_000, tag: TEXT_TAG.into(), text: "A".repeat(131_072), ..Default::default() });
    let mut state = State::default();
    handle_scan(&s, &mut state, 1);
    // and the host HTML parser path (iterative walk)
    let html = format!("<html><body>{}x{}</body></html>", "<div>".repeat(4_000), "</div>".repeat(4_000));
    let snap = session_guard::html_snapshot::snapshot_from_html(&html, URLS[0]);
    assert!(snap.nodes.len() > 1000);
}

#[test]
fn hostile_actions_are_rejected() {
    let mut state = State::default();
    for a in [
        Action { kind: "trust".into(), ip: "999.1.1.1".into(), ..Default::default() },
        Action { kind: "trust".into(), device_text: "x".repeat(5000), ..Default::default() },
        Action { kind: "trust".into(), label: "y".repeat(500), ..Default::default() },
        Action { kind: "__proto__".into(), ..Default::default() },
    ] {
        assert!(handle_action(&a, &mut state, 1).is_err(), "{a:?}");
    }
    assert!(state.trust.devices.is_empty());
}

/// 20,000 Recent Logins rows whose device names are the attacker's ("No
/// data", which KuCoin shows for an empty list; a date-time, which makes a row
/// read beside the others): every row kept. (Each "No data" walked its whole
/// tab panel, each row read beside the list was one insertion: quadratic, ten
/// times as long for this page. Speed is `./build.sh bench`'s to measure, not
/// an assertion's.)
#[test]
fn thousands_of_hostile_device_names_are_all_read() {
    let mut rows = String::new();
    for i in 0..20_000u32 {
        let dev = if i % 4 == 0 { "7/14/2025, 09:21:37" } else { "No data" };
        rows.push_str(&format!(
            "<tr><td>Lagos(10.{}.{}.{})</td><td>{dev}</td><td>7/{}/2025, 10:{:02}:{:02}</td><td>Offline</td></tr>",
            i / 65_536, (i / 256) % 256, i % 256, 1 + i % 28, i % 60, (i / 60) % 60
        ));
    }
    let html = format!(
        "<html lang=\"en\"><body><div role=\"tablist\"><button role=\"tab\" aria-selected=\"true\">Recent Logins</button></div>\
         <div role=\"tabpanel\"><table><thead><tr><th>Login IP</th><th>Login Device</th><th>Time</th><th>Status</th></tr></thead>\
         <tbody>{rows}</tbody></table></div></body></html>"
    );
    let snap = session_guard::html_snapshot::snapshot_from_html(&html, URLS[0]);
    let ex = session_guard::extract::extract(&snap);
    let t = ex.table(session_guard::extract::TableKind::RecentLogins).expect("Recent Logins");
    assert_eq!((t.records.len(), t.unreadable.len()), (20_000, 0));
}

/// The store's items as the background hands them to the core (the
/// bindings' `members`): the text of all of them at once, and each item's own
/// text for when that one cannot be read.
fn read_store(items: &[(String, String)]) -> Result<session_guard::storage::Members, String> {
    use session_guard::storage;
    let whole: Vec<String> = items.iter().map(|(k, t)| format!("{}:{t}", storage::to_json(k))).collect();
    let whole = format!("{{{}}}", whole.join(","));
    storage::read_members(Ok(whole), || items.iter().map(|(k, t)| (k.clone(), Ok(t.clone()))).collect())
}

/// What the bindings and the background write after a call: the copies of
/// unreadable data first, then the state keys the call or the reading changed.
fn write_back(store: &mut Vec<(String, String)>, loaded: &session_guard::storage::Loaded, state: &State, writes: &[String]) {
    use session_guard::storage::{self, Value};
    let mut set = |k: &str, text: String| match store.iter_mut().find(|(sk, _)| sk == k) {
        Some(item) => item.1 = text,
        None => store.push((k.to_string(), text)),
    };
    for (k, v) in &loaded.quarantine {
        set(k, storage::to_json(v));
    }
    let mut keys = writes.to_vec();
    for k in &loaded.dirty {
        if !keys.iter().any(|w| w == k) {
            keys.push(k.to_string());
        }
    }
    let Value::Obj(fields) = storage::parse_json(&storage::to_json_only(state, Some(&keys))).unwrap() else { panic!() };
    for (k, v) in fields {
        set(&k, storage::to_json(&v));
    }
}

/// One stored item nested deeper than the core's JSON parser goes (written
/// by another version, a sync, an import): only that item is unreadable. It
/// is kept aside as its text with a notice the popup shows, the trusted
/// devices and every other item keep working, a scan works, and the write
/// that follows never replaces the item before its copy is stored.
#[test]
fn one_deeply_nested_item_leaves_the_rest_of_the_store_readable() {
    use session_guard::storage::{self, Value};
    const NOW: i64 = 1_752_500_000_000;
    let mut state = State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    for (ua, label) in [("Windows 10 Chrome", "Laptop"), ("Linux Firefox", "Desk")] {
        state.trust.trust(&session_guard::device::parse_kucoin_device(ua), label, None, None, NOW - 1000, false);
    }
    state.settings.banner_dismissed = true;
    let Value::Obj(good) = storage::parse_json(&storage::to_json(&state)).unwrap() else { panic!() };
    let mut store: Vec<(String, String)> = good.iter().map(|(k, v)| (k.clone(), storage::to_json(v))).collect();
    // 300 levels under "api", lists and objects
    let deep = format!("{}1{}", "[{\"k\":".repeat(150), "}]".repeat(150));
    store.retain(|(k, _)| k != "api");
    store.push(("api".into(), deep.clone()));
    let whole = read_store(&store).unwrap();
    assert_eq!(whole.unreadable.len(), 1, "one unreadable item: {:?}", whole.unreadable.iter().map(|u| &u.key).collect::<Vec<_>>());
    assert!(storage::parse_json(&format!("{{\"api\":{deep}}}")).is_err(), "the parser still refuses it");

    let loaded = storage::load_stored(&whole, NOW);
    assert_eq!(loaded.state.trust, state.trust, "trusted devices are read");
    assert!(loaded.state.settings.banner_dismissed, "other items too");
    assert!(loaded.state.api.is_none());
    let kept = format!("quarantine/{NOW}/api");
    assert_eq!(loaded.quarantine, vec![(kept.clone(), Value::Str(deep.clone()))], "its text kept aside");
    let notice = loaded.state.notices.iter().find(|n| n.kept_as == kept).expect("a notice for it");
    assert!(notice.text.contains("api") && notice.text.contains("nested too deeply"), "{}", notice.text);
    assert!(loaded.dirty.contains(&"api"));
    // the popup says so, and still lists the trusted devices
    let m = session_guard::popup::model(&loaded.state, NOW);
    assert!(m.notices.contains(&notice.text), "{:?}", m.notices);
    assert_eq!(m.trusted.len(), 2);

    // a scan works on it, and its writes keep the item's text
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap();
    let snap = session_guard::html_snapshot::snapshot_from_html(&html, URLS[0]);
    let mut st = loaded.state.clone();
    let out = handle_scan(&snap, &mut st, NOW);
    assert!(st.scan.as_ref().is_some_and(|s| s.summary.readable));
    write_back(&mut store, &loaded, &st, &out.writes);
    let copy = store.iter().find(|(k, _)| *k == kept).map(|(_, t)| storage::parse_json(t).unwrap());
    assert_eq!(copy, Some(Value::Str(deep)), "the copy is the item's text, byte for byte");

    // read again: whole at once, nothing set aside twice, nothing lost
    let again = read_store(&store).unwrap();
    assert!(again.unreadable.is_empty());
    let l2 = storage::load_stored(&again, NOW + 1);
    assert!(l2.quarantine.is_empty(), "{:?}", l2.state.notices);
    for d in &state.trust.devices {
        assert!(l2.state.trust.devices.iter().any(|x| x.fingerprint == d.fingerprint && x.label == d.label), "{} kept", d.label);
    }
    assert!(l2.state.notices.iter().any(|n| n.kept_as == kept), "the notice stays");
    assert!(l2.state.settings.banner_dismissed);
}
