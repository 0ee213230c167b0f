/* VM questions (runtime.question): decode, describe, answer, and the
 * auto_answer policy of the spec. */
#include <string.h>

#include "vi/vi-private.h"
#include "vi/vi-collector.h"
#include "vi/vi-task.h"

void
vi_question_free(vi_question *q)
{
    if (!q)
        return;
    g_free(q->id);
    g_free(q->text);
    g_ptr_array_free(q->choice_keys, TRUE);
    g_ptr_array_free(q->choice_labels, TRUE);
    g_free(q);
}

vi_question *
vi_question_from_value(const vi_value *v)
{
    const char *id = vi_value_get_string(v, "id");
    if (!id || !*id)
        return NULL;
    vi_question *q = g_new0(vi_question, 1);
    q->id = g_strdup(id);
    q->text = g_strdup(vi_value_get_string(v, "text"));
    if (!q->text)
        q->text = g_strdup("");
    q->choice_keys = g_ptr_array_new_with_free_func(g_free);
    q->choice_labels = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) infos = vi_value_lookup_all(v, "choice.choiceInfo");
    for (guint i = 0; i < infos->len; i++) {
        const char *key = vi_value_get_string(infos->pdata[i], "key");
        const char *label = vi_value_get_string(infos->pdata[i], "label");
        g_ptr_array_add(q->choice_keys, g_strdup(key ? key : ""));
        g_ptr_array_add(q->choice_labels, g_strdup(label ? label : (key ? key : "")));
    }
    gint64 def = -1;
    if (!vi_value_get_int64(v, "choice.defaultIndex", &def) || def < 0 || def >= q->choice_keys->len)
        def = -1;
    q->default_index = (int)def;
    return q;
}

char *
vi_question_describe(const vi_question *q)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "question '%s' (choices:", q->text);
    for (guint i = 0; i < q->choice_keys->len; i++)
        g_string_append_printf(s, "%s %s '%s'%s", i ? "," : "", (char *)q->choice_keys->pdata[i],
                               (char *)q->choice_labels->pdata[i], (int)i == q->default_index ? " [default]" : "");
    if (!q->choice_keys->len)
        g_string_append(s, " none");
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

vi_question *
vi_question_get(vi_conn *conn, const vi_moref *vm, GError **error)
{
    static const char *const paths[] = { "runtime.question", NULL };
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(conn, vm, paths, error);
    if (!obj)
        return NULL;
    return vi_question_from_value(vi_object_get(obj, "runtime.question"));
}

gboolean
vi_question_answer(vi_conn *conn, const vi_moref *vm, const char *question_id, const char *choice_key, GError **error)
{
    g_autoptr(vi_value) args = vi_value_new("AnswerVM", NULL, NULL);
    vi_value_add_string(args, "questionId", question_id);
    vi_value_add_string(args, "answerChoice", choice_key);
    g_autoptr(vi_value) r = vi_call(conn, "AnswerVM", vm, args, error);
    return r != NULL;
}

gboolean
vi_question_handle(vi_conn *conn, const vi_moref *vm, const vi_question *q, gboolean auto_answer, GError **error)
{
    g_autofree char *desc = vi_question_describe(q);
    if (auto_answer && q->default_index >= 0) {
        if (!vi_question_answer(conn, vm, q->id, q->choice_keys->pdata[q->default_index], error)) {
            g_prefix_error(error, "Answering %s on virtual machine %s: ", desc, vm->value);
            return FALSE;
        }
        vi_log(vi_conn_log(conn), VI_LOG_INFO, "Answered %s on virtual machine %s with its default", desc, vm->value);
        return TRUE;
    }
    vi_set_error_full(error, VI_ERROR_QUESTION, NULL, NULL, q->text,
                      "Virtual machine %s is blocked by %s; answer it, or use auto_answer=1 to "
                      "answer questions with their default%s",
                      vm->value, desc, auto_answer ? " (this question has no default)" : "");
    return FALSE;
}
