//! The JSON formats did not change when serde was replaced by the core's own
//! JSON layer (`json.rs`). tests/data/json holds what the serde-based core
//! wrote for the same inputs (generated with it before the change): the
//! current core must write the same bytes, and read every sample back to
//! values that write the same bytes again.
use session_guard::json::{from_text, to_text, FromJson, ToJson};
use session_guard::*;
use std::fs;

fn fixture(name: &str) -> String {
    fs::read_to_string(format!("{}/../tests/fixtures/kucoin/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}
fn sample(name: &str) -> String {
    let text = fs::read_to_string(format!("{}/tests/data/json/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    text.strip_suffix('\n').unwrap().to_string()
}

/// Written as the serde-based core wrote it (plus fields added since:
/// `UPDATE_GOLDEN=1` rewrites the samples; review the diff).
fn put(name: &str, text: String) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(format!("{}/tests/data/json/{name}", env!("CARGO_MANIFEST_DIR")), format!("{text}\n")).unwrap();
    }
    assert_eq!(text, sample(name), "{name}");
}

/// Decodes and re-encodes to the same bytes.
fn again<T: FromJson + ToJson + PartialEq + std::fmt::Debug>(text: &str) -> T {
    let v: T = from_text(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(to_text(&v), text);
    v
}

#[test]
fn samples_read_back_and_write_the_same_bytes() {
    again::<snapshot::Snapshot>(&sample("snapshot-hostile.json"));
    for name in ["outcome-scan-hostile.json", "outcome-scan-api.json", "outcome-scan-en.json"] {
        again::<app::Outcome>(&sample(name));
    }
    again::<api::ApiPage>(&sample("api-page.json"));
    again::<extract::Extraction>(&sample("extraction-hostile.json"));
    again::<app::Badge>(&sample("badge.json"));
    let st = again::<storage::State>(&sample("state-full.json"));
    // every stored key, also through the loader (no quarantine, same state)
    let storage::Value::Obj(raw) = storage::parse_json(&sample("state-full.json")).unwrap() else { panic!() };
    let raw = raw.into_iter().collect();
    let l = storage::load(&raw, 1);
    assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
    assert_eq!(l.state, st);
    assert!(st.flow.is_some() && st.api.is_some() && !st.accounts.is_empty() && st.checks.last.is_some());
    let lines = sample("actions-and-outcomes.jsonl");
    let mut lines = lines.lines();
    while let (Some(a), Some(o)) = (lines.next(), lines.next()) {
        again::<plan::Action>(a);
        again::<app::Outcome>(o);
    }
    // the export's kept-aside values and the popup model are written only
    let report: serde_json::Value = serde_json::from_str(&sample("export-report.json")).unwrap();
    assert_eq!(report["kept_aside"][0][1]["z"][2], 1e300);
}

#[test]
fn same_inputs_write_the_same_bytes() {
    let now = 1_752_500_000_000i64;
    let sec = "https://www.kucoin.com/account/security";
    let snap = html_snapshot::snapshot_from_html(&fixture("security-en-hostile.html"), sec);
    put("snapshot-hostile.json", storage::to_json(&snap));
    let mut st = storage::State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let out = app::handle_scan(&snap, &mut st, now);
    put("outcome-scan-hostile.json", storage::to_json(&out));
    // api page
    let api_snap = html_snapshot::snapshot_from_html(&fixture("api-en.html"), "https://www.kucoin.com/account/api");
    let out = app::handle_scan(&api_snap, &mut st, now + 1000);
    put("outcome-scan-api.json", storage::to_json(&out));
    let page = api::read_page(&api_snap, "en");
    put("api-page.json", storage::to_json(&page));
    let ex = extract::extract(&snap);
    put("extraction-hostile.json", storage::to_json(&ex));
    // a second account, then back
    let snap_en = html_snapshot::snapshot_from_html(&fixture("security-en.html"), sec);
    let cur = st.account.clone();
    st.switch_account("b***@y.com");
    st.trust.trust(&device::parse_kucoin_device("Windows 10 Chrome"), "B's \"PC\" é😀", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), now, true);
    st.switch_account(&cur);
    st.trust.trust(&device::parse_kucoin_device("iOS 17.5 iPhone"), "Phone\n\t\u{1}", Some(&"2001:db8::1".parse().unwrap()), None, now, false);
    st.trust.suspects.push(trust::Suspect { fingerprint: "web|linux|firefox|".into(), network: "198.51.100.0/24".into(), describe: "Linux Firefox".into(), area: "Lagos".into(), marked_at: now - 5 });
    st.acks = assess::Acks {
        until: now - 1,
        keys: vec!["login|1|192.0.2.1".into()],
        flagged: vec![assess::FlaggedEvent { key: "create api|1752500000000|198.51.100.77".into(), event_type: "Create API \u{202e}<b>x</b>".into(), time_ms: Some(now), ip: "198.51.100.77".into(), area: "Lagos".into(), device: String::new() }],
    };
    st.settings.banner_dismissed = true;
    let mut f = flow::Flow::new(flow::FlowKind::LogoutAll, flow::Stage::Native, now);
    f.phase = flow::Phase::AwaitPopconfirm;
    f.waits = 3;
    f.tab = 17;
    f.target = Some(flow::Target { device_text: "Linux Firefox".into(), ip: "198.51.100.77".into(), area: "Lagos".into(), time_ms: Some(now - 99) });
    f.removed = vec!["a".into(), "b".into()];
    f.skipped = vec![flow::Target::default()];
    f.total = 4;
    f.failure = Some(flow::Failure { at: now, what: "it broke".into() });
    f.notes = vec!["n1".into()];
    f.errors_before = vec!["e".into()];
    f.dialogs_before = vec![3, 4];
    f.dialog = 9;
    f.native_label = "Log out".into();
    f.form_seen_at = Some(now - 7);
    f.prefix = "/ru".into();
    f.page_id = "p-1".into();
    st.flow = Some(f);
    st.checks = check::Checks {
        password_changed_at: Some(now - 100),
        baseline_ms: None,
        detected_by: "dialog".into(),
        last: Some(check::CheckResult { at: now, for_change: now - 100, passed: false, survivors: vec!["x".into()], unverified: vec![], logins_checked: true, login_issues: vec!["li".into()], trusted_issues: Some(vec!["ti".into()]), event_seen: Some(false), tz: -330, pages_seen: vec![1, 3], issue_pages: vec![3], page_count: 4, doc: "p-1".into(), view_page: 3, view_sig: now - 9 }),
        dismissed: true,
        paging: Some(check::Paging { tab: 7, target: 2, since: now - 3, waits: 2, back_to: 1, failure: "f".into(), doc: "p-2".into() }),
        alerts: vec![check::Alert { at: now, last_seen: now + 1, severity: assess::Severity::High, kind: "login_confirmation".into(), text: "alert".into() }],
    };
    st.notices.push(storage::Notice { at: -5, text: "quote \" back\\slash \u{1} \u{1f} \n\t\r é 😀 \u{2028}".into(), kept_as: "quarantine/1/trust".into() });
    if let Some(api) = st.api.as_mut() {
        api.reviewed_at = now;
        api.reviewed.push("fp".into());
        api.created.push(api::CreateEvent { time_ms: now, ip: "192.0.2.9".into(), area: "".into() });
    }
    assert!(st.scan.is_some() && st.api.is_some() && !st.history.is_empty() && !st.accounts.is_empty());
    put("state-full.json", storage::to_json(&st));
    // one key alone is that key's part of the whole
    let whole: serde_json::Value = serde_json::from_str(&storage::to_json(&st)).unwrap();
    for key in storage::KEYS {
        let one: serde_json::Value = serde_json::from_str(&storage::to_json_only(&st, Some(&[key.to_string()]))).unwrap();
        assert_eq!(one, serde_json::json!({ *key: whole[*key] }));
    }
    // export report with a kept-aside value
    let kept = vec![("quarantine/1/trust".to_string(), storage::parse_json(r#"{"z":[1,-2.5,1e300,null,true,"s"],"a":{}}"#).unwrap())];
    put("export-report.json", storage::to_json(&app::export_report(&st, kept, now)));
    put("badge.json", storage::to_json(&app::badge(&st, now)));
    put("popup-model.json", storage::to_json(&popup::model(&st, now)));
    // actions: one that starts a flow with steps
    let mut st2 = storage::State { schema_version: storage::SCHEMA_VERSION, ..Default::default() };
    let out = app::handle_scan(&snap_en, &mut st2, now);
    put("outcome-scan-en.json", storage::to_json(&out));
    let mut outs = Vec::new();
    for w in &out.plan.widgets {
        for b in &w.buttons {
            let mut s = st2.clone();
            if let Ok(o) = app::handle_action(&b.action, &mut s, now + 5) {
                outs.push(storage::to_json(&b.action));
                outs.push(storage::to_json(&o));
            }
        }
    }
    put("actions-and-outcomes.jsonl", outs.join("\n"));
}
