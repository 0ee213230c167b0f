#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Layout golden list of a public header (ABI rule 18), for every target.

The golden list (abi/layout-1.txt for hvd.h, abi/layout-loader-1.txt for
hvd-loader.h) records what does not depend on the architecture: every
struct's members in order with their types, every function-pointer typedef,
and every public macro (integer constants with their values, string macros
with their text, other macros with their definition). It is append-only,
like the ABI itself:

    abi 1.0                                   section: what ABI minor 1.0 holds
    member hvd_error.code int32_t             struct.member and its type, in order
    typedef hvd_progress_fn int32_t(HVD_CALL *)(void *user_data, ...)
    const HVD_ERR_URI -7                      integer constant
    string HVD_ENTRY_SYMBOL "hvd_driver_entry_v1"
    macro HVD_LIST_AT(T, base, stride, i) ((const T *)...)   any other macro,
                                              one line per #define (in order)

A later minor appends a new "abi 1.N" section holding the appended members,
typedefs and macros; earlier lines never change. HVD_ABI_MINOR must equal
the last section's minor.

Offsets and sizes are not recorded: the generated checks compute them on the
target with the C layout rules (each member at the next multiple of
_Alignof(its type) after the previous one, the struct's size rounded up to
its largest member alignment), from the recorded member types. So a check
built for i386, arm or x32 expects that target's layout, and a moved,
inserted, removed or retyped member fails on every target.

Commands:
  check HEADER GOLDEN OUT.c NAME [--section-limit 1.0]
        Compare the header's structs, members (names, order), typedefs and
        macros with the golden list, then write a C file of _Static_asserts
        that fails to compile if a member is not where the golden list's
        types put it, changed type, or a constant changed value; and a
        function `const char *NAME(void)` that returns the name of the first
        string macro whose text differs (NULL if none), for test-layout.c.
        The file needs only <stddef.h> and the header, so it can be
        syntax-checked for any target (-ffreestanding -fsyntax-only).
        With --section-limit only sections <= that minor are used (to check
        a frozen header).
  sizes GOLDEN OUT.h
        Write a header (include it after hvd.h) with, for each struct and
        each minor 1.N of the golden list, HVD_1_N_SIZEOF_<struct> (computed
        the same way, for the target) and HVD_SIZEOF_<struct>_AT(minor).
  update HEADER GOLDEN [--cc CC] [-I DIR]...
        Append what HEADER has and GOLDEN lacks under a new "abi
        1.<HVD_ABI_MINOR>" section (constants measured by compiling a small
        program). Never rewrites an existing line; reports a change to an
        existing line as an ABI break instead.
"""
import os
import re
import subprocess
import sys
import tempfile

# Checked against the last section instead of a fixed value.
MINOR_MACRO = "HVD_ABI_MINOR"


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
CONST_BODY = re.compile(r"[\s()\-+~0-9a-fA-FxXuUlL<>|&_A-Z]+")
STRING_BODY = re.compile(r'"(?:[^"\\]|\\.)*"')


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


def parse_defines(text):
    """Every #define of the (comment-free) text -> list of (kind, name, text),
    kind "const" (text: the expression), "string" (the literal) or "macro"
    (name, parameters and body, whitespace collapsed); include guards and
    HVD_ABI_MINOR are left out."""
    text = re.sub(r"\\\n", " ", text)
    out = []
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?([^\n]*)$", text, flags=re.M):
        name, params, body = m.group(1), m.group(2), re.sub(r"\s+", " ", m.group(3)).strip()
        if name == MINOR_MACRO or (not params and not body and name.endswith("_H")):
            continue
        if params is None and STRING_BODY.fullmatch(body):
            out.append(("string", name, body))
        elif (params is None and body and CONST_BODY.fullmatch(body) and not re.fullmatch(r"__\w+", body)
              and re.search(r"[0-9]", body)):
            out.append(("const", name, body))
        else:
            params = re.sub(r"\s+", " ", params or "")
            out.append(("macro", name, (name + params + " " + body).strip()))
    return out


def parse_header(path):
    raw = open(path, encoding="utf-8").read()
    text = strip_comments(raw)
    defines = parse_defines(text)
    body = re.sub(r"^[ \t]*#[^\n]*(?:\\\n[^\n]*)*$", "", text, flags=re.M)
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
    minor = None
    for m in re.finditer(r"#define\s+%s\s+(\d+)" % MINOR_MACRO, raw):
        minor = "1.%s" % m.group(1)
    return structs, typedefs, defines, minor


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
            lines.append(dict(kind=kind, no=no, section=section))
            continue
        if section is None:
            die("%s:%d: line before the first 'abi X.Y' section" % (path, no))
        ln = dict(kind=kind, no=no, section=section)
        if kind == "member":
            g = re.match(r"(\w+)\.(\w+)\s+(.+)$", rest)
            if not g or re.match(r"\d+\s+\d+\s", g.group(3)):
                die("%s:%d: bad member line (want: member STRUCT.MEMBER TYPE)" % (path, no))
            ln.update(struct=g.group(1), member=g.group(2), type=g.group(3))
        elif kind == "typedef":
            n, t = rest.split(None, 1)
            ln.update(name=n, type=t)
        elif kind == "const":
            n, v = rest.split()
            ln.update(name=n, value=int(v))
        elif kind == "string":
            n, v = rest.split(None, 1)
            if not STRING_BODY.fullmatch(v):
                die("%s:%d: bad string line" % (path, no))
            ln.update(name=n, text=v)
        elif kind == "macro":
            n = re.match(r"\w+", rest).group(0)
            ln.update(name=n, text=rest)
        else:
            die("%s:%d: unknown line kind %r" % (path, no, kind))
        lines.append(ln)
    return lines


def select(lines, limit):
    return [ln for ln in lines if limit is None or minor_key(ln["section"]) <= minor_key(limit)]


def golden_structs(lines):
    """struct -> [(member, type, section)] in order."""
    out = {}
    for ln in lines:
        if ln["kind"] == "member":
            out.setdefault(ln["struct"], []).append((ln["member"], ln["type"], ln["section"]))
    return out


def golden_defines(lines):
    """(kind, name) -> [text] for strings and macros; const name -> value."""
    texts, consts = {}, {}
    for ln in lines:
        if ln["kind"] in ("string", "macro"):
            texts.setdefault((ln["kind"], ln["name"]), []).append(ln["text"])
        elif ln["kind"] == "const":
            consts[ln["name"]] = ln["value"]
    return texts, consts


def header_define_texts(defines):
    texts = {}
    for kind, name, text in defines:
        if kind != "const":
            texts.setdefault((kind, name), []).append(text)
    return texts


def compare(structs, typedefs, defines, lines):
    """Names, order and macro texts of the header against the golden list."""
    errors = []
    gmembers = {s: [m for m, _, _ in ms] for s, ms in golden_structs(lines).items()}
    hnames = [s for s, _ in structs]
    for s, members in structs:
        names = [m for m, _ in members]
        g = gmembers.get(s)
        if g is None:
            errors.append("struct %s is not in the golden list" % s)
        elif names[:len(g)] != g:
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
    gtexts, gconsts = golden_defines(lines)
    htexts = header_define_texts(defines)
    hconsts = {name for kind, name, _ in defines if kind == "const"}
    for key, texts in htexts.items():
        if key not in gtexts:
            errors.append("%s %s is not in the golden list" % key)
        elif gtexts[key] != texts:
            errors.append("%s %s is %s in the header, %s in the golden list: public macros are part of the "
                          "ABI and never change" % (key[0], key[1], " / ".join(texts), " / ".join(gtexts[key])))
    for key in gtexts:
        if key not in htexts:
            errors.append("%s %s of the golden list is gone from the header (renamed?)" % key)
    for n in hconsts - set(gconsts):
        errors.append("constant %s is not in the golden list" % n)
    for n in set(gconsts) - hconsts:
        errors.append("constant %s of the golden list is gone from the header (renamed?)" % n)
    return errors


# --------------------------------------------------------------------------
# C layout rules, computed by the target's compiler
# --------------------------------------------------------------------------

LAYOUT_MACROS = [
    "#define HVD_LAYOUT_ALIGN_UP(x, a) (((x) + (a) - 1) / (a) * (a))",
    "#define HVD_LAYOUT_MAX(a, b) ((a) > (b) ? (a) : (b))",
]


def layout_enum(prefix, struct, members):
    """C enum lines computing each member's offset and the struct's size and
    alignment from the member types. Returns (lines, {member: offset name},
    size name, align name)."""
    base = "%s_%s" % (prefix, struct)
    lines = ["enum {"]
    offs = {}
    prev_end = prev_align = None
    for m, t, _ in members:
        off, end, al = "%s__%s__off" % (base, m), "%s__%s__end" % (base, m), "%s__%s__align" % (base, m)
        if prev_end is None:
            lines.append("    %s = 0," % off)
            lines.append("    %s = _Alignof(%s)," % (al, t))
        else:
            lines.append("    %s = HVD_LAYOUT_ALIGN_UP(%s, _Alignof(%s))," % (off, prev_end, t))
            lines.append("    %s = HVD_LAYOUT_MAX(%s, _Alignof(%s))," % (al, prev_align, t))
        lines.append("    %s = %s + sizeof(%s)," % (end, off, t))
        offs[m] = off
        prev_end, prev_align = end, al
    size, align = base + "__size", base + "__align"
    lines.append("    %s = %s," % (align, prev_align))
    lines.append("    %s = HVD_LAYOUT_ALIGN_UP(%s, %s)" % (size, prev_end, prev_align))
    lines.append("};")
    return lines, offs, size, align


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_asserts(header_name, golden_path, lines, limit, func, out):
    gname = os.path.basename(golden_path)
    sel = select(lines, limit)
    last_section = sel[-1]["section"] if sel else None
    o = ["/* Generated by tests/abi/gen-layout.py from %s: do not edit. Needs only <stddef.h> and the" % gname,
         " * header: syntax-check it for any target with -ffreestanding -fsyntax-only. */",
         "#include <stddef.h>",
         "#include %s" % c_str(header_name),
         "#define LAYOUT_SAME_TYPE(a, T) __builtin_types_compatible_p(__typeof__(a), T)"] + LAYOUT_MACROS
    n = 0
    no = {}
    for ln in sel:
        if ln["kind"] == "member":
            no[(ln["struct"], ln["member"])] = ln["no"]
    for s, members in golden_structs(sel).items():
        enum, offs, size, align = layout_enum("L", s, members)
        o.extend(enum)
        for m, t, _ in members:
            where = "%s:%d: " % (gname, no[(s, m)])
            o.append("_Static_assert(offsetof(%s, %s) == %s, %s);" % (
                s, m, offs[m], c_str(where + "%s.%s is not where the C layout rules put it after the members "
                                     "before it: members are never moved or inserted (ABI rule 6)" % (s, m))))
            o.append("_Static_assert(LAYOUT_SAME_TYPE(((%s *)0)->%s, %s), %s);" % (
                s, m, t, c_str(where + "%s.%s is no longer of type %s: members are never retyped "
                               "(ABI rule 6)" % (s, m, t))))
            o.append("_Static_assert(sizeof(((%s *)0)->%s) == sizeof(%s), %s);" % (
                s, m, t, c_str(where + "%s.%s changed size (ABI rule 6)" % (s, m))))
            n += 3
        o.append("_Static_assert(sizeof(%s) == %s, %s);" % (
            s, size, c_str("%s: sizeof(%s) is not the size of the golden list's members up to ABI %s: append "
                           "members in a new 'abi 1.N' section (see abi/README.md)" % (gname, s, last_section))))
        o.append("_Static_assert(_Alignof(%s) == %s, %s);" % (
            s, align, c_str("%s: _Alignof(%s) changed (an alignment attribute?)" % (gname, s))))
        n += 2
    strings = []
    for ln in sel:
        where = "%s:%d: " % (gname, ln["no"])
        if ln["kind"] == "typedef":
            o.append("_Static_assert(LAYOUT_SAME_TYPE((%s)0, %s), %s);" % (
                ln["name"], ln["type"], c_str(where + "typedef %s changed its signature (ABI rule 6)" % ln["name"])))
            n += 1
        elif ln["kind"] == "const":
            o.append("_Static_assert((long long)(%s) == %dLL, %s);" % (
                ln["name"], ln["value"], c_str(where + "%s is no longer %d: codes and flags are never "
                                               "renumbered (ABI rule 12)" % (ln["name"], ln["value"]))))
            n += 1
        elif ln["kind"] == "string":
            o.append("_Static_assert(sizeof(%s) == sizeof(%s), %s);" % (
                ln["name"], ln["text"], c_str(where + "%s is no longer %s" % (ln["name"], ln["text"]))))
            strings.append(ln)
            n += 1
    if last_section is not None and header_defines_minor(lines):
        o.append("_Static_assert(%s == %s, %s);" % (
            MINOR_MACRO, last_section.split(".")[1],
            c_str("%s: HVD_ABI_MINOR is not the golden list's last section (%s)" % (gname, last_section))))
        n += 1
    if strings:
        o.append("static int layout_streq(const char *a, const char *b) { while (*a != 0 && *a == *b) a++, b++; "
                 "return *a == *b; }")
    o.append("const char *%s(void);" % func)
    o.append("/* The first string macro whose text is not the golden list's, or NULL. */")
    o.append("const char *%s(void)\n{" % func)
    for ln in strings:
        o.append("    if (!layout_streq(%s, %s))\n        return %s;" % (
            ln["name"], ln["text"], c_str("%s:%d: %s is no longer %s" % (gname, ln["no"], ln["name"], ln["text"]))))
    o.append("    return NULL;\n}")
    o.append("/* %d compile-time checks, %d string checks */" % (n, len(strings)))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


def header_defines_minor(lines):
    # the loader's golden list describes hvd-loader.h, which has no minor of its own
    return any(ln["kind"] == "const" and ln["name"] == "HVD_ABI_MAJOR" for ln in lines)


def cmd_check(args):
    limit = None
    if "--section-limit" in args:
        i = args.index("--section-limit")
        limit = args[i + 1]
        del args[i:i + 2]
    header, golden, out, func = args
    lines = parse_golden(golden)
    if limit is None:
        structs, typedefs, defines, _ = parse_header(header)
        errors = compare(structs, typedefs, defines, lines)
        if errors:
            die("%s does not match %s:\n  %s\nAppend what is missing with: python3 tests/abi/gen-layout.py update "
                "%s %s (see abi/README.md); never edit existing lines." % (
                    header, golden, "\n  ".join(errors), header, golden))
    emit_asserts(os.path.basename(header), golden, lines, limit, func, out)


def cmd_sizes(args):
    golden, out = args
    lines = parse_golden(golden)
    minors = [ln["section"] for ln in lines if ln["kind"] == "abi"]
    o = ["/* Generated by tests/abi/gen-layout.py from %s: do not edit. The size of each struct at each" %
         os.path.basename(golden),
         " * ABI minor, computed for this target from the golden list's member types; include hvd.h first. */",
         "#pragma once", "#include <stdint.h>"] + LAYOUT_MACROS
    first = {}
    for minor in minors:
        tag = minor.replace(".", "_")
        for s, members in golden_structs(select(lines, minor)).items():
            first.setdefault(s, minor)
            enum, _, size, _ = layout_enum("HVD_%s_L" % tag, s, members)
            o.extend(enum)
            o.append("#define HVD_%s_SIZEOF_%s ((uint32_t)%s)" % (tag, s, size))
    for s, since in first.items():
        expr = None
        for minor in minors:
            if minor_key(minor) < minor_key(since):
                continue
            size, n = "HVD_%s_SIZEOF_%s" % (minor.replace(".", "_"), s), minor.split(".")[1]
            if expr is None and n == "0":
                expr = size  # (m) >= 0u is always true
            else:
                expr = "((m) >= %su ? %s : %s)" % (n, size, expr or "0u")
        o.append("#define HVD_SIZEOF_%s_AT(m) ((void)(m), %s)" % (s, expr))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


def measure_consts(header, consts, cc, incs):
    prog = ["#include <stdio.h>", "#include %s" % c_str(os.path.abspath(header)), "int main(void) {"]
    for c in consts:
        prog.append('printf("%s %%lld\\n", (long long)(%s));' % (c, c))
    prog.append("return 0; }")
    with tempfile.TemporaryDirectory() as td:
        src = os.path.join(td, "dump.c")
        exe = os.path.join(td, "dump")
        open(src, "w").write("\n".join(prog) + "\n")
        subprocess.run([cc, "-std=c11", "-D_GNU_SOURCE"] + incs + ["-I", os.path.dirname(os.path.abspath(header)),
                       "-o", exe, src], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return {f[0]: int(f[1]) for f in (ln.split() for ln in out.splitlines())}


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
    structs, typedefs, defines, minor = parse_header(header)
    minor = minor or "1.0"
    lines = parse_golden(golden) if os.path.exists(golden) else []
    new, breaks = [], []
    gstructs = golden_structs(lines)
    for s, members in structs:
        have = gstructs.get(s, [])
        for k, (m, t) in enumerate(members):
            if k < len(have):
                if have[k][:2] != (m, t):
                    breaks.append("%s: golden member %d is %s %s, header %s %s" % (s, k, have[k][0], have[k][1],
                                                                                  m, t))
            else:
                new.append("member %s.%s %s" % (s, m, t))
    have_td = {ln["name"]: ln["type"] for ln in lines if ln["kind"] == "typedef"}
    for n, t in typedefs:
        if n not in have_td:
            new.append("typedef %s %s" % (n, t))
        elif have_td[n] != t:
            breaks.append("typedef %s: golden %s, header %s" % (n, have_td[n], t))
    gtexts, gconsts = golden_defines(lines)
    for (kind, name), texts in header_define_texts(defines).items():
        have = gtexts.get((kind, name), [])
        if texts[:len(have)] != have:
            breaks.append("%s %s: golden %s, header %s" % (kind, name, " / ".join(have), " / ".join(texts)))
        for t in texts[len(have):]:
            new.append("%s %s" % (kind, t) if kind == "macro" else "%s %s %s" % (kind, name, t))
    consts = [name for kind, name, _ in defines if kind == "const"]
    values = measure_consts(header, consts, cc, incs) if consts else {}
    for c in consts:
        if c not in gconsts:
            new.append("const %s %d" % (c, values[c]))
        elif gconsts[c] != values[c]:
            breaks.append("%s: golden %d, header %d" % (c, gconsts[c], values[c]))
    if breaks:
        die("ABI break, not appending anything:\n  " + "\n  ".join(breaks))
    last = lines[-1]["section"] if lines else None
    if not new and last is not None and minor_key(minor) <= minor_key(last):
        print("gen-layout: %s is up to date" % golden)
        return
    if last is not None and minor_key(minor) <= minor_key(last):
        die("the header grew but HVD_ABI_MINOR says %s and the golden list already has section %s: bump "
            "HVD_ABI_MINOR first (appended members belong to a new minor)" % (minor, last))
    with open(golden, "a", encoding="utf-8") as f:
        f.write("abi %s\n" % minor)
        if new:
            f.write("\n".join(new) + "\n")
    print("gen-layout: appended %d line(s) to %s" % (len(new), golden))


def main():
    if len(sys.argv) < 2:
        die("usage: see the docstring")
    cmd, args = sys.argv[1], sys.argv[2:]
    {"check": cmd_check, "sizes": cmd_sizes, "update": cmd_update}.get(cmd, lambda a: die("unknown command"))(args)


if __name__ == "__main__":
    main()
