/* hvdctl.c — the reference HVD host: a virsh-like command line that loads a
 * driver only through the loader (libhvd-loader).
 *
 *   hvdctl [-c URI] [--json] [-d LEVEL] COMMAND [ARGS...]
 *   hvdctl help [COMMAND]
 */
#include "hvdctl.h"
#include "authfile.h"
#include "prompt.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A task shows a progress bar once it has run this long (0.5 s). */
#define PROGRESS_DELAY_US (G_USEC_PER_SEC / 2)

static const ctl_command *const command_tables[] = {
    ctl_host_commands,    ctl_domain_commands, ctl_snapshot_commands, ctl_sched_commands,   ctl_memtune_commands,
    ctl_network_commands, ctl_native_commands, ctl_storage_commands,  ctl_migrate_commands, NULL,
};

static const ctl_command *
find_command(const char *name)
{
    for (const ctl_command *const *t = command_tables; *t != NULL; t++) {
        for (const ctl_command *cmd = *t; cmd->name != NULL; cmd++) {
            if (strcmp(cmd->name, name) == 0)
                return cmd;
        }
    }
    return NULL;
}

static void
print_usage(FILE *out)
{
    fprintf(out, "Usage: hvdctl [-c URI] [--json] [--readonly] [-d LEVEL] COMMAND [ARGS...]\n"
                 "       hvdctl help [COMMAND]\n\n"
                 "Options:\n"
                 "  -c, --connect URI   connection URI, e.g. esx://root@esx1.example.com/?no_verify=1\n"
                 "                      (default: $HVD_DEFAULT_URI)\n"
                 "      --json          machine-readable output\n"
                 "      --readonly      refuse operations that change state\n"
                 "  -d, --debug LEVEL   print driver log messages up to LEVEL (1 error .. 4 debug)\n"
                 "  -h, --help          this text\n"
                 "  -V, --version       hvdctl's version, libhvd-loader's, and the HVD ABI it speaks\n\n"
                 "Commands:\n");
    for (const ctl_command *const *t = command_tables; *t != NULL; t++) {
        for (const ctl_command *cmd = *t; cmd->name != NULL; cmd++)
            fprintf(out, "  %-22s %s\n", cmd->name, cmd->summary);
    }
    fprintf(out, "\nCredentials: the user name comes from the URI, else from the auth file; the password from\n"
                 "the auth file ($HVD_AUTH_FILE, else $LIBVIRT_AUTH_FILE, else\n"
                 "$XDG_CONFIG_HOME/libvirt/auth.conf, in libvirt's auth.conf format), else from a prompt\n"
                 "when standard input is a terminal.\n");
}

static int
cmd_help(ctl *c, int argc, char **argv)
{
    (void)c;
    if (argc < 2) {
        print_usage(stdout);
        return CTL_EXIT_OK;
    }
    const ctl_command *cmd = find_command(argv[1]);
    if (cmd == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "unknown command '%s'; 'hvdctl help' lists them", argv[1]);
    printf("hvdctl %s %s\n\n  %s\n", cmd->name, cmd->synopsis ? cmd->synopsis : "", cmd->summary);
    if (cmd->help != NULL)
        printf("\n%s\n", cmd->help);
    if (cmd->conn == CTL_CONN_REQUIRED)
        printf("\nNeeds a connection (-c URI).\n");
    else if (cmd->conn == CTL_CONN_OPTIONAL)
        printf("\nWorks without a connection; with -c URI it asks the server.\n");
    return CTL_EXIT_OK;
}

/* hvdctl's own version, the loader it runs with (which may be newer than the
 * one it was built with), and the ABI it speaks: the minor it offers drivers. */
static int
print_version(const ctl *c)
{
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "hvdctl", json_object_new_string(HVD_PACKAGE_VERSION));
        json_object_object_add(o, "loader", json_object_new_string(hvd_loader_version()));
        json_object_object_add(o, "loader_arch", json_object_new_string(hvd_loader_arch()));
        g_autofree char *abi = g_strdup_printf("%d.%d", HVD_ABI_MAJOR, HVD_ABI_MINOR);
        json_object_object_add(o, "abi", json_object_new_string(abi));
        printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
    } else {
        printf("hvdctl %s\nlibhvd-loader %s (%s)\nHVD ABI %d.%d\n", HVD_PACKAGE_VERSION, hvd_loader_version(),
               hvd_loader_arch(), HVD_ABI_MAJOR, HVD_ABI_MINOR);
    }
    return CTL_EXIT_OK;
}

static const ctl_command help_command = {
    "help", "[COMMAND]", "list the commands, or explain one", NULL, CTL_CONN_NONE, cmd_help,
};

/* virsh's table: a header, dashes, and the first `ncol` of each row's
 * `nall` cells (row-major in `cells`), columns as wide as their widest
 * cell, 3 spaces apart. */
void
ctl_print_table(const char *const *heads, size_t nall, size_t ncol, GPtrArray *cells)
{
    size_t width[8] = { 0 };
    g_assert(ncol <= G_N_ELEMENTS(width) && ncol <= nall);
    guint nrows = cells->len / (guint)nall;
    for (size_t k = 0; k < ncol; k++) {
        width[k] = strlen(heads[k]);
        for (guint i = 0; i < nrows; i++)
            width[k] = MAX(width[k], (size_t)g_utf8_strlen(cells->pdata[i * nall + k], -1));
    }
    size_t total = 1;
    for (size_t k = 0; k < ncol; k++) {
        printf("%s%-*s", k ? "   " : " ", k + 1 < ncol ? (int)width[k] : 0, heads[k]);
        total += width[k] + (k ? 3 : 0);
    }
    printf("\n");
    for (size_t k = 0; k < total + 1; k++)
        putchar('-');
    putchar('\n');
    for (guint i = 0; i < nrows; i++) {
        for (size_t k = 0; k < ncol; k++) {
            const char *cell = cells->pdata[i * nall + k];
            int pad = k + 1 < ncol ? (int)(width[k] - (size_t)g_utf8_strlen(cell, -1)) : 0;
            printf("%s%s%*s", k ? "   " : " ", cell, pad, "");
        }
        printf("\n");
    }
    printf("\n");
}

int
ctl_fail(ctl *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (c != NULL && c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "error", json_object_new_string(msg));
        fprintf(stderr, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
    } else {
        fprintf(stderr, "error: %s\n", msg);
    }
    return code;
}

int
ctl_report(ctl *c, const char *what, int32_t rc, const hvd_error *err)
{
    const char *msg = (err != NULL && err->message[0] != '\0') ? err->message : hvd_status_string(rc);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "error", json_object_new_string(msg));
        json_object_object_add(o, "operation", json_object_new_string(what));
        json_object_object_add(o, "status", json_object_new_int(rc));
        json_object_object_add(o, "status_text", json_object_new_string(hvd_status_string(rc)));
        if (err != NULL && err->fault[0] != '\0')
            json_object_object_add(o, "fault", json_object_new_string(err->fault));
        fprintf(stderr, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
    } else {
        fprintf(stderr, "error: %s\n", msg);
    }
    return CTL_EXIT_FAIL;
}

int
ctl_unsupported(ctl *c, const char *what)
{
    hvd_error err = HVD_ERROR_INIT;
    g_snprintf(err.message, sizeof(err.message), "%s is not supported by driver '%s'", what,
               c->drv && c->drv->name ? c->drv->name : "?");
    return ctl_report(c, what, HVD_ERR_NO_SUPPORT, &err);
}

void
ctl_print_json(json_object *obj)
{
    printf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
}

/* ---- upcalls ---------------------------------------------------------- */

static void HVD_CALL
host_log(void *user_data, int32_t level, const char *component, const char *message)
{
    ctl *c = user_data;
    static const char *const names[] = { "?", "error", "warning", "info", "debug" };
    if (level <= c->debug)
        fprintf(stderr, "%s: %s: %s\n", names[level >= 1 && level <= 4 ? level : 0], component, message);
}

static gboolean
fill_credential(ctl *c, hvd_credential *cred)
{
    const char *host = cred->challenge ? cred->challenge : "";
    const char *key = cred->type == HVD_CRED_USERNAME ? "username" : "password";
    g_autofree char *value = NULL;
    if (c->auth_file != NULL) {
        g_autoptr(GError) gerr = NULL;
        value = authfile_lookup(c->auth_file, c->scheme ? c->scheme : "esx", host, key, &gerr);
        if (gerr != NULL) {
            ctl_fail(c, CTL_EXIT_FAIL, "%s", gerr->message);
            c->auth_reported = TRUE;
            return FALSE;
        }
    }
    gboolean asked = FALSE;
    if (value == NULL && isatty(STDIN_FILENO)) {
        gboolean echo = cred->type == HVD_CRED_USERNAME;
        g_autoptr(GError) perr = NULL;
        value = ctl_prompt(cred->prompt ? cred->prompt : key, cred->default_result, echo, &perr);
        if (perr != NULL) {
            ctl_fail(c, CTL_EXIT_FAIL, "no %s for %s: %s", key, host, perr->message);
            c->auth_reported = TRUE;
            return FALSE;
        }
        asked = TRUE;
    }
    if (value == NULL && cred->type == HVD_CRED_USERNAME && cred->default_result != NULL)
        value = g_strdup(cred->default_result);
    if (value == NULL) {
        c->auth_reported = TRUE;
        if (asked)
            ctl_fail(c, CTL_EXIT_FAIL,
                     "no %s for %s: the prompt got no answer (end of input); type it at the "
                     "prompt, or put it in the auth file (%s)",
                     key, host, c->auth_file ? c->auth_file : "none found; set HVD_AUTH_FILE or LIBVIRT_AUTH_FILE");
        else if (cred->type == HVD_CRED_USERNAME)
            ctl_fail(c, CTL_EXIT_FAIL,
                     "no user name for %s: put it in the URI (e.g. esx://root@%s/) or in the auth file "
                     "(%s)",
                     host, host, c->auth_file ? c->auth_file : "none found; set HVD_AUTH_FILE");
        else
            ctl_fail(c, CTL_EXIT_FAIL,
                     "no password for %s: standard input is not a terminal, so hvdctl cannot prompt; add "
                     "[credentials-NAME] and [auth-%s-%s] groups to the auth file (%s)",
                     host, c->scheme ? c->scheme : "esx", host,
                     c->auth_file ? c->auth_file : "none found; set HVD_AUTH_FILE or LIBVIRT_AUTH_FILE");
        return FALSE;
    }
    size_t len = strlen(value);
    gboolean ok = len + 1 <= cred->result_capacity;
    if (ok) {
        memcpy(cred->result, value, len + 1);
        cred->result_len = (uint32_t)len;
    } else {
        ctl_fail(c, CTL_EXIT_FAIL, "%s for %s is longer than the driver accepts (%u bytes)", key, host,
                 cred->result_capacity - 1);
        c->auth_reported = TRUE;
    }
    memset(value, 0, len);
    return ok;
}

static int32_t HVD_CALL
host_auth(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    ctl *c = user_data;
    if (ncreds == 0)
        return 0;
    uint32_t stride = creds[0].struct_size;
    for (uint32_t i = 0; i < ncreds; i++) {
        hvd_credential *cred = (hvd_credential *)(void *)((char *)creds + (size_t)i * stride);
        if (!fill_credential(c, cred))
            return -1;
    }
    return 0;
}

static int32_t HVD_CALL
host_progress(void *user_data, const char *what, int32_t percent)
{
    ctl *c = user_data;
    if (c->json || !isatty(STDERR_FILENO) || what == NULL)
        return 0;
    gint64 now = g_get_monotonic_time();
    if (g_strcmp0(c->progress_what, what) != 0) {
        g_free(c->progress_what);
        c->progress_what = g_strdup(what);
        c->progress_start = now;
        c->progress_shown = FALSE;
    }
    /* a bar only for tasks that last longer than a moment */
    if (!c->progress_shown && (now - c->progress_start < PROGRESS_DELAY_US || percent >= 100))
        return 0;
    c->progress_shown = TRUE;
    if (percent >= 0)
        fprintf(stderr, "\r%s: %3d%%%s", what, percent, percent >= 100 ? "\n" : "");
    return 0;
}

/* ---- driver and connection ---------------------------------------------- */

static gboolean
ensure_loader(ctl *c)
{
    if (c->loader == NULL)
        c->loader = hvd_loader_new();
    if (c->loader == NULL) {
        ctl_fail(c, CTL_EXIT_FAIL, "out of memory");
        return FALSE;
    }
    return TRUE;
}

static gboolean
finish_load(ctl *c, int32_t rc, const hvd_error *err)
{
    if (rc != HVD_OK) {
        ctl_report(c, "load driver", rc, err);
        return FALSE;
    }
    c->drv = c->loaded->driver;
    hvd_error ierr = HVD_ERROR_INIT;
    if (c->drv->init != NULL) {
        rc = c->drv->init(0, &ierr);
        if (rc != HVD_OK) {
            ctl_report(c, "driver init", rc, &ierr);
            c->drv = NULL;
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ctl_load_driver(ctl *c, const char *name)
{
    if (c->drv != NULL)
        return TRUE;
    if (!ensure_loader(c))
        return FALSE;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = hvd_loader_load_by_name(c->loader, name, HVD_ABI_MINOR, &c->loaded, &err);
    return finish_load(c, rc, &err);
}

gboolean
ctl_connect(ctl *c)
{
    if (c->conn != NULL)
        return TRUE;
    if (c->uri == NULL) {
        ctl_fail(c, CTL_EXIT_USAGE,
                 "this command needs a connection: give -c URI (e.g. -c esx://root@host/) "
                 "or set HVD_DEFAULT_URI");
        return FALSE;
    }
    if (!ensure_loader(c))
        return FALSE;
    hvd_error err = HVD_ERROR_INIT;
    if (c->drv == NULL) {
        int32_t rc = hvd_loader_load_for_uri(c->loader, c->uri, HVD_ABI_MINOR, &c->loaded, &err);
        if (!finish_load(c, rc, &err))
            return FALSE;
    }
    if (c->drv->connect == NULL || c->drv->connect->open == NULL) {
        ctl_unsupported(c, "connect");
        return FALSE;
    }
    int32_t rc =
        c->drv->connect->open(c->uri, NULL, 0, &c->host, c->readonly ? HVD_CONNECT_READONLY : 0, &c->conn, &err);
    if (rc != HVD_OK) {
        /* the auth upcall has already said why it gave up */
        if (!(rc == HVD_ERR_AUTH_CANCELLED && c->auth_reported))
            ctl_report(c, "connect", rc, &err);
        return FALSE;
    }
    return TRUE;
}

static void
ctl_cleanup(ctl *c)
{
    g_free(c->progress_what);
    if (c->conn != NULL && c->drv->connect->close != NULL)
        c->drv->connect->close(c->conn);
    if (c->drv != NULL && c->drv->shutdown != NULL)
        c->drv->shutdown();
    hvd_loader_free(c->loader);
    g_free(c->auth_file);
    g_free(c->scheme);
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    ctl c = { 0 };
    c.host.struct_size = sizeof(c.host);
    c.host.user_data = &c;
    c.host.log = host_log;
    c.host.auth = host_auth;
    c.host.progress = host_progress;
    c.debug = HVD_LOG_ERROR - 1; /* silent unless asked */
    c.uri = g_getenv("HVD_DEFAULT_URI");

    gboolean version = FALSE;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0) {
            if (++i >= argc)
                return ctl_fail(&c, CTL_EXIT_USAGE, "%s needs a URI", a);
            c.uri = argv[i];
        } else if (g_str_has_prefix(a, "--connect=")) {
            c.uri = a + strlen("--connect=");
        } else if (strcmp(a, "--json") == 0) {
            c.json = TRUE;
        } else if (strcmp(a, "--readonly") == 0) {
            c.readonly = TRUE;
        } else if (strcmp(a, "-d") == 0 || strcmp(a, "--debug") == 0) {
            if (++i >= argc)
                return ctl_fail(&c, CTL_EXIT_USAGE, "%s needs a level from 1 to 4", a);
            c.debug = atoi(argv[i]);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_usage(stdout);
            return CTL_EXIT_OK;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            version = TRUE;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else {
            return ctl_fail(&c, CTL_EXIT_USAGE, "unknown option '%s'; 'hvdctl --help' lists them", a);
        }
    }
    if (version)
        return print_version(&c);
    if (i >= argc) {
        print_usage(stderr);
        return CTL_EXIT_USAGE;
    }
    const ctl_command *cmd = strcmp(argv[i], "help") == 0 ? &help_command : find_command(argv[i]);
    if (cmd == NULL)
        return ctl_fail(&c, CTL_EXIT_USAGE, "unknown command '%s'; 'hvdctl help' lists them", argv[i]);

    if (c.uri != NULL && *c.uri == '\0')
        c.uri = NULL;
    if (c.uri != NULL) {
        const char *sep = strstr(c.uri, "://");
        c.scheme = sep ? g_ascii_strdown(c.uri, sep - c.uri) : NULL;
        if (c.scheme != NULL && strchr(c.scheme, '+') != NULL)
            *strchr(c.scheme, '+') = '\0';
    }
    c.auth_file = authfile_path();

    int rc;
    if (cmd->conn == CTL_CONN_REQUIRED && c.uri == NULL)
        rc = ctl_fail(&c, CTL_EXIT_USAGE,
                      "'%s' needs a connection: give -c URI (e.g. -c esx://root@host/) "
                      "or set HVD_DEFAULT_URI",
                      cmd->name);
    else if (cmd->conn == CTL_CONN_REQUIRED && !ctl_connect(&c))
        rc = CTL_EXIT_FAIL;
    else if (cmd->conn == CTL_CONN_OPTIONAL && c.uri != NULL && !ctl_connect(&c))
        rc = CTL_EXIT_FAIL;
    else
        rc = cmd->run(&c, argc - i, argv + i);
    ctl_cleanup(&c);
    return rc;
}
