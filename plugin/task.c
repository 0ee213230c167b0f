/* task.c — running a vSphere task to completion for a table member: the
 * connection's auto_answer applied to the VM's questions, progress reported
 * through the call's hvd_progress (else the host's progress upcall), and a
 * non-zero return from it turned into a cancel request (hvd.h "Cancel"). */
#include "esx-task.h"

typedef struct {
    hvd_progress_fn fn;
    void *user_data;
    const char *what;
    gint cancel; /* set once the host asked to cancel */
} progress_ctx;

static void
on_progress(int percent, gpointer data)
{
    progress_ctx *p = data;
    /* after a cancel request the host hears nothing more (hvd.h "Cancel") */
    if (p->fn == NULL || g_atomic_int_get(&p->cancel))
        return;
    if (p->fn(p->user_data, p->what, percent) != 0)
        g_atomic_int_set(&p->cancel, 1);
}

void
esx_progress_pick(const hvd_conn *conn, const hvd_progress *progress, hvd_progress_fn *fn_out, void **user_data_out)
{
    *fn_out = NULL;
    *user_data_out = NULL;
    if (progress != NULL) {
        if (HVD_HAS_MEMBER(progress, hvd_progress, user_data)) {
            *fn_out = progress->progress;
            *user_data_out = progress->user_data;
        }
    } else {
        *fn_out = conn->upcalls.progress;
        *user_data_out = conn->upcalls.user_data;
    }
}

static int32_t
run_task(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args, const char *what,
         gboolean no_question, const hvd_progress *progress, const vi_retrieve_spec *also, GPtrArray *also_out,
         vi_value **result_out, hvd_error *err)
{
    progress_ctx p = { .what = what };
    esx_progress_pick(conn, progress, &p.fn, &p.user_data);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.auto_answer = conn->uri->auto_answer;
    o.progress = on_progress;
    o.user_data = &p;
    o.cancel_flag = &p.cancel;
    o.also = also;
    o.also_out = also_out;
    g_autoptr(GError) gerr = NULL;
    if (!no_question) {
        /* vi_call_task handles a question pending before the task first */
        if (!vi_call_task(conn->vi, method, obj, args, &o, result_out, &gerr))
            return esx_fail_gerror(err, gerr);
        return HVD_OK;
    }
    g_autoptr(vi_moref) task = vi_call_moref(conn->vi, method, obj, args, &gerr);
    if (task == NULL)
        return esx_fail_gerror(err, gerr);
    if (g_strcmp0(obj->type, "VirtualMachine") == 0)
        o.vm = obj; /* questions raised while it runs */
    if (!vi_task_wait(conn->vi, task, &o, result_out, &gerr))
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}

int32_t
esx_run_task(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args, const char *what,
             gboolean no_question, const hvd_progress *progress, vi_value **result_out, hvd_error *err)
{
    return run_task(conn, method, obj, args, what, no_question, progress, NULL, NULL, result_out, err);
}

int32_t
esx_run_task_also(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args, const char *what,
                  const vi_retrieve_spec *also, GPtrArray *also_out, vi_value **result_out, hvd_error *err)
{
    return run_task(conn, method, obj, args, what, TRUE, NULL, also, also_out, result_out, err);
}
