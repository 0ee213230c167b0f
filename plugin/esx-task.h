/* esx-task.h — running a vSphere task for a table member (task.c). */
#ifndef ESX_TASK_H
#define ESX_TASK_H

#include "esx-conn.h"

G_BEGIN_DECLS

/* Starts METHOD on OBJ with ARGS (may be NULL) and waits for it: a pending
 * question on the VM is handled per the connection's auto_answer, progress
 * goes to `progress` (NULL: the connection's host upcall) as `what`
 * ("PowerOnVM_Task on 'web1'"), a non-zero return from it asks the server
 * to cancel. `no_question`: the caller has just read OBJ's runtime.question
 * and found none, so it is not asked again before the task starts (one
 * round trip less). *result_out (optional) gets the task's result. Returns
 * HVD_OK, HVD_ERR_CANCELLED when the server cancelled, HVD_ERR_QUESTION, or
 * the task's fault mapped to a status. */
int32_t esx_run_task(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args, const char *what,
                     gboolean no_question, const hvd_progress *progress, vi_value **result_out, hvd_error *err);

/* esx_run_task for a task on an object that is not a VM (no question to
 * look for), whose first look at the task also brings the objects of
 * `also` (vi_task_options.also: the same round trip), appended to
 * `also_out` (vi_value *, owned by the array). */
int32_t esx_run_task_also(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args,
                          const char *what, const vi_retrieve_spec *also, GPtrArray *also_out, vi_value **result_out,
                          hvd_error *err);

/* Where a call's progress goes: `progress` (when it has user_data), else
 * the connection's host upcall when `progress` is NULL; *fn_out may be NULL. */
void esx_progress_pick(const hvd_conn *conn, const hvd_progress *progress, hvd_progress_fn *fn_out,
                       void **user_data_out);

G_END_DECLS

#endif
