/* network-define.c — define and undefine of networks (the host's standard
 * virtual switches), as libvirt's ESX network driver does them, through the
 * host's HostNetworkSystem.
 *
 * define_xml: the XML (network-def.c) and the host's state are checked
 * before any call: a network of that name exists (hvd-esx does not edit a
 * defined switch: undefine and define again), a port group name already on
 * the host, an unknown physical NIC, a NIC that is already another switch's
 * uplink, a <uuid> other than the one the driver derives. Then
 * AddVirtualSwitch (uplinks as a bond bridge, 128 ports, the MTU) and one
 * AddPortGroup per port group. When a step fails, what this call created is
 * removed again (port groups, then the switch), so nothing half-made stays on
 * the server; the error says whether the undo worked.
 *
 * undefine: refused while a VM's NIC is on one of the switch's port groups
 * (naming the VMs) or a VMkernel NIC (the host's own connection) is; else
 * RemovePortGroup for each port group, then RemoveVirtualSwitch. */
#include "esx-domain.h"
#include "esx-network.h"

#include <string.h>

/* How many VM names an "in use" error lists. */
#define IN_USE_NAMES 5

static const char *const host_paths[] = { "config.network.vswitch",      "config.network.portgroup",
                                          "config.network.pnic",         "config.network.vnic",
                                          "configManager.networkSystem", NULL };

/* The host's HostNetworkSystem (borrowed from OBJ). */
static int32_t
network_system(const vi_value *obj, vi_moref *out, hvd_error *err)
{
    if (vi_object_get_moref(obj, "configManager.networkSystem", out))
        return HVD_OK;
    return esx_fail(err, HVD_ERR_SERVER, NULL,
                    "the host reports no network system (configManager.networkSystem): its virtual switches cannot "
                    "be changed through the vSphere API");
}

/* The name of the switch with KEY, or NULL. */
static const char *
switch_name_by_key(const vi_value *obj, const char *key)
{
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.vswitch");
    for (guint i = 0; key != NULL && all != NULL && i < all->len; i++)
        if (g_strcmp0(vi_value_get_string(all->pdata[i], "key"), key) == 0)
            return vi_value_get_string(all->pdata[i], "name");
    return NULL;
}

static int32_t
check_portgroups(const esx_network_def *def, const vi_value *obj, hvd_error *err)
{
    g_autoptr(GPtrArray) pgs = vi_object_get_all(obj, "config.network.portgroup");
    for (guint i = 0; i < def->portgroups->len; i++) {
        const esx_portgroup_def *pg = def->portgroups->pdata[i];
        for (guint j = 0; pgs != NULL && j < pgs->len; j++) {
            if (g_strcmp0(vi_value_get_string(pgs->pdata[j], "spec.name"), pg->name) != 0)
                continue;
            const char *sw = switch_name_by_key(obj, vi_value_get_string(pgs->pdata[j], "vswitch"));
            return esx_fail(err, HVD_ERR_EXISTS, NULL,
                            "cannot define network '%s': port group '%s' already exists on the host (on network "
                            "'%s'); port group names are unique per host: pick another name",
                            def->name, pg->name, sw != NULL ? sw : "?");
        }
    }
    return HVD_OK;
}

/* Appends the device names of the host's NICs to S, for a hint. */
static void
list_pnics(GString *s, const GPtrArray *pnics)
{
    for (guint i = 0; pnics != NULL && i < pnics->len; i++) {
        const char *dev = vi_value_get_string(pnics->pdata[i], "device");
        g_string_append_printf(s, "%s%s", s->len > 0 ? ", " : "", dev != NULL ? dev : "?");
    }
    if (s->len == 0)
        g_string_append(s, "none");
}

static int32_t
check_uplinks(const esx_network_def *def, const vi_value *obj, hvd_error *err)
{
    g_autoptr(GPtrArray) pnics = vi_object_get_all(obj, "config.network.pnic");
    g_autoptr(GPtrArray) switches = vi_object_get_all(obj, "config.network.vswitch");
    for (guint i = 0; i < def->uplinks->len; i++) {
        const char *dev = def->uplinks->pdata[i], *key = NULL;
        for (guint j = 0; pnics != NULL && j < pnics->len; j++)
            if (g_strcmp0(vi_value_get_string(pnics->pdata[j], "device"), dev) == 0)
                key = vi_value_get_string(pnics->pdata[j], "key");
        if (key == NULL) {
            g_autoptr(GString) known = g_string_new(NULL);
            list_pnics(known, pnics);
            return esx_fail(err, HVD_ERR_NO_INTERFACE, NULL,
                            "cannot define network '%s': no physical NIC '%s' on the host (it has: %s; see "
                            "iface-list)",
                            def->name, dev, known->str);
        }
        for (guint j = 0; switches != NULL && j < switches->len; j++) {
            g_autoptr(GPtrArray) used = vi_value_lookup_all(switches->pdata[j], "pnic");
            for (guint k = 0; k < used->len; k++)
                if (g_strcmp0(vi_value_get_string(used->pdata[k], NULL), key) == 0)
                    return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                                    "cannot define network '%s': physical NIC '%s' is already an uplink of network "
                                    "'%s', and a NIC serves one virtual switch: remove it from '%s' or pick "
                                    "another NIC (iface-list)",
                                    def->name, dev, vi_value_get_string(switches->pdata[j], "name"),
                                    vi_value_get_string(switches->pdata[j], "name"));
        }
    }
    return HVD_OK;
}

/* Everything a define checks against the host before its first call. */
static int32_t
check_host(const esx_network_def *def, const vi_value *obj, const esx_location *loc, hvd_error *err)
{
    if (esx_find_switch(obj, def->name) != NULL)
        return esx_fail(err, HVD_ERR_EXISTS, NULL,
                        "network '%s' already exists on the host; hvd-esx does not edit a defined network: "
                        "undefine it (net-undefine %s) and define it again",
                        def->name, def->name);
    if (def->has_uuid) {
        uint8_t uuid[16];
        esx_switch_uuid(loc->host.value, def->name, uuid);
        if (memcmp(uuid, def->uuid, 16) != 0)
            return esx_fail(err, HVD_ERR_CONFIG_UNSUPPORTED, NULL,
                            "cannot define network '%s' with that <uuid>: ESX gives a virtual switch no UUID, the "
                            "driver derives it from the host and the name; leave <uuid> out",
                            def->name);
    }
    int32_t rc = check_portgroups(def, obj, err);
    if (rc == HVD_OK)
        rc = check_uplinks(def, obj, err);
    return rc;
}

static gboolean
add_switch(vi_conn *vi, const vi_moref *ns, const esx_network_def *def, GError **error)
{
    g_autoptr(vi_value) args = vi_value_new("AddVirtualSwitch", NULL, NULL);
    vi_value_add_string(args, "vswitchName", def->name);
    vi_value *spec = vi_value_add_object(args, "spec", "HostVirtualSwitchSpec");
    vi_value_add_int(spec, "numPorts", 128); /* libvirt's choice; ESX grows it on demand */
    if (def->uplinks->len > 0) {
        vi_value *bridge = vi_value_add_object(spec, "bridge", "HostVirtualSwitchBondBridge");
        for (guint i = 0; i < def->uplinks->len; i++)
            vi_value_add_string(bridge, "nicDevice", def->uplinks->pdata[i]);
    }
    if (def->mtu != 0)
        vi_value_add_int(spec, "mtu", def->mtu);
    g_autoptr(vi_value) r = vi_call(vi, "AddVirtualSwitch", ns, args, error);
    return r != NULL;
}

static gboolean
add_portgroup(vi_conn *vi, const vi_moref *ns, const char *sw, const esx_portgroup_def *pg, GError **error)
{
    g_autoptr(vi_value) args = vi_value_new("AddPortGroup", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "portgrp", "HostPortGroupSpec");
    vi_value_add_string(spec, "name", pg->name);
    vi_value_add_int(spec, "vlanId", pg->vlan);
    vi_value_add_string(spec, "vswitchName", sw);
    vi_value_add_object(spec, "policy", "HostNetworkPolicy"); /* required; empty = the switch's */
    g_autoptr(vi_value) r = vi_call(vi, "AddPortGroup", ns, args, error);
    return r != NULL;
}

/* RemovePortGroup (ARG "pgName") or RemoveVirtualSwitch ("vswitchName"). */
static gboolean
remove_named(vi_conn *vi, const vi_moref *ns, const char *method, const char *arg, const char *name, GError **error)
{
    g_autoptr(vi_value) args = vi_value_new(method, NULL, NULL);
    vi_value_add_string(args, arg, name);
    g_autoptr(vi_value) r = vi_call(vi, method, ns, args, error);
    return r != NULL;
}

/* Removes the first N_PGS port groups of DEF and its switch, after a failed
 * define; appends what happened to MSG. */
static void
undo(vi_conn *vi, const vi_moref *ns, const esx_network_def *def, guint n_pgs, GString *msg)
{
    g_autoptr(GError) gerr = NULL;
    for (guint i = n_pgs; i-- > 0 && gerr == NULL;) {
        const esx_portgroup_def *pg = def->portgroups->pdata[i];
        if (!remove_named(vi, ns, "RemovePortGroup", "pgName", pg->name, &gerr))
            g_prefix_error(&gerr, "removing port group '%s': ", pg->name);
    }
    if (gerr == NULL && !remove_named(vi, ns, "RemoveVirtualSwitch", "vswitchName", def->name, &gerr))
        g_prefix_error(&gerr, "removing the virtual switch: ");
    if (gerr == NULL)
        g_string_append_printf(msg, "; undone: the virtual switch '%s' and its port groups were removed again",
                               def->name);
    else
        g_string_append_printf(msg, "; undoing it failed too (%s): remove what is left with net-undefine %s",
                               gerr->message, def->name);
}

/* The calls of a define; on failure the server is left as it was when the
 * undo works. */
static int32_t
create(hvd_conn *conn, const vi_moref *ns, const esx_network_def *def, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    if (!add_switch(conn->vi, ns, def, &gerr)) {
        g_prefix_error(&gerr, "cannot define network '%s': adding the virtual switch: ", def->name);
        if (gerr->domain == VI_ERROR && gerr->code != VI_ERROR_FAULT) {
            /* no answer (the connection dropped, a timeout): the server may
             * have made the switch all the same; the name was free before */
            g_autoptr(GError) gone = NULL;
            gboolean removed = remove_named(conn->vi, ns, "RemoveVirtualSwitch", "vswitchName", def->name, &gone);
            char *full = g_strdup_printf("%s; %s", gerr->message,
                                         removed ? "the switch the server had made all the same was removed"
                                         : vi_error_is_fault(gone, "NotFound")
                                             ? "the server had not made it"
                                             : "whether the server made it is unknown: check with net-list");
            g_free(gerr->message);
            gerr->message = full;
        }
        return esx_fail_gerror(err, gerr);
    }
    for (guint i = 0; i < def->portgroups->len; i++) {
        const esx_portgroup_def *pg = def->portgroups->pdata[i];
        if (add_portgroup(conn->vi, ns, def->name, pg, &gerr))
            continue;
        g_autoptr(GString) undone = g_string_new(NULL);
        undo(conn->vi, ns, def, i, undone);
        /* the cause first, then the undo's outcome */
        g_prefix_error(&gerr, "cannot define network '%s': adding port group '%s': ", def->name, pg->name);
        char *full = g_strconcat(gerr->message, undone->str, NULL);
        g_free(gerr->message);
        gerr->message = full;
        return esx_fail_gerror(err, gerr);
    }
    return HVD_OK;
}

int32_t HVD_CALL
esx_net_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    const char *op = "network define_xml";
    if (info_out != NULL)
        *info_out = NULL;
    int32_t rc = esx_check_write_call(conn, op, flags, 0, err);
    g_autoptr(esx_network_def) def = NULL;
    if (rc == HVD_OK)
        rc = esx_network_def_parse(xml, &def, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    vi_moref ns = { 0 };
    rc = esx_host_network(conn, host_paths, &obj, &loc, err);
    if (rc == HVD_OK)
        rc = check_host(def, obj, loc, err);
    if (rc == HVD_OK)
        rc = network_system(obj, &ns, err);
    if (rc == HVD_OK)
        rc = create(conn, &ns, def, err);
    if (rc != HVD_OK)
        return rc;
    esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "defined network '%s' (%u port groups, %u uplinks)", def->name,
            def->portgroups->len, def->uplinks->len);
    if (info_out != NULL) {
        uint8_t uuid[16];
        esx_switch_uuid(loc->host.value, def->name, uuid);
        *info_out = esx_network_info_new(def->name, uuid);
    }
    return HVD_OK;
}

/* ---- undefine ------------------------------------------------------------ */

/* The names of the port groups on switch SW (borrowed from OBJ). */
static GPtrArray *
switch_portgroups(const vi_value *obj, const vi_value *sw)
{
    GPtrArray *out = g_ptr_array_new();
    const char *key = vi_value_get_string(sw, "key");
    g_autoptr(GPtrArray) pgs = vi_object_get_all(obj, "config.network.portgroup");
    for (guint i = 0; key != NULL && pgs != NULL && i < pgs->len; i++) {
        const char *name = vi_value_get_string(pgs->pdata[i], "spec.name");
        if (name != NULL && g_strcmp0(vi_value_get_string(pgs->pdata[i], "vswitch"), key) == 0)
            g_ptr_array_add(out, (gpointer)name);
    }
    return out;
}

static gboolean
has_name(const GPtrArray *names, const char *name)
{
    for (guint i = 0; name != NULL && i < names->len; i++)
        if (strcmp(names->pdata[i], name) == 0)
            return TRUE;
    return FALSE;
}

/* Refuses when a VMkernel NIC sits on one of PGS. */
static int32_t
check_vmkernel(const vi_value *obj, const char *name, const GPtrArray *pgs, hvd_error *err)
{
    g_autoptr(GPtrArray) vnics = vi_object_get_all(obj, "config.network.vnic");
    for (guint i = 0; vnics != NULL && i < vnics->len; i++) {
        const char *pg = vi_value_get_string(vnics->pdata[i], "portgroup");
        if (has_name(pgs, pg))
            return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                            "cannot undefine network '%s': its port group '%s' carries the host's VMkernel NIC %s "
                            "(the host's own connection); move that NIC to another network first",
                            name, pg, vi_value_get_string(vnics->pdata[i], "device"));
    }
    return HVD_OK;
}

/* NAMES (moref value -> name) of the networks VMS refer to, one retrieval. */
static int32_t
network_names(hvd_conn *conn, const GPtrArray *vms, GHashTable *names, hvd_error *err)
{
    g_autoptr(GArray) refs = g_array_new(FALSE, FALSE, sizeof(vi_moref));
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < vms->len; i++) {
        g_autoptr(GPtrArray) nets = vi_object_get_all(vms->pdata[i], "network");
        for (guint j = 0; nets != NULL && j < nets->len; j++) {
            vi_moref m = { 0 };
            if (vi_value_get_moref(nets->pdata[j], NULL, &m) && g_hash_table_add(seen, m.value))
                g_array_append_val(refs, m);
        }
    }
    if (refs->len == 0)
        return HVD_OK;
    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.paths = paths;
    spec.objects = (const vi_moref *)refs->data;
    spec.n_objects = refs->len;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) objs = vi_collector_retrieve(conn->vi, &spec, &gerr);
    if (objs == NULL)
        return esx_fail_gerror(err, gerr);
    for (guint i = 0; i < objs->len; i++) {
        vi_moref m = { 0 };
        const char *n = vi_object_get_string(objs->pdata[i], "name");
        if (vi_object_moref(objs->pdata[i], &m) && n != NULL)
            g_hash_table_insert(names, g_strdup(m.value), g_strdup(n));
    }
    return HVD_OK;
}

/* Refuses when a VM of the host has a NIC on one of PGS, naming the VMs. */
static int32_t
check_vms(hvd_conn *conn, const esx_location *loc, const char *name, const GPtrArray *pgs, hvd_error *err)
{
    static const char *const paths[] = { "name", "network", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    spec.container = &loc->host;
    spec.container_path = "vm";
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) vms = vi_collector_retrieve(conn->vi, &spec, &gerr);
    if (vms == NULL)
        return esx_fail_gerror(err, gerr);
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    int32_t rc = network_names(conn, vms, names, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GString) users = g_string_new(NULL);
    const char *first_pg = NULL;
    guint n_users = 0;
    for (guint i = 0; i < vms->len; i++) {
        g_autoptr(GPtrArray) nets = vi_object_get_all(vms->pdata[i], "network");
        for (guint j = 0; nets != NULL && j < nets->len; j++) {
            vi_moref m = { 0 };
            const char *pg = vi_value_get_moref(nets->pdata[j], NULL, &m) ? g_hash_table_lookup(names, m.value) : NULL;
            if (!has_name(pgs, pg))
                continue;
            if (n_users++ < IN_USE_NAMES) {
                const char *vm = vi_object_get_string(vms->pdata[i], "name");
                g_string_append_printf(users, "%s'%s' (port group '%s')", users->len > 0 ? ", " : "",
                                       vm != NULL ? vm : "?", pg);
            }
            first_pg = first_pg != NULL ? first_pg : pg;
            break;
        }
    }
    if (n_users == 0)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                    "cannot undefine network '%s': it is in use by %u domain%s: %s%s; disconnect their NICs from "
                    "its port groups (or undefine those domains) first",
                    name, n_users, n_users == 1 ? "" : "s", users->str, n_users > IN_USE_NAMES ? ", ..." : "");
}

int32_t HVD_CALL
esx_net_undefine(hvd_conn *conn, const char *name, uint32_t flags, hvd_error *err)
{
    const char *op = "network undefine";
    int32_t rc = esx_check_write_call(conn, op, flags, 0, err);
    if (rc == HVD_OK && name == NULL)
        rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: name is NULL", op);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    rc = esx_host_network(conn, host_paths, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    const vi_value *sw = esx_find_switch(obj, name);
    if (sw == NULL)
        return esx_fail(err, HVD_ERR_NO_NETWORK, NULL, "no network (virtual switch) named '%s' on the host", name);
    g_autoptr(GPtrArray) pgs = switch_portgroups(obj, sw);
    vi_moref ns = { 0 };
    rc = check_vmkernel(obj, name, pgs, err);
    if (rc == HVD_OK)
        rc = check_vms(conn, loc, name, pgs, err);
    if (rc == HVD_OK)
        rc = network_system(obj, &ns, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    for (guint i = 0; i < pgs->len; i++) {
        if (!remove_named(conn->vi, &ns, "RemovePortGroup", "pgName", pgs->pdata[i], &gerr)) {
            g_prefix_error(&gerr, "cannot undefine network '%s': removing port group '%s'%s: ", name,
                           (const char *)pgs->pdata[i], i > 0 ? " (the ones before it are gone)" : "");
            return esx_fail_gerror(err, gerr);
        }
    }
    if (!remove_named(conn->vi, &ns, "RemoveVirtualSwitch", "vswitchName", name, &gerr)) {
        g_prefix_error(&gerr, "cannot undefine network '%s': removing the virtual switch%s: ", name,
                       pgs->len > 0 ? " (its port groups are gone)" : "");
        return esx_fail_gerror(err, gerr);
    }
    esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "undefined network '%s'", name);
    return HVD_OK;
}
