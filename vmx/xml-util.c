/*
 * xml-util.c: small libxml2 accessors shared by the domain XML parsers.
 */
#include "vmx/internal.h"

#include <errno.h>
#include <string.h>

gboolean
vmx_xml_is_elem(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 &&
           (!node->ns || !node->ns->href || strcmp((const char *)node->ns->href, VMX_NS_URI) != 0);
}

gboolean
vmx_xml_is_vmware_elem(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 && node->ns &&
           node->ns->href && strcmp((const char *)node->ns->href, VMX_NS_URI) == 0;
}

xmlNode *
vmx_xml_child(const xmlNode *node, const char *name)
{
    for (xmlNode *c = node->children; c; c = c->next) {
        if (vmx_xml_is_elem(c, name))
            return c;
    }
    return NULL;
}

/* Attribute value (newly allocated) or NULL. */
char *
vmx_xml_prop(const xmlNode *node, const char *name)
{
    xmlChar *value;
    char *copy;

    if (!node)
        return NULL;
    value = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!value)
        return NULL;
    copy = g_strdup((const char *)value);
    xmlFree(value);
    return copy;
}

char *
vmx_xml_text(const xmlNode *node)
{
    xmlChar *value;
    char *copy;

    if (!node)
        return NULL;
    value = xmlNodeGetContent(node);
    copy = g_strdup(value ? (const char *)value : "");
    xmlFree(value);
    return copy;
}

char *
vmx_xml_child_text(const xmlNode *node, const char *name)
{
    char *value = vmx_xml_text(vmx_xml_child(node, name));

    return value ? g_strstrip(value) : NULL;
}

/* MSG with each run quoted in '...' longer than QUOTED_MAX bytes cut (at a
 * character boundary, marked "..."): the value a document gives can be any
 * length, and the ABI's messages end at 1024 bytes, so the reason after a
 * quoted value must not be cut off. */
#define QUOTED_MAX 100

static char *
shorten_quoted(const char *msg)
{
    GString *out = g_string_new(NULL);
    const char *p = msg;

    for (;;) {
        const char *open = strchr(p, '\'');
        const char *close = open ? strchr(open + 1, '\'') : NULL;

        if (!close) {
            g_string_append(out, p);
            break;
        }
        g_string_append_len(out, p, open + 1 - p);
        if (close - (open + 1) > QUOTED_MAX) {
            const char *cut = open + 1 + QUOTED_MAX;

            while (cut > open + 1 && ((guchar)*cut & 0xC0) == 0x80)
                cut--;
            g_string_append_len(out, open + 1, cut - (open + 1));
            g_string_append(out, "...");
        } else {
            g_string_append_len(out, open + 1, close - (open + 1));
        }
        g_string_append_c(out, '\'');
        p = close + 1;
    }
    return g_string_free(out, FALSE);
}

gboolean
vmx_xml_bad(GError **error, const char *element, const char *fmt, ...)
{
    va_list args;
    g_autofree char *full = NULL;
    g_autofree char *msg = NULL;

    va_start(args, fmt);
    full = g_strdup_vprintf(fmt, args);
    va_end(args);
    msg = shorten_quoted(full);
    g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "element <%s>: %s", element, msg);
    return FALSE;
}

gboolean
vmx_xml_parse_uint(const char *value, guint64 max, guint64 *out)
{
    char *end;

    if (!value || !g_ascii_isdigit(*value))
        return FALSE;
    errno = 0;
    *out = g_ascii_strtoull(value, &end, 10);
    return errno == 0 && *end == '\0' && *out <= max;
}

/* An unsigned attribute; absent -> @def. */
gboolean
vmx_xml_uint_prop(const xmlNode *node, const char *element, const char *name, unsigned def, unsigned max, unsigned *out,
                  GError **error)
{
    g_autofree char *value = vmx_xml_prop(node, name);
    guint64 n;

    *out = def;
    if (!value)
        return TRUE;
    if (!vmx_xml_parse_uint(g_strstrip(value), max, &n))
        return vmx_xml_bad(error, element, "attribute '%s' must be a number from 0 to %u, found '%s'", name, max,
                           value);
    *out = (unsigned)n;
    return TRUE;
}

gboolean
vmx_xml_yes_no(const char *value, gboolean *out)
{
    if (g_strcmp0(value, "yes") == 0 || g_strcmp0(value, "on") == 0)
        *out = TRUE;
    else if (g_strcmp0(value, "no") == 0 || g_strcmp0(value, "off") == 0)
        *out = FALSE;
    else
        return FALSE;
    return TRUE;
}
