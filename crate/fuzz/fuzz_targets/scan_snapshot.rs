//! Any snapshot → the whole scan pipeline (extract → assess → plan), then
//! every button the plan offers pressed once. Must never panic; a plan only
//! ever refers to nodes of the snapshot.
#![no_main]
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use session_guard::app::{handle_action, handle_scan};
use session_guard::storage::State;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(snap) = session_guard_fuzz::snapshot(&mut u) else { return };
    let mut state = State::default();
    let out = handle_scan(&snap, &mut state, 1_752_500_000_000);
    let ids: std::collections::HashSet<u32> = snap.nodes.iter().map(|n| n.id).collect();
    for m in &out.plan.marks {
        assert!(ids.contains(&m.id), "mark on unknown node {}", m.id);
    }
    for w in &out.plan.widgets {
        assert!(ids.contains(&w.anchor), "widget on unknown node {}", w.anchor);
    }
    // A second scan with what the first one learned.
    let _ = handle_scan(&snap, &mut state, 1_752_500_060_000);
    for w in &out.plan.widgets {
        for b in &w.buttons {
            let mut s = state.clone();
            let _ = handle_action(&b.action, &mut s, 1_752_500_120_000);
        }
    }
});
