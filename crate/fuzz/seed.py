#!/usr/bin/env python3
"""Seed corpora for the fuzz targets from the project's own test data.

Writes crate/fuzz/corpus/<target>/seed-* (git-ignored); libFuzzer adds what it
finds next to them. Run by `./build.sh fuzz` before each target.
"""
import hashlib, os, pathlib, re, struct, sys

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent.parent
LANGS = ["", "en", "ar", "bn", "de", "es", "fil", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru", "th", "tr",
         "uk", "ur", "vi", "zh-hant", "zh_CN", "zh-CN", "en_US", "xx"]


# SEED_DIR: write elsewhere (./build.sh test's smoke runs start from the seeds only).
OUT = pathlib.Path(os.environ["SEED_DIR"]) if os.environ.get("SEED_DIR") else FUZZ / "corpus"


def put(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def unescape(s):
    return re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), s)


def main(targets):
    if "scan_html" in targets:
        for f in sorted((ROOT / "tests/fixtures/kucoin").glob("*.html")):
            put("scan_html", b"\0" + f.read_bytes())
    if "device" in targets:
        for line in (ROOT / "crate/tests/data/user_agents.tsv").read_text().splitlines():
            if line and not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) > 1:
                    put("device", cols[1].encode())
    if "net_time" in targets:
        for line in (ROOT / "crate/tests/data/time_locales.tsv").read_text().splitlines()[::7]:
            if line and not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) > 3:
                    lang = cols[0] if cols[0] in LANGS else ""
                    off = max(-840, min(840, int(cols[2]) if cols[2].lstrip("-").isdigit() else 0))
                    put("net_time", bytes([LANGS.index(lang)]) + struct.pack("<h", off) + unescape(cols[3]).encode())
        for ip in ["Singapore(203.0.113.24)", "Hong Kong(2001:db8:4f1e:12::a3)", "(192.0.2.8)", "::ffff:192.0.2.1", "Lagos"]:
            put("net_time", b"\0\0\0" + ip.encode())


if __name__ == "__main__":
    main(sys.argv[1:] or ["scan_html", "device", "net_time"])
