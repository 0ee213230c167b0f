/* guest.c — what VMware Tools report from inside a guest: its host name
 * (guest.hostName) and its interfaces' addresses (guest.net), read in the
 * retrieval that resolves the domain. Tools not running is an error that
 * says so, not an empty answer. */
#include "esx-domain.h"

#include <string.h>

static const char *const guest_paths[] = { "guest.hostName", "guest.net", NULL };

/* The domain with its guest properties, refused unless Tools run in it. */
static int32_t
resolve_guest(hvd_conn *conn, const char *op, const char *domain, esx_vm **vm_out, vi_value **obj_out, hvd_error *err)
{
    int32_t rc = esx_domain_resolve_with(conn, domain, guest_paths, vm_out, obj_out, err);
    if (rc != HVD_OK)
        return rc;
    const char *why = NULL;
    if ((*vm_out)->state != HVD_DOMAIN_RUNNING)
        why = "it is not running";
    else if (!(*vm_out)->tools_running)
        why = "VMware Tools are not running in it";
    if (why == NULL)
        return HVD_OK;
    rc = esx_fail(err, HVD_ERR_OPERATION_INVALID, "ToolsUnavailable", "%s: domain '%s' cannot answer: %s", op,
                  (*vm_out)->name, why);
    g_clear_pointer(vm_out, esx_vm_free);
    g_clear_pointer(obj_out, vi_value_free);
    return rc;
}

int32_t HVD_CALL
esx_domain_get_guest_hostname(hvd_conn *conn, const char *domain, uint32_t flags, char **hostname_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_guest_hostname", flags, 0, hostname_out);
    g_autoptr(esx_vm) vm = NULL;
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = resolve_guest(conn, "get_guest_hostname", domain, &vm, &obj, err);
    if (rc != HVD_OK)
        return rc;
    const char *name = vi_object_get_string(obj, "guest.hostName");
    if (name == NULL || *name == '\0')
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "get_guest_hostname: VMware Tools in domain '%s' report no host name", vm->name);
    *hostname_out = g_strdup(name);
    return HVD_OK;
}

typedef struct {
    int32_t family;
    uint32_t prefix;
    const char *address;
    const char *mac;
} addr_entry;

/* The addresses of one GuestNicInfo: ipConfig.ipAddress (with prefix
 * lengths) when the Tools report it, else the plain ipAddress list. */
static void
nic_addresses(const vi_value *nic, GArray *out)
{
    const char *mac = vi_value_get_string(nic, "macAddress");
    g_autoptr(GPtrArray) configured = vi_value_lookup_all(nic, "ipConfig.ipAddress");
    if (configured != NULL && configured->len > 0) {
        for (guint i = 0; i < configured->len; i++) {
            const char *a = vi_value_get_string(configured->pdata[i], "ipAddress");
            gint64 prefix = 0;
            vi_value_get_int64(configured->pdata[i], "prefixLength", &prefix);
            if (a == NULL)
                continue;
            addr_entry e = { strchr(a, ':') ? 6 : 4, prefix > 0 ? (uint32_t)prefix : 0, a, mac };
            g_array_append_val(out, e);
        }
        return;
    }
    g_autoptr(GPtrArray) plain = vi_value_lookup_all(nic, "ipAddress");
    for (guint i = 0; plain != NULL && i < plain->len; i++) {
        const char *a = vi_value_text(plain->pdata[i]);
        if (a == NULL || *a == '\0')
            continue;
        addr_entry e = { strchr(a, ':') ? 6 : 4, 0, a, mac };
        g_array_append_val(out, e);
    }
}

int32_t HVD_CALL
esx_domain_get_guest_addresses(hvd_conn *conn, const char *domain, uint32_t flags, hvd_guest_address_list **list_out,
                               hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_guest_addresses", flags, 0, list_out);
    g_autoptr(esx_vm) vm = NULL;
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = resolve_guest(conn, "get_guest_addresses", domain, &vm, &obj, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GArray) addrs = g_array_new(FALSE, TRUE, sizeof(addr_entry));
    g_autoptr(GPtrArray) nics = vi_object_get_all(obj, "guest.net");
    for (guint i = 0; nics != NULL && i < nics->len; i++)
        nic_addresses(nics->pdata[i], addrs);
    /* one block: the list, the entries, then their strings */
    gsize strings = 0;
    for (guint i = 0; i < addrs->len; i++) {
        const addr_entry *e = &g_array_index(addrs, addr_entry, i);
        strings += strlen(e->address) + 1 + 2 * (strlen(e->mac != NULL ? e->mac : "") + 1);
    }
    hvd_guest_address_list *list = g_malloc0(sizeof(*list) + addrs->len * sizeof(hvd_guest_address) + strings);
    hvd_guest_address *entries = (hvd_guest_address *)(list + 1);
    char *p = (char *)(entries + addrs->len);
    for (guint i = 0; i < addrs->len; i++) {
        const addr_entry *e = &g_array_index(addrs, addr_entry, i);
        hvd_guest_address *a = &entries[i];
        a->struct_size = sizeof(*a);
        a->family = e->family;
        a->prefix = e->prefix;
        const char *mac = e->mac != NULL ? e->mac : "";
        a->address = p;
        p = g_stpcpy(p, e->address) + 1;
        a->mac = p;
        p = g_stpcpy(p, mac) + 1;
        /* vSphere names no guest interface: the MAC stands for it */
        a->interface = p;
        p = g_stpcpy(p, mac) + 1;
    }
    list->struct_size = sizeof(*list);
    list->count = addrs->len;
    list->entry_size = sizeof(hvd_guest_address);
    list->entries = addrs->len ? entries : NULL;
    *list_out = list;
    return HVD_OK;
}
