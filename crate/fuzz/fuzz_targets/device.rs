//! Device strings and User-Agents as pages and browsers show them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_guard::device::{from_client_hints, parse_device, parse_kucoin_device, parse_user_agent};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for d in [parse_device(&s), parse_user_agent(&s), parse_kucoin_device(&s)] {
        let _ = d.describe();
        let fp = d.fingerprint();
        assert!(d.same_device(&d) || fp.is_empty() || !fp.is_empty());
    }
    // Client hints: lines are "brand;version", the last line the platform.
    let mut lines: Vec<&str> = s.split('\n').collect();
    let platform = lines.pop().unwrap_or("");
    let brands: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let (b, v) = l.split_once(';').unwrap_or((l, ""));
            (b.to_string(), v.to_string())
        })
        .collect();
    let d = from_client_hints(&brands, platform, Some(platform), data.first().is_some_and(|b| b & 1 == 1), Some(platform));
    let _ = (d.describe(), d.fingerprint(), d.same_device(&parse_kucoin_device(&s)));
});
