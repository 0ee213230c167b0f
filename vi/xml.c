/* XML in and out: a streaming libxml2 reader that turns a response into a
 * vi_value tree (no DOM kept), and text escaping for requests.
 *
 * Safety: no network (XML_PARSE_NONET), no entity substitution (no
 * XML_PARSE_NOENT) and any DTD rejected outright (SOAP forbids them, and
 * this rules out entity expansion attacks), libxml2's default size limits
 * (no XML_PARSE_HUGE), nesting depth capped at VI_MAX_DEPTH, at most
 * VI_MAX_ATTRIBUTES attributes per element, counted before libxml2 reads the
 * document (xmlguard: libxml2 2.9 takes quadratic time over them).
 *
 * Cost: a response of many tiny elements ("<a/>", 4 bytes) takes some 30
 * times its size as vi_value nodes, so the byte cap of the transport does
 * not bound memory. The parser adds up what the tree allocates (as the
 * allocator rounds it) and stops at a budget (max_tree_bytes). */
#include <string.h>

#include <libxml/xmlreader.h>

#include "vi/vi-private.h"
#include "xmlguard/xmlguard.h"

void
vi_xml_escape(GString *out, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&apos;"); break;
        case '\r': g_string_append(out, "&#13;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

typedef struct {
    char *first;
} parse_errors;

static void
on_xml_error(void *data, xmlErrorPtr err)
{
    parse_errors *pe = data;
    if (!pe->first && err && err->message)
        pe->first = g_strstrip(g_strdup_printf("line %d: %s", err->line, err->message));
}

/* libxml2 prints some errors (e.g. encoding errors) through its generic
 * handler, to stderr; a library must not. The handler is per thread. */
static void
quiet(void *ctx, const char *msg, ...)
{
}

static const char *
strip_prefix(const char *qname)
{
    const char *c = strrchr(qname, ':');
    return c ? c + 1 : qname;
}

/* Whether the prolog (before the document element) holds a DOCTYPE. libxml2
 * parses an internal subset before the reader reports it, so refuse it up
 * front rather than let entity declarations be processed at all. */
static gboolean
prolog_has_doctype(const char *buf, gsize len)
{
    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (;;) {
        while (p < end && g_ascii_isspace(*p))
            p++;
        if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
            const char *q = g_strstr_len(p, end - p, "?>");
            if (!q)
                return FALSE;
            p = q + 2;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = g_strstr_len(p, end - p, "-->");
            if (!q)
                return FALSE;
            p = q + 3;
        } else {
            return end - p >= 9 && g_ascii_strncasecmp(p, "<!DOCTYPE", 9) == 0;
        }
    }
}

/* What an allocation of N bytes takes from glibc's malloc: a header word,
 * rounded up to 16 bytes, at least 32. */
static gsize
alloc_cost(gsize n)
{
    return MAX((gsize)32, (n + 8 + 15) & ~(gsize)15);
}

vi_value *
vi_xml_parse(const char *buf, gsize len, gsize max_tree, GError **error)
{
    if (!max_tree)
        max_tree = VI_DEFAULT_MAX_TREE;
    if (prolog_has_doctype(buf, len)) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                    "Invalid XML in the response: a DTD (DOCTYPE) is not allowed in SOAP");
        return NULL;
    }
    g_autofree char *guard = xmlguard_check(buf, len, VI_MAX_ATTRIBUTES);
    if (guard) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Invalid XML in the response: %s", guard);
        return NULL;
    }
    if (len > G_MAXINT) {
        g_set_error(error, VI_ERROR, VI_ERROR_TOO_LARGE, "XML document too large (%zu bytes)", len);
        return NULL;
    }
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlTextReaderPtr r =
        xmlReaderForMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Cannot create an XML reader");
        return NULL;
    }
    parse_errors pe = { 0 };
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &pe);

    vi_value *root = NULL;
    g_autoptr(GPtrArray) stack = g_ptr_array_new();
    g_autoptr(GString) text = g_string_new(NULL);
    const char *bad = NULL;
    gsize cost = 0;
    int ret;

    gboolean too_costly = FALSE;
    while (!bad && !too_costly && (ret = xmlTextReaderRead(r)) == 1) {
        int kind = xmlTextReaderNodeType(r);
        switch (kind) {
        case XML_READER_TYPE_ELEMENT: {
            if (root && stack->len == 0) {
                bad = "more than one document element";
                break;
            }
            if (stack->len >= VI_MAX_DEPTH) {
                bad = "elements nested too deeply";
                break;
            }
            const char *name = (const char *)xmlTextReaderConstLocalName(r);
            gboolean empty = xmlTextReaderIsEmptyElement(r);
            const char *xsi_type = NULL;
            g_autofree char *xsi_type_copy = NULL, *mo_type = NULL;
            g_autofree char *name_copy = g_strdup(name ? name : "");
            while (xmlTextReaderMoveToNextAttribute(r) == 1) {
                const char *local = (const char *)xmlTextReaderConstLocalName(r);
                const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
                if (!local || strcmp(local, "type") != 0)
                    continue;
                const char *val = (const char *)xmlTextReaderConstValue(r);
                if (ns && strcmp(ns, VI_NS_XSI) == 0) {
                    g_free(xsi_type_copy);
                    xsi_type_copy = g_strdup(strip_prefix(val ? val : ""));
                    xsi_type = xsi_type_copy;
                } else if (!ns) {
                    g_free(mo_type);
                    mo_type = g_strdup(val ? val : "");
                }
            }
            xmlTextReaderMoveToElement(r);
            /* the node with its strings in one block, and its slot (a
             * pointer, up to twice over as the parent's array doubles) */
            cost += alloc_cost(sizeof(vi_value) + strlen(name_copy) + 1 + (xsi_type ? strlen(xsi_type) + 1 : 0) +
                               (mo_type ? strlen(mo_type) + 1 : 0)) +
                    2 * sizeof(vi_value *) + (empty ? alloc_cost(1) : 0);
            if (cost > max_tree) {
                too_costly = TRUE;
                break;
            }
            vi_value *node = vi_value_new_take_text(name_copy, xsi_type, mo_type, NULL);
            if (stack->len)
                vi_value_add(g_ptr_array_index(stack, stack->len - 1), node);
            else
                root = node;
            g_string_truncate(text, 0);
            if (empty)
                vi_value_set_text(node, g_strdup(""));
            else
                g_ptr_array_add(stack, node);
            break;
        }
        case XML_READER_TYPE_END_ELEMENT: {
            if (!stack->len) {
                bad = "unbalanced end tag";
                break;
            }
            vi_value *node = g_ptr_array_steal_index(stack, stack->len - 1);
            if (node->n_children == 0) {
                cost += alloc_cost(text->len + 1);
                if (cost > max_tree) {
                    too_costly = TRUE;
                    break;
                }
                vi_value_set_text(node, g_strndup(text->str, text->len));
            }
            g_string_truncate(text, 0);
            break;
        }
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
            const char *t = (const char *)xmlTextReaderConstValue(r);
            if (t && stack->len)
                g_string_append(text, t);
            break;
        }
        case XML_READER_TYPE_DOCUMENT_TYPE: bad = "a DTD (DOCTYPE) is not allowed in SOAP"; break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY: bad = "entity references are not allowed"; break;
        default: break; /* comments, processing instructions */
        }
    }
    if (!bad && !too_costly && ret < 0)
        bad = pe.first ? pe.first : "malformed XML";
    if (!bad && !too_costly && (!root || stack->len))
        bad = pe.first ? pe.first : "truncated XML document";
    if (too_costly) {
        gboolean mib = max_tree % (1024 * 1024) == 0;
        g_set_error(error, VI_ERROR, VI_ERROR_TOO_LARGE,
                    "parsed, it would take more than %zu %s of memory (the limit max_tree_bytes; the XML has %zu "
                    "bytes)",
                    mib ? max_tree >> 20 : max_tree, mib ? "MiB" : "bytes", len);
    } else if (bad)
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Invalid XML in the response: %s", bad);
    if (too_costly || bad)
        g_clear_pointer(&root, vi_value_free);
    g_free(pe.first);
    xmlFreeTextReader(r);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    return root;
}

static void
to_string(GString *out, const vi_value *v, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append(out, "  ");
    g_string_append_printf(out, "<%s", v->name);
    if (v->mo_type) {
        g_string_append(out, " type=\"");
        vi_xml_escape(out, v->mo_type);
        g_string_append_c(out, '"');
    }
    if (v->type) {
        g_string_append(out, " xsi:type=\"");
        vi_xml_escape(out, v->type);
        g_string_append_c(out, '"');
    }
    if (v->n_children) {
        g_string_append(out, ">\n");
        for (guint i = 0; i < v->n_children; i++)
            to_string(out, v->children[i], indent + 1);
        for (int i = 0; i < indent; i++)
            g_string_append(out, "  ");
        g_string_append_printf(out, "</%s>\n", v->name);
    } else if (v->text && *v->text) {
        g_string_append_c(out, '>');
        vi_xml_escape(out, v->text);
        g_string_append_printf(out, "</%s>\n", v->name);
    } else {
        g_string_append(out, "/>\n");
    }
}

char *
vi_value_to_string(const vi_value *v)
{
    if (!v)
        return g_strdup("");
    GString *out = g_string_new(NULL);
    to_string(out, v, 0);
    return g_string_free(out, FALSE);
}
