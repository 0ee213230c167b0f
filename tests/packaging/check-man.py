#!/usr/bin/env python3
"""A generated man page renders without a warning and has its sections.

Usage: check-man.py PAGE SECTION...

Renders PAGE with `man --warnings -l` (groff's warnings on, 80 columns) and
fails on anything man or groff prints on standard error, or when one of the
SECTION headings is missing from the rendered text. Skips (77) without man.
"""
import os
import re
import shutil
import subprocess
import sys


def main():
    page, sections = sys.argv[1], sys.argv[2:]
    man = shutil.which('man')
    if man is None:
        print('man is not installed')
        sys.exit(77)
    env = dict(os.environ, MANWIDTH='80', LC_ALL='C.UTF-8', MAN_KEEP_FORMATTING='', MANPAGER='cat', PAGER='cat')
    out = subprocess.run([man, '--warnings', '-l', page], env=env, capture_output=True, text=True, timeout=60)
    failures = []
    if out.returncode != 0:
        failures.append(f'man exited {out.returncode}')
    if out.stderr.strip():
        failures.append('warnings:\n' + out.stderr)
    text = re.sub(r'.\x08', '', out.stdout)
    headings = {line.strip() for line in text.splitlines() if line and not line[0].isspace()}
    for s in sections:
        if s not in headings:
            failures.append(f'no section {s!r} (headings: {sorted(headings)})')
    name = os.path.basename(page)
    for f in failures:
        print(f'FAIL: {name}: {f}')
    if failures:
        sys.exit(1)
    print(f'ok: {name} renders without warnings, {len(text.splitlines())} lines, sections {sections}')


if __name__ == '__main__':
    main()
