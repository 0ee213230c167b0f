/* hvd.h — the HVD ABI, version 1.1: the contract between host applications
 * and hypervisor driver plugins loaded with dlopen().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This is the only public header of a driver. Everything a host and a driver
 * exchange is declared here; docs/abi.md walks through it and states the
 * project's ABI rules and why each exists.
 *
 * ---------------------------------------------------------------------------
 * Conventions used by every declaration below
 * ---------------------------------------------------------------------------
 *
 * Sizes. Every table and every struct that crosses the ABI begins with
 * `uint32_t struct_size`. Tables and driver-returned structs: the driver sets
 * it to sizeof() of its own definition. Caller-allocated out structs
 * (hvd_node_info, hvd_job_info): the caller sets it to the size it allocated;
 * the driver writes only members that fit entirely, then stores
 * min(caller size, driver size) back, so the caller knows which members were
 * written. hvd_error is the one exception: the driver never writes its
 * struct_size (see there), so one hvd_error serves any number of calls.
 * Before reading member m of a struct it did not produce, a reader
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
 * Flags. Every operation takes `uint32_t flags`, and its comment lists the
 * accepted bits on a "Flags:" line ("Flags: none" = pass 0). Bits a driver
 * does not know are rejected with HVD_ERR_BAD_FLAGS (never ignored), so a
 * host can probe.
 *
 * Ownership. Each pointer parameter or member says one of:
 *   [borrowed]          the callee reads it during the call only;
 *   [borrowed: until X] valid until event X;
 *   [transfer]          returned memory the receiver owns. Everything a driver
 *                       returns is ONE allocation (lists and the strings they
 *                       point to are packed into it) and is released with
 *                       hvd_driver.free — never with the host's free().
 * Unless a comment says otherwise: every `*_out` argument receives [transfer]
 * memory; the driver sets `*out` to NULL (0 for numbers) on entry, before any
 * check, so it is NULL on every failure; a NULL `*_out` pointer fails with
 * HVD_ERR_INVALID_ARG. Every other pointer argument is [borrowed] for the
 * call. `conn` is [borrowed] and must be an open connection.
 *
 * Objects. A domain is addressed by a `const char *domain` that is either
 * its key (hvd_domain_info.key: stable and unique on the server, e.g. the
 * VM's managed object id "vm-42") or its BIOS UUID in text form
 * ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", any case). A driver never hands
 * out a key of the UUID form, so the two cannot be confused. vSphere allows
 * two VMs with the same BIOS UUID (copies): a UUID that matches more than one
 * domain fails with HVD_ERR_AMBIGUOUS, whose message lists the keys. A
 * snapshot is addressed by its name, or by its key (hvd_snapshot_info.key)
 * when the call passes HVD_SNAPSHOT_BY_KEY; a name two snapshots share fails
 * with HVD_ERR_AMBIGUOUS. A volume is addressed by a path when the string
 * starts with '[' ("[datastore] dir/disk.vmdk") and by its key otherwise
 * (keys never start with '['). Pools and networks are addressed by name,
 * unique per host.
 *
 * Threads. Each member carries one tag:
 *   [any-thread]  may be called from any thread, concurrently with any other
 *                 [any-thread] call, including on the same connection;
 *   [conn-exclusive] must not run concurrently with any other call on the
 *                 same connection (close() alone);
 *   [process]     process-wide; the host serialises these itself (init,
 *                 shutdown, the entry function).
 * open() is [any-thread]: each call makes a new connection.
 *
 * Callbacks. Upcalls (hvd_host) and per-call callbacks (progress, the
 * hvd_read_fn / hvd_write_fn of volume transfers) run synchronously on the
 * thread that made the call they belong to, before that call returns, never
 * after it; log and auth upcalls of a connection run on the thread of the
 * call that logs or authenticates. The driver never holds one of its locks
 * while calling into the host, so a callback may call back into the driver
 * (any [any-thread] member, on any connection).
 *
 * Cancel. A progress callback that returns non-zero asks the driver to
 * cancel. A cancel is a request: the driver asks the server to cancel the
 * task and the call returns HVD_ERR_CANCELLED only when the server did; if
 * the server could not honour it (the task was not cancelable or had
 * already finished), the call waits for the task and returns its own result
 * (HVD_OK if it succeeded), and does not call the progress callback again.
 *
 * Unknown values (forward compatibility). A driver of a newer minor may
 * return values this header does not name. Hosts treat them so:
 *   status code  any negative code is a failure: show hvd_error.message and
 *                handle it like HVD_ERR_OPERATION_FAILED; never crash or assert;
 *   state        an unknown hvd_domain_info.state is shown as "unknown" and
 *                handled like HVD_DOMAIN_NOSTATE; an unknown pool state like
 *                HVD_POOL_INACCESSIBLE;
 *   reason       an unknown reason is handled like 0 (unknown);
 *   param type   a returned hvd_param of unknown `type` is skipped (its name
 *                can still be shown); the other entries stay valid;
 *   capability   unknown hvd_driver.capabilities bits are ignored;
 *   flags        a host must not pass bits its minor does not define.
 * A driver given a value it does not know (a state, type or flag from a
 * newer host) rejects it with HVD_ERR_INVALID_ARG or HVD_ERR_BAD_FLAGS.
 *
 * Unsupported. A NULL sub-table means the capability is absent; a NULL member
 * means the operation is unsupported. Hosts map both to HVD_ERR_NO_SUPPORT.
 * hvd_driver.capabilities summarises both for UIs.
 *
 * Departures from the rules in docs/abi.md ("Our rules"), with reasons:
 *  - Domains, pools, volumes and networks are named by value (key, UUID,
 *    name) rather than by opaque handles: the server is the truth and the
 *    driver keeps no object cache a host could hold stale references into.
 *  - The host's upcall table is passed to open() and belongs to that
 *    connection, not to the entry function: two hosts in one process (a GUI
 *    and a language binding, two loaders) must never receive each other's
 *    prompts or logs, and a global table would dangle once one host unloads.
 *    The entry function therefore takes only the host's minor.
 *  - hvd_native_table members accept conn == NULL (offline conversion), which
 *    no other table allows: converting a file must not need a server.
 *  - free, close and shutdown take no flags: they release resources, cannot
 *    fail and return nothing a flag could change, like free(3).
 *    get_extension takes flags but returns a pointer, not a status: unknown
 *    bits make it return NULL, exactly as an unknown id does.
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
/** Highest ABI minor version this header describes. 1.1 appended the memory
 *  parameters to hvd_sched_table (members marked "since 1.1"). */
#define HVD_ABI_MINOR 1

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
#define HVD_ERR_AUTH_FAILED         -8  /**< server refused the credentials (asking again may help) */
#define HVD_ERR_AUTH_CANCELLED      -9  /**< no credentials were provided */
#define HVD_ERR_CONNECT            -10  /**< server unreachable / connection lost */
#define HVD_ERR_TLS                -11  /**< TLS failed: handshake, protocol or certificate (the message says which) */
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
#define HVD_ERR_ACCESS_DENIED      -29  /**< logged in, but the user lacks the privilege (vSphere
                                             NoPermission): asking for the password again will not help */
#define HVD_ERR_AMBIGUOUS          -30  /**< more than one object matches (two VMs with one BIOS UUID,
                                             two snapshots with one name): address it by key */
/** Driver-specific codes live in [HVD_ERR_VENDOR_LAST, HVD_ERR_VENDOR_FIRST]. */
#define HVD_ERR_VENDOR_FIRST    -10000
#define HVD_ERR_VENDOR_LAST     -19999

/* ------------------------------------------------------------------------ */
/* Error detail                                                              */
/* ------------------------------------------------------------------------ */

#define HVD_ERROR_FAULT_LEN   64
#define HVD_ERROR_MESSAGE_LEN 1024

/** Caller-allocated error detail, passed as the last argument of every
 *  operation (may be NULL). The caller sets struct_size (use HVD_ERROR_INIT)
 *  to the size it allocated; the driver never writes struct_size. On failure
 *  the driver writes every member it knows that fits entirely in
 *  struct_size (`fault` and `message` always NUL-terminated, "" when empty);
 *  on success it writes nothing, so a host reads `err` only when a call
 *  returned non-zero, and may pass the same hvd_error to any number of calls
 *  (from one thread at a time) without resetting it. A host of a newer minor
 *  that wants to know whether an older driver filled a member it does not
 *  know zeroes that member before the call. Never contains a password or a
 *  session cookie; server text in `message` has its control characters
 *  escaped. */
typedef struct hvd_error {
    uint32_t struct_size;
    int32_t code;                        /**< same as the returned status */
    char fault[HVD_ERROR_FAULT_LEN];     /**< vSphere fault type, e.g. "InvalidLogin"; "" if none */
    char message[HVD_ERROR_MESSAGE_LEN]; /**< UTF-8; names the object, the cause and the fix;
                                              truncated on a character boundary */
} hvd_error;

/** Initialiser of an hvd_error: designated, so that it stays free of
 *  missing-initialiser warnings when a newer minor appends members (C99,
 *  C++20; older C++: zero the struct and set struct_size). */
#define HVD_ERROR_INIT { .struct_size = sizeof(hvd_error) }

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

/* log levels; a level above HVD_LOG_DEBUG is a finer debug level */
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
 *  Return 0 to continue or non-zero to request cancellation (see "Cancel":
 *  HVD_ERR_CANCELLED only if the server cancelled). Runs on the calling
 *  thread. */
typedef int32_t (HVD_CALL *hvd_progress_fn)(void *user_data, const char *what, int32_t percent);

/** Per-call progress override for long operations; NULL means "use the
 *  connection's hvd_host.progress". [borrowed] for the call. */
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

/** The host's upcall table, passed to open() and bound to the connection
 *  it makes: [borrowed: until close() of that connection returns]. The
 *  driver keeps no other reference to it, so two hosts in one process each
 *  receive only the upcalls of their own connections. Every member may be
 *  NULL. Upcalls run on the thread of the call that triggers them (see
 *  "Callbacks") and are never made while the driver holds a lock. */
typedef struct hvd_host {
    uint32_t struct_size;
    uint32_t reserved0;
    void *user_data;           /**< passed back verbatim to every upcall */
    /** Log sink. `component` e.g. "esx.vi"; `message` [borrowed] for the
     *  call, one line, never contains secrets, control characters escaped.
     *  HVD_LOG_DEBUG carries one line per server request (method name). */
    void (HVD_CALL *log)(void *user_data, int32_t level, const char *component, const char *message);
    /** Credential prompts (see hvd_auth_fn), made by open() when the URI
     *  and the driver's own sources do not supply the credentials. */
    hvd_auth_fn auth;
    /** Default progress sink for long operations of this connection without
     *  a per-call hvd_progress. */
    hvd_progress_fn progress;
} hvd_host;

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

/** Node information (like libvirt's virNodeInfo), caller-allocated: the
 *  driver writes the members that fit in the caller's struct_size. */
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

/** Connection and host calls. The calls that need the connection's host
 *  (hostname, node info, capabilities, free memory, max vCPUs) may find it
 *  on first use, so on an esx:// connection they may fail with
 *  HVD_ERR_NO_HOST or a connection error the first time. */
typedef struct hvd_connect_table {
    uint32_t struct_size;
    uint32_t reserved0;

    /** Connect and log in. `uri` [borrowed] e.g. "esx://root@host/?no_verify=1".
     *  `params` [borrowed] optional typed options (none defined in 1.0; pass
     *  NULL/0). `host` [borrowed: until close()] the upcalls of this
     *  connection (log, auth, progress), or NULL for none; a table smaller
     *  than 1.0's hvd_host fails with HVD_ERR_ABI_MISMATCH. The driver's
     *  init() must have been called (else HVD_ERR_INVALID_ARG).
     *  Flags: HVD_CONNECT_READONLY.
     *  On success *conn_out [transfer] is released with close(). Errors:
     *  HVD_ERR_URI, HVD_ERR_AUTH_FAILED, HVD_ERR_AUTH_CANCELLED,
     *  HVD_ERR_ACCESS_DENIED, HVD_ERR_CONNECT, HVD_ERR_TLS, HVD_ERR_TIMEOUT,
     *  HVD_ERR_NO_HOST. Messages never quote the URI's password.
     *  [any-thread] (each call makes a new connection) */
    int32_t (HVD_CALL *open)(const char *uri, const hvd_param *params, uint32_t nparams,
                             const hvd_host *host, uint32_t flags,
                             hvd_conn **conn_out, hvd_error *err);
    /** Log out and free. `conn` [transfer] to the driver; NULL is a no-op.
     *  After it returns the driver makes no more upcalls through the
     *  connection's hvd_host. [conn-exclusive] */
    void (HVD_CALL *close)(hvd_conn *conn);
    /** The canonical URI of the connection, password-free [transfer].
     *  Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_uri)(hvd_conn *conn, uint32_t flags, char **uri_out, hvd_error *err);
    /** The server's host name (for vpx://, the selected ESX host's) [transfer].
     *  Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_hostname)(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err);
    /** Product and version [transfer]. Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_version)(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err);
    /** Node information into a caller-allocated struct (see "Sizes").
     *  Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_node_info)(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err);
    /** libvirt-format capabilities XML [transfer]. Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_capabilities)(hvd_conn *conn, uint32_t flags, char **xml_out, hvd_error *err);
    /** Free host memory in bytes. Flags: none. [any-thread] */
    int32_t (HVD_CALL *get_free_memory)(hvd_conn *conn, uint32_t flags, uint64_t *bytes_out, hvd_error *err);
    /** 1 if the session is usable (checks with the server), 0 if not; an
     *  unreachable server is 0, not an error. Flags: none. [any-thread] */
    int32_t (HVD_CALL *is_alive)(hvd_conn *conn, uint32_t flags, int32_t *alive_out, hvd_error *err);
    /** 1 if the transport is encrypted (https), else 0. No network.
     *  Flags: none. [any-thread] */
    int32_t (HVD_CALL *is_secure)(hvd_conn *conn, uint32_t flags, int32_t *secure_out, hvd_error *err);
    /** Highest vCPU count one domain may have. Flags: none. [any-thread] */
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

#define HVD_DOMAIN_KEY_LEN 64 /**< a key is at most this many bytes, NUL included */

/** One domain: used by list_all, lookups and get_info [transfer or packed in
 *  a list]. Strings point into the same allocation. */
typedef struct hvd_domain_info {
    uint32_t struct_size;
    int32_t id;              /**< positive while running, -1 otherwise */
    int32_t state;           /**< HVD_DOMAIN_* */
    int32_t reason;          /**< state reason, 0 if unknown */
    uint8_t uuid[16];        /**< BIOS UUID; two domains may share one */
    uint64_t memory_kib;     /**< current memory */
    uint64_t max_memory_kib; /**< configured maximum */
    uint32_t vcpus;
    uint32_t persistent;     /**< 1: defined on the server (always 1 for ESX) */
    uint64_t cpu_time_ns;    /**< 0 if unknown */
    const char *name;        /**< unescaped display name */
    const char *key;         /**< stable, unique on the server, never of the UUID form
                                  (ESX: the managed object id, e.g. "vm-42"); pass it
                                  as `domain` to address exactly this domain */
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
/** Since 1.1: a brief listing (list_all, lookup_by_name): each entry has
 *  only name, key, id, state and reason filled; uuid is all zero and
 *  memory_kib, max_memory_kib, vcpus and cpu_time_ns are 0. Cheaper for
 *  the server (ESX: two properties per VM instead of three larger ones).
 *  A 1.0 driver refuses it with HVD_ERR_BAD_FLAGS: a host retries without
 *  it (a full entry is also a valid brief one). */
#define HVD_LIST_BRIEF    0x4u

/* set_memory / set_max_memory / set_vcpus flags */
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

/** Domains are addressed by `const char *domain`: a key or a UUID in text
 *  form (see "Objects"); an unknown one fails with HVD_ERR_NO_DOMAIN, a
 *  shared UUID with HVD_ERR_AMBIGUOUS. Every member is [any-thread]. Long
 *  operations take an optional hvd_progress [borrowed] (NULL: the
 *  connection's host progress upcall) and can be cancelled through it. */
typedef struct hvd_domain_table {
    uint32_t struct_size;
    uint32_t reserved0;

    /** All domains with name, key, UUID, id, state, memory and vCPUs, in one
     *  call (one server round trip per page). Flags: HVD_LIST_ACTIVE,
     *  HVD_LIST_INACTIVE (neither or both: all); HVD_LIST_BRIEF (since 1.1;
     *  a 1.0 driver refuses it with HVD_ERR_BAD_FLAGS): name, key, id, state
     *  and reason only. */
    int32_t (HVD_CALL *list_all)(hvd_conn *conn, uint32_t flags, hvd_domain_list **list_out, hvd_error *err);
    /** By display name (unescaped, as list_all returns it); a name two
     *  domains share fails with HVD_ERR_AMBIGUOUS. Flags: HVD_LIST_BRIEF
     *  (since 1.1; a 1.0 driver refuses it with HVD_ERR_BAD_FLAGS): *info_out
     *  with name, key, id, state and reason only, as a brief list_all entry
     *  (ESX: no second request after the walk of names). */
    int32_t (HVD_CALL *lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                       hvd_domain_info **info_out, hvd_error *err);
    /** By raw BIOS UUID; shared by two domains: HVD_ERR_AMBIGUOUS. Flags: none. */
    int32_t (HVD_CALL *lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                       hvd_domain_info **info_out, hvd_error *err);
    /** By the id of a running domain. Flags: none. */
    int32_t (HVD_CALL *lookup_by_id)(hvd_conn *conn, int32_t id, uint32_t flags,
                                     hvd_domain_info **info_out, hvd_error *err);
    /** Fresh info of one domain (also: lookup by key). Flags: none. */
    int32_t (HVD_CALL *get_info)(hvd_conn *conn, const char *domain, uint32_t flags,
                                 hvd_domain_info **info_out, hvd_error *err);
    /** State and reason into *state_out and *reason_out (both required).
     *  Flags: none. */
    int32_t (HVD_CALL *get_state)(hvd_conn *conn, const char *domain, uint32_t flags,
                                  int32_t *state_out, int32_t *reason_out, hvd_error *err);
    /** libvirt-format domain XML [transfer]. Flags: none. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const char *domain, uint32_t flags,
                                char **xml_out, hvd_error *err);
    /** Define (or redefine) from domain XML [borrowed]; `info_out` may be NULL
     *  (no info wanted), else *info_out [transfer]. Flags: none. */
    int32_t (HVD_CALL *define_xml)(hvd_conn *conn, const char *xml, uint32_t flags,
                                   hvd_domain_info **info_out, hvd_error *err);
    /** Flags: HVD_UNDEFINE_SNAPSHOTS. */
    int32_t (HVD_CALL *undefine)(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);
    /** Power on. Flags: none. */
    int32_t (HVD_CALL *start)(hvd_conn *conn, const char *domain, uint32_t flags,
                              const hvd_progress *progress, hvd_error *err);
    /** Power off at once. Flags: none. */
    int32_t (HVD_CALL *destroy)(hvd_conn *conn, const char *domain, uint32_t flags,
                                const hvd_progress *progress, hvd_error *err);
    /** Ask the guest to shut down; returns when the request is accepted.
     *  Flags: HVD_SHUTDOWN_GUEST_AGENT. */
    int32_t (HVD_CALL *shutdown)(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);
    /** Ask the guest to reboot. Flags: HVD_SHUTDOWN_GUEST_AGENT. */
    int32_t (HVD_CALL *reboot)(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *suspend)(hvd_conn *conn, const char *domain, uint32_t flags,
                                const hvd_progress *progress, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *resume)(hvd_conn *conn, const char *domain, uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    /** Current memory (KiB, a multiple of 4096 KiB on ESX).
     *  Flags: HVD_AFFECT_LIVE, HVD_AFFECT_CONFIG. */
    int32_t (HVD_CALL *set_memory)(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    /** Flags: HVD_AFFECT_LIVE, HVD_AFFECT_CONFIG. */
    int32_t (HVD_CALL *set_max_memory)(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags,
                                       const hvd_progress *progress, hvd_error *err);
    /** Flags: HVD_AFFECT_LIVE, HVD_AFFECT_CONFIG. */
    int32_t (HVD_CALL *set_vcpus)(hvd_conn *conn, const char *domain, uint32_t vcpus, uint32_t flags,
                                  const hvd_progress *progress, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *get_autostart)(hvd_conn *conn, const char *domain, uint32_t flags,
                                      int32_t *autostart_out, hvd_error *err);
    /** `autostart` 0 or 1. Flags: none. */
    int32_t (HVD_CALL *set_autostart)(hvd_conn *conn, const char *domain, int32_t autostart,
                                      uint32_t flags, hvd_error *err);
    /** Guest host name as reported by VMware Tools [transfer]. Flags: none. */
    int32_t (HVD_CALL *get_guest_hostname)(hvd_conn *conn, const char *domain, uint32_t flags,
                                           char **hostname_out, hvd_error *err);
    /** Guest interface addresses as reported by VMware Tools [transfer].
     *  Flags: none. */
    int32_t (HVD_CALL *get_guest_addresses)(hvd_conn *conn, const char *domain, uint32_t flags,
                                            hvd_guest_address_list **list_out, hvd_error *err);
} hvd_domain_table;

/* ------------------------------------------------------------------------ */
/* Snapshots                                                                 */
/* ------------------------------------------------------------------------ */

/** One snapshot [transfer or packed in a list]. Strings point into the same
 *  allocation. */
typedef struct hvd_snapshot_info {
    uint32_t struct_size;
    int32_t state;             /**< HVD_DOMAIN_* state the domain had */
    int64_t creation_time;     /**< seconds since the epoch */
    uint32_t is_current;       /**< 1 for the domain's current snapshot */
    uint32_t num_children;
    const char *name;          /**< not unique: two snapshots may share it */
    const char *description;
    const char *parent;        /**< parent's name or NULL for a root */
    const char *key;           /**< stable and unique within the domain (ESX: the
                                    snapshot's id); use with HVD_SNAPSHOT_BY_KEY */
    const char *parent_key;    /**< parent's key or NULL for a root */
} hvd_snapshot_info;

typedef struct hvd_snapshot_list {
    uint32_t struct_size;
    uint32_t count;
    uint32_t entry_size;
    uint32_t reserved0;
    const hvd_snapshot_info *entries;
} hvd_snapshot_list;

/** Accepted by every member that takes a `snapshot` argument: it is a key
 *  (hvd_snapshot_info.key), not a name. */
#define HVD_SNAPSHOT_BY_KEY 0x10000u

/* list / children flags */
#define HVD_SNAPSHOT_LIST_ROOTS       0x1u /**< only roots */
#define HVD_SNAPSHOT_LIST_DESCENDANTS 0x2u /**< children(): all descendants, not only direct children */
#define HVD_SNAPSHOT_LIST_LEAVES      0x4u
#define HVD_SNAPSHOT_LIST_NO_LEAVES   0x8u
/* remove flags */
#define HVD_SNAPSHOT_DELETE_CHILDREN      0x1u
#define HVD_SNAPSHOT_DELETE_CHILDREN_ONLY 0x2u
/* create flags */
#define HVD_SNAPSHOT_CREATE_QUIESCE 0x1u

/** Snapshots belong to a domain (`domain`: see "Objects") and are addressed
 *  by name, or by key with HVD_SNAPSHOT_BY_KEY; a name two snapshots share
 *  fails with HVD_ERR_AMBIGUOUS, an unknown one with HVD_ERR_NO_SNAPSHOT.
 *  All [any-thread]. */
typedef struct hvd_snapshot_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Create from libvirt <domainsnapshot> XML [borrowed]; `info_out` may be
     *  NULL, else *info_out [transfer]. Flags: HVD_SNAPSHOT_CREATE_QUIESCE. */
    int32_t (HVD_CALL *create_xml)(hvd_conn *conn, const char *domain, const char *xml, uint32_t flags,
                                   const hvd_progress *progress, hvd_snapshot_info **info_out, hvd_error *err);
    /** Every snapshot of the domain, parents before children.
     *  Flags: HVD_SNAPSHOT_LIST_ROOTS, HVD_SNAPSHOT_LIST_LEAVES,
     *  HVD_SNAPSHOT_LIST_NO_LEAVES. */
    int32_t (HVD_CALL *list)(hvd_conn *conn, const char *domain, uint32_t flags,
                             hvd_snapshot_list **list_out, hvd_error *err);
    /** Flags: HVD_SNAPSHOT_BY_KEY. */
    int32_t (HVD_CALL *lookup)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                               hvd_snapshot_info **info_out, hvd_error *err);
    /** HVD_ERR_NO_SNAPSHOT when the domain has no current snapshot.
     *  Flags: none. */
    int32_t (HVD_CALL *current)(hvd_conn *conn, const char *domain, uint32_t flags,
                                hvd_snapshot_info **info_out, hvd_error *err);
    /** HVD_ERR_NO_SNAPSHOT when `snapshot` is a root. Flags: HVD_SNAPSHOT_BY_KEY. */
    int32_t (HVD_CALL *parent)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                               hvd_snapshot_info **info_out, hvd_error *err);
    /** Direct children, or all descendants.
     *  Flags: HVD_SNAPSHOT_BY_KEY, HVD_SNAPSHOT_LIST_DESCENDANTS,
     *  HVD_SNAPSHOT_LIST_LEAVES, HVD_SNAPSHOT_LIST_NO_LEAVES. */
    int32_t (HVD_CALL *children)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                                 hvd_snapshot_list **list_out, hvd_error *err);
    /** Flags: HVD_SNAPSHOT_BY_KEY. */
    int32_t (HVD_CALL *revert)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    /** Flags: HVD_SNAPSHOT_BY_KEY, HVD_SNAPSHOT_DELETE_CHILDREN,
     *  HVD_SNAPSHOT_DELETE_CHILDREN_ONLY. */
    int32_t (HVD_CALL *remove)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                               const hvd_progress *progress, hvd_error *err);
    /** libvirt <domainsnapshot> XML [transfer]. Flags: HVD_SNAPSHOT_BY_KEY. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags,
                                char **xml_out, hvd_error *err);
} hvd_snapshot_table;

/* ------------------------------------------------------------------------ */
/* Scheduler parameters                                                      */
/* ------------------------------------------------------------------------ */

/* Scheduler parameter names (typed parameters), as libvirt's ESX driver */
#define HVD_SCHED_PARAM_RESERVATION "reservation" /**< INT64, MHz, >= 0 */
#define HVD_SCHED_PARAM_LIMIT       "limit"       /**< INT64, MHz, -1 = unlimited, else >= reservation */
#define HVD_SCHED_PARAM_SHARES      "shares"      /**< INT64: -1 low, -2 normal, -3 high, or a count >= 0 */

/* Memory parameter names (typed parameters, since 1.1), as libvirt's
 * memory tunables (virsh memtune). Quantities in KiB; a driver whose server
 * counts in coarser units rounds up and says so in its documentation. */
#define HVD_MEM_PARAM_MIN_GUARANTEE "min_guarantee" /**< INT64, KiB, >= 0: the memory reservation */
#define HVD_MEM_PARAM_HARD_LIMIT    "hard_limit"    /**< INT64, KiB, -1 = unlimited, else >= min_guarantee */
#define HVD_MEM_PARAM_SHARES        "shares"        /**< INT64: -1 low, -2 normal, -3 high, or a count >= 0 */

/** Per-domain scheduler (CPU) and, since 1.1, memory parameters (`domain`:
 *  see "Objects"). All [any-thread]. */
typedef struct hvd_sched_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Scheduler type name ("allocation") [transfer] and parameter count
     *  into *nparams_out (required). Flags: none. */
    int32_t (HVD_CALL *get_type)(hvd_conn *conn, const char *domain, uint32_t flags,
                                 char **type_out, uint32_t *nparams_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *get_params)(hvd_conn *conn, const char *domain, uint32_t flags,
                                   hvd_param_list **params_out, hvd_error *err);
    /** `params` [borrowed], strided by params[0].struct_size. Changes only
     *  the parameters given. Unknown names, wrong types or values breaking
     *  a rule fail with HVD_ERR_INVALID_ARG naming the parameter, before
     *  anything is sent. Flags: none. */
    int32_t (HVD_CALL *set_params)(hvd_conn *conn, const char *domain, const hvd_param *params,
                                   uint32_t nparams, uint32_t flags, hvd_error *err);

    /* ---- since 1.1: memory parameters (HVD_MEM_PARAM_*). A 1.0 driver's
     * table ends before them: check HVD_HAS_MEMBER(sched, hvd_sched_table,
     * get_memory_params) and treat an absent or NULL member as
     * HVD_ERR_NO_SUPPORT. ---- */

    /** The domain's memory parameters [transfer]: every HVD_MEM_PARAM_* the
     *  driver knows, each HVD_PARAM_INT64. Flags: none. Since 1.1. */
    int32_t (HVD_CALL *get_memory_params)(hvd_conn *conn, const char *domain, uint32_t flags,
                                          hvd_param_list **params_out, hvd_error *err);
    /** `params` [borrowed], strided by params[0].struct_size, each
     *  HVD_PARAM_INT64. Changes only the parameters given and keeps the
     *  others. Unknown names, wrong types, a parameter given twice or values
     *  breaking a rule (HVD_MEM_PARAM_*) fail with HVD_ERR_INVALID_ARG
     *  naming the parameter and the rule, before anything is sent.
     *  Flags: none. Since 1.1. */
    int32_t (HVD_CALL *set_memory_params)(hvd_conn *conn, const char *domain, const hvd_param *params,
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
    const char *key;         /**< stable key, never starting with '[' (e.g. the virtual disk UUID) */
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
 *  fails with HVD_ERR_IO). Called on the thread that called vol_upload,
 *  before it returns (see "Callbacks"). */
typedef int64_t (HVD_CALL *hvd_read_fn)(void *user_data, uint8_t *buf, uint64_t capacity);
/** Data sink for downloads: consume `len` bytes [borrowed for the call];
 *  return 0, or non-zero to abort (HVD_ERR_IO). Called on the thread that
 *  called vol_download, before it returns. */
typedef int32_t (HVD_CALL *hvd_write_fn)(void *user_data, const uint8_t *buf, uint64_t len);

/* pool list flags */
#define HVD_POOL_LIST_ACTIVE   0x1u
#define HVD_POOL_LIST_INACTIVE 0x2u
/* vol_list flags */
#define HVD_VOL_LIST_KEYS (1u << 0)

/** Pools are addressed by name; volumes by `volume`, a path when it starts
 *  with '[' ("[datastore] dir/disk.vmdk"), else a key (see "Objects"), or
 *  by (pool, name). All [any-thread]. */
typedef struct hvd_storage_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Flags: HVD_POOL_LIST_ACTIVE, HVD_POOL_LIST_INACTIVE (neither or both: all). */
    int32_t (HVD_CALL *pool_list)(hvd_conn *conn, uint32_t flags, hvd_pool_list **list_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *pool_lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                            hvd_pool_info **info_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *pool_lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                            hvd_pool_info **info_out, hvd_error *err);
    /** libvirt <pool> XML [transfer]. Flags: none. */
    int32_t (HVD_CALL *pool_get_xml)(hvd_conn *conn, const char *pool, uint32_t flags,
                                     char **xml_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *pool_refresh)(hvd_conn *conn, const char *pool, uint32_t flags, hvd_error *err);

    /** Flags: HVD_VOL_LIST_KEYS fills every entry's `key`; without it an
     *  entry whose key costs a request per volume (a vmdk's disk UUID) has
     *  `key` NULL (lookups and vol_get_xml always give it). */
    int32_t (HVD_CALL *vol_list)(hvd_conn *conn, const char *pool, uint32_t flags,
                                 hvd_volume_list **list_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *vol_lookup_by_name)(hvd_conn *conn, const char *pool, const char *name, uint32_t flags,
                                           hvd_volume_info **info_out, hvd_error *err);
    /** `path` "[datastore] dir/file". Flags: none. */
    int32_t (HVD_CALL *vol_lookup_by_path)(hvd_conn *conn, const char *path, uint32_t flags,
                                           hvd_volume_info **info_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *vol_lookup_by_key)(hvd_conn *conn, const char *key, uint32_t flags,
                                          hvd_volume_info **info_out, hvd_error *err);
    /** libvirt <volume> XML [transfer]. Flags: none. */
    int32_t (HVD_CALL *vol_get_xml)(hvd_conn *conn, const char *volume, uint32_t flags,
                                    char **xml_out, hvd_error *err);
    /** Create from libvirt <volume> XML [borrowed] in `pool`; `info_out` may
     *  be NULL. Flags: none. */
    int32_t (HVD_CALL *vol_create_xml)(hvd_conn *conn, const char *pool, const char *xml, uint32_t flags,
                                       const hvd_progress *progress, hvd_volume_info **info_out, hvd_error *err);
    /** Create as a copy of `source` (a volume). Flags: none. */
    int32_t (HVD_CALL *vol_create_xml_from)(hvd_conn *conn, const char *pool, const char *xml,
                                            const char *source, uint32_t flags, const hvd_progress *progress,
                                            hvd_volume_info **info_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *vol_delete)(hvd_conn *conn, const char *volume, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    /** Zero-fill. Flags: none. */
    int32_t (HVD_CALL *vol_wipe)(hvd_conn *conn, const char *volume, uint32_t flags,
                                 const hvd_progress *progress, hvd_error *err);
    /** Upload `length` bytes (0 = until the source ends) at `offset` from
     *  `read`. Flags: none. */
    int32_t (HVD_CALL *vol_upload)(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length,
                                   hvd_read_fn read, void *user_data, uint32_t flags,
                                   const hvd_progress *progress, hvd_error *err);
    /** Download `length` bytes (0 = to the end) from `offset` into `write`.
     *  Flags: none. */
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

/* list flags (none = all) */
#define HVD_NETWORK_LIST_ACTIVE   0x1u
#define HVD_NETWORK_LIST_INACTIVE 0x2u
/* iface_list flags (none = all) */
#define HVD_IFACE_LIST_ACTIVE     0x1u
#define HVD_IFACE_LIST_INACTIVE   0x2u

/** Networks and interfaces are addressed by name, unique per host.
 *  All [any-thread]. */
typedef struct hvd_network_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Flags: HVD_NETWORK_LIST_ACTIVE, HVD_NETWORK_LIST_INACTIVE. */
    int32_t (HVD_CALL *list)(hvd_conn *conn, uint32_t flags, hvd_network_list **list_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *lookup_by_name)(hvd_conn *conn, const char *name, uint32_t flags,
                                       hvd_network_info **info_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *lookup_by_uuid)(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags,
                                       hvd_network_info **info_out, hvd_error *err);
    /** libvirt <network> XML [transfer]. Flags: none. */
    int32_t (HVD_CALL *get_xml)(hvd_conn *conn, const char *name, uint32_t flags, char **xml_out, hvd_error *err);
    /** Define from libvirt <network> XML [borrowed]; `info_out` may be NULL.
     *  Flags: none. */
    int32_t (HVD_CALL *define_xml)(hvd_conn *conn, const char *xml, uint32_t flags,
                                   hvd_network_info **info_out, hvd_error *err);
    /** Flags: none. */
    int32_t (HVD_CALL *undefine)(hvd_conn *conn, const char *name, uint32_t flags, hvd_error *err);

    /** Flags: HVD_IFACE_LIST_ACTIVE, HVD_IFACE_LIST_INACTIVE. */
    int32_t (HVD_CALL *iface_list)(hvd_conn *conn, uint32_t flags, hvd_iface_list **list_out, hvd_error *err);
    /** libvirt <interface> XML [transfer]. Flags: none. */
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

/** Progress of a running migration, caller-allocated (see "Sizes"). */
typedef struct hvd_job_info {
    uint32_t struct_size;
    int32_t active;          /**< 1 while a job runs */
    int32_t percent;         /**< 0..100, -1 unknown */
    int32_t reserved0;
    int64_t elapsed_ms;
} hvd_job_info;

/** Migration of a domain (`domain`: see "Objects") to another host of the
 *  same vCenter. All [any-thread]; cancel and get_progress are meant to be
 *  called from another thread while perform runs. */
typedef struct hvd_migrate_table {
    uint32_t struct_size;
    uint32_t reserved0;
    /** Validate without moving anything (vCenter's CheckMigrate semantics).
     *  Flags: HVD_MIGRATE_LIVE. */
    int32_t (HVD_CALL *check)(hvd_conn *conn, const char *domain, const hvd_param *params,
                              uint32_t nparams, uint32_t flags, hvd_error *err);
    /** Flags: HVD_MIGRATE_LIVE. */
    int32_t (HVD_CALL *perform)(hvd_conn *conn, const char *domain, const hvd_param *params,
                                uint32_t nparams, uint32_t flags, const hvd_progress *progress, hvd_error *err);
    /** Ask the server to cancel the domain's running migration; perform then
     *  returns as "Cancel" describes. Flags: none. */
    int32_t (HVD_CALL *cancel)(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);
    /** Into a caller-allocated hvd_job_info. Flags: none. */
    int32_t (HVD_CALL *get_progress)(hvd_conn *conn, const char *domain, uint32_t flags,
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
    /** Native config [borrowed] to domain XML [transfer].
     *  Params: HVD_NATIVE_PARAM_VMX_LOCATION, HVD_NATIVE_PARAM_DATACENTER_PATH.
     *  Flags: none. */
    int32_t (HVD_CALL *to_xml)(hvd_conn *conn, const char *format, const char *native,
                               const hvd_param *params, uint32_t nparams, uint32_t flags,
                               char **xml_out, hvd_error *err);
    /** Domain XML [borrowed] to native config [transfer].
     *  Params: HVD_NATIVE_PARAM_HW_VERSION. Flags: none. */
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
 *  Sub-tables may be NULL (capability absent). The struct_size of this
 *  table and of every sub-table is exactly sizeof() of that table in the
 *  header of the driver's abi_minor: never smaller (members missing) and
 *  never larger (members the host cannot place), so a host or a conformance
 *  tool can check the layout it is about to call through. */
typedef struct hvd_driver {
    uint32_t struct_size;
    uint32_t abi_major;          /**< HVD_ABI_MAJOR the driver was built with */
    uint32_t abi_minor;          /**< highest minor the driver implements, or the
                                      minor whose layout this table has: a driver may
                                      return a host of an older minor (the entry's
                                      host_minor) a table of that minor's sizes, whose
                                      abi_minor then says that minor (since 1.1) */
    uint32_t reserved0;
    const char *name;            /**< e.g. "esx" */
    const char *version;         /**< driver release, e.g. "0.1.0" */
    const char *description;
    const char *const *uri_schemes; /**< NULL-terminated, e.g. {"esx","gsx","vpx",NULL} */
    uint64_t capabilities;       /**< HVD_CAP_* summary of the tables below */

    /** Release memory the driver returned ([transfer] results). NULL is a
     *  no-op. [any-thread] */
    void (HVD_CALL *free)(void *ptr);
    /** Global setup (libcurl, libxml2): refcounted; each host (or each
     *  part of a host) calls it before its first open() and pairs it with
     *  one shutdown(). The driver's only global state lives between the
     *  first init and the last shutdown; nothing runs at load or unload.
     *  Flags: none. [process] */
    int32_t (HVD_CALL *init)(uint32_t flags, hvd_error *err);
    /** Drop one init() reference; the last one releases global state. Every
     *  connection must be closed first. [process] */
    void (HVD_CALL *shutdown)(void);
    /** Driver-specific extension by id "vendor.name/REV", or NULL. The
     *  returned table is [borrowed: until unload] and begins with struct_size.
     *  Flags: none (unknown bits: NULL). [any-thread] */
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
 *  `host_minor`: the ABI minor the host was compiled against. On success
 *  stores the driver's table in *driver_out and min(host_minor, driver
 *  minor) in *minor_out; the host must not use anything newer than that
 *  minor. Since 1.1 the table may be the view of the negotiated minor (its
 *  abi_minor and every struct_size those of that minor, see hvd_driver);
 *  the same host_minor always gets the same table. Returns
 *  HVD_ERR_ABI_MISMATCH when the driver cannot serve a host
 *  of that minor (it may require a newer one), HVD_ERR_INVALID_ARG for NULL
 *  outputs (their targets are then untouched). The host's upcalls are not
 *  passed here but to open() (see "Departures"). Cheap and free of side
 *  effects: no network, no threads, no allocation, nothing stored; may be
 *  called any number of times, by any number of hosts. [process] */
typedef int32_t (HVD_CALL *hvd_driver_entry_fn)(uint32_t host_minor, const hvd_driver **driver_out,
                                                uint32_t *minor_out);

HVD_EXPORT int32_t HVD_CALL hvd_driver_entry_v1(uint32_t host_minor, const hvd_driver **driver_out,
                                                uint32_t *minor_out);

#ifdef __cplusplus
}
#endif

#endif /* HVD_H */
