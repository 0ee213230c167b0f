/* members.c — every operation of the HVD 1.0 tables (members.h) and the
 * probes that call each one: with a NULL connection, an unknown flag, a NULL
 * or poisoned output, each documented flag, and objects that do not exist
 * (a domain, UUID, names, paths and XML no server has), so that even a
 * driver that ignored its flags would only fail a lookup.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "members-call.h"

#include <string.h>

const uint8_t conf_no_uuid[16] = { 0xde, 0xad, 0xbe, 0xef, 0x68, 0x76, 0x4d, 0x63,
                                   0x8f, 0x6e, 0x6f, 0x2d, 0x73, 0x75, 0x63, 0x68 };

static int64_t HVD_CALL
empty_source(void *user_data, uint8_t *buf, uint64_t capacity)
{
    (void)user_data, (void)buf, (void)capacity;
    return 0;
}

static int32_t HVD_CALL
discard_sink(void *user_data, const uint8_t *buf, uint64_t len)
{
    (void)user_data, (void)buf, (void)len;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Thunks: one line per member, in the shape of its output                   */
/* ------------------------------------------------------------------------ */

CALL_PTR(connect_get_uri, hvd_connect_table, get_uri, char, CONN, FLAGS, OUTP, ERR)
CALL_PTR(connect_get_hostname, hvd_connect_table, get_hostname, char, CONN, FLAGS, OUTP, ERR)
CALL_PTR(connect_get_version, hvd_connect_table, get_version, hvd_version, CONN, FLAGS, OUTP, ERR)
CALL_INTO(connect_get_node_info, hvd_connect_table, get_node_info, hvd_node_info, CONN, FLAGS, INTO, ERR)
CALL_PTR(connect_get_capabilities, hvd_connect_table, get_capabilities, char, CONN, FLAGS, OUTP, ERR)
CALL_NUM(connect_get_free_memory, hvd_connect_table, get_free_memory, uint64_t, CONN, FLAGS, OUTN, ERR)
CALL_NUM(connect_is_alive, hvd_connect_table, is_alive, int32_t, CONN, FLAGS, OUTN, ERR)
CALL_NUM(connect_is_secure, hvd_connect_table, is_secure, int32_t, CONN, FLAGS, OUTN, ERR)
CALL_NUM(connect_get_max_vcpus, hvd_connect_table, get_max_vcpus, uint32_t, CONN, FLAGS, OUTN, ERR)
CALL_PTR(domain_list_all, hvd_domain_table, list_all, hvd_domain_list, CONN, FLAGS, OUTP, ERR)
CALL_PTR(domain_lookup_by_name, hvd_domain_table, lookup_by_name, hvd_domain_info, CONN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(domain_lookup_by_uuid, hvd_domain_table, lookup_by_uuid, hvd_domain_info, CONN, UUID, FLAGS, OUTP, ERR)
CALL_PTR(domain_lookup_by_id, hvd_domain_table, lookup_by_id, hvd_domain_info, CONN, ID, FLAGS, OUTP, ERR)
CALL_PTR(domain_get_info, hvd_domain_table, get_info, hvd_domain_info, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_NUM2(domain_get_state, hvd_domain_table, get_state, int32_t, int32_t, CONN, DOMAIN, FLAGS, OUTN, OUTN2, ERR)
CALL_PTR(domain_get_xml, hvd_domain_table, get_xml, char, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_PTR(domain_define_xml, hvd_domain_table, define_xml, hvd_domain_info, CONN, XML, FLAGS, OPTP, ERR)
CALL_NONE(domain_undefine, hvd_domain_table, undefine, CONN, DOMAIN, FLAGS, ERR)
CALL_NONE(domain_start, hvd_domain_table, start, CONN, DOMAIN, FLAGS, NULL, ERR)
CALL_NONE(domain_destroy, hvd_domain_table, destroy, CONN, DOMAIN, FLAGS, NULL, ERR)
CALL_NONE(domain_shutdown, hvd_domain_table, shutdown, CONN, DOMAIN, FLAGS, ERR)
CALL_NONE(domain_reboot, hvd_domain_table, reboot, CONN, DOMAIN, FLAGS, ERR)
CALL_NONE(domain_suspend, hvd_domain_table, suspend, CONN, DOMAIN, FLAGS, NULL, ERR)
CALL_NONE(domain_resume, hvd_domain_table, resume, CONN, DOMAIN, FLAGS, NULL, ERR)
CALL_NONE(domain_set_memory, hvd_domain_table, set_memory, CONN, DOMAIN, 4096 * 1024, FLAGS, NULL, ERR)
CALL_NONE(domain_set_max_memory, hvd_domain_table, set_max_memory, CONN, DOMAIN, 4096 * 1024, FLAGS, NULL, ERR)
CALL_NONE(domain_set_vcpus, hvd_domain_table, set_vcpus, CONN, DOMAIN, 1, FLAGS, NULL, ERR)
CALL_NUM(domain_get_autostart, hvd_domain_table, get_autostart, int32_t, CONN, DOMAIN, FLAGS, OUTN, ERR)
CALL_NONE(domain_set_autostart, hvd_domain_table, set_autostart, CONN, DOMAIN, 0, FLAGS, ERR)
CALL_PTR(domain_get_guest_hostname, hvd_domain_table, get_guest_hostname, char, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_PTR(domain_get_guest_addresses, hvd_domain_table, get_guest_addresses, hvd_guest_address_list, CONN, DOMAIN, FLAGS,
         OUTP, ERR)
CALL_PTR(snapshot_create_xml, hvd_snapshot_table, create_xml, hvd_snapshot_info, CONN, DOMAIN, XML, FLAGS, NULL, OPTP,
         ERR)
CALL_PTR(snapshot_list, hvd_snapshot_table, list, hvd_snapshot_list, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_PTR(snapshot_lookup, hvd_snapshot_table, lookup, hvd_snapshot_info, CONN, DOMAIN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(snapshot_current, hvd_snapshot_table, current, hvd_snapshot_info, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_PTR(snapshot_parent, hvd_snapshot_table, parent, hvd_snapshot_info, CONN, DOMAIN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(snapshot_children, hvd_snapshot_table, children, hvd_snapshot_list, CONN, DOMAIN, NAME, FLAGS, OUTP, ERR)
CALL_NONE(snapshot_revert, hvd_snapshot_table, revert, CONN, DOMAIN, NAME, FLAGS, NULL, ERR)
CALL_NONE(snapshot_remove, hvd_snapshot_table, remove, CONN, DOMAIN, NAME, FLAGS, NULL, ERR)
CALL_PTR(snapshot_get_xml, hvd_snapshot_table, get_xml, char, CONN, DOMAIN, NAME, FLAGS, OUTP, ERR)
CALL_PTR_NUM(sched_get_type, hvd_sched_table, get_type, char, uint32_t, CONN, DOMAIN, FLAGS, OUTP, OUTN2, ERR)
CALL_PTR(sched_get_params, hvd_sched_table, get_params, hvd_param_list, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_NONE(sched_set_params, hvd_sched_table, set_params, CONN, DOMAIN, NULL, 0, FLAGS, ERR)
CALL_PTR(storage_pool_list, hvd_storage_table, pool_list, hvd_pool_list, CONN, FLAGS, OUTP, ERR)
CALL_PTR(storage_pool_lookup_by_name, hvd_storage_table, pool_lookup_by_name, hvd_pool_info, CONN, NAME, FLAGS, OUTP,
         ERR)
CALL_PTR(storage_pool_lookup_by_uuid, hvd_storage_table, pool_lookup_by_uuid, hvd_pool_info, CONN, UUID, FLAGS, OUTP,
         ERR)
CALL_PTR(storage_pool_get_xml, hvd_storage_table, pool_get_xml, char, CONN, NAME, FLAGS, OUTP, ERR)
CALL_NONE(storage_pool_refresh, hvd_storage_table, pool_refresh, CONN, NAME, FLAGS, ERR)
CALL_PTR(storage_vol_list, hvd_storage_table, vol_list, hvd_volume_list, CONN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(storage_vol_lookup_by_name, hvd_storage_table, vol_lookup_by_name, hvd_volume_info, CONN, NAME, NAME, FLAGS,
         OUTP, ERR)
CALL_PTR(storage_vol_lookup_by_path, hvd_storage_table, vol_lookup_by_path, hvd_volume_info, CONN, PATH, FLAGS, OUTP,
         ERR)
CALL_PTR(storage_vol_lookup_by_key, hvd_storage_table, vol_lookup_by_key, hvd_volume_info, CONN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(storage_vol_get_xml, hvd_storage_table, vol_get_xml, char, CONN, PATH, FLAGS, OUTP, ERR)
CALL_PTR(storage_vol_create_xml, hvd_storage_table, vol_create_xml, hvd_volume_info, CONN, NAME, XML, FLAGS, NULL, OPTP,
         ERR)
CALL_PTR(storage_vol_create_xml_from, hvd_storage_table, vol_create_xml_from, hvd_volume_info, CONN, NAME, XML, PATH,
         FLAGS, NULL, OPTP, ERR)
CALL_NONE(storage_vol_delete, hvd_storage_table, vol_delete, CONN, PATH, FLAGS, NULL, ERR)
CALL_NONE(storage_vol_wipe, hvd_storage_table, vol_wipe, CONN, PATH, FLAGS, NULL, ERR)
CALL_NONE(storage_vol_upload, hvd_storage_table, vol_upload, CONN, PATH, 0, 1, empty_source, NULL, FLAGS, NULL, ERR)
CALL_NONE(storage_vol_download, hvd_storage_table, vol_download, CONN, PATH, 0, 1, discard_sink, NULL, FLAGS, NULL, ERR)
CALL_PTR(network_list, hvd_network_table, list, hvd_network_list, CONN, FLAGS, OUTP, ERR)
CALL_PTR(network_lookup_by_name, hvd_network_table, lookup_by_name, hvd_network_info, CONN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(network_lookup_by_uuid, hvd_network_table, lookup_by_uuid, hvd_network_info, CONN, UUID, FLAGS, OUTP, ERR)
CALL_PTR(network_get_xml, hvd_network_table, get_xml, char, CONN, NAME, FLAGS, OUTP, ERR)
CALL_PTR(network_define_xml, hvd_network_table, define_xml, hvd_network_info, CONN, XML, FLAGS, OPTP, ERR)
CALL_NONE(network_undefine, hvd_network_table, undefine, CONN, NAME, FLAGS, ERR)
CALL_PTR(network_iface_list, hvd_network_table, iface_list, hvd_iface_list, CONN, FLAGS, OUTP, ERR)
CALL_PTR(network_iface_get_xml, hvd_network_table, iface_get_xml, char, CONN, NAME, FLAGS, OUTP, ERR)
CALL_NONE(migrate_check, hvd_migrate_table, check, CONN, DOMAIN, NULL, 0, FLAGS, ERR)
CALL_NONE(migrate_perform, hvd_migrate_table, perform, CONN, DOMAIN, NULL, 0, FLAGS, NULL, ERR)
CALL_NONE(migrate_cancel, hvd_migrate_table, cancel, CONN, DOMAIN, FLAGS, ERR)
CALL_INTO(migrate_get_progress, hvd_migrate_table, get_progress, hvd_job_info, CONN, DOMAIN, FLAGS, INTO, ERR)
CALL_PTR(native_to_xml, hvd_native_table, to_xml, char, CONN, FORMAT, "x", NULL, 0, FLAGS, OUTP, ERR)
CALL_PTR(native_from_xml, hvd_native_table, from_xml, char, CONN, FORMAT, "x", NULL, 0, FLAGS, OUTP, ERR)

/* ------------------------------------------------------------------------ */
/* The members                                                               */
/* ------------------------------------------------------------------------ */

/* { table, name, offset, has_out, offline, documented flags, statuses for
 *   objects that do not exist, thunk }. Connect members name no object: OK,
 *   or HVD_ERR_SERVER from a server that does not report what they ask
 *   (the simulator has no maxSupportedVcpus). */
const conf_member conf_members[] = {
    { 0,
      "connect.get_uri",
      offsetof(hvd_connect_table, get_uri),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_uri },
    { 0,
      "connect.get_hostname",
      offsetof(hvd_connect_table, get_hostname),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_hostname },
    { 0,
      "connect.get_version",
      offsetof(hvd_connect_table, get_version),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_version },
    { 0,
      "connect.get_node_info",
      offsetof(hvd_connect_table, get_node_info),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_node_info },
    { 0,
      "connect.get_capabilities",
      offsetof(hvd_connect_table, get_capabilities),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_capabilities },
    { 0,
      "connect.get_free_memory",
      offsetof(hvd_connect_table, get_free_memory),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_free_memory },
    { 0,
      "connect.is_alive",
      offsetof(hvd_connect_table, is_alive),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_is_alive },
    { 0,
      "connect.is_secure",
      offsetof(hvd_connect_table, is_secure),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_is_secure },
    { 0,
      "connect.get_max_vcpus",
      offsetof(hvd_connect_table, get_max_vcpus),
      1,
      0,
      0,
      { HVD_OK, HVD_ERR_SERVER, CONF_END },
      call_connect_get_max_vcpus },
    { 1,
      "domain.list_all",
      offsetof(hvd_domain_table, list_all),
      1,
      0,
      HVD_LIST_ACTIVE | HVD_LIST_INACTIVE | CONF_LIST_BRIEF,
      { HVD_OK, CONF_END },
      call_domain_list_all },
    { 1,
      "domain.lookup_by_name",
      offsetof(hvd_domain_table, lookup_by_name),
      1,
      0,
      CONF_LIST_BRIEF,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_lookup_by_name },
    { 1,
      "domain.lookup_by_uuid",
      offsetof(hvd_domain_table, lookup_by_uuid),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_lookup_by_uuid },
    { 1,
      "domain.lookup_by_id",
      offsetof(hvd_domain_table, lookup_by_id),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_lookup_by_id },
    { 1,
      "domain.get_info",
      offsetof(hvd_domain_table, get_info),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_info },
    { 1,
      "domain.get_state",
      offsetof(hvd_domain_table, get_state),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_state },
    { 1,
      "domain.get_xml",
      offsetof(hvd_domain_table, get_xml),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_xml },
    { 1,
      "domain.define_xml",
      offsetof(hvd_domain_table, define_xml),
      0,
      0,
      0,
      { HVD_ERR_XML, CONF_END },
      call_domain_define_xml },
    { 1,
      "domain.undefine",
      offsetof(hvd_domain_table, undefine),
      0,
      0,
      HVD_UNDEFINE_SNAPSHOTS,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_undefine },
    { 1,
      "domain.start",
      offsetof(hvd_domain_table, start),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_start },
    { 1,
      "domain.destroy",
      offsetof(hvd_domain_table, destroy),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_destroy },
    { 1,
      "domain.shutdown",
      offsetof(hvd_domain_table, shutdown),
      0,
      0,
      HVD_SHUTDOWN_GUEST_AGENT,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_shutdown },
    { 1,
      "domain.reboot",
      offsetof(hvd_domain_table, reboot),
      0,
      0,
      HVD_SHUTDOWN_GUEST_AGENT,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_reboot },
    { 1,
      "domain.suspend",
      offsetof(hvd_domain_table, suspend),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_suspend },
    { 1,
      "domain.resume",
      offsetof(hvd_domain_table, resume),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_resume },
    { 1,
      "domain.set_memory",
      offsetof(hvd_domain_table, set_memory),
      0,
      0,
      HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_set_memory },
    { 1,
      "domain.set_max_memory",
      offsetof(hvd_domain_table, set_max_memory),
      0,
      0,
      HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_set_max_memory },
    { 1,
      "domain.set_vcpus",
      offsetof(hvd_domain_table, set_vcpus),
      0,
      0,
      HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_set_vcpus },
    { 1,
      "domain.get_autostart",
      offsetof(hvd_domain_table, get_autostart),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_autostart },
    { 1,
      "domain.set_autostart",
      offsetof(hvd_domain_table, set_autostart),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_set_autostart },
    { 1,
      "domain.get_guest_hostname",
      offsetof(hvd_domain_table, get_guest_hostname),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_guest_hostname },
    { 1,
      "domain.get_guest_addresses",
      offsetof(hvd_domain_table, get_guest_addresses),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_domain_get_guest_addresses },
    { 2,
      "snapshot.create_xml",
      offsetof(hvd_snapshot_table, create_xml),
      0,
      0,
      HVD_SNAPSHOT_CREATE_QUIESCE,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_XML, CONF_END },
      call_snapshot_create_xml },
    { 2,
      "snapshot.list",
      offsetof(hvd_snapshot_table, list),
      1,
      0,
      HVD_SNAPSHOT_LIST_ROOTS | HVD_SNAPSHOT_LIST_LEAVES | HVD_SNAPSHOT_LIST_NO_LEAVES,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_list },
    { 2,
      "snapshot.lookup",
      offsetof(hvd_snapshot_table, lookup),
      1,
      0,
      HVD_SNAPSHOT_BY_KEY,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_lookup },
    { 2,
      "snapshot.current",
      offsetof(hvd_snapshot_table, current),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_current },
    { 2,
      "snapshot.parent",
      offsetof(hvd_snapshot_table, parent),
      1,
      0,
      HVD_SNAPSHOT_BY_KEY,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_parent },
    { 2,
      "snapshot.children",
      offsetof(hvd_snapshot_table, children),
      1,
      0,
      HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_LIST_DESCENDANTS | HVD_SNAPSHOT_LIST_LEAVES | HVD_SNAPSHOT_LIST_NO_LEAVES,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_children },
    { 2,
      "snapshot.revert",
      offsetof(hvd_snapshot_table, revert),
      0,
      0,
      HVD_SNAPSHOT_BY_KEY,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_revert },
    { 2,
      "snapshot.remove",
      offsetof(hvd_snapshot_table, remove),
      0,
      0,
      HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_DELETE_CHILDREN | HVD_SNAPSHOT_DELETE_CHILDREN_ONLY,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_remove },
    { 2,
      "snapshot.get_xml",
      offsetof(hvd_snapshot_table, get_xml),
      1,
      0,
      HVD_SNAPSHOT_BY_KEY,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_snapshot_get_xml },
    { 3,
      "sched.get_type",
      offsetof(hvd_sched_table, get_type),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_sched_get_type },
    { 3,
      "sched.get_params",
      offsetof(hvd_sched_table, get_params),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_sched_get_params },
    { 3,
      "sched.set_params",
      offsetof(hvd_sched_table, set_params),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_INVALID_ARG, CONF_END },
      call_sched_set_params },
    { 4,
      "storage.pool_list",
      offsetof(hvd_storage_table, pool_list),
      1,
      0,
      HVD_POOL_LIST_ACTIVE | HVD_POOL_LIST_INACTIVE,
      { HVD_OK, CONF_END },
      call_storage_pool_list },
    { 4,
      "storage.pool_lookup_by_name",
      offsetof(hvd_storage_table, pool_lookup_by_name),
      1,
      0,
      0,
      { HVD_ERR_NO_POOL, CONF_END },
      call_storage_pool_lookup_by_name },
    { 4,
      "storage.pool_lookup_by_uuid",
      offsetof(hvd_storage_table, pool_lookup_by_uuid),
      1,
      0,
      0,
      { HVD_ERR_NO_POOL, CONF_END },
      call_storage_pool_lookup_by_uuid },
    { 4,
      "storage.pool_get_xml",
      offsetof(hvd_storage_table, pool_get_xml),
      1,
      0,
      0,
      { HVD_ERR_NO_POOL, CONF_END },
      call_storage_pool_get_xml },
    { 4,
      "storage.pool_refresh",
      offsetof(hvd_storage_table, pool_refresh),
      0,
      0,
      0,
      { HVD_ERR_NO_POOL, CONF_END },
      call_storage_pool_refresh },
    { 4,
      "storage.vol_list",
      offsetof(hvd_storage_table, vol_list),
      1,
      0,
      HVD_VOL_LIST_KEYS,
      { HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_list },
    { 4,
      "storage.vol_lookup_by_name",
      offsetof(hvd_storage_table, vol_lookup_by_name),
      1,
      0,
      0,
      { HVD_ERR_NO_POOL, HVD_ERR_NO_VOLUME, CONF_END },
      call_storage_vol_lookup_by_name },
    { 4,
      "storage.vol_lookup_by_path",
      offsetof(hvd_storage_table, vol_lookup_by_path),
      1,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_lookup_by_path },
    { 4,
      "storage.vol_lookup_by_key",
      offsetof(hvd_storage_table, vol_lookup_by_key),
      1,
      0,
      0,
      { HVD_ERR_NO_VOLUME, CONF_END },
      call_storage_vol_lookup_by_key },
    { 4,
      "storage.vol_get_xml",
      offsetof(hvd_storage_table, vol_get_xml),
      1,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_get_xml },
    { 4,
      "storage.vol_create_xml",
      offsetof(hvd_storage_table, vol_create_xml),
      0,
      0,
      0,
      { HVD_ERR_NO_POOL, HVD_ERR_XML, CONF_END },
      call_storage_vol_create_xml },
    { 4,
      "storage.vol_create_xml_from",
      offsetof(hvd_storage_table, vol_create_xml_from),
      0,
      0,
      0,
      { HVD_ERR_NO_POOL, HVD_ERR_XML, HVD_ERR_NO_VOLUME, CONF_END },
      call_storage_vol_create_xml_from },
    { 4,
      "storage.vol_delete",
      offsetof(hvd_storage_table, vol_delete),
      0,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_delete },
    { 4,
      "storage.vol_wipe",
      offsetof(hvd_storage_table, vol_wipe),
      0,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_wipe },
    { 4,
      "storage.vol_upload",
      offsetof(hvd_storage_table, vol_upload),
      0,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_upload },
    { 4,
      "storage.vol_download",
      offsetof(hvd_storage_table, vol_download),
      0,
      0,
      0,
      { HVD_ERR_NO_VOLUME, HVD_ERR_NO_POOL, CONF_END },
      call_storage_vol_download },
    { 5,
      "network.list",
      offsetof(hvd_network_table, list),
      1,
      0,
      HVD_NETWORK_LIST_ACTIVE | HVD_NETWORK_LIST_INACTIVE,
      { HVD_OK, CONF_END },
      call_network_list },
    { 5,
      "network.lookup_by_name",
      offsetof(hvd_network_table, lookup_by_name),
      1,
      0,
      0,
      { HVD_ERR_NO_NETWORK, CONF_END },
      call_network_lookup_by_name },
    { 5,
      "network.lookup_by_uuid",
      offsetof(hvd_network_table, lookup_by_uuid),
      1,
      0,
      0,
      { HVD_ERR_NO_NETWORK, CONF_END },
      call_network_lookup_by_uuid },
    { 5,
      "network.get_xml",
      offsetof(hvd_network_table, get_xml),
      1,
      0,
      0,
      { HVD_ERR_NO_NETWORK, CONF_END },
      call_network_get_xml },
    { 5,
      "network.define_xml",
      offsetof(hvd_network_table, define_xml),
      0,
      0,
      0,
      { HVD_ERR_XML, CONF_END },
      call_network_define_xml },
    { 5,
      "network.undefine",
      offsetof(hvd_network_table, undefine),
      0,
      0,
      0,
      { HVD_ERR_NO_NETWORK, CONF_END },
      call_network_undefine },
    { 5,
      "network.iface_list",
      offsetof(hvd_network_table, iface_list),
      1,
      0,
      HVD_IFACE_LIST_ACTIVE | HVD_IFACE_LIST_INACTIVE,
      { HVD_OK, CONF_END },
      call_network_iface_list },
    { 5,
      "network.iface_get_xml",
      offsetof(hvd_network_table, iface_get_xml),
      1,
      0,
      0,
      { HVD_ERR_NO_INTERFACE, CONF_END },
      call_network_iface_get_xml },
    { 6,
      "migrate.check",
      offsetof(hvd_migrate_table, check),
      0,
      0,
      HVD_MIGRATE_LIVE,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_NO_SUPPORT, HVD_ERR_INVALID_ARG, CONF_END },
      call_migrate_check },
    { 6,
      "migrate.perform",
      offsetof(hvd_migrate_table, perform),
      0,
      0,
      HVD_MIGRATE_LIVE,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_NO_SUPPORT, HVD_ERR_INVALID_ARG, CONF_END },
      call_migrate_perform },
    { 6,
      "migrate.cancel",
      offsetof(hvd_migrate_table, cancel),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_NO_SUPPORT, HVD_ERR_OPERATION_INVALID, CONF_END },
      call_migrate_cancel },
    { 6,
      "migrate.get_progress",
      offsetof(hvd_migrate_table, get_progress),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_NO_SUPPORT, CONF_END },
      call_migrate_get_progress },
    { 7,
      "native.to_xml",
      offsetof(hvd_native_table, to_xml),
      1,
      1,
      0,
      { HVD_ERR_NO_SUPPORT, CONF_END },
      call_native_to_xml },
    { 7,
      "native.from_xml",
      offsetof(hvd_native_table, from_xml),
      1,
      1,
      0,
      { HVD_ERR_NO_SUPPORT, CONF_END },
      call_native_from_xml },
};
const size_t conf_nmembers = sizeof(conf_members) / sizeof(conf_members[0]);

size_t
conf_member_count(void)
{
    return conf_nmembers + conf_nmembers_1_1;
}

const conf_member *
conf_member_get(size_t i)
{
    return i < conf_nmembers ? &conf_members[i] : &conf_members_1_1[i - conf_nmembers];
}

/* ------------------------------------------------------------------------ */
/* Tables and their sizes                                                    */
/* ------------------------------------------------------------------------ */

const char *const conf_table_names[8] = {
    "connect", "domain", "snapshot", "sched", "storage", "network", "migrate", "native",
};
const uint64_t conf_table_caps[8] = {
    HVD_CAP_CONNECT, HVD_CAP_DOMAIN,  HVD_CAP_SNAPSHOT, HVD_CAP_SCHED,
    HVD_CAP_STORAGE, HVD_CAP_NETWORK, HVD_CAP_MIGRATE,  HVD_CAP_NATIVE,
};

const void *
conf_table(const hvd_driver *d, int i)
{
    switch (i) {
    case 0: return d->connect;
    case 1: return d->domain;
    case 2: return d->snapshot;
    case 3: return d->sched;
    case 4: return d->storage;
    case 5: return d->network;
    case 6: return d->migrate;
    case 7: return d->native;
    default: return NULL;
    }
}

const void *
conf_member_at(const void *table, size_t offset)
{
    uint32_t size;
    memcpy(&size, table, sizeof(size));
    if (offset + sizeof(void (*)(void)) > size)
        return NULL;
    void (*fn)(void);
    memcpy(&fn, (const char *)table + offset, sizeof(fn));
    const void *p;
    memcpy(&p, &fn, sizeof(p));
    return p;
}

const void *
conf_member_fn(const hvd_driver *d, const conf_member *m)
{
    const void *t = conf_table(d, m->table);
    return t == NULL ? NULL : conf_member_at(t, m->offset);
}

/* Size at `minor` (from the golden list; this header's own sizeof for its
 * own minor), this header's size and alignment, of table i (-1: hvd_driver). */
#define TABLE_SIZES(T)                                                                   \
    do {                                                                                 \
        *at = minor == HVD_ABI_MINOR ? (uint32_t)sizeof(T) : HVD_SIZEOF_##T##_AT(minor); \
        *own = sizeof(T);                                                                \
        *align = _Alignof(T);                                                            \
    } while (0)

static void
table_sizes(int i, uint32_t minor, uint32_t *at, size_t *own, size_t *align)
{
    switch (i) {
    case -1: TABLE_SIZES(hvd_driver); break;
    case 0: TABLE_SIZES(hvd_connect_table); break;
    case 1: TABLE_SIZES(hvd_domain_table); break;
    case 2: TABLE_SIZES(hvd_snapshot_table); break;
    case 3: TABLE_SIZES(hvd_sched_table); break;
    case 4: TABLE_SIZES(hvd_storage_table); break;
    case 5: TABLE_SIZES(hvd_network_table); break;
    case 6: TABLE_SIZES(hvd_migrate_table); break;
    default: TABLE_SIZES(hvd_native_table); break;
    }
}

uint32_t
conf_table_own_size(int i)
{
    uint32_t at;
    size_t own, align;
    table_sizes(i, 0, &at, &own, &align);
    return (uint32_t)own;
}

int
conf_table_size_ok(int i, uint32_t size, uint32_t minor, uint32_t *want)
{
    uint32_t at;
    size_t own, align;
    table_sizes(i, minor, &at, &own, &align);
    if (minor <= HVD_ABI_MINOR) {
        *want = at;
        return size == at;
    }
    *want = 0;
    return size >= own && size % align == 0;
}

/* ------------------------------------------------------------------------ */
/* Probes                                                                    */
/* ------------------------------------------------------------------------ */

int
conf_error_filled(const hvd_error *err, int32_t rc)
{
    if (HVD_HAS_MEMBER(err, hvd_error, code) && err->code != rc)
        return 0;
    if (HVD_HAS_MEMBER(err, hvd_error, fault) &&
        (memchr(err->fault, '\0', sizeof(err->fault)) == NULL || strcmp(err->fault, CONF_STALE) == 0))
        return 0;
    if (!HVD_HAS_MEMBER(err, hvd_error, message))
        return 1;
    return err->message[0] != '\0' && memchr(err->message, '\0', sizeof(err->message)) != NULL &&
           strcmp(err->message, CONF_STALE) != 0;
}

/* A fresh hvd_error of this header's size (HVD_ERROR_INIT would leave a
 * newer header's appended members out). */
static void
fresh_error(hvd_error *err)
{
    memset(err, 0, sizeof(*err));
    err->struct_size = sizeof(*err);
}

static int32_t
call_member(const hvd_driver *d, const conf_member *m, hvd_conn *conn, uint32_t flags, int mode, hvd_error *err,
            int *cleared)
{
    conf_call a = { d, conf_table(d, m->table), conn, flags, mode, err, 1 };
    int32_t rc = m->call(&a);
    *cleared = a.cleared;
    return rc;
}

static int
status_in(int32_t rc, const int32_t *list)
{
    for (; *list != CONF_END; list++) {
        if (*list == rc)
            return 1;
    }
    return 0;
}

/* One call expected to fail with `want`: counted in `t`. */
static void
expect(const hvd_driver *d, const conf_member *m, hvd_conn *conn, uint32_t flags, int mode, int32_t want,
       hvd_error *err, conf_note_fn note, conf_tally *t, const char *what)
{
    uint32_t size = err->struct_size;
    int cleared = 1;
    /* What an earlier call left (err may be reused): a failure rewrites it. */
    if (HVD_HAS_MEMBER(err, hvd_error, fault))
        strcpy(err->fault, CONF_STALE);
    if (HVD_HAS_MEMBER(err, hvd_error, message))
        strcpy(err->message, CONF_STALE);
    int32_t rc = call_member(d, m, conn, flags, mode, err, &cleared);
    t->called++;
    if (rc != want || !conf_error_filled(err, rc)) {
        t->status++;
        note("%s(%s) -> %d (want %d), error code %d, message \"%.200s\"", m->name, what, rc, want,
             HVD_HAS_MEMBER(err, hvd_error, code) ? err->code : 0,
             HVD_HAS_MEMBER(err, hvd_error, message) && memchr(err->message, 0, sizeof(err->message)) ? err->message
                                                                                                      : "");
    }
    if (!cleared) {
        t->cleared++;
        note("%s(%s) -> %d left its poisoned output set", m->name, what, rc);
    }
    if (err->struct_size != size) {
        t->struct_size++;
        note("%s(%s) wrote hvd_error.struct_size (%u -> %u)", m->name, what, size, err->struct_size);
        err->struct_size = size;
    }
}

static void
begin_call(conf_begin_fn begin, const char *id, const conf_member *m)
{
    if (begin != NULL)
        begin(id, m->name);
}

void
conf_probe_conn_null(const hvd_driver *d, hvd_error *err, conf_note_fn note, conf_begin_fn begin, conf_tally *t)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < conf_member_count(); i++) {
        const conf_member *m = conf_member_get(i);
        if (conf_member_fn(d, m) == NULL)
            continue;
        begin_call(begin, "conn.null", m);
        if (m->offline)
            expect(d, m, NULL, CONF_BAD_FLAG, CONF_OUT_POISON, HVD_ERR_BAD_FLAGS, err, note, t,
                   "conn = NULL, unknown flag");
        else
            expect(d, m, NULL, 0, CONF_OUT_POISON, HVD_ERR_INVALID_ARG, err, note, t, "conn = NULL");
    }
}

/* The flag bits 1.1 gave a 1.0 member (HVD_LIST_BRIEF: 0x4). Unless both
 * the host's header and the driver's table are 1.1 or later, such a bit is
 * checked neither way: a 1.0 driver refuses it, a 1.1 driver's 1.0 view
 * may accept it, and a 1.0 host does not know it. */
static uint32_t
flags_since_1_1(const conf_member *m)
{
    if (strcmp(m->name, "domain.list_all") == 0 || strcmp(m->name, "domain.lookup_by_name") == 0)
        return 0x4u;
    return 0;
}

void
conf_probe_live(const hvd_driver *d, hvd_conn *conn, conf_note_fn note, conf_begin_fn begin, conf_live_tally *t)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < conf_member_count(); i++) {
        const conf_member *m = conf_member_get(i);
        if (conf_member_fn(d, m) == NULL)
            continue;
        hvd_error err;
        fresh_error(&err);
        begin_call(begin, "flags.all", m);
        expect(d, m, conn, CONF_BAD_FLAG, CONF_OUT_POISON, HVD_ERR_BAD_FLAGS, &err, note, &t->bad_flag, "unknown flag");
        if (m->has_out) {
            fresh_error(&err);
            begin_call(begin, "nullout.all", m);
            expect(d, m, conn, 0, CONF_OUT_NULL, HVD_ERR_INVALID_ARG, &err, note, &t->null_out, "output = NULL");
        }
        /* Each documented bit is accepted, each other low bit refused. */
        begin_call(begin, "flags.documented", m);
        for (int bit = 0; bit <= 16; bit++) {
            uint32_t f = UINT32_C(1) << bit;
            if ((f & flags_since_1_1(m)) != 0 && (CONF_LIST_BRIEF == 0 || d->abi_minor < 1))
                continue;
            int cleared = 1;
            fresh_error(&err);
            int32_t rc = call_member(d, m, conn, f, CONF_OUT_NORMAL, &err, &cleared);
            int documented = (m->flags & f) != 0;
            t->documented.called++;
            if (documented ? rc == HVD_ERR_BAD_FLAGS : rc != HVD_ERR_BAD_FLAGS) {
                t->documented.status++;
                note("%s(flags 0x%x, %s) -> %d", m->name, f, documented ? "documented" : "not documented", rc);
            }
        }
        /* Objects that do not exist: the documented status. */
        begin_call(begin, "status.documented", m);
        int cleared = 1;
        fresh_error(&err);
        int32_t rc = call_member(d, m, conn, 0, CONF_OUT_POISON, &err, &cleared);
        t->missing.called++;
        if (!status_in(rc, m->missing) || (rc != HVD_OK && !conf_error_filled(&err, rc))) {
            t->missing.status++;
            note("%s(objects that do not exist) -> %d \"%.200s\", not a status its documentation gives", m->name, rc,
                 rc != HVD_OK ? err.message : "");
        }
        if (!cleared) {
            t->missing.cleared++;
            note("%s(objects that do not exist) -> %d left its poisoned output set", m->name, rc);
        }
    }
}
