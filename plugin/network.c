/* network.c — the read side of networks and host interfaces, as libvirt's
 * ESX network and interface drivers map them: a network is one of the
 * host's virtual switches (config.network.vswitch) with its port groups
 * (and their VLANs) and its uplinks (physical NICs); an interface is one of
 * the host's physical NICs (config.network.pnic). One property retrieval of
 * the host per call. A network's UUID is derived from the host's key and the
 * switch's name (an MD5 name-based UUID), so it is the same on every call
 * and every connection. Define and undefine live in network-define.c. */
#include "esx-network.h"

#include <string.h>

static const char *const net_paths[] = { "config.network.vswitch", "config.network.portgroup", "config.network.pnic",
                                         NULL };

int32_t
esx_host_network(hvd_conn *conn, const char *const *paths, vi_value **obj_out, const esx_location **loc_out,
                 hvd_error *err)
{
    *obj_out = NULL;
    int32_t rc = esx_conn_locate(conn, loc_out, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    *obj_out = vi_collector_retrieve_one(conn->vi, &(*loc_out)->host, paths, &gerr);
    if (*obj_out == NULL)
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}

/* The host's network configuration (owned ObjectContent). */
static int32_t
host_network(hvd_conn *conn, vi_value **obj_out, const esx_location **loc_out, hvd_error *err)
{
    return esx_host_network(conn, net_paths, obj_out, loc_out, err);
}

/* host_network() for a member addressed by NAME (checked not NULL). */
static int32_t
host_network_for(hvd_conn *conn, const char *op, const char *name, vi_value **obj_out, const esx_location **loc_out,
                 hvd_error *err)
{
    *obj_out = NULL;
    if (name == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: name is NULL", op);
    return host_network(conn, obj_out, loc_out, err);
}

/* MD5 over both, as a version 3 UUID. */
void
esx_switch_uuid(const char *host, const char *name, uint8_t uuid[16])
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_MD5);
    g_checksum_update(sum, (const guchar *)"hvd-esx network\n", -1);
    g_checksum_update(sum, (const guchar *)host, -1);
    g_checksum_update(sum, (const guchar *)"\n", 1);
    g_checksum_update(sum, (const guchar *)name, -1);
    gsize len = 16;
    g_checksum_get_digest(sum, uuid, &len);
    uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x30);
    uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
}

static hvd_network_info *
pack_info_at(hvd_network_info *info, char **strings, const char *name, const uint8_t uuid[16])
{
    info->struct_size = sizeof(*info);
    info->active = 1; /* a virtual switch is always in use */
    memcpy(info->uuid, uuid, 16);
    gsize n = strlen(name) + 1;
    memcpy(*strings, name, n);
    info->name = *strings;
    *strings += n;
    return info;
}

hvd_network_info *
esx_network_info_new(const char *name, const uint8_t uuid[16])
{
    hvd_network_info *info = g_malloc0(sizeof(*info) + strlen(name) + 1);
    char *strings = (char *)(info + 1);
    return pack_info_at(info, &strings, name, uuid);
}

static int32_t HVD_CALL
net_list(hvd_conn *conn, uint32_t flags, hvd_network_list **list_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network list", flags, HVD_NETWORK_LIST_ACTIVE | HVD_NETWORK_LIST_INACTIVE, list_out);
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network(conn, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.vswitch");
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    /* every switch is active: only an inactive-only list is empty */
    gboolean want = flags == 0 || (flags & HVD_NETWORK_LIST_ACTIVE);
    gsize strings = 0;
    for (guint i = 0; want && all != NULL && i < all->len; i++) {
        const char *name = vi_value_get_string(all->pdata[i], "name");
        if (name == NULL)
            continue;
        g_ptr_array_add(names, (gpointer)name);
        strings += strlen(name) + 1;
    }
    hvd_network_list *list = g_malloc0(sizeof(*list) + names->len * sizeof(hvd_network_info) + strings);
    hvd_network_info *infos = (hvd_network_info *)(list + 1);
    char *s = (char *)(infos + names->len);
    for (guint i = 0; i < names->len; i++) {
        uint8_t uuid[16];
        esx_switch_uuid(loc->host.value, names->pdata[i], uuid);
        pack_info_at(&infos[i], &s, names->pdata[i], uuid);
    }
    list->struct_size = sizeof(*list);
    list->count = names->len;
    list->entry_size = sizeof(hvd_network_info);
    list->entries = infos;
    *list_out = list;
    return HVD_OK;
}

const vi_value *
esx_find_switch(const vi_value *obj, const char *name)
{
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.vswitch");
    for (guint i = 0; all != NULL && i < all->len; i++)
        if (g_strcmp0(vi_value_get_string(all->pdata[i], "name"), name) == 0)
            return all->pdata[i];
    return NULL;
}

static int32_t
no_network(hvd_error *err, const char *name)
{
    return esx_fail(err, HVD_ERR_NO_NETWORK, NULL, "no network (virtual switch) named '%s' on the host", name);
}

static int32_t HVD_CALL
net_lookup_by_name(hvd_conn *conn, const char *name, uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network lookup_by_name", flags, 0, info_out);
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network_for(conn, "network lookup_by_name", name, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    if (esx_find_switch(obj, name) == NULL)
        return no_network(err, name);
    uint8_t uuid[16];
    esx_switch_uuid(loc->host.value, name, uuid);
    *info_out = esx_network_info_new(name, uuid);
    return HVD_OK;
}

static int32_t HVD_CALL
net_lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network lookup_by_uuid", flags, 0, info_out);
    if (uuid == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "network lookup_by_uuid: uuid is NULL");
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network(conn, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.vswitch");
    for (guint i = 0; all != NULL && i < all->len; i++) {
        const char *name = vi_value_get_string(all->pdata[i], "name");
        uint8_t u[16];
        if (name == NULL)
            continue;
        esx_switch_uuid(loc->host.value, name, u);
        if (memcmp(u, uuid, 16) == 0) {
            *info_out = esx_network_info_new(name, u);
            return HVD_OK;
        }
    }
    return esx_fail(err, HVD_ERR_NO_NETWORK, NULL, "no network with that UUID on the host");
}

/* The device name of the physical NIC with KEY, or NULL. */
static const char *
pnic_device(const vi_value *obj, const char *key)
{
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.pnic");
    for (guint i = 0; all != NULL && i < all->len; i++)
        if (g_strcmp0(vi_value_get_string(all->pdata[i], "key"), key) == 0)
            return vi_value_get_string(all->pdata[i], "device");
    return NULL;
}

static int32_t HVD_CALL
net_get_xml(hvd_conn *conn, const char *name, uint32_t flags, char **xml_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network get_xml", flags, 0, xml_out);
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network_for(conn, "network get_xml", name, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    const vi_value *sw = esx_find_switch(obj, name);
    if (sw == NULL)
        return no_network(err, name);
    uint8_t u[16];
    esx_switch_uuid(loc->host.value, name, u);
    g_autoptr(GString) x = g_string_new("<network>\n");
    g_autofree char *ename = g_markup_escape_text(name, -1);
    g_string_append_printf(x, "  <name>%s</name>\n", ename);
    g_string_append_printf(x, "  <uuid>%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x</uuid>\n",
                           u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                           u[14], u[15]);
    g_string_append(x, "  <forward mode='bridge'");
    g_autoptr(GPtrArray) pnics = vi_value_lookup_all(sw, "pnic");
    if (pnics->len == 0) {
        g_string_append(x, "/>\n");
    } else {
        g_string_append(x, ">\n");
        for (guint i = 0; i < pnics->len; i++) {
            const char *key = vi_value_get_string(pnics->pdata[i], NULL);
            const char *dev = key ? pnic_device(obj, key) : NULL;
            if (dev == NULL)
                continue;
            g_autofree char *edev = g_markup_escape_text(dev, -1);
            g_string_append_printf(x, "    <interface dev='%s'/>\n", edev);
        }
        g_string_append(x, "  </forward>\n");
    }
    gint64 mtu = 0;
    if (vi_value_get_int64(sw, "mtu", &mtu) && mtu > 0 && mtu != 1500) /* 1500: ESX's default */
        g_string_append_printf(x, "  <mtu size='%" G_GINT64_FORMAT "'/>\n", mtu);
    const char *key = vi_value_get_string(sw, "key");
    g_autoptr(GPtrArray) pgs = vi_object_get_all(obj, "config.network.portgroup");
    for (guint i = 0; pgs != NULL && i < pgs->len; i++) {
        if (key == NULL || g_strcmp0(vi_value_get_string(pgs->pdata[i], "vswitch"), key) != 0)
            continue;
        const char *pg = vi_value_get_string(pgs->pdata[i], "spec.name");
        if (pg == NULL)
            continue;
        g_autofree char *epg = g_markup_escape_text(pg, -1);
        gint64 vlan = 0;
        vi_value_get_int64(pgs->pdata[i], "spec.vlanId", &vlan);
        if (vlan == 0) {
            g_string_append_printf(x, "  <portgroup name='%s'/>\n", epg);
        } else {
            g_string_append_printf(x,
                                   "  <portgroup name='%s'>\n    <vlan>\n      <tag id='%" G_GINT64_FORMAT
                                   "'/>\n    </vlan>\n  </portgroup>\n",
                                   epg, vlan);
        }
    }
    g_string_append(x, "</network>\n");
    *xml_out = g_string_free(g_steal_pointer(&x), FALSE);
    return HVD_OK;
}

/* ---- host interfaces ---------------------------------------------------- */

static gboolean
pnic_up(const vi_value *pnic)
{
    gint64 speed = 0;
    return vi_value_get_int64(pnic, "linkSpeed.speedMb", &speed) && speed > 0;
}

static int32_t HVD_CALL
iface_list(hvd_conn *conn, uint32_t flags, hvd_iface_list **list_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network iface_list", flags, HVD_IFACE_LIST_ACTIVE | HVD_IFACE_LIST_INACTIVE, list_out);
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network(conn, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.pnic");
    g_autoptr(GPtrArray) keep = g_ptr_array_new();
    gsize strings = 0;
    for (guint i = 0; all != NULL && i < all->len; i++) {
        const char *dev = vi_value_get_string(all->pdata[i], "device");
        gboolean up = pnic_up(all->pdata[i]);
        if (dev == NULL || (flags == HVD_IFACE_LIST_ACTIVE && !up) || (flags == HVD_IFACE_LIST_INACTIVE && up))
            continue;
        const char *mac = vi_value_get_string(all->pdata[i], "mac");
        g_ptr_array_add(keep, all->pdata[i]);
        strings += strlen(dev) + 1 + strlen(mac ? mac : "") + 1;
    }
    hvd_iface_list *list = g_malloc0(sizeof(*list) + keep->len * sizeof(hvd_iface_info) + strings);
    hvd_iface_info *infos = (hvd_iface_info *)(list + 1);
    char *s = (char *)(infos + keep->len);
    for (guint i = 0; i < keep->len; i++) {
        const char *dev = vi_value_get_string(keep->pdata[i], "device");
        const char *mac = vi_value_get_string(keep->pdata[i], "mac");
        infos[i].struct_size = sizeof(hvd_iface_info);
        infos[i].active = pnic_up(keep->pdata[i]);
        infos[i].name = s;
        s = g_stpcpy(s, dev) + 1;
        infos[i].mac = s;
        s = g_stpcpy(s, mac ? mac : "") + 1;
    }
    list->struct_size = sizeof(*list);
    list->count = keep->len;
    list->entry_size = sizeof(hvd_iface_info);
    list->entries = infos;
    *list_out = list;
    return HVD_OK;
}

static int32_t HVD_CALL
iface_get_xml(hvd_conn *conn, const char *name, uint32_t flags, char **xml_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "network iface_get_xml", flags, 0, xml_out);
    g_autoptr(vi_value) obj = NULL;
    const esx_location *loc = NULL;
    int32_t rc = host_network_for(conn, "network iface_get_xml", name, &obj, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GPtrArray) all = vi_object_get_all(obj, "config.network.pnic");
    for (guint i = 0; all != NULL && i < all->len; i++) {
        const vi_value *p = all->pdata[i];
        if (g_strcmp0(vi_value_get_string(p, "device"), name) != 0)
            continue;
        g_autofree char *ename = g_markup_escape_text(name, -1);
        const char *mac = vi_value_get_string(p, "mac");
        g_autofree char *emac = g_markup_escape_text(mac ? mac : "", -1);
        gint64 speed = 0;
        gboolean up = vi_value_get_int64(p, "linkSpeed.speedMb", &speed) && speed > 0;
        g_autoptr(GString) x = g_string_new(NULL);
        g_string_append_printf(x, "<interface type='ethernet' name='%s'>\n  <start mode='onboot'/>\n", ename);
        if (mac != NULL)
            g_string_append_printf(x, "  <mac address='%s'/>\n", emac);
        if (up)
            g_string_append_printf(x, "  <link speed='%" G_GINT64_FORMAT "' state='up'/>\n", speed);
        else
            g_string_append(x, "  <link state='down'/>\n");
        g_string_append(x, "</interface>\n");
        *xml_out = g_string_free(g_steal_pointer(&x), FALSE);
        return HVD_OK;
    }
    return esx_fail(err, HVD_ERR_NO_INTERFACE, NULL, "no physical interface named '%s' on the host", name);
}

const hvd_network_table esx_network_table = {
    .struct_size = sizeof(hvd_network_table),
    .list = net_list,
    .lookup_by_name = net_lookup_by_name,
    .lookup_by_uuid = net_lookup_by_uuid,
    .get_xml = net_get_xml,
    .define_xml = esx_net_define_xml,
    .undefine = esx_net_undefine,
    .iface_list = iface_list,
    .iface_get_xml = iface_get_xml,
};
