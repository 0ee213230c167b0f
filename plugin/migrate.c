/* migrate.c — hvd_migrate_table: migration of a domain to another host of
 * the same vCenter, with a pre-check.
 *
 * check   = the plan (migrate-plan.c: parameters, vCenter, domain,
 *           destination), then vCenter's own pre-check,
 *           VirtualMachineProvisioningChecker.CheckMigrate_Task: every
 *           error of its CheckResult (a datastore or network of the VM the
 *           destination host cannot reach, a host in maintenance mode or
 *           disconnected, a power state that does not fit) is reported,
 *           by the server's words, in one message; warnings are logged.
 * perform = check, then MigrateVM_Task (pool, host, priority, and for a
 *           live migration the state poweredOn), waited for with progress.
 * get_progress and cancel find the migration by the domain among the jobs
 * running on the connection (conn->jobs, no request): they are meant to be
 * called from another thread while perform runs. Failing that, they look
 * for the VM's MigrateVM_Task among the vCenter's recent tasks, so that a
 * migration started by another connection or client (another hvdctl
 * process) can be watched and cancelled too. cancel sends CancelTask
 * itself, so the caller hears at once when the server refuses; a cancel
 * that comes before the task exists stops perform before it starts it. */
#include "esx-migrate.h"
#include "esx-task.h"

#include <string.h>

/* How many problems of a pre-check one message lists. */
#define MAX_LISTED_PROBLEMS 8

/* One migration running on a connection, in conn->jobs while perform runs. */
typedef struct {
    char *key;       /* the domain's key */
    char *uuid;      /* its textual UUID, or NULL */
    vi_conn *vc;     /* borrowed: the vCenter session */
    vi_moref task;   /* MigrateVM_Task once started; type NULL before */
    gint percent;    /* -1 until the task reports */
    gint cancel;     /* set to ask the waiter (or perform, before the task) to cancel */
    gint64 start_us; /* monotonic */
} esx_job;

static void
job_free(esx_job *job)
{
    g_free(job->key);
    g_free(job->uuid);
    vi_moref_clear(&job->task);
    g_free(job);
}

/* The job of `domain` (key or UUID) under conn->jobs_lock, or NULL. */
static esx_job *
job_find_locked(hvd_conn *conn, const char *domain)
{
    for (guint i = 0; i < conn->jobs->len; i++) {
        esx_job *job = conn->jobs->pdata[i];
        if (strcmp(job->key, domain) == 0 || (job->uuid != NULL && g_ascii_strcasecmp(job->uuid, domain) == 0))
            return job;
    }
    return NULL;
}

/* ---- the pre-check ------------------------------------------------------ */

/* "message (FaultName)" for one LocalizedMethodFault, server text escaped. */
static void
append_problem(GString *s, const vi_value *lmf)
{
    const vi_value *fault = vi_value_child(lmf, "fault");
    const char *type = fault != NULL ? vi_value_type(fault) : NULL;
    const char *msg = vi_value_get_string(lmf, "localizedMessage");
    g_autofree char *shown = NULL;
    if (msg != NULL && *msg != '\0') {
        shown = esx_escape_text(msg);
    } else {
        /* no words from the server: name what the fault's fields name */
        const char *what = fault ? vi_value_get_string(fault, "name") : NULL;
        if (what == NULL && fault != NULL)
            what = vi_value_get_string(fault, "backing");
        g_autofree char *w = esx_escape_text(what);
        shown = g_strdup_printf("problem%s%s", *w ? " with " : "", w);
    }
    g_autofree char *t = esx_escape_text(type != NULL ? type : "fault");
    g_string_append_printf(s, "%s (%s)", shown, t);
}

/* Runs CheckMigrate_Task for `m`; HVD_OK when it found no error. */
static int32_t
precheck(hvd_conn *conn, const char *op, const esx_migration *m, hvd_error *err)
{
    const vi_ServiceContent *sc = vi_conn_service_content(m->vc);
    if (sc == NULL || sc->vmProvisioningChecker.value == NULL)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "%s: vCenter %s offers no VirtualMachineProvisioningChecker (vSphere 4.0 or later has one): "
                        "the migration cannot be checked",
                        op, m->vc_name);
    g_autoptr(vi_value) args = vi_value_new("CheckMigrate_Task", NULL, NULL);
    vi_value_add_moref(args, "vm", &m->vm);
    vi_value_add_moref(args, "host", &m->to_host);
    if (m->to_pool.type != NULL)
        vi_value_add_moref(args, "pool", &m->to_pool);
    if (m->state != NULL)
        vi_value_add_string(args, "state", m->state);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.auto_answer = conn->uri->auto_answer;
    o.vm = &m->vm;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) result = NULL;
    g_autoptr(vi_moref) task = vi_call_moref(m->vc, "CheckMigrate_Task", &sc->vmProvisioningChecker, args, &gerr);
    if (task == NULL || !vi_task_wait(m->vc, task, &o, &result, &gerr)) {
        g_autofree char *why = esx_escape_text(gerr->message);
        int32_t rc = esx_fail_gerror(err, gerr);
        return esx_fail(err, rc, vi_error_fault_name(gerr),
                        "%s: vCenter %s could not check the migration of '%s' to %s: %s", op, m->vc_name, m->vm_name,
                        m->to_host_name, why);
    }
    g_autoptr(GString) problems = g_string_new(NULL);
    guint nerr = 0;
    /* info.result: an ArrayOfCheckResult, its items the CheckResults */
    guint nresults = result != NULL ? vi_value_n_children(result) : 0;
    for (guint i = 0; i < nresults; i++) {
        const vi_value *cr = vi_value_child_at(result, i);
        g_autoptr(GPtrArray) errors = vi_value_lookup_all(cr, "error");
        g_autoptr(GPtrArray) warnings = vi_value_lookup_all(cr, "warning");
        for (guint j = 0; j < warnings->len; j++) {
            g_autoptr(GString) w = g_string_new(NULL);
            append_problem(w, warnings->pdata[j]);
            esx_log(&conn->upcalls, HVD_LOG_WARNING, "esx", "%s of '%s' to %s: warning: %s", op, m->vm_name,
                    m->to_host_name, w->str);
        }
        for (guint j = 0; j < errors->len; j++, nerr++) {
            if (nerr == MAX_LISTED_PROBLEMS) {
                g_string_append(problems, "; ...");
                continue;
            }
            if (nerr > 0 || j > 0)
                g_string_append(problems, "; ");
            g_string_append_printf(problems, "%u) ", nerr + 1);
            append_problem(problems, errors->pdata[j]);
        }
    }
    if (nerr == 0)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                    "%s: domain '%s' cannot move to host %s (vCenter %s found %u problem%s): %s; nothing was moved: "
                    "make them available on host %s, or pick another host",
                    op, m->vm_name, m->to_host_name, m->vc_name, nerr, nerr == 1 ? "" : "s", problems->str,
                    m->to_host_name);
}

static int32_t HVD_CALL
migrate_check(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
              hvd_error *err)
{
    const char *op = "migrate check";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, HVD_MIGRATE_LIVE, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(esx_migration) m = NULL;
    rc = esx_migration_plan(conn, op, domain, params, nparams, flags, &m, err);
    if (rc == HVD_OK)
        rc = precheck(conn, op, m, err);
    return rc;
}

/* ---- the move ----------------------------------------------------------- */

typedef struct {
    esx_job *job;
    hvd_progress_fn fn;
    void *user_data;
    char *what;
} perform_ctx;

static void
on_progress(int percent, gpointer data)
{
    perform_ctx *p = data;
    g_atomic_int_set(&p->job->percent, percent);
    /* after a cancel request the host hears nothing more (hvd.h "Cancel") */
    if (p->fn == NULL || g_atomic_int_get(&p->job->cancel))
        return;
    if (p->fn(p->user_data, p->what, percent) != 0)
        g_atomic_int_set(&p->job->cancel, 1);
}

/* Registers a job for `m`, refusing a second migration of the same domain. */
static int32_t
job_start(hvd_conn *conn, const char *op, const esx_migration *m, esx_job **job_out, hvd_error *err)
{
    pthread_mutex_lock(&conn->jobs_lock);
    if (job_find_locked(conn, m->domain_key) != NULL) {
        pthread_mutex_unlock(&conn->jobs_lock);
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "%s: a migration of domain '%s' is already running on this connection: wait for it, or "
                        "cancel it (domjobabort)",
                        op, m->vm_name);
    }
    esx_job *job = g_new0(esx_job, 1);
    job->key = g_strdup(m->domain_key);
    job->uuid = g_strdup(m->domain_uuid);
    job->vc = m->vc;
    job->percent = -1;
    job->start_us = g_get_monotonic_time();
    g_ptr_array_add(conn->jobs, job);
    pthread_mutex_unlock(&conn->jobs_lock);
    *job_out = job;
    return HVD_OK;
}

static void
job_end(hvd_conn *conn, esx_job *job)
{
    pthread_mutex_lock(&conn->jobs_lock);
    g_ptr_array_remove(conn->jobs, job);
    pthread_mutex_unlock(&conn->jobs_lock);
    job_free(job);
}

/* MigrateVM_Task for `m`, waited for; `job` already registered. */
static int32_t
move(hvd_conn *conn, const char *op, const esx_migration *m, esx_job *job, const hvd_progress *progress, hvd_error *err)
{
    perform_ctx p = { .job = job };
    esx_progress_pick(conn, progress, &p.fn, &p.user_data);
    g_autofree char *what = g_strdup_printf("MigrateVM_Task on '%s' to %s", m->vm_name, m->to_host_name);
    p.what = what;

    g_autoptr(vi_value) args = vi_value_new("MigrateVM_Task", NULL, NULL);
    if (m->to_pool.type != NULL)
        vi_value_add_moref(args, "pool", &m->to_pool);
    vi_value_add_moref(args, "host", &m->to_host);
    vi_value_add_string(args, "priority", m->priority);
    if (m->state != NULL)
        vi_value_add_string(args, "state", m->state);

    /* a cancel before the task exists: nothing is started */
    pthread_mutex_lock(&conn->jobs_lock);
    gboolean early = g_atomic_int_get(&job->cancel) != 0;
    pthread_mutex_unlock(&conn->jobs_lock);
    if (early)
        return esx_fail(err, HVD_ERR_CANCELLED, NULL,
                        "%s: cancelled before the migration of '%s' started; nothing moved", op, m->vm_name);

    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_moref) task = vi_call_moref(m->vc, "MigrateVM_Task", &m->vm, args, &gerr);
    if (task == NULL)
        return esx_fail_gerror(err, gerr);
    pthread_mutex_lock(&conn->jobs_lock);
    job->task.type = g_strdup(task->type);
    job->task.value = g_strdup(task->value);
    pthread_mutex_unlock(&conn->jobs_lock);
    esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "migrating '%s' from %s to %s (task %s)", m->vm_name,
            m->from_host_name, m->to_host_name, task->value);

    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.auto_answer = conn->uri->auto_answer;
    o.vm = &m->vm;
    o.progress = on_progress;
    o.user_data = &p;
    o.cancel_flag = &job->cancel; /* set before the task was known, or by the progress callback */
    if (!vi_task_wait(m->vc, task, &o, NULL, &gerr)) {
        int32_t rc = esx_fail_gerror(err, gerr);
        if (rc == HVD_ERR_CANCELLED)
            return esx_fail(err, rc, "RequestCanceled", "%s: the migration of '%s' to %s was cancelled; it stays on %s",
                            op, m->vm_name, m->to_host_name, m->from_host_name);
        g_autofree char *why = esx_escape_text(gerr->message);
        return esx_fail(err, rc, vi_error_fault_name(gerr), "%s: the migration of '%s' to %s failed: %s", op,
                        m->vm_name, m->to_host_name, why);
    }
    return HVD_OK;
}

static int32_t HVD_CALL
migrate_perform(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
                const hvd_progress *progress, hvd_error *err)
{
    const char *op = "migrate";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, HVD_MIGRATE_LIVE, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(esx_migration) m = NULL;
    rc = esx_migration_plan(conn, op, domain, params, nparams, flags, &m, err);
    if (rc != HVD_OK)
        return rc;
    esx_job *job = NULL;
    rc = job_start(conn, op, m, &job, err);
    if (rc != HVD_OK)
        return rc;
    rc = precheck(conn, op, m, err);
    if (rc == HVD_OK)
        rc = move(conn, op, m, job, progress, err);
    job_end(conn, job);
    return rc;
}

/* ---- watching and cancelling from another thread ------------------------ */

/* TRUE when the connection reaches a vCenter (migrations can run). */
static gboolean
has_vcenter(const hvd_conn *conn)
{
    return conn->uri->product == ESX_PRODUCT_VPX || conn->vcenter != NULL;
}

/* A migration of `domain` running on the server, started by any client on
 * any connection: its MigrateVM_Task among the vCenter's recent tasks
 * (TaskManager.recentTask; 2 retrievals after the domain's lookup).
 * *task_out gets the task (type NULL when none), `info` (may be NULL) its
 * progress. */
static int32_t
server_job(hvd_conn *conn, const char *op, const char *domain, esx_migration **m_out, vi_moref *task_out,
           hvd_job_info *info, hvd_error *err)
{
    int32_t rc = esx_migration_source(conn, op, domain, m_out, NULL, err);
    if (rc != HVD_OK)
        return rc;
    const esx_migration *m = *m_out;
    const vi_ServiceContent *sc = vi_conn_service_content(m->vc);
    static const char *const tm_paths[] = { "recentTask", NULL };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) tm = vi_collector_retrieve_one(m->vc, &sc->taskManager, tm_paths, &gerr);
    if (tm == NULL)
        return esx_fail_gerror(err, gerr);
    g_autoptr(GPtrArray) items = vi_object_get_all(tm, "recentTask");
    g_autoptr(GArray) tasks = g_array_new(FALSE, TRUE, sizeof(vi_moref));
    for (guint i = 0; i < items->len; i++) {
        vi_moref t = { 0 };
        if (vi_value_get_moref(items->pdata[i], "", &t))
            g_array_append_val(tasks, t); /* borrowed from tm */
    }
    if (tasks->len == 0)
        return HVD_OK;
    static const char *const paths[] = { "info.entity",   "info.descriptionId", "info.state",
                                         "info.progress", "info.startTime",     NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.objects = (const vi_moref *)(void *)tasks->data;
    spec.n_objects = tasks->len;
    spec.paths = paths;
    g_autoptr(GPtrArray) infos = vi_collector_retrieve(m->vc, &spec, &gerr);
    if (infos == NULL)
        return esx_fail_gerror(err, gerr);
    for (guint i = 0; i < infos->len; i++) {
        const vi_value *o = infos->pdata[i];
        vi_moref entity = { 0 }, self = { 0 };
        const char *state = vi_object_get_string(o, "info.state");
        if (!vi_object_get_moref(o, "info.entity", &entity) || !vi_moref_equal(&entity, &m->vm) ||
            g_strcmp0(vi_object_get_string(o, "info.descriptionId"), "VirtualMachine.migrate") != 0 ||
            (g_strcmp0(state, "running") != 0 && g_strcmp0(state, "queued") != 0) || !vi_object_moref(o, &self))
            continue;
        task_out->type = g_strdup(self.type);
        task_out->value = g_strdup(self.value);
        if (info != NULL) {
            gint64 pct = -1;
            info->active = 1;
            info->percent = vi_object_get_int64(o, "info.progress", &pct) && pct >= 0 && pct <= 100 ? (int32_t)pct : -1;
            const char *start = vi_object_get_string(o, "info.startTime");
            g_autoptr(GDateTime) t0 = start != NULL ? g_date_time_new_from_iso8601(start, NULL) : NULL;
            g_autoptr(GDateTime) now = g_date_time_new_now_utc();
            info->elapsed_ms = t0 != NULL ? MAX(0, g_date_time_difference(now, t0) / 1000) : 0;
        }
        return HVD_OK;
    }
    return HVD_OK;
}

/* No job for `domain` and no vCenter: an unknown domain is still an error. */
static int32_t
no_job(hvd_conn *conn, const char *domain, hvd_error *err)
{
    g_autoptr(esx_vm) vm = NULL;
    return esx_domain_resolve(conn, domain, &vm, err);
}

static int32_t
cancel_task(const char *op, vi_conn *vc, const vi_moref *task, const char *name, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    if (vi_task_cancel(vc, task, &gerr))
        return HVD_OK;
    g_autofree char *why = esx_escape_text(gerr->message);
    int32_t code = esx_fail_gerror(err, gerr);
    /* NotSupported (not cancelable) and InvalidState (finished) are the
     * task's state, not a missing operation */
    if (code == HVD_ERR_SERVER || code == HVD_ERR_NO_SUPPORT)
        code = HVD_ERR_OPERATION_INVALID;
    return esx_fail(err, code, vi_error_fault_name(gerr),
                    "%s: the server refused to cancel the migration of '%s': %s (it may be past the point where it "
                    "can stop; it then runs to its end)",
                    op, name, why);
}

static int32_t HVD_CALL
migrate_cancel(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err)
{
    const char *op = "migrate cancel";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, 0, err);
    if (rc == HVD_OK && domain == NULL)
        rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: domain is NULL", op);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    if (rc != HVD_OK)
        return rc;
    pthread_mutex_lock(&conn->jobs_lock);
    esx_job *job = job_find_locked(conn, domain);
    vi_moref task = { 0 };
    vi_conn *vc = NULL;
    if (job != NULL && job->task.type != NULL) {
        task.type = g_strdup(job->task.type);
        task.value = g_strdup(job->task.value);
        vc = job->vc;
    } else if (job != NULL) {
        g_atomic_int_set(&job->cancel, 1); /* perform stops before starting the task */
    }
    pthread_mutex_unlock(&conn->jobs_lock);
    if (job != NULL && vc == NULL)
        return HVD_OK;
    g_autoptr(esx_migration) m = NULL;
    if (job == NULL) {
        /* started by another connection or client: the server knows it */
        rc = has_vcenter(conn) ? server_job(conn, op, domain, &m, &task, NULL, err) : no_job(conn, domain, err);
        if (rc != HVD_OK)
            return rc;
        if (task.type == NULL) {
            g_autofree char *shown = esx_escape_text(m != NULL ? m->vm_name : domain);
            return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                            "%s: no migration of domain '%s' is running: nothing to cancel", op, shown);
        }
        vc = m->vc;
    }
    /* the connection (and so the vCenter session) outlives its calls */
    rc = cancel_task(op, vc, &task, m != NULL ? m->vm_name : domain, err);
    vi_moref_clear(&task);
    return rc;
}

static int32_t HVD_CALL
migrate_get_progress(hvd_conn *conn, const char *domain, uint32_t flags, hvd_job_info *info, hvd_error *err)
{
    const char *op = "migrate get_progress";
    ESX_CHECK_CALL_INTO(conn, op, flags, 0, info);
    if (domain == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: domain is NULL", op);
    hvd_job_info full = { .struct_size = sizeof(full), .percent = -1 };
    pthread_mutex_lock(&conn->jobs_lock);
    const esx_job *job = job_find_locked(conn, domain);
    if (job != NULL) {
        full.active = 1;
        full.percent = g_atomic_int_get(&job->percent);
        full.elapsed_ms = (g_get_monotonic_time() - job->start_us) / 1000;
    }
    pthread_mutex_unlock(&conn->jobs_lock);
    if (job == NULL) {
        g_autoptr(esx_migration) m = NULL;
        vi_moref task = { 0 };
        int32_t rc =
            has_vcenter(conn) ? server_job(conn, op, domain, &m, &task, &full, err) : no_job(conn, domain, err);
        vi_moref_clear(&task);
        if (rc != HVD_OK)
            return rc;
    }
    static const size_t ends[] = {
#define END(m) offsetof(hvd_job_info, m) + sizeof(((hvd_job_info *)0)->m)
        END(active),
        END(percent),
        END(reserved0),
        END(elapsed_ms),
#undef END
    };
    esx_copy_out(info, &full, sizeof(full), ends, G_N_ELEMENTS(ends));
    return HVD_OK;
}

const hvd_migrate_table esx_migrate_table = {
    .struct_size = sizeof(hvd_migrate_table),
    .check = migrate_check,
    .perform = migrate_perform,
    .cancel = migrate_cancel,
    .get_progress = migrate_get_progress,
};
