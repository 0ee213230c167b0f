#!/usr/bin/env python3
"""-Dtests=false still installs hvd-conformance (a product, not a test).

Usage: check-notests.py MESON SRCDIR PREFIX TMPDIR

Configures the source tree with -Dtests=false in a scratch build directory
(configuring only: tools/dev.sh's CI step builds and installs it with
--destdir) and checks meson's install plan: BINDIR/hvd-conformance and
hvdctl are installed, and no test program was even defined.
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    meson, src, prefix, tmp = sys.argv[1:5]
    build = os.path.join(tmp, 'notests-build')
    shutil.rmtree(build, ignore_errors=True)
    subprocess.run([meson, 'setup', build, src, '-Dtests=false', '-Dsimulator=disabled', '--prefix', prefix],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        info = os.path.join(build, 'meson-info')
        with open(os.path.join(info, 'intro-installed.json'), encoding='utf-8') as f:
            installed = set(json.load(f).values())
        with open(os.path.join(info, 'intro-tests.json'), encoding='utf-8') as f:
            tests = json.load(f)
        with open(os.path.join(info, 'intro-buildoptions.json'), encoding='utf-8') as f:
            bindir = next(o['value'] for o in json.load(f) if o['name'] == 'bindir')
        failures = []
        for prog in ('hvd-conformance', 'hvdctl'):
            path = os.path.join(prefix, bindir, prog)
            ok = path in installed
            print(f"{'ok' if ok else 'FAIL'}: -Dtests=false installs {path}")
            if not ok:
                failures.append(prog)
        print(f"{'ok' if not tests else 'FAIL'}: -Dtests=false defines {len(tests)} test(s)")
        if tests:
            failures.append('tests')
        if failures:
            sys.exit('install plan of -Dtests=false is wrong: ' + ', '.join(failures))
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == '__main__':
    main()
