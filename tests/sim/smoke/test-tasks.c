/* Delayed tasks: progress through info.progress (also seen by
 * WaitForUpdatesEx), the real effect at the end, CancelTask. */
#include "soapclient.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static char *
start_task(sim_instance *sim, const char *cookie, const char *method, const char *vm)
{
    g_autofree char *body =
        g_strdup_printf("<%s xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></%s>", method, vm, method);
    g_autofree char *res = soap_ok(sim, cookie, body);
    char *task = extract_between(res, "<returnval type=\"Task\">", "</returnval>");
    g_assert_nonnull(task);
    return task;
}

static void
test_progress_and_effect(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");
    g_autofree char *state = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(state, ==, "poweredOn");

    g_free(control_ok(sim, "POST", "/task-delay", "{\"method\":\"PowerOffVM_Task\",\"ms\":1200,\"steps\":4}"));
    gint64 t0 = g_get_monotonic_time();
    g_autofree char *task = start_task(sim, cookie, "PowerOffVM_Task", vm);
    /* The method returned at once, with the task running and the VM untouched. */
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 800 * 1000);
    g_autofree char *running = get_property(sim, cookie, "Task", task, "info.state");
    g_assert_cmpstr(running, ==, "running");
    g_autofree char *name = get_property(sim, cookie, "Task", task, "info.name");
    g_assert_cmpstr(name, ==, "PowerOffVM_Task");
    g_autofree char *still = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(still, ==, "poweredOn");

    /* A property filter on the task sees progress through WaitForUpdatesEx. */
    g_autofree char *filter_body =
        g_strdup_printf("<CreateFilter xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">%s</_this>"
                        "<spec><propSet><type>Task</type><pathSet>info.progress</pathSet>"
                        "<pathSet>info.state</pathSet></propSet>"
                        "<objectSet><obj type=\"Task\">%s</obj></objectSet></spec>"
                        "<partialUpdates>false</partialUpdates></CreateFilter>",
                        property_collector(sim), task);
    g_free(soap_ok(sim, cookie, filter_body));
    g_autofree char *version = g_strdup("");
    int max_progress = -1;
    gboolean done = FALSE;
    for (int i = 0; i < 20 && !done; i++) {
        g_autofree char *wait =
            g_strdup_printf("<WaitForUpdatesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">%s</_this>"
                            "<version>%s</version><options><maxWaitSeconds>5</maxWaitSeconds></options>"
                            "</WaitForUpdatesEx>",
                            property_collector(sim), version);
        g_autofree char *res = soap_ok(sim, cookie, wait);
        g_free(version);
        version = extract_between(res, "<version>", "</version>");
        g_assert_nonnull(version);
        for (const char *p = strstr(res, "<name>info.progress</name>"); p;
             p = strstr(p + 1, "<name>info.progress</name>")) {
            const char *v = strchr(strstr(p, "<val"), '>') + 1;
            int progress = atoi(v);
            g_assert_cmpint(progress, >=, max_progress);
            max_progress = progress;
        }
        done = strstr(res, ">success</val>") != NULL;
    }
    g_assert_true(done);
    g_assert_cmpint(max_progress, >, 0);
    g_assert_cmpint(max_progress, <=, 100);

    /* The real vcsim effect happened. */
    g_autofree char *off = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(off, ==, "poweredOff");
    g_autofree char *progress = get_property(sim, cookie, "Task", task, "info.progress");
    g_assert_cmpstr(progress, ==, "100");

    /* A task that already finished cannot be cancelled. */
    g_autofree char *cancel =
        g_strdup_printf("<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">%s</_this></CancelTask>", task);
    g_free(soap_fault(sim, cookie, cancel, "InvalidState"));

    /* A delayed task whose method faults ends in error with that fault. */
    g_autofree char *task2 = start_task(sim, cookie, "PowerOffVM_Task", vm);
    g_assert_true(wait_property(sim, cookie, "Task", task2, "info.state", "error", 30000));
    g_autofree char *err = get_property(sim, cookie, "Task", task2, "info.error");
    g_assert_nonnull(strstr(err, "InvalidPowerState"));
}

static void
test_cancel(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM1");

    g_free(control_ok(sim, "POST", "/task-delay", "{\"method\":\"PowerOffVM_Task\",\"ms\":5000,\"steps\":50}"));
    g_autofree char *task = start_task(sim, cookie, "PowerOffVM_Task", vm);
    g_autofree char *cancelable = get_property(sim, cookie, "Task", task, "info.cancelable");
    g_assert_cmpstr(cancelable, ==, "true");

    g_autofree char *cancel =
        g_strdup_printf("<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">%s</_this></CancelTask>", task);
    g_autofree char *res = soap_ok(sim, cookie, cancel);
    g_assert_nonnull(strstr(res, "<CancelTaskResponse"));
    g_assert_true(wait_property(sim, cookie, "Task", task, "info.state", "error", 30000));
    g_autofree char *err = get_property(sim, cookie, "Task", task, "info.error");
    g_assert_nonnull(strstr(err, "RequestCanceled"));
    g_autofree char *cancelled = get_property(sim, cookie, "Task", task, "info.cancelled");
    g_assert_cmpstr(cancelled, ==, "true");

    /* The effect did not happen, not even later. */
    g_usleep(300 * 1000);
    g_autofree char *state = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(state, ==, "poweredOn");

    /* A task declared not cancelable: NotSupported. */
    g_free(control_ok(sim, "POST", "/task-delay",
                      "{\"method\":\"PowerOffVM_Task\",\"ms\":2000,\"steps\":2,\"cancelable\":false}"));
    g_autofree char *task2 = start_task(sim, cookie, "PowerOffVM_Task", vm);
    g_autofree char *cancel2 =
        g_strdup_printf("<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">%s</_this></CancelTask>", task2);
    g_free(soap_fault(sim, cookie, cancel2, "NotSupported"));

    /* ms 0 removes the delay: the next call is vcsim's own, already finished. */
    g_free(control_ok(sim, "POST", "/task-delay", "{\"method\":\"PowerOnVM_Task\",\"ms\":0}"));
    g_autofree char *bad = NULL;
    g_assert_false(sim_control(sim, "POST", "/task-delay", "{\"method\":\"PowerOnVM\",\"ms\":5}", &bad, &error));
    g_assert_error(error, SIM_ERROR, SIM_ERROR_HTTP);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/tasks/progress-and-effect", test_progress_and_effect);
    g_test_add_func("/sim/tasks/cancel", test_cancel);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
