//! The `session-guard` binary (host, `--features cli`).
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_session-guard");

fn fixture(name: &str) -> String {
    format!("{}/../tests/fixtures/kucoin/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn scan_prints_a_json_report() {
    let out = Command::new(BIN).args(["scan", &fixture("security-zh_CN.html"), "--url", "https://www.kucoin.com/zh_CN/account/security"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["page"], "security");
    assert_eq!(v["lang"], "zh_CN");
    let tables = v["tables"].as_array().unwrap();
    let logins = tables.iter().find(|t| t["kind"] == "recent_logins").unwrap();
    assert_eq!(logins["records"].as_array().unwrap().len(), 5);
    assert_eq!(logins["records"][0]["status"], "current");
    assert_eq!(logins["records"][0]["ip"]["area"], "新加坡");
    assert_eq!(logins["records"][1]["device"]["browser"], "Firefox");
}

#[test]
fn scan_reads_an_api_page() {
    let out = Command::new(BIN).args(["scan", &fixture("api-en.html"), "--url", "https://www.kucoin.com/account/api"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["page"], "api");
    let levels: Vec<(&str, &str)> = v["keys"].as_array().unwrap().iter().map(|k| (k["key"]["name"].as_str().unwrap(), k["level"].as_str().unwrap())).collect();
    assert_eq!(levels[1], ("withdraw-ops", "high"));
    assert_eq!(levels.len(), 7);
    assert_eq!(v["keys"][1]["key"]["permissions"][1], "withdrawal");
}

#[test]
fn scan_exits_2_on_unreadable_pages() {
    for (file, url) in [
        ("security-en-notables.html", "https://www.kucoin.com/account/security"),
        ("markets.html", "https://www.kucoin.com/markets"),
    ] {
        let out = Command::new(BIN).args(["scan", &fixture(file), "--url", url]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("could not read the session list"), "{file}");
    }
    // Rows we cannot read: the reasons, not an empty message.
    let page = std::fs::read_to_string(fixture("security-en.html")).unwrap().replacen(">Singapore(203.0.113.24)<", ">Singapore(203.0.*.*)<", 1);
    let path = std::env::temp_dir().join(format!("session-guard-cli-masked-{}.html", std::process::id()));
    std::fs::write(&path, page).unwrap();
    let out = Command::new(BIN).args(["scan", path.to_str().unwrap()]).output().unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(": row ") && err.contains("unreadable Login IP \"Singapore(203.0.*.*)\""), "{err}");
    let out = Command::new(BIN).args(["scan", "/nonexistent/page.html"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = Command::new(BIN).args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn device_reads_lines_and_writes_json_lines() {
    let mut child = Command::new(BIN).arg("device").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Windows 10 Chrome\nMozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1\n\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["browser"], "Chrome");
    assert_eq!(lines[0]["os"], "Windows");
    assert_eq!(lines[0]["os_version"], "10");
    assert_eq!(lines[0]["kind"], "web");
    assert_eq!(lines[1]["browser"], "Safari");
    assert_eq!(lines[1]["os"], "iOS");
    assert_eq!(lines[1]["form_factor"], "phone");
    for k in ["browser", "browser_major", "os", "os_version", "model", "form_factor", "kind"] {
        assert!(lines[2].get(k).is_some(), "{k} present (null) for an empty line");
    }
    assert!(lines[2]["browser"].is_null());
}
