/* hvdctl end to end against the simulator: credentials from the auth file,
 * the commands of the foundation issue with --json, the errors a user sees
 * without credentials or with a wrong password, no password of a URI in any
 * output, and the password prompt on a pseudo-terminal.
 *
 * Every read of hvdctl's output has a deadline (poll) and prints everything
 * hvdctl wrote when it passes, instead of waiting for the test's timeout. */
#include "hvd.h"
#include "simharness.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* How long one hvdctl run may take before the test says it hangs. */
#define DEADLINE_S 60

static const char *hvdctl;

typedef struct {
    int status;
    char *out;
    char *err;
} run_result;

static void
run_result_clear(run_result *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Reads each of the `n` fds into out[i] until every one reaches its end
 * (EOF; EIO on a pseudo-terminal whose other side closed), closing it and
 * setting it to -1 there — or, with `until`, until out[0] holds that text.
 * Returns FALSE when `deadline` (g_get_monotonic_time) passes first, or when
 * the fds end without `until`. */
static gboolean
read_until(int *fds, GString **out, int n, const char *until, gint64 deadline)
{
    for (;;) {
        if (until != NULL && strstr(out[0]->str, until) != NULL)
            return TRUE;
        struct pollfd pfd[4];
        int which[4], np = 0;
        for (int i = 0; i < n && np < 4; i++) {
            if (fds[i] >= 0) {
                pfd[np] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
                which[np++] = i;
            }
        }
        if (np == 0)
            return until == NULL;
        gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
        if (left_ms <= 0)
            return FALSE;
        int ready = poll(pfd, np, (int)MIN(left_ms, INT_MAX));
        if (ready < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(ready, >=, 0);
        for (int k = 0; k < np; k++) {
            if (pfd[k].revents == 0)
                continue;
            char buf[4096];
            ssize_t got = read(pfd[k].fd, buf, sizeof(buf));
            if (got > 0) {
                g_string_append_len(out[which[k]], buf, got);
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[which[k]]);
                fds[which[k]] = -1;
            }
        }
    }
}

static char *
describe_args(const char *const *args)
{
    g_autoptr(GString) s = g_string_new(hvdctl);
    for (const char *const *a = args; *a != NULL; a++)
        g_string_append_printf(s, " '%s'", *a);
    return g_strescape(s->str, "'");
}

/* Runs hvdctl with stdin from /dev/null (so it cannot prompt), waiting at
 * most DEADLINE_S for it to finish. */
static run_result
run(const char *auth_file, const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)hvdctl);
    for (const char *const *a = args; *a != NULL; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    g_auto(GStrv) envp = g_get_environ();
    envp = g_environ_unsetenv(envp, "LIBVIRT_AUTH_FILE");
    envp = g_environ_setenv(envp, "HVD_AUTH_FILE", auth_file, TRUE);
    g_autoptr(GError) gerr = NULL;
    GPid pid;
    int fds[2];
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, envp,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &pid, NULL,
                                  &fds[0], &fds[1], &gerr))
        g_error("spawn %s: %s", hvdctl, gerr->message);
    GString *out[2] = { g_string_new(NULL), g_string_new(NULL) };
    gboolean done = read_until(fds, out, 2, NULL, g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC);
    int wait_status = 0;
    if (!done)
        kill(pid, SIGKILL);
    waitpid(pid, &wait_status, 0);
    g_spawn_close_pid(pid);
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    if (!done) {
        g_autofree char *cmd = describe_args(args);
        g_error("%s did not finish within %d s; standard output:\n%s\nstandard error:\n%s", cmd, DEADLINE_S,
                out[0]->str, out[1]->str);
    }
    run_result r = { WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1, g_string_free(out[0], FALSE),
                     g_string_free(out[1], FALSE) };
    return r;
}

static char *
write_auth(const char *dir, const char *host, const char *user, const char *password)
{
    char *path = g_build_filename(dir, "auth.conf", NULL);
    g_autofree char *text = g_strdup_printf("[credentials-sim]\nusername=%s\npassword=%s\n\n"
                                            "[auth-esx-%s]\ncredentials=sim\n",
                                            user, password, host);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(g_chmod(path, 0600), ==, 0); /* others may not read an auth file */
    return path;
}

static json_object *
parse_json(const char *text)
{
    json_object *o = json_tokener_parse(text);
    if (o == NULL)
        g_error("hvdctl printed no JSON: %s", text);
    return o;
}

static const char *
jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    g_assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_string(v);
}

static gint64
jint(json_object *o, const char *key)
{
    json_object *v = NULL;
    g_assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_int64(v);
}

static void
test_commands(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .tls = TRUE };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *auth = write_auth(dir, sim->host, sim->username, sim->password);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?ca_file=%s", sim->host, sim->port, sim->ca_file);

    const char *version[] = { "-c", uri, "--json", "version", NULL };
    run_result r = run(auth, version);
    g_assert_cmpint(r.status, ==, 0);
    json_object *v = parse_json(r.out);
    g_assert_true(g_str_has_prefix(jstr(v, "product"), "VMware"));
    g_assert_cmpstr(jstr(v, "api_type"), ==, "HostAgent");
    g_assert_cmpstr(jstr(v, "driver"), ==, "esx");
    g_assert_cmpint(jint(v, "negotiated_minor"), ==, HVD_ABI_MINOR);
    json_object_put(v);
    run_result_clear(&r);

    const char *hostname[] = { "-c", uri, "--json", "hostname", NULL };
    r = run(auth, hostname);
    g_assert_cmpint(r.status, ==, 0);
    json_object *h = parse_json(r.out);
    g_assert_cmpstr(jstr(h, "hostname"), !=, "");
    json_object_put(h);
    run_result_clear(&r);

    const char *nodeinfo[] = { "-c", uri, "--json", "nodeinfo", NULL };
    r = run(auth, nodeinfo);
    g_assert_cmpint(r.status, ==, 0);
    json_object *n = parse_json(r.out);
    g_assert_cmpint(jint(n, "cpus"), >, 0);
    g_assert_cmpint(jint(n, "cpus"), ==,
                    jint(n, "numa_cells") * jint(n, "sockets") * jint(n, "cores_per_socket") *
                        jint(n, "threads_per_core"));
    g_assert_cmpint(jint(n, "memory_kib"), >, 0);
    json_object_put(n);
    run_result_clear(&r);

    /* text output, as a person reads it */
    const char *text[] = { "-c", uri, "nodeinfo", NULL };
    r = run(auth, text);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "CPU model:"));
    g_assert_nonnull(strstr(r.out, "Memory size:"));
    run_result_clear(&r);

    /* uri is canonical and password-free */
    const char *uricmd[] = { "-c", uri, "uri", NULL };
    r = run(auth, uricmd);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "esx://"));
    g_assert_null(strstr(r.out, sim->password));
    run_result_clear(&r);

    g_unlink(auth);
    g_rmdir(dir);
}

/* hvdctl -d 4 shows every SOAP call the driver makes (vi/'s log reaches the
 * host's log upcall through the connection), with no secret in it; and
 * "version" costs exactly three requests: RetrieveServiceContent, Login,
 * Logout (the product check reads the service content, no locate). */
static void
test_debug_log(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .tls = TRUE, .password = "hvdDebugPw7" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *auth = write_auth(dir, sim->host, sim->username, sim->password);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?ca_file=%s", sim->host, sim->port, sim->ca_file);
    g_assert_true(sim_control(sim, "POST", "/stats/reset", NULL, NULL, &gerr));
    g_assert_no_error(gerr);

    const char *args[] = { "-c", uri, "-d", "4", "version", NULL };
    run_result r = run(auth, args);
    if (r.status != 0)
        g_error("hvdctl -d 4 version exited %d; stderr:\n%s", r.status, r.err);
    static const char *const methods[] = { "RetrieveServiceContent", "Login", "Logout" };
    for (gsize i = 0; i < G_N_ELEMENTS(methods); i++) {
        g_autofree char *want = g_strdup_printf("debug: esx.vi: %s ", methods[i]);
        if (strstr(r.err, want) == NULL)
            g_error("hvdctl -d 4 version: no line '%s...' on standard error:\n%s", want, r.err);
    }
    g_assert_null(strstr(r.err, sim->password));
    g_assert_null(strstr(r.err, "vmware_soap_session"));
    int calls = sim_call_count(sim, NULL, &gerr);
    g_assert_no_error(gerr);
    if (calls != 3)
        g_error("hvdctl version made %d requests to the server, want 3 (RetrieveServiceContent, Login, Logout); "
                "its log:\n%s",
                calls, r.err);
    run_result_clear(&r);

    /* without -d nothing of that is printed */
    const char *quiet[] = { "-c", uri, "version", NULL };
    r = run(auth, quiet);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_null(strstr(r.err, "esx.vi"));
    run_result_clear(&r);

    g_unlink(auth);
    g_rmdir(dir);
}

/* A driver of a newer minor returns what this host does not know (hvd.h,
 * "Unknown values"): hvdctl ignores the unknown capability bit and treats
 * an unknown status code as a failure, showing the driver's message. */
/* Points hvdctl at the mock driver of manifest $VAR; returns the auth file
 * (mode 600) for mock://; mock_done() undoes both. */
static char *
use_mock(const char *var, char **saved)
{
    const char *manifest = g_getenv(var);
    g_assert_nonnull(manifest);
    *saved = g_strdup(g_getenv("HVD_DRIVER_FILES"));
    g_setenv("HVD_DRIVER_FILES", manifest, TRUE);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    char *auth = g_build_filename(dir, "auth.conf", NULL);
    g_assert_true(g_file_set_contents(auth,
                                      "[credentials-m]\nusername=root\npassword=secret\n\n"
                                      "[auth-mock-mock]\ncredentials=m\n",
                                      -1, NULL));
    g_assert_cmpint(g_chmod(auth, 0600), ==, 0);
    return auth;
}

static void
mock_done(char *auth, char *saved)
{
    g_setenv("HVD_DRIVER_FILES", saved, TRUE);
    g_autofree char *dir = g_path_get_dirname(auth);
    g_unlink(auth);
    g_rmdir(dir);
    g_free(auth);
    g_free(saved);
}

/* hvdctl list and a name lookup for a command that needs only the key
 * (dumpxml) ask for brief entries (HVD_LIST_BRIEF, 1.1); --uuid and --json
 * the full ones. A driver of 1.0 refuses the flag: asked again without it,
 * the output is the same. The mock logs the flags of each call (-d 4). */
static void
check_brief(const char *auth, gboolean old)
{
    const char *list[] = { "-c", "mock://ok/", "-d", "4", "list", "--all", NULL };
    run_result r = run(auth, list);
    if (r.status != 0)
        g_error("hvdctl list --all exited %d: %s", r.status, r.err);
    g_assert_cmpstr(r.out, ==,
                    " Id   Name    State\n"
                    "-----------------------\n"
                    " 1    alpha   running\n"
                    " -    beta    shut off\n"
                    " 7    gamma   paused\n\n");
    /* brief, and (1.0) the flag refused, then the full list */
    if (old && (strstr(r.err, "list_all(flags 0x7)") != NULL || strstr(r.err, "list_all(flags 0x3)") == NULL))
        g_error("list --all on a 1.0 driver: want one list_all(flags 0x3) after the refusal, saw:\n%s", r.err);
    if (!old && (strstr(r.err, "list_all(flags 0x7)") == NULL || strstr(r.err, "list_all(flags 0x3)") != NULL))
        g_error("list --all on a 1.1 driver: want list_all(flags 0x7) only, saw:\n%s", r.err);
    run_result_clear(&r);

    const char *names[] = { "-c", "mock://ok/", "-d", "4", "list", "--name", NULL };
    r = run(auth, names);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "alpha\ngamma\n");
    g_assert_nonnull(strstr(r.err, old ? "list_all(flags 0x1)" : "list_all(flags 0x5)"));
    run_result_clear(&r);

    const char *uuids[] = { "-c", "mock://ok/", "-d", "4", "list", "--all", "--uuid", NULL };
    r = run(auth, uuids);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==,
                    "11111111-0000-4000-8000-000000000001\n22222222-0000-4000-8000-000000000002\n"
                    "33333333-0000-4000-8000-000000000003\n");
    if (strstr(r.err, "list_all(flags 0x7)") != NULL)
        g_error("list --uuid asked for a brief list:\n%s", r.err);
    run_result_clear(&r);

    const char *xml[] = { "-c", "mock://ok/", "-d", "4", "dumpxml", "beta", NULL };
    r = run(auth, xml);
    if (r.status != 0)
        g_error("hvdctl dumpxml beta exited %d: %s", r.status, r.err);
    g_assert_nonnull(strstr(r.out, "<domain"));
    g_assert_nonnull(strstr(r.err, old ? "lookup_by_name(flags 0x0)" : "lookup_by_name(flags 0x4)"));
    run_result_clear(&r);

    const char *missing[] = { "-c", "mock://ok/", "dumpxml", "delta", NULL };
    r = run(auth, missing);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "failed to get domain 'delta'"));
    run_result_clear(&r);
}

static void
test_future_driver(void)
{
    char *saved = NULL;
    char *auth = use_mock("HVD_MOCK_FUTURE_MANIFEST", &saved);

    const char *version[] = { "-c", "mock://ok/", "--json", "version", NULL };
    run_result r = run(auth, version);
    if (r.status != 0)
        g_error("hvdctl version with a newer-minor driver exited %d: %s", r.status, r.err);
    json_object *v = parse_json(r.out);
    g_assert_cmpint(jint(v, "negotiated_minor"), ==, HVD_ABI_MINOR);
    json_object *caps = NULL;
    g_assert_true(json_object_object_get_ex(v, "capabilities", &caps));
    g_assert_cmpstr(json_object_to_json_string_ext(caps, JSON_C_TO_STRING_PLAIN), ==,
                    "[\"connect\",\"domain\",\"sched\",\"native\"]");
    json_object_put(v);
    run_result_clear(&r);

    const char *fail[] = { "-c", "mock://future-status/", "hostname", NULL };
    r = run(auth, fail);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.err, ==, "error: mock: a failure whose status code a newer minor defines\n");
    run_result_clear(&r);

    const char *failj[] = { "-c", "mock://future-status/", "--json", "hostname", NULL };
    r = run(auth, failj);
    g_assert_cmpint(r.status, ==, 1);
    json_object *e = parse_json(r.err);
    g_assert_cmpint(jint(e, "status"), ==, HVD_ERR_AMBIGUOUS - 1);
    g_assert_cmpstr(jstr(e, "status_text"), ==, "unknown error");
    json_object_put(e);
    run_result_clear(&r);

    /* the memory parameters of a newer driver: its own rules */
    const char *mem[] = { "-c", "mock://ok/", "memtune", "mock-1", NULL };
    r = run(auth, mem);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "min_guarantee  : 0\nhard_limit     : unlimited\nshares         : -2\n");
    run_result_clear(&r);
    const char *below[] = {
        "-c", "mock://ok/", "memtune", "mock-1", "--min-guarantee=2048", "--hard-limit=1024", NULL
    };
    r = run(auth, below);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "'hard_limit' (1024) is below 'min_guarantee' (2048)"));
    run_result_clear(&r);
    check_brief(auth, FALSE);
    mock_done(auth, saved);
}

/* A driver of ABI 1.0 has no memory parameters: memtune says so (and
 * names the minor) instead of calling past its table; what 1.0 had works. */
static void
test_old_driver(void)
{
    char *saved = NULL;
    char *auth = use_mock("HVD_MOCK_OLD_MANIFEST", &saved);
    const char *version[] = { "-c", "mock://ok/", "--json", "version", NULL };
    run_result r = run(auth, version);
    g_assert_cmpint(r.status, ==, 0);
    json_object *v = parse_json(r.out);
    g_assert_cmpint(jint(v, "negotiated_minor"), ==, 0);
    json_object_put(v);
    run_result_clear(&r);

    const char *mem[] = { "-c", "mock://ok/", "memtune", "mock-1", NULL };
    r = run(auth, mem);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.out, ==, "");
    if (strstr(r.err, "memtune is not supported by driver 'mock' (ABI 1.0): memory parameters came with ABI 1.1") ==
        NULL)
        g_error("memtune on a 1.0 driver: %s", r.err);
    run_result_clear(&r);
    const char *set[] = { "-c", "mock://ok/", "memtune", "mock-1", "--hard-limit=1024", NULL };
    r = run(auth, set);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "(ABI 1.0)"));
    run_result_clear(&r);
    const char *sched[] = { "-c", "mock://ok/", "schedinfo", "mock-1", NULL };
    r = run(auth, sched);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "Scheduler      : allocation\n"));
    run_result_clear(&r);
    check_brief(auth, TRUE);
    mock_done(auth, saved);
}

static void
test_credential_errors(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s@%s:%d/?transport=http", sim->username, sim->host, sim->port);

    /* an auth file without this host, and no terminal: say how to provide
     * the password, once */
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *empty = g_build_filename(dir, "empty.conf", NULL);
    g_assert_true(g_file_set_contents(empty, "", 0, NULL));
    g_assert_cmpint(g_chmod(empty, 0600), ==, 0);
    const char *args[] = { "-c", uri, "hostname", NULL };
    run_result r = run(empty, args);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "no password for"));
    g_assert_nonnull(strstr(r.err, "auth file"));
    g_assert_null(strstr(r.err, "cancelled"));
    run_result_clear(&r);

    /* an auth file that is named but missing is reported by name */
    r = run("/nonexistent/hvd-auth.conf", args);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "/nonexistent/hvd-auth.conf"));
    run_result_clear(&r);

    /* wrong password: a login failure that names the user, never the password */
    g_autofree char *auth = write_auth(dir, sim->host, sim->username, "wrong-secret");
    r = run(auth, args);
    g_assert_cmpint(r.status, ==, 1);
    g_autofree char *lower = g_ascii_strdown(r.err, -1);
    g_assert_nonnull(strstr(lower, "login"));
    g_assert_nonnull(strstr(lower, "failed"));
    g_assert_null(strstr(r.err, "wrong-secret"));
    run_result_clear(&r);

    /* unknown command and missing connection are usage errors */
    const char *bad[] = { "frobnicate", NULL };
    r = run(auth, bad);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "unknown command 'frobnicate'"));
    run_result_clear(&r);
    const char *noconn[] = { "nodeinfo", NULL };
    g_unsetenv("HVD_DEFAULT_URI");
    r = run(auth, noconn);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "-c URI"));
    run_result_clear(&r);

    g_unlink(auth);
    g_unlink(empty);
    g_rmdir(dir);
}

static void
test_help(void)
{
    const char *args[] = { "help", NULL };
    run_result r = run("/nonexistent", args);
    g_assert_cmpint(r.status, ==, 0);
    for (const char *cmd = "uri\0version\0hostname\0nodeinfo\0domxml-from-native\0"; *cmd; cmd += strlen(cmd) + 1)
        g_assert_nonnull(strstr(r.out, cmd));
    run_result_clear(&r);
    const char *one[] = { "help", "nodeinfo", NULL };
    r = run("/nonexistent", one);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "Needs a connection"));
    run_result_clear(&r);
}

/* A URI with a password in it: whatever else is wrong with it, no piece of
 * the password is in hvdctl's output (text or JSON, with the debug log on),
 * whether the driver or the loader refuses it. */
static void
test_uri_password_hidden(void)
{
    static const char *const uris[] = {
        "esx://root:Zs3cretA@h:99999/",
        "esx+ssh://root:Zs3cretA@h/",
        "esx+ssh://root:Zs3cretA@h:99999/%zz",
        "esx://root:Zs3cretA@h/%zz\x1b[2J garbage",
        "esx://root:Zs3cretA@Zs3cretB@h/",
        "esx://root:Zs3cretA:Zs3cretB@h/",
        "esx://root:Zs3cretA%40Zs3cretB@h/",
        "esx://root:Zs3cretA/Zs3cretB@h/",
        "esx://root:Zs3cretA",
        "vpx://root:Zs3cretA@vc/",
        "esx://h/?proxy=http://u:Zs3cretA@px",
        "root:Zs3cretA@h",
        "root:Zs3cretA@h/x://y",
    };
    static const char *const pieces[] = { "Zs3cretA", "Zs3cretB" };
    for (gsize i = 0; i < G_N_ELEMENTS(uris); i++) {
        const char *text[] = { "-c", uris[i], "version", NULL };
        const char *json[] = { "-c", uris[i], "--json", "-d", "4", "version", NULL };
        const char *const *variants[] = { text, json };
        for (gsize v = 0; v < G_N_ELEMENTS(variants); v++) {
            run_result r = run("/nonexistent", variants[v]);
            g_autofree char *cmd = describe_args(variants[v]);
            if (r.status != 1 || r.err[0] == '\0')
                g_error("%s: exit %d, expected 1 with an error; stderr: %s", cmd, r.status, r.err);
            for (gsize k = 0; k < G_N_ELEMENTS(pieces); k++) {
                if (strstr(r.out, pieces[k]) != NULL || strstr(r.err, pieces[k]) != NULL)
                    g_error("%s printed (part of) the password; stdout: %s\nstderr: %s", cmd, r.out, r.err);
            }
            run_result_clear(&r);
        }
    }
}

/* ---- the password prompt, on a pseudo-terminal ---------------------------- */

typedef struct {
    GPid pid;
    int master;          /* our side of the terminal, open until pty_clear */
    int reading;         /* a copy of it to read from; -1 once hvdctl closed its side */
    char *slave;         /* the terminal's name, to read its settings */
    GString *transcript; /* everything hvdctl's terminal showed */
    gint64 deadline;
} pty_run;

/* Starts `hvdctl -c URI hostname` as the only process of a new session whose
 * controlling terminal is a new pseudo-terminal (stdin, stdout and stderr
 * too), with an empty auth file, so that it prompts for the password. */
static void
pty_start(pty_run *t, const char *auth_file, const char *uri)
{
    t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(t->master, >=, 0);
    g_assert_cmpint(grantpt(t->master), ==, 0);
    g_assert_cmpint(unlockpt(t->master), ==, 0);
    t->reading = fcntl(t->master, F_DUPFD_CLOEXEC, 0);
    g_assert_cmpint(t->reading, >=, 0);
    t->slave = g_strdup(ptsname(t->master));
    t->transcript = g_string_new(NULL);
    t->deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;
    const char *argv[] = { hvdctl, "-c", uri, "hostname", NULL };
    g_auto(GStrv) envp = g_get_environ();
    envp = g_environ_unsetenv(envp, "LIBVIRT_AUTH_FILE");
    envp = g_environ_setenv(envp, "HVD_AUTH_FILE", auth_file, TRUE);
    t->pid = fork();
    g_assert_cmpint(t->pid, >=, 0);
    if (t->pid == 0) {
        /* only async-signal-safe calls between fork and exec */
        int fd = -1;
        if (setsid() < 0 || (fd = open(t->slave, O_RDWR)) < 0 || ioctl(fd, TIOCSCTTY, 0) < 0 || dup2(fd, 0) < 0 ||
            dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        if (fd > 2)
            close(fd);
        execve(hvdctl, (char *const *)argv, envp);
        _exit(127);
    }
}

static void G_GNUC_NORETURN
pty_fail(pty_run *t, const char *what)
{
    kill(t->pid, SIGKILL);
    waitpid(t->pid, NULL, 0);
    g_autofree char *shown = g_strescape(t->transcript->str, NULL);
    g_error("%s; the terminal showed: \"%s\"", what, shown);
}

/* Reads the terminal until it shows `text`. */
static void
pty_expect(pty_run *t, const char *text)
{
    if (!read_until(&t->reading, &t->transcript, 1, text, t->deadline)) {
        g_autofree char *what = g_strdup_printf("hvdctl did not show '%s' (%s)", text,
                                                t->reading < 0 ? "it closed the terminal" : "deadline passed");
        pty_fail(t, what);
    }
}

static void
pty_type(pty_run *t, const char *text)
{
    g_assert_cmpint(write(t->master, text, strlen(text)), ==, (ssize_t)strlen(text));
}

/* Reads the terminal until hvdctl has closed it; returns its wait status. */
static int
pty_finish(pty_run *t)
{
    if (!read_until(&t->reading, &t->transcript, 1, NULL, t->deadline))
        pty_fail(t, "hvdctl did not finish by the deadline");
    int status = 0;
    g_assert_cmpint(waitpid(t->pid, &status, 0), ==, t->pid);
    return status;
}

/* Whether the terminal echoes input now. */
static gboolean
pty_echoes(pty_run *t)
{
    int fd = open(t->slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        g_error("cannot open the terminal %s to read its settings: %s", t->slave, g_strerror(errno));
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0)
        g_error("cannot read the settings of terminal %s: %s", t->slave, g_strerror(errno));
    close(fd);
    return (tio.c_lflag & ECHO) != 0;
}

static void
pty_clear(pty_run *t)
{
    if (t->reading >= 0)
        close(t->reading);
    close(t->master);
    g_free(t->slave);
    g_string_free(t->transcript, TRUE);
}

typedef enum {
    PROMPT_ANSWER,    /* type the password once the prompt shows */
    PROMPT_TYPEAHEAD, /* type it at once, before hvdctl has even started */
    PROMPT_SIGTERM,   /* kill hvdctl at the prompt */
    PROMPT_CTRL_C,    /* type ^C at the prompt */
} prompt_case;

/* A password that no prompt text contains. */
#define PROMPT_PASSWORD "Zq7-unechoed"

static void
test_prompt(gconstpointer data)
{
    prompt_case what = GPOINTER_TO_INT(data);
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .password = PROMPT_PASSWORD };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *empty = g_build_filename(dir, "empty.conf", NULL);
    g_assert_true(g_file_set_contents(empty, "", 0, NULL));
    g_assert_cmpint(g_chmod(empty, 0600), ==, 0);
    g_autofree char *uri = g_strdup_printf("esx://%s@%s:%d/?transport=http", sim->username, sim->host, sim->port);

    pty_run t = { 0 };
    pty_start(&t, empty, uri);
    if (what == PROMPT_TYPEAHEAD)
        pty_type(&t, PROMPT_PASSWORD "\n");
    pty_expect(&t, "password for");
    /* the prompt shows only once echo is off (typed ahead, the answer may
     * already be read and echo back on) */
    if (what != PROMPT_TYPEAHEAD && pty_echoes(&t))
        pty_fail(&t, "the terminal still echoes while the password prompt shows");
    gsize prompt_end = t.transcript->len;
    if (what == PROMPT_ANSWER)
        pty_type(&t, PROMPT_PASSWORD "\n");
    else if (what == PROMPT_SIGTERM)
        kill(t.pid, SIGTERM);
    else if (what == PROMPT_CTRL_C)
        pty_type(&t, "\003");
    int status = pty_finish(&t);

    if (what == PROMPT_ANSWER || what == PROMPT_TYPEAHEAD) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
            strstr(t.transcript->str, "localhost.localdomain") == NULL)
            pty_fail(&t, "hvdctl did not print the host name and exit 0");
        /* no echo: typed ahead, the terminal may echo it before hvdctl
         * turns echo off, but never once the prompt shows */
        const char *after = what == PROMPT_ANSWER ? t.transcript->str : t.transcript->str + prompt_end;
        if (strstr(after, PROMPT_PASSWORD) != NULL)
            pty_fail(&t, "the password was echoed");
    } else {
        int sig = what == PROMPT_SIGTERM ? SIGTERM : SIGINT;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != sig) {
            g_autofree char *why = g_strdup_printf("hvdctl ended with wait status 0x%x, not by signal %d", status, sig);
            pty_fail(&t, why);
        }
        if (!pty_echoes(&t))
            pty_fail(&t, "hvdctl left the terminal with echo off");
    }
    pty_clear(&t);
    g_unlink(empty);
    g_rmdir(dir);
}

/* A password with backslashes reaches the server as libvirt's auth.conf
 * reader passes it (\\ is one backslash, a backslash before another
 * character stays), XML-special characters too; an auth file others may
 * read is refused with the fix, before any request. */
static void
test_auth_file_rules(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .password = "p\\w \\\\x&<'\"" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *auth = write_auth(dir, sim->host, sim->username, "p\\w \\\\\\\\x&<'\"");
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    const char *args[] = { "-c", uri, "hostname", NULL };
    run_result r = run(auth, args);
    if (r.status != 0)
        g_error("hvdctl with the password p\\w \\\\x&<'\" from the auth file exited %d:\n%s", r.status, r.err);
    run_result_clear(&r);

    g_assert_cmpint(g_chmod(auth, 0644), ==, 0);
    g_assert_true(sim_control(sim, "POST", "/stats/reset", NULL, NULL, &gerr));
    r = run(auth, args);
    g_assert_cmpint(r.status, ==, 1);
    g_autofree char *fix = g_strdup_printf("run 'chmod 600 %s'", auth);
    if (strstr(r.err, "has permissions 0644") == NULL || strstr(r.err, fix) == NULL)
        g_error("an auth file of mode 0644: no refusal naming the fix; stderr:\n%s", r.err);
    int calls = sim_call_count(sim, "Login", &gerr);
    g_assert_no_error(gerr);
    g_assert_cmpint(calls, ==, 0);
    run_result_clear(&r);
    g_unlink(auth);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    hvdctl = g_getenv("HVDCTL");
    g_assert_nonnull(hvdctl);
    g_test_add_func("/tools/hvdctl/help", test_help);
    g_test_add_func("/tools/hvdctl/commands", test_commands);
    g_test_add_func("/tools/hvdctl/credential-errors", test_credential_errors);
    g_test_add_func("/tools/hvdctl/debug-log", test_debug_log);
    g_test_add_func("/tools/hvdctl/auth-file-rules", test_auth_file_rules);
    g_test_add_func("/tools/hvdctl/future-driver", test_future_driver);
    g_test_add_func("/tools/hvdctl/old-driver", test_old_driver);
    g_test_add_func("/tools/hvdctl/uri-password-hidden", test_uri_password_hidden);
    g_test_add_data_func("/tools/hvdctl/prompt", GINT_TO_POINTER(PROMPT_ANSWER), test_prompt);
    g_test_add_data_func("/tools/hvdctl/prompt-typeahead", GINT_TO_POINTER(PROMPT_TYPEAHEAD), test_prompt);
    g_test_add_data_func("/tools/hvdctl/prompt-sigterm", GINT_TO_POINTER(PROMPT_SIGTERM), test_prompt);
    g_test_add_data_func("/tools/hvdctl/prompt-ctrl-c", GINT_TO_POINTER(PROMPT_CTRL_C), test_prompt);
    return g_test_run();
}
