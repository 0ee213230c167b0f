/* vi/ tasks and questions against the simulator: progress, cancel, and the
 * auto_answer policy. Suite: sim. */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

typedef struct {
    sim_instance *sim;
    vi_conn *conn;
    vi_moref vm; /* first VM */
    char *vm_name;
} fixture;

static void
setup(fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = 2 };
    f->sim = sim_start(&so, &error);
    g_assert_no_error(error);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = f->sim->url;
    f->conn = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(f->conn, f->sim->username, f->sim->password, &error));
    g_assert_no_error(error);
    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GPtrArray) vms = vi_collector_retrieve(f->conn, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vms->len, >=, 1);
    vi_moref m;
    g_assert_true(vi_object_moref(vms->pdata[0], &m));
    f->vm.type = g_strdup(m.type);
    f->vm.value = g_strdup(m.value);
    f->vm_name = g_strdup(vi_object_get_string(vms->pdata[0], "name"));
}

static void
teardown(fixture *f, gconstpointer data)
{
    vi_conn_free(f->conn);
    sim_stop(f->sim);
    vi_moref_clear(&f->vm);
    g_free(f->vm_name);
}

static char *
power_state(fixture *f)
{
    static const char *const paths[] = { "runtime.powerState", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) o = vi_collector_retrieve_one(f->conn, &f->vm, paths, &error);
    g_assert_no_error(error);
    return g_strdup(vi_object_get_string(o, "runtime.powerState"));
}

static void
on_progress(int percent, gpointer ud)
{
    g_array_append_val((GArray *)ud, percent);
}

static void
test_progress(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/task-delay", "{\"method\":\"PowerOffVM_Task\",\"ms\":1500,\"steps\":5}");
    g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(int));
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.progress = on_progress;
    o.user_data = seen;
    g_autoptr(GError) error = NULL;
    g_assert_true(vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error));
    g_assert_no_error(error);
    /* several distinct, increasing values ending at 100 */
    g_assert_cmpuint(seen->len, >=, 3);
    for (guint i = 1; i < seen->len; i++)
        g_assert_cmpint(g_array_index(seen, int, i), >, g_array_index(seen, int, i - 1));
    g_assert_cmpint(g_array_index(seen, int, seen->len - 1), ==, 100);
    g_autofree char *st = power_state(f);
    g_assert_cmpstr(st, ==, "poweredOff");
}

/* The task is cancelled once it is seen running (its first progress
 * report), not after a guessed delay; it would run a minute otherwise, so
 * ending within 30 s shows the cancel took. */
#define LONG_TASK "{\"method\":\"PowerOffVM_Task\",\"ms\":60000,\"steps\":60,\"cancelable\":true}"

static void
cancel_on_progress(int percent, gpointer ud)
{
    g_atomic_int_set((gint *)ud, 1);
}

static void
test_cancel(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/task-delay", LONG_TASK);
    gint flag = 0;
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.cancel_flag = &flag;
    o.progress = cancel_on_progress;
    o.user_data = &flag;
    g_autoptr(GError) error = NULL;
    gint64 t0 = g_get_monotonic_time();
    g_assert_false(vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_CANCELLED);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 30 * G_USEC_PER_SEC);
    g_autofree char *st = power_state(f);
    g_assert_cmpstr(st, ==, "poweredOn");
}

typedef struct {
    vi_conn *conn;
    vi_moref *task;
    GMutex lock;
    GCond running;
    gboolean seen;
} cancel_task_ctx;

/* The waiting thread's progress callback: the task runs. */
static void
task_running(int percent, gpointer ud)
{
    cancel_task_ctx *c = ud;
    g_mutex_lock(&c->lock);
    c->seen = TRUE;
    g_cond_signal(&c->running);
    g_mutex_unlock(&c->lock);
}

/* Cancels the task from another thread once the waiter has seen it run
 * (at most 30 s: then the test fails saying so). */
static gpointer
cancel_task_when_running(gpointer data)
{
    cancel_task_ctx *c = data;
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&c->lock);
    while (!c->seen && g_cond_wait_until(&c->running, &c->lock, deadline))
        ;
    gboolean seen = c->seen;
    g_mutex_unlock(&c->lock);
    if (!seen)
        g_error("the task reported no progress within 30 s");
    g_autoptr(GError) error = NULL;
    g_assert_true(vi_task_cancel(c->conn, c->task, &error));
    g_assert_no_error(error);
    return NULL;
}

static void
test_cancel_other_thread(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/task-delay", LONG_TASK);
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_moref) task = vi_call_moref(f->conn, "PowerOffVM_Task", &f->vm, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(task->type, ==, "Task");
    cancel_task_ctx c = { .conn = f->conn, .task = task };
    g_mutex_init(&c.lock);
    g_cond_init(&c.running);
    GThread *th = g_thread_new("cancel", cancel_task_when_running, &c);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.progress = task_running;
    o.user_data = &c;
    gint64 t0 = g_get_monotonic_time();
    g_assert_false(vi_task_wait(f->conn, task, &o, NULL, &error));
    g_thread_join(th);
    g_mutex_clear(&c.lock);
    g_cond_clear(&c.running);
    g_assert_error(error, VI_ERROR, VI_ERROR_CANCELLED);
    g_assert_cmpstr(vi_error_fault_name(error), ==, "RequestCanceled");
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 30 * G_USEC_PER_SEC);
}

static void
test_snapshot_result(fixture *f, gconstpointer data)
{
    /* parameters given out of order; the result is the snapshot's moref */
    g_autoptr(vi_value) args = vi_value_new("CreateSnapshot_Task", NULL, NULL);
    vi_value_add_bool(args, "quiesce", FALSE);
    vi_value_add_bool(args, "memory", FALSE);
    vi_value_add_string(args, "description", "before <upgrade> & co");
    vi_value_add_string(args, "name", "snap&1");
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) result = NULL;
    g_assert_true(vi_call_task(f->conn, "CreateSnapshot_Task", &f->vm, args, NULL, &result, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(vi_value_moref_type(result), ==, "VirtualMachineSnapshot");

    static const char *const paths[] = { "snapshot", NULL };
    g_autoptr(vi_value) o = vi_collector_retrieve_one(f->conn, &f->vm, paths, &error);
    g_assert_no_error(error);
    g_autoptr(GPtrArray) roots = vi_object_get_all(o, "snapshot.rootSnapshotList");
    g_assert_cmpuint(roots->len, ==, 1);
    g_autoptr(vi_VirtualMachineSnapshotTree) tree =
        vi_value_to_new_struct(roots->pdata[0], &vi_type_VirtualMachineSnapshotTree, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(tree->name, ==, "snap&1");
    g_assert_cmpstr(tree->description, ==, "before <upgrade> & co");
    g_assert_cmpstr(tree->snapshot.value, ==, vi_value_text(result));
    g_assert_cmpstr(tree->vm.value, ==, f->vm.value);
}

/* The simulator keeps a real .vmx for a VM CreateVM_Task makes (written
 * from its config), and datastore files go up and down through /folder. */
static void
test_create_vm_vmx(fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    static const char *const no_paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "ResourcePool";
    spec.paths = no_paths;
    g_autoptr(GPtrArray) pools = vi_collector_retrieve(f->conn, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(pools->len, >=, 1);
    vi_moref pool;
    g_assert_true(vi_object_moref(pools->pdata[0], &pool));

    g_autoptr(vi_value) args = vi_value_new("CreateVM_Task", NULL, NULL);
    vi_value *config = vi_value_add_object(args, "config", "VirtualMachineConfigSpec");
    vi_value_add_string(config, "name", "made");
    vi_value_add_string(config, "guestId", "otherGuest64");
    vi_value_add_int(config, "numCPUs", 2);
    vi_value_add_int(config, "memoryMB", 64);
    vi_value *files = vi_value_add_object(config, "files", "VirtualMachineFileInfo");
    vi_value_add_string(files, "vmPathName", "[LocalDS_0]");
    vi_value_add_moref(args, "pool", &pool);
    vi_moref folder = { .type = (char *)"Folder", .value = (char *)"ha-folder-vm" };
    g_assert_true(vi_call_task(f->conn, "CreateVM_Task", &folder, args, NULL, NULL, &error));
    g_assert_no_error(error);
    g_autoptr(GBytes) vmx = vi_datastore_file_get(f->conn, "ha-datacenter", "LocalDS_0", "made/made.vmx", &error);
    g_assert_no_error(error);
    g_autofree char *text = g_strndup(g_bytes_get_data(vmx, NULL), g_bytes_get_size(vmx));
    g_assert_true(g_str_has_prefix(text, "# written by hvd-sim\n"));
    g_assert_nonnull(strstr(text, "displayName = \"made\"\n"));
    g_assert_nonnull(strstr(text, "memsize = \"64\"\n"));
    g_assert_nonnull(strstr(text, "numvcpus = \"2\"\n"));
    g_assert_nonnull(strstr(text, "guestOS = \"other-64\"\n"));

    static const char up[] = "a file \"put\" there\n";
    g_assert_true(
        vi_datastore_file_put(f->conn, "ha-datacenter", "LocalDS_0", "new dir/f 1.txt", up, strlen(up), &error));
    g_assert_no_error(error);
    g_autoptr(GBytes) down = vi_datastore_file_get(f->conn, "ha-datacenter", "LocalDS_0", "new dir/f 1.txt", &error);
    g_assert_no_error(error);
    g_assert_cmpmem(g_bytes_get_data(down, NULL), g_bytes_get_size(down), up, strlen(up));
    g_assert_false(vi_datastore_file_put(f->conn, "ha-datacenter", "NoSuchDS", "x.txt", up, strlen(up), &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_FOUND);
}

static void
test_task_fault(fixture *f, gconstpointer data)
{
    /* powering on a running VM fails with a fault carried by the task */
    g_autoptr(GError) error = NULL;
    g_assert_false(vi_call_task(f->conn, "PowerOnVM_Task", &f->vm, NULL, NULL, NULL, &error));
    g_assert_nonnull(error);
    g_assert_cmpint(error->code, ==, VI_ERROR_TASK);
    g_assert_cmpstr(vi_error_fault_name(error), ==, "InvalidPowerState");
    g_assert_cmpstr(vi_value_get_string(vi_error_fault_detail(error), "existingState"), ==, "poweredOn");
}

static void
raise_question(fixture *f)
{
    g_autofree char *body =
        g_strdup_printf("{\"vm\":\"%s\",\"text\":\"Keep the serial log <file> & append?\","
                        "\"choices\":[{\"key\":\"0\",\"label\":\"Append\"},{\"key\":\"1\",\"label\":\"Replace\"},"
                        "{\"key\":\"2\",\"label\":\"Cancel\"}],\"default\":1}",
                        f->vm_name);
    vi_test_sim_post(f->sim, "/question", body);
}

static char *
question_state(fixture *f)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_strdup_printf("/question?vm=%s", f->vm.value);
    char *resp = NULL;
    g_assert_true(sim_control(f->sim, "GET", path, NULL, &resp, &error));
    g_assert_no_error(error);
    return resp;
}

typedef struct {
    fixture *f;
} raise_ctx;

static gpointer
raise_later(gpointer data)
{
    g_usleep(500 * 1000);
    raise_question(data);
    return NULL;
}

static void
test_question_auto_answer(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/task-delay", "{\"method\":\"PowerOffVM_Task\",\"ms\":1500,\"steps\":3}");
    GThread *th = g_thread_new("question", raise_later, f);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.auto_answer = TRUE;
    g_autoptr(GError) error = NULL;
    gboolean ok = vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error);
    g_thread_join(th);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_autofree char *st = question_state(f);
    /* answered with the default (key "1"), nothing pending */
    g_assert_nonnull(strstr(st, "\"choice\":\"1\""));
    g_assert_nonnull(strstr(st, "\"question\":null"));
    g_autofree char *ps = power_state(f);
    g_assert_cmpstr(ps, ==, "poweredOff");
}

static void
test_question_reported(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/task-delay",
                     "{\"method\":\"PowerOffVM_Task\",\"ms\":3000,\"steps\":3,\"cancelable\":true}");
    GThread *th = g_thread_new("question", raise_later, f);
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    g_autoptr(GError) error = NULL;
    g_assert_false(vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error));
    g_thread_join(th);
    g_assert_error(error, VI_ERROR, VI_ERROR_QUESTION);
    g_assert_nonnull(strstr(error->message, "Keep the serial log <file> & append?"));
    g_assert_nonnull(strstr(error->message, "'Append'"));
    g_assert_nonnull(strstr(error->message, "'Replace' [default]"));
    g_assert_nonnull(strstr(error->message, "cancelled"));
    g_assert_nonnull(strstr(error->message, "auto_answer=1"));
    g_autofree char *st = question_state(f);
    g_assert_nonnull(strstr(st, "\"answers\":[]"));
    /* the task was cancelled: the VM stays on */
    g_usleep(300 * 1000);
    g_autofree char *ps = power_state(f);
    g_assert_cmpstr(ps, ==, "poweredOn");
}

static void
test_question_pending_before(fixture *f, gconstpointer data)
{
    raise_question(f);
    g_autoptr(GError) error = NULL;
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    g_assert_false(vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_QUESTION);
    g_assert_nonnull(strstr(error->message, "Keep the serial log"));
    g_clear_error(&error);
    /* with auto_answer: answered, and the requested task still not started */
    o.auto_answer = TRUE;
    g_assert_false(vi_call_task(f->conn, "PowerOffVM_Task", &f->vm, NULL, &o, NULL, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_QUESTION);
    g_assert_nonnull(strstr(error->message, "not started"));
    g_autofree char *st = question_state(f);
    g_assert_nonnull(strstr(st, "\"choice\":\"1\""));
    g_autofree char *ps = power_state(f);
    g_assert_cmpstr(ps, ==, "poweredOn");
}

/* A retrieval sent along with the first look at a task: one round trip for
 * both, the task's result and the other objects; a spec that would need a
 * ContainerView or lists tasks is refused before any request. */
static void
test_also_in_first_look(fixture *f, gconstpointer data)
{
    static const char *const host_paths[] = { "datastore", NULL };
    static const char *const ds_paths[] = { "name", "browser", NULL };
    g_autoptr(GError) error = NULL;
    vi_retrieve_spec hs = VI_RETRIEVE_SPEC_INIT;
    hs.type = "HostSystem";
    hs.paths = host_paths;
    g_autoptr(GPtrArray) hosts = vi_collector_retrieve(f->conn, &hs, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(hosts->len, ==, 1);
    vi_moref host;
    g_assert_true(vi_object_moref(hosts->pdata[0], &host));
    g_autoptr(GPtrArray) refs = vi_object_get_all(hosts->pdata[0], "datastore");
    g_assert_cmpuint(refs->len, >=, 1);
    vi_moref ds;
    g_assert_true(vi_value_get_moref(refs->pdata[0], "", &ds));
    g_autoptr(vi_value) dso = vi_collector_retrieve_one(f->conn, &ds, ds_paths, &error);
    g_assert_no_error(error);
    vi_moref browser;
    g_assert_true(vi_object_get_moref(dso, "browser", &browser));
    g_autofree char *root = g_strdup_printf("[%s]", vi_object_get_string(dso, "name"));

    vi_retrieve_spec also = VI_RETRIEVE_SPEC_INIT;
    also.type = "Datastore";
    also.paths = ds_paths;
    also.container = &host;
    also.container_path = "datastore";
    vi_task_options o = VI_TASK_OPTIONS_INIT;
    o.also = &also;
    o.also_out = g_ptr_array_new_with_free_func((GDestroyNotify)vi_value_free);
    g_autoptr(vi_value) args = vi_value_new("SearchDatastore_Task", NULL, NULL);
    vi_value_add_string(args, "datastorePath", root);
    vi_value *spec = vi_value_add_object(args, "searchSpec", "HostDatastoreBrowserSearchSpec");
    vi_value_add_string(spec, "matchPattern", "*");
    vi_test_sim_post(f->sim, "/stats/reset", NULL);
    g_autoptr(vi_value) result = NULL;
    gboolean ok = vi_call_task(f->conn, "SearchDatastore_Task", &browser, args, &o, &result, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_cmpstr(vi_value_get_string(result, "folderPath"), ==, root);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "SearchDatastore_Task"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, NULL), ==, 2);
    g_assert_cmpuint(o.also_out->len, ==, refs->len);
    gboolean found = FALSE;
    for (guint i = 0; i < o.also_out->len; i++) {
        vi_moref m;
        g_assert_true(vi_object_moref(o.also_out->pdata[i], &m));
        g_assert_cmpstr(m.type, ==, "Datastore");
        found |= g_strcmp0(m.value, ds.value) == 0;
    }
    g_assert_true(found);
    g_ptr_array_unref(o.also_out);

    /* a ContainerView would cost more round trips; tasks would mix */
    vi_test_sim_post(f->sim, "/stats/reset", NULL);
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)vi_value_free);
    vi_retrieve_spec bad = VI_RETRIEVE_SPEC_INIT;
    bad.type = "Datastore";
    bad.container = &host;
    static const char *const info[] = { "info", NULL };
    g_assert_null(vi_collector_retrieve_one_also(f->conn, &browser, info, &bad, out, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
    g_clear_error(&error);
    bad.container_path = "datastore";
    bad.type = "HostDatastoreBrowser";
    g_assert_null(vi_collector_retrieve_one_also(f->conn, &browser, info, &bad, out, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
    g_assert_cmpuint(out->len, ==, 0);
    g_assert_cmpint(vi_test_sim_calls(f->sim, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/vi/sim/task/" path, fixture, NULL, setup, fn, teardown)
    ADD("progress", test_progress);
    ADD("cancel", test_cancel);
    ADD("fault", test_task_fault);
    ADD("cancel-from-other-thread", test_cancel_other_thread);
    ADD("snapshot-result", test_snapshot_result);
    ADD("create-vm-vmx", test_create_vm_vmx);
    ADD("question-auto-answer", test_question_auto_answer);
    ADD("question-reported-and-cancelled", test_question_reported);
    ADD("question-pending-before", test_question_pending_before);
    ADD("also-in-first-look", test_also_in_first_look);
    return vi_test_run();
}
