#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The abidw baseline of the plugin (ABI rule 18).

  abidiff-check.py dump LIB OUT HEADERS_DIR
      Write the baseline of LIB (abidw; only what the exported entry
      reaches, types from HEADERS_DIR, no paths or line numbers, so that
      build directory and optimisation level do not matter).
  abidiff-check.py dump-all LIB OUT [LIB OUT]... HEADERS_DIR
      The same for several libraries (meson's abi-baseline target).
  abidiff-check.py check BASELINE LIB SUPPRESSIONS HEADERS_DIR
      abidiff LIB against BASELINE; any change not suppressed (appending
      members at the end of a struct) fails.
  abidiff-check.py selftest SUPPRESSIONS HEADERS_DIR BASE_LIB VARIANT=LIB:pass|fail...
      Shows that the check lets appended members through and catches breaks.

Exit 77 (skip) when abidw/abidiff (Debian: abigail-tools) are missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ABIDW_FLAGS = ["--no-corpus-path", "--no-comp-dir-path", "--no-show-locs", "--no-elf-needed",
               "--exported-interfaces-only", "--drop-private-types", "--type-id-style", "hash"]
# Not --drop-private-types/--hd2 here: the baseline carries no source
# locations (so that editing a comment in hvd.h does not churn it), and
# without locations abidiff's header filter classes every changed type as
# private and hides it (the self-test caught that). --exported-interfaces-only
# already restricts the comparison to what hvd_driver_entry_v1 reaches.
ABIDIFF_FLAGS = ["--exported-interfaces-only"]


def tool(name):
    path = shutil.which(name)
    if path is None:
        print("SKIP: %s not found: install libabigail (Debian: apt install abigail-tools)" % name)
        sys.exit(77)
    return path


def need_debug_info(lib):
    with open(lib, "rb") as f:
        if b".debug_info" not in f.read():
            print("SKIP: %s has no debug info (.debug_info): build with -g (buildtype debugoptimized or "
                  "debug) to compare it with the ABI baseline" % lib)
            sys.exit(77)


def dump(lib, out, hd):
    need_debug_info(lib)
    subprocess.run([tool("abidw")] + ABIDW_FLAGS + ["--hd", os.path.abspath(hd) + "/", "--out-file", out, lib],
                   check=True)


LEAF_OK = [re.compile(r) for r in (
    r"^$",
    r"^Leaf changes summary: .*$",
    r"^Changed leaf types summary: .*$",
    r"^Removed/Changed/Added functions summary: 0 Removed, 0 Changed, 0 Added functions?$",
    r"^Removed/Changed/Added variables summary: 0 Removed, 0 Changed, 0 Added variables?$",
    r"^  \d+ data member insertions?:$",
)]
LEAF_STRUCT = re.compile(r"^'struct (\w+)' changed:$")
LEAF_SIZE = re.compile(r"^  type size changed from (\d+) to (\d+) \(in bits\)$")
LEAF_INSERT = re.compile(r"^    '(.*)', at offset (\d+) \(in bits\)$")


def appended_only(report):
    """True if every leaf change is a data member appended at the end of a
    struct. libabigail's has_data_member_inserted_at = end does not look at
    changed members (reordered, retyped, new function signatures), so the
    leaf report is read as well."""
    bad = []
    struct, old = None, None
    for line in report.splitlines():
        m = LEAF_STRUCT.match(line)
        if m:
            struct, old = m.group(1), None
            continue
        m = LEAF_SIZE.match(line)
        if m and struct is not None:
            old = int(m.group(1))
            if int(m.group(2)) <= old:
                bad.append("struct %s shrank" % struct)
            continue
        m = LEAF_INSERT.match(line)
        if m and struct is not None:
            if old is None or int(m.group(2)) < old:
                bad.append("struct %s: member %s inserted before the end" % (struct, m.group(1)))
            continue
        if any(r.match(line) for r in LEAF_OK):
            continue
        bad.append("not an appended member: " + line.strip())
    return bad


def diff(baseline, lib, suppr, hd):
    """abidiff with the suppressions, then the leaf changes without them."""
    need_debug_info(lib)
    hd2 = []
    p = subprocess.run([tool("abidiff")] + ABIDIFF_FLAGS + ["--suppressions", suppr] + hd2 + [baseline, lib],
                       capture_output=True, text=True)
    report = p.stdout + p.stderr
    if p.returncode != 0:
        return p.returncode, report
    p = subprocess.run([tool("abidiff")] + ABIDIFF_FLAGS + ["--leaf-changes-only", "--no-show-locs"] + hd2 +
                       [baseline, lib], capture_output=True, text=True)
    if p.returncode not in (0, 4):
        return p.returncode, p.stdout + p.stderr
    bad = appended_only(p.stdout)
    if bad:
        return 4, p.stdout + "\n" + "\n".join(bad)
    return 0, report + p.stdout


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "dump":
        lib, out, hd = args
        dump(lib, out, hd)
        print("wrote %s from %s" % (out, lib))
    elif cmd == "dump-all":
        hd = args[-1]
        for lib, out in zip(args[0:-1:2], args[1:-1:2]):
            dump(lib, out, hd)
            print("wrote %s from %s" % (out, lib))
    elif cmd == "check":
        baseline, lib, suppr, hd = args
        rc, report = diff(baseline, lib, suppr, hd)
        print(report)
        if rc != 0:
            print("FAIL: %s differs from the ABI baseline %s (abidiff status %d).\n"
                  "Only members appended at the end of a struct are allowed (ABI rule 6). If this is an\n"
                  "intended new minor, refresh the baseline as abi/README.md says." % (lib, baseline, rc))
            sys.exit(1)
        print("PASS: %s matches the ABI baseline %s" % (lib, baseline))
    elif cmd == "selftest":
        suppr, hd, base = args[:3]
        failures = 0
        with tempfile.TemporaryDirectory() as td:
            baseline = os.path.join(td, "base.abi")
            dump(base, baseline, hd)
            for spec in args[3:]:
                name, rest = spec.split("=", 1)
                lib, want = rest.rsplit(":", 1)
                rc, report = diff(baseline, lib, suppr, hd)
                got = "pass" if rc == 0 else "fail"
                ok = got == want
                failures += not ok
                print("%s: variant '%s': abidiff status %d, the check would %s (want %s)" % (
                    "PASS" if ok else "FAIL", name, rc, got, want))
                if not ok or rc != 0:
                    print("    " + report.strip().replace("\n", "\n    "))
        sys.exit(1 if failures else 0)
    else:
        sys.exit("usage: see the docstring")


if __name__ == "__main__":
    main()
