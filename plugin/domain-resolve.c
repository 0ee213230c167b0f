/* domain-resolve.c — the steps every domain member shares: reading a VM's
 * properties into an esx_vm, listing the connection's VMs in one walk (one
 * round trip per page), resolving a `domain` argument (key or textual
 * UUID) to one VM, and packing hvd_domain_info results. */
#include "esx-domain.h"
#include "vmx/vmx.h"

#include <string.h>

/* How many keys an ambiguity error lists. */
#define MAX_LISTED_KEYS 10

#define VM_PATHS                                                                                                  \
    "name", "config.uuid", "config.hardware.memoryMB", "config.hardware.numCPU", "config.memoryAllocation.limit", \
        "runtime.powerState", "runtime.host", "guest.toolsRunningStatus"

const char *const esx_vm_paths[] = { VM_PATHS, NULL };

/* A single VM is read with its pending question too, so that a task on it
 * needs no separate look for one. */
static const char *const vm_paths_question[] = { VM_PATHS, "runtime.question", NULL };

/* What a walk over every VM reads: the fewest properties that fill an
 * hvd_domain_info. summary.config carries the name, UUID, memory size and
 * vCPUs in one property; a server's work grows with the number of
 * properties more than with their size (vcsim: 8 separate properties cost
 * it 1.8x the CPU of these 3 for the same VMs, docs/performance.md), and
 * fewer properties are fewer bytes on the wire. runtime.host and the tools
 * status are read only when one VM is resolved (esx_domain_resolve). */
static const char *const list_paths[] = { "summary.config", "runtime.powerState", "config.memoryAllocation.limit",
                                          NULL };

/* What a brief walk reads (HVD_LIST_BRIEF, and the walk of a lookup by
 * name): the name and the power state, from which the state, its reason
 * and the id follow, as in a full walk. */
static const char *const brief_paths[] = { "name", "runtime.powerState", NULL };

/* Objects per page of a walk: at 1,000 a 10,000-VM listing was 10 round
 * trips; 2,000 halves them and keeps the peak RSS of hvdctl list under
 * 32 MiB at 10,000 VMs (a page is parsed whole). A brief walk sends a
 * fifth of the bytes per VM: one page up to 10,000 VMs
 * (docs/performance.md, "Brief listings"). */
#define LIST_PAGE  2000
#define BRIEF_PAGE 10000

void
esx_vm_free(esx_vm *vm)
{
    if (vm == NULL)
        return;
    vi_moref_clear(&vm->moref);
    g_free(vm->name);
    g_free(vm->power);
    g_free(vm->host);
    g_free(vm);
}

gboolean
esx_vm_active(const esx_vm *vm)
{
    return vm->state != HVD_DOMAIN_SHUTOFF && vm->state != HVD_DOMAIN_NOSTATE;
}

const char *
esx_vm_state_words(const esx_vm *vm)
{
    switch (vm->state) {
    case HVD_DOMAIN_RUNNING: return "running";
    case HVD_DOMAIN_PAUSED: return "suspended";
    case HVD_DOMAIN_SHUTOFF: return "shut off";
    default: return vm->power != NULL ? vm->power : "in an unknown state";
    }
}

gboolean
esx_uuid_parse(const char *s, uint8_t uuid[16])
{
    if (s == NULL || strlen(s) != 36)
        return FALSE;
    uint8_t b[16];
    int n = 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return FALSE;
            continue;
        }
        if (!g_ascii_isxdigit(s[i]) || !g_ascii_isxdigit(s[i + 1]))
            return FALSE;
        b[n++] = (uint8_t)(g_ascii_xdigit_value(s[i]) << 4 | g_ascii_xdigit_value(s[i + 1]));
        i++;
    }
    if (uuid != NULL)
        memcpy(uuid, b, 16);
    return TRUE;
}

/* vSphere's config.uuid is usually the textual form, but some servers send
 * 32 hex digits with spaces or without dashes: accept any run of 32. */
static gboolean
parse_server_uuid(const char *s, uint8_t uuid[16])
{
    if (s == NULL)
        return FALSE;
    int n = 0;
    uint8_t b[16];
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]) || n == 16)
            return FALSE;
        b[n++] = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
        p++;
    }
    if (n != 16)
        return FALSE;
    memcpy(uuid, b, 16);
    return TRUE;
}

/* The id of an active VM: the number its managed object id ends with
 * ("vm-42" on a vCenter, "42" on ESX), as libvirt derives it: stable for
 * the VM's life on that server. -1 when the id has no such number. */
static int32_t
id_from_moref(const char *value)
{
    if (value == NULL)
        return -1;
    const char *dash = strrchr(value, '-');
    const char *digits = dash != NULL ? dash + 1 : value;
    if (*digits == '\0')
        return -1;
    guint64 n = 0;
    if (!g_ascii_string_to_unsigned(digits, 10, 1, G_MAXINT32, &n, NULL))
        return -1;
    return (int32_t)n;
}

/* The value at PATH, or (for a walk, which reads summary.config) at ALT. */
static const vi_value *
either(const vi_value *obj, const char *path, const char *alt)
{
    const vi_value *v = vi_object_get(obj, path);
    return v != NULL ? v : vi_object_get(obj, alt);
}

static esx_vm *
vm_from_object(const vi_value *obj)
{
    vi_moref self = { 0 }, host = { 0 };
    const char *name = vi_value_text(either(obj, "name", "summary.config.name"));
    if (!vi_object_moref(obj, &self) || name == NULL)
        return NULL; /* gone between listing and reading, or not readable */
    esx_vm *vm = g_new0(esx_vm, 1);
    vm->moref.type = g_strdup(self.type);
    vm->moref.value = g_strdup(self.value);
    /* names are percent-encoded on the server ([%/\]); a malformed one is shown as is */
    vm->name = vmx_unescape_domain_name(name);
    if (vm->name == NULL)
        vm->name = g_strdup(name);
    vm->power = g_strdup(vi_object_get_string(obj, "runtime.powerState"));
    if (vi_object_get_moref(obj, "runtime.host", &host))
        vm->host = g_strdup(host.value);
    vm->has_uuid = parse_server_uuid(vi_value_text(either(obj, "config.uuid", "summary.config.uuid")), vm->uuid);
    gint64 mb = 0, limit = -1, cpus = 0;
    vi_value_get_int64(either(obj, "config.hardware.memoryMB", "summary.config.memorySizeMB"), NULL, &mb);
    vi_object_get_int64(obj, "config.memoryAllocation.limit", &limit);
    vi_value_get_int64(either(obj, "config.hardware.numCPU", "summary.config.numCpu"), NULL, &cpus);
    vm->max_memory_kib = mb > 0 ? (uint64_t)mb * 1024 : 0;
    /* libvirt's current memory: the allocation limit when it is below the size */
    vm->memory_kib = limit >= 0 && limit < mb ? (uint64_t)limit * 1024 : vm->max_memory_kib;
    vm->vcpus = cpus > 0 ? (uint32_t)cpus : 0;
    vm->tools_running = g_strcmp0(vi_object_get_string(obj, "guest.toolsRunningStatus"), "guestToolsRunning") == 0;
    if (g_strcmp0(vm->power, "poweredOn") == 0) {
        vm->state = HVD_DOMAIN_RUNNING;
        vm->reason = ESX_REASON_RUNNING_BOOTED;
    } else if (g_strcmp0(vm->power, "suspended") == 0) {
        vm->state = HVD_DOMAIN_PAUSED;
        vm->reason = ESX_REASON_PAUSED_USER;
    } else if (g_strcmp0(vm->power, "poweredOff") == 0) {
        vm->state = HVD_DOMAIN_SHUTOFF;
        vm->reason = ESX_REASON_UNKNOWN;
    } else {
        vm->state = HVD_DOMAIN_NOSTATE;
        vm->reason = ESX_REASON_UNKNOWN;
    }
    vm->id = esx_vm_active(vm) ? id_from_moref(vm->moref.value) : -1;
    return vm;
}

static gboolean
take_vm(const vi_value *obj, gpointer user_data, GError **error)
{
    (void)error;
    esx_vm *vm = vm_from_object(obj);
    if (vm != NULL)
        g_ptr_array_add(user_data, vm);
    return TRUE;
}

/* Walks every VM of the connection's host, reading PATHS, PAGE objects per
 * round trip, and hands each ObjectContent to TAKE. */
static int32_t
walk_vms(hvd_conn *conn, const char *const *paths, guint page, vi_object_func take, gpointer ud, hvd_error *err)
{
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    spec.page_size = page;
    if (conn->uri->product == ESX_PRODUCT_VPX) {
        /* located at open: the VMs of that host, one traversal step from it */
        const esx_location *loc = NULL;
        int32_t rc = esx_conn_locate(conn, &loc, err);
        if (rc != HVD_OK)
            return rc;
        spec.container = &loc->host;
        spec.container_path = "vm";
    }
    /* esx:// and gsx:// serve one host: every VM of the inventory, walked
     * from the root folder (no locate, no view) */
    g_autoptr(GError) gerr = NULL;
    if (!vi_collector_foreach(conn->vi, &spec, take, ud, NULL, &gerr))
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}

static int32_t
list_with(hvd_conn *conn, const char *const *paths, guint page, GPtrArray **vms_out, hvd_error *err)
{
    *vms_out = NULL;
    g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func((GDestroyNotify)esx_vm_free);
    int32_t rc = walk_vms(conn, paths, page, take_vm, vms, err);
    if (rc != HVD_OK)
        return rc;
    *vms_out = g_steal_pointer(&vms);
    return HVD_OK;
}

int32_t
esx_vm_list(hvd_conn *conn, GPtrArray **vms_out, hvd_error *err)
{
    return list_with(conn, list_paths, LIST_PAGE, vms_out, err);
}

int32_t
esx_vm_list_brief(hvd_conn *conn, GPtrArray **vms_out, hvd_error *err)
{
    return list_with(conn, brief_paths, BRIEF_PAGE, vms_out, err);
}

typedef struct {
    const char *name; /* unescaped */
    GPtrArray *vms;   /* esx_vm *, owned */
} named_walk;

static gboolean
take_named(const vi_value *obj, gpointer user_data, GError **error)
{
    (void)error;
    named_walk *w = user_data;
    const char *name = vi_object_get_string(obj, "name");
    if (name == NULL)
        return TRUE;
    /* compare unescaped, as list_all shows names; a malformed one as is */
    g_autofree char *plain = vmx_unescape_domain_name(name);
    if (strcmp(plain != NULL ? plain : name, w->name) != 0)
        return TRUE;
    esx_vm *vm = vm_from_object(obj);
    if (vm != NULL)
        g_ptr_array_add(w->vms, vm);
    return TRUE;
}

int32_t
esx_vm_named(hvd_conn *conn, const char *name, GPtrArray **vms_out, hvd_error *err)
{
    *vms_out = NULL;
    g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func((GDestroyNotify)esx_vm_free);
    named_walk w = { name, vms };
    int32_t rc = walk_vms(conn, brief_paths, BRIEF_PAGE, take_named, &w, err);
    if (rc != HVD_OK)
        return rc;
    *vms_out = g_steal_pointer(&vms);
    return HVD_OK;
}

static int32_t
no_domain(hvd_conn *conn, const char *domain, hvd_error *err)
{
    return esx_fail(err, HVD_ERR_NO_DOMAIN, NULL, "no domain with %s '%s' on %s",
                    esx_uuid_parse(domain, NULL) ? "UUID" : "key", domain, conn->uri->host);
}

/* The key of the one VM whose BIOS UUID is `uuid`, from a walk of the
 * list; the caller reads that VM whole by its key. */
static int32_t
resolve_uuid(hvd_conn *conn, const char *domain, const uint8_t uuid[16], char **key_out, hvd_error *err)
{
    g_autoptr(GPtrArray) vms = NULL;
    int32_t rc = esx_vm_list(conn, &vms, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GString) keys = g_string_new(NULL);
    guint found = 0, hit = 0;
    for (guint i = 0; i < vms->len; i++) {
        const esx_vm *vm = vms->pdata[i];
        if (!vm->has_uuid || memcmp(vm->uuid, uuid, 16) != 0)
            continue;
        if (found < MAX_LISTED_KEYS)
            g_string_append_printf(keys, "%s'%s' (%s)", found ? ", " : "", vm->moref.value, vm->name);
        else if (found == MAX_LISTED_KEYS)
            g_string_append(keys, ", ...");
        found++;
        hit = i;
    }
    if (found == 0)
        return no_domain(conn, domain, err);
    if (found > 1)
        return esx_fail(err, HVD_ERR_AMBIGUOUS, NULL, "%u domains share the UUID %s: address one by its key: %s", found,
                        domain, keys->str);
    *key_out = g_strdup(((const esx_vm *)vms->pdata[hit])->moref.value);
    return HVD_OK;
}

int32_t
esx_domain_resolve_with(hvd_conn *conn, const char *domain, const char *const *extra, esx_vm **vm_out,
                        vi_value **obj_out, hvd_error *err)
{
    *vm_out = NULL;
    if (obj_out != NULL)
        *obj_out = NULL;
    if (domain == NULL || *domain == '\0')
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "no domain given (a key or a UUID)");
    g_autoptr(GError) gerr = NULL;
    uint8_t uuid[16];
    if (esx_uuid_parse(domain, uuid)) {
        /* the walk reads a summary of every VM; the one found is then read
         * whole by its key, with the caller's properties (one retrieval,
         * as the extra properties cost anyway) */
        g_autofree char *key = NULL;
        int32_t rc = resolve_uuid(conn, domain, uuid, &key, err);
        if (rc != HVD_OK)
            return rc;
        return esx_domain_resolve_with(conn, key, extra, vm_out, obj_out, err);
    }
    if (strlen(domain) >= HVD_DOMAIN_KEY_LEN || !g_utf8_validate(domain, -1, NULL))
        return no_domain(conn, domain, err);
    const esx_location *loc = NULL;
    if (conn->uri->product == ESX_PRODUCT_VPX) {
        int32_t rc = esx_conn_locate(conn, &loc, err); /* located at open: no request */
        if (rc != HVD_OK)
            return rc;
    }
    /* the VM's own properties and the caller's, in one retrieval */
    g_autoptr(GPtrArray) paths = g_ptr_array_new();
    for (gsize i = 0; vm_paths_question[i] != NULL; i++)
        g_ptr_array_add(paths, (gpointer)vm_paths_question[i]);
    for (gsize i = 0; extra != NULL && extra[i] != NULL; i++)
        g_ptr_array_add(paths, (gpointer)extra[i]);
    g_ptr_array_add(paths, NULL);
    vi_moref ref = { .type = (char *)"VirtualMachine", .value = (char *)domain };
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(conn->vi, &ref, (const char *const *)paths->pdata, &gerr);
    if (obj == NULL) {
        if (g_error_matches(gerr, VI_ERROR, VI_ERROR_NOT_FOUND) ||
            g_strcmp0(vi_error_fault_name(gerr), "ManagedObjectNotFound") == 0)
            return no_domain(conn, domain, err);
        return esx_fail_gerror(err, gerr);
    }
    g_autoptr(esx_vm) vm = vm_from_object(obj);
    /* through a vCenter, only the VMs of the connection's host are its domains */
    if (vm == NULL || (loc != NULL && g_strcmp0(vm->host, loc->host.value) != 0))
        return no_domain(conn, domain, err);
    const vi_value *q = vi_object_get(obj, "runtime.question");
    vm->question_known = TRUE;
    vm->has_question = q != NULL && vi_value_n_children(q) > 0;
    *vm_out = g_steal_pointer(&vm);
    if (obj_out != NULL)
        *obj_out = g_steal_pointer(&obj);
    return HVD_OK;
}

int32_t
esx_domain_resolve(hvd_conn *conn, const char *domain, esx_vm **vm_out, hvd_error *err)
{
    return esx_domain_resolve_with(conn, domain, NULL, vm_out, NULL, err);
}

int32_t
esx_check_writable(const hvd_conn *conn, const char *op, hvd_error *err)
{
    if (!conn->readonly)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_ACCESS_DENIED, NULL, "%s: the connection is read-only", op);
}

int32_t
esx_check_write_call(hvd_conn *conn, const char *op, uint32_t flags, uint32_t known, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, known, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    return rc;
}

/* ---- packing ------------------------------------------------------------ */

static gsize
strings_size(const esx_vm *vm)
{
    return strlen(vm->name) + 1 + strlen(vm->moref.value) + 1;
}

/* Fills `info` and copies its strings to `*strings`, advancing it. */
static void
fill_info(hvd_domain_info *info, const esx_vm *vm, char **strings)
{
    info->struct_size = sizeof(*info);
    info->id = vm->id;
    info->state = vm->state;
    info->reason = vm->reason;
    memcpy(info->uuid, vm->uuid, 16);
    info->memory_kib = vm->memory_kib;
    info->max_memory_kib = vm->max_memory_kib;
    info->vcpus = vm->vcpus;
    info->persistent = 1;
    gsize n = strlen(vm->name) + 1;
    memcpy(*strings, vm->name, n);
    info->name = *strings;
    *strings += n;
    n = strlen(vm->moref.value) + 1;
    memcpy(*strings, vm->moref.value, n);
    info->key = *strings;
    *strings += n;
}

hvd_domain_info *
esx_vm_pack_info(const esx_vm *vm)
{
    hvd_domain_info *info = g_malloc0(sizeof(*info) + strings_size(vm));
    char *strings = (char *)(info + 1);
    fill_info(info, vm, &strings);
    return info;
}

hvd_domain_list *
esx_vm_pack_list(GPtrArray *vms, gboolean (*keep)(const esx_vm *vm, gpointer ud), gpointer ud)
{
    guint count = 0;
    gsize strings = 0;
    for (guint i = 0; i < vms->len; i++) {
        if (keep != NULL && !keep(vms->pdata[i], ud))
            continue;
        count++;
        strings += strings_size(vms->pdata[i]);
    }
    /* one block: the list, the entries, then their strings */
    hvd_domain_list *list = g_malloc0(sizeof(*list) + count * sizeof(hvd_domain_info) + strings);
    hvd_domain_info *entries = (hvd_domain_info *)(list + 1);
    char *p = (char *)(entries + count);
    guint j = 0;
    for (guint i = 0; i < vms->len; i++) {
        if (keep != NULL && !keep(vms->pdata[i], ud))
            continue;
        fill_info(&entries[j++], vms->pdata[i], &p);
    }
    list->struct_size = sizeof(*list);
    list->count = count;
    list->entry_size = sizeof(hvd_domain_info);
    list->entries = count ? entries : NULL;
    return list;
}
