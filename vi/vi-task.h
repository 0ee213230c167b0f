/* Tasks and VM questions.
 *
 * A task is first looked at once: one already finished costs that single
 * round trip. Otherwise it is waited for with WaitForUpdatesEx on a private
 * property collector (no sleep loop): progress changes reach the callback, and a question raised
 * on the task's VM is answered with its default choice (auto_answer) or
 * reported as VI_ERROR_QUESTION naming the question and its choices, after
 * cancelling the task when it is cancelable. */
#pragma once

#include <glib.h>

#include "vi/vi-collector.h"
#include "vi/vi-conn.h"

G_BEGIN_DECLS

/* PERCENT is 0..100; called from the waiting thread. */
typedef void (*vi_progress_func)(int percent, gpointer user_data);

typedef struct {
    gsize struct_size;    /* set by VI_TASK_OPTIONS_INIT */
    gboolean auto_answer; /* answer VM questions with their default choice */
    /* VM whose questions to watch; NULL = the task's entity when it is a VM. */
    const vi_moref *vm;
    vi_progress_func progress; /* optional */
    gpointer user_data;
    /* Optional flag another thread sets (g_atomic_int_set(flag, 1)) to cancel:
     * CancelTask is sent and, once the server has cancelled the task, the
     * wait ends with VI_ERROR_CANCELLED; when the server refuses (the task
     * is not cancelable or already finished) the wait goes on and returns
     * the task's own outcome. Checked at least once per second. */
    const gint *cancel_flag;
    guint timeout_ms; /* 0 = wait forever */
    /* Optional: a retrieval sent with the first look at the task, in the
     * same round trip (vi_collector_retrieve_one_also: no ContainerView, no
     * Task objects); its objects are appended to ALSO_OUT (required with
     * ALSO) whether the task has finished or not, unless that look fails. */
    const vi_retrieve_spec *also;
    GPtrArray *also_out;
} vi_task_options;

#define VI_TASK_OPTIONS_INIT                   \
    {                                          \
        .struct_size = sizeof(vi_task_options) \
    }

/* Waits until TASK finishes. On success *RESULT_OUT (optional) gets a copy of
 * info.result (NULL when none). On failure: VI_ERROR_TASK with the task's
 * fault name (vi_error_fault_name) and message, VI_ERROR_QUESTION,
 * VI_ERROR_CANCELLED, VI_ERROR_TIMEOUT, or a transport error. */
gboolean vi_task_wait(vi_conn *conn, const vi_moref *task, const vi_task_options *opts, vi_value **result_out,
                      GError **error);

/* Asks the server to cancel TASK (CancelTask). */
gboolean vi_task_cancel(vi_conn *conn, const vi_moref *task, GError **error);

/* Starts METHOD (a *_Task method) on THIS_ and waits for it. When the target
 * (OPTS->vm, else THIS_ if it is a VirtualMachine) has a pending question,
 * handles it first as the spec says and does not start the task: with
 * auto_answer the question is answered and the call fails with
 * VI_ERROR_QUESTION saying so; without, VI_ERROR_QUESTION names it. */
gboolean vi_call_task(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args,
                      const vi_task_options *opts, vi_value **result_out, GError **error);

/* A VM question (runtime.question). */
typedef struct {
    char *id;
    char *text;
    GPtrArray *choice_keys;   /* char *, the keys AnswerVM takes */
    GPtrArray *choice_labels; /* char *, human labels, same order */
    int default_index;        /* index into the choices, -1 when none */
} vi_question;

void vi_question_free(vi_question *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vi_question, vi_question_free)

/* Decodes a VirtualMachineQuestionInfo value; NULL when V is NULL or has no id. */
vi_question *vi_question_from_value(const vi_value *v);

/* The pending question on VM, or NULL (with no error) when none. */
vi_question *vi_question_get(vi_conn *conn, const vi_moref *vm, GError **error);

/* AnswerVM(VM, question id, CHOICE_KEY). */
gboolean vi_question_answer(vi_conn *conn, const vi_moref *vm, const char *question_id, const char *choice_key,
                            GError **error);

/* Handles Q per auto_answer: TRUE after answering it with its default;
 * FALSE with VI_ERROR_QUESTION naming the question, its choices and the
 * default when AUTO_ANSWER is off (or the question has no default). */
gboolean vi_question_handle(vi_conn *conn, const vi_moref *vm, const vi_question *q, gboolean auto_answer,
                            GError **error);

/* "Question 'TEXT' (choices: 0 'Yes', 1 'No' [default])" style description. */
char *vi_question_describe(const vi_question *q);

G_END_DECLS
