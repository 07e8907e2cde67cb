//! Whatever chrome.storage hands back → load (migrate, decode, quarantine).
//! Never panics, never loses data: every value it cannot use is kept aside
//! unchanged with a notice, and what it would write reads back unchanged.
#![no_main]
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use session_guard::storage::{self, Value, QUARANTINE_PREFIX, SCHEMA_VERSION};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(raw) = session_guard_fuzz::store(&mut u) else { return };
    let now = 1_752_500_000_000;
    let l = storage::load(&raw, now);
    assert_eq!(l.state.schema_version, SCHEMA_VERSION);
    for (k, v) in &l.quarantine {
        let key = k.strip_prefix(&format!("{QUARANTINE_PREFIX}{now}/")).expect("quarantine key format");
        if key == "all" {
            assert!(matches!(v, Value::Obj(_)), "kept store is not an object");
            for (rk, rv) in &raw {
                if !rk.starts_with(QUARANTINE_PREFIX) {
                    assert_eq!(v.get(rk), Some(rv), "{rk} lost");
                }
            }
        } else if key == "trust.before-migration" {
            assert_eq!(raw.get("trust"), Some(v), "v2 trust next to v1 data not kept as it was");
        } else if key == "trust" && raw.get("trust") != Some(v) {
            // v1 `trusted` migrated (every device kept, defaults added), then unreadable.
            assert!(raw.contains_key("trusted"), "trust set aside from nowhere");
        } else {
            assert_eq!(raw.get(key), Some(v), "{key} not kept as it was");
        }
        assert!(l.state.notices.iter().any(|n| &n.kept_as == k), "no notice for {k}");
    }
    // What this version writes reads back as the same state, with nothing set aside.
    let written = storage::to_json(&l.state);
    let Ok(Value::Obj(back)) = storage::parse_json(&written) else { panic!("state is not a JSON object: {written}") };
    let back = back.into_iter().collect();
    let again = storage::load(&back, now + 1);
    assert!(again.quarantine.is_empty(), "own data set aside: {:?}", again.state.notices);
    assert_eq!(again.state, l.state);
    if let Some(v) = raw.get("trust") {
        let _ = storage::import_trust(v);
    }
});
