//! What ships: the shipped wasm's dependency tree may only hold the crates
//! documented in SECURITY.md ("Shipped crates"), never `regex`, `serde`
//! or `serde_json` (the core has its own JSON layer, `json.rs`); test tooling comes from npm with install scripts disabled.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::process::Command;

/// Every crate allowed in the shipped wasm (normal edges, proc-macros left
/// out: they run at build time only). Keep in sync with SECURITY.md.
const SHIPPED_CRATES: &[&str] = &[
    "session-guard",
    // allowed runtime crates (CONTEXT rules)
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "console_error_panic_hook",
    // their dependencies
    "wasm-bindgen-shared",
    "cfg-if",
    "unicode-ident",
    "futures-core",
    "futures-task",
    "futures-util",
    "pin-project-lite",
    "slab",
];
const NEVER: &[&str] = &["regex", "regex-automata", "regex-syntax", "serde", "serde_core", "serde_derive", "serde-wasm-bindgen", "serde_json", "scraper", "html5ever"];

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tree(edges: &str) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["tree", "--locked", "--target", "wasm32-unknown-unknown", "-e", edges, "-p", "session-guard", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn shipped_wasm_depends_only_on_documented_crates() {
    let crates = tree("normal,no-proc-macro");
    assert!(crates.contains("wasm-bindgen") && crates.contains("js-sys"), "cargo tree output looks wrong: {crates:?}");
    let extra: Vec<&String> = crates.iter().filter(|c| !SHIPPED_CRATES.contains(&c.as_str())).collect();
    assert!(extra.is_empty(), "crates in the shipped wasm that are not documented in SECURITY.md: {extra:?}");
    // Including build-time proc-macros, the forbidden ones never appear.
    let all = tree("normal");
    for bad in NEVER {
        assert!(!all.contains(*bad), "{bad} is in the shipped wasm's dependency tree");
    }
}

#[test]
fn security_md_documents_the_shipped_crates() {
    let doc = std::fs::read_to_string(root().join("SECURITY.md")).expect("SECURITY.md");
    for c in SHIPPED_CRATES {
        assert!(doc.contains(&format!("`{c}`")), "SECURITY.md does not list `{c}`");
    }
}

#[test]
fn npm_is_test_tooling_only_and_installed_without_scripts() {
    let pkg = std::fs::read_to_string(root().join("package.json")).unwrap();
    let pkg: serde_json::Value = serde_json::from_str(&pkg).unwrap();
    assert!(pkg.get("dependencies").is_none(), "package.json must only have devDependencies (nothing from npm ships)");
    for key in ["scripts"] {
        if let Some(s) = pkg.get(key).and_then(|s| s.as_object()) {
            for hook in ["preinstall", "install", "postinstall", "prepare"] {
                assert!(!s.contains_key(hook), "package.json defines an install hook: {hook}");
            }
        }
    }
    let build = std::fs::read_to_string(root().join("build.sh")).unwrap();
    // Lines that run npm (the command word, not a message that mentions it).
    let runs_npm = |l: &str| {
        let t = l.trim_start();
        t.starts_with("npm ") || l.contains("&& npm ") || l.contains("; npm ") || l.contains("|| npm ")
    };
    let installs: Vec<&str> = build.lines().filter(|l| runs_npm(l)).collect();
    assert!(!installs.is_empty(), "build.sh installs test tooling with npm");
    for l in installs {
        assert!(l.contains("npm ci") && l.contains("--ignore-scripts"), "npm must run as `npm ci --ignore-scripts`: {l}");
    }
}
