/* domain-config.c — a domain's resources and autostart: set_memory (the
 * memory allocation limit), set_max_memory (config.hardware.memoryMB) and
 * set_vcpus (numCPUs), each one ReconfigVM_Task after the spec's rules and
 * vSphere's limits are checked here, before any call; get_autostart and
 * set_autostart through the host's HostAutoStartManager, as libvirt's ESX
 * driver uses it. */
#include "esx-domain.h"
#include "esx-task.h"

/* vSphere's largest VM (virtual hardware 20): 24 TiB of memory; 768 vCPUs
 * when the host does not say (capability.maxSupportedVcpus). */
#define MAX_VM_MEMORY_MIB (UINT64_C(24) * 1024 * 1024)
#define DEFAULT_MAX_VCPUS 768

/* The common steps of a write: connection, flags, read-only, the domain,
 * and HVD_AFFECT_LIVE only on an active domain. */
static int32_t
begin_write(hvd_conn *conn, const char *op, const char *domain, uint32_t flags, uint32_t known, esx_vm **vm_out,
            hvd_error *err)
{
    *vm_out = NULL;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, known, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_domain_resolve(conn, domain, vm_out, err);
    if (rc != HVD_OK)
        return rc;
    if ((flags & HVD_AFFECT_LIVE) && !esx_vm_active(*vm_out)) {
        rc = esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "%s: domain '%s' is not running (it is %s): no live change",
                      op, (*vm_out)->name, esx_vm_state_words(*vm_out));
        g_clear_pointer(vm_out, esx_vm_free);
    }
    return rc;
}

/* ReconfigVM_Task with SPEC (owned), followed to completion. */
static int32_t
reconfigure(hvd_conn *conn, const esx_vm *vm, vi_value *spec, const hvd_progress *progress, hvd_error *err)
{
    g_autoptr(vi_value) args = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value_add(args, spec);
    g_autofree char *what = g_strdup_printf("ReconfigVM_Task on '%s'", vm->name);
    gboolean no_question = vm->question_known && !vm->has_question;
    return esx_run_task(conn, "ReconfigVM_Task", &vm->moref, args, what, no_question, progress, NULL, err);
}

/* The spec's rule: memory in whole multiples of 4 MiB (4096 KiB), at least
 * 4 MiB, at most vSphere's largest VM. */
static int32_t
check_memory(const char *op, uint64_t kib, hvd_error *err)
{
    if (kib == 0 || kib % 4096 != 0)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: %" G_GUINT64_FORMAT " KiB is not a multiple of 4096 KiB (4 MiB), as ESX requires", op,
                        kib);
    if (kib / 1024 > MAX_VM_MEMORY_MIB)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: %" G_GUINT64_FORMAT " KiB is more than a VM can have (%" G_GUINT64_FORMAT " MiB)", op, kib,
                        MAX_VM_MEMORY_MIB);
    return HVD_OK;
}

/* begin_write() for a memory size, checked first. */
static int32_t
begin_memory(hvd_conn *conn, const char *op, const char *domain, uint64_t kib, uint32_t flags, esx_vm **vm_out,
             hvd_error *err)
{
    *vm_out = NULL;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = check_memory(op, kib, err);
    if (rc == HVD_OK)
        rc = begin_write(conn, op, domain, flags, HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG, vm_out, err);
    return rc;
}

int32_t HVD_CALL
esx_domain_set_memory(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags, const hvd_progress *progress,
                      hvd_error *err)
{
    const char *op = "set_memory";
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = begin_memory(conn, op, domain, kib, flags, &vm, err);
    if (rc != HVD_OK)
        return rc;
    if (kib > vm->max_memory_kib)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: %" G_GUINT64_FORMAT " KiB is more than domain '%s' has (its maximum is %" G_GUINT64_FORMAT
                        " KiB)",
                        op, kib, vm->name, vm->max_memory_kib);
    /* libvirt's current memory on ESX: the memory allocation limit (MiB) */
    vi_value *spec = vi_value_new("spec", "VirtualMachineConfigSpec", NULL);
    vi_value *alloc = vi_value_add_object(spec, "memoryAllocation", "ResourceAllocationInfo");
    vi_value_add_int(alloc, "limit", (gint64)(kib / 1024));
    return reconfigure(conn, vm, spec, progress, err);
}

int32_t HVD_CALL
esx_domain_set_max_memory(hvd_conn *conn, const char *domain, uint64_t kib, uint32_t flags,
                          const hvd_progress *progress, hvd_error *err)
{
    const char *op = "set_max_memory";
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = begin_memory(conn, op, domain, kib, flags, &vm, err);
    if (rc != HVD_OK)
        return rc;
    /* as libvirt: the size of a VM's memory changes only while it is off */
    if (vm->state != HVD_DOMAIN_SHUTOFF)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "%s: domain '%s' is not shut off (it is %s)", op,
                        vm->name, esx_vm_state_words(vm));
    vi_value *spec = vi_value_new("spec", "VirtualMachineConfigSpec", NULL);
    vi_value_add_int(spec, "memoryMB", (gint64)(kib / 1024));
    /* a limit above the new size would be meaningless: keep current <= max */
    if (vm->memory_kib > kib) {
        vi_value *alloc = vi_value_add_object(spec, "memoryAllocation", "ResourceAllocationInfo");
        vi_value_add_int(alloc, "limit", (gint64)(kib / 1024));
    }
    return reconfigure(conn, vm, spec, progress, err);
}

/* The most vCPUs a VM of the host can have: capability.maxSupportedVcpus,
 * or DEFAULT_MAX_VCPUS when the host does not report it. */
static int32_t
host_max_vcpus(hvd_conn *conn, const esx_vm *vm, gint64 *max_out, hvd_error *err)
{
    *max_out = DEFAULT_MAX_VCPUS;
    if (vm->host == NULL)
        return HVD_OK;
    static const char *const paths[] = { "capability.maxSupportedVcpus", NULL };
    vi_moref host = { .type = (char *)"HostSystem", .value = vm->host };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(conn->vi, &host, paths, &gerr);
    if (obj == NULL)
        return esx_fail_gerror(err, gerr);
    gint64 n = 0;
    if (vi_object_get_int64(obj, "capability.maxSupportedVcpus", &n) && n > 0)
        *max_out = n;
    return HVD_OK;
}

int32_t HVD_CALL
esx_domain_set_vcpus(hvd_conn *conn, const char *domain, uint32_t vcpus, uint32_t flags, const hvd_progress *progress,
                     hvd_error *err)
{
    const char *op = "set_vcpus";
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK && vcpus == 0)
        rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: a domain needs at least 1 vCPU", op);
    if (rc == HVD_OK)
        rc = begin_write(conn, op, domain, flags, HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG, &vm, err);
    if (rc != HVD_OK)
        return rc;
    gint64 max = 0;
    rc = host_max_vcpus(conn, vm, &max, err);
    if (rc != HVD_OK)
        return rc;
    if ((gint64)vcpus > max)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: %u vCPUs are more than the host allows a domain (%" G_GINT64_FORMAT ")", op, vcpus, max);
    vi_value *spec = vi_value_new("spec", "VirtualMachineConfigSpec", NULL);
    vi_value_add_int(spec, "numCPUs", vcpus);
    return reconfigure(conn, vm, spec, progress, err);
}

/* ---- autostart ---------------------------------------------------------- */

/* The HostAutoStartManager of the VM's host and its config (owned). */
static int32_t
autostart_config(hvd_conn *conn, const esx_vm *vm, vi_moref **mgr_out, vi_value **config_out, hvd_error *err)
{
    *mgr_out = NULL;
    *config_out = NULL;
    if (vm->host == NULL)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "domain '%s' has no host: no autostart to manage",
                        vm->name);
    static const char *const host_paths[] = { "configManager.autoStartManager", NULL };
    static const char *const mgr_paths[] = { "config", NULL };
    vi_moref host = { .type = (char *)"HostSystem", .value = vm->host };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) hobj = vi_collector_retrieve_one(conn->vi, &host, host_paths, &gerr);
    if (hobj == NULL)
        return esx_fail_gerror(err, gerr);
    vi_moref mgr = { 0 };
    if (!vi_object_get_moref(hobj, "configManager.autoStartManager", &mgr))
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL, "the host of domain '%s' has no autostart manager", vm->name);
    g_autoptr(vi_moref) m = vi_moref_copy(&mgr);
    vi_value *obj = vi_collector_retrieve_one(conn->vi, m, mgr_paths, &gerr);
    if (obj == NULL)
        return esx_fail_gerror(err, gerr);
    *mgr_out = g_steal_pointer(&m);
    *config_out = obj;
    return HVD_OK;
}

/* The startAction of KEY's powerInfo entry, or NULL. */
static const char *
start_action(const vi_value *config, const char *key)
{
    g_autoptr(GPtrArray) infos = vi_object_get_all(config, "config.powerInfo");
    for (guint i = 0; infos != NULL && i < infos->len; i++) {
        vi_moref k = { 0 };
        if (vi_value_get_moref(infos->pdata[i], "key", &k) && g_strcmp0(k.value, key) == 0)
            return vi_value_get_string(infos->pdata[i], "startAction");
    }
    return NULL;
}

static gboolean
defaults_enabled(const vi_value *config)
{
    const char *s = vi_object_get_string(config, "config.defaults.enabled");
    return g_strcmp0(s, "true") == 0 || g_strcmp0(s, "1") == 0;
}

int32_t HVD_CALL
esx_domain_get_autostart(hvd_conn *conn, const char *domain, uint32_t flags, int32_t *autostart_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_autostart", flags, 0, autostart_out);
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_moref) mgr = NULL;
    g_autoptr(vi_value) config = NULL;
    rc = autostart_config(conn, vm, &mgr, &config, err);
    if (rc != HVD_OK)
        return rc;
    /* as libvirt: autostarted when the host starts VMs and this one's action is powerOn */
    *autostart_out = defaults_enabled(config) && g_strcmp0(start_action(config, vm->moref.value), "powerOn") == 0;
    return HVD_OK;
}

int32_t HVD_CALL
esx_domain_set_autostart(hvd_conn *conn, const char *domain, int32_t autostart, uint32_t flags, hvd_error *err)
{
    const char *op = "set_autostart";
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK && autostart != 0 && autostart != 1)
        rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: autostart is %d, not 0 or 1", op, autostart);
    if (rc == HVD_OK)
        rc = begin_write(conn, op, domain, flags, 0, &vm, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_moref) mgr = NULL;
    g_autoptr(vi_value) config = NULL;
    rc = autostart_config(conn, vm, &mgr, &config, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) args = vi_value_new("ReconfigureAutostart", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "spec", "HostAutoStartManagerConfig");
    if (autostart && !defaults_enabled(config)) {
        /* enabling the host's autostart would also start every VM whose
         * action is already powerOn: refused, as libvirt does */
        g_autoptr(GPtrArray) infos = vi_object_get_all(config, "config.powerInfo");
        for (guint i = 0; infos != NULL && i < infos->len; i++) {
            vi_moref k = { 0 };
            if (vi_value_get_moref(infos->pdata[i], "key", &k) && g_strcmp0(k.value, vm->moref.value) != 0 &&
                g_strcmp0(vi_value_get_string(infos->pdata[i], "startAction"), "powerOn") == 0)
                return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                                "%s: enabling autostart on the host would also autostart the domain with key '%s'", op,
                                k.value);
        }
        vi_value *defaults = vi_value_add_object(spec, "defaults", "AutoStartDefaults");
        vi_value_add_bool(defaults, "enabled", TRUE);
    }
    vi_value *info = vi_value_add_object(spec, "powerInfo", "AutoStartPowerInfo");
    vi_value_add_moref(info, "key", &vm->moref);
    vi_value_add_int(info, "startOrder", -1);
    vi_value_add_int(info, "startDelay", -1);
    vi_value_add_string(info, "waitForHeartbeat", "systemDefault");
    vi_value_add_string(info, "startAction", autostart ? "powerOn" : "none");
    vi_value_add_int(info, "stopDelay", -1);
    vi_value_add_string(info, "stopAction", "systemDefault");
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) r = vi_call(conn->vi, "ReconfigureAutostart", mgr, args, &gerr);
    if (r == NULL)
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}
