/* snapshot-xml.c — libvirt's <domainsnapshot> XML as ESX can express it:
 * parsed for a snapshot to create (name, description, memory) and
 * formatted for one that exists (name, description, state, parent,
 * creation time, the domain's UUID), as libvirt's ESX driver writes it. */
#include "vmx/internal.h"
#include "vmx/vmx.h"
#include "xmlguard/xmlguard.h"

#include <libxml/parser.h>
#include <string.h>

#define SNAPSHOT_MAX_ATTRIBUTES 64

void
vmx_snapshot_def_free(vmx_snapshot_def *def)
{
    if (def == NULL)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def);
}

static gboolean
parse_root(const xmlNode *root, vmx_snapshot_def *def, GError **error)
{
    for (const xmlNode *n = root->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (vmx_xml_is_elem(n, "name")) {
            def->name = vmx_xml_text(n);
        } else if (vmx_xml_is_elem(n, "description")) {
            def->description = vmx_xml_text(n);
        } else if (vmx_xml_is_elem(n, "memory")) {
            g_autofree char *mode = vmx_xml_prop(n, "snapshot");
            if (g_strcmp0(mode, "internal") == 0)
                def->memory = VMX_SNAPSHOT_MEMORY_YES;
            else if (g_strcmp0(mode, "no") == 0)
                def->memory = VMX_SNAPSHOT_MEMORY_NO;
            else
                return vmx_xml_bad(error, "memory", "snapshot='%s' is not supported on ESX (only 'internal' or 'no')",
                                   mode != NULL ? mode : "");
        } else if (vmx_xml_is_elem(n, "disks") || vmx_xml_is_elem(n, "domain") || vmx_xml_is_elem(n, "state") ||
                   vmx_xml_is_elem(n, "creationTime") || vmx_xml_is_elem(n, "parent")) {
            /* what a dumped snapshot carries (or external disk choices ESX
             * cannot make): the server decides them */
            continue;
        } else {
            return vmx_xml_bad(error, (const char *)n->name, "unknown element in <domainsnapshot>");
        }
    }
    if (def->name != NULL && *def->name == '\0')
        return vmx_xml_bad(error, "name", "a snapshot's name cannot be empty");
    return TRUE;
}

vmx_snapshot_def *
vmx_snapshot_parse_xml(const char *xml, GError **error)
{
    if (xml == NULL) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "no snapshot XML given");
        return NULL;
    }
    g_autofree char *guard = xmlguard_check(xml, strlen(xml), SNAPSHOT_MAX_ATTRIBUTES);
    if (guard) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "snapshot XML refused before parsing: %s", guard);
        return NULL;
    }
    xmlDoc *doc = xmlReadMemory(xml, (int)MIN(strlen(xml), (size_t)G_MAXINT), "snapshot.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "malformed snapshot XML");
        return NULL;
    }
    g_autoptr(vmx_snapshot_def) def = g_new0(vmx_snapshot_def, 1);
    xmlNode *root = xmlDocGetRootElement(doc);
    gboolean ok = FALSE;
    if (doc->intSubset || doc->extSubset)
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "snapshot XML with a <!DOCTYPE> is refused");
    else if (root == NULL || !vmx_xml_is_elem(root, "domainsnapshot"))
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "the root element must be <domainsnapshot>, found <%s>",
                    root ? (const char *)root->name : "");
    else
        ok = parse_root(root, def, error);
    xmlFreeDoc(doc);
    return ok ? g_steal_pointer(&def) : NULL;
}

static void
element(GString *out, const char *indent, const char *name, const char *text)
{
    g_autofree char *escaped = g_markup_escape_text(text, -1);
    g_string_append_printf(out, "%s<%s>%s</%s>\n", indent, name, escaped, name);
}

char *
vmx_snapshot_format_xml(const vmx_snapshot_info *info)
{
    GString *out = g_string_new("<domainsnapshot>\n");
    element(out, "  ", "name", info->name);
    if (info->description != NULL && *info->description != '\0')
        element(out, "  ", "description", info->description);
    element(out, "  ", "state", info->state);
    if (info->parent != NULL) {
        g_string_append(out, "  <parent>\n");
        element(out, "    ", "name", info->parent);
        g_string_append(out, "  </parent>\n");
    }
    g_string_append_printf(out, "  <creationTime>%" G_GINT64_FORMAT "</creationTime>\n", info->creation_time);
    g_string_append(out, "  <domain>\n");
    element(out, "    ", "uuid", info->domain_uuid);
    g_string_append(out, "  </domain>\n</domainsnapshot>\n");
    return g_string_free(out, FALSE);
}
