/* snapshot.c — the snapshot table: a domain's snapshot tree is read with
 * the domain (its `snapshot` property, in the retrieval that resolves it),
 * flattened parents first, and every member answers from that; create,
 * revert and remove are one task each (remove with children only: one per
 * direct child), followed as the lifecycle's are. */
#include "esx-domain.h"
#include "esx-task.h"
#include "vmx/vmx.h"

#include <string.h>

/* One snapshot of the flattened tree. */
typedef struct {
    char *name;
    char *description;
    char *key;   /* the snapshot's id, or its moref value when it has none */
    char *moref; /* VirtualMachineSnapshot */
    const char *state_word;
    int32_t state;
    gint64 created;
    int parent; /* index, -1 for a root */
    guint children;
} snap;

typedef struct {
    esx_vm *vm;
    char uuid[37];
    GArray *snaps; /* snap, parents before children */
    int current;   /* index or -1 */
} snap_tree;

static void
snap_tree_free(snap_tree *t)
{
    if (t == NULL)
        return;
    for (guint i = 0; t->snaps != NULL && i < t->snaps->len; i++) {
        snap *s = &g_array_index(t->snaps, snap, i);
        g_free(s->name);
        g_free(s->description);
        g_free(s->key);
        g_free(s->moref);
    }
    if (t->snaps != NULL)
        g_array_free(t->snaps, TRUE);
    esx_vm_free(t->vm);
    g_free(t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snap_tree, snap_tree_free)

static void
add_subtree(snap_tree *t, const vi_value *node, int parent)
{
    snap s = { .parent = parent };
    vi_moref ref = { 0 };
    vi_value_get_moref(node, "snapshot", &ref);
    s.moref = g_strdup(ref.value);
    s.name = g_strdup(vi_value_get_string(node, "name"));
    if (s.name == NULL)
        s.name = g_strdup("");
    s.description = g_strdup(vi_value_get_string(node, "description"));
    gint64 id = 0;
    s.key = vi_value_get_int64(node, "id", &id) ? g_strdup_printf("%" G_GINT64_FORMAT, id) : g_strdup(ref.value);
    const char *power = vi_value_get_string(node, "state");
    if (g_strcmp0(power, "poweredOn") == 0) {
        s.state = HVD_DOMAIN_RUNNING;
        s.state_word = "running";
    } else if (g_strcmp0(power, "suspended") == 0) {
        s.state = HVD_DOMAIN_PAUSED;
        s.state_word = "paused";
    } else {
        s.state = HVD_DOMAIN_SHUTOFF;
        s.state_word = "shutoff";
    }
    const char *when = vi_value_get_string(node, "createTime");
    g_autoptr(GDateTime) dt = when != NULL ? g_date_time_new_from_iso8601(when, NULL) : NULL;
    s.created = dt != NULL ? g_date_time_to_unix(dt) : 0;
    g_array_append_val(t->snaps, s);
    int self = (int)t->snaps->len - 1;
    if (parent >= 0)
        g_array_index(t->snaps, snap, parent).children++;
    g_autoptr(GPtrArray) kids = vi_value_lookup_all(node, "childSnapshotList");
    for (guint i = 0; kids != NULL && i < kids->len; i++)
        add_subtree(t, kids->pdata[i], self);
}

/* The domain and its snapshots, in one retrieval for a key. */
static int32_t
read_tree(hvd_conn *conn, const char *domain, snap_tree **tree_out, hvd_error *err)
{
    static const char *const paths[] = { "snapshot", NULL };
    g_autoptr(snap_tree) t = g_new0(snap_tree, 1);
    t->snaps = g_array_new(FALSE, TRUE, sizeof(snap));
    t->current = -1;
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = esx_domain_resolve_with(conn, domain, paths, &t->vm, &obj, err);
    if (rc != HVD_OK)
        return rc;
    const uint8_t *u = t->vm->uuid;
    g_snprintf(t->uuid, sizeof(t->uuid), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
               u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    g_autoptr(GPtrArray) roots = vi_object_get_all(obj, "snapshot.rootSnapshotList");
    for (guint i = 0; roots != NULL && i < roots->len; i++)
        add_subtree(t, roots->pdata[i], -1);
    vi_moref cur = { 0 };
    if (vi_object_get_moref(obj, "snapshot.currentSnapshot", &cur)) {
        for (guint i = 0; i < t->snaps->len; i++) {
            if (g_strcmp0(g_array_index(t->snaps, snap, i).moref, cur.value) == 0)
                t->current = (int)i;
        }
    }
    *tree_out = g_steal_pointer(&t);
    return HVD_OK;
}

static const snap *
at(const snap_tree *t, int i)
{
    return &g_array_index(t->snaps, snap, i);
}

/* The index of SNAPSHOT (a name, or a key with HVD_SNAPSHOT_BY_KEY). */
static int32_t
find(const snap_tree *t, const char *snapshot, uint32_t flags, int *index_out, hvd_error *err)
{
    if (snapshot == NULL || *snapshot == '\0')
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "no snapshot given");
    gboolean by_key = (flags & HVD_SNAPSHOT_BY_KEY) != 0;
    guint found = 0;
    g_autoptr(GString) keys = g_string_new(NULL);
    for (guint i = 0; i < t->snaps->len; i++) {
        const snap *s = at(t, (int)i);
        if (strcmp(by_key ? s->key : s->name, snapshot) != 0)
            continue;
        g_string_append_printf(keys, "%s'%s'", found ? ", " : "", s->key);
        found++;
        *index_out = (int)i;
    }
    if (found == 0)
        return esx_fail(err, HVD_ERR_NO_SNAPSHOT, NULL, "domain '%s' has no snapshot with the %s '%s'", t->vm->name,
                        by_key ? "key" : "name", snapshot);
    if (found > 1)
        return esx_fail(err, HVD_ERR_AMBIGUOUS, NULL,
                        "%u snapshots of domain '%s' are named '%s': address one by its key: %s", found, t->vm->name,
                        snapshot, keys->str);
    return HVD_OK;
}

/* ---- packing ------------------------------------------------------------ */

static gsize
snap_strings(const snap_tree *t, int i)
{
    const snap *s = at(t, i);
    gsize n = strlen(s->name) + 1 + strlen(s->key) + 1 + strlen(s->description ? s->description : "") + 1;
    if (s->parent >= 0)
        n += strlen(at(t, s->parent)->name) + 1 + strlen(at(t, s->parent)->key) + 1;
    return n;
}

static const char *
put(char **p, const char *s)
{
    char *start = *p;
    *p = g_stpcpy(*p, s) + 1;
    return start;
}

static void
fill(hvd_snapshot_info *info, const snap_tree *t, int i, char **p)
{
    const snap *s = at(t, i);
    info->struct_size = sizeof(*info);
    info->state = s->state;
    info->creation_time = s->created;
    info->is_current = i == t->current;
    info->num_children = s->children;
    info->name = put(p, s->name);
    info->description = put(p, s->description ? s->description : "");
    info->key = put(p, s->key);
    if (s->parent >= 0) {
        info->parent = put(p, at(t, s->parent)->name);
        info->parent_key = put(p, at(t, s->parent)->key);
    }
}

static hvd_snapshot_info *
pack_info(const snap_tree *t, int i)
{
    hvd_snapshot_info *info = g_malloc0(sizeof(*info) + snap_strings(t, i));
    char *p = (char *)(info + 1);
    fill(info, t, i, &p);
    return info;
}

static hvd_snapshot_list *
pack_list(const snap_tree *t, GArray *which)
{
    gsize strings = 0;
    for (guint i = 0; i < which->len; i++)
        strings += snap_strings(t, g_array_index(which, int, i));
    hvd_snapshot_list *list = g_malloc0(sizeof(*list) + which->len * sizeof(hvd_snapshot_info) + strings);
    hvd_snapshot_info *entries = (hvd_snapshot_info *)(list + 1);
    char *p = (char *)(entries + which->len);
    for (guint i = 0; i < which->len; i++)
        fill(&entries[i], t, g_array_index(which, int, i), &p);
    list->struct_size = sizeof(*list);
    list->count = which->len;
    list->entry_size = sizeof(hvd_snapshot_info);
    list->entries = which->len ? entries : NULL;
    return list;
}

/* Whether the leaf flags keep snapshot I (both or neither: all). */
static gboolean
leaf_ok(const snap_tree *t, int i, uint32_t flags)
{
    gboolean leaf = at(t, i)->children == 0;
    uint32_t f = flags & (HVD_SNAPSHOT_LIST_LEAVES | HVD_SNAPSHOT_LIST_NO_LEAVES);
    if (f == HVD_SNAPSHOT_LIST_LEAVES)
        return leaf;
    if (f == HVD_SNAPSHOT_LIST_NO_LEAVES)
        return !leaf;
    return TRUE;
}

/* Whether ANCESTOR is an ancestor of I. */
static gboolean
descends(const snap_tree *t, int i, int ancestor)
{
    for (int p = at(t, i)->parent; p >= 0; p = at(t, p)->parent) {
        if (p == ancestor)
            return TRUE;
    }
    return FALSE;
}

/* ---- members ------------------------------------------------------------ */

#define BEGIN(op, flags, known, out)               \
    ESX_CHECK_CALL(conn, op, flags, known, out);   \
    g_autoptr(snap_tree) t = NULL;                 \
    int32_t rc = read_tree(conn, domain, &t, err); \
    if (rc != HVD_OK)                              \
    return rc

static int32_t HVD_CALL
snapshot_list(hvd_conn *conn, const char *domain, uint32_t flags, hvd_snapshot_list **list_out, hvd_error *err)
{
    BEGIN("snapshot_list", flags, HVD_SNAPSHOT_LIST_ROOTS | HVD_SNAPSHOT_LIST_LEAVES | HVD_SNAPSHOT_LIST_NO_LEAVES,
          list_out);
    g_autoptr(GArray) which = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < (int)t->snaps->len; i++) {
        if ((flags & HVD_SNAPSHOT_LIST_ROOTS) && at(t, i)->parent >= 0)
            continue;
        if (leaf_ok(t, i, flags))
            g_array_append_val(which, i);
    }
    *list_out = pack_list(t, which);
    return HVD_OK;
}

static int32_t HVD_CALL
snapshot_lookup(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, hvd_snapshot_info **info_out,
                hvd_error *err)
{
    BEGIN("snapshot_lookup", flags, HVD_SNAPSHOT_BY_KEY, info_out);
    int i = -1;
    rc = find(t, snapshot, flags, &i, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = pack_info(t, i);
    return HVD_OK;
}

static int32_t HVD_CALL
snapshot_current(hvd_conn *conn, const char *domain, uint32_t flags, hvd_snapshot_info **info_out, hvd_error *err)
{
    BEGIN("snapshot_current", flags, 0, info_out);
    if (t->current < 0)
        return esx_fail(err, HVD_ERR_NO_SNAPSHOT, NULL, "domain '%s' has no current snapshot", t->vm->name);
    *info_out = pack_info(t, t->current);
    return HVD_OK;
}

static int32_t HVD_CALL
snapshot_parent(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, hvd_snapshot_info **info_out,
                hvd_error *err)
{
    BEGIN("snapshot_parent", flags, HVD_SNAPSHOT_BY_KEY, info_out);
    int i = -1;
    rc = find(t, snapshot, flags, &i, err);
    if (rc != HVD_OK)
        return rc;
    if (at(t, i)->parent < 0)
        return esx_fail(err, HVD_ERR_NO_SNAPSHOT, NULL, "snapshot '%s' of domain '%s' has no parent: it is a root",
                        at(t, i)->name, t->vm->name);
    *info_out = pack_info(t, at(t, i)->parent);
    return HVD_OK;
}

static int32_t HVD_CALL
snapshot_children(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                  hvd_snapshot_list **list_out, hvd_error *err)
{
    BEGIN("snapshot_children", flags,
          HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_LIST_DESCENDANTS | HVD_SNAPSHOT_LIST_LEAVES | HVD_SNAPSHOT_LIST_NO_LEAVES,
          list_out);
    int self = -1;
    rc = find(t, snapshot, flags, &self, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GArray) which = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < (int)t->snaps->len; i++) {
        gboolean in = (flags & HVD_SNAPSHOT_LIST_DESCENDANTS) ? descends(t, i, self) : at(t, i)->parent == self;
        if (in && leaf_ok(t, i, flags))
            g_array_append_val(which, i);
    }
    *list_out = pack_list(t, which);
    return HVD_OK;
}

static int32_t HVD_CALL
snapshot_get_xml(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, char **xml_out,
                 hvd_error *err)
{
    BEGIN("snapshot_get_xml", flags, HVD_SNAPSHOT_BY_KEY, xml_out);
    int i = -1;
    rc = find(t, snapshot, flags, &i, err);
    if (rc != HVD_OK)
        return rc;
    const snap *s = at(t, i);
    vmx_snapshot_info info = {
        .name = s->name,
        .description = s->description,
        .state = s->state_word,
        .parent = s->parent >= 0 ? at(t, s->parent)->name : NULL,
        .creation_time = s->created,
        .domain_uuid = t->uuid,
    };
    *xml_out = vmx_snapshot_format_xml(&info);
    return HVD_OK;
}

/* A task on snapshot I of T. */
static int32_t
snapshot_task(hvd_conn *conn, const snap_tree *t, int i, const char *method, vi_value *args,
              const hvd_progress *progress, hvd_error *err)
{
    vi_moref ref = { .type = (char *)"VirtualMachineSnapshot", .value = at(t, i)->moref };
    g_autofree char *what = g_strdup_printf("%s on '%s' of '%s'", method, at(t, i)->name, t->vm->name);
    return esx_run_task(conn, method, &ref, args, what, TRUE, progress, NULL, err);
}

static int32_t HVD_CALL
snapshot_revert(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, const hvd_progress *progress,
                hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, "snapshot_revert", err);
    if (rc == HVD_OK)
        rc = esx_check_flags("snapshot_revert", flags, HVD_SNAPSHOT_BY_KEY, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, "snapshot_revert", err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(snap_tree) t = NULL;
    rc = read_tree(conn, domain, &t, err);
    int i = -1;
    if (rc == HVD_OK)
        rc = find(t, snapshot, flags, &i, err);
    if (rc != HVD_OK)
        return rc;
    return snapshot_task(conn, t, i, "RevertToSnapshot_Task", NULL, progress, err);
}

static vi_value *
remove_args(gboolean children)
{
    vi_value *args = vi_value_new("RemoveSnapshot_Task", NULL, NULL);
    vi_value_add_bool(args, "removeChildren", children);
    return args;
}

static int32_t HVD_CALL
snapshot_remove(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, const hvd_progress *progress,
                hvd_error *err)
{
    const char *op = "snapshot_remove";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(
            op, flags, HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_DELETE_CHILDREN | HVD_SNAPSHOT_DELETE_CHILDREN_ONLY, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(snap_tree) t = NULL;
    rc = read_tree(conn, domain, &t, err);
    int self = -1;
    if (rc == HVD_OK)
        rc = find(t, snapshot, flags, &self, err);
    if (rc != HVD_OK)
        return rc;
    if (!(flags & HVD_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(vi_value) args = remove_args((flags & HVD_SNAPSHOT_DELETE_CHILDREN) != 0);
        return snapshot_task(conn, t, self, "RemoveSnapshot_Task", args, progress, err);
    }
    /* children only: each direct child with its subtree */
    g_autoptr(vi_value) args = remove_args(TRUE);
    for (int i = 0; i < (int)t->snaps->len && rc == HVD_OK; i++) {
        if (at(t, i)->parent == self)
            rc = snapshot_task(conn, t, i, "RemoveSnapshot_Task", args, progress, err);
    }
    return rc;
}

static int32_t HVD_CALL
snapshot_create_xml(hvd_conn *conn, const char *domain, const char *xml, uint32_t flags, const hvd_progress *progress,
                    hvd_snapshot_info **info_out, hvd_error *err)
{
    const char *op = "snapshot_create_xml";
    if (info_out != NULL)
        *info_out = NULL;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, HVD_SNAPSHOT_CREATE_QUIESCE, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vmx_snapshot_def) def = vmx_snapshot_parse_xml(xml, &gerr);
    if (def == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "%s: %s", op, gerr->message);
    g_autoptr(esx_vm) vm = NULL;
    rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    /* as libvirt: a snapshot without a name is named by the time it is taken */
    g_autofree char *name =
        def->name != NULL ? g_strdup(def->name) : g_strdup_printf("%" G_GINT64_FORMAT, g_get_real_time() / 1000000);
    gboolean memory = def->memory == VMX_SNAPSHOT_MEMORY_DEFAULT ? vm->state == HVD_DOMAIN_RUNNING
                                                                 : def->memory == VMX_SNAPSHOT_MEMORY_YES;
    g_autoptr(vi_value) args = vi_value_new("CreateSnapshot_Task", NULL, NULL);
    vi_value_add_string(args, "name", name);
    if (def->description != NULL)
        vi_value_add_string(args, "description", def->description);
    vi_value_add_bool(args, "memory", memory);
    vi_value_add_bool(args, "quiesce", (flags & HVD_SNAPSHOT_CREATE_QUIESCE) != 0);
    g_autofree char *what = g_strdup_printf("CreateSnapshot_Task '%s' on '%s'", name, vm->name);
    gboolean no_question = vm->question_known && !vm->has_question;
    g_autoptr(vi_value) result = NULL;
    rc = esx_run_task(conn, "CreateSnapshot_Task", &vm->moref, args, what, no_question, progress, &result, err);
    if (rc != HVD_OK || info_out == NULL)
        return rc;
    /* the new snapshot, as the tree now holds it */
    g_autoptr(snap_tree) t = NULL;
    rc = read_tree(conn, vm->moref.value, &t, err);
    if (rc != HVD_OK)
        return rc;
    vi_moref made = { 0 };
    gboolean have = result != NULL && vi_value_get_moref(result, NULL, &made);
    int hit = t->current;
    for (guint i = 0; have && i < t->snaps->len; i++) {
        if (g_strcmp0(at(t, (int)i)->moref, made.value) == 0)
            hit = (int)i;
    }
    if (hit < 0)
        return esx_fail(err, HVD_ERR_INTERNAL, NULL, "%s: snapshot '%s' was made but is not in the tree", op, name);
    *info_out = pack_info(t, hit);
    return HVD_OK;
}

const hvd_snapshot_table esx_snapshot_table = {
    .struct_size = sizeof(hvd_snapshot_table),
    .create_xml = snapshot_create_xml,
    .list = snapshot_list,
    .lookup = snapshot_lookup,
    .current = snapshot_current,
    .parent = snapshot_parent,
    .children = snapshot_children,
    .revert = snapshot_revert,
    .remove = snapshot_remove,
    .get_xml = snapshot_get_xml,
};
