/* locate.c — which host a connection manages: the product check (esx://
 * must reach an ESX host, vpx:// a vCenter) and locating the HostSystem —
 * the single host of an ESX/GSX server, or for vpx:// the one named by the
 * URI's inventory path "[folder/...]datacenter/[folder/...][cluster/]host".
 *
 * Locating is one property-collector retrieval (one round trip per page)
 * of the name and parent of every folder, datacenter, compute resource and
 * host, done once per connection when an operation first needs the host. */
#include "esx-conn.h"

#include <string.h>

/* How many sibling names an error lists as the choices at that level. */
#define MAX_LISTED_NAMES 10

typedef struct {
    char *type;
    char *value;
    char *name;
    char *parent;      /* moref value of the parent, or NULL */
    char *host_folder; /* datacenters: moref value of hostFolder */
    vi_moref browser;  /* hosts: datastoreBrowser */
} entity;

static void
entity_free(gpointer p)
{
    entity *e = p;
    g_free(e->type);
    g_free(e->value);
    g_free(e->name);
    g_free(e->parent);
    g_free(e->host_folder);
    vi_moref_clear(&e->browser);
    g_free(e);
}

void
esx_location_free(esx_location *loc)
{
    if (loc == NULL)
        return;
    vi_moref_clear(&loc->host);
    vi_moref_clear(&loc->compute);
    vi_moref_clear(&loc->datacenter);
    vi_moref_clear(&loc->browser);
    g_free(loc->datacenter_path);
    g_free(loc->host_name);
    g_free(loc);
}

/* The inventory down to the hosts, in one walk from the root folder (the
 * VMs, datastores, networks and resource pools are not visited). */
static GPtrArray *
fetch_inventory(vi_conn *vi, GError **error)
{
    static const char *const entity_paths[] = { "name", "parent", NULL };
    static const char *const dc_paths[] = { "name", "parent", "hostFolder", NULL };
    static const char *const host_paths[] = { "name", "parent", "datastoreBrowser", NULL };
    static const vi_type_paths types[] = {
        { "Folder", entity_paths },
        { "Datacenter", dc_paths },
        { "ComputeResource", entity_paths }, /* and ClusterComputeResource */
        { "HostSystem", host_paths },
    };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.types = types;
    spec.n_types = G_N_ELEMENTS(types);
    spec.walk = VI_WALK_HOSTS;
    g_autoptr(GPtrArray) objs = vi_collector_retrieve(vi, &spec, error);
    if (objs == NULL)
        return NULL;
    GPtrArray *all = g_ptr_array_new_with_free_func(entity_free);
    for (guint i = 0; i < objs->len; i++) {
        const vi_value *o = objs->pdata[i];
        vi_moref self = { 0 }, parent = { 0 }, hf = { 0 };
        if (!vi_object_moref(o, &self))
            continue;
        entity *e = g_new0(entity, 1);
        e->type = g_strdup(self.type);
        e->value = g_strdup(self.value);
        e->name = g_strdup(vi_object_get_string(o, "name"));
        if (vi_object_get_moref(o, "parent", &parent))
            e->parent = g_strdup(parent.value);
        if (vi_object_get_moref(o, "hostFolder", &hf))
            e->host_folder = g_strdup(hf.value);
        vi_moref b = { 0 };
        if (vi_object_get_moref(o, "datastoreBrowser", &b)) {
            e->browser.type = g_strdup(b.type);
            e->browser.value = g_strdup(b.value);
        }
        g_ptr_array_add(all, e);
    }
    return all;
}

static gboolean
is_type(const entity *e, const char *const *types)
{
    return types == NULL || g_strv_contains(types, e->type);
}

static const entity *
find_child(GPtrArray *all, const char *parent, const char *name, const char *const *types)
{
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (g_strcmp0(e->parent, parent) == 0 && (name == NULL || g_strcmp0(e->name, name) == 0) && is_type(e, types))
            return e;
    }
    return NULL;
}

static const entity *
find_value(GPtrArray *all, const char *value)
{
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (g_strcmp0(e->value, value) == 0)
            return e;
    }
    return NULL;
}

/* "'a', 'b'" — the names of `parent`'s children of `types`, for an error
 * message to offer as the choices; "nothing" when there are none. */
static char *
child_names(GPtrArray *all, const char *parent, const char *const *types)
{
    GString *s = g_string_new(NULL);
    guint n = 0;
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (g_strcmp0(e->parent, parent) != 0 || !is_type(e, types))
            continue;
        if (n++ == MAX_LISTED_NAMES) {
            g_string_append(s, ", ...");
            break;
        }
        g_string_append_printf(s, "%s'%s'", s->len ? ", " : "", e->name ? e->name : "");
    }
    if (s->len == 0)
        g_string_append(s, "nothing");
    return g_string_free(s, FALSE);
}

static void
set_moref(vi_moref *m, const entity *e)
{
    vi_moref_clear(m);
    m->type = g_strdup(e->type);
    m->value = g_strdup(e->value);
}

static void
set_host(esx_location *loc, const entity *host, const entity *compute, const entity *dc, const char *dc_path)
{
    set_moref(&loc->host, host);
    if (host->browser.value != NULL) {
        loc->browser.type = g_strdup(host->browser.type);
        loc->browser.value = g_strdup(host->browser.value);
    }
    /* a HostSystem without a name (a broken server) is named by its managed
     * object id: messages never say "host (null)" */
    loc->host_name = g_strdup(host->name != NULL && *host->name != '\0' ? host->name : host->value);
    if (compute != NULL)
        set_moref(&loc->compute, compute);
    if (dc != NULL) {
        set_moref(&loc->datacenter, dc);
        loc->datacenter_path = g_strdup(dc_path);
    }
}

/* The datacenter holding `e` and its inventory path ("folder1/dc1"), or NULL. */
static const entity *
datacenter_of(GPtrArray *all, const entity *e, char **path_out)
{
    while (e != NULL && strcmp(e->type, "Datacenter") != 0)
        e = find_value(all, e->parent);
    if (e == NULL)
        return NULL;
    GString *path = g_string_new(e->name);
    for (const entity *f = find_value(all, e->parent); f != NULL && f->parent != NULL; f = find_value(all, f->parent))
        g_string_prepend(g_string_prepend_c(path, '/'), f->name);
    *path_out = g_string_free(path, FALSE);
    return e;
}

/* esx:// and gsx://: the server's only host. */
static int32_t
locate_single(hvd_conn *conn, GPtrArray *all, esx_location *loc, hvd_error *err)
{
    const entity *host = NULL;
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (strcmp(e->type, "HostSystem") != 0)
            continue;
        if (host != NULL)
            return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                            "%s manages more than one host: it is a vCenter, connect with vpx://%s/DATACENTER/HOST",
                            conn->uri->host, conn->uri->host);
        host = e;
    }
    if (host == NULL)
        return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                        "%s reports no host system in its inventory: is it a vCenter without hosts? "
                        "Connect to an ESX host with esx://",
                        conn->uri->host);
    g_autofree char *dc_path = NULL;
    const entity *dc = datacenter_of(all, host, &dc_path);
    set_host(loc, host, find_value(all, host->parent), dc, dc_path);
    return HVD_OK;
}

#define PATH_FORM "[folder/...]datacenter/[folder/...][cluster/]host"

/* vpx://: walks the URI's path through the inventory. Every error names the
 * path element that was not found and the names there are to choose from. */
static int32_t
locate_path(vi_conn *vi, const char *vc, const char *path, GPtrArray *all, esx_location *loc, hvd_error *err)
{
    static const char *const above_dc[] = { "Folder", "Datacenter", NULL };
    static const char *const in_dc[] = { "Folder", "ClusterComputeResource", "ComputeResource", NULL };
    static const char *const host_t[] = { "HostSystem", NULL };
    const vi_ServiceContent *sc = vi_conn_service_content(vi);
    const char *cur = sc->rootFolder.value;
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    guint nparts = g_strv_length(parts);
    g_autoptr(GString) dc_path = g_string_new(NULL);
    const entity *dc = NULL, *compute = NULL;
    for (guint i = 0; i < nparts; i++) {
        const char *name = parts[i];
        gboolean last = i + 1 == nparts;
        if (dc == NULL) {
            /* folders, then the datacenter */
            const entity *e = find_child(all, cur, name, above_dc);
            if (e == NULL) {
                g_autofree char *there = child_names(all, cur, above_dc);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "vCenter %s has no folder or datacenter named '%s' (path element %u of '%s'); "
                                "the names there are: %s",
                                vc, name, i + 1, path, there);
            }
            g_string_append_printf(dc_path, "%s%s", dc_path->len ? "/" : "", name);
            cur = e->value;
            if (strcmp(e->type, "Datacenter") == 0) {
                if (e->host_folder == NULL)
                    return esx_fail(err, HVD_ERR_SERVER, NULL, "datacenter '%s' on vCenter %s reports no host folder",
                                    name, vc);
                dc = e;
                cur = e->host_folder;
            }
            continue;
        }
        if (compute != NULL) {
            /* after a cluster: one of its hosts, and nothing more */
            const entity *host = find_child(all, compute->value, name, host_t);
            if (host == NULL) {
                g_autofree char *there = child_names(all, compute->value, host_t);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "cluster '%s' in datacenter '%s' has no host named '%s' (path element %u of '%s'); "
                                "its hosts are: %s",
                                compute->name, dc->name, name, i + 1, path, there);
            }
            if (!last)
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "path '%s' goes on after host '%s': a host is the last element of " PATH_FORM
                                ", drop '%s' (path element %u) and what follows",
                                path, name, parts[i + 1], i + 2);
            set_host(loc, host, compute, dc, dc_path->str);
            return HVD_OK;
        }
        const entity *e = find_child(all, cur, name, in_dc);
        if (e == NULL) {
            g_autofree char *there = child_names(all, cur, in_dc);
            return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                            "datacenter '%s' on vCenter %s has no folder, cluster or host named '%s' "
                            "(path element %u of '%s'); the names there are: %s",
                            dc->name, vc, name, i + 1, path, there);
        }
        if (strcmp(e->type, "Folder") == 0) {
            cur = e->value;
        } else if (strcmp(e->type, "ClusterComputeResource") == 0) {
            compute = e;
        } else {
            /* a standalone host: its compute resource carries its name */
            const entity *host = find_child(all, e->value, NULL, host_t);
            if (host == NULL)
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "'%s' in datacenter '%s' on vCenter %s has no host "
                                "system (is it being added or removed?)",
                                name, dc->name, vc);
            if (!last)
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "'%s' in datacenter '%s' is a standalone host; nothing may follow it in the path "
                                "'%s': drop '%s' (path element %u) and what follows",
                                name, dc->name, path, parts[i + 1], i + 2);
            set_host(loc, host, e, dc, dc_path->str);
            return HVD_OK;
        }
    }
    if (dc == NULL)
        return esx_fail(err, HVD_ERR_NO_HOST, NULL, "path '%s' names no datacenter on vCenter %s: expected " PATH_FORM,
                        path, vc);
    if (compute != NULL) {
        g_autofree char *hosts = child_names(all, compute->value, host_t);
        return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                        "path '%s' ends at cluster '%s': add one of its hosts (%s) to the path", path, compute->name,
                        hosts);
    }
    g_autofree char *there = child_names(all, cur, in_dc);
    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                    "path '%s' ends before a host on vCenter %s: expected " PATH_FORM "; the names there are: %s", path,
                    vc, there);
}

static int32_t
locate(hvd_conn *conn, esx_location *loc, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) all = fetch_inventory(conn->vi, &gerr);
    if (all == NULL)
        return esx_fail_gerror(err, gerr);
    if (conn->uri->product == ESX_PRODUCT_VPX)
        return locate_path(conn->vi, conn->uri->host, conn->uri->path, all, loc, err);
    return locate_single(conn, all, loc, err);
}

int32_t
esx_locate_path(vi_conn *vi, const char *vc, const char *path, esx_location *loc, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) all = fetch_inventory(vi, &gerr);
    if (all == NULL)
        return esx_fail_gerror(err, gerr);
    return locate_path(vi, vc, path, all, loc, err);
}

const esx_location *
esx_conn_located(hvd_conn *conn)
{
    return g_atomic_pointer_get(&conn->location);
}

int32_t
esx_conn_locate(hvd_conn *conn, const esx_location **loc_out, hvd_error *err)
{
    *loc_out = esx_conn_located(conn);
    if (*loc_out != NULL)
        return HVD_OK;
    /* one locate per connection: the other threads wait for its answer */
    int32_t rc = HVD_OK;
    pthread_mutex_lock(&conn->locate_lock);
    esx_location *loc = g_atomic_pointer_get(&conn->location);
    if (loc == NULL) {
        loc = g_new0(esx_location, 1);
        rc = locate(conn, loc, err);
        if (rc == HVD_OK) {
            g_atomic_pointer_set(&conn->location, loc);
        } else {
            esx_location_free(loc);
            loc = NULL;
        }
    }
    pthread_mutex_unlock(&conn->locate_lock);
    *loc_out = loc;
    return rc;
}

/* esx:// must reach an ESX host, gsx:// a GSX server, vpx:// a vCenter:
 * ServiceContent.about, fetched at login, tells (no request). */
int32_t
esx_check_product(hvd_conn *conn, hvd_error *err)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    const vi_AboutInfo *about = sc ? sc->about : NULL;
    if (about == NULL)
        return esx_fail(err, HVD_ERR_SERVER, NULL, "%s sent no product information (AboutInfo)", conn->uri->host);
    gboolean is_vc = g_strcmp0(about->apiType, "VirtualCenter") == 0;
    const char *line = about->productLineId ? about->productLineId : "";
    switch (conn->uri->product) {
    case ESX_PRODUCT_VPX:
        if (!is_vc)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is not a vCenter but '%s': connect with esx://%s/",
                            conn->uri->host, about->fullName ? about->fullName : "?", conn->uri->host);
        break;
    case ESX_PRODUCT_ESX:
        if (is_vc)
            return esx_fail(err, HVD_ERR_URI, NULL,
                            "%s is a vCenter (%s), not an ESX host: connect with vpx://%s/DATACENTER/HOST",
                            conn->uri->host, about->fullName ? about->fullName : "?", conn->uri->host);
        if (strcmp(line, "gsx") == 0)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is a GSX server: connect with gsx://%s/", conn->uri->host,
                            conn->uri->host);
        break;
    case ESX_PRODUCT_GSX:
        if (strcmp(line, "gsx") != 0)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is not a GSX server but '%s': connect with %s://%s/",
                            conn->uri->host, about->fullName ? about->fullName : "?", is_vc ? "vpx" : "esx",
                            conn->uri->host);
        break;
    }
    return HVD_OK;
}
