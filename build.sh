#!/usr/bin/env bash
# Session Guard build, demo, tests, benchmarks.
#
#   ./build.sh              build dist/chrome, dist/firefox and the store zips
#   ./build.sh demo         build, run the extension in Chromium on the replica pages,
#                           write screenshots to target/demo/ and print a report
#   ./build.sh test-dist    only target/dist-test/chrome (dist/ + a core with feature test-hooks)
#   ./build.sh test         every test (host, wasm, Chromium + Firefox e2e); ends with "N passed, N failed"
#   ./build.sh bench        benchmarks → BENCHMARKS.md numbers, target/bench/
#   ./build.sh fuzz [secs]  every cargo-fuzz target for secs (default 60); `test` runs each
#                           for FUZZ_SMOKE_SECS (default 8, 0 = skip)
#   ./build.sh source-zip   source archive for addons.mozilla.org review (see BUILDING.md)
#   ./build.sh assemble DIR repack target/bindgen + extension/ into DIR (reproducibility test)
#
# Installs what is missing and says so: the wasm32 target, wasm-bindgen-cli (exact
# version of the crate), Debian chromium / chromium-driver / chromium-l10n / firefox-esr, npm test
# tooling from package-lock.json. Never downloads a browser.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' crate/Cargo.toml)
VERSION=$(sed -n 's/^ *"version": "\([0-9.]*\)".*/\1/p' manifest.json | head -n1)
CRATE_VERSION=$(sed -n 's/^version = "\([0-9.]*\)"/\1/p' crate/Cargo.toml | head -n1)
TARGET_WASM=target/wasm32-unknown-unknown/release/session_guard.wasm
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} # 2026-01-01, for reproducible zips
export CARGO_TERM_COLOR=never

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    die "missing system packages; run as root: apt-get update && apt-get install -y --no-install-recommends $*"
  fi
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

APT_UPDATED=0
apt_install() {
  need_root "$@"
  say "installing Debian packages: $*"
  if [ $APT_UPDATED = 0 ]; then apt-get update -q >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

ensure_browsers() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ -f /usr/lib/chromium/locales/ru.pak ] || missing+=(chromium-l10n) # UI languages (tests/e2e/i18n.test.mjs)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

ensure_npm() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ -L node_modules ]; then return; fi # a link to a shared install: never `npm ci` through it
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm test tooling (npm ci --ignore-scripts)"
    npm ci --ignore-scripts --no-audit --no-fund >/dev/null
  fi
}

build_wasm() {
  ensure_rust
  say "building the core (wasm, release)"
  # --remap-path-prefix keeps host paths out of the shipped wasm (reproducible builds):
  # this checkout → /src, crates.io sources → /crates (the last matching prefix wins).
  cargo fetch -q
  local remap="--remap-path-prefix=$HOME=/build --remap-path-prefix=$ROOT=/src" d
  for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap+=" --remap-path-prefix=${d%/}=/crates"; done
  RUSTFLAGS="$remap ${RUSTFLAGS:-}" \
    cargo build -q --release --target wasm32-unknown-unknown -p session-guard --lib
  rm -rf target/bindgen && mkdir -p target/bindgen
  wasm-bindgen --target web --no-typescript --out-dir target/bindgen --out-name session_guard "$TARGET_WASM"
  patch_glue target/bindgen/session_guard.js
  node tools/labels-module.mjs target/bindgen/labels.js
  local opt=node_modules/binaryen/bin/wasm-opt
  if [ -x "$opt" ]; then
    # Debian's binaryen 108 corrupts wasm-bindgen output; the npm one is pinned in package-lock.json.
    # Size: similar functions merged first, -Oz, the control flow flattened and
    # rebuilt (--flatten --rereloop), -Oz again to a fixed point; no producers or
    # target-features sections (metadata only). --low-memory-unused: Rust never
    # places data in the first 1 KB (its stack grows down from 1 MB, data above),
    # so constant offsets may fold into loads. BENCHMARKS.md has the measurements.
    "$opt" --low-memory-unused --merge-similar-functions -Oz --flatten --rereloop -Oz --converge --strip-producers --strip-target-features --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue \
      target/bindgen/session_guard_bg.wasm -o target/bindgen/session_guard_bg.opt.wasm
    mv target/bindgen/session_guard_bg.opt.wasm target/bindgen/session_guard_bg.wasm
  else
    say "wasm-opt not installed (npm ci): shipping unoptimised wasm"
  fi
}

# background.js survives a trap (a Rust panic aborts as `unreachable`) by
# running the next call on a fresh instance of the compiled module. The
# wasm-bindgen glue caches its instance; this appends the one function that
# drops it (checked against the pinned wasm-bindgen's glue).
patch_glue() {
  local glue=$1
  grep -q '^let wasmModule, wasmInstance, wasm;$' "$glue" && grep -q '^let __wbg_init_promise;$' "$glue" \
    && grep -q '^function initSync(module) {$' "$glue" || die "wasm-bindgen glue changed: update patch_glue in build.sh"
  cat >> "$glue" <<'GLUE'

// Appended by build.sh: a fresh instance of the same module after a trap.
export function __sgRestart() {
    const module = wasmModule;
    wasm = undefined;
    wasmInstance = undefined;
    __wbg_init_promise = undefined;
    return initSync({ module });
}
GLUE
}

# The same extension with a core built with feature `test-hooks` (a page text
# that makes it panic), for the panic browser tests: target/dist-test/chrome.
build_test_dist() {
  say "building the test core (feature test-hooks) into target/dist-test"
  RUSTFLAGS="--remap-path-prefix=$HOME=/build --remap-path-prefix=$ROOT=/src ${RUSTFLAGS:-}" CARGO_TARGET_DIR=target/test-hooks \
    cargo build -q --release --target wasm32-unknown-unknown -p session-guard --lib --features test-hooks
  rm -rf target/bindgen-test target/dist-test && mkdir -p target/bindgen-test target/dist-test
  wasm-bindgen --target web --no-typescript --out-dir target/bindgen-test --out-name session_guard \
    target/test-hooks/wasm32-unknown-unknown/release/session_guard.wasm
  patch_glue target/bindgen-test/session_guard.js
  cp -r dist/chrome target/dist-test/chrome
  cp target/bindgen-test/session_guard.js target/bindgen-test/session_guard_bg.wasm target/dist-test/chrome/core/
}

assemble() {
  local out=${1:-dist}
  say "assembling $out/chrome and $out/firefox"
  rm -rf "$out/chrome" "$out/firefox"
  for b in chrome firefox; do
    mkdir -p "$out/$b/core"
    cp -r extension/. "$out/$b/"
    rm -f "$out/$b/icons/icon.svg"
    cp target/bindgen/session_guard.js target/bindgen/session_guard_bg.wasm target/bindgen/labels.js "$out/$b/core/"
    node tools/derive-manifest.mjs "$b" manifest.json > "$out/$b/manifest.json"
  done
  python3 tools/pack.py "$out/chrome" "$out/session-guard-$VERSION-chrome.zip"
  python3 tools/pack.py "$out/firefox" "$out/session-guard-$VERSION-firefox.zip"
}

check_version() { # manifest.json is the one source of the version
  [ "$VERSION" = "$CRATE_VERSION" ] ||
    die "version mismatch: manifest.json $VERSION, crate/Cargo.toml $CRATE_VERSION (set both with: node tools/set-version.mjs X.Y.Z)"
}

sizes() {
  say "shipped files (dist/chrome)"
  (cd dist/chrome && find . -type f | sort | while read -r f; do
    printf '  %-40s %8d B  %8d B gzip\n' "${f#./}" "$(stat -c %s "$f")" "$(gzip -9nc "$f" | wc -c)"
  done)
  ls -l dist/*.zip | awk '{printf "  %-40s %8d B\n", $9, $5}'
}

build() {
  check_version
  ensure_npm
  build_wasm
  assemble
  sizes
}

TOTAL_PASS=0
TOTAL_FAIL=0
count_cargo() { # sum "test result: ok. N passed; M failed" lines
  local p f
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  TOTAL_PASS=$((TOTAL_PASS + p)); TOTAL_FAIL=$((TOTAL_FAIL + f))
}
count_node() { # node --test: "# pass N" / "# fail N"
  local p f
  p=$(awk '/^# pass /{s+=$3} END {print s+0}' "$1")
  f=$(awk '/^# fail /{s+=$3} END {print s+0}' "$1")
  TOTAL_PASS=$((TOTAL_PASS + p)); TOTAL_FAIL=$((TOTAL_FAIL + f))
}

run_step() { # name logfile command...: run, keep output, never abort the whole run
  local name=$1 log=$2; shift 2
  say "$name"
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" != 0 ]; then
    FAILED_STEPS+=("$name (exit $rc)")
  fi
}

test_all() {
  ensure_browsers
  build
  build_test_dist
  mkdir -p target/test-logs
  FAILED_STEPS=()
  run_step "host tests (cargo test)" target/test-logs/host.log cargo test --workspace --features cli
  count_cargo target/test-logs/host.log
  run_step "wasm tests (wasm-bindgen-test in headless Chromium)" target/test-logs/wasm.log \
    env CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 cargo test -p session-guard --target wasm32-unknown-unknown --test wasm
  count_cargo target/test-logs/wasm.log
  run_step "browser tests (Chromium + Firefox)" target/test-logs/e2e.log \
    node --test --test-concurrency=1 --test-reporter=tap tests/e2e/
  count_node target/test-logs/e2e.log
  run_step "release checks (manifests, lint, reproducible zips, docs)" target/test-logs/release.log \
    node --test --test-concurrency=1 --test-reporter=tap tests/release/
  count_node target/test-logs/release.log
  fuzz_smoke
  if [ ${#FAILED_STEPS[@]} -gt 0 ] && [ "$TOTAL_FAIL" = 0 ]; then
    TOTAL_FAIL=${#FAILED_STEPS[@]} # a step that crashed before reporting still fails the run
  fi
  echo
  for s in "${FAILED_STEPS[@]+"${FAILED_STEPS[@]}"}"; do echo "failed step: $s"; done
  echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
  [ "$TOTAL_FAIL" = 0 ]
}

demo() {
  ensure_browsers
  build
  node tests/demo.mjs
}

bench() {
  ensure_browsers
  build
  mkdir -p target/bench
  node tests/bench/run.mjs
}

# cargo-fuzz needs nightly; installs cargo-fuzz from crates.io when missing.
# Returns 1 (with a message) when fuzzing cannot run here.
ensure_fuzz() {
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    say "no nightly toolchain (rustup toolchain install nightly --profile minimal): fuzzing skipped"
    return 1
  fi
  if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz (about 3 minutes, once)"
    cargo install -q cargo-fuzz || { say "cargo-fuzz did not install: fuzzing skipped"; return 1; }
  fi
}

fuzz_build() {
  # -a: overflow checks and debug assertions on, so arithmetic bugs are found too.
  mkdir -p target/test-logs
  if ! (cd crate && cargo +nightly fuzz build -a -O) > target/test-logs/fuzz-build.log 2>&1; then
    tail -n 30 target/test-logs/fuzz-build.log >&2
    return 1
  fi
}

fuzz_targets() { (cd crate && cargo +nightly fuzz list); }

fuzz_run() { # target seconds [corpus dir]: the persistent corpus (crate/fuzz/corpus/<target>) by default
  local corpus=${3:-$ROOT/crate/fuzz/corpus/$1}
  mkdir -p "$corpus"
  SEED_DIR=$(dirname "$corpus") python3 crate/fuzz/seed.py "$1"
  # One process (-jobs=1 equivalent): the machine's cores are shared.
  (cd crate && cargo +nightly fuzz run -a -O "$1" "$corpus" -- -max_total_time="$2" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
}

fuzz() {
  local secs=${1:-60}
  [ -d crate/fuzz ] || die "no fuzz targets (crate/fuzz)"
  ensure_fuzz || die "fuzzing needs nightly and cargo-fuzz"
  fuzz_build
  local t
  for t in $(fuzz_targets); do
    say "fuzzing $t for ${secs}s"
    fuzz_run "$t" "$secs"
  done
}

# `./build.sh test`: every fuzz target for a few seconds (FUZZ_SMOKE_SECS, 0 = skip).
fuzz_smoke() {
  local secs=${FUZZ_SMOKE_SECS:-8} t pass=0 fail=0
  if [ "$secs" = 0 ]; then say "fuzz smoke skipped (FUZZ_SMOKE_SECS=0)"; return 0; fi
  ensure_fuzz || return 0
  say "building fuzz targets"
  fuzz_build || { echo "not ok - fuzz targets build"; FAILED_STEPS+=("fuzz build"); TOTAL_FAIL=$((TOTAL_FAIL + 1)); return 0; }
  for t in $(fuzz_targets); do
    say "fuzz smoke: $t for ${secs}s"
    # From the seeds only, so the smoke time does not grow with the corpus `./build.sh fuzz` keeps.
    rm -rf "target/fuzz-smoke/$t"
    if fuzz_run "$t" "$secs" "$ROOT/target/fuzz-smoke/$t" > "target/test-logs/fuzz-$t.log" 2>&1; then
      echo "ok - fuzz $t: $(grep -Eo 'Done [0-9]+ runs' "target/test-logs/fuzz-$t.log" | tail -n1) clean"
      pass=$((pass + 1))
    else
      echo "not ok - fuzz $t (target/test-logs/fuzz-$t.log, crash input in crate/fuzz/artifacts/$t/)"
      grep -E 'panicked|SUMMARY' "target/test-logs/fuzz-$t.log" | head -n 5
      fail=$((fail + 1))
      FAILED_STEPS+=("fuzz $t")
    fi
  done
  TOTAL_PASS=$((TOTAL_PASS + pass)); TOTAL_FAIL=$((TOTAL_FAIL + fail))
}

source_zip() {
  check_version
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "source-zip needs a git checkout (it archives git ls-files)"
  say "source archive for review (build instructions: BUILDING.md)"
  mkdir -p dist
  git ls-files -z | sort -z | xargs -0 python3 tools/pack.py --files "dist/session-guard-$VERSION-source.zip"
  ls -l "dist/session-guard-$VERSION-source.zip"
}

case "${1:-build}" in
  build) build ;;
  demo) demo ;;
  test) test_all ;;
  test-dist) ensure_rust; build_test_dist ;;
  bench) bench ;;
  fuzz) shift; fuzz "${1:-60}" ;;
  source-zip) source_zip ;;
  assemble) assemble "${2:-dist}" ;;
  *) die "unknown command '$1' (build | demo | test | bench | fuzz [secs] | source-zip | assemble DIR)" ;;
esac
