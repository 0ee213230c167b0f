/* domain-define.c — define_xml and undefine. A new domain: its XML
 * converted to a .vmx (file names mapped through the host's datastores),
 * uploaded to "[DS] DIR/NAME.vmx" where "[DS] DIR" holds the first
 * file-based disk and NAME is the domain's name escaped as a datastore
 * item, then registered (RegisterVM_Task in the datacenter's VM folder, on
 * the connection's host and its root resource pool); a failed
 * registration deletes the uploaded file. An existing domain (same name):
 * redefined while it is shut off, its .vmx rewritten and reloaded
 * (domain-redefine.c). undefine unregisters the VM and keeps its files. */
#include "esx-datastore.h"
#include "esx-domain.h"
#include "esx-redefine.h"
#include "esx-task.h"

#include <string.h>

/* The virtual hardware version of a new domain: 8, which every ESX since
 * 5.0 runs. */
#define DEFINE_HW_VERSION 8

/* The VM named NAME among the connection's, or NULL (*found counts them). */
static esx_vm *
take_named(GPtrArray *vms, const char *name, guint *found)
{
    esx_vm *hit = NULL;
    *found = 0;
    for (guint i = 0; i < vms->len; i++) {
        esx_vm *vm = vms->pdata[i];
        if (strcmp(vm->name, name) == 0) {
            hit = vm;
            (*found)++;
        }
    }
    return hit;
}

/* Deletes "[DS] PATH" after a failed registration (best effort: the
 * registration's error is the one reported). */
static void
remove_uploaded(hvd_conn *conn, const esx_location *loc, const char *ds_path)
{
    g_autoptr(GError) gerr = NULL;
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    if (sc == NULL || sc->fileManager.value == NULL)
        return;
    const vi_moref *fm = &sc->fileManager;
    g_autoptr(vi_value) args = vi_value_new("DeleteDatastoreFile_Task", NULL, NULL);
    vi_value_add_string(args, "name", ds_path);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    if (!vi_call_task(conn->vi, "DeleteDatastoreFile_Task", fm, args, &o, NULL, &gerr))
        g_debug("define_xml: could not delete %s after the failed registration: %s", ds_path, gerr->message);
}

/* RegisterVM_Task was sent and no answer came back (connection lost,
 * timeout): the server may have registered the VM, or may still do so.
 * Deleting the upload could leave a registered VM without its .vmx, and
 * registering again could make a duplicate: neither is done. The error
 * says what the server shows now and what to check. */
static int32_t
registration_unknown(hvd_conn *conn, const esx_location *loc, const char *ds_path, int32_t rc, hvd_error *err)
{
    g_autofree char *cause =
        g_strdup(err != NULL && HVD_HAS_MEMBER(err, hvd_error, message) ? err->message : "no answer came back");
    g_autofree char *now = NULL;
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    if (sc != NULL && sc->searchIndex.value != NULL) {
        g_autoptr(GError) gerr = NULL;
        g_autoptr(vi_value) q = vi_value_new("FindByDatastorePath", NULL, NULL);
        vi_value_add_moref(q, "datacenter", &loc->datacenter);
        vi_value_add_string(q, "path", ds_path);
        g_autoptr(vi_value) r = vi_call(conn->vi, "FindByDatastorePath", &sc->searchIndex, q, &gerr);
        vi_moref vm = { 0 };
        if (r != NULL && vi_value_get_moref(r, "returnval", &vm))
            now = g_strdup_printf("the server shows it registered (%s): check it with list --all", vm.value);
    }
    if (now == NULL)
        now = g_strdup_printf("the server does not show it registered yet; %s is left in place, as the registration "
                              "may still complete: check list --all before defining it again, or delete that file",
                              ds_path);
    return esx_fail(err, rc, NULL, "%s; %s", cause, now);
}

static int32_t
register_new(hvd_conn *conn, const vmx_domain *def, hvd_error *err)
{
    const esx_location *loc = NULL;
    int32_t rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *location = vmx_domain_vmx_location(def, &gerr);
    if (location == NULL)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, "define_xml: %s", gerr->message);
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    g_autofree char *probe = g_strdup_printf("%s/x", location);
    if (!vmx_parse_datastore_path(probe, &ds, &dir, &file, &gerr))
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, "define_xml: %s", gerr->message);
    g_autoptr(esx_datastore_map) map = esx_datastore_map_new(conn->vi, loc, location, &gerr);
    if (map == NULL)
        return esx_fail_gerror(err, gerr);
    vmx_convert_ctx ctx;
    esx_datastore_map_ctx(map, &ctx);
    g_autofree char *vmx = vmx_from_domain(def, &ctx, DEFINE_HW_VERSION, &gerr);
    if (vmx == NULL)
        return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL, "define_xml: %s", gerr->message);
    /* the spec's datastore item escaping of the name */
    g_autofree char *item = vmx_escape_datastore_item(def->name);
    g_autofree char *rel = dir != NULL ? g_strdup_printf("%s/%s.vmx", dir, item) : g_strdup_printf("%s.vmx", item);
    g_autofree char *ds_path = g_strdup_printf("[%s] %s", ds, rel);
    /* never overwrite the .vmx of a VM registered there (under another name) */
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    if (sc != NULL && sc->searchIndex.value != NULL) {
        g_autoptr(vi_value) q = vi_value_new("FindByDatastorePath", NULL, NULL);
        vi_value_add_moref(q, "datacenter", &loc->datacenter);
        vi_value_add_string(q, "path", ds_path);
        g_autoptr(vi_value) r = vi_call(conn->vi, "FindByDatastorePath", &sc->searchIndex, q, &gerr);
        if (r == NULL)
            return esx_fail_gerror(err, gerr);
        vi_moref other = { 0 };
        if (vi_value_get_moref(r, "returnval", &other))
            return esx_fail(err, HVD_ERR_EXISTS, NULL, "define_xml: %s is the .vmx of the registered VM '%s'", ds_path,
                            other.value);
    }
    if (!vi_datastore_file_put(conn->vi, loc->datacenter_path, ds, rel, vmx, strlen(vmx), &gerr))
        return esx_fail(err, HVD_ERR_OPERATION_FAILED, NULL, "define_xml: uploading %s: %s", ds_path, gerr->message);

    static const char *const dc_paths[] = { "vmFolder", NULL };
    static const char *const cr_paths[] = { "resourcePool", NULL };
    g_autoptr(vi_value) dc = vi_collector_retrieve_one(conn->vi, &loc->datacenter, dc_paths, &gerr);
    g_autoptr(vi_value) cr = dc != NULL ? vi_collector_retrieve_one(conn->vi, &loc->compute, cr_paths, &gerr) : NULL;
    vi_moref folder = { 0 }, pool = { 0 };
    if (cr == NULL || !vi_object_get_moref(dc, "vmFolder", &folder) ||
        !vi_object_get_moref(cr, "resourcePool", &pool)) {
        remove_uploaded(conn, loc, ds_path);
        if (gerr != NULL)
            return esx_fail_gerror(err, gerr);
        return esx_fail(err, HVD_ERR_SERVER, NULL, "define_xml: the host's VM folder or resource pool is unknown");
    }
    g_autoptr(vi_value) args = vi_value_new("RegisterVM_Task", NULL, NULL);
    vi_value_add_string(args, "path", ds_path);
    g_autofree char *escaped_name = vmx_escape_domain_name(def->name);
    vi_value_add_string(args, "name", escaped_name);
    vi_value_add_bool(args, "asTemplate", FALSE);
    vi_value_add_moref(args, "pool", &pool);
    vi_value_add_moref(args, "host", &loc->host);
    g_autofree char *what = g_strdup_printf("RegisterVM_Task of '%s'", def->name);
    rc = esx_run_task(conn, "RegisterVM_Task", &folder, args, what, TRUE, NULL, NULL, err);
    if (rc == HVD_ERR_CONNECT || rc == HVD_ERR_TIMEOUT)
        return registration_unknown(conn, loc, ds_path, rc, err);
    if (rc != HVD_OK)
        remove_uploaded(conn, loc, ds_path);
    return rc;
}

int32_t HVD_CALL
esx_domain_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    const char *op = "define_xml";
    if (info_out != NULL)
        *info_out = NULL;
    int32_t rc = esx_check_write_call(conn, op, flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml, &gerr);
    if (def == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "%s: %s", op, gerr->message);
    if (def->name == NULL || *def->name == '\0')
        return esx_fail(err, HVD_ERR_XML, NULL, "%s: the domain has no <name>", op);
    g_autoptr(GPtrArray) vms = NULL;
    rc = esx_vm_list(conn, &vms, err);
    if (rc != HVD_OK)
        return rc;
    guint found = 0;
    esx_vm *old = take_named(vms, def->name, &found);
    if (found > 1)
        return esx_fail(err, HVD_ERR_AMBIGUOUS, NULL, "%s: %u domains are named '%s': which one to redefine?", op,
                        found, def->name);
    g_autofree char *key = old != NULL ? g_strdup(old->moref.value) : NULL;
    rc = old != NULL ? esx_domain_redefine(conn, old, def, err) : register_new(conn, def, err);
    if (rc != HVD_OK || info_out == NULL)
        return rc;
    /* the domain as the server now has it */
    g_autoptr(GPtrArray) now = NULL;
    rc = esx_vm_list(conn, &now, err);
    if (rc != HVD_OK)
        return rc;
    esx_vm *vm = take_named(now, def->name, &found);
    if (vm == NULL)
        return esx_fail(err, HVD_ERR_SERVER, NULL, "%s: domain '%s' was defined but is not listed", op, def->name);
    *info_out = esx_vm_pack_info(vm);
    return HVD_OK;
}

int32_t HVD_CALL
esx_domain_undefine(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err)
{
    const char *op = "undefine";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, HVD_UNDEFINE_SNAPSHOTS, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc != HVD_OK)
        return rc;
    static const char *const paths[] = { "snapshot.rootSnapshotList", NULL };
    g_autoptr(esx_vm) vm = NULL;
    g_autoptr(vi_value) obj = NULL;
    rc = esx_domain_resolve_with(conn, domain, paths, &vm, &obj, err);
    if (rc != HVD_OK)
        return rc;
    /* as libvirt: suspended or shut off */
    if (vm->state == HVD_DOMAIN_RUNNING)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "%s: domain '%s' is not shut off (it is running)", op,
                        vm->name);
    g_autoptr(GPtrArray) snaps = vi_object_get_all(obj, "snapshot.rootSnapshotList");
    if (snaps != NULL && snaps->len > 0 && !(flags & HVD_UNDEFINE_SNAPSHOTS))
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "%s: domain '%s' has snapshots: pass HVD_UNDEFINE_SNAPSHOTS to undefine it with them", op,
                        vm->name);
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) r = vi_call(conn->vi, "UnregisterVM", &vm->moref, NULL, &gerr);
    if (r == NULL)
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}
