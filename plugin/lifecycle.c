/* lifecycle.c — power operations: start, destroy, suspend, resume (tasks,
 * followed to completion with progress and the spec's question handling),
 * and shutdown and reboot through VMware Tools (ShutdownGuest,
 * RebootGuest: requests the guest accepts, no task). Each checks the
 * domain's state first and refuses with a message naming it; a read-only
 * connection refuses them all. */
#include "esx-domain.h"
#include "esx-task.h"

/* One power operation: which states it runs from and what it calls. */
typedef struct {
    const char *op;      /* the member's name, for messages */
    const char *method;  /* the VirtualMachine method */
    gboolean task;       /* a *_Task method (followed), else a request */
    gboolean tools;      /* needs VMware Tools running in the guest */
    const char *from;    /* the powerState it needs, or "active" (on or suspended) */
    const char *refusal; /* "domain '%s' is not running" style, the state appended */
} power_op;

static const power_op op_start = { "start", "PowerOnVM_Task", TRUE, FALSE, "poweredOff", "is already active" };
static const power_op op_destroy = { "destroy", "PowerOffVM_Task", TRUE, FALSE, "active", "is not running" };
static const power_op op_suspend = { "suspend", "SuspendVM_Task", TRUE, FALSE, "poweredOn", "is not running" };
static const power_op op_resume = { "resume", "PowerOnVM_Task", TRUE, FALSE, "suspended", "is not suspended" };
static const power_op op_shutdown = { "shutdown", "ShutdownGuest", FALSE, TRUE, "poweredOn", "is not running" };
static const power_op op_reboot = { "reboot", "RebootGuest", FALSE, TRUE, "poweredOn", "is not running" };

static gboolean
state_fits(const power_op *op, const esx_vm *vm)
{
    if (g_strcmp0(op->from, "active") == 0)
        return esx_vm_active(vm);
    return g_strcmp0(vm->power, op->from) == 0;
}

static int32_t
run_power_op(const power_op *op, hvd_conn *conn, const char *domain, uint32_t flags, uint32_t known,
             const hvd_progress *progress, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, op->op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op->op, flags, known, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op->op, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(esx_vm) vm = NULL;
    rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    if (!state_fits(op, vm))
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "%s: domain '%s' %s (it is %s)", op->op, vm->name,
                        op->refusal, esx_vm_state_words(vm));
    if (op->tools && !vm->tools_running)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, "ToolsUnavailable",
                        "%s: VMware Tools are not running in domain '%s': the guest cannot be asked", op->op, vm->name);
    if (op->task) {
        g_autofree char *what = g_strdup_printf("%s on '%s'", op->method, vm->name);
        gboolean no_question = vm->question_known && !vm->has_question;
        return esx_run_task(conn, op->method, &vm->moref, NULL, what, no_question, progress, NULL, err);
    }
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) r = vi_call(conn->vi, op->method, &vm->moref, NULL, &gerr);
    if (r == NULL)
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}

/* The members: each one power operation of the table above. */
#define TASK_MEMBER(fn, op)                                                                               \
    int32_t HVD_CALL fn(hvd_conn *conn, const char *domain, uint32_t flags, const hvd_progress *progress, \
                        hvd_error *err)                                                                   \
    {                                                                                                     \
        return run_power_op(&(op), conn, domain, flags, 0, progress, err);                                \
    }
#define GUEST_MEMBER(fn, op)                                                                  \
    int32_t HVD_CALL fn(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err)   \
    {                                                                                         \
        return run_power_op(&(op), conn, domain, flags, HVD_SHUTDOWN_GUEST_AGENT, NULL, err); \
    }

TASK_MEMBER(esx_domain_start, op_start)
TASK_MEMBER(esx_domain_destroy, op_destroy)
TASK_MEMBER(esx_domain_suspend, op_suspend)
TASK_MEMBER(esx_domain_resume, op_resume)
GUEST_MEMBER(esx_domain_shutdown, op_shutdown)
GUEST_MEMBER(esx_domain_reboot, op_reboot)
