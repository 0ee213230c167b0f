/* domain-redefine.c — define_xml of a domain that exists (same name), while
 * it is shut off: its .vmx rewritten to describe the new XML and the VM
 * reloaded from it, then its memory, vCPUs and description reconfigured.
 *
 * The .vmx is the VM's configuration on ESX, so rewriting it carries every
 * change the XML can express at once (disks, CD-ROMs, NICs, serial and
 * parallel ports, video, controllers, firmware...) without translating each
 * device into a VirtualDeviceConfigSpec: vmx_file_update_from_domain()
 * updates the downloaded file in place, removing the devices the XML no
 * longer has and keeping every entry the domain model does not cover
 * (tools.*, nvram, pciBridge*, generated MACs' offsets...), and Reload (a
 * ManagedEntity method: "hand-editing a virtual machine configuration file
 * ... a client would call reload") makes the host read it. The
 * ReconfigVM_Task that follows sets memory, vCPUs and the annotation through
 * the API as well, so that a host caching them sees the same values. A VM
 * whose .vmx is missing or empty (only the config describes it) gets that
 * ReconfigVM_Task alone, with a warning in the log that its devices were
 * left as they are. */
#include "esx-datastore.h"
#include "esx-domain.h"
#include "esx-redefine.h"
#include "esx-task.h"

#include <stdlib.h>
#include <string.h>

/* The hardware version of a redefined domain when its .vmx names none. */
#define REDEFINE_HW_VERSION 8

static int32_t
reconfigure(hvd_conn *conn, const esx_vm *vm, const vmx_domain *def, hvd_error *err)
{
    guint64 max_kib = def->memory_kib;
    guint64 cur_kib = def->current_memory_kib ? def->current_memory_kib : max_kib;
    vi_value *spec = vi_value_new("spec", "VirtualMachineConfigSpec", NULL);
    g_autoptr(vi_value) owner = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value_add(owner, spec);
    gboolean changed = FALSE;
    if (max_kib != vm->max_memory_kib) {
        vi_value_add_int(spec, "memoryMB", (gint64)(max_kib / 1024));
        changed = TRUE;
    }
    if (def->vcpus != 0 && def->vcpus != vm->vcpus) {
        vi_value_add_int(spec, "numCPUs", def->vcpus);
        changed = TRUE;
    }
    if (cur_kib != vm->memory_kib || max_kib != vm->max_memory_kib) {
        vi_value *alloc = vi_value_add_object(spec, "memoryAllocation", "ResourceAllocationInfo");
        vi_value_add_int(alloc, "limit", cur_kib < max_kib ? (gint64)(cur_kib / 1024) : -1);
        changed = TRUE;
    }
    if (def->description != NULL) {
        vi_value_add_string(spec, "annotation", def->description);
        changed = TRUE;
    }
    if (!changed)
        return HVD_OK;
    g_autofree char *what = g_strdup_printf("ReconfigVM_Task on '%s'", vm->name);
    return esx_run_task(conn, "ReconfigVM_Task", &vm->moref, owner, what, FALSE, NULL, NULL, err);
}

/* Whether `def` differs from `old` (what the .vmx describes) in anything
 * the ReconfigVM_Task does not set: devices, firmware, OS, UUID... `old`
 * takes def's memory, vCPUs, description and the informative
 * <vmware:datacenterpath> and <vmware:moref> for the comparison. */
static gboolean
needs_vmx(const vmx_domain *def, vmx_domain *old)
{
    old->memory_kib = def->memory_kib;
    old->current_memory_kib = def->current_memory_kib;
    old->vcpus = def->vcpus;
    old->current_vcpus = def->current_vcpus;
    g_free(old->description);
    old->description = g_strdup(def->description);
    /* informative elements of a dumpxml, not settings */
    g_free(old->datacenter_path);
    old->datacenter_path = g_strdup(def->datacenter_path);
    g_free(old->moref);
    old->moref = g_strdup(def->moref);
    g_autofree char *a = vmx_domain_format_xml(def, NULL);
    g_autofree char *b = vmx_domain_format_xml(old, NULL);
    return a == NULL || b == NULL || strcmp(a, b) != 0;
}

/* The VM's .vmx: its datastore path and text (NULL when missing or empty). */
static int32_t
fetch_vmx(hvd_conn *conn, const esx_vm *vm, const esx_location *loc, char **path_out, GBytes **text_out, hvd_error *err)
{
    static const char *const paths[] = { "config.files.vmPathName", NULL };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(conn->vi, &vm->moref, paths, &gerr);
    if (obj == NULL)
        return esx_fail_gerror(err, gerr);
    const char *vmx_path = vi_object_get_string(obj, "config.files.vmPathName");
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    if (vmx_path == NULL || !vmx_parse_datastore_path(vmx_path, &ds, &dir, &file, &gerr))
        return esx_fail(err, HVD_ERR_SERVER, NULL, "domain '%s' has no usable configuration file path ('%s')", vm->name,
                        vmx_path ? vmx_path : "");
    g_autofree char *rel = dir ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    g_autoptr(GBytes) bytes = vi_datastore_file_get(conn->vi, loc->datacenter_path, ds, rel, &gerr);
    if (bytes == NULL && !g_error_matches(gerr, VI_ERROR, VI_ERROR_NOT_FOUND))
        return esx_fail_gerror(err, gerr);
    *path_out = g_strdup(vmx_path);
    *text_out = bytes != NULL && g_bytes_get_size(bytes) > 0 ? g_steal_pointer(&bytes) : NULL;
    return HVD_OK;
}

/* "[DS] DIR" of the .vmx at `vmx_path` and its path relative to DS. */
static void
split_vmx_path(const char *vmx_path, char **ds_out, char **rel_out, char **location_out)
{
    g_autofree char *dir = NULL, *file = NULL;
    vmx_parse_datastore_path(vmx_path, ds_out, &dir, &file, NULL);
    *rel_out = dir ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    *location_out = dir ? g_strdup_printf("[%s] %s", *ds_out, dir) : g_strdup_printf("[%s]", *ds_out);
}

int32_t
esx_domain_redefine(hvd_conn *conn, const esx_vm *vm, const vmx_domain *def, hvd_error *err)
{
    if (vm->state != HVD_DOMAIN_SHUTOFF)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "define_xml: domain '%s' is not shut off (it is %s): ESX changes its devices and settings "
                        "only while it is shut off; shut it down, then define it again",
                        vm->name, esx_vm_state_words(vm));
    guint64 max_kib = def->memory_kib;
    guint64 cur_kib = def->current_memory_kib ? def->current_memory_kib : max_kib;
    if (max_kib % 4096 != 0 || cur_kib % 4096 != 0)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                        "define_xml: memory must be a multiple of 4096 KiB (4 MiB) on ESX");
    const esx_location *loc = NULL;
    int32_t rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *vmx_path = NULL;
    g_autoptr(GBytes) text = NULL;
    rc = fetch_vmx(conn, vm, loc, &vmx_path, &text, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *ds = NULL, *rel = NULL, *location = NULL;
    split_vmx_path(vmx_path, &ds, &rel, &location);
    g_autoptr(GError) gerr = NULL;
    g_autoptr(esx_datastore_map) map = esx_datastore_map_new(conn->vi, loc, location, &gerr);
    if (map == NULL)
        return esx_fail_gerror(err, gerr);
    vmx_convert_ctx ctx;
    esx_datastore_map_ctx(map, &ctx);
    if (text == NULL) {
        /* only the config describes it: memory, vCPUs, description */
        esx_log(&conn->upcalls, HVD_LOG_WARNING, "esx",
                "%s of domain '%s' is missing or empty: only its memory, vCPUs and description are redefined, its "
                "devices are left as they are",
                vmx_path, vm->name);
        return reconfigure(conn, vm, def, err);
    }
    gsize len = 0;
    const char *data = g_bytes_get_data(text, &len);
    g_autoptr(vmx_file) file = vmx_file_parse(data, len, &gerr);
    if (file == NULL)
        return esx_fail(err, HVD_ERR_SERVER, NULL, "define_xml: %s of domain '%s' cannot be read: %s", vmx_path,
                        vm->name, gerr->message);
    const char *hw = vmx_file_get(file, "virtualHW.version");
    int hw_version = hw != NULL && atoi(hw) >= 4 ? atoi(hw) : REDEFINE_HW_VERSION;
    g_autoptr(vmx_domain) old = vmx_file_to_domain(file, &ctx, NULL);
    if (old != NULL && !needs_vmx(def, old))
        return reconfigure(conn, vm, def, err); /* nothing the API cannot set */
    if (!vmx_file_update_from_domain(file, def, &ctx, hw_version, &gerr))
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, "define_xml: %s", gerr->message);
    g_autofree char *out = vmx_file_format(file, &gerr);
    if (out == NULL)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, "define_xml: %s", gerr->message);
    if (!vi_datastore_file_put(conn->vi, loc->datacenter_path, ds, rel, out, strlen(out), &gerr))
        return esx_fail(err, HVD_ERR_OPERATION_FAILED, NULL, "define_xml: writing %s of domain '%s': %s", vmx_path,
                        vm->name, gerr->message);
    g_autoptr(vi_value) r = vi_call(conn->vi, "Reload", &vm->moref, NULL, &gerr);
    if (r == NULL) {
        g_prefix_error(&gerr, "define_xml: %s of domain '%s' was rewritten but the host did not reload it: ", vmx_path,
                       vm->name);
        return esx_fail_gerror(err, gerr);
    }
    return reconfigure(conn, vm, def, err);
}
