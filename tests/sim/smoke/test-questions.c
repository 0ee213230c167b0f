/* Questions: raised through the control endpoint, visible as
 * runtime.question, answered with AnswerVM (raw SOAP); a delayed power-on
 * blocks until the question is answered. */
#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

static char *
answer_body(const char *vm, const char *id, const char *choice)
{
    return g_strdup_printf("<AnswerVM xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this>"
                           "<questionId>%s</questionId><answerChoice>%s</answerChoice></AnswerVM>",
                           vm, id, choice);
}

static void
test_raise_and_answer(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");

    g_autofree char *none = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_null(none);

    g_autofree char *raised =
        control_ok(sim, "POST", "/question",
                   "{\"vm\":\"ha-host_VM0\",\"id\":\"q1\",\"text\":\"Continue?\","
                   "\"choices\":[{\"key\":\"0\",\"label\":\"button.no\",\"summary\":\"No\"},"
                   "{\"key\":\"1\",\"label\":\"button.yes\",\"summary\":\"Yes\"}],\"default\":1}");
    g_assert_nonnull(strstr(raised, "\"id\":\"q1\""));

    g_autofree char *q = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_nonnull(q);
    g_assert_nonnull(strstr(q, "<id>q1</id>"));
    g_assert_nonnull(strstr(q, "<text>Continue?</text>"));
    g_assert_nonnull(strstr(q, "<label>button.yes</label>"));
    g_assert_nonnull(strstr(q, "<summary>No</summary>"));
    g_assert_nonnull(strstr(q, "<defaultIndex>1</defaultIndex>"));

    g_autofree char *wrong_id = answer_body(vm, "q2", "1");
    g_autofree char *f1 = soap_fault(sim, cookie, wrong_id, "InvalidArgument");
    g_assert_nonnull(strstr(f1, "<invalidProperty>questionId</invalidProperty>"));
    g_autofree char *wrong_choice = answer_body(vm, "q1", "7");
    g_autofree char *f2 = soap_fault(sim, cookie, wrong_choice, "InvalidArgument");
    g_assert_nonnull(strstr(f2, "<invalidProperty>answerChoice</invalidProperty>"));
    g_autofree char *right = answer_body(vm, "q1", "1");
    g_free(soap_fault(sim, NULL, right, "NotAuthenticated"));

    g_autofree char *ok = soap_ok(sim, cookie, right);
    g_assert_nonnull(strstr(ok, "<AnswerVMResponse"));
    g_autofree char *cleared = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_null(cleared);
    /* Answered: the same answer again is an error. */
    g_free(soap_fault(sim, cookie, right, "InvalidArgument"));

    g_autofree char *shown = control_ok(sim, "GET", "/question?vm=ha-host_VM0", NULL);
    g_assert_nonnull(strstr(shown, "\"question\":null"));
    g_assert_nonnull(strstr(shown, "\"choice\":\"1\""));

    g_assert_false(sim_control(sim, "POST", "/question", "{\"vm\":\"no-such-vm\"}", NULL, &error));
    g_assert_error(error, SIM_ERROR, SIM_ERROR_HTTP);
    g_assert_nonnull(strstr(error->message, "no-such-vm"));
}

static void
test_blocks_power_on(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM1");

    /* vcsim's own (immediate) power-off first. */
    g_autofree char *off = g_strdup_printf(
        "<PowerOffVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></PowerOffVM_Task>", vm);
    g_free(soap_ok(sim, cookie, off));
    g_assert_true(wait_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState", "poweredOff", 30000));

    /* The default question: ESX's "moved or copied?", default "I Copied It". */
    g_autofree char *raised = control_ok(sim, "POST", "/question", "{\"vm\":\"ha-host_VM1\"}");
    g_autofree char *id = extract_between(raised, "\"id\":\"", "\"");
    g_assert_nonnull(id);
    g_autofree char *q = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_nonnull(strstr(q, "msg.uuid.altered"));
    g_assert_nonnull(strstr(q, "<defaultIndex>2</defaultIndex>"));

    g_free(control_ok(sim, "POST", "/task-delay", "{\"method\":\"PowerOnVM_Task\",\"ms\":200,\"steps\":2}"));
    g_autofree char *on = g_strdup_printf(
        "<PowerOnVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></PowerOnVM_Task>", vm);
    g_autofree char *res = soap_ok(sim, cookie, on);
    g_autofree char *task = extract_between(res, "<returnval type=\"Task\">", "</returnval>");
    g_assert_nonnull(task);

    /* Well past the delay, still blocked on the question. */
    g_usleep(600 * 1000);
    g_autofree char *state = get_property(sim, cookie, "Task", task, "info.state");
    g_assert_cmpstr(state, ==, "running");
    g_autofree char *power = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(power, ==, "poweredOff");

    g_autofree char *answer = answer_body(vm, id, "2");
    g_free(soap_ok(sim, cookie, answer));
    g_assert_true(wait_property(sim, cookie, "Task", task, "info.state", "success", 30000));
    g_autofree char *power2 = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(power2, ==, "poweredOn");
}

/* A question armed for PowerOnVM_Task appears when the power-on starts (no
 * delay configured) and blocks it; cancelling the task withdraws it. */
static void
test_armed_question(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");
    g_autofree char *off = g_strdup_printf(
        "<PowerOffVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></PowerOffVM_Task>", vm);
    g_free(soap_ok(sim, cookie, off));

    g_autofree char *armed = control_ok(sim, "POST", "/question", "{\"vm\":\"ha-host_VM0\",\"on\":\"PowerOnVM_Task\"}");
    g_assert_nonnull(strstr(armed, "\"on\":\"PowerOnVM_Task\""));
    g_autofree char *none = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_null(none);
    g_autofree char *shown = control_ok(sim, "GET", "/question?vm=ha-host_VM0", NULL);
    g_assert_nonnull(strstr(shown, "\"armed\":[{"));

    g_autofree char *on = g_strdup_printf(
        "<PowerOnVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></PowerOnVM_Task>", vm);
    g_autofree char *res = soap_ok(sim, cookie, on);
    g_autofree char *task = extract_between(res, "<returnval type=\"Task\">", "</returnval>");
    g_autofree char *q = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_nonnull(q);
    g_assert_nonnull(strstr(q, "msg.uuid.altered"));
    g_usleep(300 * 1000);
    g_autofree char *state = get_property(sim, cookie, "Task", task, "info.state");
    g_assert_cmpstr(state, ==, "running");

    g_autofree char *cancel =
        g_strdup_printf("<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">%s</_this></CancelTask>", task);
    g_free(soap_ok(sim, cookie, cancel));
    g_assert_true(wait_property(sim, cookie, "Task", task, "info.state", "error", 30000));
    g_autofree char *power = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(power, ==, "poweredOff");
    /* The question went with the task that raised it. */
    g_autofree char *gone = get_property(sim, cookie, "VirtualMachine", vm, "runtime.question");
    g_assert_null(gone);

    /* Armed once: the next power-on runs through. */
    g_autofree char *res2 = soap_ok(sim, cookie, on);
    g_autofree char *task2 = extract_between(res2, "<returnval type=\"Task\">", "</returnval>");
    g_autofree char *state2 = get_property(sim, cookie, "Task", task2, "info.state");
    g_assert_cmpstr(state2, ==, "success");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/questions/raise-and-answer", test_raise_and_answer);
    g_test_add_func("/sim/questions/blocks-power-on", test_blocks_power_on);
    g_test_add_func("/sim/questions/armed", test_armed_question);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
