/* The snapshot table against the simulator: create from <domainsnapshot>
 * XML, list with its flags (parents before children), lookup by name and
 * by key (a shared name is ambiguous), current, parent, children (direct
 * and descendants), the XML, revert and remove (alone, with children,
 * children only), each change read back through a second connection;
 * refused on a read-only connection, for unknown domains and snapshots and
 * for XML ESX cannot honour. On the ESX model and through a vCenter. */
#include "simconn.h"

#include <string.h>

static const hvd_snapshot_table *st;

static hvd_snapshot_info *
create(hvd_conn *conn, const char *key, const char *xml, uint32_t flags)
{
    hvd_snapshot_info *info = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (st->create_xml(conn, key, xml, flags, NULL, &info, &err) != HVD_OK)
        g_error("create_xml: %s", err.message);
    return info;
}

/* The names of DOMAIN's snapshots listed with FLAGS, comma-separated. */
static char *
names(hvd_conn *conn, const char *key, uint32_t flags)
{
    hvd_snapshot_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (st->list(conn, key, flags, &l, &err) != HVD_OK)
        g_error("list: %s", err.message);
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_snapshot_info *e = HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, i);
        g_string_append_printf(s, "%s%s%s", i ? "," : "", e->name, e->is_current ? "*" : "");
    }
    drv->free(l);
    return g_string_free(s, FALSE);
}

static char *
child_names(hvd_conn *conn, const char *key, const char *snap, uint32_t flags)
{
    hvd_snapshot_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (st->children(conn, key, snap, flags, &l, &err) != HVD_OK)
        g_error("children: %s", err.message);
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < l->count; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "",
                               HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, i)->name);
    drv->free(l);
    return g_string_free(s, FALSE);
}

static void
check_snapshots(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0); /* reads the server's state */
    g_autofree char *key = server_vm(sim, vm, "vm");
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_info *info = NULL;

    g_assert_cmpint(st->current(conn, key, 0, &info, &err), ==, HVD_ERR_NO_SNAPSHOT);
    g_autofree char *none = names(conn, key, 0);
    g_assert_cmpstr(none, ==, "");

    /* s1 -> s2 -> s3, then back to s1 and s4 beside s2 */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    info = create(conn, key,
                  "<domainsnapshot><name>s1</name><description>first &amp; one</description>"
                  "<memory snapshot='internal'/></domainsnapshot>",
                  0);
    g_test_message("create_xml: %d requests", calls(sim, NULL));
    g_assert_cmpstr(info->name, ==, "s1");
    g_assert_cmpstr(info->description, ==, "first & one");
    g_assert_null(info->parent);
    g_assert_cmpuint(info->is_current, ==, 1);
    g_assert_cmpint(info->state, ==, HVD_DOMAIN_RUNNING);
    g_assert_cmpint(info->creation_time, >, 1600000000);
    g_autofree char *key1 = g_strdup(info->key);
    drv->free(info);
    info = create(conn, key, "<domainsnapshot><name>s2</name><memory snapshot='no'/></domainsnapshot>", 0);
    g_assert_cmpstr(info->parent, ==, "s1");
    g_assert_cmpstr(info->parent_key, ==, key1);
    g_autofree char *key2 = g_strdup(info->key);
    drv->free(info);
    drv->free(create(conn, key, "<domainsnapshot><name>s3</name></domainsnapshot>", HVD_SNAPSHOT_CREATE_QUIESCE));
    g_assert_cmpint(st->revert(conn, key, "s1", 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(st->current(other, key, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "s1");
    drv->free(info);
    drv->free(create(conn, key, "<domainsnapshot><name>s4</name></domainsnapshot>", 0));

    g_autofree char *all = names(other, key, 0);
    g_assert_cmpstr(all, ==, "s1,s2,s3,s4*");
    g_autofree char *roots = names(other, key, HVD_SNAPSHOT_LIST_ROOTS);
    g_assert_cmpstr(roots, ==, "s1");
    g_autofree char *leaves = names(other, key, HVD_SNAPSHOT_LIST_LEAVES);
    g_assert_cmpstr(leaves, ==, "s3,s4*");
    g_autofree char *inner = names(other, key, HVD_SNAPSHOT_LIST_NO_LEAVES);
    g_assert_cmpstr(inner, ==, "s1,s2");
    g_autofree char *kids = child_names(other, key, "s1", 0);
    g_assert_cmpstr(kids, ==, "s2,s4");
    g_autofree char *desc = child_names(other, key, "s1", HVD_SNAPSHOT_LIST_DESCENDANTS);
    g_assert_cmpstr(desc, ==, "s2,s3,s4");
    g_autofree char *desc_leaves =
        child_names(other, key, key1, HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_LIST_DESCENDANTS | HVD_SNAPSHOT_LIST_LEAVES);
    g_assert_cmpstr(desc_leaves, ==, "s3,s4");

    g_assert_cmpint(st->lookup(other, key, key2, HVD_SNAPSHOT_BY_KEY, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "s2");
    g_assert_cmpuint(info->num_children, ==, 1);
    drv->free(info);
    g_assert_cmpint(st->parent(other, key, "s3", 0, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "s2");
    drv->free(info);
    g_assert_cmpint(st->parent(other, key, "s1", 0, &info, &err), ==, HVD_ERR_NO_SNAPSHOT);
    g_assert_cmpint(st->lookup(other, key, "nope", 0, &info, &err), ==, HVD_ERR_NO_SNAPSHOT);
    g_assert_nonnull(strstr(err.message, "no snapshot with the name 'nope'"));
    g_assert_cmpint(st->lookup(other, key, "s1", HVD_SNAPSHOT_BY_KEY, &info, &err), ==, HVD_ERR_NO_SNAPSHOT);

    char *xml = NULL;
    g_assert_cmpint(st->get_xml(other, key, "s2", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<name>s2</name>"));
    g_assert_nonnull(strstr(xml, "<parent>\n    <name>s1</name>\n  </parent>"));
    g_assert_nonnull(strstr(xml, "<state>running</state>"));
    g_assert_nonnull(strstr(xml, "<creationTime>"));
    g_autofree char *uuid = server_vm(sim, vm, "uuid");
    g_autofree char *want_uuid = g_strdup_printf("<uuid>%s</uuid>", uuid);
    g_assert_nonnull(strstr(xml, want_uuid));
    drv->free(xml);

    /* a second s2 (under s4): the name is ambiguous, the key is not */
    info = create(conn, key, "<domainsnapshot><name>s2</name></domainsnapshot>", 0);
    g_autofree char *key2b = g_strdup(info->key);
    drv->free(info);
    g_assert_cmpint(st->lookup(other, key, "s2", 0, &info, &err), ==, HVD_ERR_AMBIGUOUS);
    g_assert_nonnull(strstr(err.message, key2b));
    g_assert_cmpint(st->revert(conn, key, "s2", 0, NULL, &err), ==, HVD_ERR_AMBIGUOUS);

    /* remove: alone (the second s2), with children (s2 and s3), children only (s4) */
    g_assert_cmpint(st->remove(conn, key, key2b, HVD_SNAPSHOT_BY_KEY, NULL, &err), ==, HVD_OK);
    g_autofree char *after1 = names(other, key, 0);
    g_assert_cmpstr(after1, ==, "s1,s2,s3,s4*");
    g_assert_cmpint(st->revert(conn, key, key2, HVD_SNAPSHOT_BY_KEY, NULL, &err), ==, HVD_OK);
    g_autofree char *reverted = names(other, key, 0);
    g_assert_cmpstr(reverted, ==, "s1,s2*,s3,s4");
    g_assert_cmpint(st->remove(conn, key, "s2", HVD_SNAPSHOT_DELETE_CHILDREN, NULL, &err), ==, HVD_OK);
    g_autofree char *after2 = names(other, key, 0);
    g_assert_cmpstr(after2, ==, "s1*,s4");
    g_assert_cmpint(st->remove(conn, key, "s1", HVD_SNAPSHOT_DELETE_CHILDREN_ONLY, NULL, &err), ==, HVD_OK);
    g_autofree char *after3 = names(other, key, 0);
    g_assert_cmpstr(after3, ==, "s1*");

    /* what ESX cannot honour, and what is not there */
    g_assert_cmpint(st->create_xml(conn, key, "<domainsnapshot><memory snapshot='external'/></domainsnapshot>", 0, NULL,
                                   &info, &err),
                    ==, HVD_ERR_XML);
    g_assert_nonnull(strstr(err.message, "external"));
    g_assert_cmpint(st->create_xml(conn, key, "<snapshot/>", 0, NULL, &info, &err), ==, HVD_ERR_XML);
    g_assert_cmpint(st->create_xml(conn, "vm-424242", "<domainsnapshot/>", 0, NULL, &info, &err), ==,
                    HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(st->remove(conn, key, "nope", 0, NULL, &err), ==, HVD_ERR_NO_SNAPSHOT);
    hvd_snapshot_list *l = NULL;
    g_assert_cmpint(st->list(conn, "vm-424242", 0, &l, &err), ==, HVD_ERR_NO_DOMAIN);
    /* no name: named by the time, as libvirt */
    info = create(conn, key, "<domainsnapshot/>", 0);
    g_assert_true(g_ascii_isdigit(info->name[0]));
    drv->free(info);
    drv->connect->close(conn);

    /* read-only: nothing sent, nothing changed, reading works */
    conn = open_flags(sim, uri, HVD_CONNECT_READONLY);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(st->create_xml(conn, key, "<domainsnapshot/>", 0, NULL, &info, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(st->revert(conn, key, "s1", 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(st->remove(conn, key, "s1", 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_nonnull(strstr(err.message, "read-only"));
    g_assert_cmpint(calls(sim, NULL), ==, 0);
    g_autofree char *ro = names(conn, key, HVD_SNAPSHOT_LIST_ROOTS);
    g_assert_cmpstr(ro, ==, "s1");
    /* remove the last one: no current snapshot left */
    g_assert_cmpint(st->remove(other, key, "s1", HVD_SNAPSHOT_DELETE_CHILDREN, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(st->current(conn, key, 0, &info, &err), ==, HVD_ERR_NO_SNAPSHOT);
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_snapshots_esx(void)
{
    check_snapshots("esx", "ha-host_VM0");
}

static void
test_snapshots_vpx(void)
{
    check_snapshots("vc", "DC0_H0_VM1");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    st = drv->snapshot;
    g_assert_nonnull(st);
    g_assert_true(drv->capabilities & HVD_CAP_SNAPSHOT);
    g_test_add_func("/plugin/snapshots/esx", test_snapshots_esx);
    g_test_add_func("/plugin/snapshots/vpx", test_snapshots_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
