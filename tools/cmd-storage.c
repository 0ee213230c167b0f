/* cmd-storage.c — hvdctl's storage commands, shaped like virsh's:
 * pool-list, pool-info, pool-dumpxml, pool-refresh, pool-uuid, pool-name,
 * vol-list, vol-info, vol-dumpxml, vol-path, vol-key, vol-name, vol-pool
 * (the commands that change volumes are in cmd-volume.c).
 *
 * As in cmd-domain.c, commands are data: a row names its options, the call
 * it makes on the pool (NULL: the lookup answers it) and its printers; one
 * dispatcher parses the options, resolves the POOL argument as virsh does
 * (a UUID, then a name), calls and prints. */
#include "cmd-storage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Option bits, by position in pool_options. */
enum { OPT_ALL = 1 << 0, OPT_INACTIVE = 1 << 1, OPT_DETAILS = 1 << 2 };
static const char *const pool_options[] = { "--all", "--inactive", "--details", NULL };

typedef struct {
    const char *name;
    unsigned opts; /* accepted OPT_* bits */
    gboolean pool; /* takes a POOL argument */
    /* on the pool's name: a call (printing `done`), or a fetch printing its text */
    int32_t (*call)(ctl *c, const char *pool, hvd_error *err);
    const char *done;
    int32_t (*fetch)(ctl *c, const char *pool, char **text_out, hvd_error *err);
    const char *json_key;
    void (*text)(const hvd_pool_info *p);
    json_object *(*json)(const hvd_pool_info *p);
} pool_command;

/* ---- words and numbers as virsh prints them ----------------------------- */

static const char *
state_name(int32_t state)
{
    static const char *const names[] = { "inactive", "building", "running", "degraded", "inaccessible" };
    return state >= 0 && state < (int32_t)G_N_ELEMENTS(names) ? names[state] : "unknown";
}

/* virsh's pool-list says active/inactive; pool-info and --details the state */
static gboolean
active(const hvd_pool_info *p)
{
    return p->state == HVD_POOL_RUNNING || p->state == HVD_POOL_DEGRADED;
}

/* "1.50 GiB", as virsh's vshPrettyCapacity */
static char *
pretty_size(uint64_t bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < G_N_ELEMENTS(units)) {
        v /= 1024.0;
        u++;
    }
    return g_strdup_printf("%.2f %s", v, units[u]);
}

static void
uuid_text(const uint8_t *u, char out[37])
{
    g_snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
               u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* A UUID in text form; anything else is looked up as a name. */
static gboolean
uuid_parse(const char *s, uint8_t out[16])
{
    if (strlen(s) != 36 || strspn(s, "0123456789abcdefABCDEF-") != 36)
        return FALSE;
    unsigned b[16];
    int end = 0;
    if (sscanf(s, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-%2x%2x%2x%2x%2x%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &b[6], &b[7], &b[8], &b[9], &b[10], &b[11], &b[12], &b[13], &b[14], &b[15], &end) != 16 ||
        end != 36)
        return FALSE;
    for (int i = 0; i < 16; i++)
        out[i] = (uint8_t)b[i];
    return TRUE;
}

static json_object *
info_json(const hvd_pool_info *p)
{
    char uuid[37];
    uuid_text(p->uuid, uuid);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(p->name));
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    json_object_object_add(o, "state", json_object_new_string(state_name(p->state)));
    json_object_object_add(o, "active", json_object_new_boolean(active(p)));
    json_object_object_add(o, "type", json_object_new_string(p->type != NULL ? p->type : ""));
    json_object_object_add(o, "persistent", json_object_new_boolean(1));
    json_object_object_add(o, "autostart", json_object_new_boolean(1));
    json_object_object_add(o, "capacity", json_object_new_int64((int64_t)p->capacity));
    json_object_object_add(o, "allocation", json_object_new_int64((int64_t)p->allocation));
    json_object_object_add(o, "available", json_object_new_int64((int64_t)p->available));
    return o;
}

/* ---- printers ----------------------------------------------------------- */

static void
print_pool_info(const hvd_pool_info *p)
{
    char uuid[37];
    uuid_text(p->uuid, uuid);
    printf("%-15s %s\n", "Name:", p->name);
    printf("%-15s %s\n", "UUID:", uuid);
    printf("%-15s %s\n", "State:", state_name(p->state));
    /* a datastore is always there and always mounted at boot */
    printf("%-15s %s\n", "Persistent:", "yes");
    printf("%-15s %s\n", "Autostart:", "yes");
    if (active(p)) {
        g_autofree char *cap = pretty_size(p->capacity), *alloc = pretty_size(p->allocation),
                        *avail = pretty_size(p->available);
        printf("%-15s %s\n", "Capacity:", cap);
        printf("%-15s %s\n", "Allocation:", alloc);
        printf("%-15s %s\n", "Available:", avail);
    }
}

static void
print_pool_uuid(const hvd_pool_info *p)
{
    char uuid[37];
    uuid_text(p->uuid, uuid);
    printf("%s\n", uuid);
}

static json_object *
json_pool_uuid(const hvd_pool_info *p)
{
    char uuid[37];
    uuid_text(p->uuid, uuid);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    return o;
}

static void
print_pool_name(const hvd_pool_info *p)
{
    printf("%s\n", p->name);
}

static json_object *
json_pool_name(const hvd_pool_info *p)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(p->name));
    return o;
}

/* ---- calls ---------------------------------------------------------------- */

static int32_t
fetch_xml(ctl *c, const char *pool, char **text_out, hvd_error *err)
{
    return c->drv->storage->pool_get_xml(c->conn, pool, 0, text_out, err);
}

static int32_t
call_refresh(ctl *c, const char *pool, hvd_error *err)
{
    return c->drv->storage->pool_refresh(c->conn, pool, 0, err);
}

static const pool_command pool_commands[] = {
    { "pool-list", OPT_ALL | OPT_INACTIVE | OPT_DETAILS, FALSE, NULL, NULL, NULL, NULL, NULL, NULL },
    { "pool-info", 0, TRUE, NULL, NULL, NULL, NULL, print_pool_info, info_json },
    { "pool-uuid", 0, TRUE, NULL, NULL, NULL, NULL, print_pool_uuid, json_pool_uuid },
    { "pool-name", 0, TRUE, NULL, NULL, NULL, NULL, print_pool_name, json_pool_name },
    { "pool-dumpxml", 0, TRUE, NULL, NULL, fetch_xml, "xml", NULL, NULL },
    { "pool-refresh", 0, TRUE, call_refresh, "Pool %s refreshed", NULL, NULL, NULL, NULL },
};

static gboolean
has_call(ctl *c, const pool_command *d)
{
    if (d->fetch == fetch_xml)
        return STORAGE_CALL(c, pool_get_xml);
    if (d->call == call_refresh)
        return STORAGE_CALL(c, pool_refresh);
    return TRUE;
}

/* As virsh: a UUID, then a name. A lookup that finds nothing
 * (HVD_ERR_NO_POOL) passes to the next; any other failure is the answer. */
static int32_t
lookup_pool(ctl *c, const char *arg, hvd_pool_info **info_out, hvd_error *err)
{
    const hvd_storage_table *t = c->drv->storage;
    int32_t rc = HVD_ERR_NO_POOL;
    uint8_t uuid[16];
    if (uuid_parse(arg, uuid) && STORAGE_CALL(c, pool_lookup_by_uuid)) {
        rc = t->pool_lookup_by_uuid(c->conn, uuid, 0, info_out, err);
        if (rc != HVD_ERR_NO_POOL)
            return rc;
    }
    if (STORAGE_CALL(c, pool_lookup_by_name))
        rc = t->pool_lookup_by_name(c->conn, arg, 0, info_out, err);
    return rc;
}

/* ---- pool-list -------------------------------------------------------------- */

static int
run_pool_list(ctl *c, unsigned opts)
{
    if (!STORAGE_CALL(c, pool_list))
        return ctl_unsupported(c, "pool-list");
    uint32_t flags = HVD_POOL_LIST_ACTIVE;
    if (opts & OPT_ALL)
        flags = HVD_POOL_LIST_ACTIVE | HVD_POOL_LIST_INACTIVE;
    else if (opts & OPT_INACTIVE)
        flags = HVD_POOL_LIST_INACTIVE;
    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_list *l = NULL;
    int32_t rc = c->drv->storage->pool_list(c->conn, flags, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "pool-list", rc, &err);
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (uint32_t i = 0; i < l->count; i++)
            json_object_array_add(arr, info_json(HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i)));
        ctl_print_json(arr);
        c->drv->free(l);
        return CTL_EXIT_OK;
    }
    /* virsh's table: columns as wide as their widest cell, 3 spaces apart */
    gboolean details = (opts & OPT_DETAILS) != 0;
    const char *heads[] = { "Name", "State", "Autostart", "Persistent", "Capacity", "Allocation", "Available" };
    size_t ncol = details ? G_N_ELEMENTS(heads) : 3;
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_pool_info *p = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i);
        gboolean on = active(p);
        char *row[G_N_ELEMENTS(heads)] = {
            g_strdup(p->name),
            g_strdup(details ? state_name(p->state) : (on ? "active" : "inactive")),
            g_strdup("yes"),
            g_strdup("yes"),
            on ? pretty_size(p->capacity) : g_strdup("-"),
            on ? pretty_size(p->allocation) : g_strdup("-"),
            on ? pretty_size(p->available) : g_strdup("-"),
        };
        for (size_t k = 0; k < G_N_ELEMENTS(heads); k++)
            g_ptr_array_add(cells, row[k]);
    }
    ctl_print_table(heads, G_N_ELEMENTS(heads), ncol, cells);
    c->drv->free(l);
    return CTL_EXIT_OK;
}

/* ---- the dispatcher ------------------------------------------------------ */

static int
run_pool_command(ctl *c, int argc, char **argv)
{
    const pool_command *d = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(pool_commands); i++) {
        if (strcmp(pool_commands[i].name, argv[0]) == 0)
            d = &pool_commands[i];
    }
    g_assert(d != NULL);
    unsigned opts = 0;
    const char *pool = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') {
            int bit = -1;
            for (int k = 0; pool_options[k] != NULL; k++) {
                if (strcmp(pool_options[k], a) == 0)
                    bit = k;
            }
            if (bit < 0 || !(d->opts & (1u << bit)))
                return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' doesn't support option %s", d->name, a);
            opts |= 1u << bit;
        } else if (d->pool && pool == NULL) {
            pool = a;
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", a);
        }
    }
    if (!d->pool)
        return run_pool_list(c, opts);
    if (pool == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <pool> option", d->name);
    if (c->drv->storage == NULL || !has_call(c, d))
        return ctl_unsupported(c, d->name);

    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_info *info = NULL;
    int32_t rc = lookup_pool(c, pool, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, d->name, rc, &err);
    if (d->fetch != NULL || d->call != NULL) {
        char *text = NULL;
        rc = d->fetch != NULL ? d->fetch(c, info->name, &text, &err) : d->call(c, info->name, &err);
        if (rc != HVD_OK) {
            c->drv->free(info);
            return ctl_report(c, d->name, rc, &err);
        }
        if (c->json) {
            json_object *o = json_object_new_object();
            if (text != NULL)
                json_object_object_add(o, d->json_key, json_object_new_string(text));
            else
                json_object_object_add(o, "name", json_object_new_string(info->name));
            ctl_print_json(o);
        } else if (text != NULL) {
            fputs(text, stdout);
        } else {
            printf(d->done, info->name);
            printf("\n\n");
        }
        c->drv->free(text);
    } else if (c->json) {
        ctl_print_json(d->json(info));
    } else {
        d->text(info);
    }
    c->drv->free(info);
    return CTL_EXIT_OK;
}

/* ---- volumes --------------------------------------------------------------- */

static const char *
vol_type_name(int32_t type)
{
    return type == HVD_VOL_BLOCK ? "block" : "file";
}

json_object *
ctl_vol_json(const hvd_volume_info *v)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(v->name));
    json_object_object_add(o, "key", v->key != NULL ? json_object_new_string(v->key) : NULL);
    json_object_object_add(o, "path", json_object_new_string(v->path));
    json_object_object_add(o, "pool", json_object_new_string(v->pool));
    json_object_object_add(o, "type", json_object_new_string(vol_type_name(v->type)));
    json_object_object_add(o, "capacity", json_object_new_int64((int64_t)v->capacity));
    json_object_object_add(o, "allocation", json_object_new_int64((int64_t)v->allocation));
    return o;
}

/* What a volume command prints: one field (vol-path, vol-key, ...), the
 * info block, or the XML. */
typedef enum { VOL_INFO, VOL_XML, VOL_PATH, VOL_KEY, VOL_NAME, VOL_POOL } vol_show;

typedef struct {
    const char *name;
    vol_show show;
} vol_command;

static const vol_command vol_commands[] = {
    { "vol-info", VOL_INFO }, { "vol-dumpxml", VOL_XML }, { "vol-path", VOL_PATH },
    { "vol-key", VOL_KEY },   { "vol-name", VOL_NAME },   { "vol-pool", VOL_POOL },
};

int32_t
ctl_lookup_vol(ctl *c, const char *arg, const char *pool, hvd_volume_info **info_out, hvd_error *err)
{
    const hvd_storage_table *t = c->drv->storage;
    if (pool != NULL) {
        if (!STORAGE_CALL(c, vol_lookup_by_name))
            return HVD_ERR_NO_SUPPORT;
        return t->vol_lookup_by_name(c->conn, pool, arg, 0, info_out, err);
    }
    /* a path starts with '[', a key never does (hvd.h "Objects") */
    if (arg[0] == '[')
        return STORAGE_CALL(c, vol_lookup_by_path) ? t->vol_lookup_by_path(c->conn, arg, 0, info_out, err)
                                                   : HVD_ERR_NO_SUPPORT;
    int32_t rc =
        STORAGE_CALL(c, vol_lookup_by_key) ? t->vol_lookup_by_key(c->conn, arg, 0, info_out, err) : HVD_ERR_NO_SUPPORT;
    return rc;
}

static int
run_vol_list(ctl *c, int argc, char **argv)
{
    const char *pool = NULL;
    gboolean details = FALSE, keys = FALSE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--details") == 0)
            details = TRUE;
        else if (strcmp(argv[i], "--keys") == 0)
            keys = TRUE;
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return ctl_fail(c, CTL_EXIT_USAGE, "command 'vol-list' doesn't support option %s", argv[i]);
        else if (pool == NULL)
            pool = argv[i];
        else
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", argv[i]);
    }
    if (pool == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command 'vol-list' requires <pool> option");
    if (!STORAGE_CALL(c, vol_list))
        return ctl_unsupported(c, "vol-list");
    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_info *p = NULL;
    int32_t rc = HVD_OK;
    uint8_t uuid[16];
    /* a UUID is looked up first (as virsh); a name goes straight to
     * vol_list, whose HVD_ERR_NO_POOL names it: no lookup round trip */
    if (uuid_parse(pool, uuid)) {
        rc = lookup_pool(c, pool, &p, &err);
        if (rc != HVD_OK)
            return ctl_report(c, "vol-list", rc, &err);
    }
    hvd_volume_list *l = NULL;
    rc = c->drv->storage->vol_list(c->conn, p != NULL ? p->name : pool, keys ? HVD_VOL_LIST_KEYS : 0, &l, &err);
    c->drv->free(p);
    if (rc != HVD_OK)
        return ctl_report(c, "vol-list", rc, &err);
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (uint32_t i = 0; i < l->count; i++)
            json_object_array_add(arr, ctl_vol_json(HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i)));
        ctl_print_json(arr);
        c->drv->free(l);
        return CTL_EXIT_OK;
    }
    /* --keys adds a last column Key (not virsh's: it costs a request per disk) */
    const char *heads[] = { "Name", "Path", "Type", "Capacity", "Allocation", "Key" };
    const char *keyed[] = { "Name", "Path", "Key" };
    size_t ncol = (details ? 5 : 2) + (keys ? 1 : 0);
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        char *row[G_N_ELEMENTS(heads)] = {
            g_strdup(v->name),        g_strdup(v->path),          g_strdup(vol_type_name(v->type)),
            pretty_size(v->capacity), pretty_size(v->allocation), g_strdup(v->key != NULL ? v->key : "-")
        };
        if (keys && !details) {
            g_ptr_array_add(cells, row[0]);
            g_ptr_array_add(cells, row[1]);
            g_ptr_array_add(cells, row[5]);
            for (size_t k = 2; k < 5; k++)
                g_free(row[k]);
            continue;
        }
        for (size_t k = 0; k < G_N_ELEMENTS(heads); k++)
            g_ptr_array_add(cells, row[k]);
    }
    if (keys && !details)
        ctl_print_table(keyed, G_N_ELEMENTS(keyed), ncol, cells);
    else
        ctl_print_table(heads, G_N_ELEMENTS(heads), ncol, cells);
    c->drv->free(l);
    return CTL_EXIT_OK;
}

static int
run_vol_command(ctl *c, int argc, char **argv)
{
    const vol_command *d = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(vol_commands); i++) {
        if (strcmp(vol_commands[i].name, argv[0]) == 0)
            d = &vol_commands[i];
    }
    g_assert(d != NULL);
    const char *vol = NULL, *pool = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pool") == 0 && i + 1 < argc)
            pool = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' doesn't support option %s", d->name, argv[i]);
        else if (vol == NULL)
            vol = argv[i];
        else
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", argv[i]);
    }
    if (vol == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <vol> option", d->name);
    if (c->drv->storage == NULL || (d->show == VOL_XML && !STORAGE_CALL(c, vol_get_xml)))
        return ctl_unsupported(c, d->name);
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *v = NULL;
    int32_t rc = ctl_lookup_vol(c, vol, pool, &v, &err);
    if (rc == HVD_ERR_NO_SUPPORT)
        return ctl_unsupported(c, d->name);
    if (rc != HVD_OK)
        return ctl_report(c, d->name, rc, &err);
    if (d->show == VOL_XML) {
        char *xml = NULL;
        rc = c->drv->storage->vol_get_xml(c->conn, v->path, 0, &xml, &err);
        c->drv->free(v);
        if (rc != HVD_OK)
            return ctl_report(c, d->name, rc, &err);
        if (c->json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "xml", json_object_new_string(xml));
            ctl_print_json(o);
        } else {
            fputs(xml, stdout);
        }
        c->drv->free(xml);
        return CTL_EXIT_OK;
    }
    if (c->json) {
        ctl_print_json(ctl_vol_json(v));
    } else if (d->show == VOL_INFO) {
        g_autofree char *cap = pretty_size(v->capacity), *alloc = pretty_size(v->allocation);
        printf("%-15s %s\n", "Name:", v->name);
        printf("%-15s %s\n", "Type:", vol_type_name(v->type));
        printf("%-15s %s\n", "Capacity:", cap);
        printf("%-15s %s\n", "Allocation:", alloc);
    } else {
        const char *field[] = { [VOL_PATH] = v->path, [VOL_KEY] = v->key, [VOL_NAME] = v->name, [VOL_POOL] = v->pool };
        printf("%s\n", field[d->show]);
    }
    c->drv->free(v);
    return CTL_EXIT_OK;
}

#define POOL_HELP                                                                                    \
    "POOL is a UUID or a name, tried in that order as virsh does. On ESX a pool is a datastore of\n" \
    "the host (VMFS is type 'fs', NFS 'netfs', others 'dir'; its UUID is derived from its mount\n"   \
    "path) or a static target of its software iSCSI adapter, named by its IQN."

const ctl_command ctl_storage_commands[] = {
    { "pool-list", "[--all] [--inactive] [--details]", "list storage pools (active ones unless --all/--inactive)",
      "Columns Name, State, Autostart as virsh's; --details adds Persistent, Capacity, Allocation,\n"
      "Available. An inaccessible datastore is an inactive pool. One request per page of datastores.",
      CTL_CONN_REQUIRED, run_pool_command },
    { "pool-info", "POOL", "print a pool's name, UUID, state and sizes", POOL_HELP, CTL_CONN_REQUIRED,
      run_pool_command },
    { "pool-dumpxml", "POOL", "print a pool's libvirt XML", POOL_HELP, CTL_CONN_REQUIRED, run_pool_command },
    { "pool-refresh", "POOL", "ask the server to read a pool's sizes again", POOL_HELP, CTL_CONN_REQUIRED,
      run_pool_command },
    { "pool-uuid", "POOL", "print a pool's UUID", POOL_HELP, CTL_CONN_REQUIRED, run_pool_command },
    { "pool-name", "POOL", "print a pool's name", POOL_HELP, CTL_CONN_REQUIRED, run_pool_command },
    { "vol-list", "POOL [--details] [--keys]", "list a pool's volumes",
      "Columns Name, Path as virsh's; --details adds Type, Capacity, Allocation. On ESX: the files\n"
      "of the datastore (virtual disks, ISO images, any other file), read by one search task.\n"
      "--keys adds the volumes' keys (a virtual disk's UUID costs one request per disk; vol-key\n"
      "gives one volume's).",
      CTL_CONN_REQUIRED, run_vol_list },
    { "vol-info", "VOL [--pool POOL]", "print a volume's name, type, capacity and allocation", VOL_HELP,
      CTL_CONN_REQUIRED, run_vol_command },
    { "vol-dumpxml", "VOL [--pool POOL]", "print a volume's libvirt XML", VOL_HELP, CTL_CONN_REQUIRED,
      run_vol_command },
    { "vol-path", "VOL [--pool POOL]", "print a volume's path", VOL_HELP, CTL_CONN_REQUIRED, run_vol_command },
    { "vol-key", "VOL [--pool POOL]", "print a volume's key", VOL_HELP, CTL_CONN_REQUIRED, run_vol_command },
    { "vol-name", "VOL [--pool POOL]", "print a volume's name", VOL_HELP, CTL_CONN_REQUIRED, run_vol_command },
    { "vol-pool", "VOL [--pool POOL]", "print the name of a volume's pool", VOL_HELP, CTL_CONN_REQUIRED,
      run_vol_command },
    { "vol-create-as", "POOL NAME CAPACITY [--allocation SIZE] [--format vmdk]", "create a virtual disk",
      "NAME ends in .vmdk and may name a directory (created when missing); CAPACITY and SIZE are\n"
      "bytes or scaled as virsh's (10G, 512MiB). --allocation 0 makes a thin disk; the default\n"
      "(the capacity) an eager-zeroed thick one.",
      CTL_CONN_REQUIRED, ctl_run_vol_create_as },
    { "vol-create", "POOL FILE", "create a volume from a <volume> XML file", "See storage.md for the XML ESX takes.",
      CTL_CONN_REQUIRED, ctl_run_vol_create },
    { "vol-create-from", "POOL FILE VOL", "create a volume from <volume> XML as a copy of VOL",
      "CopyVirtualDisk: VOL must be a virtual disk.\n" VOL_HELP, CTL_CONN_REQUIRED, ctl_run_vol_create },
    { "vol-clone", "VOL NEWNAME [--pool POOL]", "copy a virtual disk to NEWNAME in its pool", VOL_HELP,
      CTL_CONN_REQUIRED, ctl_run_vol_clone },
    { "vol-delete", "VOL [--pool POOL]", "delete a volume (a virtual disk with its extents)", VOL_HELP,
      CTL_CONN_REQUIRED, ctl_run_vol_delete_wipe },
    { "vol-wipe", "VOL [--pool POOL]", "zero-fill a virtual disk", VOL_HELP, CTL_CONN_REQUIRED,
      ctl_run_vol_delete_wipe },
    { "vol-upload", "VOL FILE [--offset N] [--length N] [--pool POOL]", "upload FILE into a volume",
      "Streams FILE to the datastore (HTTP PUT), replacing the file or creating it when the path\n"
      "names a new one (e.g. '[datastore1] iso/install.iso'); --length N sends only N bytes. ESX\n"
      "replaces files whole: an --offset other than 0 is refused. A progress bar on a terminal.",
      CTL_CONN_REQUIRED, ctl_run_vol_transfer },
    { "vol-download", "VOL FILE [--offset N] [--length N] [--pool POOL]", "download a volume into FILE",
      "Streams the datastore file (HTTP GET) into FILE, from byte --offset for --length bytes (0:\n"
      "to the end). A progress bar on a terminal.",
      CTL_CONN_REQUIRED, ctl_run_vol_transfer },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
