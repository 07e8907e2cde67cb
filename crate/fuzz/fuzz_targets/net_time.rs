//! IP cells ("Area(IP)") and date-times in every page language.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_guard::{net, time};

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let lang = session_guard_fuzz::LANGS[data[0] as usize % session_guard_fuzz::LANGS.len()];
    let offset = i16::from_le_bytes([data[1], data[2]]) as i32;
    let s = String::from_utf8_lossy(&data[3..]);
    if let Ok(ip) = net::parse_ip(&s) {
        let _ = (net::classify(&ip), net::network_prefix(&ip), net::same_network(&ip, &ip));
    }
    if let Ok(cell) = net::parse_login_ip(&s) {
        assert!(net::same_network(&cell.ip, &cell.ip));
    }
    let _ = time::parse_datetime(&s, lang, &time::Zone::fixed(offset));
    if let Ok(ms) = time::parse_datetime(&s, lang, &time::Zone::fixed(offset.clamp(-840, 840))) {
        let _ = time::format_ymd_hm(ms, offset.clamp(-840, 840));
    }
    // an offset history (DST) with a change at a fuzzed minute
    let zone = time::Zone::new(60, vec![(0, offset.clamp(-840, 840)), (i64::from(data[2]) << 20, 60)]);
    if let Ok(ms) = time::parse_datetime(&s, lang, &zone) {
        let _ = time::format_ymd_hm(ms, zone.offset_at(ms));
    }
});
