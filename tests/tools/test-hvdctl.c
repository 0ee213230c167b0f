/* hvdctl end to end against the simulator: credentials from the auth file,
 * the commands of the foundation issue with --json, and the errors a user
 * sees without credentials or with a wrong password. */
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Runs hvdctl with stdin from /dev/null (so it cannot prompt). */
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
    run_result r = { 0 };
    g_autoptr(GError) gerr = NULL;
    int wait_status = 0;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &r.out, &r.err,
                      &wait_status, &gerr))
        g_error("spawn %s: %s", hvdctl, gerr->message);
    r.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    return r;
}

static char *
write_auth(const char *dir, const char *host, const char *user, const char *password)
{
    char *path = g_build_filename(dir, "auth.conf", NULL);
    g_autofree char *text = g_strdup_printf("[credentials-sim]\nusername=%s\npassword=%s\n\n"
                                            "[auth-esx-%s]\ncredentials=sim\n", user, password, host);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
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
    g_assert_cmpint(jint(v, "negotiated_minor"), ==, 0);
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


/* The password prompt on a terminal: run hvdctl under script(1), which gives
 * it a pseudo-terminal, answer once the prompt shows, and check that the
 * password is not echoed. */
static void
test_prompt(void)
{
    g_autofree char *script = g_find_program_in_path("script");
    if (script == NULL) {
        g_test_skip("script(1) from util-linux is not installed");
        return;
    }
    g_autoptr(GError) gerr = NULL;
    /* a password that no prompt text contains */
    sim_options so = { .model = "esx", .password = "Zq7-unechoed" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *dir = g_dir_make_tmp("hvdctl-XXXXXX", NULL);
    g_autofree char *empty = g_build_filename(dir, "empty.conf", NULL);
    g_assert_true(g_file_set_contents(empty, "", 0, NULL));
    g_autofree char *cmd = g_strdup_printf("'%s' -c 'esx://%s@%s:%d/?transport=http' hostname", hvdctl,
                                           sim->username, sim->host, sim->port);
    const char *argv[] = { script, "-q", "-e", "-c", cmd, "/dev/null", NULL };
    g_auto(GStrv) envp = g_get_environ();
    envp = g_environ_setenv(envp, "HVD_AUTH_FILE", empty, TRUE);
    GPid pid;
    int in_fd, out_fd;
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                           &in_fd, &out_fd, NULL, &gerr));
    g_assert_no_error(gerr);
    GString *out = g_string_new(NULL);
    gboolean answered = FALSE;
    char buf[512];
    ssize_t n;
    while ((n = read(out_fd, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
        if (!answered && strstr(out->str, "password for") != NULL) {
            g_assert_cmpint(write(in_fd, sim->password, strlen(sim->password)), ==, (ssize_t)strlen(sim->password));
            g_assert_cmpint(write(in_fd, "\n", 1), ==, 1);
            answered = TRUE;
        }
    }
    close(in_fd);
    close(out_fd);
    int status = 0;
    waitpid(pid, &status, 0);
    g_spawn_close_pid(pid);
    g_assert_true(answered);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    g_assert_nonnull(strstr(out->str, "localhost.localdomain"));
    g_assert_null(strstr(out->str, sim->password));   /* no echo */
    g_string_free(out, TRUE);
    g_unlink(empty);
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
    g_test_add_func("/tools/hvdctl/prompt", test_prompt);
    return g_test_run();
}
