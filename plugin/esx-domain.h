/* esx-domain.h — what every domain member shares: a VM's properties read
 * into one struct, the list of the connection's VMs (one property-collector
 * round trip per page), the resolver of a `domain` argument (key or textual
 * UUID), and the packing of hvd_domain_info results. */
#ifndef ESX_DOMAIN_H
#define ESX_DOMAIN_H

#include "esx-conn.h"

G_BEGIN_DECLS

/* libvirt's reason codes used here (virDomainRunningReason, ...) */
#define ESX_REASON_UNKNOWN        0
#define ESX_REASON_RUNNING_BOOTED 1
#define ESX_REASON_PAUSED_USER    1

/* One VM as the driver sees it. */
typedef struct {
    vi_moref moref;   /* owned; moref.value is the domain's key */
    char *name;       /* display name, unescaped */
    char *power;      /* runtime.powerState: poweredOn, poweredOff, suspended */
    char *host;       /* moref value of runtime.host, or NULL */
    uint8_t uuid[16]; /* config.uuid, zeros when the server has none */
    gboolean has_uuid;
    int32_t id; /* from the moref value while active, else -1 */
    int32_t state;
    int32_t reason;
    uint64_t memory_kib;
    uint64_t max_memory_kib;
    uint32_t vcpus;
    gboolean tools_running;  /* guest.toolsRunningStatus == guestToolsRunning */
    gboolean question_known; /* runtime.question was read (a lookup by key) */
    gboolean has_question;   /* ... and the VM has a pending question */
} esx_vm;

void esx_vm_free(esx_vm *vm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_vm, esx_vm_free)

/* The property paths esx_vm is read from. */
extern const char *const esx_vm_paths[];

/* TRUE when the VM is active (powered on or suspended): it has an id. */
gboolean esx_vm_active(const esx_vm *vm);
/* The state in words for messages: "running", "suspended", "shut off". */
const char *esx_vm_state_words(const esx_vm *vm);

/* Every VM of the connection's host (esx_vm *, owned), in one walk: one
 * property-collector round trip per page. Each esx_vm has what
 * hvd_domain_info holds: not `host` nor `tools_running` (NULL, FALSE),
 * which esx_domain_resolve reads. */
int32_t esx_vm_list(hvd_conn *conn, GPtrArray **vms_out, hvd_error *err);
/* The same walk reading only names and power states (HVD_LIST_BRIEF): each
 * esx_vm has its name, key, state, reason and id; no UUID (has_uuid
 * FALSE), memory or vCPUs. */
int32_t esx_vm_list_brief(hvd_conn *conn, GPtrArray **vms_out, hvd_error *err);
/* The VMs (esx_vm *, owned, brief as esx_vm_list_brief's) of the
 * connection's host whose unescaped name is `name`, in one brief walk. */
int32_t esx_vm_named(hvd_conn *conn, const char *name, GPtrArray **vms_out, hvd_error *err);

/* The VM a `domain` argument (key or textual UUID, hvd.h "Objects") names:
 * HVD_ERR_NO_DOMAIN naming the domain, HVD_ERR_AMBIGUOUS listing the keys
 * of a shared UUID, HVD_ERR_INVALID_ARG for NULL. A key costs one round
 * trip, a UUID one per page of the VM list and one more. */
int32_t esx_domain_resolve(hvd_conn *conn, const char *domain, esx_vm **vm_out, hvd_error *err);
/* The same, also reading the property paths EXTRA (NULL-terminated) of the
 * VM, in the same retrieval for a key: *obj_out (owned) holds them. */
int32_t esx_domain_resolve_with(hvd_conn *conn, const char *domain, const char *const *extra, esx_vm **vm_out,
                                vi_value **obj_out, hvd_error *err);

/* TRUE when `s` is a textual UUID; `uuid` (may be NULL) gets its bytes. */
gboolean esx_uuid_parse(const char *s, uint8_t uuid[16]);

/* Refuses a state-changing call on a read-only connection
 * (HVD_ERR_ACCESS_DENIED). */
int32_t esx_check_writable(const hvd_conn *conn, const char *op, hvd_error *err);
/* The checks a changing call starts with: a connection, known FLAGS, not read-only. */
int32_t esx_check_write_call(hvd_conn *conn, const char *op, uint32_t flags, uint32_t known, hvd_error *err);

/* One allocation each, released with hvd_driver.free. */
hvd_domain_info *esx_vm_pack_info(const esx_vm *vm);
/* The VMs `keep` accepts (all when NULL). */
hvd_domain_list *esx_vm_pack_list(GPtrArray *vms, gboolean (*keep)(const esx_vm *vm, gpointer ud), gpointer ud);

/* domain-list.c, domain-xml.c, lifecycle.c, domain-config.c, guest.c */
extern const hvd_domain_table esx_domain_table;
int32_t HVD_CALL esx_domain_start(hvd_conn *conn, const char *domain, uint32_t flags, const hvd_progress *progress,
                                  hvd_error *err);
int32_t HVD_CALL esx_domain_destroy(hvd_conn *conn, const char *domain, uint32_t flags, const hvd_progress *progress,
                                    hvd_error *err);
int32_t HVD_CALL esx_domain_suspend(hvd_conn *conn, const char *domain, uint32_t flags, const hvd_progress *progress,
                                    hvd_error *err);
int32_t HVD_CALL esx_domain_resume(hvd_conn *conn, const char *domain, uint32_t flags, const hvd_progress *progress,
                                   hvd_error *err);
int32_t HVD_CALL esx_domain_get_xml(hvd_conn *conn, const char *domain, uint32_t flags, char **xml_out, hvd_error *err);
int32_t HVD_CALL esx_domain_shutdown(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);
int32_t HVD_CALL esx_domain_reboot(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);

/* domain-config.c */
int32_t HVD_CALL esx_domain_set_memory(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags,
                                       const hvd_progress *progress, hvd_error *err);
int32_t HVD_CALL esx_domain_set_max_memory(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags,
                                           const hvd_progress *progress, hvd_error *err);
int32_t HVD_CALL esx_domain_set_vcpus(hvd_conn *conn, const char *domain, uint32_t vcpus, uint32_t flags,
                                      const hvd_progress *progress, hvd_error *err);
int32_t HVD_CALL esx_domain_get_autostart(hvd_conn *conn, const char *domain, uint32_t flags, int32_t *autostart_out,
                                          hvd_error *err);
int32_t HVD_CALL esx_domain_set_autostart(hvd_conn *conn, const char *domain, int32_t autostart, uint32_t flags,
                                          hvd_error *err);

/* domain-define.c */
int32_t HVD_CALL esx_domain_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_domain_info **info_out,
                                       hvd_error *err);
int32_t HVD_CALL esx_domain_undefine(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err);

/* snapshot.c */
extern const hvd_snapshot_table esx_snapshot_table;

/* sched.c */
extern const hvd_sched_table esx_sched_table;
/* ... as a 1.0 host sees it (without the members 1.1 appended) */
extern const hvd_sched_table esx_sched_table_1_0;

/* network.c */
extern const hvd_network_table esx_network_table;

/* guest.c */
int32_t HVD_CALL esx_domain_get_guest_hostname(hvd_conn *conn, const char *domain, uint32_t flags, char **hostname_out,
                                               hvd_error *err);
int32_t HVD_CALL esx_domain_get_guest_addresses(hvd_conn *conn, const char *domain, uint32_t flags,
                                                hvd_guest_address_list **list_out, hvd_error *err);

G_END_DECLS

#endif
