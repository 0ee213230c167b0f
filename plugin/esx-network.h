/* esx-network.h — networks (the host's standard virtual switches): what
 * network.c (read side), network-def.c (the <network> XML a define accepts)
 * and network-define.c (define and undefine on the server) share. */
#ifndef ESX_NETWORK_H
#define ESX_NETWORK_H

#include "esx-conn.h"

G_BEGIN_DECLS

/* Bounds of a definition (the XML is refused before any call beyond them). */
#define ESX_NET_XML_MAX        (1024 * 1024) /* bytes of <network> XML */
#define ESX_NET_NAME_MAX       32            /* a vSwitch name (AddVirtualSwitch: "at most 32 characters") */
#define ESX_NET_PORTGROUP_MAX  255           /* bytes of a port group name */
#define ESX_NET_PORTGROUPS_MAX 256           /* port groups in one definition */
#define ESX_NET_UPLINKS_MAX    32            /* physical NICs in one definition */

typedef struct {
    char *name;
    int32_t vlan; /* 0 = none, 1..4094 a VLAN, 4095 all VLANs (guest tagging) */
} esx_portgroup_def;

/* A parsed <network>: what a standard vSwitch can hold. */
typedef struct {
    char *name;
    gboolean has_uuid;
    uint8_t uuid[16];
    GPtrArray *uplinks;    /* char *: physical NIC device names (vmnic1) */
    GPtrArray *portgroups; /* esx_portgroup_def * */
    int32_t mtu;           /* 0 = the host's default (1500) */
} esx_network_def;

/* network-def.c: parses and checks XML (no network): HVD_ERR_XML when it is
 * malformed, HVD_ERR_CONFIG_UNSUPPORTED naming the element or attribute a
 * vSwitch cannot express, HVD_ERR_INVALID_ARG for a value out of range.
 * `*def_out` is owned by the caller (esx_network_def_free). */
int32_t esx_network_def_parse(const char *xml, esx_network_def **def_out, hvd_error *err);
void esx_network_def_free(esx_network_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_network_def, esx_network_def_free)

/* network.c: the host's properties PATHS (config.network.* ...), one
 * retrieval: owned ObjectContent in `*obj_out`, the host in `*loc_out`. */
int32_t esx_host_network(hvd_conn *conn, const char *const *paths, vi_value **obj_out, const esx_location **loc_out,
                         hvd_error *err);
/* The stable UUID of switch NAME on the host with moref value HOST. */
void esx_switch_uuid(const char *host, const char *name, uint8_t uuid[16]);
/* The switch named NAME in OBJ's config.network.vswitch (borrowed), or NULL. */
const vi_value *esx_find_switch(const vi_value *obj, const char *name);
/* A [transfer] hvd_network_info (one allocation, released by esx_free). */
hvd_network_info *esx_network_info_new(const char *name, const uint8_t uuid[16]);

/* network-define.c: members of hvd_network_table */
int32_t HVD_CALL esx_net_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_network_info **info_out,
                                    hvd_error *err);
int32_t HVD_CALL esx_net_undefine(hvd_conn *conn, const char *name, uint32_t flags, hvd_error *err);

G_END_DECLS

#endif
