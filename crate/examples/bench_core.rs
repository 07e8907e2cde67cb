//! Core throughput on the host, for `./build.sh bench` (tests/bench/run.mjs):
//! extraction + verdicts, and the whole scan, per row, on saved pages.
//!
//! ```sh
//! cargo run --profile bench-host --features cli --example bench_core -- [--out DIR] [--ms N] page.html...
//! ```
//! Prints one JSON object per page. With `--out`, also writes each page's
//! snapshot as JSON (`DIR/<page>.snapshot.json`) for the wasm measurement.
use session_guard::{app, assess, extract, html_snapshot, storage};
use std::time::Instant;

const URL: &str = "https://www.kucoin.com/account/security";
const NOW: i64 = 1_752_500_000_000;

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (q(0.5), q(0.95))
}

/// Time `f` repeatedly for about `ms` milliseconds (at least 5 runs): median and p95 in µs.
fn time<F: FnMut()>(ms: u64, mut f: F) -> (f64, f64, usize) {
    f(); // warm-up (label tables, allocator)
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < 5 || (start.elapsed().as_millis() as u64) < ms {
        let t = Instant::now();
        f();
        samples.push(t.elapsed().as_secs_f64() * 1e6);
        if samples.len() >= 2000 {
            break;
        }
    }
    let n = samples.len();
    let (med, p95) = stats(samples);
    (med, p95, n)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out_dir: Option<String> = None;
    let mut ms = 400u64;
    let mut pages = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out_dir = args.next(),
            "--ms" => ms = args.next().and_then(|s| s.parse().ok()).unwrap_or(ms),
            _ => pages.push(a),
        }
    }
    for path in pages {
        let html = std::fs::read_to_string(&path).expect("read page");
        let snap = html_snapshot::snapshot_from_html(&html, URL);
        let ex = extract::extract(&snap);
        let rows: usize = ex.tables.iter().map(|t| t.records.len()).sum();
        let me = extract::this_browser(&snap.env);
        let state = storage::State::default();
        let (ex_med, ex_p95, ex_n) = time(ms, || {
            std::hint::black_box(extract::extract(std::hint::black_box(&snap)));
        });
        let (ea_med, ea_p95, ea_n) = time(ms, || {
            let ex = extract::extract(std::hint::black_box(&snap));
            std::hint::black_box(assess::assess(&ex, &state.trust, me.as_ref(), &state.acks));
        });
        let (scan_med, scan_p95, scan_n) = time(ms, || {
            let mut st = state.clone();
            std::hint::black_box(app::handle_scan(std::hint::black_box(&snap), &mut st, NOW));
        });
        // reading the store the page leaves behind (JSON text → Value → State), as every call does
        let mut stored_state = state.clone();
        app::handle_scan(&snap, &mut stored_state, NOW);
        let stored_json = storage::to_json(&stored_state);
        let (load_med, load_p95, load_n) = time(ms, || {
            let v = storage::parse_json(std::hint::black_box(&stored_json)).unwrap();
            let storage::Value::Obj(raw) = v else { panic!("store is an object") };
            let raw: std::collections::BTreeMap<_, _> = raw.into_iter().collect();
            std::hint::black_box(storage::load(&raw, NOW));
        });
        let name = std::path::Path::new(&path).file_stem().unwrap().to_string_lossy().to_string();
        if let Some(dir) = &out_dir {
            let file = format!("{dir}/{name}.snapshot.json");
            // in the compact form the content script sends (snapshot.rs COMPACT)
            std::fs::write(&file, session_guard::snapshot::to_compact(&snap)).expect("write snapshot");
        }
        println!(
            "{}",
            serde_json::json!({
                "page": name, "nodes": snap.nodes.len(), "rows": rows,
                "extract_us": {"median": ex_med, "p95": ex_p95, "runs": ex_n},
                "extract_assess_us": {"median": ea_med, "p95": ea_p95, "runs": ea_n},
                "scan_us": {"median": scan_med, "p95": scan_p95, "runs": scan_n},
                "load_store_us": {"median": load_med, "p95": load_p95, "runs": load_n, "bytes": stored_json.len()},
                "extract_assess_us_per_row": ea_med / rows.max(1) as f64,
                "scan_us_per_row": scan_med / rows.max(1) as f64,
            })
        );
    }
}
