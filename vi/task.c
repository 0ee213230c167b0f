/* Waiting for tasks: a private property collector per wait, a filter on the
 * task's info (and the VM's runtime.question), and WaitForUpdatesEx. */
#include <string.h>

#include "vi/vi-private.h"
#include "vi/vi-collector.h"
#include "vi/vi-task.h"

#define WAIT_SLICE_S 1

gboolean
vi_task_cancel(vi_conn *conn, const vi_moref *task, GError **error)
{
    g_autoptr(vi_value) r = vi_call(conn, "CancelTask", task, NULL, error);
    return r != NULL;
}

typedef struct {
    vi_value *info;     /* latest TaskInfo */
    vi_value *question; /* latest runtime.question, NULL when none */
    gboolean question_changed;
} task_state;

static void
apply_update(task_state *st, const vi_value *update_set)
{
    g_autoptr(GPtrArray) changes = vi_value_lookup_all(update_set, "filterSet.objectSet.changeSet");
    for (guint i = 0; i < changes->len; i++) {
        const vi_value *ch = changes->pdata[i];
        const char *name = vi_value_get_string(ch, "name");
        const char *op = vi_value_get_string(ch, "op");
        const vi_value *val = vi_value_child(ch, "val");
        gboolean removed = g_strcmp0(op, "remove") == 0 || !val;
        if (g_strcmp0(name, "info") == 0 && !removed) {
            vi_value_free(st->info);
            st->info = vi_value_copy(val);
        } else if (g_strcmp0(name, "runtime.question") == 0) {
            vi_value_free(st->question);
            st->question = removed || !vi_value_n_children(val) ? NULL : vi_value_copy(val);
            st->question_changed = TRUE;
        }
    }
}

static vi_value *
make_filter_args(const vi_moref *task, const vi_moref *vm)
{
    g_autoptr(vi_value) a = vi_value_new("CreateFilter", NULL, NULL);
    vi_value *spec = vi_value_add_object(a, "spec", NULL);
    vi_value *ps = vi_value_add_object(spec, "propSet", NULL);
    vi_value_add_string(ps, "type", "Task");
    vi_value_add_string(ps, "pathSet", "info");
    if (vm) {
        ps = vi_value_add_object(spec, "propSet", NULL);
        vi_value_add_string(ps, "type", "VirtualMachine");
        vi_value_add_string(ps, "pathSet", "runtime.question");
    }
    vi_value_add_moref(vi_value_add_object(spec, "objectSet", NULL), "obj", task);
    if (vm)
        vi_value_add_moref(vi_value_add_object(spec, "objectSet", NULL), "obj", vm);
    vi_value_add_bool(a, "partialUpdates", FALSE);
    return g_steal_pointer(&a);
}

static void
set_task_error(GError **error, const vi_moref *task, const vi_value *info)
{
    const char *name = vi_value_get_string(info, "name");
    const vi_value *f = vi_value_lookup(info, "error.fault");
    const char *fault = vi_value_type(f);
    if (!fault && f && vi_value_n_children(f))
        fault = vi_value_name(vi_value_child_at(f, 0));
    const char *msg = vi_value_get_string(info, "error.localizedMessage");
    const char *entity = vi_value_get_string(info, "entityName");
    int code = g_strcmp0(fault, "RequestCanceled") == 0 ? VI_ERROR_CANCELLED : VI_ERROR_TASK;
    vi_set_error_full(error, code, name, fault, msg, "Task %s (%s)%s%s failed: %s (%s)", task->value,
                      name ? name : "task", entity ? " on " : "", entity ? entity : "",
                      msg && *msg ? msg : "no message", fault ? fault : "unknown fault");
    if (error)
        vi_error_set_detail(*error, f);
}

/* INFO's "result" child, taken out of INFO (no copy: a datastore search's
 * result can be megabytes), or NULL. */
static vi_value *
take_result(vi_value *info)
{
    for (guint i = 0; i < vi_value_n_children(info); i++)
        if (strcmp(vi_value_name(vi_value_child_at(info, i)), "result") == 0)
            return vi_value_steal_child(info, i);
    return NULL;
}

/* TRUE when INFO (a TaskInfo) shows the task finished: *OK and the result
 * (taken out of INFO) or error set, and the final progress (100) reported
 * unless LAST_PROGRESS already was. */
static gboolean
task_outcome(const vi_moref *task, vi_value *info, const vi_task_options *o, int last_progress, vi_value **result_out,
             gboolean *ok, GError **error)
{
    const char *state = vi_value_get_string(info, "state");
    if (g_strcmp0(state, "success") == 0) {
        if (o && o->progress && last_progress != 100)
            o->progress(100, o->user_data);
        if (result_out)
            *result_out = take_result(info);
        *ok = TRUE;
        return TRUE;
    }
    if (g_strcmp0(state, "error") == 0) {
        set_task_error(error, task, info);
        *ok = FALSE;
        return TRUE;
    }
    return FALSE;
}

/* The wait loop proper; PC is the private collector. */
static gboolean
wait_loop(vi_conn *conn, const vi_moref *pc, const vi_moref *task, const vi_moref *vm, const vi_task_options *o,
          vi_value **result_out, GError **error)
{
    task_state st = { 0 };
    g_autofree char *version = g_strdup("");
    g_autofree char *handled_qid = NULL;
    gint64 deadline = o && o->timeout_ms ? g_get_monotonic_time() + o->timeout_ms * 1000LL : 0;
    int last_progress = -1;
    gboolean cancel_sent = FALSE, ok = FALSE, done = FALSE;

    while (!done) {
        if (o && o->cancel_flag && g_atomic_int_get(o->cancel_flag) && !cancel_sent) {
            cancel_sent = TRUE;
            /* a refused cancel (not cancelable, already finished) is no
             * failure: the task's own outcome stays the answer */
            g_autoptr(GError) ce = NULL;
            if (!vi_task_cancel(conn, task, &ce))
                vi_log(vi_conn_log(conn), VI_LOG_INFO, "Task %s could not be cancelled (%s); waiting for its outcome",
                       task->value, ce->message);
        }
        if (deadline && g_get_monotonic_time() > deadline) {
            g_set_error(error, VI_ERROR, VI_ERROR_TIMEOUT,
                        "Task %s did not finish within %u ms; it goes on on the server", task->value, o->timeout_ms);
            break;
        }
        g_autoptr(vi_value) a = vi_value_new("WaitForUpdatesEx", NULL, NULL);
        vi_value_add_string(a, "version", version);
        vi_value_add_int(vi_value_add_object(a, "options", NULL), "maxWaitSeconds", WAIT_SLICE_S);
        g_autoptr(vi_value) resp = vi_call(conn, "WaitForUpdatesEx", pc, a, error);
        if (!resp)
            break;
        const vi_value *us = vi_value_child(resp, "returnval");
        if (!us)
            continue; /* timed out slice: nothing changed */
        const char *nv = vi_value_get_string(us, "version");
        if (nv) {
            g_free(version);
            version = g_strdup(nv);
        }
        apply_update(&st, us);

        if (st.question_changed && st.question) {
            st.question_changed = FALSE;
            g_autoptr(vi_question) q = vi_question_from_value(st.question);
            if (q && g_strcmp0(q->id, handled_qid) != 0) {
                g_free(handled_qid);
                handled_qid = g_strdup(q->id);
                if (!vi_question_handle(conn, vm, q, o && o->auto_answer, error)) {
                    gboolean cancelable = FALSE;
                    vi_value_get_bool(st.info, "cancelable", &cancelable);
                    g_autoptr(GError) ce = NULL;
                    if (cancelable && vi_task_cancel(conn, task, &ce))
                        g_prefix_error(error, "Task %s cancelled: ", task->value);
                    else
                        g_prefix_error(error, "Task %s left blocked (%s): ", task->value,
                                       cancelable ? ce->message : "it cannot be cancelled");
                    break;
                }
            }
        }
        gint64 progress;
        if (o && o->progress && vi_value_get_int64(st.info, "progress", &progress) && progress != last_progress) {
            last_progress = (int)progress;
            o->progress(last_progress, o->user_data);
        }
        done = task_outcome(task, st.info, o, last_progress, result_out, &ok, error);
    }
    vi_value_free(st.info);
    vi_value_free(st.question);
    return ok;
}

/* LOOKUP_VM: find the VM to watch from the task's entity when OPTS gives none. */
static gboolean
task_wait(vi_conn *conn, const vi_moref *task, const vi_task_options *opts, gboolean lookup_vm, vi_value **result_out,
          GError **error)
{
    if (result_out)
        *result_out = NULL;
    if (opts && opts->struct_size < sizeof(vi_task_options)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Use VI_TASK_OPTIONS_INIT");
        return FALSE;
    }
    const vi_ServiceContent *sc = vi_conn_service_content(conn);
    if (!sc) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED, "Not connected");
        return FALSE;
    }
    /* One look at the task first: one that has already finished (many do by
     * the time its moref arrives) needs no collector, filter and wait, which
     * cost three more round trips; the look also names its entity. */
    static const char *const paths[] = { "info", NULL };
    g_autoptr(vi_value) obj = opts && opts->also
                                  ? vi_collector_retrieve_one_also(conn, task, paths, opts->also, opts->also_out, error)
                                  : vi_collector_retrieve_one(conn, task, paths, error);
    if (!obj)
        return FALSE;
    /* owned through OBJ, which is not read again once the task has finished */
    vi_value *info = (vi_value *)vi_object_get(obj, "info");
    gboolean ok = FALSE;
    if (info && task_outcome(task, info, opts, -1, result_out, &ok, error))
        return ok;
    /* The VM to watch: given, else the task's entity when it is a VM. */
    g_autoptr(vi_moref) vm = vi_moref_copy(opts ? opts->vm : NULL);
    vi_moref e;
    if (!vm && lookup_vm && vi_object_get_moref(obj, "info.entity", &e) && g_strcmp0(e.type, "VirtualMachine") == 0)
        vm = vi_moref_copy(&e);
    g_autoptr(vi_moref) pc = vi_call_moref(conn, "CreatePropertyCollector", &sc->propertyCollector, NULL, error);
    if (!pc)
        return FALSE;
    g_autoptr(vi_value) fa = make_filter_args(task, vm);
    g_autoptr(vi_value) filter = vi_call(conn, "CreateFilter", pc, fa, error);
    ok = filter && wait_loop(conn, pc, task, vm, opts, result_out, error);
    vi_value_free(vi_call(conn, "DestroyPropertyCollector", pc, NULL, NULL));
    return ok;
}

gboolean
vi_task_wait(vi_conn *conn, const vi_moref *task, const vi_task_options *opts, vi_value **result_out, GError **error)
{
    return task_wait(conn, task, opts, TRUE, result_out, error);
}

gboolean
vi_call_task(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args,
             const vi_task_options *opts, vi_value **result_out, GError **error)
{
    const vi_moref *vm = opts && opts->vm ? opts->vm : NULL;
    if (!vm && this_ && g_strcmp0(this_->type, "VirtualMachine") == 0)
        vm = this_;
    if (vm) {
        g_autoptr(vi_question) q = vi_question_get(conn, vm, error);
        if (!q && error && *error)
            return FALSE;
        if (q) {
            gboolean auto_answer = opts && opts->auto_answer;
            if (!vi_question_handle(conn, vm, q, auto_answer, error))
                return FALSE;
            g_autofree char *desc = vi_question_describe(q);
            vi_set_error_full(error, VI_ERROR_QUESTION, method, NULL, q->text,
                              "%s was not started: virtual machine %s had a pending %s, now answered "
                              "with its default; the task it blocked may now run, retry when it is done",
                              method, vm->value, desc);
            return FALSE;
        }
    }
    g_autoptr(vi_moref) task = vi_call_moref(conn, method, this_, args, error);
    if (!task)
        return FALSE;
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    if (opts)
        o = *opts;
    o.struct_size = sizeof o;
    if (!o.vm)
        o.vm = vm;
    /* the target is known: no need to ask the task for its entity */
    return task_wait(conn, task, &o, FALSE, result_out, error);
}
