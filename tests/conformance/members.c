/* members.c — every connection operation of the HVD 1.0 tables, with a
 * thunk that calls it with harmless arguments: a domain, UUID, names, paths and XML
 * that do not exist on any server, so that even a driver that ignored its
 * flags would only fail a lookup.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "conformance.h"

#include <string.h>

static const uint8_t no_uuid[16] = { 0xde, 0xad, 0xbe, 0xef, 0x68, 0x76, 0x4d, 0x63,
                                     0x8f, 0x6e, 0x6f, 0x2d, 0x73, 0x75, 0x63, 0x68 };
#define UUID no_uuid
/* the same UUID in text form: a `domain` argument (hvd.h "Objects") */
#define DOMAIN "deadbeef-6876-4d63-8f6e-6f2d73756368"
#define NAME "hvd-conformance-no-such-object"
#define PATH "[hvd-conformance-no-such-datastore] no-such-dir/no-such.vmdk"
#define XML "<hvd-conformance-invalid-xml"
#define ID 2147483000

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

static void
release(const conf_ctx *c, int32_t rc, void *p)
{
    if (rc == HVD_OK && p != NULL)
        c->drv->free(p);
}

static int32_t
call_connect_get_uri(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_connect_table *)table)->get_uri(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_connect_get_hostname(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_connect_table *)table)->get_hostname(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_connect_get_version(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_version *o = NULL;
    int32_t rc = ((const hvd_connect_table *)table)->get_version(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_connect_get_node_info(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_node_info v = { sizeof(v), "", 0, 0, 0, 0, 0, 0, 0 };
    (void)c;
    int32_t rc = ((const hvd_connect_table *)table)->get_node_info(conn, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_connect_get_capabilities(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_connect_table *)table)->get_capabilities(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_connect_get_free_memory(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    uint64_t v = 0;
    (void)c;
    int32_t rc = ((const hvd_connect_table *)table)->get_free_memory(conn, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_connect_is_alive(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    int32_t v = 0;
    (void)c;
    int32_t rc = ((const hvd_connect_table *)table)->is_alive(conn, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_connect_is_secure(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    int32_t v = 0;
    (void)c;
    int32_t rc = ((const hvd_connect_table *)table)->is_secure(conn, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_connect_get_max_vcpus(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    uint32_t v = 0;
    (void)c;
    int32_t rc = ((const hvd_connect_table *)table)->get_max_vcpus(conn, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_domain_list_all(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_list *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->list_all(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_lookup_by_name(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_info *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->lookup_by_name(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_lookup_by_uuid(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_info *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->lookup_by_uuid(conn, UUID, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_lookup_by_id(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_info *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->lookup_by_id(conn, ID, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_get_info(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_info *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->get_info(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_get_state(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    int32_t v = 0, reason = 0;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->get_state(conn, DOMAIN, flags, nullout ? NULL : &v, &reason, err);
    return rc;
}

static int32_t
call_domain_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->get_xml(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_define_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_domain_info *o = NULL;
    (void)nullout;
    int32_t rc = ((const hvd_domain_table *)table)->define_xml(conn, XML, flags, &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_undefine(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->undefine(conn, DOMAIN, flags, err);
    return rc;
}

static int32_t
call_domain_start(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->start(conn, DOMAIN, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_destroy(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->destroy(conn, DOMAIN, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_shutdown(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->shutdown(conn, DOMAIN, flags, err);
    return rc;
}

static int32_t
call_domain_reboot(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->reboot(conn, DOMAIN, flags, err);
    return rc;
}

static int32_t
call_domain_suspend(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->suspend(conn, DOMAIN, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_resume(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->resume(conn, DOMAIN, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_set_memory(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->set_memory(conn, DOMAIN, 4096 * 1024, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_set_max_memory(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->set_max_memory(conn, DOMAIN, 4096 * 1024, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_set_vcpus(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->set_vcpus(conn, DOMAIN, 1, flags, NULL, err);
    return rc;
}

static int32_t
call_domain_get_autostart(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    int32_t v = 0;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->get_autostart(conn, DOMAIN, flags, nullout ? NULL : &v, err);
    return rc;
}

static int32_t
call_domain_set_autostart(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_domain_table *)table)->set_autostart(conn, DOMAIN, 0, flags, err);
    return rc;
}

static int32_t
call_domain_get_guest_hostname(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->get_guest_hostname(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_domain_get_guest_addresses(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_guest_address_list *o = NULL;
    int32_t rc = ((const hvd_domain_table *)table)->get_guest_addresses(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_create_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_info *o = NULL;
    (void)nullout;
    int32_t rc = ((const hvd_snapshot_table *)table)->create_xml(conn, DOMAIN, XML, flags, NULL, &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_list(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_list *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->list(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_lookup(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_info *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->lookup(conn, DOMAIN, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_current(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_info *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->current(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_parent(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_info *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->parent(conn, DOMAIN, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_children(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_snapshot_list *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->children(conn, DOMAIN, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_snapshot_revert(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_snapshot_table *)table)->revert(conn, DOMAIN, NAME, flags, NULL, err);
    return rc;
}

static int32_t
call_snapshot_remove(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_snapshot_table *)table)->remove(conn, DOMAIN, NAME, flags, NULL, err);
    return rc;
}

static int32_t
call_snapshot_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_snapshot_table *)table)->get_xml(conn, DOMAIN, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_sched_get_type(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL; uint32_t n = 0;
    int32_t rc = ((const hvd_sched_table *)table)->get_type(conn, DOMAIN, flags, nullout ? NULL : &o, &n, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_sched_get_params(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_param_list *o = NULL;
    int32_t rc = ((const hvd_sched_table *)table)->get_params(conn, DOMAIN, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_sched_set_params(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_sched_table *)table)->set_params(conn, DOMAIN, NULL, 0, flags, err);
    return rc;
}

static int32_t
call_storage_pool_list(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_pool_list *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->pool_list(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_pool_lookup_by_name(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_pool_info *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->pool_lookup_by_name(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_pool_lookup_by_uuid(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_pool_info *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->pool_lookup_by_uuid(conn, UUID, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_pool_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->pool_get_xml(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_pool_refresh(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_storage_table *)table)->pool_refresh(conn, NAME, flags, err);
    return rc;
}

static int32_t
call_storage_vol_list(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_list *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->vol_list(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_lookup_by_name(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_info *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->vol_lookup_by_name(conn, NAME, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_lookup_by_path(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_info *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->vol_lookup_by_path(conn, PATH, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_lookup_by_key(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_info *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->vol_lookup_by_key(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_storage_table *)table)->vol_get_xml(conn, PATH, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_create_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_info *o = NULL;
    (void)nullout;
    int32_t rc = ((const hvd_storage_table *)table)->vol_create_xml(conn, NAME, XML, flags, NULL, &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_create_xml_from(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_volume_info *o = NULL;
    (void)nullout;
    int32_t rc = ((const hvd_storage_table *)table)->vol_create_xml_from(conn, NAME, XML, PATH, flags, NULL, &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_storage_vol_delete(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_storage_table *)table)->vol_delete(conn, PATH, flags, NULL, err);
    return rc;
}

static int32_t
call_storage_vol_wipe(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_storage_table *)table)->vol_wipe(conn, PATH, flags, NULL, err);
    return rc;
}

static int32_t
call_storage_vol_upload(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_storage_table *)table)->vol_upload(conn, PATH, 0, 1, empty_source, NULL, flags, NULL, err);
    return rc;
}

static int32_t
call_storage_vol_download(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_storage_table *)table)->vol_download(conn, PATH, 0, 1, discard_sink, NULL, flags, NULL, err);
    return rc;
}

static int32_t
call_network_list(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_network_list *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->list(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_lookup_by_name(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_network_info *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->lookup_by_name(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_lookup_by_uuid(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_network_info *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->lookup_by_uuid(conn, UUID, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->get_xml(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_define_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_network_info *o = NULL;
    (void)nullout;
    int32_t rc = ((const hvd_network_table *)table)->define_xml(conn, XML, flags, &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_undefine(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_network_table *)table)->undefine(conn, NAME, flags, err);
    return rc;
}

static int32_t
call_network_iface_list(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_iface_list *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->iface_list(conn, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_network_iface_get_xml(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    char *o = NULL;
    int32_t rc = ((const hvd_network_table *)table)->iface_get_xml(conn, NAME, flags, nullout ? NULL : &o, err);
    release(c, rc, o);
    return rc;
}

static int32_t
call_migrate_check(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_migrate_table *)table)->check(conn, DOMAIN, NULL, 0, flags, err);
    return rc;
}

static int32_t
call_migrate_perform(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_migrate_table *)table)->perform(conn, DOMAIN, NULL, 0, flags, NULL, err);
    return rc;
}

static int32_t
call_migrate_cancel(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    (void)nullout;
    (void)c;
    int32_t rc = ((const hvd_migrate_table *)table)->cancel(conn, DOMAIN, flags, err);
    return rc;
}

static int32_t
call_migrate_get_progress(const conf_ctx *c, const void *table, hvd_conn *conn, uint32_t flags, int nullout, hvd_error *err)
{
    hvd_job_info v = { sizeof(v), 0, 0, 0, 0 };
    (void)c;
    int32_t rc = ((const hvd_migrate_table *)table)->get_progress(conn, DOMAIN, flags, nullout ? NULL : &v, err);
    return rc;
}

const conf_member conf_members[] = {
    { 0, "connect.get_uri", offsetof(hvd_connect_table, get_uri), 1, call_connect_get_uri },
    { 0, "connect.get_hostname", offsetof(hvd_connect_table, get_hostname), 1, call_connect_get_hostname },
    { 0, "connect.get_version", offsetof(hvd_connect_table, get_version), 1, call_connect_get_version },
    { 0, "connect.get_node_info", offsetof(hvd_connect_table, get_node_info), 1, call_connect_get_node_info },
    { 0, "connect.get_capabilities", offsetof(hvd_connect_table, get_capabilities), 1, call_connect_get_capabilities },
    { 0, "connect.get_free_memory", offsetof(hvd_connect_table, get_free_memory), 1, call_connect_get_free_memory },
    { 0, "connect.is_alive", offsetof(hvd_connect_table, is_alive), 1, call_connect_is_alive },
    { 0, "connect.is_secure", offsetof(hvd_connect_table, is_secure), 1, call_connect_is_secure },
    { 0, "connect.get_max_vcpus", offsetof(hvd_connect_table, get_max_vcpus), 1, call_connect_get_max_vcpus },
    { 1, "domain.list_all", offsetof(hvd_domain_table, list_all), 1, call_domain_list_all },
    { 1, "domain.lookup_by_name", offsetof(hvd_domain_table, lookup_by_name), 1, call_domain_lookup_by_name },
    { 1, "domain.lookup_by_uuid", offsetof(hvd_domain_table, lookup_by_uuid), 1, call_domain_lookup_by_uuid },
    { 1, "domain.lookup_by_id", offsetof(hvd_domain_table, lookup_by_id), 1, call_domain_lookup_by_id },
    { 1, "domain.get_info", offsetof(hvd_domain_table, get_info), 1, call_domain_get_info },
    { 1, "domain.get_state", offsetof(hvd_domain_table, get_state), 1, call_domain_get_state },
    { 1, "domain.get_xml", offsetof(hvd_domain_table, get_xml), 1, call_domain_get_xml },
    { 1, "domain.define_xml", offsetof(hvd_domain_table, define_xml), 0, call_domain_define_xml },
    { 1, "domain.undefine", offsetof(hvd_domain_table, undefine), 0, call_domain_undefine },
    { 1, "domain.start", offsetof(hvd_domain_table, start), 0, call_domain_start },
    { 1, "domain.destroy", offsetof(hvd_domain_table, destroy), 0, call_domain_destroy },
    { 1, "domain.shutdown", offsetof(hvd_domain_table, shutdown), 0, call_domain_shutdown },
    { 1, "domain.reboot", offsetof(hvd_domain_table, reboot), 0, call_domain_reboot },
    { 1, "domain.suspend", offsetof(hvd_domain_table, suspend), 0, call_domain_suspend },
    { 1, "domain.resume", offsetof(hvd_domain_table, resume), 0, call_domain_resume },
    { 1, "domain.set_memory", offsetof(hvd_domain_table, set_memory), 0, call_domain_set_memory },
    { 1, "domain.set_max_memory", offsetof(hvd_domain_table, set_max_memory), 0, call_domain_set_max_memory },
    { 1, "domain.set_vcpus", offsetof(hvd_domain_table, set_vcpus), 0, call_domain_set_vcpus },
    { 1, "domain.get_autostart", offsetof(hvd_domain_table, get_autostart), 1, call_domain_get_autostart },
    { 1, "domain.set_autostart", offsetof(hvd_domain_table, set_autostart), 0, call_domain_set_autostart },
    { 1, "domain.get_guest_hostname", offsetof(hvd_domain_table, get_guest_hostname), 1, call_domain_get_guest_hostname },
    { 1, "domain.get_guest_addresses", offsetof(hvd_domain_table, get_guest_addresses), 1, call_domain_get_guest_addresses },
    { 2, "snapshot.create_xml", offsetof(hvd_snapshot_table, create_xml), 0, call_snapshot_create_xml },
    { 2, "snapshot.list", offsetof(hvd_snapshot_table, list), 1, call_snapshot_list },
    { 2, "snapshot.lookup", offsetof(hvd_snapshot_table, lookup), 1, call_snapshot_lookup },
    { 2, "snapshot.current", offsetof(hvd_snapshot_table, current), 1, call_snapshot_current },
    { 2, "snapshot.parent", offsetof(hvd_snapshot_table, parent), 1, call_snapshot_parent },
    { 2, "snapshot.children", offsetof(hvd_snapshot_table, children), 1, call_snapshot_children },
    { 2, "snapshot.revert", offsetof(hvd_snapshot_table, revert), 0, call_snapshot_revert },
    { 2, "snapshot.remove", offsetof(hvd_snapshot_table, remove), 0, call_snapshot_remove },
    { 2, "snapshot.get_xml", offsetof(hvd_snapshot_table, get_xml), 1, call_snapshot_get_xml },
    { 3, "sched.get_type", offsetof(hvd_sched_table, get_type), 1, call_sched_get_type },
    { 3, "sched.get_params", offsetof(hvd_sched_table, get_params), 1, call_sched_get_params },
    { 3, "sched.set_params", offsetof(hvd_sched_table, set_params), 0, call_sched_set_params },
    { 4, "storage.pool_list", offsetof(hvd_storage_table, pool_list), 1, call_storage_pool_list },
    { 4, "storage.pool_lookup_by_name", offsetof(hvd_storage_table, pool_lookup_by_name), 1, call_storage_pool_lookup_by_name },
    { 4, "storage.pool_lookup_by_uuid", offsetof(hvd_storage_table, pool_lookup_by_uuid), 1, call_storage_pool_lookup_by_uuid },
    { 4, "storage.pool_get_xml", offsetof(hvd_storage_table, pool_get_xml), 1, call_storage_pool_get_xml },
    { 4, "storage.pool_refresh", offsetof(hvd_storage_table, pool_refresh), 0, call_storage_pool_refresh },
    { 4, "storage.vol_list", offsetof(hvd_storage_table, vol_list), 1, call_storage_vol_list },
    { 4, "storage.vol_lookup_by_name", offsetof(hvd_storage_table, vol_lookup_by_name), 1, call_storage_vol_lookup_by_name },
    { 4, "storage.vol_lookup_by_path", offsetof(hvd_storage_table, vol_lookup_by_path), 1, call_storage_vol_lookup_by_path },
    { 4, "storage.vol_lookup_by_key", offsetof(hvd_storage_table, vol_lookup_by_key), 1, call_storage_vol_lookup_by_key },
    { 4, "storage.vol_get_xml", offsetof(hvd_storage_table, vol_get_xml), 1, call_storage_vol_get_xml },
    { 4, "storage.vol_create_xml", offsetof(hvd_storage_table, vol_create_xml), 0, call_storage_vol_create_xml },
    { 4, "storage.vol_create_xml_from", offsetof(hvd_storage_table, vol_create_xml_from), 0, call_storage_vol_create_xml_from },
    { 4, "storage.vol_delete", offsetof(hvd_storage_table, vol_delete), 0, call_storage_vol_delete },
    { 4, "storage.vol_wipe", offsetof(hvd_storage_table, vol_wipe), 0, call_storage_vol_wipe },
    { 4, "storage.vol_upload", offsetof(hvd_storage_table, vol_upload), 0, call_storage_vol_upload },
    { 4, "storage.vol_download", offsetof(hvd_storage_table, vol_download), 0, call_storage_vol_download },
    { 5, "network.list", offsetof(hvd_network_table, list), 1, call_network_list },
    { 5, "network.lookup_by_name", offsetof(hvd_network_table, lookup_by_name), 1, call_network_lookup_by_name },
    { 5, "network.lookup_by_uuid", offsetof(hvd_network_table, lookup_by_uuid), 1, call_network_lookup_by_uuid },
    { 5, "network.get_xml", offsetof(hvd_network_table, get_xml), 1, call_network_get_xml },
    { 5, "network.define_xml", offsetof(hvd_network_table, define_xml), 0, call_network_define_xml },
    { 5, "network.undefine", offsetof(hvd_network_table, undefine), 0, call_network_undefine },
    { 5, "network.iface_list", offsetof(hvd_network_table, iface_list), 1, call_network_iface_list },
    { 5, "network.iface_get_xml", offsetof(hvd_network_table, iface_get_xml), 1, call_network_iface_get_xml },
    { 6, "migrate.check", offsetof(hvd_migrate_table, check), 0, call_migrate_check },
    { 6, "migrate.perform", offsetof(hvd_migrate_table, perform), 0, call_migrate_perform },
    { 6, "migrate.cancel", offsetof(hvd_migrate_table, cancel), 0, call_migrate_cancel },
    { 6, "migrate.get_progress", offsetof(hvd_migrate_table, get_progress), 1, call_migrate_get_progress },
};
const size_t conf_nmembers = sizeof(conf_members) / sizeof(conf_members[0]);
