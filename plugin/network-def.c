/* network-def.c — the libvirt <network> XML that a define accepts, parsed
 * into what a standard vSwitch holds (libvirt's ESX network driver maps it
 * the same way): <name> = the switch, <forward mode='bridge'> with
 * <interface dev='vmnicN'/> = its uplinks, <portgroup name=...> with an
 * optional <vlan><tag id='N'/></vlan> = its port groups, <mtu size='N'/> =
 * its MTU. Whatever a vSwitch cannot express (addresses, DHCP, DNS, NAT,
 * routes, bandwidth, trunks...) is refused naming the element or attribute,
 * never dropped. No network access here. */
#include "esx-domain.h"
#include "esx-network.h"

#include "xmlguard/xmlguard.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#define WHAT "network XML"

void
esx_network_def_free(esx_network_def *def)
{
    if (def == NULL)
        return;
    g_free(def->name);
    if (def->uplinks != NULL)
        g_ptr_array_unref(def->uplinks);
    if (def->portgroups != NULL)
        g_ptr_array_unref(def->portgroups);
    g_free(def);
}

static void
portgroup_free(gpointer p)
{
    esx_portgroup_def *pg = p;
    g_free(pg->name);
    g_free(pg);
}

static gboolean
is_element(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE;
}

/* Attribute NAME of N (newly allocated), or NULL. */
static char *
attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s = v != NULL ? g_strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* Refuses any attribute of N not in ALLOWED (NULL-terminated). */
static int32_t
only_attrs(xmlNode *n, const char *const *allowed, hvd_error *err)
{
    for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (!g_strv_contains(allowed, (const char *)a->name))
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            WHAT ": attribute '%s' of <%s> is not supported by an ESX virtual switch; remove it",
                            (const char *)a->name, (const char *)n->name);
    }
    return HVD_OK;
}

/* Parses a decimal integer in [MIN, MAX] from attribute NAME of N. */
static int32_t
int_attr(xmlNode *n, const char *name, gint64 min, gint64 max, gint64 *out, hvd_error *err)
{
    g_autofree char *v = attr(n, name);
    if (v == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": <%s> needs a '%s' attribute", (const char *)n->name, name);
    gint64 x = 0;
    g_autoptr(GError) gerr = NULL;
    if (!g_ascii_string_to_signed(v, 10, min, max, &x, &gerr))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        WHAT ": <%s %s='%.40s'> is not a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                        (const char *)n->name, name, v, min, max);
    *out = x;
    return HVD_OK;
}

/* <vlan><tag id='N'/></vlan> of a port group. */
static int32_t
parse_vlan(xmlNode *vlan, const char *pg, int32_t *out, hvd_error *err)
{
    static const char *const none[] = { NULL };
    int32_t rc = only_attrs(vlan, none, err);
    if (rc != HVD_OK)
        return rc;
    guint tags = 0;
    for (xmlNode *t = vlan->children; t != NULL; t = t->next) {
        if (!is_element(t))
            continue;
        if (strcmp((const char *)t->name, "tag") != 0)
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            WHAT ": <%s> in the <vlan> of port group '%s' is not supported; use one <tag id='N'/>",
                            (const char *)t->name, pg);
        if (++tags > 1)
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            WHAT ": port group '%s' has more than one VLAN tag: an ESX port group has one VLAN "
                                 "(use id 4095 to pass every VLAN to the guests)",
                            pg);
        static const char *const tag_attrs[] = { "id", NULL };
        gint64 id = 0;
        rc = only_attrs(t, tag_attrs, err);
        if (rc == HVD_OK)
            rc = int_attr(t, "id", 0, 4095, &id, err);
        if (rc != HVD_OK)
            return rc;
        *out = (int32_t)id;
    }
    if (tags == 0)
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": the <vlan> of port group '%s' has no <tag id='N'/>", pg);
    return HVD_OK;
}

static int32_t
parse_portgroup(xmlNode *n, esx_network_def *def, hvd_error *err)
{
    /* "default" marks the port group libvirt picks when an interface names
     * none; ESX has no such thing, but a definition may carry it */
    static const char *const pg_attrs[] = { "name", "default", NULL };
    int32_t rc = only_attrs(n, pg_attrs, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *name = attr(n, "name");
    if (name == NULL || name[0] == '\0')
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": a <portgroup> has no name");
    if (strlen(name) > ESX_NET_PORTGROUP_MAX)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, WHAT ": port group name '%.40s...' is longer than %d bytes",
                        name, ESX_NET_PORTGROUP_MAX);
    if (def->portgroups->len >= ESX_NET_PORTGROUPS_MAX)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, WHAT ": more than %d port groups", ESX_NET_PORTGROUPS_MAX);
    for (guint i = 0; i < def->portgroups->len; i++) {
        const esx_portgroup_def *o = def->portgroups->pdata[i];
        if (strcmp(o->name, name) == 0)
            return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": port group '%s' appears twice", name);
    }
    int32_t vlan = 0;
    guint vlans = 0;
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        if (!is_element(c))
            continue;
        if (strcmp((const char *)c->name, "vlan") != 0)
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            WHAT ": <%s> in port group '%s' is not supported by an ESX port group (only <vlan>); "
                                 "remove it",
                            (const char *)c->name, name);
        if (++vlans > 1)
            return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": port group '%s' has more than one <vlan>", name);
        rc = parse_vlan(c, name, &vlan, err);
        if (rc != HVD_OK)
            return rc;
    }
    esx_portgroup_def *pg = g_new0(esx_portgroup_def, 1);
    pg->name = g_steal_pointer(&name);
    pg->vlan = vlan;
    g_ptr_array_add(def->portgroups, pg);
    return HVD_OK;
}

static int32_t
parse_forward(xmlNode *n, esx_network_def *def, hvd_error *err)
{
    static const char *const fwd_attrs[] = { "mode", NULL };
    int32_t rc = only_attrs(n, fwd_attrs, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *mode = attr(n, "mode");
    if (g_strcmp0(mode, "bridge") != 0)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                        WHAT ": forward mode '%s'%s is not supported: an ESX virtual switch bridges to its uplinks; "
                             "use <forward mode='bridge'> or leave <forward> out",
                        mode != NULL ? mode : "nat", mode != NULL ? "" : " (<forward> without a mode)");
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        if (!is_element(c))
            continue;
        if (strcmp((const char *)c->name, "interface") != 0)
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            WHAT
                            ": <%s> in <forward> is not supported; name the uplinks with <interface dev='vmnicN'/>",
                            (const char *)c->name);
        static const char *const if_attrs[] = { "dev", NULL };
        rc = only_attrs(c, if_attrs, err);
        if (rc != HVD_OK)
            return rc;
        g_autofree char *dev = attr(c, "dev");
        if (dev == NULL || dev[0] == '\0' || strlen(dev) > ESX_NET_NAME_MAX)
            return esx_fail(err, HVD_ERR_XML, NULL,
                            WHAT ": a <forward> <interface> needs dev='NAME' (a physical NIC, 1 to %d bytes)",
                            ESX_NET_NAME_MAX);
        if (def->uplinks->len >= ESX_NET_UPLINKS_MAX)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, WHAT ": more than %d uplinks", ESX_NET_UPLINKS_MAX);
        for (guint i = 0; i < def->uplinks->len; i++)
            if (strcmp(def->uplinks->pdata[i], dev) == 0)
                return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": uplink '%s' appears twice", dev);
        g_ptr_array_add(def->uplinks, g_steal_pointer(&dev));
    }
    return HVD_OK;
}

static int32_t
parse_uuid(xmlNode *n, esx_network_def *def, hvd_error *err)
{
    xmlChar *v = xmlNodeGetContent(n);
    g_autofree char *s = g_strstrip(g_strdup(v != NULL ? (const char *)v : ""));
    xmlFree(v);
    if (!esx_uuid_parse(s, def->uuid))
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": <uuid> '%.40s' is not a UUID", s);
    def->has_uuid = TRUE;
    return HVD_OK;
}

/* <bridge name='X'/>: ESX has no bridge apart from the switch itself. */
static int32_t
parse_bridge(xmlNode *n, esx_network_def *def, hvd_error *err)
{
    static const char *const br_attrs[] = { "name", NULL };
    int32_t rc = only_attrs(n, br_attrs, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *name = attr(n, "name");
    if (name != NULL && def->name != NULL && strcmp(name, def->name) != 0)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                        WHAT ": <bridge name='%s'> differs from the network's name '%s': on ESX the bridge is the "
                             "virtual switch itself; leave <bridge> out or give it the network's name",
                        name, def->name);
    return HVD_OK;
}

static int32_t
parse_element(xmlNode *c, esx_network_def *def, hvd_error *err)
{
    const char *e = (const char *)c->name;
    if (strcmp(e, "uuid") == 0)
        return parse_uuid(c, def, err);
    if (strcmp(e, "bridge") == 0)
        return parse_bridge(c, def, err);
    if (strcmp(e, "forward") == 0)
        return parse_forward(c, def, err);
    if (strcmp(e, "portgroup") == 0)
        return parse_portgroup(c, def, err);
    if (strcmp(e, "mtu") == 0) {
        static const char *const mtu_attrs[] = { "size", NULL };
        gint64 mtu = 0;
        int32_t rc = only_attrs(c, mtu_attrs, err);
        if (rc == HVD_OK)
            rc = int_attr(c, "size", 1280, 9000, &mtu, err);
        def->mtu = (int32_t)mtu;
        return rc;
    }
    const char *why = strcmp(e, "ip") == 0 || strcmp(e, "dns") == 0 || strcmp(e, "domain") == 0 ||
                              strcmp(e, "route") == 0 || strcmp(e, "mac") == 0
                          ? "an ESX virtual switch is layer 2 only: it has no addresses, DHCP, DNS or routes"
                          : "an ESX virtual switch cannot store it";
    return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, WHAT ": <%s> is not supported (%s); remove it", e, why);
}

static int32_t
parse_root(xmlNode *root, esx_network_def *def, hvd_error *err)
{
    if (root == NULL || strcmp((const char *)root->name, "network") != 0)
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": the root element is not <network>");
    static const char *const none[] = { NULL };
    int32_t rc = only_attrs(root, none, err);
    if (rc != HVD_OK)
        return rc;
    /* the name first: other elements' checks refer to it */
    guint names = 0;
    for (xmlNode *c = root->children; c != NULL; c = c->next) {
        if (!is_element(c) || strcmp((const char *)c->name, "name") != 0)
            continue;
        if (++names > 1)
            return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": more than one <name>");
        xmlChar *v = xmlNodeGetContent(c);
        def->name = g_strstrip(g_strdup(v != NULL ? (const char *)v : ""));
        xmlFree(v);
    }
    if (def->name == NULL || def->name[0] == '\0')
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT ": <name> is missing or empty");
    if (strlen(def->name) > ESX_NET_NAME_MAX)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        WHAT ": name '%.40s' is longer than %d bytes, the longest vSwitch name ESX accepts", def->name,
                        ESX_NET_NAME_MAX);
    for (xmlNode *c = root->children; c != NULL; c = c->next) {
        if (!is_element(c) || strcmp((const char *)c->name, "name") == 0)
            continue;
        rc = parse_element(c, def, err);
        if (rc != HVD_OK)
            return rc;
    }
    return HVD_OK;
}

int32_t
esx_network_def_parse(const char *xml, esx_network_def **def_out, hvd_error *err)
{
    *def_out = NULL;
    if (xml == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "the network XML is NULL");
    size_t len = strnlen(xml, ESX_NET_XML_MAX + 1);
    if (len > ESX_NET_XML_MAX)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, WHAT " is larger than %d bytes", ESX_NET_XML_MAX);
    g_autofree char *guard = xmlguard_check(xml, len, 64);
    if (guard != NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, WHAT " refused before parsing: %s", guard);
    xmlDoc *doc =
        xmlReadMemory(xml, (int)len, "network.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "malformed " WHAT " (not well-formed XML)");
    g_autoptr(esx_network_def) def = g_new0(esx_network_def, 1);
    def->uplinks = g_ptr_array_new_with_free_func(g_free);
    def->portgroups = g_ptr_array_new_with_free_func(portgroup_free);
    int32_t rc = parse_root(xmlDocGetRootElement(doc), def, err);
    xmlFreeDoc(doc);
    if (rc != HVD_OK)
        return rc;
    *def_out = g_steal_pointer(&def);
    return HVD_OK;
}
