#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run hvd-conformance on a deliberately broken driver and require that it
fails, and fails the named check: every check must be able to fail.

usage: expect-fail.py CHECK_ID -- COMMAND...
"""
import subprocess
import sys

sep = sys.argv.index("--")
ids = sys.argv[1:sep]
cmd = sys.argv[sep + 1:]
p = subprocess.run(cmd, capture_output=True, text=True)
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
ok = True
if p.returncode != 1:
    print("expect-fail: exit status %d, want 1" % p.returncode)
    ok = False
for check in ids:
    if not any(line.startswith("FAIL " + check) for line in p.stdout.splitlines()):
        print("expect-fail: no 'FAIL %s' line" % check)
        ok = False
print("expect-fail: %s" % ("the broken rule was caught" if ok else "NOT CAUGHT"))
sys.exit(0 if ok else 1)
