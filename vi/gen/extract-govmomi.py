#!/usr/bin/env python3
"""Maintenance tool (not run by the build): refresh vi/types.def from govmomi.

The `root` lines at the top of types.def name the types and methods vi/ must
know; this script copies their declarations, and those of every type they
reach, from govmomi's vim25/types/types.go (Debian package
golang-github-vmware-govmomi-dev), in WSDL element order, below the roots.

    python3 vi/gen/extract-govmomi.py vi/types.def [path/to/types.go]
"""
import re
import sys

GO_TYPES = '/usr/share/gocode/src/github.com/vmware/govmomi/vim25/types/types.go'
GO_ENUMS = GO_TYPES.replace('types.go', 'enum.go')

PRIM = {
    'string': 'string', 'bool': 'boolean', 'int32': 'int', 'int64': 'long',
    'int16': 'short', 'int8': 'byte', 'byte': 'byte', 'float32': 'float',
    'float64': 'double', 'time.Time': 'dateTime', 'AnyType': 'anyType',
    'ManagedObjectReference': 'moref',
}


def parse_go(types_path, enums_path):
    structs, methods, enums = {}, {}, set()
    text = open(types_path).read()
    for m in re.finditer(r'^type (\w+) struct \{\n(.*?)^\}', text, re.M | re.S):
        name, body = m.group(1), m.group(2)
        base, fields = None, []
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if re.fullmatch(r'\w+', line):
                base = line
                continue
            fm = re.match(r'(\w+)\s+(\S+)\s+`xml:"([^",]*)(,omitempty)?', line)
            if not fm:
                continue
            gotype, xname, omit = fm.group(2), fm.group(3), bool(fm.group(4))
            array = gotype.startswith('[]')
            gotype = gotype.lstrip('[]*')
            if xname == '':
                continue
            if gotype.startswith('Base') and gotype[4:] in ('',) :
                pass
            fields.append((xname, gotype, array, omit or gotype != fm.group(2).lstrip('[]')))
        structs[name] = (base, fields)
    for m in re.finditer(r'^type (\w+) (\w+RequestType)$', text, re.M):
        methods[m.group(1)] = m.group(2)
    for m in re.finditer(r'^type (\w+) string$', open(enums_path).read(), re.M):
        enums.add(m.group(1))
    return structs, methods, enums


def resolve(gotype, structs, enums):
    if gotype in PRIM:
        return PRIM[gotype]
    if gotype in enums:
        return 'string'
    if gotype.startswith('Base') and gotype[4:] in structs:
        return gotype[4:]
    if gotype in structs:
        return gotype
    return 'anyType'


def main():
    path = sys.argv[1]
    go = sys.argv[2] if len(sys.argv) > 2 else GO_TYPES
    structs, methods, enums = parse_go(go, go.replace('types.go', 'enum.go'))
    head = []
    for line in open(path):
        if line.startswith('root ') or line.startswith('#'):
            head.append(line.rstrip('\n'))
        elif line.strip() == '':
            continue
        else:
            break
    roots = [l.split()[1:] for l in head if l.startswith('root ')]
    want_struct = {r[1] for r in roots if r[0] == 'struct'}
    want_methods = [r[1] for r in roots if r[0] == 'method']
    todo = [r[1] for r in roots if r[0] in ('struct', 'type')]
    for meth in want_methods:
        req = methods[meth]
        for (_, gotype, _, _) in structs[req][1]:
            todo.append(resolve(gotype, structs, enums))
    seen, order = set(), []
    while todo:
        t = todo.pop(0)
        if t in seen or t not in structs or t in PRIM.values():
            continue
        seen.add(t)
        order.append(t)
        base, fields = structs[t]
        if base and base not in ('DynamicData',):
            todo.append(base)
        for (_, gotype, _, _) in fields:
            todo.append(resolve(gotype, structs, enums))
    out = head + ['']
    def field_lines(fields):
        for (xname, gotype, array, opt) in fields:
            if xname == '_this':
                continue
            ty = resolve(gotype, structs, enums)
            out.append('  %s %s%s' % (xname, ty, '[]' if array else ('?' if opt else '')))
    for t in sorted(order):
        base, fields = structs[t]
        kw = 'struct' if t in want_struct else 'type'
        b = (' : ' + base) if base and base != 'DynamicData' else ''
        out.append('%s %s%s' % (kw, t, b))
        field_lines(fields)
    for meth in sorted(want_methods):
        out.append('method %s' % meth)
        field_lines(structs[methods[meth]][1])
    open(path, 'w').write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
