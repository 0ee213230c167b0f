/* domain-list.c — listing and looking up domains: list_all, the lookups by
 * name, UUID and id, get_info and get_state. A list is one walk of the
 * connection's VMs (one property-collector round trip per page); a lookup
 * by key one retrieval; by UUID or id one walk, filtered here (BIOS UUIDs
 * are not unique on vSphere, so the whole list decides); by name a walk
 * reading names and power states only, then (unless HVD_LIST_BRIEF) one
 * retrieval of the VM found. */
#include "esx-domain.h"

#include <string.h>

static gboolean
keep_by_flags(const esx_vm *vm, gpointer ud)
{
    uint32_t flags = GPOINTER_TO_UINT(ud);
    if (flags == 0 || flags == (HVD_LIST_ACTIVE | HVD_LIST_INACTIVE))
        return TRUE;
    return (flags & HVD_LIST_ACTIVE) ? esx_vm_active(vm) : !esx_vm_active(vm);
}

static int32_t HVD_CALL
list_all(hvd_conn *conn, uint32_t flags, hvd_domain_list **list_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "list_all", flags, HVD_LIST_ACTIVE | HVD_LIST_INACTIVE | HVD_LIST_BRIEF, list_out);
    g_autoptr(GPtrArray) vms = NULL;
    int32_t rc = (flags & HVD_LIST_BRIEF) ? esx_vm_list_brief(conn, &vms, err) : esx_vm_list(conn, &vms, err);
    if (rc != HVD_OK)
        return rc;
    *list_out = esx_vm_pack_list(vms, keep_by_flags, GUINT_TO_POINTER(flags & ~HVD_LIST_BRIEF));
    return HVD_OK;
}

typedef gboolean (*vm_match)(const esx_vm *vm, gconstpointer what);

/* The one VM of the list `match` accepts: HVD_ERR_NO_DOMAIN (`missing`
 * describes what was looked for), HVD_ERR_AMBIGUOUS listing the keys. */
static int32_t
lookup_one(hvd_conn *conn, vm_match match, gconstpointer what, const char *missing, hvd_domain_info **info_out,
           hvd_error *err)
{
    g_autoptr(GPtrArray) vms = NULL;
    int32_t rc = esx_vm_list(conn, &vms, err);
    if (rc != HVD_OK)
        return rc;
    const esx_vm *hit = NULL;
    g_autoptr(GString) keys = g_string_new(NULL);
    guint found = 0;
    for (guint i = 0; i < vms->len; i++) {
        const esx_vm *vm = vms->pdata[i];
        if (!match(vm, what))
            continue;
        if (found++ < 10)
            g_string_append_printf(keys, "%s'%s'", keys->len ? ", " : "", vm->moref.value);
        hit = vm;
    }
    if (found == 0)
        return esx_fail(err, HVD_ERR_NO_DOMAIN, NULL, "no domain with %s on %s", missing, conn->uri->host);
    if (found > 1)
        return esx_fail(err, HVD_ERR_AMBIGUOUS, NULL, "%u domains have %s: address one by its key: %s%s", found,
                        missing, keys->str, found > 10 ? ", ..." : "");
    *info_out = esx_vm_pack_info(hit);
    return HVD_OK;
}

static gboolean
match_uuid(const esx_vm *vm, gconstpointer what)
{
    return vm->has_uuid && memcmp(vm->uuid, what, 16) == 0;
}

static gboolean
match_id(const esx_vm *vm, gconstpointer what)
{
    return vm->id >= 0 && vm->id == *(const int32_t *)what;
}

/* By name. libvirt and the first version of this driver read every VM's
 * properties for it, which made dominfo, dumpxml, start and destroy cost a
 * listing of the whole inventory. Now a walk reads only names and power
 * states (vcsim: a third of a listing's server work, a fifth of its
 * bytes); HVD_LIST_BRIEF answers from it (start, destroy: key and state
 * are all they need), a full lookup then reads the one VM by its key.
 * SearchIndex.FindByInventoryPath or FindChild would find a VM in one
 * round trip, but return the first of several of the same name, and names
 * are not unique: a standalone host registers a copied VM under its
 * original's name, and a vCenter keeps them unique per folder only;
 * HVD_ERR_AMBIGUOUS needs every name. */
static int32_t HVD_CALL
lookup_by_name(hvd_conn *conn, const char *name, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "lookup_by_name", flags, HVD_LIST_BRIEF, info_out);
    if (name == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "lookup_by_name: name is NULL");
    g_autoptr(GPtrArray) vms = NULL;
    int32_t rc = esx_vm_named(conn, name, &vms, err);
    if (rc != HVD_OK)
        return rc;
    if (vms->len == 0)
        return esx_fail(err, HVD_ERR_NO_DOMAIN, NULL, "no domain with the name '%s' on %s", name, conn->uri->host);
    if (vms->len > 1) {
        g_autoptr(GString) list = g_string_new(NULL);
        for (guint i = 0; i < vms->len && i < 10; i++)
            g_string_append_printf(list, "%s'%s'", i ? ", " : "", ((const esx_vm *)vms->pdata[i])->moref.value);
        return esx_fail(err, HVD_ERR_AMBIGUOUS, NULL, "%u domains have the name '%s': address one by its key: %s%s",
                        vms->len, name, list->str, vms->len > 10 ? ", ..." : "");
    }
    const esx_vm *brief = vms->pdata[0];
    if (flags & HVD_LIST_BRIEF) {
        *info_out = esx_vm_pack_info(brief);
        return HVD_OK;
    }
    g_autoptr(esx_vm) vm = NULL;
    rc = esx_domain_resolve(conn, brief->moref.value, &vm, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = esx_vm_pack_info(vm);
    return HVD_OK;
}

static int32_t HVD_CALL
lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "lookup_by_uuid", flags, 0, info_out);
    if (uuid == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "lookup_by_uuid: uuid is NULL");
    const uint8_t *u = uuid;
    g_autofree char *what = g_strdup_printf("the UUID %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                                            "%02x%02x%02x%02x%02x%02x",
                                            u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
                                            u[12], u[13], u[14], u[15]);
    return lookup_one(conn, match_uuid, uuid, what, info_out, err);
}

static int32_t HVD_CALL
lookup_by_id(hvd_conn *conn, int32_t id, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "lookup_by_id", flags, 0, info_out);
    if (id <= 0)
        return esx_fail(err, HVD_ERR_NO_DOMAIN, NULL, "no running domain with id %d on %s", id, conn->uri->host);
    g_autofree char *what = g_strdup_printf("the id %d (running)", id);
    return lookup_one(conn, match_id, &id, what, info_out, err);
}

static int32_t HVD_CALL
get_info(hvd_conn *conn, const char *domain, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_info", flags, 0, info_out);
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = esx_vm_pack_info(vm);
    return HVD_OK;
}

static int32_t HVD_CALL
get_state(hvd_conn *conn, const char *domain, uint32_t flags, int32_t *state_out, int32_t *reason_out, hvd_error *err)
{
    if (reason_out != NULL)
        *reason_out = 0;
    ESX_CHECK_CALL(conn, "get_state", flags, 0, state_out);
    if (reason_out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "get_state: reason_out is NULL");
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    *state_out = vm->state;
    *reason_out = vm->reason;
    return HVD_OK;
}

const hvd_domain_table esx_domain_table = {
    .struct_size = sizeof(hvd_domain_table),
    .list_all = list_all,
    .lookup_by_name = lookup_by_name,
    .lookup_by_uuid = lookup_by_uuid,
    .lookup_by_id = lookup_by_id,
    .get_info = get_info,
    .get_state = get_state,
    .get_xml = esx_domain_get_xml,
    .define_xml = esx_domain_define_xml,
    .undefine = esx_domain_undefine,
    .start = esx_domain_start,
    .destroy = esx_domain_destroy,
    .shutdown = esx_domain_shutdown,
    .reboot = esx_domain_reboot,
    .suspend = esx_domain_suspend,
    .resume = esx_domain_resume,
    .set_memory = esx_domain_set_memory,
    .set_max_memory = esx_domain_set_max_memory,
    .set_vcpus = esx_domain_set_vcpus,
    .get_autostart = esx_domain_get_autostart,
    .set_autostart = esx_domain_set_autostart,
    .get_guest_hostname = esx_domain_get_guest_hostname,
    .get_guest_addresses = esx_domain_get_guest_addresses,
};
