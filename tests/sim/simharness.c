/* simharness.c: the hvd-sim process — start, announcement, stop. */
#include "simharness.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef HVD_SIM_PATH
#error "HVD_SIM_PATH must name the built hvd-sim binary"
#endif

/* How long hvd-sim may take to build its inventory and announce itself
 * (10,000 VMs take 15-40 s on a loaded 2-core machine); $HVD_SIM_START_TIMEOUT
 * (seconds) overrides. */
#define ANNOUNCE_TIMEOUT_MS (120 * 1000)
#define STOP_GRACE_MS       20000 /* a 10,000-VM simulator on a loaded 2-core machine needs a while */
#define MAX_ANNOUNCEMENT    4096

G_DEFINE_QUARK(sim - error - quark, sim_error)

static const char *
sim_binary(void)
{
    const char *env = g_getenv("HVD_SIM");
    return env && *env ? env : HVD_SIM_PATH;
}

static void
add_count(GPtrArray *argv, const char *flag, int value)
{
    if (value == 0)
        return;
    g_ptr_array_add(argv, g_strdup(flag));
    g_ptr_array_add(argv, g_strdup_printf("%d", value < 0 ? 0 : value));
}

static GPtrArray *
build_argv(const sim_options *o)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup(sim_binary()));
    if (o->model) {
        g_ptr_array_add(argv, g_strdup("--model"));
        g_ptr_array_add(argv, g_strdup(o->model));
    }
    if (o->tls)
        g_ptr_array_add(argv, g_strdup("--tls"));
    if (o->tls && o->expired_cert)
        g_ptr_array_add(argv, g_strdup("--expired-cert"));
    add_count(argv, "--datacenters", o->datacenters);
    add_count(argv, "--folders", o->folders);
    add_count(argv, "--clusters", o->clusters);
    add_count(argv, "--hosts", o->hosts);
    add_count(argv, "--vms", o->vms);
    add_count(argv, "--page-size", o->page_size);
    if (o->username) {
        g_ptr_array_add(argv, g_strdup("--username"));
        g_ptr_array_add(argv, g_strdup(o->username));
    }
    if (o->password) {
        g_ptr_array_add(argv, g_strdup("--password"));
        g_ptr_array_add(argv, g_strdup(o->password));
    }
    if (o->listen) {
        g_ptr_array_add(argv, g_strdup("--listen"));
        g_ptr_array_add(argv, g_strdup(o->listen));
    }
    g_ptr_array_add(argv, NULL);
    return argv;
}

/* Returns TRUE once the child has exited (and reaps it), within @timeout_ms. */
static gboolean
wait_child(GPid pid, int timeout_ms, int *status_out)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    for (;;) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            if (status_out)
                *status_out = status;
            return TRUE;
        }
        if (g_get_monotonic_time() >= deadline)
            return FALSE;
        g_usleep(20 * 1000);
    }
}

static char *
describe_exit(int status)
{
    if (WIFEXITED(status))
        return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return g_strdup_printf("was killed by signal %d", WTERMSIG(status));
    return g_strdup("stopped");
}

static int
announce_timeout_ms(void)
{
    const char *env = g_getenv("HVD_SIM_START_TIMEOUT");
    gint64 seconds = env ? g_ascii_strtoll(env, NULL, 10) : 0;
    return seconds > 0 && seconds < 3600 ? (int)seconds * 1000 : ANNOUNCE_TIMEOUT_MS;
}

/* Reads the announcement line (up to '\n') within the timeout. */
static char *
read_announcement(sim_instance *sim, GError **error)
{
    g_autoptr(GString) line = g_string_new(NULL);
    int timeout_ms = announce_timeout_ms();
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    for (;;) {
        gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
        if (left_ms <= 0) {
            g_set_error(error, SIM_ERROR, SIM_ERROR_TIMEOUT,
                        "hvd-sim (%s) did not announce itself within %d s; "
                        "see its log on stderr, or set HVD_SIM to a working binary",
                        sim_binary(), timeout_ms / 1000);
            return NULL;
        }
        struct pollfd pfd = { .fd = sim->stdout_fd, .events = POLLIN };
        int r = poll(&pfd, 1, (int)MIN(left_ms, 1000));
        if (r < 0 && errno != EINTR) {
            g_set_error(error, SIM_ERROR, SIM_ERROR_SPAWN, "poll on hvd-sim's stdout: %s", g_strerror(errno));
            return NULL;
        }
        if (r <= 0)
            continue;

        char buf[512];
        ssize_t n = read(sim->stdout_fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            int status = 0;
            g_autofree char *how = NULL;
            if (wait_child(sim->pid, 2000, &status)) {
                how = describe_exit(status);
                sim->pid = 0;
            } else {
                how = g_strdup("closed its stdout");
            }
            g_set_error(error, SIM_ERROR, SIM_ERROR_SPAWN,
                        "hvd-sim (%s) %s before announcing itself; see its log on stderr", sim_binary(), how);
            return NULL;
        }
        g_string_append_len(line, buf, n);
        const char *nl = memchr(line->str, '\n', line->len);
        if (nl) {
            g_string_truncate(line, (gsize)(nl - line->str));
            return g_string_free(g_steal_pointer(&line), FALSE);
        }
        if (line->len > MAX_ANNOUNCEMENT) {
            g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "hvd-sim printed more than %d bytes without a newline",
                        MAX_ANNOUNCEMENT);
            return NULL;
        }
    }
}

static gboolean
take_string(json_object *root, const char *key, gboolean required, char **out, GError **error)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(root, key, &v) || json_object_get_type(v) != json_type_string) {
        if (!required)
            return TRUE;
        g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "hvd-sim's announcement lacks the string \"%s\"", key);
        return FALSE;
    }
    const char *s = json_object_get_string(v);
    *out = *s || required ? g_strdup(s) : NULL;
    return TRUE;
}

static gboolean
parse_announcement(sim_instance *sim, const char *line, GError **error)
{
    json_object *root = json_tokener_parse(line);
    if (!root || json_object_get_type(root) != json_type_object) {
        if (root)
            json_object_put(root);
        g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "hvd-sim's announcement is not a JSON object: %.200s", line);
        return FALSE;
    }
    gboolean ok = take_string(root, "url", TRUE, &sim->url, error) &&
                  take_string(root, "host", TRUE, &sim->host, error) &&
                  take_string(root, "scheme", TRUE, &sim->scheme, error) &&
                  take_string(root, "username", TRUE, &sim->username, error) &&
                  take_string(root, "password", TRUE, &sim->password, error) &&
                  take_string(root, "ca_file", FALSE, &sim->ca_file, error) &&
                  take_string(root, "control_url", TRUE, &sim->control_url, error) &&
                  take_string(root, "http_proxy", TRUE, &sim->http_proxy, error) &&
                  take_string(root, "socks_proxy", TRUE, &sim->socks_proxy, error) &&
                  take_string(root, "model", TRUE, &sim->model, error);
    json_object *port = NULL;
    if (ok && (!json_object_object_get_ex(root, "port", &port) || json_object_get_type(port) != json_type_int)) {
        g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "hvd-sim's announcement lacks the integer \"port\"");
        ok = FALSE;
    }
    if (ok)
        sim->port = json_object_get_int(port);
    json_object_put(root);
    return ok;
}

sim_instance *
sim_start(const sim_options *opts, GError **error)
{
    static const sim_options defaults = { 0 };
    if (!opts)
        opts = &defaults;

    g_autoptr(GPtrArray) argv = build_argv(opts);
    sim_instance *sim = g_new0(sim_instance, 1);
    sim->stdin_fd = -1;
    sim->stdout_fd = -1;

    /* Pipes are close-on-exec, so simulators started by other threads do not
     * inherit this one's stdin and keep it alive. */
    g_autoptr(GError) spawn_error = NULL;
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &sim->pid,
                                  &sim->stdin_fd, &sim->stdout_fd, NULL, &spawn_error)) {
        g_set_error(error, SIM_ERROR, SIM_ERROR_SPAWN,
                    "cannot start hvd-sim (%s): %s; build it (ninja) or set HVD_SIM to a "
                    "working binary",
                    sim_binary(), spawn_error->message);
        sim_stop(sim);
        return NULL;
    }

    g_autofree char *line = read_announcement(sim, error);
    if (!line || !parse_announcement(sim, line, error)) {
        sim_stop(sim);
        return NULL;
    }
    return sim;
}

void
sim_stop(sim_instance *sim)
{
    if (!sim)
        return;
    if (sim->stdin_fd >= 0)
        close(sim->stdin_fd);
    if (sim->pid > 0) {
        if (!wait_child(sim->pid, STOP_GRACE_MS, NULL)) {
            /* not a test failure: the fallback below is what it is for */
            g_message("hvd-sim (pid %d) did not stop within %d s of its stdin closing; killing it", (int)sim->pid,
                      STOP_GRACE_MS / 1000);
            kill(sim->pid, SIGTERM);
            if (!wait_child(sim->pid, 2000, NULL)) {
                kill(sim->pid, SIGKILL);
                wait_child(sim->pid, 5000, NULL);
            }
        }
        g_spawn_close_pid(sim->pid);
    }
    if (sim->stdout_fd >= 0)
        close(sim->stdout_fd);
    g_free(sim->url);
    g_free(sim->host);
    g_free(sim->scheme);
    g_free(sim->username);
    g_free(sim->password);
    g_free(sim->ca_file);
    g_free(sim->control_url);
    g_free(sim->http_proxy);
    g_free(sim->socks_proxy);
    g_free(sim->model);
    g_free(sim);
}
