/* xmlguard: a cheap pass over an XML document before libxml2 parses it,
 * refusing what costs libxml2 2.9 quadratic time. Shared by vi/ (SOAP
 * responses) and vmx/ (domain XML), which do not include each other; it
 * depends on glib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Refuses BUF (LEN bytes) when an element has more than MAX_ATTRIBUTES
 * attributes (namespace declarations count): libxml2 2.9.14 checks each
 * attribute against all before it, so 100,000 attributes (1 MB) cost about
 * two minutes. Refuses too a document whose bytes this pass cannot read
 * safely: one not in UTF-8 or another ASCII-compatible encoding (a UTF-16 or
 * EBCDIC byte order, an encoding declaration other than UTF-8, US-ASCII,
 * ISO-8859-n or windows-125n), where quotes and '=' need not be those bytes.
 * Linear time; reads nothing but BUF. Returns NULL when BUF passes, else a
 * message naming the problem, its line and the limit (newly allocated; the
 * text quoted from BUF is only an element name made of name characters). */
char *xmlguard_check(const char *buf, gsize len, guint max_attributes);

G_END_DECLS
