//! Any HTML (as the host parser reads saved pages) → snapshot → scan.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_guard::app::handle_scan;
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::storage::State;

fuzz_target!(|data: &[u8]| {
    if data.len() > 200_000 {
        return;
    }
    let (url, html) = match data.first() {
        Some(b) => (session_guard_fuzz::URLS[*b as usize % 3], String::from_utf8_lossy(&data[1..])),
        None => return,
    };
    let mut snap = snapshot_from_html(&html, url);
    snap.env.ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36".into();
    let mut state = State::default();
    let _ = handle_scan(&snap, &mut state, 1_752_500_000_000);
});
