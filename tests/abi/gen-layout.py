#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Layout golden list of a public header (ABI rule 18).

The golden list (abi/layout-1.txt for hvd.h, abi/layout-loader-1.txt for
hvd-loader.h) records, for x86_64 LP64, every struct's sizeof, every member's
offset, size and type, every function-pointer typedef and every integer
constant. It is append-only, like the ABI itself:

    abi 1.0                                   section: what ABI minor 1.0 holds
    sizeof hvd_error 1096                     sizeof(struct) at this minor
    member hvd_error.code 4 4 int32_t         offset, size, type
    typedef hvd_progress_fn int32_t (HVD_CALL *)(void *user_data, ...)
    const HVD_ERR_URI -7

A later minor appends a new "abi 1.N" section holding the appended members
and the new sizeof lines; earlier lines never change.

Commands:
  check HEADER GOLDEN OUT.c [--section-limit 1.0]
        Compare the header's structs and members (names, order) with the
        golden list, then write a C file of _Static_asserts that fails to
        compile if anything moved, shrank, grew or changed type. With
        --section-limit only lines of sections <= that minor are emitted
        (used to check a frozen header) and the sizeof of a struct is the
        last one listed up to that section.
  sizes GOLDEN OUT.h PREFIX MINOR
        Write a header of #define PREFIX_SIZEOF_<struct> <size at MINOR>.
  update HEADER GOLDEN [--cc CC] [-I DIR]...
        Append lines for members/structs/typedefs/constants present in HEADER
        but missing from GOLDEN (computed by compiling a small program), under
        a new "abi 1.<HVD_ABI_MINOR>" section. Never rewrites an existing line;
        reports a mismatch of an existing line as an ABI break instead.
"""
import os
import re
import subprocess
import sys
import tempfile

# Constants whose value is expected to change between releases.
MUTABLE_CONSTANTS = {"HVD_ABI_MINOR"}


def die(msg):
    sys.stderr.write("gen-layout: " + msg + "\n")
    sys.exit(1)


# --------------------------------------------------------------------------
# Header parsing (enough C for our own, disciplined public headers)
# --------------------------------------------------------------------------

def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return text


def norm(s):
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*([()\[\],])\s*", r"\1", s)
    s = s.replace(",", ", ")
    s = re.sub(r"\*\s+(?=[*)])", "*", s)
    return s


def split_top(s, sep):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


FNPTR = re.compile(r"\(\s*(?:HVD_CALL\s*)?\*\s*(\w+)\s*\)")


def parse_decl(decl):
    """One member declaration (without ';') -> list of (name, type)."""
    decl = norm(decl)
    m = FNPTR.search(decl)
    if m:
        name = m.group(1)
        typ = decl[:m.start(1)] + decl[m.end(1):]
        return [(name, norm(typ))]
    parts = split_top(decl, ",")
    first = parts[0]
    m = re.match(r"^(.*?)([*\s]*)(\w+)((?:\[[^\]]*\])*)$", first.strip())
    if not m:
        die("cannot parse member declaration: " + decl)
    base = m.group(1).strip()
    out = [(m.group(3), norm(base + " " + m.group(2).strip() + m.group(4)))]
    for p in parts[1:]:
        m2 = re.match(r"^([*\s]*)(\w+)((?:\[[^\]]*\])*)$", p.strip())
        if not m2:
            die("cannot parse member declaration: " + decl)
        out.append((m2.group(2), norm(base + " " + m2.group(1).strip() + m2.group(3))))
    return out


def parse_header(path):
    raw = open(path, encoding="utf-8").read()
    text = strip_comments(raw)
    consts = []
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]+)$", text, flags=re.M):
        name, val = m.group(1), m.group(2).strip()
        if not re.fullmatch(r"[\s()\-+~0-9a-fA-FxXuUlL<>|&_A-Z]+", val):
            continue
        if not re.search(r"[0-9]", val) and not re.search(r"[A-Z_]{3,}", val):
            continue
        if re.fullmatch(r"__\w+", val) or val in ("HVD_CALL",):
            continue
        consts.append(name)
    body = re.sub(r"^[ \t]*#[^\n]*$", "", text, flags=re.M)
    structs = []
    for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", body, flags=re.S):
        tag, inner, name = m.group(1), m.group(2), m.group(3)
        if tag != name:
            die("struct tag %s differs from typedef %s" % (tag, name))
        members = []
        for d in inner.split(";"):
            if d.strip():
                members.extend(parse_decl(d))
        structs.append((name, members))
    typedefs = []
    for m in re.finditer(r"typedef\s+([^;{}]*?\(\s*(?:HVD_CALL\s*)?\*\s*(\w+)\s*\)\s*\([^;{}]*\))\s*;", body, flags=re.S):
        whole, name = m.group(1), m.group(2)
        typ = norm(whole.replace(name, "", 1))
        typedefs.append((name, typ))
    return structs, typedefs, consts


# --------------------------------------------------------------------------
# Golden list
# --------------------------------------------------------------------------

def minor_key(v):
    a, b = v.split(".")
    return (int(a), int(b))


def parse_golden(path):
    lines = []
    section = None
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        f = s.split(None, 1)
        kind = f[0]
        rest = f[1] if len(f) > 1 else ""
        if kind == "abi":
            if not re.fullmatch(r"\d+\.\d+", rest):
                die("%s:%d: bad section line" % (path, no))
            if section is not None and minor_key(rest) <= minor_key(section):
                die("%s:%d: sections must increase" % (path, no))
            section = rest
            continue
        if section is None:
            die("%s:%d: line before the first 'abi X.Y' section" % (path, no))
        if kind == "sizeof":
            n, sz = rest.split()
            lines.append(dict(kind=kind, no=no, section=section, struct=n, size=int(sz)))
        elif kind == "member":
            g = re.match(r"(\w+)\.(\w+)\s+(\d+)\s+(\d+)\s+(.+)$", rest)
            if not g:
                die("%s:%d: bad member line" % (path, no))
            lines.append(dict(kind=kind, no=no, section=section, struct=g.group(1), member=g.group(2),
                              offset=int(g.group(3)), size=int(g.group(4)), type=g.group(5)))
        elif kind == "typedef":
            n, t = rest.split(None, 1)
            lines.append(dict(kind=kind, no=no, section=section, name=n, type=t))
        elif kind == "const":
            n, v = rest.split()
            lines.append(dict(kind=kind, no=no, section=section, name=n, value=int(v)))
        else:
            die("%s:%d: unknown line kind %r" % (path, no, kind))
    return lines


def compare(header, golden_path, structs, typedefs, consts, lines):
    """Names and order of the header's declarations against the golden list."""
    errors = []
    gmembers = {}
    gsizes = {}
    for ln in lines:
        if ln["kind"] == "member":
            gmembers.setdefault(ln["struct"], []).append(ln["member"])
        elif ln["kind"] == "sizeof":
            gsizes.setdefault(ln["struct"], []).append(ln)
    hnames = [s for s, _ in structs]
    for s, members in structs:
        names = [m for m, _ in members]
        g = gmembers.get(s)
        if g is None:
            errors.append("struct %s is not in the golden list" % s)
            continue
        if s not in gsizes:
            errors.append("struct %s has no sizeof line" % s)
        if names[:len(g)] != g:
            errors.append("struct %s: members %s in the header, %s in the golden list: members are never "
                          "reordered, renamed or removed (ABI rule 6)" % (s, names, g))
        elif len(names) > len(g):
            errors.append("struct %s: member(s) %s are not in the golden list" % (s, names[len(g):]))
    for s in gmembers:
        if s not in hnames:
            errors.append("struct %s of the golden list is gone from the header" % s)
    gtd = {ln["name"] for ln in lines if ln["kind"] == "typedef"}
    for n, _ in typedefs:
        if n not in gtd:
            errors.append("function typedef %s is not in the golden list" % n)
    for n in gtd - {n for n, _ in typedefs}:
        errors.append("function typedef %s of the golden list is gone from the header" % n)
    gc = {ln["name"] for ln in lines if ln["kind"] == "const"}
    for n in consts:
        if n not in gc and n not in MUTABLE_CONSTANTS:
            errors.append("constant %s is not in the golden list" % n)
    for n in gc - set(consts):
        errors.append("constant %s of the golden list is gone from the header" % n)
    return errors


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_asserts(header_name, golden_path, lines, limit, out):
    gname = os.path.basename(golden_path)
    sel = [ln for ln in lines if limit is None or minor_key(ln["section"]) <= minor_key(limit)]
    last_size = {}
    for ln in sel:
        if ln["kind"] == "sizeof":
            last_size[ln["struct"]] = ln
    o = []
    o.append("/* Generated by tests/abi/gen-layout.py from %s: do not edit. */" % gname)
    o.append("#include <stddef.h>")
    o.append("#include %s" % c_str(header_name))
    o.append("#define LAYOUT_SAME_TYPE(a, T) __builtin_types_compatible_p(__typeof__(a), T)")
    for ln in sel:
        where = "%s:%d: " % (gname, ln["no"])
        if ln["kind"] == "member":
            s, m = ln["struct"], ln["member"]
            o.append("_Static_assert(offsetof(%s, %s) == %d, %s);" % (
                s, m, ln["offset"], c_str(where + "%s.%s moved from offset %d: members are never moved "
                                          "(ABI rule 6)" % (s, m, ln["offset"]))))
            o.append("_Static_assert(sizeof(((%s *)0)->%s) == %d, %s);" % (
                s, m, ln["size"], c_str(where + "%s.%s changed size from %d (ABI rule 6)" % (s, m, ln["size"]))))
            o.append("_Static_assert(LAYOUT_SAME_TYPE(((%s *)0)->%s, %s), %s);" % (
                s, m, ln["type"], c_str(where + "%s.%s is no longer of type %s: members are never retyped "
                                        "(ABI rule 6)" % (s, m, ln["type"]))))
        elif ln["kind"] == "sizeof" and last_size[ln["struct"]] is ln:
            o.append("_Static_assert(sizeof(%s) == %d, %s);" % (
                ln["struct"], ln["size"],
                c_str(where + "sizeof(%s) is no longer %d: append members in a new 'abi 1.N' section with "
                      "its sizeof line (see abi/README.md)" % (ln["struct"], ln["size"]))))
        elif ln["kind"] == "typedef":
            o.append("_Static_assert(LAYOUT_SAME_TYPE((%s)0, %s), %s);" % (
                ln["name"], ln["type"], c_str(where + "typedef %s changed its signature (ABI rule 6)" % ln["name"])))
        elif ln["kind"] == "const":
            o.append("_Static_assert((long long)(%s) == %dLL, %s);" % (
                ln["name"], ln["value"], c_str(where + "%s is no longer %d: codes and flags are never "
                                               "renumbered (ABI rule 12)" % (ln["name"], ln["value"]))))
    o.append("/* %d checks */" % len(sel))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


def cmd_check(args):
    limit = None
    if "--section-limit" in args:
        i = args.index("--section-limit")
        limit = args[i + 1]
        del args[i:i + 2]
    header, golden, out = args
    lines = parse_golden(golden)
    if limit is None:
        structs, typedefs, consts = parse_header(header)
        errors = compare(header, golden, structs, typedefs, consts, lines)
        if errors:
            die("%s does not match %s:\n  %s\nAppend what is missing with: python3 tests/abi/gen-layout.py update "
                "%s %s (see abi/README.md); never edit existing lines." % (
                    header, golden, "\n  ".join(errors), header, golden))
    emit_asserts(os.path.basename(header), golden, lines, limit, out)


def cmd_sizes(args):
    golden, out, prefix, minor = args
    lines = parse_golden(golden)
    sizes = {}
    for ln in lines:
        if ln["kind"] == "sizeof" and minor_key(ln["section"]) <= minor_key(minor):
            sizes[ln["struct"]] = ln["size"]
    with open(out, "w", encoding="utf-8") as f:
        f.write("/* Generated by tests/abi/gen-layout.py: sizes of ABI %s structs. */\n" % minor)
        f.write("#pragma once\n")
        for s, n in sizes.items():
            f.write("#define %s_SIZEOF_%s %du\n" % (prefix, s, n))


def cmd_update(args):
    cc = os.environ.get("CC", "cc")
    incs = []
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--cc":
            cc = args[i + 1]
            i += 2
        elif args[i] == "-I":
            incs += ["-I", args[i + 1]]
            i += 2
        else:
            rest.append(args[i])
            i += 1
    header, golden = rest
    structs, typedefs, consts = parse_header(header)
    lines = parse_golden(golden) if os.path.exists(golden) else []
    minor = None
    for m in re.finditer(r"#define\s+HVD_ABI_MINOR\s+(\d+)", open(header, encoding="utf-8").read()):
        minor = "1.%s" % m.group(1)
    if minor is None:
        minor = "1.0"
    # Measure everything with the compiler.
    prog = ["#include <stdio.h>", "#include <stddef.h>", "#include %s" % c_str(os.path.abspath(header)),
            "int main(void) {"]
    for s, members in structs:
        prog.append('printf("sizeof %s %%zu\\n", sizeof(%s));' % (s, s))
        for m, _ in members:
            prog.append('printf("member %s.%s %%zu %%zu\\n", offsetof(%s, %s), sizeof(((%s *)0)->%s));' % (
                s, m, s, m, s, m))
    for c in consts:
        prog.append('printf("const %s %%lld\\n", (long long)(%s));' % (c, c))
    prog.append("return 0; }")
    with tempfile.TemporaryDirectory() as td:
        src = os.path.join(td, "dump.c")
        exe = os.path.join(td, "dump")
        open(src, "w").write("\n".join(prog) + "\n")
        subprocess.run([cc, "-std=c11", "-D_GNU_SOURCE"] + incs + ["-I", os.path.dirname(os.path.abspath(header)),
                       "-o", exe, src], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    measured = {}
    for ln in out.splitlines():
        f = ln.split()
        measured[(f[0], f[1])] = [int(x) for x in f[2:]]
    new = []
    have_members = {(ln["struct"], ln["member"]): ln for ln in lines if ln["kind"] == "member"}
    have_size = {}
    for ln in lines:
        if ln["kind"] == "sizeof":
            have_size[ln["struct"]] = ln["size"]
    have_td = {ln["name"]: ln for ln in lines if ln["kind"] == "typedef"}
    have_c = {ln["name"]: ln for ln in lines if ln["kind"] == "const"}
    breaks = []
    for s, members in structs:
        for m, t in members:
            off, sz = measured[("member", "%s.%s" % (s, m))]
            g = have_members.get((s, m))
            if g is None:
                new.append("member %s.%s %d %d %s" % (s, m, off, sz, t))
            elif (g["offset"], g["size"]) != (off, sz):
                breaks.append("%s.%s: golden %d/%d, header %d/%d" % (s, m, g["offset"], g["size"], off, sz))
        size = measured[("sizeof", s)][0]
        if have_size.get(s) != size:
            new.append("sizeof %s %d" % (s, size))
    for n, t in typedefs:
        if n not in have_td:
            new.append("typedef %s %s" % (n, t))
    for c in consts:
        v = measured[("const", c)][0]
        if c in MUTABLE_CONSTANTS:
            continue
        if c not in have_c:
            new.append("const %s %d" % (c, v))
        elif have_c[c]["value"] != v:
            breaks.append("%s: golden %d, header %d" % (c, have_c[c]["value"], v))
    if breaks:
        die("ABI break, not appending anything:\n  " + "\n  ".join(breaks))
    if not new:
        print("gen-layout: %s is up to date" % golden)
        return
    last = lines[-1]["section"] if lines else None
    if last is not None and minor_key(minor) <= minor_key(last):
        die("the header grew but HVD_ABI_MINOR says %s and the golden list already has section %s: bump "
            "HVD_ABI_MINOR first (appended members belong to a new minor)" % (minor, last))
    with open(golden, "a", encoding="utf-8") as f:
        f.write("abi %s\n" % minor)
        f.write("\n".join(new) + "\n")
    print("gen-layout: appended %d line(s) to %s" % (len(new), golden))


def main():
    if len(sys.argv) < 2:
        die("usage: see the docstring")
    cmd, args = sys.argv[1], sys.argv[2:]
    {"check": cmd_check, "sizes": cmd_sizes, "update": cmd_update}.get(cmd, lambda a: die("unknown command"))(args)


if __name__ == "__main__":
    main()
