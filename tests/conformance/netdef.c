/* netdef.c — hvd-conformance's network define/undefine checks (live, and
 * only with --write: they create a network on the server and remove it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The network is named "hvdconf-PID" with one port group "hvdconf-PID-pg"
 * and nothing else (no uplinks, no VLAN), the smallest definition every
 * driver with networks should take. Checks:
 *   network.define            define_xml succeeds; its info, lookup_by_name,
 *                             lookup_by_uuid and list agree on name and UUID
 *   network.define.xml        get_xml shows the port group that was defined
 *   network.define.exists     defining the same name again: HVD_ERR_EXISTS
 *   network.define.bad-xml    malformed XML: HVD_ERR_XML, and nothing defined
 *   network.undefine          undefine succeeds and the network is gone
 *                             (lookup HVD_ERR_NO_NETWORK, not listed)
 *   network.undefine.missing  undefining it again: HVD_ERR_NO_NETWORK
 */
#include "conformance.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Is NAME in CONN's list of all networks (-1: the list failed)? */
static int
listed(const hvd_network_table *t, hvd_conn *conn, const char *name, const uint8_t uuid[16])
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_list *l = NULL;
    if (t->list == NULL || t->list(conn, 0, &l, &err) != HVD_OK || l == NULL)
        return -1;
    int found = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_network_info *n = HVD_LIST_AT(hvd_network_info, l->entries, l->entry_size, i);
        if (n->name != NULL && strcmp(n->name, name) == 0 && (uuid == NULL || memcmp(n->uuid, uuid, 16) == 0))
            found = 1;
    }
    return found;
}

/* name, UUID, lookups and list after a define */
static int
check_defined(const conf_ctx *c, hvd_conn *conn, const char *name, const hvd_network_info *info)
{
    const hvd_network_table *t = c->drv->network;
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *byname = NULL, *byuuid = NULL;
    int32_t r1 = t->lookup_by_name(conn, name, 0, &byname, &err);
    int32_t r2 = r1 == HVD_OK && t->lookup_by_uuid != NULL ? t->lookup_by_uuid(conn, byname->uuid, 0, &byuuid, &err)
                                                           : HVD_ERR_NO_SUPPORT;
    int ok =
        r1 == HVD_OK && (info == NULL || (strcmp(info->name, name) == 0 && memcmp(info->uuid, byname->uuid, 16) == 0));
    ok = ok && (t->lookup_by_uuid == NULL || (r2 == HVD_OK && strcmp(byuuid->name, name) == 0));
    int in_list = r1 == HVD_OK ? listed(t, conn, name, byname->uuid) : 0;
    ok = ok && in_list != 0;
    conf_check(ok, "network.define",
               "define_xml(%s) -> info %s; lookup_by_name -> %d; lookup_by_uuid -> %d; listed with that UUID: %s", name,
               info == NULL ? "none"
                            : (byname && memcmp(info->uuid, byname->uuid, 16) == 0 ? "same UUID" : "OTHER UUID"),
               r1, r2,
               in_list < 0 ? "list failed"
               : in_list   ? "yes"
                           : "NO");
    c->drv->free(byname);
    c->drv->free(byuuid);
    return ok;
}

static void
check_xml(const conf_ctx *c, hvd_conn *conn, const char *name, const char *pg)
{
    const hvd_network_table *t = c->drv->network;
    if (t->get_xml == NULL) {
        conf_skip("network.define.xml", "no get_xml");
        return;
    }
    hvd_error err = HVD_ERROR_INIT;
    char *xml = NULL;
    int32_t rc = t->get_xml(conn, name, 0, &xml, &err);
    conf_check(rc == HVD_OK && xml != NULL && strstr(xml, pg) != NULL, "network.define.xml",
               "get_xml(%s) -> %d, %s port group %s", name, rc,
               rc == HVD_OK && xml != NULL && strstr(xml, pg) != NULL ? "shows" : "does NOT show", pg);
    c->drv->free(xml);
}

void
conf_live_network(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_network_table *t = c->drv->network;
    if (t == NULL || t->define_xml == NULL || t->undefine == NULL || t->lookup_by_name == NULL) {
        conf_skip("network.define", "the driver does not define networks");
        return;
    }
    if (!c->write) {
        conf_skip("network.define", "needs --write (creates a network on the server, then removes it)");
        return;
    }
    char name[32], pg[40];
    snprintf(name, sizeof(name), "hvdconf-%ld", (long)getpid() % 100000000L);
    snprintf(pg, sizeof(pg), "%s-pg", name);
    g_autofree char *xml =
        g_strdup_printf("<network>\n  <name>%s</name>\n  <portgroup name='%s'/>\n</network>\n", name, pg);
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *info = NULL;
    conf_begin("network.define", name);
    int32_t rc = t->define_xml(conn, xml, 0, &info, &err);
    if (rc != HVD_OK) {
        conf_check(0, "network.define", "define_xml(%s) -> %d: %.300s", name, rc, err.message);
        return;
    }
    check_defined(c, conn, name, info);
    c->drv->free(info);
    check_xml(c, conn, name, pg);

    conf_begin("network.define.exists", name);
    info = NULL;
    rc = t->define_xml(conn, xml, 0, &info, &err);
    conf_check_error("network.define.exists", "define_xml(the same network again)", rc, HVD_ERR_EXISTS, &err);
    if (rc == HVD_OK)
        c->drv->free(info);

    g_autofree char *bad_name = g_strdup_printf("%s-bad", name);
    g_autofree char *bad = g_strdup_printf("<network><name>%s</name><portgroup name='x'>", bad_name);
    conf_begin("network.define.bad-xml", bad_name);
    rc = t->define_xml(conn, bad, 0, NULL, &err);
    int ok = conf_check_error("network.define.bad-xml", "define_xml(malformed XML)", rc, HVD_ERR_XML, &err);
    hvd_network_info *stray = NULL;
    if (t->lookup_by_name(conn, bad_name, 0, &stray, &err) == HVD_OK) {
        conf_check(0, "network.define.bad-xml", "a network %s exists after the malformed define", bad_name);
        c->drv->free(stray);
        t->undefine(conn, bad_name, 0, &err);
    }
    (void)ok;

    conf_begin("network.undefine", name);
    rc = t->undefine(conn, name, 0, &err);
    hvd_network_info *left = NULL;
    int32_t after = t->lookup_by_name(conn, name, 0, &left, &err);
    int in_list = listed(t, conn, name, NULL);
    conf_check(rc == HVD_OK && after == HVD_ERR_NO_NETWORK && in_list == 0, "network.undefine",
               "undefine(%s) -> %d; then lookup_by_name -> %d (want %d), listed: %s", name, rc, after,
               HVD_ERR_NO_NETWORK,
               in_list < 0 ? "list failed"
               : in_list   ? "YES"
                           : "no");
    c->drv->free(left);

    conf_begin("network.undefine.missing", name);
    rc = t->undefine(conn, name, 0, &err);
    conf_check_error("network.undefine.missing", "undefine(the network just removed)", rc, HVD_ERR_NO_NETWORK, &err);
}
