/*
 * compare.c: semantic comparison of domain XML and of VMX files.
 */
#include "compare.h"
#include "vmx/vmx.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

static gboolean
blank(const xmlChar *text)
{
    for (const xmlChar *p = text; p && *p; p++) {
        if (!g_ascii_isspace(*p))
            return FALSE;
    }
    return TRUE;
}

static const char *
ns_of(const xmlNode *node)
{
    return node->ns && node->ns->href ? (const char *)node->ns->href : "";
}

/* children that matter: elements, and non-blank text */
static GPtrArray *
significant(const xmlNode *node)
{
    GPtrArray *out = g_ptr_array_new();

    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            g_ptr_array_add(out, c);
        else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !blank(c->content))
            g_ptr_array_add(out, c);
    }
    return out;
}

static guint
count_attrs(const xmlNode *node)
{
    guint n = 0;

    for (xmlAttr *a = node->properties; a; a = a->next)
        n++;
    return n;
}

static gboolean
node_equal(const xmlNode *a, const xmlNode *b, const char *path, char **diff)
{
    g_autofree char *here = g_strdup_printf("%s/%s", path, (const char *)a->name);
    g_autoptr(GPtrArray) ca = NULL;
    g_autoptr(GPtrArray) cb = NULL;

    if (strcmp((const char *)a->name, (const char *)b->name) != 0 || strcmp(ns_of(a), ns_of(b)) != 0) {
        *diff = g_strdup_printf("%s: element <%s> where <%s> was expected", path, (const char *)a->name,
                                (const char *)b->name);
        return FALSE;
    }
    if (count_attrs(a) != count_attrs(b)) {
        *diff = g_strdup_printf("%s: %u attributes where %u were expected", here, count_attrs(a), count_attrs(b));
        return FALSE;
    }
    for (xmlAttr *attr = a->properties; attr; attr = attr->next) {
        const xmlChar *ns = attr->ns ? attr->ns->href : NULL;
        xmlChar *va = xmlNodeGetContent((xmlNode *)attr);
        xmlChar *vb = ns ? xmlGetNsProp(b, attr->name, ns) : xmlGetNoNsProp(b, attr->name);
        gboolean same = vb && strcmp((const char *)va, (const char *)vb) == 0;

        if (!same)
            *diff = g_strdup_printf("%s: attribute %s='%s' where '%s' was expected", here, (const char *)attr->name,
                                    (const char *)va, vb ? (const char *)vb : "(absent)");
        xmlFree(va);
        xmlFree(vb);
        if (!same)
            return FALSE;
    }
    ca = significant(a);
    cb = significant(b);
    if (ca->len != cb->len) {
        *diff = g_strdup_printf("%s: %u child nodes where %u were expected", here, ca->len, cb->len);
        return FALSE;
    }
    for (guint i = 0; i < ca->len; i++) {
        const xmlNode *x = ca->pdata[i], *y = cb->pdata[i];

        if ((x->type == XML_ELEMENT_NODE) != (y->type == XML_ELEMENT_NODE)) {
            *diff = g_strdup_printf("%s: text and element mixed up at child %u", here, i);
            return FALSE;
        }
        if (x->type == XML_ELEMENT_NODE) {
            if (!node_equal(x, y, here, diff))
                return FALSE;
        } else {
            g_autofree char *tx = g_strstrip(g_strdup((const char *)x->content));
            g_autofree char *ty = g_strstrip(g_strdup((const char *)y->content));

            if (strcmp(tx, ty) != 0) {
                *diff = g_strdup_printf("%s: text '%s' where '%s' was expected", here, tx, ty);
                return FALSE;
            }
        }
    }
    return TRUE;
}

gboolean
test_xml_equal(const char *actual, const char *expected, char **diff)
{
    xmlDoc *a = xmlReadMemory(actual, (int)strlen(actual), "actual.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlDoc *b = xmlReadMemory(expected, (int)strlen(expected), "expected.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    gboolean ok = FALSE;

    *diff = NULL;
    if (!a)
        *diff = g_strdup("the actual XML is not well-formed");
    else if (!b)
        *diff = g_strdup("the expected XML is not well-formed");
    else
        ok = node_equal(xmlDocGetRootElement(a), xmlDocGetRootElement(b), "", diff);
    xmlFreeDoc(a);
    xmlFreeDoc(b);
    return ok;
}

static GHashTable *
vmx_pairs(const char *text, GError **error)
{
    g_autoptr(vmx_file) file = vmx_file_parse(text, strlen(text), error);
    GHashTable *pairs;

    if (!file)
        return NULL;
    pairs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < vmx_file_size(file); i++)
        g_hash_table_insert(pairs, g_ascii_strdown(vmx_file_key_at(file, i), -1), g_strdup(vmx_file_value_at(file, i)));
    return pairs;
}

gboolean
test_vmx_equal(const char *actual, const char *expected, char **diff)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) a = vmx_pairs(actual, &error);
    g_autoptr(GHashTable) b = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    GHashTableIter iter;
    gpointer key, value;

    if (!a) {
        *diff = g_strdup_printf("the actual VMX does not parse: %s", error->message);
        return FALSE;
    }
    b = vmx_pairs(expected, &error);
    if (!b) {
        *diff = g_strdup_printf("the expected VMX does not parse: %s", error->message);
        return FALSE;
    }
    g_hash_table_iter_init(&iter, b);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *got = g_hash_table_lookup(a, key);

        if (!got)
            g_string_append_printf(out, "  missing %s = \"%s\"\n", (char *)key, (char *)value);
        else if (strcmp(got, value) != 0)
            g_string_append_printf(out, "  %s = \"%s\", expected \"%s\"\n", (char *)key, got, (char *)value);
    }
    g_hash_table_iter_init(&iter, a);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (!g_hash_table_contains(b, key))
            g_string_append_printf(out, "  unexpected %s = \"%s\"\n", (char *)key, (char *)value);
    }
    *diff = out->len ? g_strdup(out->str) : NULL;
    return out->len == 0;
}

char *
test_read_file(const char *path, gsize *len)
{
    g_autoptr(GError) error = NULL;
    char *text = NULL;
    gsize n = 0;

    if (!g_file_get_contents(path, &text, &n, &error))
        g_error("cannot read %s: %s", path, error->message);
    if (len)
        *len = n;
    return text;
}
