#!/usr/bin/env python3
"""Writes a deliberately broken copy of a doc page, for the tests that show
docs-examples.py fails on it.

Usage: break-doc.py IN OUT OLD NEW   (OLD must occur in IN: it is replaced
once by NEW, so a page that changed cannot silently yield an unbroken copy)
"""
import sys

src, dst, old, new = sys.argv[1:5]
text = open(src, encoding='utf-8').read()
if old not in text:
    sys.exit(f'break-doc.py: {src} no longer holds {old!r}: update the docs-examples-catches-* tests')
open(dst, 'w', encoding='utf-8').write(text.replace(old, new, 1))
