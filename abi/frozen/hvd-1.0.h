/* hvd.h — the HVD ABI, version 1.0: the contract between host applications
 * and hypervisor driver plugins loaded with dlopen().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This is the only public header of a driver. Everything a host and a driver
 * exchange is declared here; see docs/abi.md for a walk-through and
 * ABI-RULES.md (in the design notes) for why each rule exists.
 *
 * ---------------------------------------------------------------------------
 * Conventions used by every declaration below
 * ---------------------------------------------------------------------------
 *
 * Sizes. Every table and every struct that crosses the ABI begins with
 * `uint32_t struct_size`. Tables and driver-returned structs: the driver sets
 * it to sizeof() of its own definition. Caller-allocated out structs (e.g.
 * hvd_error, hvd_node_info): the caller sets it to the size it allocated; the
 * driver writes only members that fit entirely, then stores
 * min(caller size, driver size) back, so the caller knows which members were
 * written. Before reading member m of a struct it did not produce, a reader
 * checks HVD_HAS_MEMBER(ptr, type, m). Growth is append-only: members are
 * never reordered, retyped or removed; a deprecated slot stays (may be NULL).
 *
 * Arrays of sized structs (lists) are strided: element i lives at
 * (char *)base + i * stride, where the list carries the stride (its
 * `entry_size`). Use HVD_LIST_AT(). Arrays of hvd_param passed by the host are
 * strided by the struct_size of their first element.
 *
 * Types. Fixed-width integers only; no bitfields, no `long`, no `bool`, no
 * `enum` types in structs (enumerated values are stored as int32_t).
 * Strings are NUL-terminated UTF-8. UUIDs are 16 raw bytes (RFC 4122 order).
 * Memory quantities are KiB unless the member name says otherwise.
 *
 * Status. Every operation returns int32_t: HVD_OK (0) or a negative
 * hvd_status code. Codes are never renumbered; new codes are appended. Detail
 * goes into an optional caller-owned hvd_error (may be NULL). There is no
 * global or thread-local "last error".
 *
 * Flags. Every operation takes `uint32_t flags`. Bits a driver does not know
 * are rejected with HVD_ERR_BAD_FLAGS (never ignored), so a host can probe.
 *
 * Ownership. Each pointer parameter or member says one of:
 *   [borrowed]          the callee reads it during the call only;
 *   [borrowed: until X] valid until event X;
 *   [transfer]          returned memory the receiver owns. Everything a driver
 *                       returns is ONE allocation (lists and the strings they
 *                       point to are packed into it) and is released with
 *                       hvd_driver.free — never with the host's free().
 *
 * Threads. Each member carries one tag:
 *   [any-thread]  may be called from any thread, concurrently with any other
 *                 [any-thread] call, including on the same connection;
 *   [conn-exclusive] must not run concurrently with any other call on the
 *                 same connection (only open/close);
 *   [process]     process-wide; the host serialises these itself.
 * Upcalls (host callbacks) may be made from any driver thread, possibly
 * concurrently; the driver never holds one of its locks while calling into the
 * host, so a callback may call back into the driver.
 *
 * Unsupported. A NULL sub-table means the capability is absent; a NULL member
 * means the operation is unsupported. Hosts map both to HVD_ERR_NO_SUPPORT.
 * hvd_driver.capabilities summarises both for UIs.
 *
 * Departures from ABI-RULES.md, with reasons:
 *  - Domains, pools, volumes and networks are named by value (UUID, name, key)
 *    rather than by opaque handles: the server is the truth and the driver
 *    keeps no object cache a host could hold stale references into.
 *  - hvd_native_table members accept conn == NULL (offline conversion), which
 *    no other table allows: converting a file must not need a server.
 */
#ifndef HVD_H
#define HVD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions, linkage                                                         */
/* ------------------------------------------------------------------------ */

/** ABI major version; it is part of the entry symbol's name. */
#define HVD_ABI_MAJOR 1
/** Highest ABI minor version this header describes. */
#define HVD_ABI_MINOR 0

/** The one calling convention of every function pointer in this ABI. */
#if defined(_WIN32) && !defined(_WIN64)
#define HVD_CALL __cdecl
#else
#define HVD_CALL
#endif

/** Marks the single exported symbol of a driver. */
#if defined(_WIN32)
#define HVD_EXPORT __declspec(dllexport)
#else
#define HVD_EXPORT __attribute__((visibility("default")))
#endif

/** Name of the entry symbol, for dlsym(). */
#define HVD_ENTRY_SYMBOL "hvd_driver_entry_v1"

/** True when the struct at p (of type T, produced by the other side) holds
 *  member m entirely. */
#define HVD_HAS_MEMBER(p, T, m) \
    ((p) != NULL && (size_t)(p)->struct_size >= offsetof(T, m) + sizeof(((T *)0)->m))

/** Element i of a strided list (see "Arrays of sized structs"). */
#define HVD_LIST_AT(T, base, stride, i) \
    ((const T *)(const void *)((const char *)(base) + (size_t)(i) * (size_t)(stride)))

/* ------------------------------------------------------------------------ */
/* Status codes (append-only; never renumbered)                              */
/* ------------------------------------------------------------------------ */

#define HVD_OK                       0
#define HVD_ERR_INTERNAL            -1  /**< a bug in the driver */
#define HVD_ERR_INVALID_ARG         -2  /**< NULL/ill-formed argument */
#define HVD_ERR_NO_SUPPORT          -3  /**< operation or capability not offered */
#define HVD_ERR_NO_MEMORY           -4
#define HVD_ERR_ABI_MISMATCH        -5  /**< no common ABI version with the host */
#define HVD_ERR_BAD_FLAGS           -6  /**< unknown flag bits */
#define HVD_ERR_URI                 -7  /**< connection URI not understood */
#define HVD_ERR_AUTH_FAILED         -8  /**< server refused the credentials */
#define HVD_ERR_AUTH_CANCELLED      -9  /**< no credentials were provided */
#define HVD_ERR_CONNECT            -10  /**< server unreachable / connection lost */
#define HVD_ERR_TLS                -11  /**< certificate verification failed */
#define HVD_ERR_TIMEOUT            -12
#define HVD_ERR_SERVER             -13  /**< a server fault not mapped below */
#define HVD_ERR_NO_DOMAIN          -14
#define HVD_ERR_NO_SNAPSHOT        -15
#define HVD_ERR_NO_POOL            -16
#define HVD_ERR_NO_VOLUME          -17
#define HVD_ERR_NO_NETWORK         -18
#define HVD_ERR_NO_INTERFACE       -19
#define HVD_ERR_OPERATION_INVALID  -20  /**< not valid in the object's state */
#define HVD_ERR_OPERATION_FAILED   -21  /**< the server ran it and it failed */
#define HVD_ERR_CANCELLED          -22  /**< cancelled by the host */
#define HVD_ERR_QUESTION           -23  /**< blocked by a question (auto_answer=0) */
#define HVD_ERR_XML                -24  /**< malformed XML or native config */
#define HVD_ERR_CONFIG_UNSUPPORTED -25  /**< valid, but the hypervisor cannot express it */
#define HVD_ERR_EXISTS             -26  /**< an object of that name/UUID exists */
#define HVD_ERR_NO_HOST            -27  /**< host/datacenter/cluster in the URI path not found */
#define HVD_ERR_IO                 -28  /**< local I/O (stream callbacks, files) */
/** Driver-specific codes live in [HVD_ERR_VENDOR_LAST, HVD_ERR_VENDOR_FIRST]. */
#define HVD_ERR_VENDOR_FIRST    -10000
#define HVD_ERR_VENDOR_LAST     -19999

/* ------------------------------------------------------------------------ */
/* Error detail                                                              */
/* ------------------------------------------------------------------------ */

#define HVD_ERROR_FAULT_LEN   64
#define HVD_ERROR_MESSAGE_LEN 1024

/** Caller-allocated error detail, passed as the last argument of every
 *  operation (may be NULL). The caller sets struct_size (use HVD_ERROR_INIT);
 *  the driver fills it only on failure. Never contains a password or a
 *  session cookie. */
typedef struct hvd_error {
    uint32_t struct_size;
    int32_t code;                        /**< same as the returned status */
    char fault[HVD_ERROR_FAULT_LEN];     /**< vSphere fault type, e.g. "InvalidLogin"; "" if none */
    char message[HVD_ERROR_MESSAGE_LEN]; /**< UTF-8; names the object, the cause and the fix;
                                              truncated on a character boundary */
} hvd_error;

#define HVD_ERROR_INIT { sizeof(hvd_error), 0, "", "" }

/* ------------------------------------------------------------------------ */
/* Typed parameters                                                          */
/* ------------------------------------------------------------------------ */

#define HVD_PARAM_INT64   1
#define HVD_PARAM_UINT64  2
#define HVD_PARAM_DOUBLE  3
#define HVD_PARAM_BOOLEAN 4 /**< value in u: 0 or 1 */
#define HVD_PARAM_STRING  5

#define HVD_PARAM_NAME_LEN 80

/** One typed name/value option (scheduler parameters, migration options,
 *  conversion options...). Exactly one value member is meaningful, chosen by
 *  `type`. In host-provided arrays, `s` is [borrowed] for the call; in
 *  driver-returned lists, `s` points into the same allocation. */
typedef struct hvd_param {
    uint32_t struct_size;
    int32_t type;                  /**< HVD_PARAM_* */
    char name[HVD_PARAM_NAME_LEN]; /**< NUL-terminated, e.g. "cpu_shares" */
    int64_t i;                     /**< HVD_PARAM_INT64 */
    uint64_t u;                    /**< HVD_PARAM_UINT64, HVD_PARAM_BOOLEAN */
    double d;                      /**< HVD_PARAM_DOUBLE */
    const char *s;                 /**< HVD_PARAM_STRING */
} hvd_param;

/** A driver-returned list of parameters [transfer]. */
typedef struct hvd_param_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;           /**< stride of `entries` */
    uint32_t reserved0;
    const hvd_param *entries;
} hvd_param_list;

/* ------------------------------------------------------------------------ */
/* Host upcalls                                                              */
/* ------------------------------------------------------------------------ */

#define HVD_LOG_ERROR   1
#define HVD_LOG_WARNING 2
#define HVD_LOG_INFO    3
#define HVD_LOG_DEBUG   4

#define HVD_CRED_USERNAME   1 /**< user name, may be echoed */
#define HVD_CRED_PASSWORD   2 /**< secret, must not be echoed */
#define HVD_CRED_PASSPHRASE 3 /**< secret, must not be echoed */

/** One credential the driver asks for. The driver owns every pointer; the
 *  host copies its answer into `result` (capacity `result_capacity` bytes
 *  including the NUL) and sets `result_len`. The driver wipes `result` after
 *  use. */
typedef struct hvd_credential {
    uint32_t struct_size;
    int32_t type;              /**< HVD_CRED_* */
    const char *prompt;        /**< [borrowed] e.g. "Enter root's password for esx1.example.com" */
    const char *challenge;     /**< [borrowed] the server host name being logged into
                                    (lets the host tell ESX from vCenter prompts) */
    const char *default_result;/**< [borrowed] suggested answer or NULL */
    char *result;              /**< [borrowed] driver buffer the host writes into */
    uint32_t result_capacity;
    uint32_t result_len;       /**< set by the host: bytes written, without the NUL */
} hvd_credential;

/** Progress of a long operation. `percent` is 0..100 or -1 when unknown.
 *  `what` names the operation, e.g. "PowerOnVM_Task on 'web1'".
 *  Return 0 to continue or non-zero to request cancellation; the operation
 *  then fails with HVD_ERR_CANCELLED if the server could cancel it. */
typedef int32_t (HVD_CALL *hvd_progress_fn)(void *user_data, const char *what, int32_t percent);

/** Per-call progress override for long operations; NULL means "use the host
 *  table's progress upcall". [borrowed] for the call. */
typedef struct hvd_progress {
    uint32_t struct_size;
    uint32_t reserved0;
    hvd_progress_fn progress;  /**< may be NULL: no reports, no cancel */
    void *user_data;           /**< passed back verbatim */
} hvd_progress;

/** Credential callback: fill each of `creds[0..ncreds)` (strided by
 *  creds[0].struct_size). Return 0 on success, non-zero if the user cancelled
 *  (the operation fails with HVD_ERR_AUTH_CANCELLED). */
typedef int32_t (HVD_CALL *hvd_auth_fn)(void *user_data, hvd_credential *creds, uint32_t ncreds);

/** The host's upcall table, passed to the entry function.
 *  [borrowed: until the host has closed every connection and unloaded the
 *  driver]. Every member may be NULL. Upcalls may run on any thread, possibly
 *  concurrently; they are never made while the driver holds a lock. */
typedef struct hvd_host {
    uint32_t struct_size;
    uint32_t reserved0;
    void *user_data;           /**< passed back verbatim to every upcall */
    /** Log sink. `component` e.g. "esx.vi"; `message` [borrowed] for the call,
     *  never contains secrets. */
    void (HVD_CALL *log)(void *user_data, int32_t level, const char *component, const char *message);
    /** Credential prompts (see hvd_auth_fn). Used by open() unless the call
     *  supplies its own hvd_auth. */
    hvd_auth_fn auth;
    /** Default progress sink for long operations without a per-call override. */
    hvd_progress_fn progress;
} hvd_host;

/** Per-connection credential callback override. [borrowed] for open(). */
typedef struct hvd_auth {
    uint32_t struct_size;
    uint32_t reserved0;
    hvd_auth_fn auth;
    void *user_data;
} hvd_auth;

/* ------------------------------------------------------------------------ */
/* Opaque connection                                                         */
/* ------------------------------------------------------------------------ */

/** A connection to one server. Created by hvd_connect_table.open, destroyed
 *  by hvd_connect_table.close. Safe to use from several threads at once for
 *  every [any-thread] operation. */
typedef struct hvd_conn hvd_conn;

/* ------------------------------------------------------------------------ */
/* Connect / host                                                            */
/* ------------------------------------------------------------------------ */

#define HVD_CONNECT_READONLY 0x1u /**< refuse every operation that changes state */

/** Hypervisor version and product [transfer]. */
typedef struct hvd_version {
    uint32_t struct_size;
    uint32_t major, minor, release;  /**< e.g. 6, 7, 0 */
    uint64_t version;                /**< libvirt style: major*1000000 + minor*1000 + release */
    const char *product;             /**< e.g. "VMware ESXi 6.7.0 build-8169922" */
    const char *name;                /**< e.g. "VMware ESXi" */
    const char *api_type;            /**< "HostAgent" (ESX/GSX) or "VirtualCenter" */
    const char *api_version;         /**< e.g. "6.7" */
    const char *build;               /**< e.g. "8169922" */
    const char *instance_uuid;       /**< vCenter instance UUID or "" */
} hvd_version;

#define HVD_NODE_MODEL_LEN 32

/** Node information (like libvirt's virNodeInfo), caller-allocated. */
typedef struct hvd_node_info {
    uint32_t struct_size;
    char model[HVD_NODE_MODEL_LEN];  /**< CPU model, truncated */
    uint64_t memory_kib;             /**< physical memory */
    uint32_t cpus;                   /**< logical CPUs (threads) */
    uint32_t mhz;                    /**< CPU frequency */
    uint32_t nodes;                  /**< NUMA cells */
    uint32_t sockets;                /**< sockets per NUMA cell */
    uint32_t cores;                  /**< cores per socket */
    uint32_t threads;                /**< threads per core */
} hvd_node_info;

typedef struct hvd_connect_table {
    uint32_t struct_size;
    uint32_t reserved0;

    /** Connect and log in. `uri` [borrowed] e.g. "esx://root@host/?no_verify=1".
     *  `params` [borrowed] optional typed options (none defined in 1.0; pass
     *  NULL/0). `auth` [borrowed] optional override of the host's auth upcall.
     *  Flags: HVD_CONNECT_READONLY. On success *conn_out [transfer] is released
     *  with close(). Errors: HVD_ERR_URI, HVD_ERR_AUTH_FAILED,
     *  HVD_ERR_AUTH_CANCELLED, HVD_ERR_CONNECT, HVD_ERR_TLS, HVD_ERR_NO_HOST.
     *  [any-thread] (each call makes a new connection) */
    int32_t (HVD_CALL *open)(const char *uri, const hvd_param *params, uint32_t nparams,
                             const hvd_auth *auth, uint32_t flags,
                             hvd_conn **conn_out, hvd_error *err);
    /** Log out and free. `conn` [transfer] to the driver; NULL is a no-op.
     *  [conn-exclusive] */
    void (HVD_CALL *close)(hvd_conn *conn);
    /** The canonical URI of the connection, password-free [transfer]. [any-thread] */
    int32_t (HVD_CALL *get_uri)(hvd_conn *conn, uint32_t flags, char **uri_out, hvd_error *err);
    /** The server's host name (for vpx://, the selected ESX host's) [transfer]. [any-thread] */
    int32_t (HVD_CALL *get_hostname)(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err);
    /** Product and version [transfer]. [any-thread] */
    int32_t (HVD_CALL *get_version)(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err);
    /** Node information into a caller-allocated struct. [any-thread] */
    int32_t (HVD_CALL *get_node_info)(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err);
    /** libvirt-format capabilities XML [transfer]. [any-thread] */
    int32_t (HVD_CALL *get_capabilities)(hvd_conn *conn, uint32_t flags, char **xml_out, hvd_error *err);
    /** Free host memory in bytes. [any-thread] */
    int32_t (HVD_CALL *get_free_memory)(hvd_conn *conn, uint32_t flags, uint64_t *bytes_out, hvd_error *err);
    /** 1 if the session is usable (checks with the server), 0 if not. [any-thread] */
    int32_t (HVD_CALL *is_alive)(hvd_conn *conn, uint32_t flags, int32_t *alive_out, hvd_error *err);
    /** 1 if the transport is encrypted (https), else 0. No network. [any-thread] */
    int32_t (HVD_CALL *is_secure)(hvd_conn *conn, uint32_t flags, int32_t *secure_out, hvd_error *err);
    /** Highest vCPU count one domain may have. [any-thread] */
    int32_t (HVD_CALL *get_max_vcpus)(hvd_conn *conn, uint32_t flags, uint32_t *max_out, hvd_error *err);
} hvd_connect_table;

/* ------------------------------------------------------------------------ */
/* Domains                                                                   */
/* ------------------------------------------------------------------------ */

/* hvd_domain_info.state */
#define HVD_DOMAIN_NOSTATE     0
#define HVD_DOMAIN_RUNNING     1
#define HVD_DOMAIN_BLOCKED     2
#define HVD_DOMAIN_PAUSED      3
#define HVD_DOMAIN_SHUTDOWN    4
#define HVD_DOMAIN_SHUTOFF     5
#define HVD_DOMAIN_CRASHED     6
#define HVD_DOMAIN_PMSUSPENDED 7

/* hvd_domain_info.reason: libvirt's per-state reason codes (virDomain*Reason),
 * 0 = unknown. */

/** One domain: used by list_all, lookups and get_info [transfer or packed in
 *  a list]. */
typedef struct hvd_domain_info {
    uint32_t struct_size;
    int32_t id;              /**< positive while running, -1 otherwise */
    int32_t state;           /**< HVD_DOMAIN_* */
    int32_t reason;          /**< state reason, 0 if unknown */
    uint8_t uuid[16];
    uint64_t memory_kib;     /**< current memory */
    uint64_t max_memory_kib; /**< configured maximum */
    uint32_t vcpus;
    uint32_t persistent;     /**< 1: defined on the server (always 1 for ESX) */
    uint64_t cpu_time_ns;    /**< 0 if unknown */
    const char *name;        /**< points into the same allocation */
} hvd_domain_info;

/** Bulk domain list [transfer]. */
typedef struct hvd_domain_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;     /**< stride of `entries` */
    uint32_t reserved0;
    const hvd_domain_info *entries;
} hvd_domain_list;

/* list_all flags (none = all) */
#define HVD_LIST_ACTIVE   0x1u
#define HVD_LIST_INACTIVE 0x2u

/* set_memory / set_vcpus flags */
#define HVD_AFFECT_LIVE   0x1u
#define HVD_AFFECT_CONFIG 0x2u

/* undefine flags */
#define HVD_UNDEFINE_SNAPSHOTS 0x1u /**< also delete snapshot metadata */

/* shutdown / reboot flags */
#define HVD_SHUTDOWN_GUEST_AGENT 0x1u /**< via VMware Tools (the only mode ESX has) */

/** One guest network interface with its addresses [packed in a list]. */
typedef struct hvd_guest_address {
    uint32_t struct_size;
    int32_t family;          /**< 4 or 6 */
    uint32_t prefix;
    uint32_t reserved0;
    const char *address;     /**< textual address */
    const char *interface;   /**< guest interface name or MAC when unnamed */
    const char *mac;         /**< "00:50:56:..." */
} hvd_guest_address;

typedef struct hvd_guest_address_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_guest_address *entries;
} hvd_guest_address_list;

/** Domains are named by UUID (16 bytes). Every operation below is
 *  [any-thread]. Long operations take an optional hvd_progress [borrowed]. */
typedef struct hvd_domain_table {
    uint32_t struct_size;
    uint32_t reserved0;

    /** All domains with name, UUID, id, state, memory and vCPUs, in one call
     *  (one server round trip per page). Flags: HVD_LIST_*. */
    int32_t (HVD_CALL *list_all)(hvd_conn *conn, uint32_t flags, hvd_domain_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                       hvd_domain_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                       hvd_domain_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *lookup_by_id)(hvd_conn *conn, int32_t id, uint32_t flags,
                                     hvd_domain_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *get_info)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                 hvd_domain_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *get_state)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                  int32_t *state_out, int32_t *reason_out, hvd_error *err);
    /** libvirt-format domain XML [transfer]. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                char **xml_out, hvd_error *err);
    /** Define (or redefine) from domain XML [borrowed]; *info_out [transfer] may be NULL. */
    int32_t (HVD_CALL *define_xml)(hvd_conn *conn, const char *xml, uint32_t flags,
                                   hvd_domain_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *undefine)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_error *err);
    int32_t (HVD_CALL *start)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                              const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *destroy)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *shutdown)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_error *err);
    int32_t (HVD_CALL *reboot)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_error *err);
    int32_t (HVD_CALL *suspend)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *resume)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    /** Current memory (KiB, a multiple of 4096 KiB on ESX). Flags: HVD_AFFECT_*. */
    int32_t (HVD_CALL *set_memory)(hvd_conn *conn, const uint8_t uuid[16], uint64_t kib, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *set_max_memory)(hvd_conn *conn, const uint8_t uuid[16], uint64_t kib, uint32_t flags,
                                       const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *set_vcpus)(hvd_conn *conn, const uint8_t uuid[16], uint32_t vcpus, uint32_t flags,
                                  const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *get_autostart)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                      int32_t *autostart_out, hvd_error *err);
    int32_t (HVD_CALL *set_autostart)(hvd_conn *conn, const uint8_t uuid[16], int32_t autostart,
                                      uint32_t flags, hvd_error *err);
    /** Guest host name as reported by VMware Tools [transfer]. */
    int32_t (HVD_CALL *get_guest_hostname)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                           char **hostname_out, hvd_error *err);
    /** Guest interface addresses as reported by VMware Tools [transfer]. */
    int32_t (HVD_CALL *get_guest_addresses)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                            hvd_guest_address_list **list_out, hvd_error *err);
} hvd_domain_table;

/* ------------------------------------------------------------------------ */
/* Snapshots                                                                 */
/* ------------------------------------------------------------------------ */

/** One snapshot [transfer or packed in a list]. */
typedef struct hvd_snapshot_info {
    uint32_t struct_size;
    int32_t state;             /**< HVD_DOMAIN_* state the domain had */
    int64_t creation_time;     /**< seconds since the epoch */
    uint32_t is_current;       /**< 1 for the domain's current snapshot */
    uint32_t num_children;
    const char *name;
    const char *description;
    const char *parent;        /**< parent's name or NULL for a root */
} hvd_snapshot_info;

typedef struct hvd_snapshot_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_snapshot_info *entries;
} hvd_snapshot_list;

/* snapshot list flags */
#define HVD_SNAPSHOT_LIST_ROOTS       0x1u /**< only roots */
#define HVD_SNAPSHOT_LIST_DESCENDANTS 0x2u /**< children(): all descendants, not only direct children */
#define HVD_SNAPSHOT_LIST_LEAVES      0x4u
#define HVD_SNAPSHOT_LIST_NO_LEAVES   0x8u
/* snapshot delete flags */
#define HVD_SNAPSHOT_DELETE_CHILDREN      0x1u
#define HVD_SNAPSHOT_DELETE_CHILDREN_ONLY 0x2u
/* snapshot create flags */
#define HVD_SNAPSHOT_CREATE_QUIESCE 0x1u

/** Snapshots are named by (domain UUID, snapshot name). All [any-thread]. */
typedef struct hvd_snapshot_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Create from libvirt <domainsnapshot> XML [borrowed]; *info_out [transfer] may be NULL. */
    int32_t (HVD_CALL *create_xml)(hvd_conn *conn, const uint8_t uuid[16], const char *xml, uint32_t flags,
                                   const hvd_progress *progress, hvd_snapshot_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *list)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                             hvd_snapshot_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *lookup)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                               hvd_snapshot_info **info_out, hvd_error *err);
    /** HVD_ERR_NO_SNAPSHOT when the domain has no current snapshot. */
    int32_t (HVD_CALL *current)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                hvd_snapshot_info **info_out, hvd_error *err);
    /** HVD_ERR_NO_SNAPSHOT when `name` is a root. */
    int32_t (HVD_CALL *parent)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                               hvd_snapshot_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *children)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                                 hvd_snapshot_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *revert)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *remove)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    /** libvirt <domainsnapshot> XML [transfer]. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const uint8_t uuid[16], const char *name, uint32_t flags,
                                char **xml_out, hvd_error *err);
} hvd_snapshot_table;

/* ------------------------------------------------------------------------ */
/* Scheduler parameters                                                      */
/* ------------------------------------------------------------------------ */

/** Parameter names: "reservation" (INT64, MHz), "limit" (INT64, MHz, -1 =
 *  unlimited), "shares" (INT64: -1 low, -2 normal, -3 high, or a custom
 *  count) — as libvirt's ESX driver. All [any-thread]. */
typedef struct hvd_sched_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Scheduler type name ("allocation") [transfer] and parameter count. */
    int32_t (HVD_CALL *get_type)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                 char **type_out, uint32_t *nparams_out, hvd_error *err);
    int32_t (HVD_CALL *get_params)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                   hvd_param_list **params_out, hvd_error *err);
    /** `params` [borrowed], strided by params[0].struct_size. Unknown names
     *  or wrong types fail with HVD_ERR_INVALID_ARG naming the parameter. */
    int32_t (HVD_CALL *set_params)(hvd_conn *conn, const uint8_t uuid[16], const hvd_param *params,
                                   uint32_t nparams, uint32_t flags, hvd_error *err);
} hvd_sched_table;

/* ------------------------------------------------------------------------ */
/* Storage                                                                   */
/* ------------------------------------------------------------------------ */

#define HVD_POOL_INACTIVE     0
#define HVD_POOL_BUILDING     1
#define HVD_POOL_RUNNING      2
#define HVD_POOL_DEGRADED     3
#define HVD_POOL_INACCESSIBLE 4

/** One storage pool (a datastore, or an iSCSI target) [transfer or packed]. */
typedef struct hvd_pool_info {
    uint32_t struct_size;
    int32_t state;           /**< HVD_POOL_* */
    uint8_t uuid[16];
    uint64_t capacity;       /**< bytes */
    uint64_t allocation;     /**< bytes */
    uint64_t available;      /**< bytes */
    const char *name;
    const char *type;        /**< "vmfs", "nfs", "iscsi", ... */
} hvd_pool_info;

typedef struct hvd_pool_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_pool_info *entries;
} hvd_pool_list;

#define HVD_VOL_FILE  0
#define HVD_VOL_BLOCK 1

/** One volume [transfer or packed]. */
typedef struct hvd_volume_info {
    uint32_t struct_size;
    int32_t type;            /**< HVD_VOL_* */
    uint64_t capacity;       /**< bytes */
    uint64_t allocation;     /**< bytes */
    const char *name;        /**< e.g. "dir/disk.vmdk" */
    const char *key;         /**< stable key (e.g. the virtual disk UUID) */
    const char *path;        /**< "[datastore] dir/disk.vmdk" */
    const char *pool;        /**< pool name */
} hvd_volume_info;

typedef struct hvd_volume_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_volume_info *entries;
} hvd_volume_list;

/** Data source for uploads: copy up to `capacity` bytes into `buf` and return
 *  the count, 0 at end of data, or a negative value on error (the upload
 *  fails with HVD_ERR_IO). */
typedef int64_t (HVD_CALL *hvd_read_fn)(void *user_data, uint8_t *buf, uint64_t capacity);
/** Data sink for downloads: consume `len` bytes [borrowed for the call];
 *  return 0, or non-zero to abort (HVD_ERR_IO). */
typedef int32_t (HVD_CALL *hvd_write_fn)(void *user_data, const uint8_t *buf, uint64_t len);

/* pool list flags */
#define HVD_POOL_LIST_ACTIVE   0x1u
#define HVD_POOL_LIST_INACTIVE 0x2u
/* volume wipe flags: none in 1.0 (zero-fill) */

/** Pools are named by name; volumes by (pool, name), by path or by key.
 *  All [any-thread]. */
typedef struct hvd_storage_table {
    uint32_t struct_size;
    uint32_t reserved0;
    int32_t (HVD_CALL *pool_list)(hvd_conn *conn, uint32_t flags, hvd_pool_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *pool_lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                            hvd_pool_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *pool_lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                            hvd_pool_info **info_out, hvd_error *err);
    /** libvirt <pool> XML [transfer]. */
    int32_t (HVD_CALL *pool_get_xml)(hvd_conn *conn, const char *pool, uint32_t flags,
                                     char **xml_out, hvd_error *err);
    int32_t (HVD_CALL *pool_refresh)(hvd_conn *conn, const char *pool, uint32_t flags, hvd_error *err);

    int32_t (HVD_CALL *vol_list)(hvd_conn *conn, const char *pool, uint32_t flags,
                                 hvd_volume_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *vol_lookup_by_name)(hvd_conn *conn, const char *pool, const char *name, uint32_t flags,
                                           hvd_volume_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *vol_lookup_by_path)(hvd_conn *conn, const char *path, uint32_t flags,
                                           hvd_volume_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *vol_lookup_by_key)(hvd_conn *conn, const char *key, uint32_t flags,
                                          hvd_volume_info **info_out, hvd_error *err);
    /** libvirt <volume> XML [transfer]; `volume` is a key or a path. */
    int32_t (HVD_CALL *vol_get_xml)(hvd_conn *conn, const char *volume, uint32_t flags,
                                    char **xml_out, hvd_error *err);
    /** Create from libvirt <volume> XML [borrowed] in `pool`. */
    int32_t (HVD_CALL *vol_create_xml)(hvd_conn *conn, const char *pool, const char *xml, uint32_t flags,
                                       const hvd_progress *progress, hvd_volume_info **info_out, hvd_error *err);
    /** Create as a copy of `source` (key or path). */
    int32_t (HVD_CALL *vol_create_xml_from)(hvd_conn *conn, const char *pool, const char *xml,
                                            const char *source, uint32_t flags, const hvd_progress *progress,
                                            hvd_volume_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *vol_delete)(hvd_conn *conn, const char *volume, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *vol_wipe)(hvd_conn *conn, const char *volume, uint32_t flags,
                                 const hvd_progress *progress, hvd_error *err);
    /** Upload `length` bytes (0 = until the source ends) at `offset` from `read`. */
    int32_t (HVD_CALL *vol_upload)(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length,
                                   hvd_read_fn read, void *user_data, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    /** Download `length` bytes (0 = to the end) from `offset` into `write`. */
    int32_t (HVD_CALL *vol_download)(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length,
                                     hvd_write_fn write, void *user_data, uint32_t flags,
                                     const hvd_progress *progress, hvd_error *err);
} hvd_storage_table;

/* ------------------------------------------------------------------------ */
/* Networks and host interfaces                                              */
/* ------------------------------------------------------------------------ */

/** One virtual network (a vSwitch / port group) [transfer or packed]. */
typedef struct hvd_network_info {
    uint32_t struct_size;
    uint32_t active;         /**< 1 if usable */
    uint8_t uuid[16];
    const char *name;
} hvd_network_info;

typedef struct hvd_network_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_network_info *entries;
} hvd_network_list;

/** One physical host interface [packed]. */
typedef struct hvd_iface_info {
    uint32_t struct_size;
    uint32_t active;         /**< link up */
    const char *name;        /**< e.g. "vmnic0" */
    const char *mac;
} hvd_iface_info;

typedef struct hvd_iface_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_iface_info *entries;
} hvd_iface_list;

/** All [any-thread]. */
typedef struct hvd_network_table {
    uint32_t struct_size;
    uint32_t reserved0;
    int32_t (HVD_CALL *list)(hvd_conn *conn, uint32_t flags, hvd_network_list **list_out, hvd_error *err);
    int32_t (HVD_CALL *lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                       hvd_network_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                       hvd_network_info **info_out, hvd_error *err);
    /** libvirt <network> XML [transfer]. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const char *name, uint32_t flags, char **xml_out, hvd_error *err);
    int32_t (HVD_CALL *define_xml)(hvd_conn *conn, const char *xml, uint32_t flags,
                                   hvd_network_info **info_out, hvd_error *err);
    int32_t (HVD_CALL *undefine)(hvd_conn *conn, const char *name, uint32_t flags, hvd_error *err);

    int32_t (HVD_CALL *iface_list)(hvd_conn *conn, uint32_t flags, hvd_iface_list **list_out, hvd_error *err);
    /** libvirt <interface> XML [transfer]. */
    int32_t (HVD_CALL *iface_get_xml)(hvd_conn *conn, const char *name, uint32_t flags,
                                      char **xml_out, hvd_error *err);
} hvd_network_table;

/* ------------------------------------------------------------------------ */
/* Migration                                                                 */
/* ------------------------------------------------------------------------ */

/* Migration parameter names (typed parameters) */
#define HVD_MIGRATE_PARAM_DEST_URI  "dest_uri"  /**< STRING: vpx:// URI of the destination host (required) */
#define HVD_MIGRATE_PARAM_DEST_NAME "dest_name" /**< STRING: must equal the current name (ESX cannot rename) */
#define HVD_MIGRATE_PARAM_PRIORITY  "priority"  /**< STRING: "default", "high", "low" */

#define HVD_MIGRATE_LIVE 0x1u

/** Progress of a running migration, caller-allocated. */
typedef struct hvd_job_info {
    uint32_t struct_size;
    int32_t active;          /**< 1 while a job runs */
    int32_t percent;         /**< 0..100, -1 unknown */
    int32_t reserved0;
    int64_t elapsed_ms;
} hvd_job_info;

/** All [any-thread]; cancel and get_progress are meant to be called from
 *  another thread while perform runs. */
typedef struct hvd_migrate_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Validate without moving anything (vCenter's CheckMigrate semantics). */
    int32_t (HVD_CALL *check)(hvd_conn *conn, const uint8_t uuid[16], const hvd_param *params,
                              uint32_t nparams, uint32_t flags, hvd_error *err);
    int32_t (HVD_CALL *perform)(hvd_conn *conn, const uint8_t uuid[16], const hvd_param *params,
                                uint32_t nparams, uint32_t flags, const hvd_progress *progress, hvd_error *err);
    int32_t (HVD_CALL *cancel)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_error *err);
    int32_t (HVD_CALL *get_progress)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                     hvd_job_info *info, hvd_error *err);
} hvd_migrate_table;

/* ------------------------------------------------------------------------ */
/* Native config conversion                                                  */
/* ------------------------------------------------------------------------ */

/* Conversion parameter names */
#define HVD_NATIVE_PARAM_VMX_LOCATION    "vmx_location"    /**< STRING "[DS] DIR": where the VMX lives */
#define HVD_NATIVE_PARAM_DATACENTER_PATH "datacenter_path" /**< STRING, fills <vmware:datacenterpath> */
#define HVD_NATIVE_PARAM_HW_VERSION      "hw_version"      /**< UINT64 virtual hardware version (default 4) */

/** `format` is "vmware-vmx". These members accept conn == NULL: the
 *  conversion then runs offline (datastore paths mapped by the rules in
 *  docs/native.md) instead of asking the server. [any-thread] */
typedef struct hvd_native_table {
    uint32_t struct_size;
    uint32_t reserved0;
    int32_t (HVD_CALL *to_xml)(hvd_conn *conn, const char *format, const char *native,
                               const hvd_param *params, uint32_t nparams, uint32_t flags,
                               char **xml_out, hvd_error *err);
    int32_t (HVD_CALL *from_xml)(hvd_conn *conn, const char *format, const char *xml,
                                 const hvd_param *params, uint32_t nparams, uint32_t flags,
                                 char **native_out, hvd_error *err);
} hvd_native_table;

/* ------------------------------------------------------------------------ */
/* The driver table                                                          */
/* ------------------------------------------------------------------------ */

/* hvd_driver.capabilities bits */
#define HVD_CAP_CONNECT    (UINT64_C(1) << 0)
#define HVD_CAP_DOMAIN     (UINT64_C(1) << 1)
#define HVD_CAP_SNAPSHOT   (UINT64_C(1) << 2)
#define HVD_CAP_SCHED      (UINT64_C(1) << 3)
#define HVD_CAP_STORAGE    (UINT64_C(1) << 4)
#define HVD_CAP_NETWORK    (UINT64_C(1) << 5)
#define HVD_CAP_MIGRATE    (UINT64_C(1) << 6)
#define HVD_CAP_NATIVE     (UINT64_C(1) << 7)
#define HVD_CAP_PROGRESS   (UINT64_C(1) << 8)  /**< long operations report progress */
#define HVD_CAP_CANCEL     (UINT64_C(1) << 9)  /**< long operations can be cancelled */

/** The driver's table: static, [borrowed: until the library is unloaded].
 *  Sub-tables may be NULL (capability absent). */
typedef struct hvd_driver {
    uint32_t struct_size;
    uint32_t abi_major;          /**< HVD_ABI_MAJOR the driver was built with */
    uint32_t abi_minor;          /**< highest minor the driver implements */
    uint32_t reserved0;
    const char *name;            /**< e.g. "esx" */
    const char *version;         /**< driver release, e.g. "0.1.0" */
    const char *description;
    const char *const *uri_schemes; /**< NULL-terminated, e.g. {"esx","gsx","vpx",NULL} */
    uint64_t capabilities;       /**< HVD_CAP_* summary of the tables below */

    /** Release memory the driver returned ([transfer] results). NULL is a
     *  no-op. [any-thread] */
    void (HVD_CALL *free)(void *ptr);
    /** Global setup (libcurl, libxml2): refcounted and idempotent; the host
     *  calls it once before the first open and pairs it with shutdown().
     *  [process] */
    int32_t (HVD_CALL *init)(uint32_t flags, hvd_error *err);
    /** Drop one init() reference; the last one releases global state. [process] */
    void (HVD_CALL *shutdown)(void);
    /** Driver-specific extension by id "vendor.name/REV", or NULL. The
     *  returned table is [borrowed: until unload] and begins with struct_size.
     *  [any-thread] */
    const void *(HVD_CALL *get_extension)(const char *id, uint32_t flags);

    const hvd_connect_table *connect;
    const hvd_domain_table *domain;
    const hvd_snapshot_table *snapshot;
    const hvd_sched_table *sched;
    const hvd_storage_table *storage;
    const hvd_network_table *network;
    const hvd_migrate_table *migrate;
    const hvd_native_table *native;
} hvd_driver;

/** The one exported function of a driver.
 *
 *  `host_minor`: the ABI minor the host was compiled against. `host`
 *  [borrowed: until unload]: upcalls, may be NULL. On success stores the
 *  driver's table in *driver_out and min(host_minor, driver minor) in
 *  *minor_out; the host must not use anything newer than that minor.
 *  Returns HVD_ERR_ABI_MISMATCH when no minor is common (e.g. `host` is
 *  smaller than the 1.0 hvd_host), HVD_ERR_INVALID_ARG for NULL outputs.
 *  Cheap and free of side effects: no network, no threads, no allocation;
 *  may be called more than once. [process] */
typedef int32_t (HVD_CALL *hvd_driver_entry_fn)(uint32_t host_minor, const hvd_host *host,
                                                const hvd_driver **driver_out, uint32_t *minor_out);

HVD_EXPORT int32_t HVD_CALL hvd_driver_entry_v1(uint32_t host_minor, const hvd_host *host,
                                                const hvd_driver **driver_out, uint32_t *minor_out);

#ifdef __cplusplus
}
#endif

#endif /* HVD_H */
