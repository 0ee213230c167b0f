/* locate.c — which host a connection manages: the product check (esx://
 * must reach an ESX host, vpx:// a vCenter) and, for vpx://, the walk of the
 * URI's inventory path "[folder/...]datacenter/[folder/...][cluster/]host". */
#include "esx-conn.h"

#include <string.h>

/* ---- locating the host ------------------------------------------------- */

typedef struct {
    char *type;
    char *value;
    char *name;
    char *parent;   /* moref value of the parent, or NULL */
} entity;

static void
entity_free(gpointer p)
{
    entity *e = p;
    g_free(e->type);
    g_free(e->value);
    g_free(e->name);
    g_free(e->parent);
    g_free(e);
}

static gboolean
collect_entities(vi_conn *vi, const char *type, GPtrArray *out, GError **error)
{
    static const char *const paths[] = { "name", "parent", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = type;
    spec.paths = paths;
    g_autoptr(GPtrArray) objs = vi_collector_retrieve(vi, &spec, error);
    if (objs == NULL)
        return FALSE;
    for (guint i = 0; i < objs->len; i++) {
        const vi_value *o = objs->pdata[i];
        vi_moref self = { 0 }, parent = { 0 };
        if (!vi_object_moref(o, &self))
            continue;
        entity *e = g_new0(entity, 1);
        e->type = g_strdup(self.type);
        e->value = g_strdup(self.value);
        e->name = g_strdup(vi_object_get_string(o, "name"));
        if (vi_object_get_moref(o, "parent", &parent))
            e->parent = g_strdup(parent.value);
        g_ptr_array_add(out, e);
    }
    return TRUE;
}

static const entity *
find_child(GPtrArray *all, const char *parent, const char *name, const char *const *types)
{
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (g_strcmp0(e->parent, parent) == 0 && (name == NULL || g_strcmp0(e->name, name) == 0) &&
            (types == NULL || g_strv_contains(types, e->type)))
            return e;
    }
    return NULL;
}

static void
set_moref(vi_moref *m, const entity *e)
{
    vi_moref_clear(m);
    m->type = g_strdup(e->type);
    m->value = g_strdup(e->value);
}

/* Walks "[folder/...]datacenter/[folder/...][cluster/]host" (vpx://), or
 * finds the single host of an ESX/GSX server. Inventory entities are fetched
 * in four bulk retrievals (folders, datacenters, compute resources, hosts)
 * rather than one lookup per path element. */
int32_t
esx_locate_host(hvd_conn *conn, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(entity_free);
    static const char *const kinds[] = { "Folder", "Datacenter", "ComputeResource", "HostSystem" };
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (!collect_entities(conn->vi, kinds[i], all, &gerr))
            return esx_fail_gerror(err, gerr);
    }
    static const char *const host_t[] = { "HostSystem", NULL };

    if (conn->uri->product != ESX_PRODUCT_VPX) {
        const entity *host = NULL;
        for (guint i = 0; i < all->len; i++) {
            const entity *e = all->pdata[i];
            if (strcmp(e->type, "HostSystem") == 0) {
                if (host != NULL)
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                    "%s manages more than one host: it is a vCenter, connect with vpx://%s/DATACENTER/HOST",
                                    conn->uri->host, conn->uri->host);
                host = e;
            }
        }
        if (host == NULL)
            return esx_fail(err, HVD_ERR_NO_HOST, NULL, "%s reports no host system", conn->uri->host);
        set_moref(&conn->host, host);
        conn->host_name = g_strdup(host->name);
        for (guint i = 0; i < all->len; i++) {
            const entity *e = all->pdata[i];
            if (g_strcmp0(e->value, host->parent) == 0)
                set_moref(&conn->compute, e);
        }
        const entity *dc = NULL;
        for (guint i = 0; i < all->len && dc == NULL; i++) {
            if (strcmp(((entity *)all->pdata[i])->type, "Datacenter") == 0)
                dc = all->pdata[i];
        }
        if (dc != NULL) {
            set_moref(&conn->datacenter, dc);
            conn->datacenter_path = g_strdup(dc->name);
        }
        return HVD_OK;
    }

    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    const char *cur = sc->rootFolder.value;
    g_auto(GStrv) parts = g_strsplit(conn->uri->path, "/", -1);
    guint nparts = g_strv_length(parts);
    GString *dc_path = g_string_new(NULL);
    const entity *dc = NULL, *compute = NULL, *host = NULL;
    for (guint i = 0; i < nparts; i++) {
        const char *name = parts[i];
        if (dc == NULL) {
            /* folders, then the datacenter */
            const entity *e = find_child(all, cur, name, NULL);
            if (e == NULL || (strcmp(e->type, "Folder") != 0 && strcmp(e->type, "Datacenter") != 0)) {
                g_string_free(dc_path, TRUE);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "vCenter %s has no folder or datacenter named '%s' (path element %u of '%s')",
                                conn->uri->host, name, i + 1, conn->uri->path);
            }
            if (dc_path->len > 0)
                g_string_append_c(dc_path, '/');
            g_string_append(dc_path, name);
            cur = e->value;
            if (strcmp(e->type, "Datacenter") == 0) {
                dc = e;
                /* a datacenter's hosts live in its hidden "host" folder */
                static const char *const folder_t[] = { "Folder", NULL };
                const entity *hf = find_child(all, dc->value, "host", folder_t);
                if (hf == NULL) {
                    g_string_free(dc_path, TRUE);
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL, "datacenter '%s' on %s has no host folder", name,
                                    conn->uri->host);
                }
                cur = hf->value;
            }
            continue;
        }
        if (compute != NULL && strcmp(compute->type, "ClusterComputeResource") == 0) {
            host = find_child(all, compute->value, name, host_t);
            if (host == NULL || i + 1 != nparts) {
                g_string_free(dc_path, TRUE);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL, "cluster '%s' in datacenter '%s' has no host named '%s'",
                                compute->name, dc->name, name);
            }
            break;
        }
        const entity *e = find_child(all, cur, name, NULL);
        if (e == NULL) {
            g_string_free(dc_path, TRUE);
            return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                            "datacenter '%s' on vCenter %s has no folder, cluster or host named '%s'",
                            dc->name, conn->uri->host, name);
        }
        if (strcmp(e->type, "Folder") == 0) {
            cur = e->value;
        } else if (strcmp(e->type, "ClusterComputeResource") == 0 || strcmp(e->type, "ComputeResource") == 0) {
            compute = e;
            if (strcmp(e->type, "ComputeResource") == 0) {
                /* a standalone host: the compute resource carries its name */
                host = find_child(all, e->value, NULL, host_t);
                if (i + 1 != nparts || host == NULL) {
                    g_string_free(dc_path, TRUE);
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                    "'%s' in datacenter '%s' is a standalone host; nothing may follow it in the path",
                                    name, dc->name);
                }
                break;
            }
        } else if (strcmp(e->type, "HostSystem") == 0) {
            host = e;
            break;
        }
    }
    if (dc == NULL || host == NULL) {
        g_string_free(dc_path, TRUE);
        return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                        "path '%s' does not lead to a host on vCenter %s: expected "
                        "[folder/...]datacenter/[folder/...][cluster/]host", conn->uri->path, conn->uri->host);
    }
    set_moref(&conn->datacenter, dc);
    set_moref(&conn->host, host);
    if (compute != NULL)
        set_moref(&conn->compute, compute);
    conn->datacenter_path = g_string_free(dc_path, FALSE);
    conn->host_name = g_strdup(host->name);
    return HVD_OK;
}

/* esx:// must reach an ESX host, gsx:// a GSX server, vpx:// a vCenter. */
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

