/*
 * escape.c: the three escaping schemes of the ESX driver.
 *
 * - vSphere domain names: [%/\] as %XX (percent-encoding).
 * - VMX displayName: percent-encoding plus [|"] as |XX (pipe-encoding);
 *   annotation: pipe-encoding only. The two schemes escape disjoint sets of
 *   characters and neither produces the other's escape char, so their order
 *   does not matter.
 * - Datastore item names: ["*<>:|?] -> '_', percent-encoding, then runs of
 *   characters outside [a-zA-Z0-9'(),. _-] as VMware's base64 ('+' ... '-',
 *   ',' instead of '/', no padding, no closing '-' at the end of the string).
 */
#include "vmx/vmx.h"

#include <string.h>

char *
vmx_escape_hex(const char *string, char escape, const char *special)
{
    GString *out = g_string_sized_new(strlen(string) + 8);

    for (const char *p = string; *p; p++) {
        if (*p == escape || strchr(special, *p))
            g_string_append_printf(out, "%c%02x", escape, (unsigned char)*p);
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

char *
vmx_unescape_hex(const char *string, char escape)
{
    GString *out = g_string_sized_new(strlen(string));

    for (const char *p = string; *p; p++) {
        if (*p != escape) {
            g_string_append_c(out, *p);
            continue;
        }
        if (!g_ascii_isxdigit(p[1]) || !g_ascii_isxdigit(p[2])) {
            g_string_free(out, TRUE);
            return NULL;
        }
        g_string_append_c(out, (char)(g_ascii_xdigit_value(p[1]) * 16 + g_ascii_xdigit_value(p[2])));
        p += 2;
    }
    return g_string_free(out, FALSE);
}

char *
vmx_escape_domain_name(const char *name)
{
    return vmx_escape_hex(name, '%', "/\\");
}

char *
vmx_unescape_domain_name(const char *escaped)
{
    return vmx_unescape_hex(escaped, '%');
}

char *
vmx_escape_annotation(const char *text)
{
    return vmx_escape_hex(text, '|', "\"");
}

char *
vmx_unescape_annotation(const char *escaped)
{
    return vmx_unescape_hex(escaped, '|');
}

char *
vmx_escape_display_name(const char *name)
{
    g_autofree char *percent = vmx_escape_domain_name(name);

    return vmx_escape_annotation(percent);
}

char *
vmx_unescape_display_name(const char *escaped)
{
    g_autofree char *piped = vmx_unescape_annotation(escaped);

    return piped ? vmx_unescape_domain_name(piped) : NULL;
}

static const char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static gboolean
base64_plain(char c)
{
    return g_ascii_isalnum(c) || (c != '\0' && strchr("'(),. _-", c));
}

static void
append_base64_run(GString *out, const unsigned char *run, size_t length)
{
    g_string_append_c(out, '+');
    while (length > 0) {
        unsigned c1 = run[0];
        unsigned c2 = length > 1 ? run[1] : 0;
        unsigned c3 = length > 2 ? run[2] : 0;

        g_string_append_c(out, base64_alphabet[(c1 >> 2) & 0x3f]);
        g_string_append_c(out, base64_alphabet[((c1 << 4) | (c2 >> 4)) & 0x3f]);
        if (length > 1)
            g_string_append_c(out, base64_alphabet[((c2 << 2) | (c3 >> 6)) & 0x3f]);
        if (length > 2)
            g_string_append_c(out, base64_alphabet[c3 & 0x3f]);
        run += length > 3 ? 3 : length;
        length -= length > 3 ? 3 : length;
    }
}

char *
vmx_escape_datastore_item(const char *name)
{
    g_autofree char *replaced = g_strdup(name);
    g_autofree char *percent = NULL;
    GString *out;
    const char *p;

    for (char *q = replaced; *q; q++) {
        if (strchr("\"*<>:|?", *q))
            *q = '_';
    }
    percent = vmx_escape_domain_name(replaced);
    out = g_string_sized_new(strlen(percent) * 2);
    p = percent;
    while (*p) {
        const char *start = p;

        if (base64_plain(*p)) {
            while (*p && base64_plain(*p))
                p++;
            g_string_append_len(out, start, p - start);
            continue;
        }
        while (*p && !base64_plain(*p))
            p++;
        append_base64_run(out, (const unsigned char *)start, p - start);
        if (*p)
            g_string_append_c(out, '-');
    }
    return g_string_free(out, FALSE);
}
