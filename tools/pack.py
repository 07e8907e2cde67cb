#!/usr/bin/env python3
"""Reproducible zip: sorted entries, fixed timestamps (SOURCE_DATE_EPOCH), modes 644/755.

  pack.py DIR OUT.zip            zip the files under DIR (paths relative to DIR)
  pack.py --files OUT.zip F...   zip the listed files (paths as given)
"""
import os
import sys
import time
import zipfile


def entries_from_dir(d):
    out = []
    for root, _dirs, files in os.walk(d):
        for f in files:
            full = os.path.join(root, f)
            out.append((os.path.relpath(full, d).replace(os.sep, "/"), full))
    return out


def main(argv):
    if argv[:1] == ["--files"]:
        out = argv[1]
        entries = [(f, f) for f in argv[2:] if os.path.isfile(f)]
    else:
        src, out = argv[0], argv[1]
        entries = entries_from_dir(src)
    entries.sort()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if os.stat(path).st_mode & 0o111 else 0o644  # keeps build.sh runnable
            info.external_attr = mode << 16
            info.create_system = 3
            with open(path, "rb") as fh:
                z.writestr(info, fh.read(), compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv[1:])
