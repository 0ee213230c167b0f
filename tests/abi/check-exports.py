#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Assert the dynamic symbol list of a shared object (ABI rule 17).

usage: check-exports.py NM LIBRARY VERSION_SCRIPT

`nm -D --defined-only LIBRARY` must list exactly the global symbols of
VERSION_SCRIPT, each a function (T) bound to its version node (name@@NODE),
plus the version node names themselves (absolute "A" symbols that ld emits for
every version definition). Anything else leaking out of the library fails.
"""
import re
import subprocess
import sys


def parse_map(path):
    text = re.sub(r"/\*.*?\*/", "", open(path, encoding="utf-8").read(), flags=re.S)
    text = re.sub(r"#[^\n]*", "", text)
    nodes = {}
    for m in re.finditer(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}\s*[\w.]*\s*;", text, flags=re.S):
        node, body = m.group(1), m.group(2)
        g = re.search(r"global\s*:(.*?)(?:local\s*:|$)", body, flags=re.S)
        syms = [s.strip() for s in (g.group(1) if g else "").split(";") if s.strip()]
        nodes[node] = syms
    if not nodes:
        sys.exit("check-exports: no version node in %s" % path)
    return nodes


def main():
    nm, lib, vmap = sys.argv[1:4]
    nodes = parse_map(vmap)
    expected = {}
    for node, syms in nodes.items():
        for s in syms:
            if "*" in s:
                sys.exit("check-exports: %s exports a wildcard (%s): list every symbol" % (vmap, s))
            expected[s] = node
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    seen = {}
    failures = []
    for line in out.splitlines():
        f = line.split()
        if len(f) != 3:
            failures.append("unexpected nm line: %r" % line)
            continue
        kind, name = f[1], f[2]
        if kind == "A" and name in nodes:
            seen.setdefault("@node", set()).add(name)
            continue
        base, _, ver = name.partition("@@")
        if base not in expected:
            failures.append("%s exports %s (%s), which is not in %s" % (lib, name, kind, vmap))
            continue
        if kind != "T":
            failures.append("%s: %s is of kind %s, expected a function (T)" % (lib, base, kind))
        if ver != expected[base]:
            failures.append("%s: %s has version %r, expected default version %s (name@@%s)" % (
                lib, base, ver, expected[base], expected[base]))
        seen[base] = True
    for s in expected:
        if s not in seen:
            failures.append("%s does not export %s (listed in %s)" % (lib, s, vmap))
    for n in nodes:
        if n not in seen.get("@node", set()):
            failures.append("%s has no version node %s" % (lib, n))
    print("nm -D --defined-only %s:\n%s" % (lib, out.rstrip()))
    if failures:
        for f in failures:
            print("FAIL: " + f)
        sys.exit(1)
    print("PASS: %s exports exactly %s" % (lib, ", ".join(sorted(expected))))


if __name__ == "__main__":
    main()
