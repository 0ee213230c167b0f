/* live-snapshot.c — hvd-conformance's checks of the snapshot table with
 * real snapshots (--uri with --write).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On the first domain that has no snapshot: two snapshots made one after
 * the other ("hvd-conformance-1", then its child "hvd-conformance-2"),
 * listed parents first, the second current and the first its parent (by
 * parent_key, parent() and children()), the XML naming each, a revert to
 * the first making it current, then both deleted, leaving the domain as it
 * was found.
 */
#include "conformance.h"

#include <glib.h>
#include <string.h>

#define SNAP1 "hvd-conformance-1"
#define SNAP2 "hvd-conformance-2"

typedef struct {
    const conf_ctx *c;
    hvd_conn *conn;
    const hvd_snapshot_table *t;
    char domain[HVD_DOMAIN_KEY_LEN];
    char *key1, *key2;
} snap_ctx;

/* The key of a domain without snapshots, or FALSE. */
static gboolean
pick_domain(snap_ctx *s)
{
    const hvd_domain_table *d = s->c->drv->domain;
    hvd_domain_list *all = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (d == NULL || d->list_all == NULL || d->list_all(s->conn, 0, &all, &err) != HVD_OK)
        return FALSE;
    gboolean found = FALSE;
    for (uint32_t i = 0; i < all->count && !found; i++) {
        const hvd_domain_info *e = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, i);
        hvd_snapshot_list *l = NULL;
        if (s->t->list(s->conn, e->key, 0, &l, &err) != HVD_OK)
            continue;
        if (l->count == 0) {
            g_strlcpy(s->domain, e->key, sizeof(s->domain));
            found = TRUE;
        }
        s->c->drv->free(l);
    }
    s->c->drv->free(all);
    return found;
}

static hvd_snapshot_info *
create(snap_ctx *s, const char *name, int32_t *rc_out)
{
    g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>%s</name><description>made by hvd-conformance"
                                           "</description></domainsnapshot>",
                                           name);
    hvd_snapshot_info *info = NULL;
    hvd_error err = HVD_ERROR_INIT;
    conf_begin("snapshot.create", name);
    *rc_out = s->t->create_xml(s->conn, s->domain, xml, 0, NULL, &info, &err);
    if (*rc_out != HVD_OK)
        conf_info("create_xml(%s, %s) -> %d: %.300s", s->domain, name, *rc_out, err.message);
    return info;
}

/* The key of the domain's current snapshot ("" for none). */
static char *
current_key(snap_ctx *s)
{
    hvd_snapshot_info *cur = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = s->t->current(s->conn, s->domain, 0, &cur, &err);
    if (rc != HVD_OK)
        return g_strdup(rc == HVD_ERR_NO_SNAPSHOT ? "" : "(error)");
    char *k = g_strdup(cur->key != NULL ? cur->key : "(null)");
    s->c->drv->free(cur);
    return k;
}

static void
check_tree(snap_ctx *s)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_list *l = NULL;
    int32_t rc = s->t->list(s->conn, s->domain, 0, &l, &err);
    int ok = rc == HVD_OK && l->count == 2 && l->entry_size >= HVD_1_0_SIZEOF_hvd_snapshot_info;
    if (ok) {
        const hvd_snapshot_info *a = HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, 0);
        const hvd_snapshot_info *b = HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, 1);
        ok = g_strcmp0(a->key, s->key1) == 0 && g_strcmp0(b->key, s->key2) == 0 && g_strcmp0(a->name, SNAP1) == 0 &&
             g_strcmp0(b->name, SNAP2) == 0 && a->num_children == 1 && b->num_children == 0;
    }
    conf_check(ok, "snapshot.list",
               "list -> %d, %u snapshot(s): %s then %s, parents first, with their children counted", rc,
               rc == HVD_OK ? l->count : 0, SNAP1, SNAP2);
    if (rc == HVD_OK)
        s->c->drv->free(l);

    g_autofree char *cur = current_key(s);
    conf_check(strcmp(cur, s->key2) == 0, "snapshot.current", "current is the last one made (%s): key %s, want %s",
               SNAP2, cur, s->key2);

    hvd_snapshot_info *i2 = NULL, *p = NULL, *p1 = NULL;
    int32_t r2 = s->t->lookup(s->conn, s->domain, s->key2, HVD_SNAPSHOT_BY_KEY, &i2, &err);
    int32_t rp = s->t->parent(s->conn, s->domain, s->key2, HVD_SNAPSHOT_BY_KEY, &p, &err);
    hvd_error e1 = HVD_ERROR_INIT;
    int32_t rp1 = s->t->parent(s->conn, s->domain, s->key1, HVD_SNAPSHOT_BY_KEY, &p1, &e1);
    hvd_snapshot_list *kids = NULL;
    int32_t rk = s->t->children != NULL ? s->t->children(s->conn, s->domain, s->key1, HVD_SNAPSHOT_BY_KEY, &kids, &err)
                                        : HVD_ERR_NO_SUPPORT;
    int parent_ok =
        r2 == HVD_OK && g_strcmp0(i2->parent_key, s->key1) == 0 && g_strcmp0(i2->parent, SNAP1) == 0 && rp == HVD_OK &&
        g_strcmp0(p->key, s->key1) == 0 && rp1 == HVD_ERR_NO_SNAPSHOT &&
        (rk == HVD_ERR_NO_SUPPORT ||
         (rk == HVD_OK && kids->count == 1 &&
          g_strcmp0(HVD_LIST_AT(hvd_snapshot_info, kids->entries, kids->entry_size, 0)->key, s->key2) == 0));
    conf_check(parent_ok, "snapshot.parent",
               "%s: parent_key %s (want %s), parent() -> %d, parent() of the root -> %d (want %d), children() of "
               "the root -> %d",
               SNAP2, r2 == HVD_OK && i2->parent_key ? i2->parent_key : "(none)", s->key1, rp, rp1, HVD_ERR_NO_SNAPSHOT,
               rk);
    if (r2 == HVD_OK)
        s->c->drv->free(i2);
    if (rp == HVD_OK)
        s->c->drv->free(p);
    if (rp1 == HVD_OK)
        s->c->drv->free(p1);
    if (rk == HVD_OK)
        s->c->drv->free(kids);

    if (s->t->get_xml != NULL) {
        char *xml = NULL;
        rc = s->t->get_xml(s->conn, s->domain, s->key1, HVD_SNAPSHOT_BY_KEY, &xml, &err);
        conf_check(rc == HVD_OK && strstr(xml, "<domainsnapshot") != NULL && strstr(xml, SNAP1) != NULL, "snapshot.xml",
                   "get_xml(%s) -> %d: a <domainsnapshot> naming it", SNAP1, rc);
        if (rc == HVD_OK)
            s->c->drv->free(xml);
    }
}

static void
check_revert_delete(snap_ctx *s)
{
    hvd_error err = HVD_ERROR_INIT;
    if (s->t->revert != NULL) {
        conf_begin("snapshot.revert", SNAP1);
        int32_t rc = s->t->revert(s->conn, s->domain, s->key1, HVD_SNAPSHOT_BY_KEY, NULL, &err);
        g_autofree char *cur = current_key(s);
        conf_check(rc == HVD_OK && strcmp(cur, s->key1) == 0, "snapshot.revert",
                   "revert(%s) -> %d, then the current snapshot is %s (want %s)", SNAP1, rc, cur, s->key1);
    }
    conf_begin("snapshot.delete", SNAP2);
    int32_t r2 = s->t->remove(s->conn, s->domain, s->key2, HVD_SNAPSHOT_BY_KEY, NULL, &err);
    hvd_snapshot_list *l = NULL;
    int32_t rl = s->t->list(s->conn, s->domain, 0, &l, &err);
    int one_left = rl == HVD_OK && l->count == 1 &&
                   g_strcmp0(HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, 0)->key, s->key1) == 0;
    if (rl == HVD_OK)
        s->c->drv->free(l);
    int32_t r1 = s->t->remove(s->conn, s->domain, SNAP1, 0, NULL, &err);
    hvd_snapshot_info *gone = NULL;
    hvd_error e2 = HVD_ERROR_INIT;
    int32_t rg = s->t->lookup(s->conn, s->domain, s->key1, HVD_SNAPSHOT_BY_KEY, &gone, &e2);
    rl = s->t->list(s->conn, s->domain, 0, &l, &err);
    int none_left = rl == HVD_OK && l->count == 0;
    if (rl == HVD_OK)
        s->c->drv->free(l);
    if (rg == HVD_OK)
        s->c->drv->free(gone);
    conf_check(r2 == HVD_OK && one_left && r1 == HVD_OK && rg == HVD_ERR_NO_SNAPSHOT && none_left, "snapshot.delete",
               "remove(%s by key) -> %d, %s left alone: %s; remove(%s by name) -> %d; lookup -> %d (want %d); "
               "none left: %s",
               SNAP2, r2, SNAP1, one_left ? "yes" : "NO", SNAP1, r1, rg, HVD_ERR_NO_SNAPSHOT, none_left ? "yes" : "NO");
}

void
conf_live_snapshots(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_snapshot_table *t = c->drv->snapshot;
    if (t == NULL || t->create_xml == NULL || t->list == NULL || t->lookup == NULL || t->current == NULL ||
        t->parent == NULL || t->remove == NULL) {
        conf_skip("snapshot", "no snapshot table, or one without create_xml, list, lookup, current, parent, remove");
        return;
    }
    if (!c->write) {
        conf_skip("snapshot", "no --write: checks that create snapshots not run");
        return;
    }
    snap_ctx s = { .c = c, .conn = conn, .t = t };
    if (!pick_domain(&s)) {
        conf_skip("snapshot", "no domain without snapshots to make them on");
        return;
    }
    conf_info("snapshots on domain %s", s.domain);
    int32_t r1 = 0, r2 = 0;
    hvd_snapshot_info *i1 = create(&s, SNAP1, &r1);
    hvd_snapshot_info *i2 = r1 == HVD_OK ? create(&s, SNAP2, &r2) : NULL;
    int ok = r1 == HVD_OK && r2 == HVD_OK && i1 != NULL && i2 != NULL && g_strcmp0(i1->name, SNAP1) == 0 &&
             g_strcmp0(i2->name, SNAP2) == 0 && i1->key != NULL && i2->key != NULL && strcmp(i1->key, i2->key) != 0;
    conf_check(ok, "snapshot.create", "create_xml(%s) -> %d, create_xml(%s) -> %d, each named, distinct keys", SNAP1,
               r1, SNAP2, r2);
    if (ok) {
        s.key1 = g_strdup(i1->key);
        s.key2 = g_strdup(i2->key);
    }
    if (r1 == HVD_OK)
        c->drv->free(i1);
    if (r2 == HVD_OK)
        c->drv->free(i2);
    if (ok) {
        check_tree(&s);
        check_revert_delete(&s);
    } else {
        hvd_error err = HVD_ERROR_INIT; /* leave the domain as it was */
        t->remove(conn, s.domain, SNAP2, 0, NULL, &err);
        t->remove(conn, s.domain, SNAP1, 0, NULL, &err);
    }
    g_free(s.key1);
    g_free(s.key2);
}
