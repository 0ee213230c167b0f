#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The layout golden list on other ABIs than the build's (test "layout-cross"),
and its public macros (test "layout-macros").

usage: layout-cross.py cross|macros GEN_LAYOUT HVD_H GOLDEN GEN_VARIANT

The check file gen-layout.py writes needs only <stddef.h> and the header, so
every compiler here can syntax-check it for any target it knows
(-ffreestanding: no C library for that target needed). For each target that
works: the real header must pass, and altered copies of it (a moved, a
retyped and an inserted member: gen-abi-variant.py) must fail to compile.
Where gcc -m32 can also link (gcc-multilib), test-layout runs as an i386
program. Exit 77 (skip) when no other target is available.

"macros": a renamed parameter-name macro, a changed parameter name, a
renumbered constant, a changed function-like macro and another entry symbol
must each fail the layout check (gen-layout.py check refuses the header, or
the checks it writes do not compile, or test-layout fails).
"""
import os
import shutil
import subprocess
import sys
import tempfile

mode, gen_layout, hvd_h, golden, gen_variant = sys.argv[1:6]
here = os.path.dirname(os.path.abspath(__file__))

# (label, compiler, arguments selecting the target)
TARGETS = [("gcc i386 (-m32)", "gcc", ["-m32"]), ("gcc x32 (-mx32)", "gcc", ["-mx32"])] + [
    ("clang " + t, "clang", ["--target=" + t]) for t in (
        "i686-linux-gnu", "x86_64-linux-gnux32", "arm-linux-gnueabihf", "aarch64-linux-gnu",
        "powerpc-linux-gnu", "powerpc64le-linux-gnu", "s390x-linux-gnu", "riscv64-linux-gnu", "mips-linux-gnu")]
BREAKS = ["reorder", "retype", "insert"]
MACRO_BREAKS = ["param-rename", "param-value", "const-value", "macro-body", "entry-symbol"]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def syntax(cc, args, incdir, src):
    return run([cc] + args + ["-std=c11", "-ffreestanding", "-fsyntax-only", "-Werror", "-I", incdir, src])


def main():
    tmp = tempfile.mkdtemp(prefix="hvd-layout-cross-")
    try:
        check_c = os.path.join(tmp, "layout-check.c")
        p = run([sys.executable, gen_layout, "check", hvd_h, golden, check_c, "layout_strings_hvd"])
        if p.returncode != 0:
            print(p.stderr)
            return 1
        probe = os.path.join(tmp, "probe.c")
        open(probe, "w").write("#include <stddef.h>\n#include <stdint.h>\nint probe;\n")
        incs = {}
        for v in ["same"] + BREAKS:
            d = os.path.join(tmp, v)
            os.mkdir(d)
            r = run([sys.executable, gen_variant, v, hvd_h, os.path.join(d, "hvd.h")])
            if r.returncode != 0:
                print(r.stderr)
                return 1
            incs[v] = d
        tried = failures = 0
        for label, cc, args in TARGETS:
            if shutil.which(cc) is None or syntax(cc, args, tmp, probe).returncode != 0:
                print("SKIP %s: not available here" % label)
                continue
            tried += 1
            r = syntax(cc, args, incs["same"], check_c)
            ok = r.returncode == 0
            print("%s %s: the layout checks of hvd.h compile" % ("PASS" if ok else "FAIL", label))
            if not ok:
                print(r.stderr[:3000])
                failures += 1
            for v in BREAKS:
                r = syntax(cc, args, incs[v], check_c)
                caught = r.returncode != 0 and ("static assertion failed" in r.stderr or
                                                "static_assert failed" in r.stderr)
                print("%s %s: %s member fails to compile" % ("PASS" if caught else "FAIL", label,
                                                               {"reorder": "a moved", "retype": "a retyped",
                                                                "insert": "an inserted"}[v]))
                failures += not caught
        # A whole i386 program, where gcc-multilib is installed.
        exe = os.path.join(tmp, "test-layout-m32")
        r = run(["gcc", "-m32", "-std=c11", "-D_GNU_SOURCE", "-I", incs["same"], "-o", exe, check_c,
                 os.path.join(here, "test-layout.c"), "-DLAYOUT_ONLY_HVD"]) if shutil.which("gcc") else None
        if r is not None and r.returncode == 0:
            r = run([exe])
            ok = r.returncode == 0
            print(r.stdout, end="")
            print("%s gcc i386 (-m32): test-layout runs as an i386 program" % ("PASS" if ok else "FAIL"))
            failures += not ok
        else:
            print("SKIP gcc i386 (-m32): cannot link an i386 program here (gcc-multilib)")
        if tried == 0:
            print("no other target available: skipped")
            return 77
        print("%d target(s) checked, %d failure(s)" % (tried, failures))
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def macros():
    """Each macro change must fail somewhere along the layout test's path."""
    tmp = tempfile.mkdtemp(prefix="hvd-layout-macros-")
    failures = 0
    try:
        for v in ["same"] + MACRO_BREAKS:
            d = os.path.join(tmp, v)
            os.mkdir(d)
            h = os.path.join(d, "hvd.h")
            r = run([sys.executable, gen_variant, v, hvd_h, h])
            if r.returncode != 0:
                print(r.stderr)
                return 1
            check_c = os.path.join(d, "layout-check.c")
            exe = os.path.join(d, "test-layout")
            r = run([sys.executable, gen_layout, "check", h, golden, check_c, "layout_strings_hvd"])
            where = "gen-layout.py check"
            if r.returncode == 0:
                r = run(["cc", "-std=c11", "-D_GNU_SOURCE", "-I", d, "-o", exe, check_c,
                         os.path.join(here, "test-layout.c"), "-DLAYOUT_ONLY_HVD"])
                where = "compiling the checks"
            if r.returncode == 0:
                r = run([exe])
                where = "test-layout"
            failed = r.returncode != 0
            if v == "same":
                print("%s unchanged header passes" % ("FAIL" if failed else "PASS"))
                failures += failed
                if failed:
                    print(r.stdout + r.stderr)
            else:
                print("%s %s is caught%s" % ("PASS" if failed else "FAIL", v, " by " + where if failed else ""))
                failures += not failed
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


sys.exit(main() if mode == "cross" else macros())
