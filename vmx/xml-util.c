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

gboolean
vmx_xml_bad(GError **error, const char *element, const char *fmt, ...)
{
    va_list args;
    g_autofree char *msg = NULL;

    va_start(args, fmt);
    msg = g_strdup_vprintf(fmt, args);
    va_end(args);
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
