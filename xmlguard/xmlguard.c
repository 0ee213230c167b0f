/* See xmlguard.h. The pass follows XML's lexical structure only as far as
 * it must to count attributes: comments, CDATA sections, processing
 * instructions and declarations are skipped; in a start tag, every '='
 * outside a quoted value is an attribute. Malformed input may be counted
 * wrongly, but only ever refused for it or passed on to libxml2, which
 * rejects it. */
#include "xmlguard/xmlguard.h"

#include <string.h>

/* The first occurrence of NEEDLE in [P, END), or END. */
static const char *
find(const char *p, const char *end, const char *needle)
{
    const char *q = g_strstr_len(p, end - p, needle);
    return q ? q : end;
}

static guint
lines_to(const char *buf, const char *p)
{
    guint n = 1;
    for (const char *q = buf; (q = memchr(q, '\n', p - q)) != NULL; q++)
        n++;
    return n;
}

/* Whether ENC (LEN bytes, as declared) is one this pass reads safely. */
static gboolean
ascii_compatible(const char *enc, gsize len)
{
    g_autofree char *e = g_ascii_strdown(enc, len);
    return strcmp(e, "utf-8") == 0 || strcmp(e, "utf8") == 0 || strcmp(e, "us-ascii") == 0 || strcmp(e, "ascii") == 0 ||
           g_str_has_prefix(e, "iso-8859-") || g_str_has_prefix(e, "windows-125");
}

/* The problem with the document's encoding, or NULL. */
static char *
check_encoding(const char *buf, gsize len)
{
    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (p < end && *p != '<' && !g_ascii_isspace(*p))
        return g_strdup("line 1: the document is not in UTF-8 (or another ASCII-compatible encoding)");
    if (end - p < 5 || memcmp(p, "<?xml", 5) != 0)
        return NULL;
    const char *decl_end = find(p, end, "?>");
    const char *enc = g_strstr_len(p, decl_end - p, "encoding");
    if (!enc)
        return NULL;
    enc += 8;
    while (enc < decl_end && (g_ascii_isspace(*enc) || *enc == '='))
        enc++;
    if (enc >= decl_end || (*enc != '"' && *enc != '\''))
        return NULL; /* malformed: libxml2 says so */
    const char *close = memchr(enc + 1, *enc, decl_end - enc - 1);
    if (!close)
        return NULL;
    gsize n = close - enc - 1;
    if (ascii_compatible(enc + 1, n))
        return NULL;
    for (const char *c = enc + 1; c < close; c++)
        if (!g_ascii_isalnum(*c) && !strchr("-_.:", *c))
            return g_strdup("line 1: the declared encoding is not UTF-8 (or another ASCII-compatible encoding)");
    return g_strdup_printf("line 1: the declared encoding '%.*s' is not UTF-8 (or another ASCII-compatible encoding)",
                           (int)MIN(n, 40), enc + 1);
}

char *
xmlguard_check(const char *buf, gsize len, guint max_attributes)
{
    char *bad = check_encoding(buf, len);
    if (bad)
        return bad;
    const char *p = buf, *end = buf + len;
    while ((p = memchr(p, '<', end - p)) != NULL) {
        const char *tag = p;
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = find(p + 4, end, "-->");
        } else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            p = find(p + 9, end, "]]>");
        } else if (end - p >= 2 && p[1] == '?') {
            p = find(p + 2, end, "?>");
        } else if (end - p >= 2 && (p[1] == '!' || p[1] == '/')) {
            p++; /* a declaration's or end tag's text holds no start tag */
        } else {
            /* a start tag: count the '=' outside quoted values up to '>' */
            guint n = 0;
            char quote = 0;
            for (p++; p < end && (quote || *p != '>'); p++) {
                if (quote) {
                    if (*p == quote)
                        quote = 0;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '=' && ++n > max_attributes) {
                    gsize name_len = strspn(tag + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                     "_:.-");
                    return g_strdup_printf("line %u: element <%.*s> has more than %u attributes (the limit per "
                                           "element)",
                                           lines_to(buf, tag), (int)MIN(name_len, 64), tag + 1, max_attributes);
                }
            }
        }
        if (p >= end)
            break;
        p++;
    }
    return NULL;
}
