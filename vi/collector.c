/* Property collector: RetrievePropertiesEx + ContinueRetrievePropertiesEx,
 * one round trip per page, a page in memory at a time.
 *
 * Listing a type under the root folder uses traversal specs from the root
 * (no ContainerView to create and destroy: the whole listing costs exactly
 * one round trip per page); another container uses a ContainerView. */
#include <string.h>

#include "vi/vi-private.h"
#include "vi/vi-collector.h"

#define DEFAULT_PAGE        1000
#define DEFAULT_MAX_OBJECTS 1000000

static void
add_sel(vi_value *parent, const char *name)
{
    vi_value *s = vi_value_add_object(parent, "selectSet", NULL);
    vi_value_add_string(s, "name", name);
}

static vi_value *
add_trav(vi_value *obj_spec, const char *name, const char *type, const char *path)
{
    vi_value *t = vi_value_add_object(obj_spec, "selectSet", "TraversalSpec");
    vi_value_add_string(t, "name", name);
    vi_value_add_string(t, "type", type);
    vi_value_add_string(t, "path", path);
    vi_value_add_bool(t, "skip", FALSE);
    return t;
}

/* The inventory tree below a folder: folders, datacenters' four folders,
 * compute resources' hosts and resource pools; for VI_WALK_HOSTS only
 * folders, datacenters' host folders, compute resources and hosts; for
 * VI_WALK_STORAGE those and datacenters' datastore folders. */
static void
add_inventory_traversal(vi_value *obj_spec, vi_walk walk)
{
    static const char *const all[] = { "folder", "dcVm", "dcHost", "dcDs", "dcNet", "crHost", "crRp", NULL };
    static const char *const hosts[] = { "folder", "dcHost", "crHost", NULL };
    static const char *const storage[] = { "folder", "dcHost", "dcDs", "crHost", NULL };
    const char *const *from_folder = walk == VI_WALK_HOSTS ? hosts : walk == VI_WALK_STORAGE ? storage : all;
    vi_value *t = add_trav(obj_spec, "folder", "Folder", "childEntity");
    for (int i = 0; from_folder[i]; i++)
        add_sel(t, from_folder[i]);
    add_sel(add_trav(obj_spec, "dcHost", "Datacenter", "hostFolder"), "folder");
    add_trav(obj_spec, "crHost", "ComputeResource", "host");
    if (walk == VI_WALK_HOSTS)
        return;
    add_sel(add_trav(obj_spec, "dcDs", "Datacenter", "datastoreFolder"), "folder");
    if (walk == VI_WALK_STORAGE)
        return;
    add_sel(add_trav(obj_spec, "dcVm", "Datacenter", "vmFolder"), "folder");
    add_sel(add_trav(obj_spec, "dcNet", "Datacenter", "networkFolder"), "folder");
    add_sel(add_trav(obj_spec, "crRp", "ComputeResource", "resourcePool"), "rpRp");
    add_sel(add_trav(obj_spec, "rpRp", "ResourcePool", "resourcePool"), "rpRp");
}

static void
add_prop_spec(vi_value *fs, const char *type, const char *const *paths)
{
    vi_value *ps = vi_value_add_object(fs, "propSet", NULL);
    vi_value_add_string(ps, "type", type);
    if (!paths) {
        vi_value_add_bool(ps, "all", TRUE);
        return;
    }
    for (int i = 0; paths[i]; i++)
        vi_value_add_string(ps, "pathSet", paths[i]);
}

static vi_value *
args_new(const char *method)
{
    return vi_value_new(method, NULL, NULL);
}

typedef gboolean (*take_func)(vi_value *obj, gpointer user_data, GError **error);

static const char *
missing_fault(const vi_value *ms)
{
    const vi_value *f = vi_value_lookup(ms, "fault.fault");
    if (!f)
        return NULL;
    if (vi_value_type(f))
        return vi_value_type(f);
    return vi_value_name(vi_value_child_at(f, 0));
}

static gboolean
page_not_authenticated(const vi_value *rv)
{
    for (guint i = 0; i < vi_value_n_children(rv); i++) {
        const vi_value *o = vi_value_child_at(rv, i);
        if (strcmp(vi_value_name(o), "objects") != 0)
            continue;
        for (guint j = 0; j < vi_value_n_children(o); j++) {
            const vi_value *ms = vi_value_child_at(o, j);
            if (strcmp(vi_value_name(ms), "missingSet") == 0 && g_strcmp0(missing_fault(ms), "NotAuthenticated") == 0)
                return TRUE;
        }
    }
    return FALSE;
}

/* Ends a retrieval on the server before its last page. */
static void
cancel_retrieval(vi_conn *conn, const vi_moref *pc, const char *token)
{
    g_autoptr(vi_value) a = args_new("CancelRetrievePropertiesEx");
    vi_value_add_string(a, "token", token);
    vi_value_free(vi_call(conn, "CancelRetrievePropertiesEx", pc, a, NULL));
}

/* Whether the walk may go on after a page that ended with TOKEN (recorded
 * in SEEN), OBJECTS objects in all; else ERROR says why not. A server that
 * repeats a token, or never stops sending pages, would keep us forever. */
static gboolean
may_continue(vi_conn *conn, GHashTable *seen, const char *token, guint64 objects, guint64 max_objects, GError **error)
{
    if (!g_hash_table_add(seen, g_strdup(token))) {
        g_autofree char *shown = g_strescape(token, NULL);
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                    "%s sent the continuation token '%.64s' twice in one retrieval (after %" G_GUINT64_FORMAT
                    " objects); giving up rather than loop",
                    vi_conn_endpoint(conn), shown, objects);
        return FALSE;
    }
    if (objects > max_objects) {
        g_set_error(error, VI_ERROR, VI_ERROR_TOO_LARGE,
                    "%s keeps sending result pages: more than %" G_GUINT64_FORMAT
                    " objects in one retrieval (the limit max_objects); giving up",
                    vi_conn_endpoint(conn), max_objects);
        return FALSE;
    }
    return TRUE;
}

/* Where a retrieval's objects go. */
typedef struct {
    take_func take;
    /* Called when the listing starts again from its first page (the
     * session ended between pages); NULL: the objects already taken are
     * skipped on the second pass instead, by moref. */
    void (*restart)(gpointer ud);
    gpointer ud;
} sink;

typedef enum {
    PASS_DONE,
    PASS_FAILED,
    PASS_SESSION_LOST, /* between pages: the token died with the session */
} pass_end;

static char *
moref_key(const vi_value *obj)
{
    vi_moref m;
    if (!vi_object_moref(obj, &m))
        return NULL;
    return g_strconcat(m.type ? m.type : "", ":", m.value, NULL);
}

/* One pass over the pages: RetrievePropertiesEx, then its continuations.
 * With TAKEN, the morefs handed over by a listing of more than one page
 * are recorded there or, with SKIP, those in it are not handed over again.
 * GEN is the session generation read before the pass. */
static pass_end
one_pass(vi_conn *conn, const vi_moref *pc, const vi_value *args, guint64 max_objects, const sink *to,
         GHashTable *taken, gboolean skip, guint gen, guint *pages, GError **error)
{
    g_autoptr(vi_value) resp = vi_call(conn, "RetrievePropertiesEx", pc, args, error);
    if (!resp)
        return PASS_FAILED;
    (*pages)++;
    gboolean first = TRUE;
    guint empty_pages = 0;
    guint64 total = 0;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (;;) {
        vi_value *rv = (vi_value *)vi_value_child(resp, "returnval");
        if (!rv)
            return PASS_DONE; /* no objects at all */
        if (first && page_not_authenticated(rv)) {
            /* vcsim reports an expired session per object in missingSet */
            g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED,
                        "%s answered NotAuthenticated for the objects of a listing", vi_conn_endpoint(conn));
            return PASS_SESSION_LOST;
        }
        const char *t = vi_value_get_string(rv, "token");
        g_autofree char *token = t && *t ? g_strdup(t) : NULL;
        gboolean paged = token || !first;
        first = FALSE;
        guint objects = 0;
        /* hand the objects over one by one, freeing as we go */
        for (guint i = 0; i < vi_value_n_children(rv);) {
            if (strcmp(vi_value_name(vi_value_child_at(rv, i)), "objects") != 0) {
                i++;
                continue;
            }
            vi_value *obj = vi_value_steal_child(rv, i);
            objects++;
            g_autofree char *key = taken && (paged || skip) ? moref_key(obj) : NULL;
            if (key && skip && g_hash_table_contains(taken, key)) {
                vi_value_free(obj);
                continue;
            }
            if (key && !skip)
                g_hash_table_add(taken, g_steal_pointer(&key));
            if (!to->take(obj, to->ud, error)) {
                if (token)
                    cancel_retrieval(conn, pc, token);
                return PASS_FAILED;
            }
        }
        total += objects;
        if (!token)
            return PASS_DONE;
        if (!may_continue(conn, seen, token, total, max_objects, error)) {
            cancel_retrieval(conn, pc, token);
            return PASS_FAILED;
        }
        /* a server that keeps sending empty pages with a token would loop us forever */
        empty_pages = objects ? 0 : empty_pages + 1;
        if (empty_pages >= 3) {
            g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                        "%s keeps returning empty result pages with a continuation token; giving up",
                        vi_conn_endpoint(conn));
            return PASS_FAILED;
        }
        g_clear_pointer(&resp, vi_value_free);
        g_autoptr(vi_value) a = args_new("ContinueRetrievePropertiesEx");
        vi_value_add_string(a, "token", token);
        /* no transparent re-login here: the token belongs to the session */
        g_autoptr(GError) e = NULL;
        resp = vi_call_no_relogin(conn, "ContinueRetrievePropertiesEx", pc, a, &e);
        if (!resp) {
            /* our session ended, or another thread logged in again (which
             * ends ours): the token died with it */
            gboolean lost = (e->domain == VI_ERROR && e->code == VI_ERROR_NOT_AUTHENTICATED) ||
                            (vi_error_is_fault(e, "InvalidArgument") && vi_conn_session_gen(conn) != gen);
            g_propagate_error(error, g_steal_pointer(&e));
            return lost ? PASS_SESSION_LOST : PASS_FAILED;
        }
        (*pages)++;
    }
}

/* Runs the retrieval; when the session ends between two pages, logs in
 * again once and restarts the listing from its first page (a continuation
 * token cannot outlive its session), once. */
static gboolean
run_pages(vi_conn *conn, const vi_moref *pc, const vi_value *args, guint64 max_objects, const sink *to, guint *pages,
          GError **error)
{
    g_autoptr(GHashTable) taken = to->restart ? NULL : g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int pass = 0;; pass++) {
        guint gen = vi_conn_session_gen(conn);
        g_autoptr(GError) e = NULL;
        pass_end end = one_pass(conn, pc, args, max_objects, to, taken, pass > 0, gen, pages, &e);
        if (end == PASS_DONE)
            return TRUE;
        if (end == PASS_FAILED) {
            g_propagate_error(error, g_steal_pointer(&e));
            return FALSE;
        }
        if (pass > 0) {
            g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED,
                        "The session on %s ended again during a listing that had already been restarted once for "
                        "that (%u pages in all); giving up: try again, and check the server's session timeout (%s)",
                        vi_conn_endpoint(conn), *pages, e->message);
            return FALSE;
        }
        /* TRUE at once when another thread logged in again meanwhile */
        if (!vi_conn_relogin(conn, gen, error))
            return FALSE;
        vi_log(vi_conn_log(conn), VI_LOG_INFO,
               "The session on %s ended during a listing (after %u pages); restarting it from the first page",
               vi_conn_endpoint(conn), *pages);
        if (to->restart)
            to->restart(to->ud);
    }
}

/* Checks SPEC and adds its property and object specs to FS (a specSet);
 * a retrieval that needs a ContainerView creates it (*VIEW_OUT, to destroy
 * after the retrieval). */
static gboolean
add_spec(vi_conn *conn, const vi_ServiceContent *sc, const vi_retrieve_spec *spec, vi_value *fs, vi_moref **view_out,
         GError **error)
{
    if (!spec || spec->struct_size < sizeof(vi_retrieve_spec) || (!spec->n_objects && !spec->type && !spec->n_types)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "vi_collector: spec needs a type, types or objects (use VI_RETRIEVE_SPEC_INIT)");
        return FALSE;
    }
    if (spec->n_types && (spec->n_objects || spec->type || spec->container || spec->non_recursive)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "vi_collector: spec.types walks from the root folder: it takes no type, objects, "
                    "container or non_recursive");
        return FALSE;
    }
    if (spec->n_objects) {
        g_autoptr(GHashTable) types = g_hash_table_new(g_str_hash, g_str_equal);
        for (gsize i = 0; i < spec->n_objects; i++) {
            if (!g_hash_table_contains(types, spec->objects[i].type)) {
                g_hash_table_add(types, spec->objects[i].type);
                add_prop_spec(fs, spec->objects[i].type, spec->paths);
            }
        }
        for (gsize i = 0; i < spec->n_objects; i++) {
            vi_value *os = vi_value_add_object(fs, "objectSet", NULL);
            vi_value_add_moref(os, "obj", &spec->objects[i]);
        }
    } else {
        if (spec->n_types) {
            for (gsize i = 0; i < spec->n_types; i++)
                add_prop_spec(fs, spec->types[i].type, spec->types[i].paths);
        } else {
            add_prop_spec(fs, spec->type, spec->paths);
        }
        vi_value *os = vi_value_add_object(fs, "objectSet", NULL);
        if (spec->container && spec->container_path) {
            gboolean self = spec->container_self_paths != NULL;
            if (self)
                add_prop_spec(fs, spec->container->type, spec->container_self_paths);
            vi_value_add_moref(os, "obj", spec->container);
            vi_value_add_bool(os, "skip", !self);
            add_trav(os, "containerPath", spec->container->type, spec->container_path);
        } else if (!spec->container && !spec->non_recursive) {
            vi_value_add_moref(os, "obj", &sc->rootFolder);
            vi_value_add_bool(os, "skip", FALSE);
            add_inventory_traversal(os, spec->walk);
        } else {
            g_autoptr(vi_value) cv = args_new("CreateContainerView");
            vi_value_add_moref(cv, "container", spec->container ? spec->container : &sc->rootFolder);
            vi_value_add_string(cv, "type", spec->type);
            vi_value_add_bool(cv, "recursive", !spec->non_recursive);
            *view_out = vi_call_moref(conn, "CreateContainerView", &sc->viewManager, cv, error);
            if (!*view_out)
                return FALSE;
            vi_value_add_moref(os, "obj", *view_out);
            vi_value_add_bool(os, "skip", TRUE);
            add_trav(os, "view", "ContainerView", "view");
        }
    }
    return TRUE;
}

static gboolean
retrieve(vi_conn *conn, const vi_retrieve_spec *spec, const sink *to, guint *pages_out, GError **error)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn);
    if (!sc) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED, "Not connected to %s (log in first)",
                    vi_conn_endpoint(conn));
        return FALSE;
    }
    g_autoptr(vi_value) args = args_new("RetrievePropertiesEx");
    vi_value *fs = vi_value_add_object(args, "specSet", NULL);
    g_autoptr(vi_moref) view = NULL;
    if (!add_spec(conn, sc, spec, fs, &view, error))
        return FALSE;
    vi_value *opt = vi_value_add_object(args, "options", NULL);
    vi_value_add_int(opt, "maxObjects", spec->page_size ? spec->page_size : DEFAULT_PAGE);

    guint pages = 0;
    gboolean ok = run_pages(conn, &sc->propertyCollector, args,
                            spec->max_objects ? spec->max_objects : DEFAULT_MAX_OBJECTS, to, &pages, error);
    if (view) {
        vi_value_free(vi_call(conn, "DestroyView", view, NULL, NULL));
    }
    if (pages_out)
        *pages_out = pages;
    return ok;
}

typedef struct {
    vi_object_func func;
    gpointer ud;
} foreach_ctx;

static gboolean
take_foreach(vi_value *obj, gpointer ud, GError **error)
{
    foreach_ctx *c = ud;
    gboolean ok = c->func(obj, c->ud, error);
    vi_value_free(obj);
    if (!ok && error && !*error)
        g_set_error(error, VI_ERROR, VI_ERROR_CANCELLED, "Retrieval stopped by the caller");
    return ok;
}

gboolean
vi_collector_foreach(vi_conn *conn, const vi_retrieve_spec *spec, vi_object_func func, gpointer user_data,
                     guint *pages_out, GError **error)
{
    foreach_ctx c = { func, user_data };
    sink to = { take_foreach, NULL, &c };
    return retrieve(conn, spec, &to, pages_out, error);
}

static gboolean
take_collect(vi_value *obj, gpointer ud, GError **error)
{
    g_ptr_array_add(ud, obj);
    return TRUE;
}

static void
restart_collect(gpointer ud)
{
    g_ptr_array_set_size(ud, 0);
}

GPtrArray *
vi_collector_retrieve(vi_conn *conn, const vi_retrieve_spec *spec, GError **error)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)vi_value_free);
    sink to = { take_collect, restart_collect, out };
    if (!retrieve(conn, spec, &to, NULL, error)) {
        g_ptr_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

vi_value *
vi_collector_retrieve_one(vi_conn *conn, const vi_moref *obj, const char *const *paths, GError **error)
{
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.objects = obj;
    spec.n_objects = 1;
    spec.paths = paths;
    g_autoptr(GPtrArray) all = vi_collector_retrieve(conn, &spec, error);
    if (!all)
        return NULL;
    if (!all->len) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_FOUND, "%s '%s' not found on %s", obj->type, obj->value,
                    vi_conn_endpoint(conn));
        return NULL;
    }
    return g_ptr_array_steal_index(all, 0);
}

/* Where vi_collector_retrieve_one_also's objects go. */
typedef struct {
    const vi_moref *obj;
    vi_value *one;
    GPtrArray *also;
    guint also_from; /* ALSO's length before the retrieval */
} one_also_ctx;

static gboolean
take_one_also(vi_value *obj, gpointer ud, GError **error)
{
    one_also_ctx *c = ud;
    vi_moref m;
    if (!c->one && vi_object_moref(obj, &m) && g_strcmp0(m.type, c->obj->type) == 0 &&
        g_strcmp0(m.value, c->obj->value) == 0)
        c->one = obj;
    else
        g_ptr_array_add(c->also, obj);
    return TRUE;
}

static void
restart_one_also(gpointer ud)
{
    one_also_ctx *c = ud;
    g_clear_pointer(&c->one, vi_value_free);
    g_ptr_array_set_size(c->also, c->also_from);
}

/* Whether SPEC lists objects of TYPE (then OBJ could not be told apart). */
static gboolean
spec_lists_type(const vi_retrieve_spec *spec, const char *type)
{
    if (g_strcmp0(spec->type, type) == 0)
        return TRUE;
    for (gsize i = 0; i < spec->n_types; i++)
        if (g_strcmp0(spec->types[i].type, type) == 0)
            return TRUE;
    for (gsize i = 0; i < spec->n_objects; i++)
        if (g_strcmp0(spec->objects[i].type, type) == 0)
            return TRUE;
    return FALSE;
}

vi_value *
vi_collector_retrieve_one_also(vi_conn *conn, const vi_moref *obj, const char *const *paths,
                               const vi_retrieve_spec *also, GPtrArray *also_out, GError **error)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn);
    if (!sc) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED, "Not connected to %s (log in first)",
                    vi_conn_endpoint(conn));
        return NULL;
    }
    if (!obj || !also || !also_out || (also->container && !also->container_path) ||
        (!also->container && !also->n_objects && also->non_recursive) || spec_lists_type(also, obj->type)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "vi_collector_retrieve_one_also: needs an object, an array, and a spec that needs no "
                    "ContainerView and lists no object of the object's type");
        return NULL;
    }
    g_autoptr(vi_value) args = args_new("RetrievePropertiesEx");
    vi_value *fs = vi_value_add_object(args, "specSet", NULL);
    g_autoptr(vi_moref) view = NULL;
    if (!add_spec(conn, sc, also, fs, &view, error))
        return NULL;
    add_prop_spec(fs, obj->type, paths);
    vi_value_add_moref(vi_value_add_object(fs, "objectSet", NULL), "obj", obj);
    vi_value *opt = vi_value_add_object(args, "options", NULL);
    vi_value_add_int(opt, "maxObjects", also->page_size ? also->page_size : DEFAULT_PAGE);
    one_also_ctx c = { obj, NULL, also_out, also_out->len };
    sink to = { take_one_also, restart_one_also, &c };
    guint pages = 0;
    guint64 max = also->max_objects ? also->max_objects : DEFAULT_MAX_OBJECTS;
    if (!run_pages(conn, &sc->propertyCollector, args, max + 1, &to, &pages, error)) {
        restart_one_also(&c);
        return NULL;
    }
    if (!c.one)
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_FOUND, "%s '%s' not found on %s", obj->type, obj->value,
                    vi_conn_endpoint(conn));
    return c.one;
}

/* --- ObjectContent accessors --------------------------------------------- */

gboolean
vi_object_moref(const vi_value *obj, vi_moref *out)
{
    return vi_value_get_moref(obj, "obj", out);
}

/* The propSet value covering PATH: the property named PATH itself, or one
 * named by a prefix of it (then *REST is the remainder, else NULL). */
static const vi_value *
find_prop(const vi_value *obj, const char *path, const char **rest)
{
    *rest = NULL;
    if (!obj || !path)
        return NULL;
    gsize plen = strlen(path);
    for (guint i = 0; i < vi_value_n_children(obj); i++) {
        const vi_value *ps = vi_value_child_at(obj, i);
        if (strcmp(vi_value_name(ps), "propSet") != 0)
            continue;
        const char *name = vi_value_get_string(ps, "name");
        gsize nlen = name ? strlen(name) : 0;
        if (!name || nlen > plen || memcmp(name, path, nlen) != 0)
            continue;
        if (nlen == plen)
            return vi_value_child(ps, "val");
        if (path[nlen] == '.') {
            *rest = path + nlen + 1;
            return vi_value_child(ps, "val");
        }
    }
    return NULL;
}

const vi_value *
vi_object_get(const vi_value *obj, const char *path)
{
    const char *rest;
    const vi_value *val = find_prop(obj, path, &rest);
    return rest ? vi_value_lookup(val, rest) : val;
}

const char *
vi_object_get_string(const vi_value *obj, const char *path)
{
    return vi_value_text(vi_object_get(obj, path));
}

gboolean
vi_object_get_int64(const vi_value *obj, const char *path, gint64 *out)
{
    return vi_value_get_int64(vi_object_get(obj, path), NULL, out);
}

gboolean
vi_object_get_moref(const vi_value *obj, const char *path, vi_moref *out)
{
    return vi_value_get_moref(vi_object_get(obj, path), NULL, out);
}

GPtrArray *
vi_object_get_all(const vi_value *obj, const char *path)
{
    const char *rest;
    const vi_value *val = find_prop(obj, path, &rest);
    return val ? vi_value_lookup_all(val, rest) : g_ptr_array_new();
}

const char *
vi_object_missing(const vi_value *obj, const char *path)
{
    for (guint i = 0; i < vi_value_n_children(obj); i++) {
        const vi_value *ms = vi_value_child_at(obj, i);
        if (strcmp(vi_value_name(ms), "missingSet") == 0 && g_strcmp0(vi_value_get_string(ms, "path"), path) == 0) {
            const char *f = missing_fault(ms);
            return f ? f : "unknown";
        }
    }
    return NULL;
}
